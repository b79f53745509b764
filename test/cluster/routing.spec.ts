// Through HAProxy in front of two simulator processes: every sandbox, made with or without a chosen
// id, is reached on the one process that holds it, by header and by host; the client's address is
// the one it connected from; over HTTPS the cookies are Secure. (playwright.cluster.config.ts)
import http from 'node:http';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { shardOf } from '../../src/lib/shards';

const PORT = Number(process.env.E2E_PORT);
const TLS_PORT = Number(process.env.E2E_TLS_PORT);
const TOKEN = process.env.E2E_SIM_TOKEN!;
const BALANCER = `http://127.0.0.1:${PORT}`;

interface Health { sandbox: string; instance: { name: string; shard: number; shards: number; pid: number } }

async function simApi(playwright: { request: { newContext: (options: object) => Promise<APIRequestContext> } }): Promise<APIRequestContext> {
  return playwright.request.newContext({ baseURL: BALANCER, extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` } });
}

async function healthOf(api: APIRequestContext, headers: Record<string, string>): Promise<Health> {
  const res = await api.get('/sim/api/health', { headers });
  expect(res.status(), JSON.stringify(headers)).toBe(200);
  return (await res.json()) as Health;
}

/** An id of the given shard of two, unique to this run and worker. */
function idOnShard(shard: number, label: string): string {
  for (let n = 0; ; n += 1) {
    const id = `${label}-${test.info().workerIndex}-${Date.now().toString(36)}-${n}`;
    if (shardOf(id, 2) === shard) return id;
  }
}

/** One HTTP request from a chosen local address (the browser cannot choose one), answered as text. */
function requestFrom(localAddress: string, method: string, url: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers, localAddress }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test.describe('sandboxes behind the balancer', () => {
  test('each is reached on the one process that holds it, by header and by host, with or without a chosen id', async ({ playwright }) => {
    const api = await simApi(playwright);
    const chosen = [idOnShard(0, 'pick'), idOnShard(1, 'pick')];
    const made: string[] = [];
    for (const id of chosen) {
      const res = await api.post('/sim/api/sandboxes', { data: { id } });
      expect(res.status()).toBe(201);
      expect(((await res.json()) as { url: string }).url).toBe(`http://${id}.localhost:${PORT}`);
      made.push(id);
    }
    for (let i = 0; i < 6; i += 1) {
      const res = await api.post('/sim/api/sandboxes', { data: {} });
      expect(res.status()).toBe(201);
      made.push(((await res.json()) as { id: string }).id);
    }
    const shards = new Set<number>();
    for (const id of made) {
      const byHeader = await healthOf(api, { 'X-Sim-Sandbox': id });
      expect(byHeader.sandbox).toBe(id);
      expect(byHeader.instance.shards).toBe(2);
      expect(byHeader.instance.shard).toBe(shardOf(id, 2));
      for (let again = 0; again < 3; again += 1) {
        const byHost = await healthOf(api, { Host: `${id}.localhost:${PORT}` });
        expect(byHost.sandbox).toBe(id);
        expect(byHost.instance.pid).toBe(byHeader.instance.pid);
      }
      shards.add(byHeader.instance.shard);
    }
    // Creations without an id are dealt round the shards, and each shard named its own.
    expect([...shards].sort()).toEqual([0, 1]);

    // Without a sandbox: the default, on shard 0.
    expect((await healthOf(api, {})).instance.shard).toBe(0);
    // Listing: the answering shard's sandboxes; each shard's through X-Sim-Shard.
    const listed: string[] = [];
    for (const shard of [0, 1]) {
      const res = await api.get('/sim/api/sandboxes', { headers: { 'X-Sim-Shard': String(shard) } });
      const ids = ((await res.json()) as { sandboxes: { id: string }[] }).sandboxes.map((s) => s.id);
      for (const id of ids) if (id !== 'default') expect(shardOf(id, 2)).toBe(shard);
      listed.push(...ids);
    }
    expect(listed).toEqual(expect.arrayContaining(['default', ...made]));
    expect(listed.filter((id) => id === 'default')).toHaveLength(1);

    for (const id of made) expect((await api.delete(`/sim/api/sandboxes/${id}`)).status()).toBe(200);
    const gone = await api.get('/sim/api/health', { headers: { 'X-Sim-Sandbox': made[1]! } });
    expect(gone.status()).toBe(404);
    await api.dispose();
  });

  test('the QA client lists every shard\'s sandboxes and makes them through the balancer', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SimClient } = require('../../client') as typeof import('../../client');
    const client = new SimClient({ baseUrl: BALANCER, token: TOKEN });
    const made = [await client.createSandbox({ id: idOnShard(0, 'client') }), await client.createSandbox({ id: idOnShard(1, 'client') })];
    const ids = (await client.allSandboxes()).map((sandbox) => sandbox.id);
    expect(ids).toEqual(expect.arrayContaining(made.map((sandbox) => sandbox.id)));
    // A client bound to one sandbox still deletes another, on any shard.
    const bound = client.forSandbox(made[1]!.id);
    await bound.deleteSandbox(made[0]!.id);
    await bound.deleteSandbox(made[1]!.id);
    expect((await client.allSandboxes()).map((sandbox) => sandbox.id)).not.toContain(made[0]!.id);
  });

  test('the portal records the address a client connected from, never a forged X-Forwarded-For', async ({ page, playwright }) => {
    const api = await simApi(playwright);
    const id = idOnShard(1, 'xff');
    expect((await api.post('/sim/api/sandboxes', { data: { id } })).status()).toBe(201);
    const host = `${id}.localhost:${PORT}`;
    const forged = { Host: host, 'X-Forwarded-For': '203.0.113.9', Forwarded: 'for=203.0.113.10' };
    // A wrong password from 127.0.0.2, claiming to come from elsewhere.
    const form = await requestFrom('127.0.0.2', 'GET', `${BALANCER}/login`, forged);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const cookie = String(form.headers['set-cookie']![0]).split(';')[0]!;
    const body = new URLSearchParams({ _csrf: csrf, userId: 'globex.primary', password: 'Not-The-Password-1' }).toString();
    const refused = await requestFrom('127.0.0.2', 'POST', `${BALANCER}/login`, {
      ...forged, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)),
    }, body);
    expect(refused.text).toContain('invalid_credentials');

    const personas = (await (await api.get('/sim/api/personas', { headers: { 'X-Sim-Sandbox': id } })).json()) as { personas: { userId: string; password: string }[] };
    const primary = personas.personas.find((p) => p.userId === 'globex.primary')!;
    await page.goto(`http://${host}/login`);
    await page.getByTestId('userId-input').fill(primary.userId);
    await page.getByTestId('password-input').fill(primary.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/home$/);
    await page.goto(`http://${host}/profile`);
    const history = page.getByTestId('sign-in-history');
    await expect(history.locator('[data-outcome="failure"]').first()).toContainText('127.0.0.2');
    await expect(history.locator('[data-outcome="success"]').first()).toContainText('127.0.0.1');
    await expect(history).not.toContainText('203.0.113');
    await api.delete(`/sim/api/sandboxes/${id}`);
    await api.dispose();
  });

  test('over HTTPS the balancer speaks for the scheme: Secure cookies, HSTS and https links', async ({ browser, playwright }) => {
    const api = await playwright.request.newContext({
      baseURL: `https://127.0.0.1:${TLS_PORT}`, ignoreHTTPSErrors: true, extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` },
    });
    const id = idOnShard(0, 'tls');
    const made = await api.post('/sim/api/sandboxes', { data: { id } });
    expect(((await made.json()) as { url: string }).url).toBe(`https://${id}.localhost:${TLS_PORT}`);

    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const answer = await page.goto(`https://${id}.localhost:${TLS_PORT}/login`);
    expect(answer!.headers()['strict-transport-security']).toContain('max-age=');
    const [session] = await context.cookies();
    expect(session).toMatchObject({ name: '__Host-atwork.sid', secure: true, httpOnly: true });
    await page.getByTestId('forgot-password-link').click();
    await expect(page).toHaveURL(new RegExp(`^https://${id}\\.localhost:${TLS_PORT}/forgot-password`));
    await context.close();
    await api.delete(`/sim/api/sandboxes/${id}`);
    await api.dispose();
  });
});
