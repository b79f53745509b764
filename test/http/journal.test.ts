import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { cardId, paId, persona, signedInAs, submitLogin, submitWithReview, trackingNumberFrom } from '../helpers/actors';
import { FROZEN_REAL_NOW, TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const api = (method: 'get' | 'post' | 'delete', url: string, sandbox?: string) => {
  const req = request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
  return sandbox ? req.set('X-Sim-Sandbox', sandbox) : req;
};

interface Event { id: number; at: string; type: string; actor: string; actorUserId: string | null; subject: string | null; subjectUserId: string | null; data: Record<string, unknown> }

/** Every type the tests saw recorded: the reference must document each. */
const typesSeen = new Set<string>();

async function events(query = ''): Promise<Event[]> {
  const answered: Event[] = (await api('get', `/sim/api/events${query}`).expect(200)).body.events;
  for (const event of answered) typesSeen.add(event.type);
  return answered;
}

afterAll(() => {
  const reference = fs.readFileSync(path.join(__dirname, '../../docs/reference.md'), 'utf8');
  const undocumented = [...typesSeen].filter((type) => !reference.includes(`\`${type}\``));
  expect(typesSeen.size).toBeGreaterThan(8);
  expect(undocumented).toEqual([]);
});

async function until(ready: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await ready())) await new Promise((resolve) => setTimeout(resolve, 10));
}

const waiting = (context = t.context) => () => (context.journal as unknown as { events: { listenerCount(name: string): number } }).events.listenerCount('changed') > 0;

