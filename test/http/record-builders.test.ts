// The card and transaction builders, proved through the portal's own pages: what a script builds in
// one call is what a PA then finds on /cards, the card's page, Status Tracking and the transaction's page.
import request from 'supertest';
import { signedInAs } from '../helpers/actors';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp(); });
afterEach(() => t.close());

const sim = (path: string, body: object) => request(t.app).post(`/sim/api${path}`).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send(body);
const historyOf = (html: string) => [...html.matchAll(/data-testid="history-event" data-status="([a-z_]+)"/g)].map((m) => m[1]);
const journalOf = async (subject: string) => ((await request(t.app).get(`/sim/api/events?subject=${subject}`).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`)).body.events as Array<{ type: string }>)
  .map((e) => e.type);

describe('POST /sim/api/cards', () => {
  it.each([
    ['active', 'Active', [], null],
    ['suspended', 'Suspended', ['card_suspend'], 'Suspend'],
    ['lost_stolen', 'Lost or stolen', ['card_replace'], 'Replace'],
    ['cancelled', 'Cancelled', ['card_cancel'], 'Cancel'],
  ])('builds a %s card that /cards and its page show in its state, with its completed application', async (state, label, requests, summary) => {
    const res = await sim('/cards', { company: 'Globex Corporation', cardmemberName: 'Quinn Builder', tier: 'premium', state, limitDollars: 4200, temporaryLimit: { dollars: 5000, endsInDays: 7 } }).expect(201);
    expect(res.body).toMatchObject({ company: 'Globex Corporation', cardmemberName: 'Quinn Builder', tier: 'premium', state, limitCents: 420_000, temporaryLimitCents: 500_000 });
    expect(res.body.lastFive).toMatch(/^\d{5}$/);
    expect(res.body.trackingNumbers).toHaveLength(1 + requests.length);
    const agent = await signedInAs(t, 'globex.primary');

    const list = (await agent.get('/cards?q=Quinn%20Builder').expect(200)).text;
    expect(list).toMatch(new RegExp(`data-card-id="${res.body.id}"[\\s\\S]*?Quinn Builder[\\s\\S]*?badge--${state}">${label}<`));
    const page = (await agent.get(`/cards/${res.body.id}`).expect(200)).text;
    expect(page).toContain(`data-state="${state}"`);
    expect(page).toContain(res.body.lastFive);
    expect(page).toMatch(/data-testid="card-limit">\$4,200\.00/);
    expect(page).toMatch(/data-testid="card-temp-limit">\$5,000\.00/);

    const [application, stateRequest] = res.body.trackingNumbers as string[];
    const applied = (await agent.get(`/transactions/${application}`).expect(200)).text;
    expect(historyOf(applied)).toEqual(['submitted', 'in_progress', 'completed']);
    expect(applied).toContain('New premium card for Quinn Builder, limit $4,200.00');
    expect(applied).toContain(`href="/cards/${res.body.id}"`);
    const stored = t.context.db.all<{ type: string; status: string; card_id: number }>('SELECT type, status, card_id FROM transactions WHERE tracking_number IN (SELECT value FROM json_each(?)) ORDER BY id', JSON.stringify(res.body.trackingNumbers));
    expect(stored).toEqual([{ type: 'card_application', status: 'completed', card_id: res.body.id }, ...requests.map((type) => ({ type, status: 'completed', card_id: res.body.id }))]);
    if (stateRequest) {
      const changed = (await agent.get(`/transactions/${stateRequest}`).expect(200)).text;
      expect(historyOf(changed)).toEqual(['submitted', 'in_progress', 'completed']);
      expect(changed).toMatch(new RegExp(`data-testid="transaction-summary">${summary} `));
    }
    const overview = (await agent.get('/transactions').expect(200)).text;
    for (const trackingNumber of res.body.trackingNumbers) expect(overview).toContain(`data-tracking-number="${trackingNumber}" data-status="completed"`);
    expect(await journalOf(`transaction:${application}`)).toEqual(['transaction.submitted', 'transaction.in_progress', 'transaction.completed']);
  });

  it('refuses an unknown company, a limit above the program maximum and a second active card of the tier', async () => {
    const card = { company: 'Globex Corporation', cardmemberName: 'Quinn Builder', tier: 'standard', limitDollars: 100 };
    await sim('/cards', card).expect(201);
    expect((await sim('/cards', card).expect(409)).body.error.code).toBe('duplicate_card');
    await sim('/cards', { ...card, state: 'cancelled' }).expect(201);
    expect((await sim('/cards', { ...card, tier: 'business', limitDollars: 10_000_000 }).expect(409)).body.error.code).toBe('limit_above_maximum');
    expect((await sim('/cards', { ...card, company: 'Nobody Inc' }).expect(404)).body.error.code).toBe('not_found');
    expect((await sim('/cards', { ...card, tier: 'gold' }).expect(400)).body.error.fields).toHaveProperty('tier');
  });
});

