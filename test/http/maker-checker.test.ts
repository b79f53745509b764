// Maker-checker (issue 18): under a company's approval rules, a limit change above its threshold and
// a cancellation by a non-primary PA are held for a second administrator instead of submitted. An
// approver (cards.approve, not the maker) approves it, and it is submitted through the usual path, or
// rejects it; the maker may withdraw it. Initech holds limit changes above $5,000 and its non-primary
// PAs' cancellations; Globex holds nothing.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { addAdministrator, auditActions, cardId, signedInAs, submitLogin, submitWithReview } from '../helpers/actors';
import { csrfTokenFrom, STACK_TRACE, type Agent } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const HELD_PATH = /^\/approvals\/(AW\d{10})\?held=1$/;
const count = (sql: string, ...params: unknown[]) => t.context.db.get<{ n: number }>(`SELECT count(*) AS n FROM (${sql})`, ...(params as never[]))!.n;
const transactionsOf = (type: string) => count('SELECT 1 FROM transactions WHERE type = ?', type);
const card = (name: string) => t.context.db.get<{ limit_cents: number; state: string; temp_limit_cents: number | null }>(
  'SELECT limit_cents, state, temp_limit_cents FROM cards WHERE id = ?', cardId(t, name))!;
const heldChange = (trackingNumber: string) => t.context.db.get<{ state: string; approvers_needed: number; rejection_reason: string | null }>(
  'SELECT h.state, h.approvers_needed, h.rejection_reason FROM held_changes h JOIN transactions t ON t.id = h.transaction_id WHERE t.tracking_number = ?', trackingNumber)!;
const transaction = (trackingNumber: string) => t.context.db.get<{ type: string; status: string; submitted_by: string; details: string; rejection_reason: string | null }>(
  'SELECT type, status, submitted_by, details, rejection_reason FROM transactions WHERE tracking_number = ?', trackingNumber)!;

async function advance(by: string) {
  await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance: by }).expect(200);
}

async function post(agent: Agent, url: string, fields: Record<string, string> = {}, page = '/approvals') {
  const token = await csrfTokenFrom(agent, page);
  return agent.post(url).type('form').send({ _csrf: token, ...fields });
}

/** The maker asks for a permanent limit on the card and confirms it; returns the answer. */
const changeLimit = (agent: Agent, cardmember: string, dollars: number) =>
  submitWithReview(agent, `/cards/${cardId(t, cardmember)}/limit`, { limitType: 'permanent', newLimit: String(dollars), endDate: '' });

/** Holds a limit change by initech.maker and returns its tracking number. */
async function heldLimitChange(maker: Agent, dollars = 7_500, cardmember = 'Peter Gibbons'): Promise<string> {
  const answer = await changeLimit(maker, cardmember, dollars);
  expect(answer.status).toBe(303);
  const match = HELD_PATH.exec(answer.headers.location ?? '');
  if (!match) throw new Error(`not held: ${answer.status} ${answer.headers.location}`);
  return match[1]!;
}

