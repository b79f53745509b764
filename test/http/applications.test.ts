// Card applications that wait for approval (issue 18): an invitation by a PA with cards.apply, the
// employee's public form behind a single-use link, the approvers' To-Do list and decisions, the
// two-approver rule, and the card issued with its Welcome e-mail once the back office completes it.
import request from 'supertest';
import { STORED_LINK_ORIGIN } from '../../src/features/outbox/outbox.service';
import { addAdministrator, auditActions, signedInAs, submitWithReview, trackingNumberFrom } from '../helpers/actors';
import { csrfTokenIn, STACK_TRACE, type Agent } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } });
});
afterEach(() => t.close());

const GLOBEX_EAST = 'GLX-E-OPS';

/** Posts a form with the CSRF token of the page it is on. */
async function post(agent: Agent, page: string, action: string, fields: Record<string, string>) {
  const shown = await agent.get(page);
  return agent.post(action).type('form').send({ _csrf: csrfTokenIn(shown.text), ...fields });
}

async function invite(agent: Agent, fields: Partial<Record<string, string>> = {}) {
  return post(agent, '/applications/invite', '/applications/invite', {
    employeeName: 'Nadia Newhire', employeeEmail: 'nadia.newhire@globex.example', controlAccount: GLOBEX_EAST, tier: 'standard', requestedLimit: '2500', ...fields,
  });
}

/** Invites as the primary and returns the tracking number and the link's token from the e-mail. */
async function invited(fields: Partial<Record<string, string>> = {}): Promise<{ trackingNumber: string; token: string }> {
  const primary = await signedInAs(t, 'globex.primary');
  const res = await invite(primary, fields);
  expect(res.status).toBe(303);
  const trackingNumber = /^\/applications\/(AW\d{10})$/.exec(res.headers.location!)![1]!;
  const email = t.context.outbox.list({ type: 'application_invitation', to: fields.employeeEmail ?? 'nadia.newhire@globex.example' }).at(-1)!;
  const applyUrl = String(email.data.applyUrl);
  const token = applyUrl.split('/apply/')[1]!;
  return { trackingNumber, token };
}

async function employeeApplies(token: string, fields: Record<string, string> = { jobTitle: 'Field Engineer', phone: '+1 555 010 0199', agree: 'yes' }) {
  const employee = request.agent(t.app);
  const form = await employee.get(`/apply/${token}`);
  if (form.status !== 200) return form;
  return employee.post(`/apply/${token}`).type('form').send({ _csrf: csrfTokenIn(form.text), ...fields });
}

async function advance(by: string): Promise<void> {
  await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance: by }).expect(200);
}

const application = (trackingNumber: string) => t.context.db.get<{ state: string; assignee_pa_id: number | null; job_title: string | null }>(
  'SELECT a.state, a.assignee_pa_id, a.job_title FROM card_applications a JOIN transactions t ON t.id = a.transaction_id WHERE t.tracking_number = ?', trackingNumber)!;
const transaction = (trackingNumber: string) => t.context.db.get<{ status: string; next_due_at: number | null; rejection_reason: string | null; card_id: number | null }>(
  'SELECT status, next_due_at, rejection_reason, card_id FROM transactions WHERE tracking_number = ?', trackingNumber)!;
const toDoNumbers = (html: string) => [...html.matchAll(/data-testid="todo-item" data-kind="application" data-tracking-number="(AW\d+)"/g)].map((m) => m[1]);
const decide = (agent: Agent, trackingNumber: string, action: string, fields: Record<string, string> = {}) =>
  post(agent, `/applications/${trackingNumber}`, `/applications/${trackingNumber}/${action}`, fields);

