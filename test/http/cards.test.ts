import request from 'supertest';
import { insertCharge } from '../../src/features/cards/cards.repository';
import { passesLuhn } from '../../src/lib/luhn';
import { approveAsApprover, cardId, signedInAs, submitWithReview, trackingNumberFrom, transactionCount } from '../helpers/actors';
import { csrfTokenIn, type Agent } from '../helpers/pages';
import { DAY_MS, TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let primary: Agent;
beforeEach(async () => {
  t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } });
  primary = await signedInAs(t, 'globex.primary');
});
afterEach(() => t.close());

/** Moves the clock through the simulator, then signs in again: days of idleness end any session. */
async function advance(by: string): Promise<void> {
  await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance: by }).expect(200);
  primary = await signedInAs(t, 'globex.primary');
}
const cardState = (id: number) => t.context.db.get<{ state: string }>('SELECT state FROM cards WHERE id = ?', id)!.state;
const transaction = (trackingNumber: string) => t.context.db.get<{ status: string; rejection_reason: string | null; card_id: number | null }>(
  'SELECT status, rejection_reason, card_id FROM transactions WHERE tracking_number = ?', trackingNumber)!;
const namesOn = (html: string) => [...html.matchAll(/data-testid="card-link">([^<]+)</g)].map((m) => m[1]);