describe('a limit change above the company threshold', () => {
  it('is held, not submitted: the card is unchanged and the maker is told it waits for a second administrator', async () => {
    const maker = await signedInAs(t, 'initech.maker');
    const before = transactionsOf('limit_change');
    const held = await heldLimitChange(maker);
    expect(transactionsOf('limit_change')).toBe(before);
    expect(card('Peter Gibbons').limit_cents).toBe(300_000);
    expect(heldChange(held)).toEqual({ state: 'held', approvers_needed: 1, rejection_reason: null });
    expect(transaction(held)).toMatchObject({ type: 'held_change', status: 'submitted', submitted_by: `pa:${t.context.db.get<{ id: number }>("SELECT id FROM program_administrators WHERE user_id = 'initech.maker'")!.id}` });

    const page = await maker.get(`/approvals/${held}?held=1`).expect(200);
    expect(page.text).toContain('data-testid="held-confirmation"');
    expect(page.text).toContain("waits for a second administrator's approval");
    expect(page.text).toContain('data-state="held"');
    expect(page.text).toContain('data-testid="withdraw-form"');
    expect(page.text).not.toContain('data-testid="approve-form"');
    expect(page.text).toMatch(/data-testid="held-newLimit">\$7,500\.00</);
    expect(auditActions(t, `transaction:${held}`)).toEqual(['held_change.held:success']);

    // A second limit change for the card waits for this one, as for one being processed.
    const again = await changeLimit(maker, 'Peter Gibbons', 8_000);
    expect(again.status).toBe(409);
    expect(again.text).toContain(`Request ${held} for this card is waiting for a second administrator&#39;s approval.`);
  });

  it("shows in the approver's To-Do list, and approving submits it: a tracking number, the lifecycle, an e-mail to the maker", async () => {
    const maker = await signedInAs(t, 'initech.maker');
    const held = await heldLimitChange(maker);
    const approver = await signedInAs(t, 'initech.primary');
    const home = (await approver.get('/home').expect(200)).text;
    expect(home).toContain(`data-testid="todo-item" data-kind="held_change" data-tracking-number="${held}"`);
    expect(home).toContain(`href="/approvals/${held}"`);
    expect((await approver.get('/approvals').expect(200)).text).toContain(`data-testid="held-change-row" data-tracking-number="${held}"`);
    expect((await maker.get('/home').expect(200)).text).not.toContain('data-testid="todo-item"');

    const approved = await post(approver, `/approvals/${held}/approve`, {}, `/approvals/${held}`);
    expect(approved.status).toBe(303);
    expect(approved.headers.location).toBe(`/approvals/${held}`);
    const page = (await approver.get(`/approvals/${held}`).expect(200)).text;
    const submitted = /Its status tracking number is (AW\d{10})/.exec(page)?.[1];
    expect(submitted).toBeDefined();
    expect(page).toContain('data-state="approved"');
    expect(transaction(submitted!)).toMatchObject({ type: 'limit_change', status: 'submitted', submitted_by: transaction(held).submitted_by });
    expect(JSON.parse(transaction(submitted!).details)).toMatchObject({ heldChange: held, newLimitCents: 750_000 });
    expect(transaction(held).status).toBe('completed');
    expect(heldChange(held).state).toBe('approved');
    expect((await approver.get('/home')).text).not.toContain(`data-tracking-number="${held}"`);

    const [mail] = t.context.outbox.list({ type: 'held_change_approved' });
    expect(mail?.to).toBe('milton.waddams@initech.example');
    expect(mail?.text).toContain(submitted);
    expect(auditActions(t, `transaction:${held}`)).toEqual(['held_change.held:success', 'held_change.approved:success']);

    await advance('2d');
    expect(transaction(submitted!).status).toBe('completed');
    expect(card('Peter Gibbons').limit_cents).toBe(750_000);
    // Status Tracking shows the held change's history: held, then approved (signed in again: the clock moved on).
    const later = await signedInAs(t, 'initech.maker');
    expect((await later.get(`/transactions/${held}`).expect(200)).text).toContain(`submitted as ${submitted}`);
  });

  it('checks the change again when it is approved: a card cancelled meanwhile refuses it, and it stays held', async () => {
    const maker = await signedInAs(t, 'initech.maker');
    const held = await heldLimitChange(maker);
    const before = transactionsOf('limit_change');
    t.context.db.run("UPDATE cards SET state = 'cancelled' WHERE id = ?", cardId(t, 'Peter Gibbons'));
    const approver = await signedInAs(t, 'initech.primary');
    const refused = await post(approver, `/approvals/${held}/approve`, {}, `/approvals/${held}`);
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/data-testid="approval-error" data-error-code="action_not_allowed"/);
    expect(refused.text).toContain('cannot be submitted now');
    expect(heldChange(held).state).toBe('held');
    expect(transactionsOf('limit_change')).toBe(before);
    expect(count('SELECT 1 FROM held_change_approvals')).toBe(0);
  });

  it('rejected with a reason, leaves nothing submitted and tells the maker why', async () => {
    const maker = await signedInAs(t, 'initech.maker');
    const held = await heldLimitChange(maker);
    const approver = await signedInAs(t, 'initech.primary');
    const blank = await post(approver, `/approvals/${held}/reject`, { reason: '  ' }, `/approvals/${held}`);
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('data-testid="reason-error"');
    expect(heldChange(held).state).toBe('held');

    const before = transactionsOf('limit_change');
    expect((await post(approver, `/approvals/${held}/reject`, { reason: 'Budget frozen until Q3.' }, `/approvals/${held}`)).status).toBe(303);
    expect(heldChange(held)).toMatchObject({ state: 'rejected', rejection_reason: 'Budget frozen until Q3.' });
    expect(transaction(held)).toMatchObject({ status: 'rejected', rejection_reason: 'Budget frozen until Q3.' });
    expect(transactionsOf('limit_change')).toBe(before);
    expect(t.context.outbox.list({ type: 'held_change_rejected' })[0]?.text).toContain('Budget frozen until Q3.');
    await advance('2d');
    expect(card('Peter Gibbons').limit_cents).toBe(300_000);

    const again = await post(await signedInAs(t, 'initech.primary'), `/approvals/${held}/approve`, {}, `/approvals/${held}`);
    expect(again.status).toBe(409);
    expect(again.text).toContain('data-error-code="already_decided"');
  });

  it('may be withdrawn by its maker only; then nothing is submitted', async () => {
    const maker = await signedInAs(t, 'initech.maker');
    const held = await heldLimitChange(maker);
    const approver = await signedInAs(t, 'initech.primary');
    const notTheirs = await post(approver, `/approvals/${held}/withdraw`, {}, `/approvals/${held}`);
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.text).toContain('data-error-code="not_your_request"');
    expect((await post(maker, `/approvals/${held}/withdraw`, {}, `/approvals/${held}`)).status).toBe(303);
    expect(heldChange(held).state).toBe('withdrawn');
    expect(transaction(held).status).toBe('rejected');
    expect(auditActions(t, `transaction:${held}`)).toEqual(['held_change.held:success', 'held_change.withdrawn:success']);
    // The card is free for a new request.
    expect(HELD_PATH.test((await changeLimit(maker, 'Peter Gibbons', 6_000)).headers.location ?? '')).toBe(true);
  });

  it('is never approved or rejected by its maker, even one holding cards.approve', async () => {
    const primary = await signedInAs(t, 'initech.primary');
    const held = await heldLimitChange(primary);
    expect((await primary.get('/home')).text).not.toContain(`data-tracking-number="${held}"`);
    const page = (await primary.get(`/approvals/${held}`).expect(200)).text;
    expect(page).toContain('data-testid="own-request-notice"');
    expect(page).not.toContain('data-testid="approve-form"');
    for (const action of ['approve', 'reject']) {
      const refused = await post(primary, `/approvals/${held}/${action}`, { reason: 'Mine.' }, `/approvals/${held}`);
      expect([action, refused.status]).toEqual([action, 403]);
      expect(refused.text).toContain('data-error-code="own_request"');
    }
    expect(heldChange(held).state).toBe('held');
    expect(count('SELECT 1 FROM held_change_approvals')).toBe(0);
  });

  it('needs two different approvers above secondApproverAboveCents', async () => {
    t.context.db.run("UPDATE companies SET second_approver_above_cents = 1000000 WHERE name = 'Initech LLC'");
    const second = await addAdministrator(t, 'fixture.initech.approver', ['cards.view', 'cards.approve'], 'Initech LLC');
    const maker = await signedInAs(t, 'initech.maker');
    const low = await heldLimitChange(maker, 8_000, 'Michael Bolton');
    expect(heldChange(low).approvers_needed).toBe(1);
    const held = await heldLimitChange(maker, 12_000);
    expect(heldChange(held).approvers_needed).toBe(2);

    const primary = await signedInAs(t, 'initech.primary');
    const before = transactionsOf('limit_change');
    expect((await post(primary, `/approvals/${held}/approve`, {}, `/approvals/${held}`)).status).toBe(303);
    expect(heldChange(held).state).toBe('held');
    expect(transactionsOf('limit_change')).toBe(before);
    const twice = await post(primary, `/approvals/${held}/approve`, {}, `/approvals/${held}`);
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('data-error-code="already_approved"');
    expect((await primary.get('/home')).text).not.toContain(`data-tracking-number="${held}"`);

    const other = request.agent(t.app);
    await submitLogin(other, 'fixture.initech.approver', second.password);
    expect((await other.get('/home')).text).toContain(`data-tracking-number="${held}"`);
    expect((await post(other, `/approvals/${held}/approve`, {}, `/approvals/${held}`)).status).toBe(303);
    expect(heldChange(held).state).toBe('approved');
    expect(transactionsOf('limit_change')).toBe(before + 1);
    expect(transaction(held).status).toBe('completed');
  });
});

