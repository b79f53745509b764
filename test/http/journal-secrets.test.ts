// No event in the journal ever carries a secret: every flow that handles one is run, then every
// event's JSON (as the API answers it, and as stored) is searched for each value.
import request from 'supertest';
import { persona, staffSignedInAs, STAFF_PASSWORDS, submitLogin, paId } from '../helpers/actors';
import { csrfTokenFrom, csrfTokenIn } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const FIRST_PASSWORD = 'Brand-New-Ledger-77';
const RESET_PASSWORD = 'Second-Volcano-Base-9';
const WRONG_PASSWORD = 'Not-My-Password-42';

describe('the event journal', () => {
  it('carries no password, PIN, word, access code, reset token, token or session id of any flow', async () => {
    const primary = persona('globex.primary');
    const pending = persona('globex.pending');
    const viewer = persona('globex.viewer');
    const secrets: string[] = [primary.password, viewer.password, WRONG_PASSWORD, FIRST_PASSWORD, RESET_PASSWORD,
      pending.verificationPin, pending.verificationWord, viewer.verificationPin, viewer.verificationWord, TEST_SIM_TOKEN,
      ...Object.values(STAFF_PASSWORDS)];

    // Sign-in: right and wrong passwords.
    await submitLogin(request.agent(t.app), 'globex.primary', primary.password);
    await submitLogin(request.agent(t.app), 'globex.viewer', WRONG_PASSWORD);

    // First login with the seeded access code, PIN and word, then a new user ID and password.
    const accessCode = String(t.context.outbox.list({ to: pending.email, type: 'welcome' }).at(-1)!.data.accessCode);
    secrets.push(accessCode, accessCode.replaceAll('-', ''));
    const newcomer = request.agent(t.app);
    const proofToken = await csrfTokenFrom(newcomer, '/register');
    await newcomer.post('/register').type('form')
      .send({ _csrf: proofToken, verificationPin: pending.verificationPin, verificationWord: pending.verificationWord, accessCode }).expect(303);
    const chooseToken = await csrfTokenFrom(newcomer, '/register');
    await newcomer.post('/register').type('form')
      .send({ _csrf: chooseToken, userId: 'penny.newman', password: FIRST_PASSWORD, confirmPassword: FIRST_PASSWORD }).expect(303);

    // Password reset: the link's token, and the new password.
    const forgetful = request.agent(t.app);
    const forgotToken = await csrfTokenFrom(forgetful, '/forgot-password');
    await forgetful.post('/forgot-password').type('form')
      .send({ _csrf: forgotToken, userId: 'globex.primary', email: primary.email }).expect(200);
    const resetPath = new URL(String(t.context.outbox.list({ type: 'password_reset' }).at(-1)!.data.resetUrl)).pathname;
    const resetToken = resetPath.split('/').at(-1)!;
    secrets.push(resetToken);
    const form = await forgetful.get(resetPath).expect(200);
    await forgetful.post(resetPath).type('form').send({ _csrf: csrfTokenIn(form.text), password: RESET_PASSWORD, confirmPassword: RESET_PASSWORD }).expect(303);

    // Help-desk verification of a caller, wrong and right.
    const staff = await staffSignedInAs(t, 'agent.ava');
    const verify = async (pin: string, word: string) => {
      const page = await staff.get('/helpdesk');
      return staff.post(`/helpdesk/callers/${paId(t, 'globex.viewer')}/verify`).type('form')
        .send({ _csrf: csrfTokenIn(page.text), verificationPin: pin, verificationWord: word });
    };
    await verify('9999', 'wrongword');
    expect((await verify(viewer.verificationPin, viewer.verificationWord)).status).toBe(303);

    // The console's sign-in with the simulator token.
    const consoleAgent = request.agent(t.app);
    const consoleToken = await csrfTokenFrom(consoleAgent, '/sim/login');
    await consoleAgent.post('/sim/login').type('form').send({ _csrf: consoleToken, token: TEST_SIM_TOKEN }).expect(303);

    secrets.push(...t.context.db.all<{ sid: string }>('SELECT sid FROM sessions').map((row) => row.sid));
    const answered = (await request(t.app).get('/sim/api/events').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).expect(200)).body.events as Array<{ type: string }>;
    expect(answered.map((e) => e.type)).toEqual(expect.arrayContaining([
      'login.success', 'login.failure', 'registration.verified', 'registration.completed', 'password_reset.requested', 'email.sent',
      'password_reset.completed', 'staff.login.success', 'helpdesk.verification.failure', 'helpdesk.verification.success',
    ]));
    const stored = t.context.db.all<Record<string, unknown>>('SELECT * FROM journal_events');
    const texts = [...answered, ...stored].map((event) => JSON.stringify(event));
    for (const secret of new Set(secrets)) {
      expect(secret.length).toBeGreaterThanOrEqual(4);
      for (const text of texts) expect(text).not.toContain(secret);
    }
  });
});
