// The state builders, proved through the portal's own pages: what a script sets in one call is what
// a PA then meets at /login and on their homepage.
import request from 'supertest';
import { auditActions, paRow, persona, signedInAs, submitLogin } from '../helpers/actors';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp(); });
afterEach(() => t.close());

const sim = (path: string, body: object) => request(t.app).post(`/sim/api${path}`).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send(body);
const tilesOf = (html: string) => [...html.matchAll(/data-testid="(tile-[a-z-]+)"/g)].map((m) => m[1]);

describe('POST /sim/api/administrators/:userId/state', () => {
  it.each([
    ['locked', 'account_locked', /locked[\s\S]*800-633-6973/, 'account.locked:success'],
    ['inactive', 'account_inactive', /inactive[\s\S]*800-633-6973/, 'account.deactivated:success'],
    ['suspended', 'account_restricted', /restricted[\s\S]*Fraud Protection line at 800-555-0134/, 'simulator.fraud_alert:success'],
  ])('leaves a PA %s: refused at /login with whom to call, their session ended, the audit event recorded', async (state, code, message, audit) => {
    const agent = await signedInAs(t, 'globex.viewer');
    const res = await sim('/administrators/globex.viewer/state', { state }).expect(200);
    expect(res.body).toEqual({ userId: 'globex.viewer', state, previousState: 'active' });
    const home = await agent.get('/home');
    expect(home.status).toBe(302);
    expect(home.headers.location).toMatch(/^\/login/);
    const login = await submitLogin(request.agent(t.app), 'globex.viewer', persona('globex.viewer').password);
    expect(login.status).toBe(401);
    expect(login.text).toContain(`data-error-code="${code}"`);
    expect(login.text).toMatch(message);
    expect(auditActions(t, `pa:${paRow(t, 'globex.viewer').id}`)).toContain(audit);
    const journal = (await request(t.app).get('/sim/api/events?type=account.*').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`)).body.events;
    if (state !== 'suspended') expect(journal.map((e: { type: string }) => e.type)).toContain(audit.split(':')[0]);
  });

  it('locks with the failed-login count at the limit and makes inactive with the last login past the inactivity period', async () => {
    await sim('/administrators/globex.viewer/state', { state: 'locked' }).expect(200);
    expect(paRow(t, 'globex.viewer')).toMatchObject({ state: 'locked', failed_login_count: t.context.config.rules.maxFailedLogins });
    await sim('/administrators/globex.canceller/state', { state: 'inactive' }).expect(200);
    expect(paRow(t, 'globex.canceller').last_login_at).toBeLessThan(t.context.clock.nowMs() - t.context.config.rules.inactivityMs);
  });

  it('makes a locked PA active again, able to sign in', async () => {
    await sim('/administrators/globex.locked/state', { state: 'active' }).expect(200);
    expect(paRow(t, 'globex.locked')).toMatchObject({ state: 'active', failed_login_count: 0 });
    await signedInAs(t, 'globex.locked');
  });

  it('refuses the state a PA is already in, and a PA who is not registered', async () => {
    expect((await sim('/administrators/globex.locked/state', { state: 'locked' }).expect(409)).body.error.code).toBe('no_change');
    await sim('/administrators/globex.pending/state', { state: 'locked' }).expect(404);
    expect((await sim('/administrators/globex.viewer/state', { state: 'pending' }).expect(400)).body.error.fields).toHaveProperty('state');
  });
});

describe('POST /sim/api/administrators/:userId/permissions', () => {
  it('changes what the PA\'s homepage offers at its next request, with a transaction, an audit event and an e-mail', async () => {
    const agent = await signedInAs(t, 'globex.viewer');
    expect(tilesOf((await agent.get('/home')).text)).toEqual(['tile-cards', 'tile-statements', 'tile-tracking']);
    const res = await sim('/administrators/globex.viewer/permissions', { permissions: ['cards.view', 'cards.cancel', 'statements.view'] }).expect(200);
    expect(res.body).toMatchObject({ userId: 'globex.viewer', permissions: ['cards.cancel', 'cards.view', 'statements.view'], added: ['cards.cancel'], removed: [] });
    expect(tilesOf((await agent.get('/home')).text)).toEqual(['tile-cards', 'tile-cancel', 'tile-statements', 'tile-tracking']);
    const id = paRow(t, 'globex.viewer').id;
    expect(auditActions(t, `pa:${id}`)).toContain('helpdesk.permissions_changed:success');
    expect(t.context.db.get('SELECT type, status FROM transactions WHERE tracking_number = ?', res.body.trackingNumber))
      .toEqual({ type: 'permission_change', status: 'completed' });
    expect(t.context.outbox.list({ type: 'permissions_changed' }, 'http://x').map((m) => m.to)).toEqual([persona('globex.viewer').email]);
  });
});