describe('what is not held', () => {
  it('a limit change at or below the threshold goes straight through', async () => {
    const maker = await signedInAs(t, 'initech.maker');
    const answer = await changeLimit(maker, 'Peter Gibbons', 5_000);
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toMatch(/^\/transactions\/AW\d{10}\?submitted=1$/);
    expect(count('SELECT 1 FROM held_changes')).toBe(0);
  });

  it("a primary PA's cancellation is submitted, a non-primary PA's is held", async () => {
    const primary = await signedInAs(t, 'initech.primary');
    const before = transactionsOf('card_cancel');
    const direct = await submitWithReview(primary, `/cards/${cardId(t, 'Michael Bolton')}/cancel`, { reason: 'employee_left' });
    expect(direct.headers.location).toMatch(/^\/transactions\/AW\d{10}\?submitted=1$/);
    const maker = await signedInAs(t, 'initech.maker');
    const held = await submitWithReview(maker, `/cards/${cardId(t, 'Peter Gibbons')}/cancel`, { reason: 'employee_left' });
    expect(held.headers.location).toMatch(HELD_PATH);
    const number = HELD_PATH.exec(held.headers.location!)![1]!;
    // A held cancellation blocks the card's other state requests, as a submitted one would.
    const suspend = await submitWithReview(primary, `/cards/${cardId(t, 'Peter Gibbons')}/suspend`, { reason: 'under_review' });
    expect(suspend.status).toBe(409);
    expect((await post(primary, `/approvals/${number}/approve`, {}, `/approvals/${number}`)).status).toBe(303);
    expect(transactionsOf('card_cancel')).toBe(before + 2);
    await advance('2d');
    expect(card('Peter Gibbons').state).toBe('cancelled');
  });

  it('Globex, with no maker-checker rules, submits large limit changes and any cancellation directly', async () => {
    const westmgr = await signedInAs(t, 'globex.westmgr');
    const carla = await submitWithReview(westmgr, `/cards/${cardId(t, 'Carla Chen')}/limit`, { limitType: 'permanent', newLimit: '20000', endDate: '' });
    expect(carla.headers.location).toMatch(/^\/transactions\/AW\d{10}\?submitted=1$/);
    const canceller = await signedInAs(t, 'globex.canceller');
    const cancel = await submitWithReview(canceller, `/cards/${cardId(t, 'Carla Chen')}/suspend`, { reason: 'under_review' });
    expect(cancel.status).toBe(303);
    expect(count('SELECT 1 FROM held_changes')).toBe(0);
  });
});

