import request from 'supertest';
import { persona, submitLogin } from '../helpers/actors';
import { csrfTokenFrom } from '../helpers/pages';
import { DAY_MS, FROZEN_REAL_NOW, TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp(); });
afterEach(() => t.close());

const authed = (req: request.Test) => req.set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);

describe('simulator API token', () => {
  const calls: Array<[string, string]> = [
    ['get', '/sim/api/health'], ['get', '/sim/api/personas'], ['post', '/sim/api/reset'],
    ['get', '/sim/api/clock'], ['post', '/sim/api/clock'], ['get', '/sim/api/outbox'], ['delete', '/sim/api/outbox'],
  ];

  it.each(calls)('%s %s refuses a missing token with 401', async (method, url) => {
    const res = await (request(t.app) as unknown as Record<string, (u: string) => request.Test>)[method]!(url);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it.each(['Bearer wrong-token', `Basic ${TEST_SIM_TOKEN}`, `Bearer ${TEST_SIM_TOKEN}x`, 'Bearer'])(
    'refuses the header %j', async (header) => {
      const res = await request(t.app).get('/sim/api/personas').set('Authorization', header);
      expect(res.status).toBe(401);
    });
});

describe('GET /sim/api/health', () => {
  it('answers { ok, version, now, sandbox, instance }', async () => {
    const res = await authed(request(t.app).get('/sim/api/health')).expect(200);
    expect(res.body).toEqual({
      ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/), now: new Date(FROZEN_REAL_NOW).toISOString(), sandbox: 'default',
      instance: { name: expect.stringMatching(/^.+:\d+$/), shard: 0, shards: 1, pid: process.pid },
    });
  });
});

describe('GET /sim/api/personas', () => {
  it('lists every seeded person of the default scenario in the state PRODUCT.md gives them', async () => {
    const res = await authed(request(t.app).get('/sim/api/personas')).expect(200);
    const byId = Object.fromEntries(res.body.personas.map((p: { userId: string; state: string }) => [p.userId, p]));
    expect(Object.keys(byId).sort()).toEqual([
      'agent.ava', 'globex.access', 'globex.approver', 'globex.canceller', 'globex.inactive', 'globex.locked', 'globex.nophone', 'globex.pending', 'globex.primary',
      'globex.suspended', 'globex.twostep', 'globex.viewer', 'globex.westmgr', 'initech.maker', 'initech.primary', 'super.sam',
    ]);
    expect(byId['globex.primary']).toEqual({
      userId: 'globex.primary', password: expect.any(String), passwordChangedAt: null, email: 'hank.scorpio@globex.example', phone: '+15555550101', twoStep: null,
      verificationPin: expect.stringMatching(/^\d{4}$/), verificationWord: expect.any(String), accessCode: null,
      role: 'program_administrator', primary: true, company: 'Globex Corporation', state: 'active',
      permissions: [
        'access.manage', 'cards.apply', 'cards.approve', 'cards.cancel', 'cards.limits', 'cards.replace', 'cards.view', 'charges.dispute',
        'reports.view', 'statements.view', 'transactions.view_all',
      ],
      scope: null,
    });
    expect(byId['globex.westmgr']).toMatchObject({ state: 'active', primary: false, scope: ['GLX-W'] });
    expect(byId['globex.access']).toMatchObject({ state: 'active', primary: false, scope: null, permissions: expect.arrayContaining(['access.manage']) });
    expect(byId['globex.viewer'].permissions).toEqual(['cards.view', 'statements.view']);
    expect(byId['globex.canceller'].permissions).toContain('cards.cancel');
    expect(byId['globex.inactive'].state).toBe('inactive');
    expect(byId['globex.locked'].state).toBe('locked');
    expect(byId['globex.suspended'].state).toBe('suspended');
    expect(byId['globex.pending']).toMatchObject({ state: 'pending', accessCode: 'GPND-7K3M-Q9RT' });
    expect(byId['initech.primary']).toMatchObject({ company: 'Initech LLC', primary: true });
    expect(byId['agent.ava']).toMatchObject({ role: 'agent', state: 'active' });
    expect(byId['super.sam']).toMatchObject({ role: 'supervisor', state: 'active' });
  });

  const personaNamed = async (userId: string) => {
    const res = await authed(request(t.app).get('/sim/api/personas')).expect(200);
    return res.body.personas.find((p: { userId: string }) => p.userId === userId);
  };

  it('reports the password set by a reset through the portal, and it signs the persona in', async () => {
    const viewer = persona('globex.viewer');
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/forgot-password');
    await agent.post('/forgot-password').type('form').send({ _csrf: token, userId: 'globex.viewer', email: viewer.email }).expect(200);
    const link = new URL(String(t.context.outbox.list({ type: 'password_reset' }).at(-1)!.data.resetUrl)).pathname;
    const form = await csrfTokenFrom(agent, link);
    await agent.post(link).type('form').send({ _csrf: form, password: 'Brand-New-Window-77', confirmPassword: 'Brand-New-Window-77' }).expect(303);

    const listed = await personaNamed('globex.viewer');
    expect(listed).toMatchObject({ userId: 'globex.viewer', password: 'Brand-New-Window-77', passwordChangedAt: t.context.clock.now().toISOString(), state: 'active' });
    expect((await submitLogin(request.agent(t.app), listed.userId, listed.password)).status).toBe(303);
    expect((await submitLogin(request.agent(t.app), 'globex.viewer', viewer.password)).status).toBe(401);
  });

  it('reports the user ID and password globex.pending chose at first login, and they sign it in', async () => {
    const pending = persona('globex.pending');
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/register');
    await agent.post('/register').type('form').send({
      _csrf: token, verificationPin: pending.verificationPin, verificationWord: pending.verificationWord, accessCode: pending.accessCode,
      userId: 'penny.chosen', password: 'Other-Lighthouse-42', confirmPassword: 'Other-Lighthouse-42',
    }).expect(303);

    expect(await personaNamed('globex.pending')).toBeUndefined();
    const listed = await personaNamed('penny.chosen');
    expect(listed).toMatchObject({ userId: 'penny.chosen', password: 'Other-Lighthouse-42', passwordChangedAt: expect.any(String), state: 'active', accessCode: null });
    expect((await submitLogin(request.agent(t.app), listed.userId, listed.password)).status).toBe(303);
  });

  it('keeps no password of a PA who is not a persona', async () => {
    const enrolled = await authed(request(t.app).post('/sim/api/enrollments')).send({
      company: 'Globex Corporation', firstName: 'Nora', lastName: 'Newman', email: 'nora.newman@globex.example',
    }).expect(201);
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/register');
    await agent.post('/register').type('form').send({
      _csrf: token, verificationPin: enrolled.body.verificationPin, verificationWord: enrolled.body.verificationWord, accessCode: enrolled.body.accessCode,
      userId: 'nora.newman', password: 'Other-Lighthouse-42', confirmPassword: 'Other-Lighthouse-42',
    }).expect(303);
    expect(t.context.db.all('SELECT * FROM persona_passwords')).toEqual([]);
  });

  it('stores passwords, PINs and words only as bcrypt hashes', () => {
    const rows = t.context.db.all<{ password_hash: string | null; pin_hash: string; word_hash: string }>(
      'SELECT password_hash, pin_hash, word_hash FROM program_administrators');
    for (const row of rows) {
      for (const hash of [row.pin_hash, row.word_hash, ...(row.password_hash ? [row.password_hash] : [])]) {
        expect(hash).toMatch(/^\$2[aby]\$\d\d\$/);
      }
    }
  });
});

describe('POST /sim/api/reset', () => {
  it('restores the default scenario: data, clock, outbox and sessions', async () => {
    t.context.db.run("UPDATE program_administrators SET state = 'locked' WHERE user_id = 'globex.primary'");
    t.context.clock.advanceBy(10 * DAY_MS);
    t.context.outbox.send({ to: 'a@b.example', subject: 's', text: 't', html: '<p>t</p>', type: 'test' });
    t.context.db.run("INSERT INTO sessions (sid, user_key, expires_at, data) VALUES ('x', 'pa:1', 9e15, '{}')");

    const res = await authed(request(t.app).post('/sim/api/reset')).send({ scenario: 'default' }).expect(200);

    expect(res.body.scenario).toBe('default');
    expect(res.body.personas).toHaveLength(16);
    expect(res.body.personas.find((p: { userId: string }) => p.userId === 'globex.primary').state).toBe('active');
    expect(t.context.clock.nowMs()).toBe(FROZEN_REAL_NOW);
    // Only the scenario's own mail is left: the pending persona's Welcome e-mail and the pending invitation to apply for a card.
    expect(t.context.outbox.list().map((m) => [m.to, m.type])).toEqual([['penny.newman@globex.example', 'welcome'], ['paula.prospect@globex.example', 'application_invitation']]);
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM sessions')!.n).toBe(0);
  });

  it('leaves the kept card counts equal to the cards, through changes and resets', async () => {
    const kept = () => t.context.db.all('SELECT company_id, state, n FROM card_state_counts WHERE n > 0 ORDER BY company_id, state');
    const counted = () => t.context.db.all('SELECT company_id, state, count(*) AS n FROM cards GROUP BY company_id, state ORDER BY company_id, state');
    const before = counted();
    expect(kept()).toEqual(before);
    t.context.db.run("UPDATE cards SET state = 'suspended' WHERE state = 'active'");
    t.context.db.run("DELETE FROM cards WHERE state = 'cancelled' AND id NOT IN (SELECT card_id FROM transactions WHERE card_id IS NOT NULL) AND id NOT IN (SELECT card_id FROM charges) AND id NOT IN (SELECT replaces_card_id FROM cards WHERE replaces_card_id IS NOT NULL)");
    expect(kept()).toEqual(counted());
    await authed(request(t.app).post('/sim/api/reset')).send({ scenario: 'empty' }).expect(200);
    expect(kept()).toEqual([]);
    await authed(request(t.app).post('/sim/api/reset')).send({ scenario: 'default' }).expect(200);
    expect(kept()).toEqual(before);
  });

  it('defaults to the default scenario and can empty the sandbox', async () => {
    await authed(request(t.app).post('/sim/api/reset')).send({ scenario: 'empty' }).expect(200);
    const empty = await authed(request(t.app).get('/sim/api/personas')).expect(200);
    expect(empty.body.personas).toEqual([]);
    const back = await authed(request(t.app).post('/sim/api/reset')).send({}).expect(200);
    expect(back.body.scenario).toBe('default');
  });

  it.each([
    [{ scenario: 'nope' }, 'unknown_scenario'],
    [{ scenario: 42 }, 'invalid_input'],
    [{ seed: 'x' }, 'invalid_input'],
    [{ extra: true }, 'invalid_input'],
    [[1, 2], 'invalid_input'],
  ])('refuses %j with 400 %s', async (body, code) => {
    const res = await authed(request(t.app).post('/sim/api/reset')).send(body as object);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
  });
});

describe('the clock API', () => {
  it('reads the simulated now', async () => {
    const res = await authed(request(t.app).get('/sim/api/clock')).expect(200);
    expect(res.body).toEqual({ now: new Date(FROZEN_REAL_NOW).toISOString() });
  });

  it.each([
    ['121d', 121 * DAY_MS],
    ['90m', 90 * 60_000],
    ['P1DT2H', 26 * 3_600_000],
  ])('advances by %s', async (advance, ms) => {
    const res = await authed(request(t.app).post('/sim/api/clock')).send({ advance }).expect(200);
    expect(res.body.now).toBe(new Date(FROZEN_REAL_NOW + ms).toISOString());
    expect(t.context.clock.nowMs()).toBe(FROZEN_REAL_NOW + ms);
  });

  it('sets a later instant', async () => {
    const res = await authed(request(t.app).post('/sim/api/clock')).send({ set: '2026-07-01T08:30:00Z' }).expect(200);
    expect(res.body.now).toBe('2026-07-01T08:30:00.000Z');
  });

  it.each([
    [{ set: '2020-01-01T00:00:00Z' }, 'clock_backwards'],
    [{ advance: '200000000d' }, 'clock_out_of_range'],
    [{ advance: 'soon' }, 'invalid_input'],
    [{ advance: '' }, 'invalid_input'],
    [{ set: 'yesterday' }, 'invalid_input'],
    [{ advance: '1d', set: '2030-01-01T00:00:00Z' }, 'invalid_input'],
    [{}, 'invalid_input'],
  ])('refuses %j with 400 %s and leaves the clock alone', async (body, code) => {
    const res = await authed(request(t.app).post('/sim/api/clock')).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(t.context.clock.nowMs()).toBe(FROZEN_REAL_NOW);
  });
});

describe('request bodies', () => {
  it('must be JSON: a form is refused with 415 rather than ignored', async () => {
    t.context.db.run("UPDATE program_administrators SET state = 'locked' WHERE user_id = 'globex.primary'");
    const res = await authed(request(t.app).post('/sim/api/reset')).type('form').send({ scenario: 'empty' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(t.context.db.get("SELECT state FROM program_administrators WHERE user_id = 'globex.primary'")).toEqual({ state: 'locked' });
  });
});

describe('GET /sim/api/outbox', () => {
  beforeEach(() => t.context.outbox.clear());

  it('lists captured e-mails in the documented shape, filtered by recipient and type', async () => {
    t.context.outbox.send({ to: 'pat@globex.example', subject: 'Welcome', text: 'code ABC', html: '<p>code ABC</p>', type: 'welcome', data: { accessCode: 'ABC' } });
    t.context.outbox.send({ to: 'lee@globex.example', subject: 'Reset', text: 'link', html: '<p>link</p>', type: 'password_reset' });

    const all = await authed(request(t.app).get('/sim/api/outbox')).expect(200);
    expect(all.body.messages).toHaveLength(2);
    expect(all.body.messages[0]).toEqual({
      id: expect.any(Number), to: 'pat@globex.example', subject: 'Welcome', text: 'code ABC', html: '<p>code ABC</p>',
      type: 'welcome', data: { accessCode: 'ABC' }, sentAt: new Date(FROZEN_REAL_NOW).toISOString(),
    });

    const toPat = await authed(request(t.app).get('/sim/api/outbox').query({ to: 'PAT@globex.example' })).expect(200);
    expect(toPat.body.messages.map((m: { subject: string }) => m.subject)).toEqual(['Welcome']);
    const resets = await authed(request(t.app).get('/sim/api/outbox').query({ type: 'password_reset' })).expect(200);
    expect(resets.body.messages.map((m: { to: string }) => m.to)).toEqual(['lee@globex.example']);
  });

  it('clears the outbox', async () => {
    t.context.outbox.send({ to: 'pat@globex.example', subject: 'Hi', text: 't', html: '<p>t</p>', type: 'test' });
    const res = await authed(request(t.app).delete('/sim/api/outbox')).expect(200);
    expect(res.body).toEqual({ deleted: 1 });
    expect(t.context.outbox.list()).toEqual([]);
  });

  it('refuses a repeated query parameter with 400', async () => {
    const res = await authed(request(t.app).get('/sim/api/outbox?to=a@b.example&to=c@d.example'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
  });
});