describe('POST /sim/api/transactions', () => {
  const suspendOf = (cardId: number, status: string, events: object[]) => ({
    company: 'Globex Corporation', type: 'card_suspend', status, submittedBy: 'globex.primary', card: cardId,
    summary: 'Suspend the card (built)', details: { action: 'suspend', reason: 'other' }, events,
  });
  const activeGlobexCard = () => t.context.db.get<{ id: number }>(
    "SELECT c.id FROM cards c JOIN companies co ON co.id = c.company_id WHERE co.name = 'Globex Corporation' AND c.state = 'active' ORDER BY c.id LIMIT 1")!.id;

  it('shows its history on the transaction\'s page and in the overview, and the clock carries an open one on as the portal\'s own', async () => {
    const cardId = activeGlobexCard();
    const res = await sim('/transactions', suspendOf(cardId, 'in_progress', [
      { minutesAgo: 3 * 24 * 60, status: 'submitted', actor: 'globex.primary' },
      { minutesAgo: 3 * 24 * 60 - 60, status: 'in_progress', actor: 'system', note: 'Picked up for processing.' },
    ])).expect(201);
    expect(res.body).toMatchObject({ company: 'Globex Corporation', type: 'card_suspend', status: 'in_progress', cardId });
    expect(res.body.trackingNumber).toMatch(/^AW\d{10}$/);
    expect(Date.parse(res.body.nextDueAt)).toBeLessThanOrEqual(t.context.clock.nowMs());
    const agent = await signedInAs(t, 'globex.primary');
    const page = (await agent.get(`/transactions/${res.body.trackingNumber}`).expect(200)).text;
    expect(historyOf(page)).toEqual(['submitted', 'in_progress']);
    expect(page).toContain('Picked up for processing.');
    expect(page).toContain('Suspend the card (built)');
    expect((await agent.get('/transactions').expect(200)).text).toContain(`data-tracking-number="${res.body.trackingNumber}" data-status="in_progress"`);
    expect(await journalOf(`transaction:${res.body.trackingNumber}`)).toEqual(['transaction.submitted', 'transaction.in_progress']);

    // Past due already: the next move of the clock completes it, and the card is suspended.
    await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance: '1m' }).expect(200);
    expect(historyOf((await agent.get(`/transactions/${res.body.trackingNumber}`).expect(200)).text)).toEqual(['submitted', 'in_progress', 'completed']);
    expect((await agent.get(`/cards/${cardId}`).expect(200)).text).toContain('data-state="suspended"');
  });

  it('picks a submitted one up an hour after its submission, as the back office does', async () => {
    const res = await sim('/transactions', suspendOf(activeGlobexCard(), 'submitted', [{ minutesAgo: 10, status: 'submitted', actor: 'globex.primary' }])).expect(201);
    expect(Date.parse(res.body.nextDueAt)).toBe(t.context.clock.nowMs() - 10 * 60_000 + 60 * 60_000);
    await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance: '49m' }).expect(200);
    expect(t.context.db.get('SELECT status FROM transactions WHERE tracking_number = ?', res.body.trackingNumber)).toEqual({ status: 'submitted' });
  });

  it('records one submitted by help-desk staff, rejected, as it stands: the clock leaves it', async () => {
    const res = await sim('/transactions', {
      company: 'Globex Corporation', type: 'unlock', status: 'rejected', submittedBy: 'staff:agent.ava', summary: 'Unlock refused (built)',
      rejectionReason: 'The caller could not be verified.',
      events: [{ minutesAgo: 30, status: 'submitted', actor: 'staff:agent.ava' }, { minutesAgo: 5, status: 'rejected', actor: 'staff:super.sam', note: 'Not verified.' }],
    }).expect(201);
    expect(res.body).toMatchObject({ status: 'rejected', cardId: null, nextDueAt: null });
    const page = (await (await signedInAs(t, 'globex.primary')).get(`/transactions/${res.body.trackingNumber}`).expect(200)).text;
    expect(historyOf(page)).toEqual(['submitted', 'rejected']);
    expect(page).toMatch(/data-testid="rejection-reason">The caller could not be verified\./);
    expect(t.context.db.get('SELECT submitted_by FROM transactions WHERE tracking_number = ?', res.body.trackingNumber))
      .toEqual({ submitted_by: `staff:${t.context.db.get<{ id: number }>("SELECT id FROM staff_users WHERE staff_id = 'agent.ava'")!.id}` });
  });

  it('checks the history as a scenario file\'s and refuses what does not exist', async () => {
    const bad = await sim('/transactions', suspendOf(activeGlobexCard(), 'completed', [{ minutesAgo: 5, status: 'in_progress', actor: 'system' }])).expect(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['events.0.status']);
    await sim('/transactions', { ...suspendOf(activeGlobexCard(), 'submitted', [{ minutesAgo: 5, status: 'submitted', actor: 'x' }]), submittedBy: 'nobody' }).expect(404);
  });
});