describe('from invitation to issued card', () => {
  it('invites, the employee applies through the link, an approver approves, and the clock issues the card with a Welcome e-mail', async () => {
    const { trackingNumber, token } = await invited();
    // The invitation e-mail carries the link, written against the stored origin like a reset link.
    const stored = t.context.db.get<{ data: string }>("SELECT data FROM outbox_messages WHERE type = 'application_invitation'")!;
    expect(JSON.parse(stored.data).applyUrl).toMatch(new RegExp(`^${STORED_LINK_ORIGIN}/apply/`));
    expect(application(trackingNumber).state).toBe('invited');
    expect(transaction(trackingNumber)).toMatchObject({ status: 'submitted', next_due_at: null });

    const applied = await employeeApplies(token);
    expect(applied.status).toBe(200);
    expect(applied.text).toContain('data-testid="application-received"');
    expect(application(trackingNumber)).toMatchObject({ state: 'awaiting_approval', job_title: 'Field Engineer' });

    // Waiting for an approver, the clock does not move it.
    await advance('3d');
    expect(transaction(trackingNumber)).toMatchObject({ status: 'submitted', next_due_at: null });

    const approver = await signedInAs(t, 'globex.approver');
    expect(toDoNumbers((await approver.get('/home')).text)).toEqual([trackingNumber]);
    const approved = await decide(approver, trackingNumber, 'approve');
    expect(approved.status).toBe(303);
    expect(application(trackingNumber).state).toBe('approved');
    expect(toDoNumbers((await approver.get('/home')).text)).toEqual([]);
    const primaryEmail = t.context.db.get<{ email: string }>("SELECT email FROM program_administrators WHERE user_id = 'globex.primary'")!.email;
    expect(t.context.outbox.list({ type: 'application_decision' }).map((m) => [m.to, m.data.decision])).toEqual([[primaryEmail, 'approved']]);

    await advance('1h');
    expect(transaction(trackingNumber).status).toBe('in_progress');
    await advance('1d');
    const done = transaction(trackingNumber);
    expect(done.status).toBe('completed');
    const card = t.context.db.get<{ cardmember_name: string; last_five: string; control_account_id: number }>('SELECT * FROM cards WHERE id = ?', done.card_id)!;
    expect(card.cardmember_name).toBe('Nadia Newhire');
    const welcome = t.context.outbox.list({ type: 'card_welcome', to: 'nadia.newhire@globex.example' });
    expect(welcome).toHaveLength(1);
    expect(welcome[0]!.data.maskedCardNumber).toBe(`•••• ${card.last_five}`);

    // Track Applications shows every step with its time and actor.
    const primary = await signedInAs(t, 'globex.primary');
    const page = await primary.get(`/applications/${trackingNumber}`).expect(200);
    expect([...page.text.matchAll(/data-testid="application-step" data-step="([a-z]+)"/g)].map((m) => m[1])).toEqual(['invited', 'applied', 'approved', 'issued']);
    expect(page.text).toMatch(/data-step="approved">[\s\S]*?step-actor">[^<]+</);
    const list = await primary.get('/applications').expect(200);
    expect(list.text).toContain(`data-tracking-number="${trackingNumber}" data-state="approved"`);
    expect(auditActions(t, `application:${trackingNumber}`)).toEqual([
      'application.invited:success', 'application.submitted:success', 'application.approved:success',
    ]);
  });

  it('records every step in the journal', async () => {
    const { trackingNumber, token } = await invited();
    await employeeApplies(token);
    const res = await request(t.app).get(`/sim/api/events?subject=application:${trackingNumber}`).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).expect(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['application.invited', 'application.submitted']);
  });
});

