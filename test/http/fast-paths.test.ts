// The fast paths that reproduce a library's own work, checked against the library on every page:
// each template rendered by stock EJS as well (the test app compares every render, see
// ../helpers/view-equivalence), and each row read compared with better-sqlite3's own object rows.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { SqlParams } from '../../src/db/database';
import { projectPath } from '../../src/lib/project-root';
import { persona, signedInAs, staffSignedInAs } from '../helpers/actors';
import { csrfTokenIn, type Agent } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';
import { comparedViews } from '../helpers/view-equivalence';

const VIEWS = projectPath('views');
const everyView = (fs.readdirSync(VIEWS, { recursive: true }) as string[])
  .filter((file) => file.endsWith('.ejs')).map((file) => path.join(VIEWS, file)).sort();

let t: TestApp;
/** Each read the pages made, its rows as the app's Database made them and as better-sqlite3 makes them. */
const reads: Array<{ sql: string; mine: unknown; stock: unknown }> = [];

/** Every read through the sandbox's Database is replayed at once by better-sqlite3, with its object rows. */
function recordReadsWithBetterSqlite3Rows(): void {
  const db = t.context.db;
  const replay = (kind: 'all' | 'get', sql: string, params: SqlParams, mine: unknown) => {
    const statement = db.raw.prepare(sql);
    // A write that returns rows (RETURNING) is not replayed: it would write twice.
    if (!statement.readonly) return;
    // Copied as read: a caller may sort or reverse the rows it was given.
    const copy = (row: unknown) => (row ? { ...(row as object) } : row);
    reads.push({ sql, mine: Array.isArray(mine) ? mine.map(copy) : copy(mine), stock: kind === 'all' ? statement.all(...params) : statement.get(...params) });
  };
  const all = db.all.bind(db);
  const get = db.get.bind(db);
  db.all = <Row>(sql: string, ...params: SqlParams): Row[] => {
    const rows = all<Row>(sql, ...params);
    replay('all', sql, params, rows);
    return rows;
  };
  db.get = <Row>(sql: string, ...params: SqlParams): Row | undefined => {
    const row = get<Row>(sql, ...params);
    replay('get', sql, params, row);
    return row;
  };
}

/** Posts a form with the CSRF token of the page it is on, expecting this status. */
async function submit(agent: Agent, page: string, action: string, fields: Record<string, string>, status: number) {
  const shown = await agent.get(page);
  const res = await agent.post(action).type('form').send({ _csrf: csrfTokenIn(shown.text), ...fields });
  expect([action, res.status]).toEqual([action, status]);
  return res;
}

const one = <Row>(sql: string, ...params: SqlParams) => t.context.db.get<Row>(sql, ...params)!;

