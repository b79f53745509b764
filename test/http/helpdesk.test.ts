import request from 'supertest';
import { VERIFICATION_TTL_MS } from '../../src/features/helpdesk/caller-verification.service';
import { paId, persona, signedInAs, staffSignedInAs, submitLogin } from '../helpers/actors';
import { csrfTokenIn, type Agent } from '../helpers/pages';
import { DAY_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

async function post(agent: Agent, url: string, fields: Record<string, string | string[]> = {}) {
  const page = await agent.get('/helpdesk');
  return agent.post(url).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
}

async function verify(agent: Agent, userId: string, pin = persona(userId).verificationPin, word = persona(userId).verificationWord) {
  return post(agent, `/helpdesk/callers/${paId(t, userId)}/verify`, { verificationPin: pin, verificationWord: word });
}

const counts = () => ({
  transactions: t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM transactions')!.n,
  audit: t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action LIKE 'helpdesk.%' AND action NOT LIKE 'helpdesk.verification.%'")!.n,
});
const stateOf = (userId: string) => t.context.db.get<{ state: string }>('SELECT state FROM program_administrators WHERE id = ?', paId(t, userId))!.state;

/** Asserts that exactly one transaction and one audit event came of the action, and returns its page. */
async function expectOneRecord<T>(run: () => Promise<T>): Promise<T> {
  const before = counts();
  const result = await run();
  expect(counts()).toEqual({ transactions: before.transactions + 1, audit: before.audit + 1 });
  return result;
}

describe('the staff realm', () => {
  it('signs staff in with staffId and password, and keeps PA and staff sessions apart', async () => {
    const staff = await staffSignedInAs(t, 'agent.ava');
    await staff.get('/helpdesk').expect(200);
    await staff.get('/home').expect(302).expect('Location', '/login');
    const pa = await signedInAs(t, 'globex.primary');
    await pa.get('/helpdesk').expect(302).expect('Location', '/helpdesk/login');
    await pa.get('/helpdesk/callers/1').expect(302);
    const cookie = (await staff.get('/helpdesk')).request.cookies;
    expect(cookie).toMatch(/atwork\.staff\.sid=/);
  });

  it('answers a wrong password and an unknown staff ID alike, and locks after five failures', async () => {
    const attempt = async (staffId: string, password: string) => {
      const agent = request.agent(t.app);
      const page = await agent.get('/helpdesk/login');
      return agent.post('/helpdesk/login').type('form').send({ _csrf: csrfTokenIn(page.text), staffId, password });
    };
    const unknown = await attempt('nobody', 'Wrong-Password-1');
    const wrong = await attempt('agent.ava', 'Wrong-Password-1');
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    for (let i = 2; i <= 5; i += 1) await attempt('agent.ava', `Wrong-Password-${i}`);
    const right = await attempt('agent.ava', 'Headset-Queue-2026');
    expect(right.status).toBe(401);
    expect(right.text).toContain('data-error-code="account_locked"');
    expect(t.context.db.all("SELECT action FROM audit_events WHERE action = 'staff.locked'")).toHaveLength(1);

    // Only a supervisor unlocks a colleague; then the right password works again.
    const supervisor = await staffSignedInAs(t, 'super.sam');
    const staffPage = await supervisor.get('/helpdesk/staff').expect(200);
    expect(staffPage.text).toContain('data-testid="unlock-staff-agent.ava"');
    const avaId = t.context.db.get<{ id: number }>("SELECT id FROM staff_users WHERE staff_id = 'agent.ava'")!.id;
    await supervisor.post(`/helpdesk/staff/${avaId}/unlock`).type('form').send({ _csrf: csrfTokenIn(staffPage.text) }).expect(303);
    expect((await attempt('agent.ava', 'Headset-Queue-2026')).status).toBe(303);
    const agent = await staffSignedInAs(t, 'agent.ava');
    await agent.get('/helpdesk/staff').expect(403);
  });
});

describe('finding and verifying a caller', () => {
  it('finds callers by user ID, name, e-mail or company, and shows no secret', async () => {
    const staff = await staffSignedInAs(t, 'agent.ava');
    for (const q of ['globex.lock', 'Lou Locke', 'lou.locke@globex', 'Initech']) {
      const res = await staff.get('/helpdesk/callers').query({ q }).expect(200);
      expect(res.text).toContain('data-testid="caller-row"');
    }
    const page = await staff.get(`/helpdesk/callers/${paId(t, 'globex.locked')}`).expect(200);
    const locked = persona('globex.locked');
    for (const secret of [locked.password, locked.verificationPin, locked.verificationWord, '$2b$']) expect(page.text).not.toContain(secret);
    await verify(staff, 'globex.locked');
    const verified = await staff.get(`/helpdesk/callers/${paId(t, 'globex.locked')}`).expect(200);
    for (const secret of [locked.password, locked.verificationPin, locked.verificationWord, '$2b$']) expect(verified.text).not.toContain(secret);
    const pending = await staff.get(`/helpdesk/callers/${paId(t, 'globex.pending')}`).expect(200);
    expect(pending.text).not.toContain('GPND');
  });

  it('counts failed verifications; five in a row block until a supervisor clears them', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    for (let i = 0; i < 4; i += 1) expect((await verify(agent, 'globex.viewer', '0000', 'wrong')).status).toBe(401);
    const fifth = await verify(agent, 'globex.viewer', '0000', 'wrong');
    expect(fifth.status).toBe(423);
    expect((await verify(agent, 'globex.viewer')).status).toBe(423);
    const clearByAgent = await post(agent, `/helpdesk/callers/${paId(t, 'globex.viewer')}/clear-block`);
    expect(clearByAgent.status).toBe(403);
    const supervisor = await staffSignedInAs(t, 'super.sam');
    await post(supervisor, `/helpdesk/callers/${paId(t, 'globex.viewer')}/clear-block`).then((res) => expect(res.status).toBe(303));
    expect((await verify(agent, 'globex.viewer')).status).toBe(303);
    expect(t.context.db.all("SELECT action FROM audit_events WHERE action = 'helpdesk.verification.failure'")).toHaveLength(6);
  });

  it('identifies a caller who forgot their user ID by name, company and e-mail, then tells it', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    const wrong = await post(agent, '/helpdesk/identify', { firstName: 'Vera', lastName: 'Viewer', company: 'Initech LLC', email: 'vera.viewer@globex.example' });
    expect(wrong.status).toBe(401);
    const right = await post(agent, '/helpdesk/identify', { firstName: 'vera', lastName: 'VIEWER', company: 'Globex Corporation', email: 'Vera.Viewer@globex.example' });
    expect(right.status).toBe(303);
    // Details on file are no secret: they allow telling the user ID and nothing else.
    const contact = await post(agent, `/helpdesk/callers/${paId(t, 'globex.viewer')}/contact`, { firstName: 'Vera', lastName: 'Other', email: 'x@globex.example', phone: '' });
    expect(contact.status).toBe(403);
    expect(contact.text).toContain('data-error-code="verification_required"');
    const told = await expectOneRecord(() => post(agent, `/helpdesk/callers/${paId(t, 'globex.viewer')}/user-id`));
    expect(told.status).toBe(303);
    const page = await agent.get(told.headers.location!);
    expect(page.text).toContain('User ID is globex.viewer.');
    expect(t.context.outbox.list({ to: persona('globex.viewer').email, type: 'user_id_reminder' })).toHaveLength(1);
  });
});