describe('a sandbox exported as a scenario', () => {
  it('leaves out a change still held, which was never submitted, and keeps a decided one as its transaction', async () => {
    const maker = await signedInAs(t, 'initech.maker');
    const waiting = await heldLimitChange(maker);
    const decided = await heldLimitChange(maker, 6_000, 'Michael Bolton');
    expect((await post(maker, `/approvals/${decided}/withdraw`, {}, `/approvals/${decided}`)).status).toBe(303);
    const exported = await request(t.app).get('/sim/api/scenario').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).expect(200);
    const numbers = (exported.body.transactions as Array<{ trackingNumber: string; status: string }>).map((tx) => tx.trackingNumber);
    expect(numbers).toContain(decided);
    expect(numbers).not.toContain(waiting);
  });
});

describe('a scenario', () => {
  it("holds a history request that the company's rules hold, as the portal would", async () => {
    const document = JSON.parse(fs.readFileSync(path.join(__dirname, '../../scenarios/default.json'), 'utf8')) as Record<string, unknown> & { history: unknown[] };
    document.name = 'held_history';
    document.history.push({ submittedBy: 'initech.maker', card: 'i-gibbons', action: 'limit', newLimitDollars: 9000, minutesAgo: 30 });
    const api = (method: 'get' | 'post', url: string) => request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
    await api('post', '/sim/api/scenarios').send(document).expect(201);
    await api('post', '/sim/api/reset').send({ scenario: 'held_history' }).expect(200);
    const held = t.context.db.get<{ tracking_number: string }>("SELECT tracking_number FROM transactions WHERE type = 'held_change'")!.tracking_number;
    expect(heldChange(held).state).toBe('held');
    const approver = await signedInAs(t, 'initech.primary');
    expect((await approver.get('/home')).text).toContain(`data-kind="held_change" data-tracking-number="${held}"`);
  });
});