/** Every page of the portal, the help desk and the console, with its forms' other answers. */
async function visitEveryView(): Promise<void> {
  const stranger = request.agent(t.app);
  await stranger.get('/login').expect(200);
  await submit(stranger, '/login', '/login', {}, 400);
  await submit(stranger, '/login', '/login', { userId: 'globex.primary', password: 'Not-The-Password-1' }, 401);
  const twoStep = request.agent(t.app);
  await submit(twoStep, '/login', '/login', { userId: 'globex.nophone', password: persona('globex.nophone').password }, 303);
  await twoStep.get('/login/verify').expect(200);
  await submit(twoStep, '/login', '/login/verify', { code: 'x' }, 400);
  await submit(twoStep, '/login', '/login/verify', { code: String(t.context.outbox.list({ type: 'two_step_code' }).at(-1)!.data.code) }, 303);
  await twoStep.get('/profile/two-step').expect(200);
  await submit(twoStep, '/profile/two-step', '/profile/two-step/setup', {}, 400);
  await stranger.get('/forgot-user-id').expect(200);
  await stranger.get('/forgot-password').expect(200);
  await submit(stranger, '/forgot-password', '/forgot-password', {}, 400);
  const viewer = persona('globex.viewer');
  await submit(stranger, '/forgot-password', '/forgot-password', { userId: viewer.userId, email: viewer.email }, 200);
  const resetMail = t.context.outbox.list({ type: 'password_reset' }).at(-1)!;
  const resetPath = new URL(String(resetMail.data.resetUrl)).pathname;
  await stranger.get(resetPath).expect(200);
  await submit(stranger, resetPath, resetPath, { password: 'short', confirmPassword: 'other' }, 400);
  await stranger.get('/reset-password/made-up-token').expect(410);
  await stranger.get('/register').expect(200);
  await submit(stranger, '/register', '/register', { verificationPin: '', verificationWord: '', accessCode: '' }, 400);
  const pending = persona('globex.pending');
  const welcome = t.context.outbox.list({ to: pending.email, type: 'welcome' }).at(-1)!;
  await submit(stranger, '/register', '/register', { verificationPin: '0000', verificationWord: 'wrong', accessCode: String(welcome.data.accessCode) }, 401);
  const proof = { verificationPin: pending.verificationPin, verificationWord: pending.verificationWord, accessCode: String(welcome.data.accessCode) };
  await submit(stranger, '/register', '/register', proof, 303);
  await stranger.get('/register').expect(200);
  await submit(stranger, '/register', '/register', { userId: 'x', password: 'short', confirmPassword: 'other' }, 400);
  await stranger.get('/no-such-page').expect(404);

  const primary = await signedInAs(t, 'globex.primary');
  for (const page of ['/home', '/cards', '/cards?state=active&tier=business&q=a', '/cards?q=zzzz-nobody', '/transactions',
    '/transactions?sort=status&dir=asc', '/transactions?page=-1', '/statements', '/help', '/cards/apply', '/transactions/search?q=a']) {
    await primary.get(page).expect((res) => expect([page, res.status < 500]).toEqual([page, true]));
  }
  await submit(primary, '/cards/apply', '/cards/apply', {}, 400);
  await submit(primary, '/cards/apply', '/cards/apply', { cardmemberName: 'Nora New', tier: 'business', requestedLimit: '4000' }, 200);
  const company = one<{ id: number }>("SELECT id FROM companies WHERE name = 'Globex Corporation'").id;
  const card = one<{ id: number }>("SELECT id FROM cards WHERE company_id = ? AND state = 'active' ORDER BY id LIMIT 1", company).id;
  await primary.get(`/cards/${card}`).expect(200);
  await primary.get(`/cards/${card}/cancel`).expect(200);
  await submit(primary, `/cards/${card}/cancel`, `/cards/${card}/cancel`, { reason: 'employee_left' }, 200);
  await submit(primary, `/cards/${card}/limit`, `/cards/${card}/limit`, { limitType: 'permanent', newLimit: 'lots', endDate: '' }, 400);
  const charge = one<{ id: number; card_id: number }>(
    "SELECT charges.id, card_id FROM charges JOIN cards ON cards.id = card_id WHERE cards.company_id = ? AND status = 'posted' AND dispute_status IS NULL ORDER BY charges.id LIMIT 1", company);
  const dispute = `/cards/${charge.card_id}/charges/${charge.id}/dispute`;
  await primary.get(dispute).expect(200);
  await submit(primary, dispute, dispute, { reason: 'not_received' }, 200);
  const tracking = one<{ tracking_number: string }>('SELECT tracking_number FROM transactions WHERE company_id = ? ORDER BY id LIMIT 1', company).tracking_number;
  await primary.get(`/transactions/${tracking}`).expect(200);
  await primary.get('/transactions/search?q=NOT-A-NUMBER').expect((res) => expect(res.status).toBeLessThan(500));
  const viewing = await signedInAs(t, 'globex.viewer');
  await viewing.get('/cards/apply').expect(403);
  await viewing.get('/profile').expect(200);
  await submit(viewing, '/profile', '/profile/contact', { email: 'not-an-address' }, 400);
  await submit(viewing, '/profile', '/profile/contact', { email: 'vera.fast@globex.example', phone: '', note: 'Fast paths' }, 303);
  await viewing.get('/profile').expect(200);
  await viewing.get('/profile/password').expect(200);
  await submit(viewing, '/profile/password', '/profile/password', { currentPassword: 'Wrong-Password-1', newPassword: 'x', confirmPassword: 'y' }, 400);
  const contactRequest = one<{ tracking_number: string }>("SELECT tracking_number FROM transactions WHERE type = 'contact_change_request'").tracking_number;
  await primary.get('/messages').expect(200);
  await submit(primary, '/messages/new', '/messages', {}, 400);
  const threadPage = (await submit(primary, '/messages/new', '/messages', { subject: 'Fast paths', topic: 'other', body: 'Line one\nline two' }, 303)).headers.location!;
  await primary.get(threadPage).expect(200);
  await submit(primary, threadPage, `${threadPage}/reply`, {}, 400);
  await viewing.get('/messages').expect(200);
  for (const page of ['/access', '/access/new', '/access/report']) await primary.get(page).expect(200);
  await submit(primary, '/access/new', '/access/new', { scopeKind: 'accounts' }, 400);
  const managed = one<{ id: number }>("SELECT id FROM program_administrators WHERE user_id = 'globex.canceller'").id;
  await primary.get(`/access/${managed}`).expect(200);
  await submit(primary, `/access/${managed}`, `/access/${managed}/scope`, { scopeKind: 'accounts' }, 400);
  const maker = await signedInAs(t, 'initech.maker');
  await maker.get('/approvals').expect(200);
  const gibbons = one<{ id: number }>("SELECT id FROM cards WHERE cardmember_name = 'Peter Gibbons'").id;
  await submit(maker, `/cards/${gibbons}/limit`, `/cards/${gibbons}/limit`, { limitType: 'permanent', newLimit: '9000', endDate: '', confirmed: 'yes' }, 303);
  const held = one<{ tracking_number: string }>("SELECT tracking_number FROM transactions WHERE type = 'held_change'").tracking_number;
  await maker.get(`/approvals/${held}?held=1`).expect(200);
  await maker.get('/approvals').expect(200);
  const approver = await signedInAs(t, 'initech.primary');
  await approver.get('/approvals').expect(200);
  await submit(approver, `/approvals/${held}`, `/approvals/${held}/reject`, { reason: '' }, 400);
  await submit(approver, `/approvals/${held}`, `/approvals/${held}/approve`, {}, 303);
  await approver.get(`/approvals/${held}`).expect(200);
  await primary.get('/applications').expect(200);
  await submit(primary, '/applications/invite', '/applications/invite', {}, 400);
  const invitation = { employeeName: 'Nadia Newhire', employeeEmail: 'nadia.fast@globex.example', controlAccount: 'GLX-E-OPS', tier: 'standard', requestedLimit: '2500' };
  const applicationPage = (await submit(primary, '/applications/invite', '/applications/invite', invitation, 303)).headers.location!;
  await primary.get('/applications').expect(200);
  const applyPath = new URL(String(t.context.outbox.list({ type: 'application_invitation', to: 'nadia.fast@globex.example' }).at(-1)!.data.applyUrl)).pathname;
  await stranger.get(applyPath).expect(200);
  await submit(stranger, applyPath, applyPath, {}, 400);
  await submit(stranger, applyPath, applyPath, { jobTitle: 'Analyst', agree: 'yes' }, 200);
  await stranger.get(applyPath).expect(410);
  const approving = await signedInAs(t, 'globex.approver');
  await approving.get(applicationPage).expect(200);
  await submit(approving, applicationPage, `${applicationPage}/reject`, { reason: '' }, 400);
  await submit(approving, applicationPage, `${applicationPage}/reroute`, { approver: '', note: '' }, 400);
  await submit(approving, applicationPage, `${applicationPage}/cancel`, { reason: 'Bell\u0007' }, 400);
  await submit(approving, applicationPage, `${applicationPage}/approve`, {}, 303);
  await primary.get(applicationPage).expect(200);
  for (const page of ['/reports', '/reports/declines', '/reports/declines?reason=none', '/reports/declines?account=GLX-W&from=2000-01-01', '/reports/spend', '/reports/open-requests']) {
    await primary.get(page).expect((res) => expect([page, res.status < 500]).toEqual([page, true]));
  }
  await submit(primary, '/reports', '/reports/subscriptions', { report: 'nothing' }, 400);
  await submit(primary, '/reports', '/reports/subscriptions', { report: 'declines', frequency: 'weekly', account: 'GLX-W' }, 303);
  await primary.get('/reports').expect(200);

  const helpDesk = request.agent(t.app);
  await helpDesk.get('/helpdesk/login').expect(200);
  await submit(helpDesk, '/helpdesk/login', '/helpdesk/login', {}, 400);
  await submit(helpDesk, '/helpdesk/login', '/helpdesk/login', { staffId: 'agent.ava', password: 'Wrong-Password-1' }, 401);
  const agent = await staffSignedInAs(t, 'agent.ava');
  await agent.get('/helpdesk').expect(200);
  await agent.get('/helpdesk/callers?q=globex').expect(200);
  await agent.get('/helpdesk/callers?q=g').expect(400);
  await submit(agent, '/helpdesk', '/helpdesk/identify', {}, 400);
  const caller = one<{ id: number }>("SELECT id FROM program_administrators WHERE user_id = 'globex.viewer'").id;
  await agent.get(`/helpdesk/callers/${caller}`).expect(200);
  await submit(agent, '/helpdesk', `/helpdesk/callers/${caller}/verify`, { verificationPin: viewer.verificationPin, verificationWord: viewer.verificationWord }, 303);
  await agent.get(`/helpdesk/callers/${caller}`).expect(200);
  await agent.get(`/helpdesk/contact-requests/${contactRequest}`).expect(200);
  await submit(agent, '/helpdesk', `/helpdesk/contact-requests/${contactRequest}/reject`, { reason: '' }, 400);
  await agent.get(`/helpdesk${threadPage}`).expect(200);
  await submit(agent, `/helpdesk${threadPage}`, `/helpdesk${threadPage}/reply`, {}, 400);
  await agent.get(`/helpdesk/callers?q=${threadPage.slice('/messages/'.length)}`).expect(200);
  const supervisor = await staffSignedInAs(t, 'super.sam');
  await supervisor.get('/helpdesk/escalations').expect(200);
  await supervisor.get('/helpdesk/staff').expect(200);

  const simConsole = request.agent(t.app);
  await simConsole.get('/sim/login').expect(200);
  await submit(simConsole, '/sim/login', '/sim/login', { token: `${TEST_SIM_TOKEN}x` }, 401);
  await submit(simConsole, '/sim/login', '/sim/login', { token: TEST_SIM_TOKEN }, 303);
  for (const page of ['/sim', '/sim/personas', '/sim/clock', '/sim/outbox', '/sim/outbox?to=nobody', '/sim/sms', '/sim/sms?type=fraud_notice', '/sim/reset', '/sim/sandboxes', '/sim/faults']) {
    await simConsole.get(page).expect((res) => expect([page, res.status]).toEqual([page, 200]));
  }
  await submit(simConsole, '/sim/clock', '/sim/clock', { advance: 'not-a-duration' }, 400);
  await simConsole.get(`/sim/outbox/${resetMail.id}`).expect(200);
}

beforeAll(async () => {
  t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } });
  recordReadsWithBetterSqlite3Rows();
  await visitEveryView();
});
afterAll(() => t.close());

describe('the app’s renderer', () => {
  it('renders every view, page and partial, as stock EJS does', () => {
    // A difference fails the page where it was rendered, and the test app's close() names it.
    const never = everyView.filter((file) => !comparedViews().has(file)).map((file) => path.relative(VIEWS, file));
    expect(never).toEqual([]);
  });
});

describe('the database’s rows', () => {
  it('are better-sqlite3’s own, key for key and in its order, for every read the pages made', () => {
    const keys = (rows: unknown) => (Array.isArray(rows) ? rows : [rows]).map((row) => (row ? Object.keys(row as object) : row));
    for (const { sql, mine, stock } of reads) {
      expect([sql, mine]).toEqual([sql, stock]);
      expect([sql, keys(mine)]).toEqual([sql, keys(stock)]);
    }
    expect(new Set(reads.map((read) => read.sql)).size).toBeGreaterThan(40);
  });
});