describe('GET /sim/api/events', () => {
  it('starts empty in a freshly loaded scenario, though loading it sent e-mails and moved requests along', async () => {
    expect(t.context.outbox.list().length).toBeGreaterThan(0);
    const res = await api('get', '/sim/api/events').expect(200);
    expect(res.body).toEqual({ events: [], lastId: 0 });
  });

  it('records sign-ins, failures and a lockout in order, with the actor\'s and subject\'s user IDs', async () => {
    const viewer = persona('globex.viewer');
    const id = paId(t, 'globex.viewer');
    await submitLogin(request.agent(t.app), 'globex.viewer', viewer.password);
    for (let i = 0; i < 5; i += 1) await submitLogin(request.agent(t.app), 'globex.viewer', 'Wrong-Password-1');
    const all = await events();
    expect(all.map((e) => e.type)).toEqual(['login.success', ...Array(5).fill('login.failure'), 'account.locked']);
    expect(all.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all[0]).toEqual({
      id: 1, at: new Date(FROZEN_REAL_NOW).toISOString(), type: 'login.success', actor: `pa:${id}`, actorUserId: 'globex.viewer',
      subject: `pa:${id}`, subjectUserId: 'globex.viewer', data: {},
    });
    expect(all[1]).toMatchObject({ actor: 'anonymous', actorUserId: null, subject: `pa:${id}`, subjectUserId: 'globex.viewer', data: { userId: 'globex.viewer', reason: 'wrong_password' } });
    expect(all[6]).toMatchObject({ type: 'account.locked', subject: `pa:${id}` });
  });

  it('records a request\'s submission, an e-mail, a clock move and the status changes that fell due, in order', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const submitted = await submitWithReview(primary, `/cards/${cardId(t, 'Ben Baker')}/cancel`, { reason: 'employee_left' });
    const trackingNumber = trackingNumberFrom(submitted.headers.location);
    // No phone on file, so the fraud alert's notice is the e-mail alone (a text is journalled too otherwise).
    t.context.db.run("UPDATE program_administrators SET phone = NULL WHERE persona_key = 'globex.viewer'");
    await api('post', '/sim/api/fraud-alerts').send({ userId: 'globex.viewer' }).expect(200);
    await api('post', '/sim/api/clock').send({ advance: '30d' }).expect(200);
    const all = await events();
    const types = all.map((e) => e.type);
    expect(types.slice(0, 5)).toEqual(['login.success', 'transaction.submitted', 'simulator.fraud_alert', 'email.sent', 'clock.moved']);
    const primaryRef = `pa:${paId(t, 'globex.primary')}`;
    expect(all[1]).toMatchObject({
      actor: primaryRef, actorUserId: 'globex.primary', subject: `transaction:${trackingNumber}`,
      data: { trackingNumber, transactionType: 'card_cancel', status: 'submitted', note: null },
    });
    expect(all[2]).toMatchObject({ actor: 'simulator', subject: `pa:${paId(t, 'globex.viewer')}`, subjectUserId: 'globex.viewer' });
    expect(all[3]).toMatchObject({ actor: 'system', subject: `email:${persona('globex.viewer').email}`, data: { emailType: 'fraud_alert', to: persona('globex.viewer').email } });
    expect(all[4]).toMatchObject({ actor: 'simulator', subject: null, data: { from: new Date(FROZEN_REAL_NOW).toISOString(), to: new Date(FROZEN_REAL_NOW + 30 * 86_400_000).toISOString() } });
    const mine = all.filter((e) => e.subject === `transaction:${trackingNumber}`).map((e) => [e.type, e.actor]);
    expect(mine).toEqual([['transaction.submitted', primaryRef], ['transaction.in_progress', 'system'], ['transaction.completed', 'system']]);
    expect(all.map((e) => e.id)).toEqual(all.map((_e, i) => i + 1));
  });

  it('records a fault each time it fires', async () => {
    const { fault } = (await api('post', '/sim/api/faults').send({ pattern: '/login', status: 503, times: 1 }).expect(201)).body;
    await request(t.app).get('/login').expect(503);
    expect(await events()).toEqual([expect.objectContaining({
      type: 'fault.fired', actor: 'simulator', subject: `fault:${fault.id}`,
      data: { faultId: fault.id, pattern: '/login', method: 'GET', path: '/login', status: 503, latencyMs: null },
    })]);
  });

  it('records help-desk actions with the staff ID beside the staff reference', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/helpdesk/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await agent.post('/helpdesk/login').type('form').send({ _csrf: token, staffId: 'agent.ava', password: 'Headset-Queue-2026' }).expect(303);
    const [signIn] = await events('?type=staff.*');
    expect(signIn).toMatchObject({ type: 'staff.login.success', actor: expect.stringMatching(/^staff:\d+$/), actorUserId: 'agent.ava' });
  });

  it('filters by exact type, type prefix, actor, subject and since, together', async () => {
    await submitLogin(request.agent(t.app), 'globex.primary', persona('globex.primary').password);
    await submitLogin(request.agent(t.app), 'globex.viewer', 'Wrong-Password-1');
    await submitLogin(request.agent(t.app), 'globex.viewer', persona('globex.viewer').password);
    const viewer = `pa:${paId(t, 'globex.viewer')}`;
    expect((await events('?type=login.success')).map((e) => e.id)).toEqual([1, 3]);
    expect((await events('?type=login.*')).map((e) => e.id)).toEqual([1, 2, 3]);
    expect((await events('?type=login')).map((e) => e.id)).toEqual([]);
    expect((await events('?actor=anonymous')).map((e) => e.id)).toEqual([2]);
    expect((await events(`?subject=${viewer}`)).map((e) => e.id)).toEqual([2, 3]);
    expect((await events(`?subject=${viewer}&type=login.success`)).map((e) => e.id)).toEqual([3]);
    expect((await events('?since=1')).map((e) => e.id)).toEqual([2, 3]);
    const now = await api('get', '/sim/api/events?since=now').expect(200);
    expect(now.body).toEqual({ events: [], lastId: 3 });
  });

  it.each([
    ['?type=Login', 'type'], ['?type=login*x', 'type'], [`?type=${'a'.repeat(65)}`, 'type'], ['?since=-1', 'since'], ['?since=soon', 'since'],
    [`?actor=${'a'.repeat(65)}`, 'actor'], ['?subject=', 'subject'],
  ])('refuses %s with 400 invalid_input naming the field', async (query, field) => {
    const res = await api('get', `/sim/api/events${query}`).expect(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(Object.keys(res.body.error.fields)).toEqual([field]);
  });
});

