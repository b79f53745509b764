// The client in client/ (what QA projects install) against a real simulator on a port of 127.0.0.1:
// every method, the API's refusals as SimError, retries of refused and dropped connections, and the
// outbox wait re-issuing its long poll until the deadline.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { SimClient, SimError } from '../../client';
import { csrfTokenIn } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(30_000);

let t: TestApp;
let server: http.Server;
let baseUrl: string;
/** Paths of the requests the server received, in order. */
let received: string[] = [];
/** The next this many requests have their connection destroyed instead of an answer. */
let dropNext = 0;

beforeAll(async () => {
  t = await createTestApp();
  server = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    if (dropNext > 0) {
      dropNext -= 1;
      req.socket.destroy();
      return;
    }
    t.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  t.close();
});

let admin: SimClient;
let sim: SimClient;
beforeEach(async () => {
  received = [];
  dropNext = 0;
  admin = new SimClient({ baseUrl, token: TEST_SIM_TOKEN, retryDelayMs: 20 });
  sim = admin.forSandbox((await admin.createSandbox()).id);
});
afterEach(async () => {
  await admin.deleteSandbox(sim.sandboxId!).catch(() => undefined);
});

async function refusal(promise: Promise<unknown>): Promise<SimError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SimError) return err;
    throw err;
  }
  throw new Error('expected a SimError');
}

