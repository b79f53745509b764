// The PA's profile: details, permissions in words, sign-in history, change of password, and the
// PA's own sessions.
import crypto from 'node:crypto';
import request from 'supertest';
import { PERMISSION_SENTENCES } from '../../src/features/permissions/permission-sentences';
import { auditActions, paId, persona, signedInAs, submitLogin } from '../helpers/actors';
import { csrfTokenIn, testIdText, type Agent } from '../helpers/pages';
import { MINUTE_MS, TEST_SESSION_SECRET, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } });
  t.context.outbox.clear();
});
afterEach(() => t.close());

const NEW_PASSWORD = 'Granite-Orchard-Lamp-58';
const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

/** Signs in with this User-Agent on every request, as one browser does. */
async function browserSignedInAs(userId: string, userAgent: string): Promise<Agent> {
  const agent = request.agent(t.app).set('User-Agent', userAgent);
  const res = await submitLogin(agent, userId, persona(userId).password);
  expect(res.status).toBe(303);
  return agent;
}

async function post(agent: Agent, page: string, action: string, fields: Record<string, string>) {
  const shown = await agent.get(page);
  return agent.post(action).type('form').send({ _csrf: csrfTokenIn(shown.text), ...fields });
}

const rows = (html: string, testId: string) => [...html.matchAll(new RegExp(`<tr data-testid="${testId}"[^>]*>([\\s\\S]*?)</tr>`, 'g'))]
  .map((match) => match[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());

describe('GET /profile', () => {
  it('shows the primary PA their details, role and every permission in words', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    const page = await agent.get('/profile').expect(200);
    expect(testIdText(page.text, 'profile-name')).toBe('Hank Scorpio');
    expect(testIdText(page.text, 'profile-email')).toBe('hank.scorpio@globex.example');
    expect(testIdText(page.text, 'profile-phone')).toBe(persona('globex.primary').phone);
    expect(testIdText(page.text, 'profile-company')).toBe('Globex Corporation');
    expect(testIdText(page.text, 'profile-role')).toBe('Primary Program Administrator');
    expect(testIdText(page.text, 'profile-user-id')).toBe('globex.primary');
    const sentences = [...page.text.matchAll(/data-testid="permission-sentence">([^<]+)</g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
    expect(sentences).toHaveLength(11);
    expect(sentences).toContain(PERMISSION_SENTENCES['transactions.view_all']);
    expect(page.text).toContain('href="/profile/two-step"');
    expect(page.text).toContain('data-testid="nav-profile"');
  });

  it.each([
    ['globex.viewer', ['cards.view', 'statements.view'] as const],
    ['globex.canceller', ['cards.view', 'cards.cancel'] as const],
  ])('tells %s only what their own permissions allow, as a program administrator', async (userId, held) => {
    const agent = await signedInAs(t, userId);
    const page = await agent.get('/profile').expect(200);
    expect(testIdText(page.text, 'profile-role')).toBe('Program Administrator');
    const sentences = [...page.text.matchAll(/data-testid="permission-sentence">([^<]+)</g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
    expect(sentences.sort()).toEqual(held.map((p) => PERMISSION_SENTENCES[p]).sort());
  });

  it('lists the last sign-ins and failures, newest first, with the reason in words and the source address', async () => {
    await submitLogin(request.agent(t.app), 'globex.canceller', 'Not-The-Password-1');
    t.context.clock.advanceBy(MINUTE_MS);
    await submitLogin(request.agent(t.app), 'globex.canceller', 'Still-Not-It-2');
    t.context.clock.advanceBy(MINUTE_MS);
    const agent = await signedInAs(t, 'globex.canceller');
    const history = rows((await agent.get('/profile')).text, 'sign-in-event');
    expect(history).toHaveLength(3);
    expect(history[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC Signed in \S+$/);
    expect(history[1]).toMatch(/ Failed Wrong password \S+$/);
    expect(history[2]).toMatch(/ Failed Wrong password \S+$/);
    expect(history[0]).toContain('127.0.0.1');
  });

  it('keeps the history to the last 10 events', async () => {
    for (let i = 0; i < 12; i += 1) await signedInAs(t, 'globex.viewer');
    const agent = await signedInAs(t, 'globex.viewer');
    expect(rows((await agent.get('/profile')).text, 'sign-in-event')).toHaveLength(10);
  });

  it('sends a stranger to sign in', async () => {
    const res = await request(t.app).get('/profile');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?returnTo=%2Fprofile');
  });
});

describe('POST /profile/password', () => {
  const change = (agent: Agent, fields: Record<string, string>) => post(agent, '/profile/password', '/profile/password', fields);

  it('changes the password, keeps this session under a new ID, ends the others, e-mails and audits', async () => {
    const other = await signedInAs(t, 'globex.viewer');
    const agent = await signedInAs(t, 'globex.viewer');
    const key = `pa:${paId(t, 'globex.viewer')}`;
    const sidsBefore = t.context.db.all<{ sid: string }>('SELECT sid FROM sessions WHERE user_key = ?', key).map((r) => r.sid);
    expect(sidsBefore).toHaveLength(2);
    const res = await change(agent, { currentPassword: persona('globex.viewer').password, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/profile');
    expect(String(res.headers['set-cookie'])).toMatch(/atwork\.sid=/);

    const after = await agent.get('/profile');
    expect(after.status).toBe(200);
    expect(after.text).toContain('Your password was changed.');
    const sidsAfter = t.context.db.all<{ sid: string }>('SELECT sid FROM sessions WHERE user_key = ?', key).map((r) => r.sid);
    expect(sidsAfter).toHaveLength(1);
    expect(sidsBefore).not.toContain(sidsAfter[0]);
    expect((await other.get('/profile')).status).toBe(302);

    expect((await submitLogin(request.agent(t.app), 'globex.viewer', persona('globex.viewer').password)).status).toBe(401);
    expect((await submitLogin(request.agent(t.app), 'globex.viewer', NEW_PASSWORD)).status).toBe(303);
    const mails = t.context.outbox.list({ type: 'password_changed_in_profile' });
    expect(mails.map((m) => m.to)).toEqual([persona('globex.viewer').email]);
    expect(auditActions(t, `pa:${paId(t, 'globex.viewer')}`)).toContain('password.changed:success');
  });

  it('refuses a wrong current password with a form error, counts it in the audit log and not toward lockout', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    for (let i = 0; i < 6; i += 1) {
      const res = await change(agent, { currentPassword: 'Wrong-Password-99', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      expect(res.status).toBe(400);
      expect(res.text).toContain('data-error-code="wrong_password"');
      expect(res.text).toContain('data-testid="currentPassword-error"');
    }
    const row = t.context.db.get<{ state: string; failed_login_count: number }>("SELECT state, failed_login_count FROM program_administrators WHERE user_id = 'globex.viewer'")!;
    expect(row).toEqual({ state: 'active', failed_login_count: 0 });
    expect(auditActions(t, `pa:${paId(t, 'globex.viewer')}`).filter((a) => a === 'password.change_failed:failure')).toHaveLength(6);
    expect((await agent.get('/profile')).status).toBe(200);
    expect(t.context.outbox.list()).toEqual([]);
  });

  it.each([
    ['too short', 'Short-1', 'Use at least 12 characters.'],
    ['the user ID inside', 'xx-globex.viewer-2026', 'Do not include your User ID in your password.'],
    ['built on the name', 'Vera-Viewer-2026!', "Do not build your password on your own name or your company&#39;s name."],
  ])('applies the password policy: %s', async (_what, newPassword, message) => {
    const agent = await signedInAs(t, 'globex.viewer');
    const res = await change(agent, { currentPassword: persona('globex.viewer').password, newPassword, confirmPassword: newPassword });
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(t.context.outbox.list()).toEqual([]);
  });

  it('refuses a confirmation that does not match, and the current password itself', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    const current = persona('globex.viewer').password;
    const mismatch = await change(agent, { currentPassword: current, newPassword: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}x` });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('The passwords do not match.');
    const same = await change(agent, { currentPassword: current, newPassword: current, confirmPassword: current });
    expect(same.status).toBe(400);
    expect(same.text).toContain('Choose a password other than your current one.');
  });

  it('is rate-limited like sign-in', async () => {
    const limited = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const agent = request.agent(limited.app);
      expect((await submitLogin(agent, 'globex.viewer', persona('globex.viewer').password)).status).toBe(303);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push((await post(agent, '/profile/password', '/profile/password', { currentPassword: 'Wrong-Password-99', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).status);
      }
      expect(statuses).toEqual([400, 400, 400, 429]);
    } finally {
      limited.close();
    }
  });

  it('asks for every field', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    const res = await change(agent, {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter your current password.');
    expect(res.text).toContain('Enter your new password.');
  });
});

describe('your sessions', () => {
  it('lists each open session with its browser, start and last use, this one marked', async () => {
    await browserSignedInAs('globex.primary', FIREFOX_ON_WINDOWS);
    t.context.clock.advanceBy(2 * MINUTE_MS);
    const agent = await browserSignedInAs('globex.primary', CHROME_ON_LINUX);
    const page = await agent.get('/profile');
    const sessions = rows(page.text, 'session-row');
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatch(/^Chrome on Linux .* This session$/);
    expect(sessions[1]).toMatch(/^Firefox on Windows .* Sign out this session$/);
    expect(page.text).not.toContain(t.context.db.get<{ sid: string }>('SELECT sid FROM sessions LIMIT 1')!.sid);
  });

  it('ends one other session by its handle, and audits it', async () => {
    const firefox = await browserSignedInAs('globex.primary', FIREFOX_ON_WINDOWS);
    const agent = await browserSignedInAs('globex.primary', CHROME_ON_LINUX);
    const page = await agent.get('/profile');
    const action = /action="(\/profile\/sessions\/[\w-]+\/end)"/.exec(page.text)![1]!;
    const res = await agent.post(action).type('form').send({ _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBe(303);
    expect((await firefox.get('/profile')).status).toBe(302);
    expect((await agent.get('/profile')).status).toBe(200);
    expect(rows((await agent.get('/profile')).text, 'session-row')).toHaveLength(1);
    expect(auditActions(t, `pa:${paId(t, 'globex.primary')}`)).toContain('session.ended:success');
  });

  it('signs out everywhere else', async () => {
    const others = [await signedInAs(t, 'globex.primary'), await signedInAs(t, 'globex.primary')];
    const viewer = await signedInAs(t, 'globex.viewer');
    const agent = await signedInAs(t, 'globex.primary');
    const res = await post(agent, '/profile', '/profile/sessions/end-others', {});
    expect(res.status).toBe(303);
    for (const other of others) expect((await other.get('/profile')).status).toBe(302);
    expect((await agent.get('/profile')).status).toBe(200);
    expect((await viewer.get('/profile')).status).toBe(200);
    expect(auditActions(t, `pa:${paId(t, 'globex.primary')}`)).toContain('session.ended_others:success');
  });

  it("never ends another PA's session, whose handle means nothing to this PA", async () => {
    const viewer = await signedInAs(t, 'globex.viewer');
    await signedInAs(t, 'globex.viewer');
    const viewersHandle = /action="\/profile\/sessions\/([\w-]+)\/end"/.exec((await viewer.get('/profile')).text)![1]!;
    const primary = await signedInAs(t, 'globex.primary');
    const page = await primary.get('/profile');
    const res = await primary.post(`/profile/sessions/${viewersHandle}/end`).type('form').send({ _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBe(404);
    const sid = t.context.db.get<{ sid: string }>("SELECT sid FROM sessions WHERE user_key = ? LIMIT 1", `pa:${paId(t, 'globex.viewer')}`)!.sid;
    expect((await primary.post(`/profile/sessions/${sid}/end`).type('form').send({ _csrf: csrfTokenIn(page.text) })).status).toBe(404);
    expect(t.context.sessionStore.countUserSessions(`pa:${paId(t, 'globex.viewer')}`)).toBe(2);
    expect((await viewer.get('/profile')).status).toBe(200);
  });

  it('does not end this session by its handle: that is what logging out is for', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    const page = await agent.get('/profile');
    expect(page.text).toContain('<tr data-testid="session-row" data-current="true"');
    expect(page.text).not.toContain('data-testid="end-other-sessions-form"');
    const sid = t.context.db.get<{ sid: string }>('SELECT sid FROM sessions WHERE user_key = ?', `pa:${paId(t, 'globex.primary')}`)!.sid;
    const ownHandle = crypto.createHmac('sha256', TEST_SESSION_SECRET).update(`session-handle:${sid}`).digest().subarray(0, 16).toString('base64url');
    const res = await agent.post(`/profile/sessions/${ownHandle}/end`).type('form').send({ _csrf: csrfTokenIn(page.text) });
    expect(res.status).toBe(409);
    expect((await agent.get('/profile')).status).toBe(200);
  });
});

describe('2-step on the profile', () => {
  /** Signs globex.twostep in with the texted code, trusting this browser. */
  async function trustedTexter(): Promise<Agent> {
    const agent = request.agent(t.app);
    expect((await submitLogin(agent, 'globex.twostep', persona('globex.twostep').password)).headers.location).toBe('/login/verify');
    const code = String(t.context.sms.list({ type: 'two_step_code' }).at(-1)!.data.code);
    await post(agent, '/login/verify', '/login/verify', { code, trustDevice: 'on' }).then((res) => expect(res.status).toBe(303));
    return agent;
  }

  it('shows the setting, its masked phone and the trusted devices', async () => {
    const page = await (await trustedTexter()).get('/profile').expect(200);
    expect(page.text).toContain('data-testid="two-step-status" data-channel="sms"');
    expect(testIdText(page.text, 'two-step-status')).toBe('On: sign-in codes come by text to •••• 0142.');
    expect(page.text.match(/data-testid="device-row"/g)).toHaveLength(1);
    const off = await (await signedInAs(t, 'globex.viewer')).get('/profile').expect(200);
    expect(off.text).toContain('data-channel="off"');
    expect(off.text).toContain('data-testid="devices-empty"');
  });

  it('revokes a device from the profile and comes back to it; any other `back` leads to the 2-step page', async () => {
    const agent = await trustedTexter();
    const deviceId = /data-testid="device-row" data-device-id="(\d+)"/.exec((await agent.get('/profile')).text)![1]!;
    const revoked = await post(agent, '/profile', `/profile/devices/${deviceId}/revoke`, { back: '/profile' });
    expect(revoked.headers.location).toBe('/profile');
    expect((await agent.get('/profile')).text).toContain('data-testid="devices-empty"');
    expect(auditActions(t, `pa:${paId(t, 'globex.twostep')}`)).toContain('device.revoked:success');

    const again = await trustedTexter();
    const elsewhere = await post(again, '/profile', '/profile/devices/revoke-all', { back: 'https://elsewhere.example/' });
    expect(elsewhere.headers.location).toBe('/profile/two-step');
  });
});