describe('the public form at /apply/:token', () => {
  it('answers an unknown, a used and an expired link with the same 410 page', async () => {
    const unknown = await request(t.app).get('/apply/not-a-real-token').expect(410);
    const { token } = await invited();
    expect((await employeeApplies(token)).status).toBe(200);
    const used = await request(t.app).get(`/apply/${token}`).expect(410);
    const second = await invited({ employeeEmail: 'second@globex.example', employeeName: 'Sam Second' });
    await advance('15d');
    const expired = await request(t.app).get(`/apply/${second.token}`).expect(410);
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '');
    expect(strip(used.text)).toBe(strip(unknown.text));
    expect(strip(expired.text)).toBe(strip(unknown.text));
    expect(unknown.text).toContain('data-error-code="application_link_unusable"');
    // Due work expired the lapsed invitation: its request is rejected with the reason.
    expect(application(second.trackingNumber).state).toBe('expired');
    expect(transaction(second.trackingNumber).status).toBe('rejected');
  });

  it('shows every problem of bad input on the form, never a 500, and keeps the link usable', async () => {
    const { token, trackingNumber } = await invited();
    const bad: Array<Record<string, string>> = [{}, { jobTitle: 'x', phone: 'abc' }, { jobTitle: 'Chief\u0007Officer', agree: 'no' }, { jobTitle: ['a', 'b'] as unknown as string }];
    for (const fields of bad) {
      const res = await employeeApplies(token, fields);
      expect(res.status).toBe(400);
      expect(res.text).toContain('data-testid="apply-error"');
      expect(res.text).not.toMatch(STACK_TRACE);
    }
    const res = await employeeApplies(token, { jobTitle: '', phone: '12', agree: '' });
    expect(res.text).toContain('data-testid="jobTitle-error"');
    expect(res.text).toContain('data-testid="phone-error"');
    expect(res.text).toContain('data-testid="agree-error"');
    expect(application(trackingNumber).state).toBe('invited');
  });

  it('is rate-limited like the sign-in forms', async () => {
    await t.close();
    t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await request(t.app).get(`/apply/guess-${i}`)).status);
    expect(statuses).toEqual([410, 410, 410, 429, 429]);
  });
});

describe('the invitation form', () => {
  it('needs cards.apply', async () => {
    const approver = await signedInAs(t, 'globex.approver');
    await approver.get('/applications/invite').expect(403);
  });

  it('reports each bad field, and writes nothing', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const res = await invite(primary, { employeeName: '', employeeEmail: 'nope', controlAccount: 'NOPE', tier: 'gold', requestedLimit: '99999999' });
    expect(res.status).toBe(400);
    for (const field of ['employeeName', 'employeeEmail', 'controlAccount', 'tier', 'requestedLimit']) expect(res.text).toContain(`data-testid="${field}-error"`);
    // The default scenario's own invitation (Paula Prospect) is the only one.
    expect(t.context.outbox.list({ type: 'application_invitation' })).toHaveLength(1);
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM card_applications')!.n).toBe(1);
  });

  it('refuses a control account outside a scoped PA\'s scope like one that does not exist', async () => {
    const scoped = await addAdministrator(t, 'west.inviter', ['cards.view', 'cards.apply']);
    const west = t.context.db.get<{ id: number }>("SELECT id FROM control_accounts WHERE number = 'GLX-W'")!.id;
    t.context.db.run('INSERT INTO pa_scopes (pa_id, control_account_id) VALUES (?, ?)', scoped.id, west);
    const agent = await signedInAs(t, 'west.inviter', scoped.password);
    const form = await agent.get('/applications/invite').expect(200);
    expect(form.text).toContain('value="GLX-W-SLS"');
    expect(form.text).not.toContain(`value="${GLOBEX_EAST}"`);
    const outside = await invite(agent, { controlAccount: GLOBEX_EAST });
    const unknown = await invite(agent, { controlAccount: 'GLX-NOPE' });
    expect(outside.status).toBe(400);
    expect(outside.text).toContain('data-testid="controlAccount-error"');
    expect(/data-testid="controlAccount-error">([^<]+)</.exec(outside.text)![1]).toBe(/data-testid="controlAccount-error">([^<]+)</.exec(unknown.text)![1]);
    expect((await invite(agent, { controlAccount: 'GLX-W-SLS' })).status).toBe(303);
  });
});

