// Reports (issue 18): declined charges, spend by control account and month, open requests by age,
// each page and CSV against data counted by hand; scope, company isolation and the permission;
// scheduled delivery as the clock moves; and a big report that never holds up another sandbox.
import request from 'supertest';
import { cardId, paId, persona, signedInAs } from '../helpers/actors';
import { csrfTokenIn, type Agent } from '../helpers/pages';
import { FROZEN_REAL_NOW, TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

let t: TestApp;
afterEach(() => t.close());

const DAY_MS = 86_400_000;
const api = (method: 'get' | 'post', url: string, sandbox?: string) => {
  const req = request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
  return sandbox ? req.set('X-Sim-Sandbox', sandbox) : req;
};
const grantReports = (userId: string) => t.context.db.run("INSERT INTO pa_permissions (pa_id, permission) VALUES (?, 'reports.view')", paId(t, userId));
const addCharge = async (cardmember: string, dollars: number, daysAgo: number, declineReason?: string) =>
  (await api('post', '/sim/api/charges').send({ cardId: cardId(t, cardmember), merchant: `Shop of ${cardmember}`, amountCents: dollars * 100, daysAgo, declineReason }).expect(201)).body.charge;
/** The value of each row's attribute, in page order. */
const attributes = (html: string, testId: string, attribute: string) =>
  [...html.matchAll(new RegExp(`data-testid="${testId}"[^>]*?${attribute}="([^"]*)"`, 'g'))].map((m) => m[1]);
const csvLines = (text: string) => text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);

/**
 * Globex's declines, counted by hand: the default scenario's three (Fox 1 day ago "Card suspended",
 * East Operations; Adams 2 days ago "Over the spending limit", West Sales; Chen 7 days ago "Suspected
 * fraud", West Engineering) and two added here (Hughes 10 days ago, East; Diaz 40 days ago, West
 * Engineering), and one of Initech's.
 */
async function declinesFixture() {
  t = await createTestApp();
  const hughes = await addCharge('Hugo Hughes', 55, 10, 'Suspected fraud');
  const diaz = await addCharge('Diego Diaz', 120, 40, 'Over the spending limit');
  const initechCard = t.context.db.get<{ id: number }>("SELECT cards.id FROM cards JOIN companies ON companies.id = company_id WHERE companies.name = 'Initech LLC' LIMIT 1")!.id;
  const initech = (await api('post', '/sim/api/charges').send({ cardId: initechCard, merchant: 'Stapler Store', amountCents: 999, daysAgo: 3, declineReason: 'Suspected fraud' }).expect(201)).body.charge;
  const declineId = (cardmember: string) => t.context.db.get<{ id: number }>(
    "SELECT charges.id FROM charges JOIN cards ON cards.id = card_id WHERE cardmember_name = ? AND status = 'declined'", cardmember)!.id;
  return { fox: declineId('Frank Fox'), adams: declineId('Alice Adams'), chen: declineId('Carla Chen'), hughes: hughes.id as number, diaz: diaz.id as number, initech: initech.id as number };
}

const declineIds = async (agent: Agent, query = '') => {
  const res = await agent.get(`/reports/declines${query}`);
  return { status: res.status, ids: attributes(res.text, 'decline-report-row', 'data-charge-id').map(Number), text: res.text };
};