describe('GET /sim/api/events/wait', () => {
  it('answers at once with the first matching event already recorded', async () => {
    await submitLogin(request.agent(t.app), 'globex.primary', persona('globex.primary').password);
    const res = await api('get', '/sim/api/events/wait?type=login.*&timeoutMs=0').expect(200);
    expect(res.body.event).toMatchObject({ id: 1, type: 'login.success' });
  });

  it('answers as soon as a matching event is recorded, and not for one that does not match', async () => {
    const started = Date.now();
    const answer = api('get', '/sim/api/events/wait?type=login.success&since=now&timeoutMs=20000').then((res) => res);
    await until(waiting());
    await submitLogin(request.agent(t.app), 'globex.viewer', 'Wrong-Password-1');
    await submitLogin(request.agent(t.app), 'globex.viewer', persona('globex.viewer').password);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body.event).toMatchObject({ id: 2, type: 'login.success', actorUserId: 'globex.viewer' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers with the first event after `since`, not one before it', async () => {
    await submitLogin(request.agent(t.app), 'globex.primary', persona('globex.primary').password);
    const answer = api('get', '/sim/api/events/wait?type=login.success&since=1&timeoutMs=20000').then((res) => res);
    await until(waiting());
    await api('post', '/sim/api/clock').send({ advance: '1m' }).expect(200);
    await submitLogin(request.agent(t.app), 'globex.viewer', persona('globex.viewer').password);
    expect((await answer).body.event).toMatchObject({ id: 3, type: 'login.success' });
  });

  it('times out with 408 timeout', async () => {
    const res = await api('get', '/sim/api/events/wait?type=login.success&timeoutMs=50').expect(408);
    expect(res.body.error.code).toBe('timeout');
  });

  it('ends with 409 sandbox_reset when the sandbox is reset under it', async () => {
    const answer = api('get', '/sim/api/events/wait?type=nothing.ever&timeoutMs=20000').then((res) => res);
    await until(waiting());
    await api('post', '/sim/api/reset').send({}).expect(200);
    const res = await answer;
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('sandbox_reset');
  });

  it('ends with 404 unknown_sandbox when the sandbox is deleted', async () => {
    const { id } = (await api('post', '/sim/api/sandboxes').send({}).expect(201)).body;
    const sandbox = t.simulator.sandboxes.list().find((s) => s.id === id)!;
    const answer = api('get', '/sim/api/events/wait?timeoutMs=20000&since=now', id).then((res) => res);
    await until(waiting(sandbox.context));
    await api('delete', `/sim/api/sandboxes/${id}`).expect(200);
    const res = await answer;
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('unknown_sandbox');
  });

  it.each([['?timeoutMs=-1', 'timeoutMs'], ['?timeoutMs=60001', 'timeoutMs'], ['?since=x', 'since'], ['?type=a**', 'type']])(
    'refuses %s with 400 invalid_input naming the field', async (query, field) => {
      const res = await api('get', `/sim/api/events/wait${query}`).expect(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(Object.keys(res.body.error.fields)).toEqual([field]);
    });
});

describe('the journal across a reset', () => {
  it('comes back as the scenario\'s own: empty, counting from 1 again', async () => {
    await submitLogin(request.agent(t.app), 'globex.primary', persona('globex.primary').password);
    expect(await events()).toHaveLength(1);
    await api('post', '/sim/api/reset').send({}).expect(200);
    expect((await api('get', '/sim/api/events').expect(200)).body).toEqual({ events: [], lastId: 0 });
    await submitLogin(request.agent(t.app), 'globex.primary', persona('globex.primary').password);
    expect((await events()).map((e) => e.id)).toEqual([1]);
  });
});
