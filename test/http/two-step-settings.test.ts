import request from 'supertest';
import { auditActions, paRow, persona, signedInAs, submitLogin } from '../helpers/actors';
import { csrfTokenFrom, type Agent } from '../helpers/pages';
import { MINUTE_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const PAGE = '/profile/two-step';

async function post(agent: Agent, url: string, fields: Record<string, string> = {}) {
  const token = await csrfTokenFrom(agent, PAGE);
  return agent.post(url).type('form').send({ _csrf: token, ...fields });
}

const newestSetupCode = () => {
  const row = t.context.db.get<{ channel: string }>("SELECT channel FROM two_step_codes WHERE purpose = 'setup' ORDER BY id DESC LIMIT 1")!;
  const sent = row.channel === 'sms' ? t.context.sms.list({ type: 'two_step_code' }) : t.context.outbox.list({ type: 'two_step_code' });
  return String(sent.at(-1)!.data.code);
};
const channelOf = (userId: string) =>
  t.context.db.get<{ two_step_channel: string | null }>('SELECT two_step_channel FROM program_administrators WHERE user_id = ?', userId)!.two_step_channel;

describe('/profile/two-step', () => {
  it('turns 2-step on by text only after the code sent to the phone comes back, and mails a notice', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    const page = await agent.get(PAGE).expect(200);
    expect(page.text).toContain('data-channel="off"');
    expect((await post(agent, `${PAGE}/setup`, { channel: 'sms' })).status).toBe(303);
    expect(channelOf('globex.viewer')).toBeNull();
    expect((await post(agent, `${PAGE}/confirm`, { code: newestSetupCode() === '000000' ? '111111' : '000000' })).status).toBe(401);
    expect((await post(agent, `${PAGE}/confirm`, { code: newestSetupCode() })).status).toBe(303);
    expect(channelOf('globex.viewer')).toBe('sms');
    expect(t.context.outbox.list({ to: persona('globex.viewer').email, type: 'two_step_changed' })).toHaveLength(1);
    expect(auditActions(t, `pa:${paRow(t, 'globex.viewer').id}`)).toContain('two_step.enabled:success');
    // The next sign-in asks for a code.
    expect((await submitLogin(request.agent(t.app), 'globex.viewer', persona('globex.viewer').password)).headers.location).toBe('/login/verify');
  });

  it('asks for the password again once the last proof is older than 15 minutes', async () => {
    const viewer = await signedInAs(t, 'globex.viewer');
    t.context.clock.advanceBy(14 * MINUTE_MS);
    await viewer.get('/home').expect(200);
    t.context.clock.advanceBy(2 * MINUTE_MS);
    const page = await viewer.get(PAGE).expect(200);
    expect(page.text).toContain('two-step-current-password');
    const refused = await post(viewer, `${PAGE}/setup`, { channel: 'email' });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('data-testid="currentPassword-error"');
    const wrong = await post(viewer, `${PAGE}/setup`, { channel: 'email', currentPassword: 'Not-The-Password-1' });
    expect(wrong.status).toBe(401);
    expect((await post(viewer, `${PAGE}/setup`, { channel: 'email', currentPassword: persona('globex.viewer').password })).status).toBe(303);
  });

  it('refuses texts for a PA without a phone, and turning off when the company requires it', async () => {
    t.context.db.run("UPDATE program_administrators SET phone = NULL, two_step_channel = 'email' WHERE user_id = 'globex.viewer'");
    t.context.db.run("UPDATE companies SET require_two_step = 1 WHERE name = 'Globex Corporation'");
    const agent = request.agent(t.app);
    await submitLogin(agent, 'globex.viewer', persona('globex.viewer').password);
    const code = String(t.context.outbox.list({ type: 'two_step_code' }).at(-1)!.data.code);
    const token = await csrfTokenFrom(agent, '/login');
    await agent.post('/login/verify').type('form').send({ _csrf: token, code }).expect(303);
    expect((await post(agent, `${PAGE}/setup`, { channel: 'sms' })).status).toBe(400);
    const off = await post(agent, `${PAGE}/disable`);
    expect(off.status).toBe(409);
    expect(off.text).toContain('data-error-code="two_step_required"');
    expect(channelOf('globex.viewer')).toBe('email');
  });

  it('turns 2-step off and lists, revokes and revokes all trusted devices', async () => {
    const agent = request.agent(t.app);
    await submitLogin(agent, 'globex.twostep', persona('globex.twostep').password);
    const code = String(t.context.sms.list({ type: 'two_step_code' }).at(-1)!.data.code);
    await agent.post('/login/verify').type('form').send({ _csrf: await csrfTokenFrom(agent, '/login'), code, trustDevice: 'on' }).expect(303);
    const page = await agent.get(PAGE).expect(200);
    expect(page.text).toContain('data-testid="device-row"');
    const id = t.context.db.get<{ id: number }>('SELECT id FROM trusted_devices')!.id;
    expect((await post(agent, '/profile/devices/999/revoke')).status).toBe(404);
    expect((await post(agent, `/profile/devices/${id}/revoke`)).status).toBe(303);
    expect(t.context.db.get<{ revoked_at: number | null }>('SELECT revoked_at FROM trusted_devices')!.revoked_at).not.toBeNull();
    expect((await post(agent, '/profile/devices/revoke-all')).status).toBe(303);
    expect((await post(agent, `${PAGE}/disable`)).status).toBe(303);
    expect(channelOf('globex.twostep')).toBeNull();
    expect(auditActions(t, `pa:${paRow(t, 'globex.twostep').id}`)).toEqual(expect.arrayContaining(['device.revoked:success', 'two_step.disabled:success']));
  });
});
