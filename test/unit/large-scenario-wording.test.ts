// The large scenario's generated requests read like the ones the portal writes when a PA submits them.
import { findSignedInAdministrator } from '../../src/features/accounts/accounts.repository';
import { toSignedInAdministrator } from '../../src/features/accounts/sign-in.service';
import { commitApplication, commitCardAction, commitDispute, type CardActionInput, type CardActionName } from '../../src/features/cards/cards.service';
import { submittedOrThrow } from '../../src/features/cards/request-decision';
import { addLargeVolume, generatedSummary, type GeneratedCard, type GeneratedType } from '../../seed/large-scenario';
import { cardId, paId } from '../helpers/actors';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp(); });
afterEach(() => t.close());

const summaryOf = (trackingNumber: string) =>
  t.context.db.get<{ summary: string }>('SELECT summary FROM transactions WHERE tracking_number = ?', trackingNumber)!.summary;

function generatedCardFor(id: number): GeneratedCard {
  const card = t.context.db.get<{ card_number: string; cardmember_name: string; tier: string; limit_cents: number }>(
    'SELECT card_number, cardmember_name, tier, limit_cents FROM cards WHERE id = ?', id)!;
  const charge = t.context.db.get<{ merchant: string; amount_cents: number }>(
    "SELECT merchant, amount_cents FROM charges WHERE card_id = ? AND status = 'posted' AND dispute_status IS NULL ORDER BY id LIMIT 1", id)!;
  return { ...card, charge };
}

describe('generatedSummary', () => {
  const actions: Array<[GeneratedType, CardActionName, CardActionInput, number]> = [
    ['card_cancel', 'cancel', { reason: 'employee_left' }, 1],
    ['card_replace', 'replace', { reason: 'lost', delivery: 'rush' }, 4],
    ['card_replace', 'replace', { reason: 'lost', delivery: 'standard' }, 5],
    ['card_suspend', 'suspend', { reason: 'under_review' }, 1],
    ['limit_change', 'limit', { limitType: 'permanent', newLimitCents: 900_000 }, 1],
  ];

  it.each(actions)('words %s as the portal words a submitted %s', (type, action, input, sequence) => {
    const user = toSignedInAdministrator(findSignedInAdministrator(t.context.db, paId(t, 'globex.primary'))!);
    const id = cardId(t, 'Ben Baker');
    const expected = generatedSummary(type, generatedCardFor(id), 900_000, sequence);
    const submitted = submittedOrThrow(commitCardAction(t.context, user, id, action, { ok: true, data: input }, t.context.clock.nowMs()));
    expect(expected).toBe(summaryOf(submitted.trackingNumber));
  });

  it('words a reinstatement as the portal does', () => {
    const user = toSignedInAdministrator(findSignedInAdministrator(t.context.db, paId(t, 'globex.primary'))!);
    const suspended = t.context.db.get<{ id: number }>("SELECT id FROM cards WHERE state = 'suspended' AND company_id = ? LIMIT 1", user.companyId)!.id;
    const expected = generatedSummary('card_reinstate', generatedCardFor(suspended), 0, 1);
    expect(expected).toBe(summaryOf(submittedOrThrow(commitCardAction(t.context, user, suspended, 'reinstate', { ok: true, data: {} }, t.context.clock.nowMs())).trackingNumber));
  });

  it('words an application and a dispute as the portal does', () => {
    const user = toSignedInAdministrator(findSignedInAdministrator(t.context.db, paId(t, 'globex.primary'))!);
    const card = generatedCardFor(cardId(t, 'Ben Baker'));
    const applied = submittedOrThrow(commitApplication(t.context, user, {
      ok: true, data: { cardmemberName: card.cardmember_name, tier: card.tier as 'standard', limitCents: card.limit_cents },
    }, t.context.clock.nowMs()));
    expect(generatedSummary('card_application', card, 0, 1)).toBe(summaryOf(applied.trackingNumber));
    const charge = t.context.db.get<{ id: number }>('SELECT id FROM charges WHERE card_id = ? AND merchant = ? AND amount_cents = ?',
      cardId(t, 'Ben Baker'), card.charge.merchant, card.charge.amount_cents)!;
    const disputed = submittedOrThrow(commitDispute(t.context, user, cardId(t, 'Ben Baker'), charge.id, { ok: true, data: { reason: 'duplicate' } }, t.context.clock.nowMs()));
    expect(generatedSummary('charge_dispute', card, 0, 1)).toBe(summaryOf(disputed.trackingNumber));
  });

  it('is what the generator writes: no row reads like "card replace •••• 89665"', async () => {
    await addLargeVolume(t.context, 3, { transactions: 400, cards: 200, extraCompanies: 2, globexShare: 0.3 });
    const wording: Record<string, RegExp> = {
      card_cancel: /^Cancel •••• \d{5} \([^)]+\)$/,
      card_replace: /^Replace •••• \d{5} \([^)]+\), (standard|rush) delivery$/,
      card_suspend: /^Suspend •••• \d{5} \([^)]+\)$/,
      card_reinstate: /^Reinstate •••• \d{5} \([^)]+\)$/,
      limit_change: /^(Temporary limit|Limit) \$[\d,]+\.\d\d on •••• \d{5}( until \d{4}-\d\d-\d\d)?$/,
      card_application: /^New \w+ card for .+, limit \$[\d,]+\.\d\d$/,
      charge_dispute: /^Dispute \$[\d,]+\.\d\d at .+ on •••• \d{5}$/,
      // Not generated: the default scenario's secure-message thread, which the large scenario keeps.
      secure_message: /^Secure message: .+$/,
    };
    const rows = t.context.db.all<{ type: string; summary: string }>('SELECT type, summary FROM transactions');
    expect(rows.length).toBeGreaterThan(400);
    for (const row of rows) expect([row.type, row.summary]).toEqual([row.type, expect.stringMatching(wording[row.type]!)]);
  });
});