describe('actions', () => {
  it('refuse everything before verification', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    const before = counts();
    for (const action of ['unlock', 'reactivate', 'user-id', 'access-code', 'escalate']) {
      const res = await post(agent, `/helpdesk/callers/${paId(t, 'globex.locked')}/${action}`, { note: 'x' });
      expect([action, res.status]).toEqual([action, 403]);
      expect(res.text).toContain('data-error-code="verification_required"');
    }
    expect(counts()).toEqual(before);
    expect(stateOf('globex.locked')).toBe('locked');
  });

  it('refuse once the verification lapsed after 15 minutes', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.locked');
    t.context.clock.advanceBy(VERIFICATION_TTL_MS - 60_000);
    await agent.get('/helpdesk'); // keeps the staff session alive
    t.context.clock.advanceBy(2 * 60_000);
    const res = await post(agent, `/helpdesk/callers/${paId(t, 'globex.locked')}/unlock`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="verification_lapsed"');
    expect(stateOf('globex.locked')).toBe('locked');
  });

  it('unlock: one transaction, one audit event, an e-mail; the PA logs in with their password', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.locked');
    const res = await expectOneRecord(() => post(agent, `/helpdesk/callers/${paId(t, 'globex.locked')}/unlock`));
    expect(res.status).toBe(303);
    expect(stateOf('globex.locked')).toBe('active');
    expect(t.context.outbox.list({ to: persona('globex.locked').email, type: 'unlocked' })).toHaveLength(1);
    const tx = t.context.db.get<{ tracking_number: string; status: string; submitted_by: string }>("SELECT tracking_number, status, submitted_by FROM transactions WHERE type = 'unlock'")!;
    expect(tx).toMatchObject({ status: 'completed', submitted_by: expect.stringMatching(/^staff:\d+$/) });
    expect((await submitLogin(request.agent(t.app), 'globex.locked', persona('globex.locked').password)).status).toBe(303);
    const again = await post(agent, `/helpdesk/callers/${paId(t, 'globex.locked')}/unlock`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('data-error-code="not_locked"');
  });

  it('reactivate: the PA logs in again and the 120 days start over', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.inactive');
    await expectOneRecord(() => post(agent, `/helpdesk/callers/${paId(t, 'globex.inactive')}/reactivate`));
    expect(stateOf('globex.inactive')).toBe('active');
    t.context.clock.advanceBy(119 * DAY_MS);
    expect((await submitLogin(request.agent(t.app), 'globex.inactive', persona('globex.inactive').password)).status).toBe(303);
    const notInactive = await post(await staffSignedInAs(t, 'agent.ava'), `/helpdesk/callers/${paId(t, 'globex.locked')}/reactivate`);
    expect(notInactive.status).toBe(403); // not verified for this caller in the new session
  });

  it('a new access code for a pending user, with a new Welcome e-mail that works', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.pending');
    await expectOneRecord(() => post(agent, `/helpdesk/callers/${paId(t, 'globex.pending')}/access-code`));
    const mails = t.context.outbox.list({ to: persona('globex.pending').email, type: 'welcome' });
    expect(mails).toHaveLength(2);
    expect(mails[1]!.data.accessCode).not.toBe(mails[0]!.data.accessCode);
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM access_codes WHERE used_at IS NULL AND voided_at IS NULL')!.n).toBe(1);
    const refused = await post(agent, `/helpdesk/callers/${paId(t, 'globex.pending')}/user-id`);
    expect(refused.status).toBe(409);
  });

  it('lift a fraud suspension: supervisors only, after verification', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.suspended');
    const byAgent = await post(agent, `/helpdesk/callers/${paId(t, 'globex.suspended')}/lift-suspension`);
    expect(byAgent.status).toBe(403);
    expect(stateOf('globex.suspended')).toBe('suspended');
    const supervisor = await staffSignedInAs(t, 'super.sam');
    const unverified = await post(supervisor, `/helpdesk/callers/${paId(t, 'globex.suspended')}/lift-suspension`);
    expect(unverified.status).toBe(403);
    await verify(supervisor, 'globex.suspended');
    await expectOneRecord(() => post(supervisor, `/helpdesk/callers/${paId(t, 'globex.suspended')}/lift-suspension`));
    expect(stateOf('globex.suspended')).toBe('active');
    expect((await submitLogin(request.agent(t.app), 'globex.suspended', persona('globex.suspended').password)).status).toBe(303);
  });

  it("an agent at a supervisor's action is refused on the caller page; a stranger is shown no caller", async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.suspended');
    const before = counts();
    for (const action of ['lift-suspension', 'clear-block']) {
      const res = await post(agent, `/helpdesk/callers/${paId(t, 'globex.suspended')}/${action}`);
      expect([action, res.status]).toEqual([action, 403]);
      expect(res.text).toContain('data-testid="caller-details"');
      expect(res.text).toContain('data-error-code="forbidden"');
    }
    expect(counts()).toEqual(before);
    expect(stateOf('globex.suspended')).toBe('suspended');
    expect((await post(agent, '/helpdesk/callers/999999/lift-suspension')).status).toBe(404);

    const stranger = request.agent(t.app);
    const token = csrfTokenIn((await stranger.get('/helpdesk/login')).text);
    const refused = await stranger.post(`/helpdesk/callers/${paId(t, 'globex.suspended')}/lift-suspension`).type('form').send({ _csrf: token });
    expect(refused.status).toBe(401);
    expect(refused.text).not.toContain('data-testid="caller-details"');
    expect(stateOf('globex.suspended')).toBe('suspended');
  });

  it('update contact details, telling the old and the new address', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    await expectOneRecord(() => post(agent, `/helpdesk/callers/${paId(t, 'globex.viewer')}/contact`, { firstName: 'Vera', lastName: 'Viewer-Smith', email: 'vera.smith@globex.example', phone: '555 010 9999' }));
    expect(t.context.db.get('SELECT last_name, email, phone FROM program_administrators WHERE id = ?', paId(t, 'globex.viewer'))).toEqual({ last_name: 'Viewer-Smith', email: 'vera.smith@globex.example', phone: '555 010 9999' });
    expect(t.context.outbox.list({ to: 'vera.viewer@globex.example', type: 'contact_updated' })).toHaveLength(1);
    expect(t.context.outbox.list({ to: 'vera.smith@globex.example', type: 'contact_updated' })).toHaveLength(1);
    const bad = await post(agent, `/helpdesk/callers/${paId(t, 'globex.viewer')}/contact`, { firstName: 'Vera', lastName: 'V', email: 'not-an-email', phone: '' });
    expect(bad.status).toBe(400);
  });

  it('escalate; a supervisor sees the queue and resolves it', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    await expectOneRecord(() => post(agent, `/helpdesk/callers/${paId(t, 'globex.viewer')}/escalate`, { note: 'Caller disputes a decision.' }));
    await agent.get('/helpdesk/escalations').expect(403);
    const supervisor = await staffSignedInAs(t, 'super.sam');
    const queue = await supervisor.get('/helpdesk/escalations').expect(200);
    expect(queue.text).toContain('Caller disputes a decision.');
    const id = /data-escalation-id="(\d+)"/.exec(queue.text)![1];
    await supervisor.post(`/helpdesk/escalations/${id}/resolve`).type('form').send({ _csrf: csrfTokenIn(queue.text), note: 'Explained the decision.' }).expect(303);
    expect(t.context.db.get("SELECT status FROM transactions WHERE type = 'escalation'")).toEqual({ status: 'completed' });
    expect((await supervisor.get('/helpdesk/escalations')).text).toContain('data-testid="escalations-empty"');
  });
});

