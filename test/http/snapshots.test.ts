// Snapshots of a sandbox (issue 14): saved and restored whole (data, clock, outbox, sessions), kept
// per sandbox, across a restart, gone with the sandbox; and sandboxes with ids a script chose.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { cardId, signedInAs, submitWithReview } from '../helpers/actors';
import { FROZEN_REAL_NOW, TEST_SIM_TOKEN, createTestApp, temporaryDirectory, type TestApp } from '../helpers/test-app';

// Each test app builds its templates afresh in worker threads: a second or two apiece.
jest.setTimeout(60_000);

let t: TestApp;
afterEach(() => t.close());

const api = (app: TestApp, method: 'get' | 'post' | 'delete', url: string, sandbox?: string) => {
  const req = request(app.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
  return sandbox ? req.set('X-Sim-Sandbox', sandbox) : req;
};

const contextOf = (app: TestApp, id: string) => app.simulator.sandboxes.list().find((s) => s.id === id)!.context;
const cardState = (id: number) => t.context.db.get<{ state: string }>('SELECT state FROM cards WHERE id = ?', id)!.state;
const rows = (table: string) => t.context.db.all(`SELECT * FROM ${table} ORDER BY rowid`);

describe('a snapshot', () => {
  it('brings back data, outbox, sessions and clock as they were, whatever the portal and the API did meanwhile', async () => {
    let realNow = FROZEN_REAL_NOW;
    t = await createTestApp({ realNowMs: () => realNow });
    const baker = cardId(t, 'Ben Baker');
    const saved = (await api(t, 'post', '/sim/api/snapshots').send({ name: 'before-cancel' }).expect(201)).body.snapshot;
    expect(saved).toEqual({ name: 'before-cancel', simulatedAt: new Date(FROZEN_REAL_NOW).toISOString(), takenAt: new Date(FROZEN_REAL_NOW).toISOString() });
    const before = { cards: rows('cards'), transactions: rows('transactions'), outbox: rows('outbox_messages'), sessions: rows('sessions'), audit: rows('audit_events') };

    const primary = await signedInAs(t, 'globex.primary');
    expect((await submitWithReview(primary, `/cards/${baker}/cancel`, { reason: 'employee_left' })).status).toBe(303);
    await api(t, 'post', '/sim/api/clock').send({ advance: '5d' }).expect(200);
    expect(cardState(baker)).toBe('cancelled');
    await api(t, 'post', '/sim/api/enrollments').send({ company: 'Globex Corporation', firstName: 'Nia', lastName: 'New', email: 'nia@globex.example' }).expect(201);
    expect(rows('sessions').length).toBeGreaterThan(before.sessions.length);

    realNow += 60_000;
    const restored = await api(t, 'post', '/sim/api/reset').send({ snapshot: 'before-cancel' }).expect(200);
    expect(restored.body).toMatchObject({ scenario: 'default', snapshot: 'before-cancel' });
    expect({ cards: rows('cards'), transactions: rows('transactions'), outbox: rows('outbox_messages'), sessions: rows('sessions'), audit: rows('audit_events') })
      .toEqual(before);
    expect(cardState(baker)).toBe('active');
    expect((await api(t, 'get', '/sim/api/clock').expect(200)).body.now).toBe(saved.simulatedAt);
    // The PA's session was made after the snapshot: it is gone, and the card page asks to sign in.
    expect((await primary.get(`/cards/${baker}`)).status).toBe(302);
    realNow += 90_000;
    expect((await api(t, 'get', '/sim/api/clock').expect(200)).body.now).toBe(new Date(Date.parse(saved.simulatedAt) + 90_000).toISOString());
  });

  it('keeps a session that existed when it was taken, and the clock moved before it', async () => {
    t = await createTestApp();
    const primary = await signedInAs(t, 'globex.primary');
    const moved = (await api(t, 'post', '/sim/api/clock').send({ advance: '5m' }).expect(200)).body.now;
    await api(t, 'post', '/sim/api/snapshots').send({ name: 'signed-in' }).expect(201);
    await api(t, 'post', '/sim/api/reset').send({ scenario: 'default' }).expect(200);
    // Not asked for a page here: the cookie refused would be replaced by a new session's.
    expect(rows('sessions')).toEqual([]);
    await api(t, 'post', '/sim/api/reset').send({ snapshot: 'signed-in' }).expect(200);
    expect((await primary.get('/home')).status).toBe(200);
    expect((await api(t, 'get', '/sim/api/clock')).body.now).toBe(moved);
    // A reset to a scenario kept it, and saving the name again replaces it.
    await api(t, 'post', '/sim/api/snapshots').send({ name: 'signed-in' }).expect(201);
    expect((await api(t, 'get', '/sim/api/snapshots')).body.snapshots.map((s: { name: string }) => s.name)).toEqual(['signed-in']);
  });

  it('ends a long poll of the sandbox with 409 sandbox_reset when restored', async () => {
    t = await createTestApp();
    await api(t, 'post', '/sim/api/snapshots').send({ name: 'a' }).expect(201);
    const waiting = api(t, 'get', '/sim/api/outbox/wait?to=nobody@example.com&timeoutMs=20000');
    const polled = waiting.then((res) => res);
    while (t.context.outbox.events.listenerCount('sent') === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await api(t, 'post', '/sim/api/reset').send({ snapshot: 'a' }).expect(200);
    const res = await polled;
    expect([res.status, res.body.error.code]).toEqual([409, 'sandbox_reset']);
  });

  it('answers an unknown name with 404 unknown_snapshot, and a scenario with a snapshot with 400', async () => {
    t = await createTestApp();
    expect((await api(t, 'post', '/sim/api/reset').send({ snapshot: 'never-saved' }).expect(404)).body.error.code).toBe('unknown_snapshot');
    expect((await api(t, 'delete', '/sim/api/snapshots/never-saved').expect(404)).body.error.code).toBe('unknown_snapshot');
    expect((await api(t, 'delete', '/sim/api/snapshots/..').expect(404)).body.error.code).toBe('unknown_snapshot');
    const both = await api(t, 'post', '/sim/api/reset').send({ scenario: 'default', snapshot: 'x' }).expect(400);
    expect(Object.keys(both.body.error.fields)).toEqual(['snapshot']);
  });

  it('belongs to its sandbox: another sandbox neither lists nor restores it', async () => {
    t = await createTestApp();
    const { id } = (await api(t, 'post', '/sim/api/sandboxes').send({}).expect(201)).body;
    await api(t, 'post', '/sim/api/snapshots', id).send({ name: 'mine' }).expect(201);
    expect((await api(t, 'get', '/sim/api/snapshots', id)).body.snapshots.map((s: { name: string }) => s.name)).toEqual(['mine']);
    expect((await api(t, 'get', '/sim/api/snapshots')).body.snapshots).toEqual([]);
    expect((await api(t, 'post', '/sim/api/reset').send({ snapshot: 'mine' }).expect(404)).body.error.code).toBe('unknown_snapshot');
  });

  it('goes when its sandbox is deleted: a new sandbox with the same id has none', async () => {
    t = await createTestApp();
    await api(t, 'post', '/sim/api/sandboxes').send({ id: 'worker-7' }).expect(201);
    await api(t, 'post', '/sim/api/snapshots', 'worker-7').send({ name: 'kept' }).expect(201);
    const folder = path.join(t.context.config.dataDir, 'sandboxes', 'worker-7.snapshots');
    expect(fs.readdirSync(folder).sort()).toEqual(['kept.json', 'kept.sqlite']);
    await api(t, 'delete', '/sim/api/sandboxes/worker-7').expect(200);
    expect(fs.existsSync(folder)).toBe(false);
    await api(t, 'post', '/sim/api/sandboxes').send({ id: 'worker-7' }).expect(201);
    expect((await api(t, 'get', '/sim/api/snapshots', 'worker-7')).body.snapshots).toEqual([]);
  });

  it('survives a restart with its sandbox, and restores there', async () => {
    const data = temporaryDirectory();
    try {
      const first = await createTestApp({ dataDir: data.dir });
      await api(first, 'post', '/sim/api/sandboxes').send({ id: 'Restart-Me' }).expect(201);
      const card = (await api(first, 'get', '/sim/api/cards', 'restart-me')).body.cards[0].id as number;
      await api(first, 'post', '/sim/api/snapshots', 'restart-me').send({ name: 'clean' }).expect(201);
      await api(first, 'post', '/sim/api/charges', 'restart-me').send({ cardId: card, merchant: 'After', amountCents: 100 }).expect(201);
      first.close();

      t = await createTestApp({ dataDir: data.dir, scenario: 'none' });
      expect((await api(t, 'get', '/sim/api/snapshots', 'restart-me')).body.snapshots.map((s: { name: string }) => s.name)).toEqual(['clean']);
      const charges = () => contextOf(t, 'restart-me').db.get<{ n: number }>("SELECT count(*) AS n FROM charges WHERE merchant = 'After'")!.n;
      expect(charges()).toBe(1);
      await api(t, 'post', '/sim/api/reset', 'restart-me').send({ snapshot: 'clean' }).expect(200);
      expect(charges()).toBe(0);
    } finally {
      t.close();
      data.remove();
    }
  });

  it('keeps the event loop answering other sandboxes while a large-ish sandbox is copied', async () => {
    t = await createTestApp();
    const { id } = (await api(t, 'post', '/sim/api/sandboxes').send({}).expect(201)).body;
    const big = contextOf(t, id).db;
    big.exec('CREATE TABLE ballast (b BLOB)');
    big.exec('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 96) INSERT INTO ballast SELECT randomblob(1048576) FROM n');
    // The log a snapshot checkpoints is bounded by SQLite's auto-checkpoint in use; here it is made so.
    big.raw.pragma('wal_checkpoint(TRUNCATE)');

    let done = false;
    const saving = api(t, 'post', '/sim/api/snapshots', id).send({ name: 'big' }).then((res) => {
      done = true;
      return res;
    });
    let answered = 0;
    let longestMs = 0;
    while (!done) {
      const started = performance.now();
      await api(t, 'get', '/sim/api/health').expect(200);
      if (!done) answered += 1;
      longestMs = Math.max(longestMs, performance.now() - started);
    }
    expect((await saving).status).toBe(201);
    expect(answered).toBeGreaterThan(0);
    expect(longestMs).toBeLessThan(250);
    const copy = path.join(t.context.config.dataDir, 'sandboxes', `${id}.snapshots`, 'big.sqlite');
    expect(fs.statSync(copy).size).toBeGreaterThan(96 * 1048576);
  });
});

describe('a sandbox id a script chooses', () => {
  it('is taken in lower case and addressed by header and host; a second creation of it, even at once, is 409 sandbox_exists', async () => {
    t = await createTestApp();
    const answers = await Promise.all([0, 1, 2].map(() => api(t, 'post', '/sim/api/sandboxes').send({ id: 'QA-Worker-3' })));
    expect(answers.map((res) => res.status).sort()).toEqual([201, 409, 409]);
    expect(answers.filter((res) => res.status === 409).map((res) => res.body.error.code)).toEqual(['sandbox_exists', 'sandbox_exists']);
    const created = answers.find((res) => res.status === 201)!.body;
    expect(created).toMatchObject({ id: 'qa-worker-3', header: { 'X-Sim-Sandbox': 'qa-worker-3' } });
    expect((await request(t.app).get('/sim/api/health').set('Host', 'qa-worker-3.localhost:3000').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`)).body.sandbox)
      .toBe('qa-worker-3');
  });

  it('is never default, and follows the host rules', async () => {
    t = await createTestApp();
    for (const id of ['default', 'DEFAULT', 'ab', 'a'.repeat(41), '-lead', 'dots.no', 'под']) {
      const res = await api(t, 'post', '/sim/api/sandboxes').send({ id }).expect(400);
      expect([res.body.error.code, Object.keys(res.body.error.fields)]).toEqual(['invalid_input', ['id']]);
    }
  });
});