describe('GET /reports/declines', () => {
  it('lists every declined charge of the company newest first, and filters by reason, control account subtree and dates', async () => {
    const d = await declinesFixture();
    const primary = await signedInAs(t, 'globex.primary');
    expect((await declineIds(primary)).ids).toEqual([d.fox, d.adams, d.chen, d.hughes, d.diaz]);
    expect((await declineIds(primary, '?reason=Over+the+spending+limit')).ids).toEqual([d.adams, d.diaz]);
    expect((await declineIds(primary, '?account=GLX-W')).ids).toEqual([d.adams, d.chen, d.diaz]);
    expect((await declineIds(primary, '?account=glx-w-eng')).ids).toEqual([d.chen, d.diaz]);
    expect((await declineIds(primary, '?account=GLX-W&reason=Suspected+fraud')).ids).toEqual([d.chen]);
    const day = (daysAgo: number) => new Date(FROZEN_REAL_NOW - daysAgo * DAY_MS).toISOString().slice(0, 10);
    expect((await declineIds(primary, `?from=${day(8)}`)).ids).toEqual([d.fox, d.adams, d.chen]);
    expect((await declineIds(primary, `?from=${day(45)}&to=${day(9)}`)).ids).toEqual([d.hughes, d.diaz]);
  });

  it('gives the same rows as CSV, masked card numbers and reasons', async () => {
    const d = await declinesFixture();
    const primary = await signedInAs(t, 'globex.primary');
    const res = await primary.get('/reports/declines.csv?account=GLX-W').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const lines = csvLines(res.text);
    expect(lines[0]).toBe('declined_at,card,cardmember,control_account,merchant,amount,reason');
    expect(lines.slice(1).map((line) => line.split(',').slice(2))).toEqual([
      ['Alice Adams', 'GLX-W-SLS', 'Lux Watches', '4500.00', 'Over the spending limit'],
      ['Carla Chen', 'GLX-W-ENG', 'Unknown Merchant 42', '310.00', 'Suspected fraud'],
      ['Diego Diaz', 'GLX-W-ENG', 'Shop of Diego Diaz', '120.00', 'Over the spending limit'],
    ]);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z,•••• \d{5},/);
    expect(d.diaz).toBeGreaterThan(0);
  });

  it('shows a scoped PA only their subtrees: another subtree answers like an unknown account', async () => {
    const d = await declinesFixture();
    grantReports('globex.westmgr');
    const west = await signedInAs(t, 'globex.westmgr');
    expect((await declineIds(west)).ids).toEqual([d.adams, d.chen, d.diaz]);
    const east = await declineIds(west, '?account=GLX-E');
    const unknown = await declineIds(west, '?account=NO-SUCH');
    expect([east.status, unknown.status]).toEqual([400, 400]);
    expect(east.text).toContain('data-testid="account-error"');
    expect(east.text).not.toContain('GLX-E-OPS');
    expect((await west.get('/reports/declines.csv?account=GLX-E').set('Accept', 'application/json').expect(400)).body.error.code).toBe('invalid_input');
    expect(csvLines((await west.get('/reports/declines.csv').expect(200)).text)).toHaveLength(4);
  });

  it('keeps each company to its own declines', async () => {
    const d = await declinesFixture();
    const initech = await signedInAs(t, 'initech.primary');
    expect((await declineIds(initech)).ids).toEqual([d.initech]);
    expect((await declineIds(initech, '?account=GLX-W')).status).toBe(400);
    expect((await declineIds(initech, '?reason=Card+suspended')).status).toBe(400);
  });

  it('answers bad filters with 400 and a message on the field, never a 500', async () => {
    await declinesFixture();
    const primary = await signedInAs(t, 'globex.primary');
    for (const [query, field] of [['?from=2026-02-30', 'from'], ['?to=yesterday', 'to'], ['?from=2026-03-02&to=2026-03-01', 'to'], ['?reason=Made+up', 'reason']]) {
      const res = await primary.get(`/reports/declines${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.text).toContain('data-testid="report-error"');
      expect(res.text).toContain(`data-testid="${field}-error"`);
    }
    expect((await primary.get('/reports/declines?after=not-a-cursor')).status).toBe(200);
    expect((await primary.get('/reports/declines?from[]=x&account[a]=b')).status).toBe(200);
  });

  it('pages 25 at a time by keyset, newest first', async () => {
    await declinesFixture();
    const card = cardId(t, 'Jack Jones');
    const base = FROZEN_REAL_NOW - 20 * DAY_MS;
    for (let i = 0; i < 30; i += 1) {
      t.context.db.run("INSERT INTO charges (card_id, merchant, amount_cents, at, status, decline_reason) VALUES (?, 'Bulk', 100, ?, 'declined', 'Bulk decline')", card, base + i * 60_000);
    }
    const primary = await signedInAs(t, 'globex.primary');
    const first = await declineIds(primary, '?reason=Bulk+decline');
    expect(first.ids).toHaveLength(25);
    const next = /href="([^"]+)" rel="next"/.exec(first.text)![1]!.replaceAll('&amp;', '&');
    const second = await declineIds(primary, next.slice('/reports/declines'.length));
    expect(second.ids).toHaveLength(5);
    const all = [...first.ids, ...second.ids];
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(second.text).not.toContain('rel="next"');
  });
});

describe('GET /reports/spend', () => {
  it('sums posted charges by month and by control account over the last 12 months, within scope', async () => {
    t = await createTestApp();
    // The scenario's own posted charges are moved out of the window, so every figure below is counted by hand.
    t.context.db.run("UPDATE charges SET at = at - 800 * 86400000 WHERE status = 'posted'");
    await addCharge('Alice Adams', 100, 5);
    await addCharge('Alice Adams', 50, 40);
    await addCharge('Erin Evans', 25, 5);
    await addCharge('Frank Fox', 10, 5);
    await addCharge('Frank Fox', 999, 365);
    await addCharge('Frank Fox', 77, 3, 'Card suspended');
    const primary = await signedInAs(t, 'globex.primary');
    const page = (await primary.get('/reports/spend').expect(200)).text;
    expect(attributes(page, 'spend-month-row', 'data-month')).toEqual(
      ['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    expect(page).toMatch(/data-month="2026-02"><td>2026-02<\/td><td class="num">3<\/td><td class="num" data-testid="spend-total">\$135\.00/);
    expect(page).toMatch(/data-month="2026-01"><td>2026-01<\/td><td class="num">1<\/td><td class="num" data-testid="spend-total">\$50\.00/);
    expect(attributes(page, 'spend-account-row', 'data-number')).toEqual(['GLX-E-OPS', 'GLX-W', 'GLX-W-SLS']);
    expect(csvLines((await primary.get('/reports/spend.csv').expect(200)).text)).toEqual([
      'month,control_account,control_account_name,charges,amount',
      '2026-01,GLX-W-SLS,West Sales,1,50.00',
      '2026-02,GLX-E-OPS,East Operations,1,10.00',
      '2026-02,GLX-W,West Region,1,25.00',
      '2026-02,GLX-W-SLS,West Sales,1,100.00',
    ]);
    grantReports('globex.westmgr');
    const west = await signedInAs(t, 'globex.westmgr');
    expect(csvLines((await west.get('/reports/spend.csv').expect(200)).text).slice(1)).toEqual([
      '2026-01,GLX-W-SLS,West Sales,1,50.00', '2026-02,GLX-W,West Region,1,25.00', '2026-02,GLX-W-SLS,West Sales,1,100.00',
    ]);
    const initech = await signedInAs(t, 'initech.primary');
    expect((await initech.get('/reports/spend.csv').expect(200)).text).not.toContain('GLX');
  });
});

describe('GET /reports/open-requests', () => {
  it('counts open requests by calendar-day age, as far as the PA may see them in Status Tracking', async () => {
    t = await createTestApp();
    t.context.db.run("UPDATE transactions SET status = 'completed', next_due_at = NULL WHERE status IN ('submitted', 'in_progress')");
    const company = 'Globex Corporation';
    const make = async (submittedBy: string, card: string, status: 'submitted' | 'in_progress', minutesAgo: number) => (await api('post', '/sim/api/transactions').send({
      company, type: 'card_suspend', status, submittedBy, card: cardId(t, card), summary: `Suspend ${card}`, dueInMinutes: 100_000,
      events: [{ minutesAgo, status: 'submitted', actor: submittedBy }, ...(status === 'in_progress' ? [{ minutesAgo: minutesAgo - 60, status: 'in_progress', actor: 'system' }] : [])],
    }).expect(201)).body.trackingNumber as string;
    const hours = 60;
    const a = await make('globex.primary', 'Alice Adams', 'submitted', 2 * hours); // under 1 day
    const b = await make('globex.primary', 'Frank Fox', 'in_progress', 30 * hours); // 1 to 3 days
    const c = await make('globex.canceller', 'Carla Chen', 'submitted', 5 * 24 * hours); // 3 to 7 days
    const d = await make('globex.canceller', 'Gina Garcia', 'in_progress', 9 * 24 * hours); // 7 days or more
    const counts = (html: string) => attributes(html, 'age-bucket-row', 'data-bucket').map((bucket) =>
      Number(new RegExp(`data-bucket="${bucket}">(?:<td[^>]*>[^<]*</td>){3}<td class="num" data-testid="age-bucket-total">(\\d+)`).exec(html)![1]));
    const primary = await signedInAs(t, 'globex.primary');
    const page = (await primary.get('/reports/open-requests').expect(200)).text;
    expect(counts(page)).toEqual([1, 1, 1, 1]);
    expect(attributes(page, 'transaction-row', 'data-tracking-number')).toEqual([d, c, b, a]);
    const csv = csvLines((await primary.get('/reports/open-requests.csv').expect(200)).text);
    expect(csv[0]).toBe('tracking_number,type,status,summary,submitted_at,age_days,age_bucket');
    expect(csv.slice(1).map((line) => [line.split(',')[0], line.split(',').at(-2), line.split(',').at(-1)])).toEqual([
      [c, '5', '3_to_7_days'], [a, '0', 'under_1_day'], [d, '9', 'over_7_days'], [b, '1', '1_to_3_days'],
    ]);
    // Without transactions.view_all a PA sees only their own requests; a scoped PA only their subtrees.
    grantReports('globex.canceller');
    const canceller = await signedInAs(t, 'globex.canceller');
    expect(attributes((await canceller.get('/reports/open-requests').expect(200)).text, 'transaction-row', 'data-tracking-number')).toEqual([d, c]);
    grantReports('globex.westmgr');
    const west = await signedInAs(t, 'globex.westmgr');
    expect(attributes((await west.get('/reports/open-requests').expect(200)).text, 'transaction-row', 'data-tracking-number')).toEqual([c, a]);
    const initech = await signedInAs(t, 'initech.primary');
    expect(counts((await initech.get('/reports/open-requests').expect(200)).text)).toEqual([0, 0, 0, 0]);
  });
});

describe('reports.view', () => {
  it('is needed for every report page, CSV and subscription: 403 without it, and no tile or link', async () => {
    t = await createTestApp();
    const viewer = await signedInAs(t, 'globex.viewer');
    for (const page of ['/reports', '/reports/declines', '/reports/declines.csv', '/reports/spend', '/reports/spend.csv', '/reports/open-requests', '/reports/open-requests.csv']) {
      expect([page, (await viewer.get(page)).status]).toEqual([page, 403]);
    }
    const token = csrfTokenIn((await viewer.get('/profile')).text);
    expect((await viewer.post('/reports/subscriptions').type('form').send({ _csrf: token, report: 'spend', frequency: 'daily' })).status).toBe(403);
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM report_subscriptions')!.n).toBe(0);
    const home = (await viewer.get('/home')).text;
    expect(home).not.toContain('data-testid="tile-reports"');
    expect(home).not.toContain('data-testid="nav-reports"');
    const primaryHome = (await (await signedInAs(t, 'globex.primary')).get('/home')).text;
    expect(primaryHome).toContain('data-testid="tile-reports"');
    expect(primaryHome).toContain('data-testid="nav-reports"');
  });
});

describe('scheduled delivery', () => {
  const subscribe = async (agent: Agent, fields: Record<string, string>) => {
    const token = csrfTokenIn((await agent.get('/reports')).text);
    return agent.post('/reports/subscriptions').type('form').send({ _csrf: token, ...fields });
  };
  const reports = () => t.context.outbox.list({ type: 'scheduled_report' });

  it('e-mails a weekly declines report exactly at each Monday midnight as the clock moves, the CSV in its data', async () => {
    await declinesFixture();
    const primary = await signedInAs(t, 'globex.primary');
    // The frozen now is Monday 2 March 2026, 09:00 UTC: the first due time is the next Monday's midnight.
    expect((await subscribe(primary, { report: 'declines', frequency: 'weekly', account: 'GLX-W' })).status).toBe(303);
    const page = (await primary.get('/reports')).text;
    expect(attributes(page, 'subscription-row', 'data-frequency')).toEqual(['weekly']);
    expect(page).toContain('2026-03-09 00:00');

    await api('post', '/sim/api/clock').send({ set: '2026-03-08T23:59:59.999Z' }).expect(200);
    expect(reports()).toHaveLength(0);
    // A decline in the West during the first week, and one in the East that the account filter leaves out.
    await addCharge('Alice Adams', 42, 1, 'Suspected fraud');
    await addCharge('Frank Fox', 43, 1, 'Suspected fraud');
    await api('post', '/sim/api/clock').send({ set: '2026-03-09T00:00:00.000Z' }).expect(200);
    expect(reports()).toHaveLength(1);
    const first = reports()[0]!;
    expect(first).toMatchObject({ to: persona('globex.primary').email, sentAt: '2026-03-09T00:00:00.000Z' });
    expect(first.data).toMatchObject({
      report: 'declines', frequency: 'weekly', period: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-09T00:00:00.000Z' },
      filters: { account: 'GLX-W' }, rows: 1, skippedPeriods: 0,
    });
    expect(csvLines(String(first.data.csv))).toEqual([
      'declined_at,card,cardmember,control_account,merchant,amount,reason',
      expect.stringMatching(/^2026-03-07T.*,Alice Adams,GLX-W-SLS,Shop of Alice Adams,42.00,Suspected fraud$/),
    ]);

    await api('post', '/sim/api/clock').send({ advance: '6d' }).expect(200);
    expect(reports()).toHaveLength(1);
    await api('post', '/sim/api/clock').send({ advance: '1d' }).expect(200);
    expect(reports().map((mail) => [mail.sentAt, (mail.data.period as { to: string }).to, mail.data.rows])).toEqual([
      ['2026-03-09T00:00:00.000Z', '2026-03-09T00:00:00.000Z', 1], ['2026-03-16T00:00:00.000Z', '2026-03-16T00:00:00.000Z', 0],
    ]);
    // Three weeks at once: one e-mail, for the latest week, saying two were passed over.
    await api('post', '/sim/api/clock').send({ advance: '21d' }).expect(200);
    expect(reports().at(-1)!.data).toMatchObject({ period: { from: '2026-03-30T00:00:00.000Z', to: '2026-04-06T00:00:00.000Z' }, skippedPeriods: 2 });
    expect(reports()).toHaveLength(3);
  });

  it('makes each report with the PA’s rights at the due time, and stops sending when they lose reports.view', async () => {
    await declinesFixture();
    grantReports('globex.westmgr');
    const west = await signedInAs(t, 'globex.westmgr');
    expect((await subscribe(west, { report: 'spend', frequency: 'daily' })).status).toBe(303);
    await api('post', '/sim/api/clock').send({ set: '2026-03-03T00:00:00.000Z' }).expect(200);
    expect(reports()).toHaveLength(1);
    expect(String(reports()[0]!.data.csv)).not.toContain('GLX-E');
    t.context.db.run("DELETE FROM pa_permissions WHERE pa_id = ? AND permission = 'reports.view'", paId(t, 'globex.westmgr'));
    await api('post', '/sim/api/clock').send({ advance: '1d' }).expect(200);
    expect(reports()).toHaveLength(1);
    const skipped = (await api('get', '/sim/api/events?type=report.skipped').expect(200)).body.events;
    expect(skipped.map((e: { data: { reason: string } }) => e.data.reason)).toEqual(['no_permission']);
  });

  it('refuses a bad subscription on the form, and deletes only one’s own', async () => {
    await declinesFixture();
    const primary = await signedInAs(t, 'globex.primary');
    const bad = await subscribe(primary, { report: 'everything', frequency: 'hourly' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('data-testid="report-error"');
    expect(bad.text).toContain('data-testid="frequency-error"');
    expect((await subscribe(primary, { report: 'declines', frequency: 'daily', account: 'NOPE' })).status).toBe(400);
    expect((await subscribe(primary, { report: 'open_requests', frequency: 'monthly' })).status).toBe(303);
    const id = t.context.db.get<{ id: number }>('SELECT id FROM report_subscriptions')!.id;
    expect(t.context.db.get<{ next_due_at: number }>('SELECT next_due_at FROM report_subscriptions')!.next_due_at).toBe(Date.parse('2026-04-01T00:00:00.000Z'));
    const initech = await signedInAs(t, 'initech.primary');
    const initechToken = csrfTokenIn((await initech.get('/profile')).text);
    expect((await initech.post(`/reports/subscriptions/${id}/delete`).type('form').send({ _csrf: initechToken })).status).toBe(404);
    const token = csrfTokenIn((await primary.get('/reports')).text);
    expect((await primary.post(`/reports/subscriptions/${id}/delete`).type('form').send({ _csrf: token })).status).toBe(303);
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM report_subscriptions')!.n).toBe(0);
  });
});

describe('a big report', () => {
  it('never holds up another sandbox while it is made and e-mailed', async () => {
    t = await createTestApp();
    const { id } = (await api('post', '/sim/api/sandboxes').send({}).expect(201)).body;
    const big = t.simulator.sandboxes.list().find((s) => s.id === id)!.context;
    const card = big.db.get<{ id: number }>("SELECT id FROM cards WHERE cardmember_name = 'Alice Adams'")!.id;
    const now = big.clock.nowMs();
    big.db.run(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO charges (card_id, merchant, amount_cents, at, status, decline_reason) SELECT ?, 'Bulk merchant', 100 + i, ? - i * 300, 'declined', 'Over the spending limit' FROM n`, card, now);
    const primary = big.db.get<{ id: number }>("SELECT id FROM program_administrators WHERE user_id = 'globex.primary'")!.id;
    big.db.run("INSERT INTO report_subscriptions (pa_id, report, frequency, filters, created_at, next_due_at) VALUES (?, 'declines', 'daily', '{}', ?, ?)",
      primary, now, Date.UTC(2026, 2, 3));

    let done = false;
    const moving = api('post', '/sim/api/clock', id).send({ set: '2026-03-03T00:00:00.000Z' }).then((res) => { done = true; return res; });
    let answered = 0;
    let longestMs = 0;
    while (!done) {
      const started = performance.now();
      await api('get', '/sim/api/health').expect(200);
      if (!done) answered += 1;
      longestMs = Math.max(longestMs, performance.now() - started);
    }
    expect((await moving).status).toBe(200);
    expect(answered).toBeGreaterThan(5);
    expect(longestMs).toBeLessThan(250);
    const mail = big.outbox.list({ type: 'scheduled_report' });
    expect(mail.map((m) => [m.data.rows, m.data.truncated, csvLines(String(m.data.csv)).length])).toEqual([[100_000, true, 10_001]]);
  });
});