describe('permission changes', () => {
  const grant = (agent: Agent, userId: string, permissions: string[], primary?: { pin: string; word: string }) =>
    post(agent, `/helpdesk/callers/${paId(t, userId)}/permissions`, { permissions, ...(primary ? { primaryPin: primary.pin, primaryWord: primary.word } : {}) });

  it("for a non-primary PA need the same company's primary PA verified on the call", async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    const withoutPrimary = await grant(agent, 'globex.viewer', ['cards.view', 'statements.view', 'cards.cancel']);
    expect(withoutPrimary.status).toBe(403);
    expect(withoutPrimary.text).toContain('data-error-code="primary_not_verified"');
    const initech = persona('initech.primary');
    const otherCompanysPrimary = await grant(agent, 'globex.viewer', ['cards.view', 'statements.view', 'cards.cancel'], { pin: initech.verificationPin, word: initech.verificationWord });
    expect(otherCompanysPrimary.status).toBe(403);
    const globex = persona('globex.primary');
    await expectOneRecord(() => grant(agent, 'globex.viewer', ['cards.view', 'statements.view', 'cards.cancel'], { pin: globex.verificationPin, word: globex.verificationWord }));
    const details = JSON.parse(t.context.db.get<{ details: string }>("SELECT details FROM transactions WHERE type = 'permission_change'")!.details);
    expect(details).toEqual({ added: ['cards.cancel'], removed: [], approvedByPrimaryPaId: paId(t, 'globex.primary') });
    expect(t.context.outbox.list({ to: persona('globex.viewer').email, type: 'permissions_changed' })).toHaveLength(1);
  });

  it('reach the PA’s open session at the next request', async () => {
    const viewer = await signedInAs(t, 'globex.viewer');
    await viewer.get('/cards/1/cancel').expect(403);
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    const globex = persona('globex.primary');
    await grant(agent, 'globex.viewer', ['cards.view', 'statements.view', 'cards.cancel'], { pin: globex.verificationPin, word: globex.verificationWord });
    await viewer.get('/cards/1/cancel').expect(200);
    expect((await viewer.get('/home')).text).toContain('data-testid="tile-cancel"');
  });

  it('refuse a primary PA removing their own last permission', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.primary');
    const res = await grant(agent, 'globex.primary', []);
    expect(res.status).toBe(409);
    expect(res.text).toContain('data-error-code="last_permission"');
    await expectOneRecord(() => grant(agent, 'globex.primary', ['cards.view', 'access.manage']));
  });

  it("keep the primary PA's right to the Access Center", async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.primary');
    const res = await grant(agent, 'globex.primary', ['cards.view', 'statements.view']);
    expect(res.status).toBe(409);
    expect(res.text).toContain('data-error-code="primary_access"');
    const primary = await signedInAs(t, 'globex.primary');
    await primary.get('/access').expect(200);
  });
});

