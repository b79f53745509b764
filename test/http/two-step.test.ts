import request from 'supertest';
import { auditActions, paRow, persona, submitLogin } from '../helpers/actors';
import { csrfTokenFrom, type Agent } from '../helpers/pages';
import { DAY_MS, MINUTE_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const texter = persona('globex.twostep');
const mailer = persona('globex.nophone');

/** The newest sign-in code sent to the persona, from the text or e-mail outbox. */
function newestCode(userId: string): string {
  const who = persona(userId);
  const sent = who.twoStep === 'sms'
    ? t.context.sms.list({ to: who.phone!, type: 'two_step_code' })
    : t.context.outbox.list({ to: who.email, type: 'two_step_code' });
  const code = sent.at(-1)?.data.code;
  if (typeof code !== 'string') throw new Error(`no code for ${userId}`);
  return code;
}

async function passwordStep(userId: string, agent: Agent = request.agent(t.app)): Promise<Agent> {
  const res = await submitLogin(agent, userId, persona(userId).password);
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/login/verify');
  return agent;
}

async function submitCode(agent: Agent, code: string, extra: Record<string, string> = {}) {
  const token = await csrfTokenFrom(agent, '/login');
  return agent.post('/login/verify').type('form').send({ _csrf: token, code, ...extra });
}

async function resend(agent: Agent) {
  const token = await csrfTokenFrom(agent, '/login');
  return agent.post('/login/verify/resend').type('form').send({ _csrf: token });
}

const wrongCodeFor = (code: string) => (code === '000000' ? '111111' : '000000');

describe('2-step sign-in', () => {
  it('sends a code by text and signs in only after it, keeping returnTo', async () => {
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: token, userId: 'globex.twostep', password: texter.password, returnTo: '/cards' });
    expect(res.headers.location).toBe('/login/verify');
    // No session yet: signed-in pages still send the browser to the login page.
    expect((await agent.get('/home')).status).toBe(302);
    const page = await agent.get('/login/verify').expect(200);
    expect(page.text).toContain('•••• 0142');
    expect(page.text).not.toContain('+15555550142');
    expect(t.context.outbox.list({ to: texter.email, type: 'two_step_code' })).toHaveLength(0);

    const done = await submitCode(agent, newestCode('globex.twostep'));
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/cards');
    await agent.get('/home').expect(200);
    const id = paRow(t, 'globex.twostep').id;
    expect(auditActions(t, `pa:${id}`)).toEqual(expect.arrayContaining(['two_step.code_sent:success', 'two_step.success:success', 'login.success:success']));
    expect(paRow(t, 'globex.twostep').last_login_at).toBe(t.context.clock.nowMs());
  });

  it('sends the code by e-mail for a PA on the e-mail channel, shown masked', async () => {
    const agent = await passwordStep('globex.nophone');
    const page = await agent.get('/login/verify').expect(200);
    expect(page.text).toContain('n••••@globex.example');
    expect(page.text).not.toContain(mailer.email);
    expect((await submitCode(agent, newestCode('globex.nophone'))).headers.location).toBe('/home');
    await agent.get('/home').expect(200);
  });

  it('never shows the code page after a wrong password, and sends no code', async () => {
    const agent = request.agent(t.app);
    const res = await submitLogin(agent, 'globex.twostep', 'Not-The-Password-1');
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('verify-form');
    expect((await agent.get('/login/verify')).headers.location).toBe('/login');
    expect(t.context.sms.list({ type: 'two_step_code' })).toHaveLength(0);
  });

  it('signs PAs without 2-step in straight after the password', async () => {
    const res = await submitLogin(request.agent(t.app), 'globex.primary', persona('globex.primary').password);
    expect(res.headers.location).toBe('/home');
  });

  it('answers a wrong, an expired, a used and a superseded code with the same message', async () => {
    const messageOf = (html: string) => /data-testid="verify-error"[^>]*>\s*([^<]+?)\s*</.exec(html)?.[1];
    const agent = await passwordStep('globex.nophone');
    const first = newestCode('globex.nophone');
    const wrong = await submitCode(agent, wrongCodeFor(first));
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('data-error-code="invalid_code"');

    t.context.clock.advanceBy(MINUTE_MS + 1);
    expect((await resend(agent)).status).toBe(303);
    const superseded = await submitCode(agent, first);
    expect(superseded.status).toBe(401);
    expect(messageOf(superseded.text)).toBe(messageOf(wrong.text));

    t.context.clock.advanceBy(10 * MINUTE_MS + 1);
    const expired = await submitCode(agent, newestCode('globex.nophone'));
    expect(expired.status).toBe(401);
    expect(messageOf(expired.text)).toBe(messageOf(wrong.text));

    // A used code: signed in with it in one browser, tried again in another sign-in.
    const other = await passwordStep('globex.nophone');
    const code = newestCode('globex.nophone');
    expect((await submitCode(other, code)).status).toBe(303);
    const third = await passwordStep('globex.nophone');
    const reused = await submitCode(third, code);
    expect(reused.status).toBe(401);
    expect(messageOf(reused.text)).toBe(messageOf(wrong.text));
  });

  it('locks the account after 5 wrong codes in a row, as 5 wrong passwords do', async () => {
    const agent = await passwordStep('globex.twostep');
    const code = newestCode('globex.twostep');
    for (let i = 0; i < 4; i += 1) expect((await submitCode(agent, wrongCodeFor(code))).status).toBe(401);
    expect(paRow(t, 'globex.twostep').state).toBe('active');
    const fifth = await submitCode(agent, wrongCodeFor(code));
    expect(fifth.status).toBe(401);
    expect(fifth.text).toContain('data-error-code="account_locked"');
    expect(paRow(t, 'globex.twostep').state).toBe('locked');
    expect(auditActions(t, `pa:${paRow(t, 'globex.twostep').id}`)).toContain('account.locked:success');
    // The right code is worth nothing now, and the code page is gone.
    expect((await agent.get('/login/verify')).headers.location).toBe('/login');
  });

  it('resends at most once a minute and 5 times per sign-in', async () => {
    const agent = await passwordStep('globex.twostep');
    const tooSoon = await resend(agent);
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.text).toContain('data-error-code="resend_too_soon"');
    for (let i = 0; i < 5; i += 1) {
      t.context.clock.advanceBy(MINUTE_MS);
      expect((await resend(agent)).status).toBe(303);
    }
    t.context.clock.advanceBy(MINUTE_MS);
    const tooMany = await resend(agent);
    expect(tooMany.status).toBe(429);
    expect(tooMany.text).toContain('data-error-code="resend_limit"');
    expect(t.context.sms.list({ type: 'two_step_code' })).toHaveLength(6);
    // Only the newest works.
    expect((await submitCode(agent, newestCode('globex.twostep'))).status).toBe(303);
  });

  it('forgets a sign-in left waiting for its code for more than 20 minutes', async () => {
    const agent = await passwordStep('globex.twostep');
    t.context.clock.advanceBy(20 * MINUTE_MS + 1);
    const res = await submitCode(agent, newestCode('globex.twostep'));
    expect(res.headers.location).toBe('/login');
  });

  it('gives one session for two simultaneous submissions of one code', async () => {
    const agent = await passwordStep('globex.twostep');
    const code = newestCode('globex.twostep');
    const token = await csrfTokenFrom(agent, '/login/verify');
    const send = () => agent.post('/login/verify').type('form').send({ _csrf: token, code });
    const answers = await Promise.all([send(), send()]);
    // The loser finds the code used, or (once the winner's sign-in replaced the session) no session at all.
    expect(answers.filter((a) => a.status === 303)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401 || a.status === 403)).toHaveLength(1);
    const id = paRow(t, 'globex.twostep').id;
    expect(auditActions(t, `pa:${id}`).filter((a) => a === 'two_step.success:success')).toHaveLength(1);
  });
});