describe('approver decisions', () => {
  async function awaiting(fields: Partial<Record<string, string>> = {}) {
    const found = await invited(fields);
    expect((await employeeApplies(found.token)).status).toBe(200);
    return found.trackingNumber;
  }

  it('refuses an approval of one\'s own application (own_application), and the To-Do list never shows it', async () => {
    const trackingNumber = await awaiting();
    const primary = await signedInAs(t, 'globex.primary');
    expect(toDoNumbers((await primary.get('/home')).text)).toEqual([]);
    const res = await decide(primary, trackingNumber, 'approve');
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="own_application"');
    expect(application(trackingNumber).state).toBe('awaiting_approval');
  });

  it('needs two different approvers above the company\'s threshold ($10,000 at Globex)', async () => {
    const trackingNumber = await awaiting({ requestedLimit: '12000' });
    const approver = await signedInAs(t, 'globex.approver');
    expect((await decide(approver, trackingNumber, 'approve')).status).toBe(303);
    expect(application(trackingNumber).state).toBe('awaiting_approval');
    expect(transaction(trackingNumber).next_due_at).toBeNull();
    // The same approver again is refused, and it leaves their To-Do list.
    const again = await decide(approver, trackingNumber, 'approve');
    expect(again.status).toBe(409);
    expect(again.text).toContain('data-error-code="already_approved"');
    expect(toDoNumbers((await approver.get('/home')).text)).toEqual([]);

    const second = await addAdministrator(t, 'second.approver', ['cards.view', 'cards.approve']);
    const other = await signedInAs(t, 'second.approver', second.password);
    expect(toDoNumbers((await other.get('/home')).text)).toEqual([trackingNumber]);
    // Nor can it be rerouted back to the approver who approved it already.
    const back = await decide(other, trackingNumber, 'reroute', { approver: 'globex.approver', note: 'Once more?' });
    expect(back.status).toBe(400);
    expect(back.text).toContain('data-testid="approver-error"');
    expect((await decide(other, trackingNumber, 'approve')).status).toBe(303);
    expect(application(trackingNumber).state).toBe('approved');
    expect(transaction(trackingNumber).next_due_at).not.toBeNull();
  });

  it('reroutes to another approver with a note: the item moves to that approver\'s To-Do list only', async () => {
    const trackingNumber = await awaiting();
    const second = await addAdministrator(t, 'second.approver', ['cards.view', 'cards.approve']);
    const approver = await signedInAs(t, 'globex.approver');
    const noNote = await decide(approver, trackingNumber, 'reroute', { approver: 'second.approver', note: '' });
    expect(noNote.status).toBe(400);
    expect(noNote.text).toContain('data-testid="note-error"');
    const nobody = await decide(approver, trackingNumber, 'reroute', { approver: 'globex.viewer', note: 'Please look' });
    expect(nobody.text).toContain('data-testid="approver-error"');
    expect((await decide(approver, trackingNumber, 'reroute', { approver: 'second.approver', note: 'Your cost centre' })).status).toBe(303);
    expect(application(trackingNumber).assignee_pa_id).toBe(second.id);
    expect(toDoNumbers((await approver.get('/home')).text)).toEqual([]);
    const refused = await decide(approver, trackingNumber, 'approve');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('data-error-code="not_assignee"');
    const other = await signedInAs(t, 'second.approver', second.password);
    expect(toDoNumbers((await other.get('/home')).text)).toEqual([trackingNumber]);
    expect((await other.get(`/applications/${trackingNumber}`)).text).toContain('To Fixture Person: Your cost centre');
    expect(auditActions(t)).toContain('application.rerouted:success');
  });

  it('rejects with a reason: the request is rejected and the inviting PA is told', async () => {
    const trackingNumber = await awaiting();
    const approver = await signedInAs(t, 'globex.approver');
    const noReason = await decide(approver, trackingNumber, 'reject', { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('data-testid="reason-error"');
    expect((await decide(approver, trackingNumber, 'reject', { reason: 'Not budgeted this quarter' })).status).toBe(303);
    expect(application(trackingNumber).state).toBe('rejected');
    expect(transaction(trackingNumber)).toMatchObject({ status: 'rejected', rejection_reason: 'Not budgeted this quarter' });
    const told = t.context.outbox.list({ type: 'application_decision' });
    expect(told.map((m) => [m.data.decision, m.data.reason])).toEqual([['rejected', 'Not budgeted this quarter']]);
    expect((await decide(approver, trackingNumber, 'approve')).status).toBe(409);
  });

  it('lets the inviting PA cancel before anyone decides, and the link stops working', async () => {
    const { trackingNumber, token } = await invited();
    const primary = await signedInAs(t, 'globex.primary');
    expect((await decide(primary, trackingNumber, 'cancel', { reason: 'Wrong person' })).status).toBe(303);
    expect(application(trackingNumber).state).toBe('cancelled');
    expect(transaction(trackingNumber).rejection_reason).toMatch(/^Cancelled by .+: Wrong person$/);
    expect((await request(t.app).get(`/apply/${token}`)).status).toBe(410);
    const again = await decide(primary, trackingNumber, 'cancel');
    expect(again.status).toBe(409);
    expect(auditActions(t)).toContain('application.cancelled:success');
  });

  it('refuses a viewer, and answers another company\'s application with 404', async () => {
    const trackingNumber = await awaiting();
    const viewer = await signedInAs(t, 'globex.viewer');
    await viewer.get('/applications').expect(403);
    await viewer.get(`/applications/${trackingNumber}`).expect(403);
    const initech = await signedInAs(t, 'initech.primary');
    await initech.get(`/applications/${trackingNumber}`).expect(404);
    expect((await decide(initech, trackingNumber, 'cancel')).status).toBe(404);
    expect((await initech.get('/applications')).text).not.toContain(trackingNumber);
  });
});

describe('approval rules and scope', () => {
  it('sends an employee\'s completed application on at once where the company sets no approval rule (Initech)', async () => {
    const initech = await signedInAs(t, 'initech.primary');
    const res = await invite(initech, { employeeName: 'Milton Waddams', employeeEmail: 'milton@initech.example', controlAccount: 'INI-01' });
    expect(res.status).toBe(303);
    const trackingNumber = res.headers.location!.split('/').at(-1)!;
    const token = String(t.context.outbox.list({ to: 'milton@initech.example' })[0]!.data.applyUrl).split('/apply/')[1]!;
    expect((await employeeApplies(token)).status).toBe(200);
    expect(application(trackingNumber).state).toBe('approved');
    await advance('2d');
    expect(transaction(trackingNumber).status).toBe('completed');
    expect(t.context.outbox.list({ type: 'card_welcome', to: 'milton@initech.example' })).toHaveLength(1);
  });

  it('keeps an application outside an approver\'s scope off their To-Do list, and answers it 404 like one that does not exist', async () => {
    const trackingNumber = (await invited()).trackingNumber; // GLX-E-OPS
    const westApprover = await addAdministrator(t, 'west.approver', ['cards.view', 'cards.approve']);
    const west = t.context.db.get<{ id: number }>("SELECT id FROM control_accounts WHERE number = 'GLX-W'")!.id;
    t.context.db.run('INSERT INTO pa_scopes (pa_id, control_account_id) VALUES (?, ?)', westApprover.id, west);
    const token = String(t.context.outbox.list({ to: 'nadia.newhire@globex.example' })[0]!.data.applyUrl).split('/apply/')[1]!;
    expect((await employeeApplies(token)).status).toBe(200);
    const agent = await signedInAs(t, 'west.approver', westApprover.password);
    expect(toDoNumbers((await agent.get('/home')).text)).toEqual([]);
    await agent.get(`/applications/${trackingNumber}`).expect(404);
    expect((await decide(await signedInAs(t, 'globex.approver'), trackingNumber, 'approve')).status).toBe(303);
    expect((await agent.post(`/applications/${trackingNumber}/approve`).type('form').send({ _csrf: csrfTokenIn((await agent.get('/home')).text) })).status).toBe(404);
  });

  it('refuses a decision on an application the employee has not completed yet (not_awaiting_approval)', async () => {
    const { trackingNumber } = await invited();
    const res = await decide(await signedInAs(t, 'globex.approver'), trackingNumber, 'approve');
    expect(res.status).toBe(409);
    expect(res.text).toContain('data-error-code="not_awaiting_approval"');
  });
});

describe('the direct application at /cards/apply', () => {
  it('waits for another PA\'s approval where the company asks for it (Globex)', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const res = await submitWithReview(primary, '/cards/apply', { cardmemberName: 'Dora Direct', tier: 'standard', requestedLimit: '3000' });
    const trackingNumber = trackingNumberFrom(res.headers.location);
    expect(application(trackingNumber).state).toBe('awaiting_approval');
    await advance('2d');
    expect(transaction(trackingNumber).status).toBe('submitted');
    const approver = await signedInAs(t, 'globex.approver');
    expect((await decide(approver, trackingNumber, 'approve')).status).toBe(303);
    await advance('2d');
    expect(transaction(trackingNumber).status).toBe('completed');
    // No employee e-mail is on file for a direct application: no Welcome e-mail, but the card is issued.
    expect(t.context.outbox.list({ type: 'card_welcome' })).toHaveLength(0);
  });

  it('is submitted directly where the company sets no approval rule (Initech)', async () => {
    const primary = await signedInAs(t, 'initech.primary');
    const res = await submitWithReview(primary, '/cards/apply', { cardmemberName: 'Ian Direct', tier: 'standard', requestedLimit: '3000' });
    const trackingNumber = trackingNumberFrom(res.headers.location);
    expect(transaction(trackingNumber).next_due_at).not.toBeNull();
    await advance('2d');
    expect(transaction(trackingNumber).status).toBe('completed');
    expect(t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM card_applications WHERE employee_name = 'Ian Direct'")!.n).toBe(0);
  });
});

describe('invitations in the scenario format', () => {
  const api = (method: 'get' | 'post', url: string) => request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);

  it('puts the default scenario\'s pending invitation in the outbox, its link named by the scenario', async () => {
    // Loading writes no journal: a script's journal starts empty.
    expect((await api('get', '/sim/api/events').expect(200)).body.events).toEqual([]);
    const [email] = t.context.outbox.list({ to: 'paula.prospect@globex.example', type: 'application_invitation' });
    expect(new URL(String(email!.data.applyUrl)).pathname).toBe('/apply/paula-prospect-invitation-2026');
    const page = await request(t.app).get('/apply/paula-prospect-invitation-2026').expect(200);
    expect(page.text).toContain('data-testid="apply-employee-name">Paula Prospect<');
    const primary = await signedInAs(t, 'globex.primary');
    const list = await primary.get('/applications').expect(200);
    expect(list.text).toMatch(/data-testid="application-row" data-tracking-number="AW\d{10}" data-state="invited"/);
  });

  it('exports a pending invitation as one, not as a transaction, and loads it again', async () => {
    const exported = (await api('get', '/sim/api/scenario?name=with_invitation').expect(200)).body as {
      invitations: Array<Record<string, unknown>>; transactions: Array<{ summary: string }>;
    };
    expect(exported.invitations).toEqual([{
      invitedBy: 'globex.primary', employeeName: 'Paula Prospect', employeeEmail: 'paula.prospect@globex.example', controlAccount: 'GLX-W-SLS',
      tier: 'business', limitDollars: 4000, invitedDaysAgo: 1,
    }]);
    expect(exported.transactions.map((tr) => tr.summary)).not.toContain(expect.stringContaining('Paula Prospect'));
    await api('post', '/sim/api/scenarios').send(exported).expect(201);
    await api('post', '/sim/api/reset').send({ scenario: 'with_invitation' }).expect(200);
    expect(t.context.outbox.list({ type: 'application_invitation' })).toHaveLength(1);
    expect(t.context.db.get<{ state: string }>('SELECT state FROM card_applications')!.state).toBe('invited');
  });

  it('refuses an invitation by a PA without cards.apply, or into an account outside the inviter\'s scope, by JSON path', async () => {
    const document = (await api('get', '/sim/api/scenario?name=bad_invitations').expect(200)).body as Record<string, unknown> & { invitations: Array<Record<string, unknown>> };
    const invitation = document.invitations[0]!;
    const refused = await api('post', '/sim/api/scenarios').send({
      ...document, invitations: [{ ...invitation, invitedBy: 'globex.viewer' }, { ...invitation, controlAccount: 'nowhere' }, { ...invitation, limitDollars: 999_999 }],
    }).expect(400);
    expect(refused.body.error.code).toBe('invalid_scenario');
    expect(Object.keys(refused.body.error.fields).sort()).toEqual(['invitations[0].invitedBy', 'invitations[1].controlAccount', 'invitations[2].limitDollars']);
  });
});
