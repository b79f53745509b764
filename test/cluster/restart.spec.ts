// A simulator process killed behind the balancer: the other shard's sandboxes keep working, the
// killed one's answer 503 `shard_unavailable` until the cluster has started it again, and then come
// back with their data, the default sandbox's included. Runs after every other test of the cluster
// run (playwright.cluster.config.ts), alone.
import net from 'node:net';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { shardOf } from '../../src/lib/shards';

const PORT = Number(process.env.E2E_PORT);
const TOKEN = process.env.E2E_SIM_TOKEN!;

interface Health { sandbox: string; instance: { shard: number; pid: number } }

/** Whether anything still accepts connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
  });
}

function idOnShard(shard: number, label: string): string {
  for (let n = 0; ; n += 1) if (shardOf(`${label}-${n}`, 2) === shard) return `${label}-${n}`;
}

async function enroll(api: APIRequestContext, sandbox: string, firstName: string): Promise<string> {
  const email = `${firstName.toLowerCase()}.restart@globex.example`;
  const res = await api.post('/sim/api/enrollments', {
    headers: { 'X-Sim-Sandbox': sandbox }, data: { company: 'Globex Corporation', firstName, lastName: 'Restart', email, permissions: ['cards.view'] },
  });
  expect(res.status()).toBe(201);
  return email;
}

/** The types of the e-mails the sandbox's outbox holds for an address: kept in its database. */
async function mailTypesTo(api: APIRequestContext, sandbox: string, to: string): Promise<string[]> {
  const res = await api.get('/sim/api/outbox', { headers: { 'X-Sim-Sandbox': sandbox }, params: { to } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { messages: { type: string }[] }).messages.map((m) => m.type);
}

test('a killed process comes back with its sandboxes while the other shard goes on', async ({ playwright, page }) => {
  test.setTimeout(120_000);
  const api = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${PORT}`, extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` } });
  const onKilled = idOnShard(0, 'restart-a');
  const onLive = idOnShard(1, 'restart-b');
  for (const id of [onKilled, onLive]) expect((await api.post('/sim/api/sandboxes', { data: { id } })).status()).toBe(201);
  const inDefault = await enroll(api, 'default', 'Dana');
  const inKilled = await enroll(api, onKilled, 'Kim');
  expect(await mailTypesTo(api, 'default', inDefault)).toEqual(['welcome']);

  const before = (await (await api.get('/sim/api/health', { headers: { 'X-Sim-Shard': '0' } })).json()) as Health;
  expect(before.instance.shard).toBe(0);
  process.kill(before.instance.pid, 'SIGKILL');
  // Gone once its port refuses. (A request that meets the process as it dies, on a kept-alive
  // connection, is closed unanswered, as a browser expects and retries.)
  await expect.poll(() => accepts(PORT + 1), { timeout: 5_000, intervals: [20] }).toBe(false);

  // The killed shard's sandboxes and the default: the balancer's own answer, not another shard's 404.
  const down = await api.get('/sim/api/health', { headers: { 'X-Sim-Sandbox': onKilled } });
  expect(down.status()).toBe(503);
  expect(((await down.json()) as { error: { code: string } }).error.code).toBe('shard_unavailable');
  // Meanwhile the other shard's sandbox serves a person in a browser.
  const live = (await (await api.get('/sim/api/health', { headers: { 'X-Sim-Sandbox': onLive } })).json()) as Health;
  expect(live.instance.shard).toBe(1);
  await page.goto(`http://${onLive}.localhost:${PORT}/login`);
  await expect(page.getByTestId('login-submit')).toBeVisible();

  // Started again by the cluster: the same sandboxes, the same data.
  await expect.poll(async () => (await api.get('/sim/api/health', { headers: { 'X-Sim-Sandbox': onKilled } })).status(), { timeout: 60_000 }).toBe(200);
  const after = (await (await api.get('/sim/api/health', { headers: { 'X-Sim-Shard': '0' } })).json()) as Health;
  expect(after.instance.pid).not.toBe(before.instance.pid);
  expect(await mailTypesTo(api, 'default', inDefault)).toEqual(['welcome']);
  expect(await mailTypesTo(api, onKilled, inKilled)).toEqual(['welcome']);
  await page.goto(`http://${onKilled}.localhost:${PORT}/login`);
  await expect(page.getByTestId('login-submit')).toBeVisible();

  for (const id of [onKilled, onLive]) await api.delete(`/sim/api/sandboxes/${id}`);
  await api.dispose();
});
