// Each card request is reviewed and committed through one decision, and stamped with the time it is given.
import { findSignedInAdministrator } from '../../src/features/accounts/accounts.repository';
import { toSignedInAdministrator, type SignedInAdministrator } from '../../src/features/accounts/sign-in.service';
import {
  commitApplication, commitCardAction, commitDispute, reviewApplication, reviewCardAction, reviewDispute,
} from '../../src/features/cards/cards.service';
import { submittedOrThrow } from '../../src/features/cards/request-decision';
import { PICKUP_DELAY_MS } from '../../src/features/transactions/lifecycle';
import { AppError } from '../../src/lib/errors';
import { cardId, paId, transactionCount } from '../helpers/actors';
import { MINUTE_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let user: SignedInAdministrator;
beforeEach(async () => {
  t = await createTestApp();
  user = toSignedInAdministrator(findSignedInAdministrator(t.context.db, paId(t, 'globex.primary'))!);
});
afterEach(() => t.close());

const chargeOf = (merchant: string) => t.context.db.get<{ id: number; card_id: number }>('SELECT id, card_id FROM charges WHERE merchant = ?', merchant)!;
const stamps = (trackingNumber: string) =>
  t.context.db.get('SELECT submitted_at, next_due_at FROM transactions WHERE tracking_number = ?', trackingNumber);

describe('reviewing a card request', () => {
  it('gives the lines to confirm, and writes nothing', () => {
    const now = t.context.clock.nowMs();
    const before = transactionCount(t);
    expect(reviewCardAction(t.context, user, cardId(t, 'Ben Baker'), 'replace', { ok: true, data: { reason: 'stolen', delivery: 'rush' } }, now))
      .toEqual({ kind: 'review', lines: [['What happened', 'Stolen', 'reason'], ['Delivery', 'Rush (1 business day)', 'delivery']] });
    expect(reviewApplication(t.context, user, { ok: true, data: { cardmemberName: 'Nora New', tier: 'business', limitCents: 400_000 } }, now))
      .toEqual({ kind: 'review', lines: [['Cardmember', 'Nora New'], ['Card type', 'business'], ['Limit', '$4,000.00']] });
    const charge = chargeOf('Skyline Airways');
    expect(reviewDispute(t.context, user, charge.card_id, charge.id, { ok: true, data: { reason: 'duplicate' } }, now))
      .toEqual({ kind: 'review', lines: [['Reason', 'Charged twice', 'reason']] });
    expect(transactionCount(t)).toBe(before);
  });

  it('refuses before it looks at the fields, and lists the fields the form and the rules find wrong', () => {
    const now = t.context.clock.nowMs();
    const wrongForm = { ok: false as const, errors: { reason: 'Choose a reason.' } };
    expect(reviewCardAction(t.context, user, cardId(t, 'Hugo Hughes'), 'cancel', wrongForm, now))
      .toEqual({ kind: 'refused', refusal: 'This card is cancelled and cannot be cancelled.' });
    expect(reviewCardAction(t.context, user, cardId(t, 'Ben Baker'), 'cancel', wrongForm, now)).toEqual({ kind: 'invalid', problems: wrongForm.errors });
    expect(reviewCardAction(t.context, user, cardId(t, 'Ben Baker'), 'limit', { ok: true, data: { limitType: 'temporary', newLimitCents: 0, endDate: '2020-01-01' } }, now))
      .toEqual({ kind: 'invalid', problems: { newLimit: 'Enter the new limit in dollars, for example 7500.', endDate: 'The end date must be in the future.' } });
    expect(reviewApplication(t.context, user, { ok: true, data: { cardmemberName: 'Max Big', tier: 'premium', limitCents: undefined } }, now))
      .toEqual({ kind: 'invalid', problems: { requestedLimit: 'Enter the limit in dollars, for example 5000.' } });
  });

  it('judges a temporary limit by the time it is given, not by the clock', () => {
    const later = t.context.clock.nowMs() + 30 * 86_400_000;
    const endDate = new Date(t.context.clock.nowMs() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(reviewCardAction(t.context, user, cardId(t, 'Ben Baker'), 'limit', { ok: true, data: { limitType: 'temporary', newLimitCents: 2_000_000, endDate } }, later))
      .toEqual({ kind: 'invalid', problems: { endDate: 'The end date must be in the future.' } });
  });
});

describe('committing a card request', () => {
  it('decides again inside its transaction: a card that changed since the review is refused, and nothing is written', () => {
    const baker = cardId(t, 'Ben Baker');
    const input = { ok: true as const, data: { reason: 'employee_left' } };
    const now = t.context.clock.nowMs();
    expect(reviewCardAction(t.context, user, baker, 'cancel', input, now).kind).toBe('review');
    t.context.db.run("UPDATE cards SET state = 'lost_stolen' WHERE id = ?", baker);
    const before = transactionCount(t);
    expect(commitCardAction(t.context, user, baker, 'cancel', input, now)).toEqual({ kind: 'refused', refusal: 'This card is lost or stolen and cannot be cancelled.' });
    expect(transactionCount(t)).toBe(before);
  });

  it('submits one request of a kind at a time: the second commit is refused, naming the first', () => {
    const baker = cardId(t, 'Ben Baker');
    const now = t.context.clock.nowMs();
    const first = submittedOrThrow(commitCardAction(t.context, user, baker, 'suspend', { ok: true, data: { reason: 'under_review' } }, now));
    expect(commitCardAction(t.context, user, baker, 'suspend', { ok: true, data: { reason: 'under_review' } }, now))
      .toEqual({ kind: 'refused', refusal: `Request ${first.trackingNumber} for this card is still being processed.` });
    const charge = chargeOf('Skyline Airways');
    submittedOrThrow(commitDispute(t.context, user, charge.card_id, charge.id, { ok: true, data: { reason: 'duplicate' } }, now));
    expect(commitDispute(t.context, user, charge.card_id, charge.id, { ok: true, data: { reason: 'duplicate' } }, now))
      .toEqual({ kind: 'refused', refusal: 'This charge has already been disputed.' });
  });

  it('stamps every kind of request with the time it is given', () => {
    const at = t.context.clock.nowMs() + 7 * MINUTE_MS;
    const charge = chargeOf('Skyline Airways');
    const submitted = [
      commitCardAction(t.context, user, cardId(t, 'Ben Baker'), 'cancel', { ok: true, data: { reason: 'employee_left' } }, at),
      commitApplication(t.context, user, { ok: true, data: { cardmemberName: 'Nora New', tier: 'business', limitCents: 400_000 } }, at),
      commitDispute(t.context, user, charge.card_id, charge.id, { ok: true, data: { reason: 'duplicate' } }, at),
    ].map(submittedOrThrow);
    const [cancel, application, dispute] = submitted.map(({ trackingNumber }) => stamps(trackingNumber));
    expect(cancel).toEqual({ submitted_at: at, next_due_at: at + PICKUP_DELAY_MS });
    // Globex's rules hold a new card application for an approver: not due until it is approved.
    expect(application).toEqual({ submitted_at: at, next_due_at: null });
    expect(dispute).toEqual({ submitted_at: at, next_due_at: at + PICKUP_DELAY_MS });
  });

  it('is an AppError with the page\'s code for a caller with no form: 409 for a refusal, 400 with the fields for problems', () => {
    const now = t.context.clock.nowMs();
    const refused = () => submittedOrThrow(commitCardAction(t.context, user, cardId(t, 'Hugo Hughes'), 'cancel', { ok: true, data: { reason: 'other' } }, now));
    expect(refused).toThrow(expect.objectContaining({ status: 409, code: 'action_not_allowed' }) as AppError);
    const invalid = () => submittedOrThrow(commitApplication(t.context, user, { ok: true, data: { cardmemberName: 'Max Big', tier: 'premium', limitCents: 6_000_000 } }, now));
    expect(invalid).toThrow(expect.objectContaining({ status: 400, code: 'invalid_input', fields: { requestedLimit: 'The limit cannot be above the program maximum of $50,000.00.' } }) as AppError);
  });
});