/** The cardmembers a persona of the client's sandbox finds on /cards, signed in through the portal's form. */
async function cardsListedFor(userId: string, query = ''): Promise<string[]> {
  const agent = request.agent(t.app);
  const inSandbox = (req: request.Test) => req.set('X-Sim-Sandbox', sim.sandboxId!);
  const token = csrfTokenIn((await inSandbox(agent.get('/login')).expect(200)).text);
  await inSandbox(agent.post('/login')).type('form').send({ _csrf: token, userId, password: (await sim.persona(userId)).password }).expect(303);
  const list = (await inSandbox(agent.get(`/cards${query}`)).expect(200)).text;
  return [...list.matchAll(/data-testid="card-row"[\s\S]*?<a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!.trim());
}

/** A port of 127.0.0.1 nothing listens on (just closed). */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('SimClient', () => {
  it('reads health, personas, one persona, and the clock of its sandbox', async () => {
    const health = await sim.health();
    expect(health).toMatchObject({ ok: true, sandbox: sim.sandboxId });
    const personas = await sim.personas();
    expect(personas.map((p) => p.userId)).toContain('globex.primary');
    expect(await sim.persona('globex.primary')).toMatchObject({ password: 'Volcano-Lair-2026', state: 'active' });
    expect(Date.parse((await sim.clock()).now)).toBeGreaterThanOrEqual(Date.parse(health.now));
  });

  it('moves the clock on and sets it, in its sandbox only', async () => {
    const start = Date.parse((await sim.clock()).now);
    const moved = await sim.advanceClock('1d');
    expect(Date.parse(moved.now) - start).toBeGreaterThanOrEqual(86_400_000);
    const set = await sim.setClock(new Date(Date.parse(moved.now) + 3_600_000));
    expect(Date.parse(set.now)).toBe(Date.parse(moved.now) + 3_600_000);
    expect(Date.parse((await admin.clock()).now)).toBeLessThan(start + 86_400_000);
  });

  it('resets its sandbox to a scenario', async () => {
    await sim.advanceClock('2d');
    const answer = await sim.reset({ scenario: 'default' });
    expect(answer.scenario).toBe('default');
    expect(answer.personas.length).toBeGreaterThan(0);
  });

  it('lists, waits for and clears the outbox', async () => {
    const penny = await sim.persona('globex.pending');
    const welcome = await sim.waitForEmail({ to: penny.email, type: 'welcome' }, { timeoutMs: 2_000 });
    expect(welcome.data.accessCode).toBe(penny.accessCode);
    expect(await sim.outbox({ type: 'welcome' })).toHaveLength(1);
    // The default scenario's outbox: Penny's Welcome e-mail and Paula Prospect's invitation to apply for a card.
    expect((await sim.outbox()).map((m) => m.type)).toEqual(['welcome', 'application_invitation']);
    expect(await sim.clearOutbox()).toEqual({ deleted: 2 });
    expect(await sim.outbox()).toEqual([]);
  });

  it('enrolls a PA and raises a fraud alert', async () => {
    const enrolled = await sim.enroll({ company: 'Globex Corporation', firstName: 'Nina', lastName: 'Vale', email: 'nina.vale@globex.example' });
    expect(enrolled).toMatchObject({ state: 'pending', welcomeEmail: { type: 'welcome', to: 'nina.vale@globex.example' } });
    expect(await sim.raiseFraudAlert('globex.viewer')).toEqual({ userId: 'globex.viewer', state: 'suspended' });
    expect((await sim.persona('globex.viewer')).state).toBe('suspended');
  });

  it('sets a PA\'s state and permissions', async () => {
    expect(await sim.setAdministratorState('globex.viewer', 'locked')).toEqual({ userId: 'globex.viewer', state: 'locked', previousState: 'active' });
    expect((await sim.persona('globex.viewer')).state).toBe('locked');
    await expect(sim.setAdministratorState('globex.viewer', 'locked')).rejects.toMatchObject({ status: 409, code: 'no_change' });
    const changed = await sim.setAdministratorPermissions('globex.canceller', ['cards.view']);
    expect(changed).toMatchObject({ permissions: ['cards.view'], added: [], removed: ['cards.cancel'] });
    expect(changed.trackingNumber).toMatch(/^AW\d{10}$/);
  });

  it('sets a company\'s approval rules and subscribes a PA to a report', async () => {
    expect(await sim.setApprovalRules('Globex Corporation', { holdCancellationsByNonPrimary: true, secondApproverAboveCents: null })).toEqual({
      company: 'Globex Corporation',
      approvalRules: { applications: false, secondApproverAboveCents: null, holdLimitChangesAboveCents: null, holdCancellationsByNonPrimary: true },
    });
    await expect(sim.setApprovalRules('Hooli')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    const subscription = await sim.createReportSubscription({ userId: 'globex.primary', report: 'spend', frequency: 'monthly' });
    expect(subscription).toMatchObject({ userId: 'globex.primary', report: 'spend', frequency: 'monthly', filters: {}, lastDeliveredAt: null });
    await sim.setClock(subscription.nextDueAt);
    expect((await sim.outbox({ type: 'scheduled_report' })).map((mail) => mail.data.subscriptionId)).toEqual([subscription.id]);
    await expect(sim.createReportSubscription({ userId: 'globex.viewer', report: 'spend', frequency: 'daily' })).rejects.toMatchObject({ status: 409, code: 'not_permitted' });
    await expect(sim.createReportSubscription({ userId: 'globex.primary', report: 'declines', frequency: 'daily', account: 'INI-01' }))
      .rejects.toMatchObject({ status: 400, code: 'invalid_input', fields: { account: 'Choose a control account from the list.' } });
  });

  it('builds a card in any state', async () => {
    const card = await sim.createCard({ company: 'Globex Corporation', cardmemberName: 'Quinn Builder', tier: 'business', state: 'suspended', limitDollars: 1500 });
    expect(card).toMatchObject({ cardmemberName: 'Quinn Builder', state: 'suspended', limitCents: 150_000 });
    expect(card.trackingNumbers).toHaveLength(2);
    expect((await sim.cards({ company: 'Globex Corporation' })).find((listed) => listed.id === card.id)).toMatchObject({ state: 'suspended', lastFive: card.lastFive });
    await expect(sim.createCard({ company: 'Nobody Inc', cardmemberName: 'X', tier: 'standard', limitDollars: 1 })).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('builds a card in a control account and PAs scoped over it or elsewhere, by account number', async () => {
    const west = (await sim.controlAccounts({ company: 'Globex Corporation' })).find((account) => account.name === 'West Engineering')!;
    expect(west).toEqual({ company: 'Globex Corporation', number: 'GLX-W-ENG', name: 'West Engineering', parent: 'GLX-W', level: 2 });
    const card = await sim.createCard({ company: 'Globex Corporation', cardmemberName: 'Wes Client', tier: 'standard', limitDollars: 900, controlAccount: west.number });
    expect(card.controlAccount).toBe('GLX-W-ENG');
    expect((await sim.cards({ company: 'Globex Corporation' })).find((listed) => listed.id === card.id)!.controlAccount).toBe('GLX-W-ENG');

    expect(await sim.setAdministratorPermissions('globex.viewer', ['cards.view', 'statements.view'], { scope: ['GLX-E'] })).toMatchObject({ scope: ['GLX-E'] });
    expect((await sim.persona('globex.viewer')).scope).toEqual(['GLX-E']);
    expect(await cardsListedFor('globex.westmgr', '?q=Wes')).toEqual(['Wes Client']);
    expect(await cardsListedFor('globex.viewer', '?q=Wes')).toEqual([]);
    expect((await sim.setAdministratorPermissions('globex.viewer', ['cards.view', 'statements.view'], { scope: null })).scope).toBeNull();
    expect(await cardsListedFor('globex.viewer', '?q=Wes')).toEqual(['Wes Client']);

    const enrolled = await sim.enroll({ company: 'Globex Corporation', firstName: 'Sal', lastName: 'Scoped', email: 'sal@globex.example', scope: ['glx-w'] });
    expect(enrolled.scope).toEqual(['GLX-W']);
    await expect(sim.createCard({ company: 'Globex Corporation', cardmemberName: 'X', tier: 'standard', limitDollars: 1, controlAccount: 'INI-01' }))
      .rejects.toMatchObject({ status: 400, code: 'unknown_control_account' });
    await expect(sim.setAdministratorPermissions('globex.primary', ['cards.view'], { scope: ['GLX-E'] })).rejects.toMatchObject({ status: 409, code: 'primary_scope' });
  });

  it('records a transaction with its history', async () => {
    const built = await sim.createTransaction({
      company: 'Globex Corporation', type: 'limit_change', status: 'completed', submittedBy: 'globex.primary', summary: 'Limit $900.00 (built)',
      events: [{ minutesAgo: 90, status: 'submitted', actor: 'globex.primary' }, { minutesAgo: 30, status: 'completed', actor: 'system' }],
    });
    expect(built).toMatchObject({ type: 'limit_change', status: 'completed', cardId: null, nextDueAt: null });
    expect((await sim.events({ subject: `transaction:${built.trackingNumber}` })).events.map((e) => e.type)).toEqual(['transaction.submitted', 'transaction.completed']);
    await expect(sim.createTransaction({ company: 'Globex Corporation', type: 'unlock', status: 'submitted', submittedBy: 'nobody', summary: 'x', events: [{ minutesAgo: 0, status: 'submitted', actor: 'system' }] }))
      .rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('lists cards and adds a charge to one', async () => {
    const cards = await sim.cards({ company: 'Globex Corporation' });
    expect(cards.length).toBeGreaterThan(0);
    const charge = await sim.addCharge({ cardId: cards[0]!.id, merchant: 'Blue Bottle', amountCents: 1250 });
    expect(charge).toMatchObject({ cardId: cards[0]!.id, merchant: 'Blue Bottle', amountCents: 1250, declineReason: null });
  });

  it('adds, lists, removes and clears faults', async () => {
    const fault = await sim.addFault({ pattern: '/cards*', status: 503 });
    expect(fault.id).toMatch(/^f-/);
    expect((await sim.faults()).map((f) => f.id)).toEqual([fault.id]);
    expect(await sim.removeFault(fault.id)).toEqual({ cleared: 1 });
    await sim.addFault({ pattern: '/home', latencyMs: 10 });
    expect(await sim.clearFaults()).toEqual({ cleared: 1 });
    expect(await sim.faults()).toEqual([]);
  });

  it('creates, lists and deletes sandboxes', async () => {
    const sandbox = await admin.createSandbox({ scenario: 'empty' });
    expect(sandbox).toMatchObject({ scenario: 'empty', header: { 'X-Sim-Sandbox': sandbox.id } });
    expect(sandbox.url).toBe(`http://${sandbox.id}.localhost:${new URL(baseUrl).port}`);
    expect((await admin.sandboxes()).map((s) => s.id)).toContain(sandbox.id);
    expect(await admin.deleteSandbox(sandbox.id)).toEqual({ deleted: sandbox.id });
  });
});

describe('SimClient snapshots and chosen ids', () => {
  it('creates a sandbox under a chosen id, and refuses it while taken', async () => {
    const chosen = await admin.createSandbox({ id: 'worker-7' });
    expect(chosen.id).toBe('worker-7');
    expect((await refusal(admin.createSandbox({ id: 'worker-7' }))).code).toBe('sandbox_exists');
    await admin.deleteSandbox('worker-7');
  });

  it('saves, lists, restores and deletes snapshots: the clock and the data come back', async () => {
    const before = (await sim.clock()).now;
    const saved = await sim.saveSnapshot('fresh');
    expect(saved).toMatchObject({ name: 'fresh', simulatedAt: before });
    await sim.advanceClock('3d');
    await sim.raiseFraudAlert('globex.viewer');
    expect((await sim.snapshots()).map((s) => s.name)).toEqual(['fresh']);
    const restored = await sim.restoreSnapshot('fresh');
    expect(restored.snapshot).toBe('fresh');
    expect(Date.parse((await sim.clock()).now) - Date.parse(before)).toBeLessThan(60_000);
    expect((await sim.persona('globex.viewer')).state).toBe('active');
    await sim.deleteSnapshot('fresh');
    expect(await sim.snapshots()).toEqual([]);
    expect((await refusal(sim.restoreSnapshot('fresh'))).code).toBe('unknown_snapshot');
  });
});

describe('SimClient events', () => {
  it('reads the journal, and waits for an event that happens after a point', async () => {
    const { lastId } = await sim.events();
    const waiting = sim.waitForEvent({ type: 'simulator.*', since: lastId }, { timeoutMs: 5000, pollTimeoutMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sim.raiseFraudAlert('globex.viewer');
    const event = await waiting;
    expect(event).toMatchObject({ type: 'simulator.fraud_alert', subjectUserId: 'globex.viewer' });
    expect((await sim.events({ since: lastId, type: 'email.sent' })).events.map((e) => e.data.emailType)).toEqual(['fraud_alert']);
  });
});

describe('SimClient scenarios', () => {
  it('loads a scenario document, resets into it, exports it, and lists every problem of a bad one', async () => {
    expect((await sim.scenarioSchema()).type).toBe('object');
    const document = { name: 'client_small', companies: [{ key: 'acme', name: 'Acme Ltd', programNumber: 'ACM-100-1', maxCardLimitCents: 100_000 }] };
    expect(await sim.loadScenario(document)).toEqual({ name: 'client_small', replaced: false });
    expect((await sim.reset({ scenario: 'client_small' })).scenario).toBe('client_small');
    const exported = await sim.exportScenario('client_again');
    expect(exported).toMatchObject({ name: 'client_again', companies: [expect.objectContaining({ name: 'Acme Ltd' })] });
    const refused = await refusal(sim.loadScenario({ ...document, cards: [{ key: 'c', company: 'nope' }] }));
    expect(refused.code).toBe('invalid_scenario');
    expect(Object.keys(refused.fields ?? {}).length).toBeGreaterThan(1);
  });
});

describe('SimClient errors', () => {
  it('throws SimError with the code, message and fields of invalid input', async () => {
    const err = await refusal(sim.advanceClock('soon'));
    expect(err).toMatchObject({ name: 'SimError', status: 400, code: 'invalid_input', method: 'POST', path: '/clock' });
    expect(Object.keys(err.fields ?? {})).toEqual(['advance']);
    expect(err.apiMessage.length).toBeGreaterThan(0);
  });

  it('throws the API code of a refusal: a wrong token, an unknown sandbox, a fault not there', async () => {
    expect(await refusal(new SimClient({ baseUrl, token: 'wrong-token' }).health())).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await refusal(admin.forSandbox('no-such-sandbox').health())).toMatchObject({ status: 404, code: 'unknown_sandbox' });
    expect(await refusal(sim.removeFault('f-nothing'))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await refusal(sim.persona('nobody'))).toMatchObject({ code: 'unknown_persona' });
  });

  it('needs a token', () => {
    const saved = process.env.SIM_TOKEN;
    delete process.env.SIM_TOKEN;
    try {
      expect(() => new SimClient({ baseUrl })).toThrow(TypeError);
    } finally {
      if (saved !== undefined) process.env.SIM_TOKEN = saved;
    }
  });
});

describe('SimClient waits and retries', () => {
  it('re-issues the long poll until an e-mail arrives within the overall deadline', async () => {
    await sim.clearOutbox();
    const waiting = sim.waitForEmail({ type: 'fraud_alert' }, { timeoutMs: 5_000, pollTimeoutMs: 150 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await sim.raiseFraudAlert('globex.viewer');
    const email = await waiting;
    expect(email).toMatchObject({ type: 'fraud_alert' });
    const polls = received.filter((r) => r.startsWith('GET /sim/api/outbox/wait'));
    expect(polls.length).toBeGreaterThanOrEqual(3);
    expect(polls[0]).toContain('timeoutMs=150');
  });

  it('lists, waits for and clears text messages, and reads a sign-in code', async () => {
    await sim.clearSms();
    const waiting = sim.waitForCode('+15555550101', { timeoutMs: 5_000, pollTimeoutMs: 150 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The client works in its own sandbox: the text is sent in that one.
    t.simulator.sandboxes.list().find((sandbox) => sandbox.id === sim.sandboxId)!.context.sms.send({ to: '+15555550101', type: 'two_step_code', text: 'Your @Work code is 135790.', data: { code: '135790' } });
    expect(await waiting).toBe('135790');
    expect(await sim.waitForSms({ type: 'two_step_code' }, { timeoutMs: 1_000 })).toMatchObject({ to: '+15555550101' });
    expect((await sim.sms({ to: '+15555550101' })).map((m) => m.data.code)).toEqual(['135790']);
    expect(await sim.clearSms()).toEqual({ deleted: 1 });
    expect(await sim.sms()).toEqual([]);
  });

  it('gives up at the deadline with SimError 408 timeout', async () => {
    const started = performance.now();
    const err = await refusal(sim.waitForEmail({ type: 'password_changed' }, { timeoutMs: 400, pollTimeoutMs: 150 }));
    expect(err).toMatchObject({ status: 408, code: 'timeout' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(received.filter((r) => r.startsWith('GET /sim/api/outbox/wait')).length).toBeGreaterThanOrEqual(3);
  });

  it('does not re-issue a poll that ended for another reason (the sandbox deleted)', async () => {
    const waiting = refusal(sim.waitForEmail({ type: 'password_changed' }, { timeoutMs: 5_000, pollTimeoutMs: 1_000 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin.deleteSandbox(sim.sandboxId!);
    expect(await waiting).toMatchObject({ status: 404, code: 'unknown_sandbox' });
  });

  it('retries a refused connection with backoff until the simulator listens', async () => {
    const port = await freePort();
    const late = http.createServer(t.app);
    setTimeout(() => late.listen(port, '127.0.0.1'), 150);
    try {
      const client = new SimClient({ baseUrl: `http://127.0.0.1:${port}`, token: TEST_SIM_TOKEN, retries: 6, retryDelayMs: 25 });
      expect((await client.health()).ok).toBe(true);
    } finally {
      await new Promise<void>((resolve) => late.close(() => resolve()));
    }
  });

  it('reports an unreachable simulator after its retries', async () => {
    const port = await freePort();
    const client = new SimClient({ baseUrl: `http://127.0.0.1:${port}`, token: TEST_SIM_TOKEN, retries: 2, retryDelayMs: 5 });
    expect(await refusal(client.health())).toMatchObject({ status: 0, code: 'unreachable' });
  });

  it('sends a GET again after a dropped connection, but not a POST, which may have been acted on', async () => {
    dropNext = 1;
    expect((await sim.faults())).toEqual([]);
    expect(received.filter((r) => r === 'GET /sim/api/faults')).toHaveLength(2);
    dropNext = 1;
    expect(await refusal(sim.advanceClock('1m'))).toMatchObject({ status: 0, code: 'unreachable' });
    expect(received.filter((r) => r === 'POST /sim/api/clock')).toHaveLength(1);
  });
});

describe('the client package', () => {
  const CLIENT = path.resolve(__dirname, '../../client');
  const manifest = JSON.parse(fs.readFileSync(path.join(CLIENT, 'package.json'), 'utf8')) as {
    main: string; types: string; files: string[]; exports: Record<string, string | Record<string, string>>;
  };

  it('ships every file its exports name, so the tarball of npm pack works as the folder does', () => {
    const named = Object.values(manifest.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)))
      .map((file) => file.replace(/^\.\//, ''))
      .filter((file) => file !== 'package.json');
    for (const file of [manifest.main, manifest.types, ...named]) {
      expect(manifest.files).toContain(file);
      expect(fs.existsSync(path.join(CLIENT, file))).toBe(true);
    }
  });

  it('is imported by name from ES modules as well as required', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '--eval',
      `import { SimClient, SimError } from ${JSON.stringify(path.join(CLIENT, 'index.js'))}; console.log(typeof SimClient, typeof SimError);`]);
    expect(out.toString().trim()).toBe('function function');
  });
});