describe('GET /help', () => {
  it('lists the channels, the service lines by card tier and how escalation works', async () => {
    const res = await request(t.app).get('/help').expect(200);
    expect(res.text).toContain('800-633-6973');
    for (const tier of ['standard', 'premium', 'business', 'prepaid']) expect(res.text).toContain(`data-testid="service-line-${tier}"`);
    expect(res.text).toMatch(/Escalation/);
    expect(res.text).toMatch(/Secure message/);
  });
});

describe("the primary PA's PIN and word on the permission form", () => {
  const globex = persona('globex.primary');
  const change = (agent: Agent, pin: string, word: string, permissions = ['cards.view', 'statements.view', 'cards.cancel']) =>
    post(agent, `/helpdesk/callers/${paId(t, 'globex.viewer')}/permissions`, { permissions, primaryPin: pin, primaryWord: word });
  const primaryCounter = () => t.context.db.get<{ failed_verifications: number; verification_blocked_at: number | null }>(
    'SELECT failed_verifications, verification_blocked_at FROM program_administrators WHERE id = ?', paId(t, 'globex.primary'))!;

  it('count wrong answers like any caller verification: the fifth blocks, even the right PIN, until a supervisor clears it', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    for (let i = 1; i <= 4; i += 1) {
      const wrong = await change(agent, '0000', 'wrong');
      expect(wrong.status).toBe(403);
      expect(wrong.text).toContain('data-error-code="primary_not_verified"');
      expect(primaryCounter()).toEqual({ failed_verifications: i, verification_blocked_at: null });
    }
    const fifth = await change(agent, '0000', 'wrong');
    expect(fifth.status).toBe(423);
    expect(fifth.text).toContain('data-error-code="verification_blocked"');
    expect(primaryCounter().verification_blocked_at).not.toBeNull();
    const right = await change(agent, globex.verificationPin, globex.verificationWord);
    expect(right.status).toBe(423);
    expect(t.context.db.get("SELECT count(*) AS n FROM transactions WHERE type = 'permission_change'")).toEqual({ n: 0 });
    // The same block stops the primary's own verification as a caller.
    expect((await verify(agent, 'globex.primary')).status).toBe(423);

    const supervisor = await staffSignedInAs(t, 'super.sam');
    expect((await post(supervisor, `/helpdesk/callers/${paId(t, 'globex.primary')}/clear-block`)).status).toBe(303);
    expect((await change(agent, globex.verificationPin, globex.verificationWord)).status).toBe(303);
    expect(primaryCounter()).toEqual({ failed_verifications: 0, verification_blocked_at: null });
  });

  it('a right answer resets the count, as a caller verification does', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    for (let i = 0; i < 4; i += 1) await change(agent, '0000', 'wrong');
    expect((await change(agent, globex.verificationPin, globex.verificationWord)).status).toBe(303);
    expect(primaryCounter()).toEqual({ failed_verifications: 0, verification_blocked_at: null });
  });

  it('a blank PIN or word is not a guess: its own message, marked on the field, and not counted', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    const blank = await change(agent, '', '');
    expect(blank.status).toBe(403);
    expect(blank.text).toContain('data-error-code="primary_not_verified"');
    expect(blank.text).toContain("Enter the primary PA&#39;s Verification PIN");
    expect(blank.text).toContain('data-testid="primaryPin-error"');
    expect(blank.text).toContain('data-testid="primaryWord-error"');
    const blankWord = await change(agent, globex.verificationPin, '  ');
    expect(blankWord.text).toContain('data-testid="primaryWord-error"');
    expect(blankWord.text).not.toContain('data-testid="primaryPin-error"');
    expect(primaryCounter().failed_verifications).toBe(0);

    const wrong = await change(agent, '0000', 'wrong');
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain('data-error-code="primary_not_verified"');
    expect(wrong.text).toContain('does not match our records');
    expect(wrong.text).not.toContain("Enter the primary PA&#39;s Verification PIN");
  });

  it('keeps the ticks the agent made when the change is refused', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    // globex.viewer holds cards.view and statements.view: the agent unticks one and ticks two others.
    const refused = await change(agent, '0000', 'wrong', ['cards.view', 'cards.cancel', 'charges.dispute']);
    expect(refused.status).toBe(403);
    const ticked = [...refused.text.matchAll(/<input type="checkbox"[^>]*name="permissions" value="([a-z_.]+)" checked/g)].map((m) => m[1]);
    expect(ticked.sort()).toEqual(['cards.cancel', 'cards.view', 'charges.dispute']);
    // What the PA holds is still listed as it is.
    expect(refused.text).toContain('data-testid="caller-permission-statements.view"');
    expect(refused.text).not.toContain('data-testid="caller-permission-cards.cancel"');
  });
});