describe('who sees a held change', () => {
  it('another company, a PA without cards.approve, and unknown or malformed numbers all get the same 404', async () => {
    const maker = await signedInAs(t, 'initech.maker');
    const held = await heldLimitChange(maker);
    const globex = await signedInAs(t, 'globex.primary');
    const stranger = await globex.get(`/approvals/${held}`);
    const unknown = await globex.get('/approvals/AW9999999998');
    expect([stranger.status, unknown.status]).toEqual([404, 404]);
    for (const action of ['approve', 'reject', 'withdraw']) {
      expect((await post(globex, `/approvals/${held}/${action}`, { reason: 'x' })).status).toBe(404);
    }
    const initechViewer = await addAdministrator(t, 'fixture.initech.viewer', ['cards.view'], 'Initech LLC');
    const viewer = request.agent(t.app);
    await submitLogin(viewer, 'fixture.initech.viewer', initechViewer.password);
    expect((await viewer.get(`/approvals/${held}`)).status).toBe(404);
    expect((await post(viewer, `/approvals/${held}/approve`)).status).toBe(403);
    expect(heldChange(held).state).toBe('held');
  });

  it("is for approvers whose scope covers the card: a West approver neither sees nor decides an East card's held change", async () => {
    t.context.db.run("UPDATE companies SET hold_limit_changes_above_cents = 500000 WHERE name = 'Globex Corporation'");
    const west = await addAdministrator(t, 'fixture.west.approver', ['cards.view', 'cards.approve'], 'Globex Corporation');
    t.context.db.run("INSERT INTO pa_scopes (pa_id, control_account_id) SELECT ?, id FROM control_accounts WHERE number = 'GLX-W'", west.id);
    const primary = await signedInAs(t, 'globex.primary');
    const answer = await submitWithReview(primary, `/cards/${cardId(t, 'Iris Ito')}/limit`, { limitType: 'permanent', newLimit: '9000', endDate: '' });
    const held = HELD_PATH.exec(answer.headers.location ?? '')![1]!;

    const westAgent = request.agent(t.app);
    await submitLogin(westAgent, 'fixture.west.approver', west.password);
    expect((await westAgent.get('/home')).text).not.toContain(`data-tracking-number="${held}"`);
    expect((await westAgent.get(`/approvals/${held}`)).status).toBe(404);
    expect((await post(westAgent, `/approvals/${held}/approve`)).status).toBe(404);

    const companyWide = await signedInAs(t, 'globex.approver');
    expect((await companyWide.get('/home')).text).toContain(`data-tracking-number="${held}"`);
    expect((await post(companyWide, `/approvals/${held}/approve`, {}, `/approvals/${held}`)).status).toBe(303);
    expect(heldChange(held).state).toBe('approved');
  });

  it('answers odd input with 4xx, never a 500 or a stack trace', async () => {
    const maker = await signedInAs(t, 'initech.maker');
    const held = await heldLimitChange(maker);
    const primary = await signedInAs(t, 'initech.primary');
    for (const path of ['/approvals/x', '/approvals/%E0%A4%A', `/approvals/${held.toLowerCase()}`, '/approvals/AW', `/approvals/${'9'.repeat(400)}`]) {
      const res = await primary.get(path);
      expect([path, res.status < 500, STACK_TRACE.test(res.text)]).toEqual([path, true, false]);
    }
    const long = await post(primary, `/approvals/${held}/reject`, { reason: 'x'.repeat(600) }, `/approvals/${held}`);
    expect(long.status).toBe(400);
    const json = await primary.post(`/approvals/${held}/reject`).set('Accept', 'application/json').type('form')
      .send({ _csrf: await csrfTokenFrom(primary, '/approvals'), reason: ['a', 'b'] });
    expect(json.status).toBe(400);
    expect(json.body.error?.code ?? json.body.code).toBe('invalid_input');
    // Any spelling of the number finds it, as the tracking search does.
    expect((await primary.get(`/approvals/${held.toLowerCase()}`)).status).toBe(200);
  });
});
