// The life of a sandbox (issue 12): made, reset, deleted under running requests, kept across a
// restart, and leaving nothing behind when it goes.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { MemoryStore } from 'express-rate-limit';
import request from 'supertest';
import { FROZEN_REAL_NOW, MINUTE_MS, TEST_SIM_TOKEN, createTestApp, temporaryDirectory, type TestApp } from '../helpers/test-app';

// Each test app builds its templates afresh in worker threads: a second or two apiece.
jest.setTimeout(60_000);

let t: TestApp;
afterEach(() => t.close());

const api = (app: TestApp, method: 'get' | 'post' | 'delete', url: string, sandbox?: string) => {
  const req = request(app.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
  return sandbox ? req.set('X-Sim-Sandbox', sandbox) : req;
};

/** Resolves once `ready()` holds: the request under test has reached the point the test needs. */
async function until(ready: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await ready())) await new Promise((resolve) => setTimeout(resolve, 10));
}

const faultHit = (app: TestApp, sandbox: string) => async () =>
  (await api(app, 'get', '/sim/api/faults', sandbox)).body.faults.some((fault: { hits: number }) => fault.hits > 0);

const pollWaiting = (app: TestApp, sandbox: string) => () =>
  app.simulator.sandboxes.list().find((s) => s.id === sandbox)!.context.outbox.events.listenerCount('sent') > 0;

const firstCardId = async (app: TestApp, sandbox: string) => (await api(app, 'get', '/sim/api/cards', sandbox).expect(200)).body.cards[0].id as number;

describe('creating sandboxes', () => {
  it('never opens more than MAX_SANDBOXES, however many creations run at once while the template is built', async () => {
    t = await createTestApp({ env: { MAX_SANDBOXES: '3' } });
    const answers = await Promise.all(Array.from({ length: 12 }, () => api(t, 'post', '/sim/api/sandboxes').send({ scenario: 'default' })));
    expect(answers.filter((res) => res.status === 201)).toHaveLength(3);
    expect(answers.filter((res) => res.status === 429).map((res) => res.body.error.code)).toEqual(Array(9).fill('too_many_sandboxes'));
    expect(t.simulator.sandboxes.list()).toHaveLength(4);
  });

  it('starts a sandbox at the scenario epoch whatever the real time of its creation, and runs on from there', async () => {
    let realNow = Date.parse('2027-07-14T23:41:07.123Z');
    t = await createTestApp({ realNowMs: () => realNow, env: { SCENARIO_EPOCH: '2026-01-05T14:00:00.000Z' } });
    const created = (await api(t, 'post', '/sim/api/sandboxes').send({}).expect(201)).body;
    expect(created.now).toBe('2026-01-05T14:00:00.000Z');
    realNow += 90_000;
    expect((await api(t, 'get', '/sim/api/clock', created.id)).body.now).toBe('2026-01-05T14:01:30.000Z');
  });

  it('resets to identical data and times, twice over', async () => {
    t = await createTestApp();
    // One Host for every read: e-mail links are written for the host that reads them, and each
    // supertest request is served on a port of its own.
    const read = async (path: string) => (await api(t, 'get', path).set('Host', '127.0.0.1:3000')).body;
    const snapshot = async () => ({
      clock: (await read('/sim/api/clock')).now,
      personas: (await read('/sim/api/personas')).personas,
      cards: (await read('/sim/api/cards')).cards,
      outbox: (await read('/sim/api/outbox')).messages,
    });
    await api(t, 'post', '/sim/api/reset').send({ scenario: 'default' }).expect(200);
    const first = await snapshot();
    await api(t, 'post', '/sim/api/clock').send({ advance: '3d' }).expect(200);
    await api(t, 'post', '/sim/api/charges').send({ cardId: first.cards[0].id, merchant: 'Diner', amountCents: 1200 }).expect(201);
    await api(t, 'post', '/sim/api/reset').send({ scenario: 'default' }).expect(200);
    expect(await snapshot()).toEqual(first);
    expect(first.clock).toBe(new Date(FROZEN_REAL_NOW).toISOString());
  });
});