describe('double submits', () => {
  /** The agent's CSRF token, read once, so two requests can leave at the same moment. */
  async function tokenOf(agent: Agent): Promise<string> {
    return csrfTokenIn((await agent.get('/helpdesk')).text);
  }

  it('two "new Access Code" clicks at once: one transaction, one Welcome e-mail, one live code', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.pending');
    const token = await tokenOf(agent);
    const url = `/helpdesk/callers/${paId(t, 'globex.pending')}/access-code`;
    const before = counts();
    const answers = await Promise.all([agent.post(url).type('form').send({ _csrf: token }), agent.post(url).type('form').send({ _csrf: token })]);
    expect(answers.map((res) => res.status).sort()).toEqual([303, 409]);
    expect(counts()).toEqual({ transactions: before.transactions + 1, audit: before.audit + 1 });
    expect(t.context.outbox.list({ to: persona('globex.pending').email, type: 'welcome' })).toHaveLength(2);
    expect(t.context.db.get('SELECT count(*) AS n FROM access_codes WHERE pa_id = ? AND used_at IS NULL AND voided_at IS NULL', paId(t, 'globex.pending')))
      .toEqual({ n: 1 });
  });

  it('two identical permission changes at once: one tracking number, one e-mail', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    const token = await tokenOf(agent);
    const globex = persona('globex.primary');
    const url = `/helpdesk/callers/${paId(t, 'globex.viewer')}/permissions`;
    const fields = { _csrf: token, permissions: ['cards.view', 'statements.view', 'cards.cancel'], primaryPin: globex.verificationPin, primaryWord: globex.verificationWord };
    const answers = await Promise.all([agent.post(url).type('form').send(fields), agent.post(url).type('form').send(fields)]);
    expect(answers.map((res) => res.status).sort()).toEqual([303, 409]);
    expect(t.context.db.get("SELECT count(*) AS n FROM transactions WHERE type = 'permission_change'")).toEqual({ n: 1 });
    expect(t.context.outbox.list({ to: persona('globex.viewer').email, type: 'permissions_changed' })).toHaveLength(1);
  });

  it('verifying two callers in two tabs at once leaves both verified', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    const token = await tokenOf(agent);
    const verifyNow = (userId: string) => agent.post(`/helpdesk/callers/${paId(t, userId)}/verify`).type('form')
      .send({ _csrf: token, verificationPin: persona(userId).verificationPin, verificationWord: persona(userId).verificationWord });
    const answers = await Promise.all([verifyNow('globex.locked'), verifyNow('globex.inactive')]);
    expect(answers.map((res) => res.status)).toEqual([303, 303]);
    for (const userId of ['globex.locked', 'globex.inactive']) {
      const page = await agent.get(`/helpdesk/callers/${paId(t, userId)}`).expect(200);
      expect([userId, page.text.includes('data-testid="caller-verified"')]).toEqual([userId, true]);
    }
  });
});

describe('double submits of an escalation', () => {
  it('the same note twice at once for one caller raises one escalation; a different note raises another', async () => {
    const agent = await staffSignedInAs(t, 'agent.ava');
    await verify(agent, 'globex.viewer');
    const token = csrfTokenIn((await agent.get('/helpdesk')).text);
    const url = `/helpdesk/callers/${paId(t, 'globex.viewer')}/escalate`;
    const escalations = () => t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM escalations')!.n;
    const before = { ...counts(), escalations: escalations() };
    const answers = await Promise.all([1, 2].map(() => agent.post(url).type('form').send({ _csrf: token, note: 'Caller disputes a decision.' })));
    expect(answers.map((res) => res.status).sort()).toEqual([303, 409]);
    expect({ ...counts(), escalations: escalations() })
      .toEqual({ transactions: before.transactions + 1, audit: before.audit + 1, escalations: before.escalations + 1 });
    expect((await agent.post(url).type('form').send({ _csrf: token, note: 'A second matter.' })).status).toBe(303);
    expect(escalations()).toBe(before.escalations + 2);
  });
});
