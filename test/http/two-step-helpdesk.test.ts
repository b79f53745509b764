import request from 'supertest';
import { auditActions, paId, persona, staffSignedInAs, submitLogin } from '../helpers/actors';
import { csrfTokenFrom, csrfTokenIn, type Agent } from '../helpers/pages';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

async function post(agent: Agent, url: string, fields: Record<string, string> = {}) {
  const page = await agent.get('/helpdesk');
  return agent.post(url).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
}
const channelOf = (userId: string) =>
  t.context.db.get<{ two_step_channel: string | null }>('SELECT two_step_channel FROM program_administrators WHERE user_id = ?', userId)!.two_step_channel;

async function trustABrowser(userId: string) {
  const agent = request.agent(t.app);
  await submitLogin(agent, userId, persona(userId).password);
  const code = String(t.context.sms.list({ type: 'two_step_code' }).at(-1)!.data.code);
  await agent.post('/login/verify').type('form').send({ _csrf: await csrfTokenFrom(agent, '/login'), code, trustDevice: 'on' }).expect(303);
}

describe('POST /helpdesk/callers/:id/two-step-reset', () => {
  it('needs the verified caller first', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    const res = await post(agent, `/helpdesk/callers/${paId(t, 'globex.twostep')}/two-step-reset`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-testid="helpdesk-error" data-error-code="verification_required"');
    expect(channelOf('globex.twostep')).toBe('sms');
    expect(t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM transactions WHERE type = 'two_step_reset'")!.n).toBe(0);
  });

  it('moves the caller to e-mail codes, revokes trusted devices, tracks, audits and mails', async () => {
    await trustABrowser('globex.twostep');
    const agent = await staffSignedInAs(t, 'agent.ava');
    const id = paId(t, 'globex.twostep');
    const page = await agent.get(`/helpdesk/callers/${id}`).expect(200);
    expect(page.text).toContain('data-testid="action-two-step-reset"');
    const seed = persona('globex.twostep');
    expect((await post(agent, `/helpdesk/callers/${id}/verify`, { verificationPin: seed.verificationPin, verificationWord: seed.verificationWord })).status).toBe(303);
    expect((await post(agent, `/helpdesk/callers/${id}/two-step-reset`, { resetTo: 'email' })).status).toBe(303);
    expect(channelOf('globex.twostep')).toBe('email');
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM trusted_devices WHERE revoked_at IS NULL')!.n).toBe(0);
    const tx = t.context.db.get<{ tracking_number: string; status: string }>("SELECT tracking_number, status FROM transactions WHERE type = 'two_step_reset'")!;
    expect(tx.status).toBe('completed');
    expect((await agent.get(`/helpdesk/callers/${id}`)).text).toContain(tx.tracking_number);
    expect(auditActions(t, `pa:${id}`)).toContain('helpdesk.two_step_reset:success');
    expect(t.context.outbox.list({ to: seed.email, type: 'two_step_reset' })).toHaveLength(1);
  });

  it('turns 2-step off on request, but keeps it on e-mail when the company requires it', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    const id = paId(t, 'globex.twostep');
    const seed = persona('globex.twostep');
    expect((await post(agent, `/helpdesk/callers/${id}/verify`, { verificationPin: seed.verificationPin, verificationWord: seed.verificationWord })).status).toBe(303);
    t.context.db.run("UPDATE companies SET require_two_step = 1 WHERE name = 'Globex Corporation'");
    expect((await post(agent, `/helpdesk/callers/${id}/two-step-reset`, { resetTo: 'off' })).status).toBe(303);
    expect(channelOf('globex.twostep')).toBe('email');
    t.context.db.run("UPDATE companies SET require_two_step = 0 WHERE name = 'Globex Corporation'");
    expect((await post(agent, `/helpdesk/callers/${id}/two-step-reset`, { resetTo: 'off' })).status).toBe(303);
    expect(channelOf('globex.twostep')).toBeNull();
  });

  it('refuses a channel it does not offer on the caller page, changing nothing', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    const id = paId(t, 'globex.twostep');
    const seed = persona('globex.twostep');
    expect((await post(agent, `/helpdesk/callers/${id}/verify`, { verificationPin: seed.verificationPin, verificationWord: seed.verificationWord })).status).toBe(303);
    const res = await post(agent, `/helpdesk/callers/${id}/two-step-reset`, { resetTo: 'sms' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-testid="helpdesk-error" data-error-code="invalid_input"');
    expect(channelOf('globex.twostep')).toBe('sms');
    expect(t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM transactions WHERE type = 'two_step_reset'")!.n).toBe(0);
  });
});