describe('GET /cards', () => {
  it("lists only the company's cards, by cardmember name", async () => {
    const res = await primary.get('/cards').expect(200);
    const names = namesOn(res.text);
    expect(names).toContain('Alice Adams');
    expect(names).not.toContain('Peter Gibbons');
    expect(names).toEqual([...names].sort((a, b) => a!.localeCompare(b!)));
  });

  it('searches by a name prefix in any case, and by the last five digits', async () => {
    expect(namesOn((await primary.get('/cards?q=ali')).text)).toEqual(['Alice Adams']);
    expect(namesOn((await primary.get('/cards?q=ADAMS')).text)).toEqual(['Alice Adams']);
    const lastFive = t.context.db.get<{ last_five: string }>("SELECT last_five FROM cards WHERE cardmember_name = 'Ben Baker'")!.last_five;
    expect(namesOn((await primary.get(`/cards?q=${lastFive}`)).text)).toEqual(['Ben Baker']);
    const none = await primary.get('/cards?q=zzz').expect(200);
    expect(none.text).toContain('data-testid="cards-empty"');
  });

  it('filters by state and tier', async () => {
    expect(namesOn((await primary.get('/cards?state=suspended')).text)).toEqual(['Frank Fox']);
    expect(namesOn((await primary.get('/cards?tier=business')).text)).toEqual(['Carla Chen', 'Gina Garcia']);
    expect(namesOn((await primary.get('/cards?state=cancelled')).text)).toEqual(['Hugo Hughes']);
  });

  it('pages through every card once, 25 at a time', async () => {
    const company = t.context.db.get<{ id: number }>("SELECT id FROM companies WHERE name = 'Globex Corporation'")!.id;
    t.context.db.tx(() => {
      for (let i = 0; i < 40; i += 1) {
        t.context.db.run(`INSERT INTO cards (company_id, card_number, last_five, cardmember_name, tier, state, limit_cents, opened_at, expires_on, state_changed_at)
          VALUES (?, ?, ?, ?, 'standard', 'active', 100000, 0, '2030-01', 0)`, company, `37999999${String(i).padStart(7, '0')}`, String(i).padStart(5, '0'), `Zed Person ${String(i).padStart(2, '0')}`);
      }
    });
    const seen: string[] = [];
    let url: string | undefined = '/cards';
    while (url) {
      const page: request.Response = await primary.get(url).expect(200);
      const ids = [...page.text.matchAll(/data-testid="card-row" data-card-id="(\d+)"/g)].map((m) => m[1]!);
      expect(ids.length).toBeLessThanOrEqual(25);
      seen.push(...ids);
      url = /data-testid="cards-next"/.test(page.text) ? /href="([^"]+)" data-testid="cards-next"/.exec(page.text)![1]!.replace(/&amp;/g, '&') : undefined;
    }
    const total = t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM cards WHERE company_id = ?', company)!.n;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});

describe('GET /cards/:id', () => {
  it('shows details, the service line of its tier, recent and declined charges', async () => {
    const res = await primary.get(`/cards/${cardId(t, 'Alice Adams')}`).expect(200);
    expect(res.text).toMatch(/data-testid="card-masked">•••• \d{5}</);
    expect(res.text).toContain('Premium Corporate Service');
    expect(res.text).toContain('Skyline Airways');
    expect(res.text).toMatch(/data-testid="decline-row"[\s\S]*Lux Watches[\s\S]*Over the spending limit/);
    expect(res.text).not.toMatch(/37\d{13}/);
  });

  it('lists the ten latest posted and the ten latest declined charges, however many the card has', async () => {
    const card = cardId(t, 'Ben Baker');
    t.context.db.run('DELETE FROM charges WHERE card_id = ?', card);
    const ids = (html: string, row: string) => [...html.matchAll(new RegExp(`data-testid="${row}" data-charge-id="(\\d+)"`, 'g'))].map((m) => Number(m[1]));
    const expected = (status: string) => t.context.db.all<{ id: number }>(
      'SELECT id FROM charges WHERE card_id = ? AND status = ? ORDER BY at DESC, id DESC LIMIT 10', card, status).map((row) => row.id);
    // Charges of both kinds, in no order of time, some at the same moment; the page must list the same as the SQL above.
    for (const total of [3, 20, 21, 45]) {
      for (let n = t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM charges WHERE card_id = ?', card)!.n; n < total; n += 1) {
        insertCharge(t.context.db, { card_id: card, merchant: `Shop ${n}`, amount_cents: 100 + n, at: Date.UTC(2026, 0, 1 + ((n * 7) % 13)),
          status: n % 3 === 0 ? 'declined' : 'posted', decline_reason: n % 3 === 0 ? 'Over the spending limit' : null, dispute_status: null });
      }
      const html = (await primary.get(`/cards/${card}`).expect(200)).text;
      expect([total, ids(html, 'charge-row')]).toEqual([total, expected('posted')]);
      expect([total, ids(html, 'decline-row')]).toEqual([total, expected('declined')]);
    }
  });

  it('answers a card that does not exist with 404', async () => {
    await primary.get('/cards/999999').expect(404);
    await primary.get('/cards/not-a-number').expect(404);
  });
});

describe('card requests', () => {
  it('cancel: review first, then exactly one transaction with a valid tracking number; the card changes when it completes', async () => {
    const baker = cardId(t, 'Ben Baker');
    const form = await primary.get(`/cards/${baker}/cancel`).expect(200);
    const token = csrfTokenIn(form.text);
    const before = transactionCount(t);
    const review = await primary.post(`/cards/${baker}/cancel`).type('form').send({ _csrf: token, reason: 'employee_left' }).expect(200);
    expect(review.text).toContain('data-testid="review-panel"');
    expect(transactionCount(t)).toBe(before);

    const done = await primary.post(`/cards/${baker}/cancel`).type('form').send({ _csrf: token, reason: 'employee_left', confirmed: 'yes' }).expect(303);
    const trackingNumber = trackingNumberFrom(done.headers.location);
    expect(passesLuhn(trackingNumber.slice(2))).toBe(true);
    expect(transactionCount(t)).toBe(before + 1);
    const confirmation = await primary.get(done.headers.location!).expect(200);
    expect(confirmation.text).toContain(`data-testid="submitted-tracking-number">${trackingNumber}<`);
    expect(cardState(baker)).toBe('active');

    await advance('90m');
    expect(transaction(trackingNumber).status).toBe('in_progress');
    expect(cardState(baker)).toBe('active');
    await advance('4d');
    expect(transaction(trackingNumber).status).toBe('completed');
    expect(cardState(baker)).toBe('cancelled');
    const history = await primary.get(`/transactions/${trackingNumber}`).expect(200);
    expect([...history.text.matchAll(/data-testid="history-event" data-status="(\w+)"/g)].map((m) => m[1])).toEqual(['submitted', 'in_progress', 'completed']);
  });

  it('goes back from the review to the form as it was filled in when "Change" is pressed, sending nothing', async () => {
    const baker = cardId(t, 'Ben Baker');
    const form = await primary.get(`/cards/${baker}/limit`).expect(200);
    const token = csrfTokenIn(form.text);
    const fields = { _csrf: token, limitType: 'permanent', newLimit: '7500', endDate: '' };
    const review = await primary.post(`/cards/${baker}/limit`).type('form').send(fields).expect(200);
    expect(review.text).toContain('data-testid="confirm-change"');
    const before = transactionCount(t);
    const back = await primary.post(`/cards/${baker}/limit`).type('form').send({ ...fields, confirmed: 'no' }).expect(200);
    expect(back.text).not.toContain('data-testid="review-panel"');
    expect(back.text).toMatch(/name="newLimit"[^>]*value="7500"|value="7500"[^>]*name="newLimit"/);
    expect(transactionCount(t)).toBe(before);
  });

  it('refuses a second state change while one is open, naming it', async () => {
    const baker = cardId(t, 'Ben Baker');
    const first = await submitWithReview(primary, `/cards/${baker}/cancel`, { reason: 'employee_left' });
    const trackingNumber = trackingNumberFrom(first.headers.location);
    const second = await submitWithReview(primary, `/cards/${baker}/suspend`, { reason: 'under_review' });
    expect(second.status).toBe(409);
    expect(second.text).toContain(`Request ${trackingNumber} for this card is still being processed.`);
  });

  it('answers a confirmation with the refusal page when the card changed after its review, and a double confirmation once', async () => {
    const baker = cardId(t, 'Ben Baker');
    const token = csrfTokenIn((await primary.get(`/cards/${baker}/suspend`).expect(200)).text);
    await primary.post(`/cards/${baker}/suspend`).type('form').send({ _csrf: token, reason: 'under_review' }).expect(200);
    const opened = await submitWithReview(primary, `/cards/${baker}/cancel`, { reason: 'employee_left' });
    const before = transactionCount(t);
    const late = await primary.post(`/cards/${baker}/suspend`).type('form').send({ _csrf: token, reason: 'under_review', confirmed: 'yes' }).expect(409);
    expect(late.text).toContain('data-testid="action-refused"');
    expect(late.text).toContain(`Request ${trackingNumberFrom(opened.headers.location)} for this card is still being processed.`);
    expect(transactionCount(t)).toBe(before);

    const charge = t.context.db.get<{ id: number; card_id: number }>("SELECT id, card_id FROM charges WHERE merchant = 'Skyline Airways'")!;
    const url = `/cards/${charge.card_id}/charges/${charge.id}/dispute`;
    const confirm = () => primary.post(url).type('form').send({ _csrf: token, reason: 'duplicate', confirmed: 'yes' });
    const answers = await Promise.all([confirm(), confirm()]);
    expect(answers.map((res) => res.status).sort()).toEqual([303, 409]);
    expect(answers.find((res) => res.status === 409)!.text).toContain('This charge has already been disputed.');
    expect(transactionCount(t)).toBe(before + 1);
  });

  it('refuses to replace a cancelled card, and to cancel it again', async () => {
    const hughes = cardId(t, 'Hugo Hughes');
    const before = transactionCount(t);
    const replace = await submitWithReview(primary, `/cards/${hughes}/replace`, { reason: 'lost', delivery: 'standard' });
    expect(replace.status).toBe(409);
    expect(replace.text).toContain('A cancelled card cannot be replaced');
    const cancel = await primary.get(`/cards/${hughes}/cancel`).expect(200);
    expect(cancel.text).toContain('data-testid="action-refused"');
    expect(transactionCount(t)).toBe(before);
  });

  it('refuses a limit above the program maximum, and a temporary limit without a sensible end date', async () => {
    const adams = cardId(t, 'Alice Adams');
    const over = await submitWithReview(primary, `/cards/${adams}/limit`, { limitType: 'permanent', newLimit: '50000.01', endDate: '' });
    expect(over.status).toBe(400);
    expect(over.text).toContain('cannot be above the program maximum of $50,000.00');
    const past = await submitWithReview(primary, `/cards/${adams}/limit`, { limitType: 'temporary', newLimit: '20000', endDate: '2020-01-01' });
    expect(past.text).toContain('The end date must be in the future.');
    const far = new Date(t.context.clock.nowMs() + 120 * DAY_MS).toISOString().slice(0, 10);
    const tooLong = await submitWithReview(primary, `/cards/${adams}/limit`, { limitType: 'temporary', newLimit: '20000', endDate: far });
    expect(tooLong.text).toContain('at most 90 days');
    const garbage = await submitWithReview(primary, `/cards/${adams}/limit`, { limitType: 'permanent', newLimit: 'lots', endDate: '' });
    expect(garbage.text).toContain('data-testid="newLimit-error"');
  });

  it('a temporary limit applies when its request completes and ends on its last day', async () => {
    const adams = cardId(t, 'Alice Adams');
    const end = new Date(t.context.clock.nowMs() + 10 * DAY_MS).toISOString().slice(0, 10);
    const res = await submitWithReview(primary, `/cards/${adams}/limit`, { limitType: 'temporary', newLimit: '20000', endDate: end });
    trackingNumberFrom(res.headers.location);
    await advance('4d');
    const during = t.context.db.get<{ temp_limit_cents: number | null }>('SELECT temp_limit_cents FROM cards WHERE id = ?', adams)!;
    expect(during.temp_limit_cents).toBe(2_000_000);
    expect((await primary.get('/home')).text).toContain(`temporary limit on`);
    await advance('8d');
    expect(t.context.db.get('SELECT temp_limit_cents, temp_limit_ends_at FROM cards WHERE id = ?', adams)).toEqual({ temp_limit_cents: null, temp_limit_ends_at: null });
  });

  it('replace: the old card becomes lost or stolen and a new card with a new number is issued', async () => {
    const evans = cardId(t, 'Erin Evans');
    const res = await submitWithReview(primary, `/cards/${evans}/replace`, { reason: 'stolen', delivery: 'rush' });
    trackingNumberFrom(res.headers.location);
    await advance('4d');
    expect(cardState(evans)).toBe('lost_stolen');
    const replacement = t.context.db.get<{ card_number: string; state: string }>('SELECT card_number, state FROM cards WHERE replaces_card_id = ?', evans)!;
    expect(replacement.state).toBe('active');
    expect(passesLuhn(replacement.card_number)).toBe(true);
  });

  it('suspend and reinstate', async () => {
    const chen = cardId(t, 'Carla Chen');
    await submitWithReview(primary, `/cards/${chen}/suspend`, { reason: 'temporary_leave' });
    await advance('4d');
    expect(cardState(chen)).toBe('suspended');
    await submitWithReview(primary, `/cards/${chen}/reinstate`, {});
    await advance('4d');
    expect(cardState(chen)).toBe('active');
  });

  it('counts suspended cards on the homepage as cards are suspended, reinstated and cancelled', async () => {
    const notice = async () => Number(/data-testid="home-notice">(\d+) suspended card/.exec((await primary.get('/home').expect(200)).text)?.[1] ?? 0);
    const counted = () => t.context.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM cards JOIN companies c ON c.id = company_id WHERE c.name = 'Globex Corporation' AND state = 'suspended'")!.n;
    const atStart = await notice();
    expect(atStart).toBe(counted());
    expect(atStart).toBeGreaterThan(0);
    const chen = cardId(t, 'Carla Chen');
    await submitWithReview(primary, `/cards/${chen}/suspend`, { reason: 'temporary_leave' });
    await advance('4d');
    const afterSuspending = await notice();
    expect(cardState(chen)).toBe('suspended');
    expect(afterSuspending).toBe(counted());
    const frank = cardId(t, 'Frank Fox');
    await submitWithReview(primary, `/cards/${frank}/cancel`, { reason: 'employee_left' });
    await submitWithReview(primary, `/cards/${chen}/reinstate`, {});
    await advance('4d');
    expect([cardState(chen), cardState(frank)]).toEqual(['active', 'cancelled']);
    expect(await notice()).toBe(afterSuspending - 2);
    expect(await notice()).toBe(counted());
  });

  it('rejects, by rule, an increase to more than ten times the current limit', async () => {
    const evans = cardId(t, 'Erin Evans'); // $1,000 limit
    const res = await submitWithReview(primary, `/cards/${evans}/limit`, { limitType: 'permanent', newLimit: '10001', endDate: '' });
    const trackingNumber = trackingNumberFrom(res.headers.location);
    await advance('4d');
    expect(transaction(trackingNumber)).toMatchObject({ status: 'rejected', rejection_reason: expect.stringContaining('credit review') });
    expect(t.context.db.get<{ limit_cents: number }>('SELECT limit_cents FROM cards WHERE id = ?', evans)!.limit_cents).toBe(100_000);
  });

  it('applies for a new card, which waits for an approver (Globex\'s rule), is issued on completion; a duplicate application is rejected', async () => {
    const first = await submitWithReview(primary, '/cards/apply', { cardmemberName: 'Nora New', tier: 'business', requestedLimit: '4000' });
    const second = await submitWithReview(primary, '/cards/apply', { cardmemberName: 'nora new', tier: 'business', requestedLimit: '4000' });
    const [a, b] = [trackingNumberFrom(first.headers.location), trackingNumberFrom(second.headers.location)];
    await advance('4d');
    expect([transaction(a).status, transaction(b).status]).toEqual(['submitted', 'submitted']);
    await approveAsApprover(t, a);
    await approveAsApprover(t, b);
    await advance('4d');
    expect(transaction(a).status).toBe('completed');
    expect(transaction(a).card_id).toBe(cardId(t, 'Nora New'));
    expect(transaction(b)).toMatchObject({ status: 'rejected', rejection_reason: expect.stringContaining('already has an active business card') });
    const tooBig = await submitWithReview(primary, '/cards/apply', { cardmemberName: 'Max Big', tier: 'premium', requestedLimit: '60000' });
    expect(tooBig.status).toBe(400);
    expect(tooBig.text).toContain('program maximum');
  });
});

describe('the review step', () => {
  const reviewOf = async (url: string, fields: Record<string, string>) => {
    const form = await primary.get(url).expect(200);
    const review = await primary.post(url).type('form').send({ _csrf: csrfTokenIn(form.text), ...fields }).expect(200);
    expect(review.text).toContain('data-testid="review-panel"');
    return (field: string) => new RegExp(`data-testid="review-${field}">([^<]*)<`).exec(review.text)?.[1];
  };

  it.each([
    ['cancel', { reason: 'employee_left' }, { reason: 'Employee left the company' }],
    ['cancel', { reason: 'no_longer_needed' }, { reason: 'No longer needed' }],
    ['suspend', { reason: 'temporary_leave' }, { reason: 'Cardmember on leave' }],
    ['replace', { reason: 'stolen', delivery: 'rush' }, { reason: 'Stolen', delivery: 'Rush (1 business day)' }],
    ['limit', { limitType: 'permanent', newLimit: '7500', endDate: '' }, { limitType: 'Permanent', newLimit: '$7,500.00' }],
  ] as Array<[string, Record<string, string>, Record<string, string>]>)('%s shows each choice as the form labelled it (%j)', async (action, fields, shown) => {
    const seen = await reviewOf(`/cards/${cardId(t, 'Ben Baker')}/${action}`, fields);
    for (const [field, label] of Object.entries(shown)) expect(seen(field)).toBe(label);
  });

  it('a dispute shows its reason as the form labelled it', async () => {
    const charge = t.context.db.get<{ id: number; card_id: number }>("SELECT id, card_id FROM charges WHERE merchant = 'Skyline Airways'")!;
    const seen = await reviewOf(`/cards/${charge.card_id}/charges/${charge.id}/dispute`, { reason: 'not_received' });
    expect(seen('reason')).toBe('Goods or services not received');
  });
});

describe('disputes', () => {
  const chargeOf = (merchant: string) => t.context.db.get<{ id: number; card_id: number }>('SELECT id, card_id FROM charges WHERE merchant = ?', merchant)!;

  it('opens a dispute once; the second is refused; it is credited on completion', async () => {
    const charge = chargeOf('Skyline Airways');
    const url = `/cards/${charge.card_id}/charges/${charge.id}/dispute`;
    const first = await submitWithReview(primary, url, { reason: 'duplicate' });
    const trackingNumber = trackingNumberFrom(first.headers.location);
    const again = await submitWithReview(primary, url, { reason: 'duplicate' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already been disputed');
    await advance('4d');
    expect(transaction(trackingNumber).status).toBe('completed');
    expect(t.context.db.get('SELECT dispute_status FROM charges WHERE id = ?', charge.id)).toEqual({ dispute_status: 'credited' });
  });

  it('rejects, by rule, a dispute under $25', async () => {
    const charge = chargeOf('Corner Coffee');
    const res = await submitWithReview(primary, `/cards/${charge.card_id}/charges/${charge.id}/dispute`, { reason: 'wrong_amount' });
    const trackingNumber = trackingNumberFrom(res.headers.location);
    await advance('4d');
    expect(transaction(trackingNumber)).toMatchObject({ status: 'rejected', rejection_reason: expect.stringContaining('under $25.00') });
    expect(t.context.db.get('SELECT dispute_status FROM charges WHERE id = ?', charge.id)).toEqual({ dispute_status: 'denied' });
  });

  it('refuses to dispute a declined charge', async () => {
    const charge = chargeOf('Lux Watches');
    const res = await primary.get(`/cards/${charge.card_id}/charges/${charge.id}/dispute`).expect(200);
    expect(res.text).toContain('cannot be disputed');
    const post = await primary.post(`/cards/${charge.card_id}/charges/${charge.id}/dispute`).type('form').send({ _csrf: csrfTokenIn(res.text), reason: 'duplicate', confirmed: 'yes' });
    expect(post.status).toBe(409);
  });
});
