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
