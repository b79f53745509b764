// The client's Cypress commands (client/cypress.js) run through a stand-in `cy` whose cy.request is
// fetch against a real simulator (Cypress's binary cannot be downloaded here): the headers they send,
// the sandbox they make and remove, the clock, the outbox wait re-issued, and a real sign-in.
import { registerSimCommands } from '../../client/cypress';
import { cypressStandIn } from '../helpers/cypress-stand-in';
import { TEST_SIM_TOKEN, createTestApp, listenOnLocalhost, type ListeningTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(30_000);

let t: TestApp;
let listening: ListeningTestApp;
beforeAll(async () => {
  t = await createTestApp();
  listening = await listenOnLocalhost(t);
});
afterAll(async () => {
  await listening.close();
  t.close();
});

type Cy = Record<string, (...args: unknown[]) => unknown>;
let standIn: ReturnType<typeof cypressStandIn>;
let cy: Cy;
beforeEach(() => {
  standIn = cypressStandIn({ baseUrl: listening.baseUrl, env: { SIM_TOKEN: TEST_SIM_TOKEN } });
  (globalThis as { cy?: unknown }).cy = standIn.cy;
  registerSimCommands(standIn.Cypress as never);
  cy = standIn.cy as unknown as Cy;
});
afterEach(() => {
  delete (globalThis as { cy?: unknown }).cy;
});

const run = <T>(chain: unknown) => standIn.run<T>(chain);

describe('Cypress commands', () => {
  it('cy.simSandbox makes a sandbox, sends the page into it, and cy.simDeleteSandbox removes it', async () => {
    const sandbox = await run<{ id: string }>(cy.simSandbox!());
    expect(t.simulator.sandboxes.list().map((s) => s.id)).toContain(sandbox.id);
    expect(standIn.requests[0]!.headers).toMatchObject({ Authorization: `Bearer ${TEST_SIM_TOKEN}` });
    const [intercept] = standIn.intercepts;
    expect(intercept!.matcher.url).toBe(`${listening.baseUrl}/**`);
    const pageRequest = { headers: {} as Record<string, string> };
    intercept!.handler(pageRequest);
    expect(pageRequest.headers['x-sim-sandbox']).toBe(sandbox.id);

    await run(cy.simClock!());
    expect(standIn.requests.at(-1)!.headers['X-Sim-Sandbox']).toBe(sandbox.id);
    await run(cy.simDeleteSandbox!());
    expect(t.simulator.sandboxes.list().map((s) => s.id)).not.toContain(sandbox.id);
  });

  it('cy.simClock reads, moves and sets the sandbox clock; cy.simReset puts it back', async () => {
    await run(cy.simSandbox!());
    const { now } = await run<{ now: string }>(cy.simClock!());
    const moved = await run<{ now: string }>(cy.simClock!('1d'));
    expect(Date.parse(moved.now) - Date.parse(now)).toBeGreaterThanOrEqual(86_400_000);
    const later = new Date(Date.parse(moved.now) + 60_000).toISOString();
    expect(await run(cy.simClock!({ set: later }))).toEqual({ now: later });
    const reset = await run<{ scenario: string }>(cy.simReset!({ scenario: 'default' }));
    expect(reset.scenario).toBe('default');
    expect(Date.parse((await run<{ now: string }>(cy.simClock!())).now)).toBeLessThan(Date.parse(moved.now));
    await run(cy.simDeleteSandbox!());
  });

  it('fails the test with the API code when the simulator refuses', async () => {
    await run(cy.simSandbox!());
    await expect(run(cy.simClock!('soon'))).rejects.toThrow('POST /sim/api/clock: 400 invalid_input');
    await run(cy.simDeleteSandbox!());
  });

  it('cy.simOutboxWait re-issues the long poll until the e-mail arrives, and fails at the deadline', async () => {
    await run(cy.simSandbox!());
    await run(cy.sim!('DELETE', '/outbox'));
    const waiting = run<{ type: string }>(cy.simOutboxWait!({ type: 'fraud_alert' }, { timeoutMs: 5_000, pollTimeoutMs: 150 }));
    await new Promise((resolve) => setTimeout(resolve, 450));
    await run(cy.sim!('POST', '/fraud-alerts', { userId: 'globex.viewer' }));
    expect(await waiting).toMatchObject({ type: 'fraud_alert', to: expect.any(String) });
    expect(standIn.requests.filter((r) => r.url.includes('/sim/api/outbox/wait')).length).toBeGreaterThanOrEqual(3);

    await expect(run(cy.simOutboxWait!({ type: 'password_changed' }, { timeoutMs: 300, pollTimeoutMs: 100 })))
      .rejects.toThrow('No e-mail matching {"type":"password_changed"} arrived within 300 ms.');
    await run(cy.simDeleteSandbox!());
  });

  it('cy.loginAs signs a persona in through the login form of the sandbox', async () => {
    const sandbox = await run<{ id: string }>(cy.simSandbox!());
    const persona = await run<{ userId: string }>(cy.loginAs!('globex.primary'));
    expect(persona.userId).toBe('globex.primary');
    const login = standIn.requests.filter((r) => r.url.endsWith('/login'));
    expect(login.map((r) => [r.method, r.headers['X-Sim-Sandbox']])).toEqual([['GET', sandbox.id], ['POST', sandbox.id]]);
    const home = await run<{ status: number; body: string }>(cy.request!({ url: '/home', headers: { 'X-Sim-Sandbox': sandbox.id }, followRedirect: false }));
    expect(home.status).toBe(200);
    expect(home.body).toContain('data-testid="home-greeting"');

    await expect(run(cy.loginAs!('globex.viewer'))).rejects.toThrow('/login showed no login form (302): this browser is already signed in.');
    standIn.cookies.clear();
    await expect(run(cy.loginAs!({ userId: 'globex.locked', password: 'Rusty-Padlock-2026', role: 'program_administrator' })))
      .rejects.toThrow('globex.locked could not sign in: account_locked');
    await run(cy.simDeleteSandbox!());
  });

  it('cy.loginAs completes 2-step sign-in with the code read from the text outbox or the e-mail outbox', async () => {
    const sandbox = await run<{ id: string }>(cy.simSandbox!());
    const homeStatus = async () => (await run<{ status: number }>(cy.request!({ url: '/home', headers: { 'X-Sim-Sandbox': sandbox.id }, followRedirect: false }))).status;

    await run(cy.loginAs!('globex.twostep'));
    expect(await homeStatus()).toBe(200);
    const verify = standIn.requests.filter((r) => r.url.endsWith('/login/verify'));
    expect(verify.map((r) => r.method)).toEqual(['GET', 'POST']);
    const texts = await run<Array<{ to: string; data: { code: string } }>>(cy.simSms!({ type: 'two_step_code' }));
    expect(texts.map((text) => text.to)).toEqual(['+15555550142']);
    expect(await run(cy.simSignInCode!('globex.twostep'))).toBe(texts[0]!.data.code);

    standIn.cookies.clear();
    await run(cy.loginAs!('globex.nophone'));
    expect(await homeStatus()).toBe(200);
    expect(await run(cy.simSms!({ type: 'two_step_code' }))).toHaveLength(1);

    // A lost text: the code never arrives, and loginAs says so instead of hanging.
    standIn.cookies.clear();
    await run(cy.sim!('POST', '/faults', { kind: 'sms_undelivered', phone: '+15555550142' }));
    await expect(run(cy.simSignInCode!('globex.twostep', { timeoutMs: 0 }))).resolves.toBe(texts[0]!.data.code);
    await run(cy.sim!('DELETE', '/sms'));
    await expect(run(cy.loginAs!('globex.twostep', { codeTimeoutMs: 300 }))).rejects.toThrow(/No text message matching .* arrived within/);
    await run(cy.simDeleteSandbox!());
  });

  it('cy.loginAs signs help-desk staff in at the help desk', async () => {
    const sandbox = await run<{ id: string }>(cy.simSandbox!());
    await run(cy.loginAs!('agent.ava'));
    const desk = await run<{ status: number }>(cy.request!({ url: '/helpdesk', headers: { 'X-Sim-Sandbox': sandbox.id }, followRedirect: false }));
    expect(desk.status).toBe(200);
    await run(cy.simDeleteSandbox!());
  });
});