describe('trusted devices', () => {
  async function trustedAgent(): Promise<Agent> {
    const agent = await passwordStep('globex.twostep');
    const res = await submitCode(agent, newestCode('globex.twostep'), { trustDevice: 'on' });
    expect(res.status).toBe(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('atwork.device='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    await agent.post('/logout').type('form').send({ _csrf: await csrfTokenFrom(agent, '/home') }).expect(303);
    return agent;
  }

  it('skips the code on a trusted browser until 30 simulated days have passed', async () => {
    const agent = await trustedAgent();
    const id = paRow(t, 'globex.twostep').id;
    expect(auditActions(t, `pa:${id}`)).toContain('device.trusted:success');
    expect((await submitLogin(agent, 'globex.twostep', texter.password)).headers.location).toBe('/home');
    await agent.post('/logout').type('form').send({ _csrf: await csrfTokenFrom(agent, '/home') }).expect(303);
    // Another browser still needs the code.
    await passwordStep('globex.twostep');

    t.context.clock.advanceBy(30 * DAY_MS + 1);
    expect((await submitLogin(agent, 'globex.twostep', texter.password)).headers.location).toBe('/login/verify');
  });

  it('asks for the code again once the device is revoked', async () => {
    const agent = await trustedAgent();
    t.context.db.run('UPDATE trusted_devices SET revoked_at = ?', t.context.clock.nowMs());
    expect((await submitLogin(agent, 'globex.twostep', texter.password)).headers.location).toBe('/login/verify');
  });

  it('ignores a device cookie that was tampered with', async () => {
    const agent = await passwordStep('globex.twostep', request.agent(t.app));
    await submitCode(agent, newestCode('globex.twostep'), { trustDevice: 'on' });
    const stranger = request.agent(t.app);
    const row = t.context.db.get<{ id: number }>('SELECT id FROM trusted_devices')!;
    stranger.set('Cookie', `atwork.device=${row.id}.forged-token.forged-signature`);
    expect((await submitLogin(stranger, 'globex.twostep', texter.password)).headers.location).toBe('/login/verify');
  });
});

describe('a company that requires 2-step', () => {
  it('makes a PA with 2-step off set it up at sign-in, proving the e-mail address, before any session', async () => {
    t.context.db.run("UPDATE companies SET require_two_step = 1 WHERE name = 'Globex Corporation'");
    const agent = await passwordStep('globex.viewer');
    expect((await agent.get('/home')).status).toBe(302);
    const page = await agent.get('/login/verify').expect(200);
    expect(page.text).toContain('data-testid="verify-setup"');
    const code = String(t.context.outbox.list({ to: persona('globex.viewer').email, type: 'two_step_code' }).at(-1)!.data.code);
    expect((await submitCode(agent, code)).headers.location).toBe('/home');
    const channel = t.context.db.get<{ two_step_channel: string | null }>("SELECT two_step_channel FROM program_administrators WHERE user_id = 'globex.viewer'")!;
    expect(channel.two_step_channel).toBe('email');
    expect(auditActions(t, `pa:${paRow(t, 'globex.viewer').id}`)).toContain('two_step.enabled:success');
    // Initech requires nothing: its PA signs in with the password alone.
    expect((await submitLogin(request.agent(t.app), 'initech.primary', persona('initech.primary').password)).headers.location).toBe('/home');
  });
});
