import request from 'supertest';
import { auditActions, paRow, persona, signedInAs, submitLogin, withoutToken } from '../helpers/actors';
import { csrfTokenFrom, type Agent } from '../helpers/pages';
import { MINUTE_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } });
  t.context.outbox.clear();
});
afterEach(() => t.close());

const primary = persona('globex.primary');
const NEW_PASSWORD = 'Second-Volcano-Base-9';

async function requestReset(userId: string, email: string) {
  const agent = request.agent(t.app);
  const token = await csrfTokenFrom(agent, '/forgot-password');
  return agent.post('/forgot-password').type('form').send({ _csrf: token, userId, email });
}

function resetPath(): string {
  const mail = t.context.outbox.list({ type: 'password_reset' }).at(-1);
  if (!mail) throw new Error('no reset e-mail');
  return new URL(String(mail.data.resetUrl)).pathname;
}

async function submitNewPassword(agent: Agent, path: string, password = NEW_PASSWORD, confirmPassword = password) {
  const page = await agent.get(path);
  if (page.status !== 200) return page;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  return agent.post(path).type('form').send({ _csrf: token, password, confirmPassword });
}

describe('POST /forgot-password', () => {
  it('e-mails a single-use link when the user ID and e-mail match', async () => {
    const res = await requestReset('globex.primary', primary.email.toUpperCase());
    expect(res.status).toBe(200);
    const mails = t.context.outbox.list({ to: primary.email });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ type: 'password_reset', data: { resetUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/reset-password\/[\w-]{40,}$/) } });
    expect(mails[0]!.text).toContain(String(mails[0]!.data.resetUrl));
  });

  it('gives the same answer whether or not the details matched, and sends nothing when they did not', async () => {
    const matched = await requestReset('globex.primary', primary.email);
    const wrongEmail = await requestReset('globex.primary', 'someone@else.example');
    const unknown = await requestReset('nobody.here', 'someone@else.example');
    expect([matched.status, wrongEmail.status, unknown.status]).toEqual([200, 200, 200]);
    expect(withoutToken(wrongEmail.text)).toBe(withoutToken(matched.text));
    expect(withoutToken(unknown.text)).toBe(withoutToken(matched.text));
    expect(t.context.outbox.list()).toHaveLength(1);
  });

  it.each(['globex.locked', 'globex.inactive', 'globex.suspended'])(
    'sends %s no link, only an e-mail saying to call the Help Desk', async (userId) => {
      const res = await requestReset(userId, persona(userId).email);
      expect(res.status).toBe(200);
      const mails = t.context.outbox.list({ to: persona(userId).email });
      expect(mails.map((m) => m.type)).toEqual(['password_reset_unavailable']);
      expect(mails[0]!.text).toContain('800-633-6973');
      expect(mails[0]!.text).not.toMatch(/reset-password\//);
      expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM password_resets')!.n).toBe(0);
    });
});

describe('/reset-password/:token', () => {
  it('sets a new password that works, while the old one stops working', async () => {
    await requestReset('globex.primary', primary.email);
    const res = await submitNewPassword(request.agent(t.app), resetPath());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect((await submitLogin(request.agent(t.app), 'globex.primary', primary.password)).status).toBe(401);
    expect((await submitLogin(request.agent(t.app), 'globex.primary', NEW_PASSWORD)).status).toBe(303);
    expect(t.context.outbox.list({ type: 'password_changed' })).toHaveLength(1);
    expect(auditActions(t, `pa:${paRow(t, 'globex.primary').id}`)).toEqual(
      expect.arrayContaining(['password_reset.requested:success', 'password_reset.completed:success']));
  });

  it.each(['123qweasdzxc', 'q1w2e3r4t5y6', 'qazwsxedcrfv', 'Summer2026!!', 'Michael12345', 'Scorpio-2026!!', 'Globex-Card-Admin'])(
    'refuses %s with a clear message on the form, and the link still works for a better one', async (weak) => {
      await requestReset('globex.primary', primary.email);
      const agent = request.agent(t.app);
      const refused = await submitNewPassword(agent, resetPath(), weak);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('data-testid="reset-password-form"');
      expect(refused.text).toMatch(/data-testid="password-error"[^>]*>[^<]*(too common|your own name or your company&#39;s name)/);
      expect((await submitLogin(request.agent(t.app), 'globex.primary', weak)).status).toBe(401);
      expect((await submitNewPassword(agent, resetPath())).status).toBe(303);
    });

  it('works once', async () => {
    await requestReset('globex.primary', primary.email);
    const path = resetPath();
    await submitNewPassword(request.agent(t.app), path).then((res) => expect(res.status).toBe(303));
    const again = await request(t.app).get(path);
    expect(again.status).toBe(410);
    expect(again.text).toContain('data-error-code="reset_link_unusable"');
  });

  it('expires after 30 minutes', async () => {
    await requestReset('globex.primary', primary.email);
    const path = resetPath();
    t.context.clock.advanceBy(29 * MINUTE_MS);
    await request(t.app).get(path).expect(200);
    t.context.clock.advanceBy(MINUTE_MS);
    await request(t.app).get(path).expect(410);
  });

  it("ends the user's other sessions", async () => {
    const elsewhere = await signedInAs(t, 'globex.primary');
    await requestReset('globex.primary', primary.email);
    await submitNewPassword(request.agent(t.app), resetPath());
    await elsewhere.get('/home').expect(302).expect('Location', '/login');
    expect(t.context.sessionStore.countUserSessions(`pa:${paRow(t, 'globex.primary').id}`)).toBe(0);
  });

  it('holds the new password to the policy and keeps the link usable after a refusal', async () => {
    await requestReset('globex.primary', primary.email);
    const path = resetPath();
    const agent = request.agent(t.app);
    const weak = await submitNewPassword(agent, path, 'Password1234!');
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('too common');
    const withUserId = await submitNewPassword(agent, path, 'xx-globex.primary-xx');
    expect(withUserId.text).toContain('User ID');
    const mismatch = await submitNewPassword(agent, path, NEW_PASSWORD, 'Something-Else-12');
    expect(mismatch.text).toContain('data-testid="confirmPassword-error"');
    await submitNewPassword(agent, path).then((res) => expect(res.status).toBe(303));
  });

  it('refuses a link whose account was locked after the e-mail was sent', async () => {
    await requestReset('globex.primary', primary.email);
    t.context.db.run("UPDATE program_administrators SET state = 'locked' WHERE user_id = 'globex.primary'");
    const res = await request(t.app).get(resetPath());
    expect(res.status).toBe(410);
  });

  it('answers a made-up token like a used one', async () => {
    const res = await request(t.app).get('/reset-password/made-up-token');
    expect(res.status).toBe(410);
  });
});

describe('GET /forgot-user-id', () => {
  it('sends the person to the Help Desk, with the number', async () => {
    const res = await request(t.app).get('/forgot-user-id').expect(200);
    expect(res.text).toContain('data-testid="helpdesk-phone">800-633-6973<');
    expect(res.text).toContain('role="alert"');
  });
});