describe('deleting a sandbox', () => {
  it('answers a sign-in still running in it with a clean 4xx, never a 500', async () => {
    t = await createTestApp();
    const { id } = (await api(t, 'post', '/sim/api/sandboxes').send({}).expect(201)).body;
    const agent = request.agent(t.app);
    const login = await agent.get('/login').set('X-Sim-Sandbox', id).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
    await api(t, 'post', '/sim/api/faults', id).send({ pattern: '/login', method: 'POST', latencyMs: 300 }).expect(201);
    const running = agent.post('/login').set('X-Sim-Sandbox', id).type('form')
      .send({ _csrf: csrf, userId: 'globex.primary', password: 'wrong-password' }).then((res) => res);
    await until(faultHit(t, id));
    await api(t, 'delete', `/sim/api/sandboxes/${id}`).expect(200);
    const res = await running;
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/data-testid="error-message"/);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers a page still rendering in it with a clean 404 page', async () => {
    t = await createTestApp();
    const { id } = (await api(t, 'post', '/sim/api/sandboxes').send({}).expect(201)).body;
    await api(t, 'post', '/sim/api/faults', id).send({ pattern: '/login', latencyMs: 300 }).expect(201);
    const running = request(t.app).get('/login').set('X-Sim-Sandbox', id).then((res) => res);
    await until(faultHit(t, id));
    await api(t, 'delete', `/sim/api/sandboxes/${id}`).expect(200);
    const res = await running;
    expect(res.status).toBe(404);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('ends a long poll in it at once with 404 unknown_sandbox', async () => {
    t = await createTestApp();
    const { id } = (await api(t, 'post', '/sim/api/sandboxes').send({}).expect(201)).body;
    const started = Date.now();
    const waiting = api(t, 'get', '/sim/api/outbox/wait?to=nobody@example.com&timeoutMs=20000', id).then((res) => res);
    await until(pollWaiting(t, id));
    await api(t, 'delete', `/sim/api/sandboxes/${id}`).expect(200);
    const res = await waiting;
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('unknown_sandbox');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('while a reset of it runs answers the reset 404 unknown_sandbox, never 500', async () => {
    t = await createTestApp();
    const { id } = (await api(t, 'post', '/sim/api/sandboxes').send({}).expect(201)).body;
    // The `empty` template is not built yet: the reset is still waiting for it when the delete comes.
    const resetting = api(t, 'post', '/sim/api/reset', id).send({ scenario: 'empty' }).then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await api(t, 'delete', `/sim/api/sandboxes/${id}`).expect(200);
    const res = await resetting;
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('unknown_sandbox');
    expect(fs.readdirSync(path.join(t.context.config.dataDir, 'sandboxes')).filter((file) => file.startsWith(id))).toEqual([]);
  });

  it('ends a long poll of the sandbox it resets, and serves the reset data to the next one', async () => {
    t = await createTestApp();
    const waiting = api(t, 'get', '/sim/api/outbox/wait?to=nobody@example.com&timeoutMs=20000').then((res) => res);
    await until(pollWaiting(t, 'default'));
    await api(t, 'post', '/sim/api/reset').send({ scenario: 'empty' }).expect(200);
    const res = await waiting;
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('sandbox_reset');
    await api(t, 'get', '/sim/api/outbox/wait?to=nobody@example.com&timeoutMs=10').expect(408);
  });

  it('leaves no timers or handles behind after many create/delete cycles', async () => {
    // Unreferenced intervals keep no process alive, so getActiveResourcesInfo() cannot see them: count them here.
    const liveIntervals = new Set<unknown>();
    const { setInterval: realSetInterval, clearInterval: realClearInterval } = global;
    jest.spyOn(global, 'setInterval').mockImplementation(((...args: Parameters<typeof setInterval>) => {
      const interval = realSetInterval(...args);
      liveIntervals.add(interval);
      return interval;
    }) as typeof setInterval);
    jest.spyOn(global, 'clearInterval').mockImplementation((interval) => {
      liveIntervals.delete(interval);
      realClearInterval(interval);
    });
    try {
      t = await createTestApp({ env: { MAX_SANDBOXES: '5' } });
      const cycle = async () => {
        const { id } = (await api(t, 'post', '/sim/api/sandboxes').send({ scenario: 'empty' }).expect(201)).body;
        await request(t.app).get('/login').set('X-Sim-Sandbox', id).expect(200);
        await api(t, 'delete', `/sim/api/sandboxes/${id}`).expect(200);
      };
      await cycle();
      const intervals = liveIntervals.size;
      const resources = process.getActiveResourcesInfo().length;
      for (let i = 0; i < 20; i += 1) await cycle();
      expect(liveIntervals.size).toBe(intervals);
      // A file operation of the last delete may still be on the thread pool for a moment: what
      // counts is that nothing stays, so give in-flight work up to a second to finish.
      const settleBy = Date.now() + 1_000;
      while (process.getActiveResourcesInfo().length > resources && Date.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(process.getActiveResourcesInfo().length).toBeLessThanOrEqual(resources);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('lets the garbage collector take everything a deleted sandbox held', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const stores: Array<WeakRef<MemoryStore>> = [];
    // Patched by hand: a jest mock would itself keep every store it saw.
    const init = MemoryStore.prototype.init;
    MemoryStore.prototype.init = function (this: MemoryStore, options) {
      stores.push(new WeakRef(this));
      init.call(this, options);
    };
    try {
      t = await createTestApp();
      const ofDefault = stores.length;
      const { id } = (await api(t, 'post', '/sim/api/sandboxes').send({ scenario: 'empty' }).expect(201)).body;
      const context = new WeakRef(t.simulator.sandboxes.list().find((s) => s.id === id)!.context);
      await request(t.app).get('/login').set('X-Sim-Sandbox', id).expect(200);
      await api(t, 'delete', `/sim/api/sandboxes/${id}`).expect(200);
      expect(stores.length).toBeGreaterThan(ofDefault);
      // Sockets and timers of the finished requests let go over the next turns of the event loop.
      for (let i = 0; i < 3; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        gc();
      }
      expect(stores.slice(ofDefault).filter((store) => store.deref() !== undefined)).toHaveLength(0);
      expect(context.deref()).toBeUndefined();
    } finally {
      MemoryStore.prototype.init = init;
    }
  });
});

describe('a restart', () => {
  it('keeps every sandbox with its data, and closes those idle past SANDBOX_IDLE_MINUTES', async () => {
    const data = temporaryDirectory();
    try {
      let realNow = FROZEN_REAL_NOW;
      const first = await createTestApp({ dataDir: data.dir, realNowMs: () => realNow, env: { SANDBOX_IDLE_MINUTES: '30' } });
      const kept = (await api(first, 'post', '/sim/api/sandboxes').send({}).expect(201)).body.id as string;
      const idle = (await api(first, 'post', '/sim/api/sandboxes').send({}).expect(201)).body.id as string;
      const charge = (await api(first, 'post', '/sim/api/charges', kept).send({ cardId: await firstCardId(first, kept), merchant: 'Kept', amountCents: 4200 }).expect(201)).body.charge;
      realNow += 20 * MINUTE_MS;
      await api(first, 'get', '/sim/api/health', kept).expect(200);
      first.close();

      realNow += 15 * MINUTE_MS;
      t = await createTestApp({ dataDir: data.dir, scenario: 'none', realNowMs: () => realNow, env: { SANDBOX_IDLE_MINUTES: '30' } });
      const ids = (await api(t, 'get', '/sim/api/sandboxes')).body.sandboxes.map((s: { id: string }) => s.id);
      expect(ids).toEqual(['default', kept]);
      const db = t.simulator.sandboxes.list().find((s) => s.id === kept)!.context.db;
      expect(db.get<{ merchant: string }>('SELECT merchant FROM charges WHERE id = ?', charge.id)?.merchant).toBe('Kept');
      expect(fs.readdirSync(path.join(data.dir, 'sandboxes')).filter((file) => file.startsWith(idle))).toEqual([]);
    } finally {
      t.close();
      data.remove();
    }
  });

  it('reuses the scenario templates it built, and keeps at most TEMPLATE_CACHE_SIZE of them', async () => {
    const data = temporaryDirectory();
    try {
      const env = { TEMPLATE_CACHE_SIZE: '2' };
      const first = await createTestApp({ dataDir: data.dir, env });
      for (const seed of [1, 2, 3]) await api(first, 'post', '/sim/api/reset').send({ scenario: 'empty', seed }).expect(200);
      const templates = () => fs.readdirSync(path.join(data.dir, 'templates')).sort();
      expect(templates()).toEqual([expect.stringMatching(/^empty-2-[0-9a-f]+\.sqlite$/), expect.stringMatching(/^empty-3-[0-9a-f]+\.sqlite$/)]);
      const inode = fs.statSync(path.join(data.dir, 'templates', templates()[1]!)).ino;
      first.close();

      t = await createTestApp({ dataDir: data.dir, scenario: 'none', env });
      await api(t, 'post', '/sim/api/reset').send({ scenario: 'empty', seed: 3 }).expect(200);
      expect(fs.statSync(path.join(data.dir, 'templates', templates()[1]!)).ino).toBe(inode);
    } finally {
      t.close();
      data.remove();
    }
  });
});
