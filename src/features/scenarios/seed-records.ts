// The rows a card or a recorded transaction of a scenario becomes, written the same way whether a
// scenario file is loaded or a script builds one entry through the simulator API.
import type { Database } from '../../db/database';
import { formatTrackingNumber } from '../../lib/tracking-number';
import { issueCardNumber } from '../cards/card-numbers';
import { insertCard, insertCharge } from '../cards/cards.repository';
import { TRACKING_SEQUENCE_START } from '../transactions/lifecycle';
import { insertTransaction, insertTransactionEvent, nextSequenceValue } from '../transactions/transactions.repository';
import type { CardSeed, TransactionSeed } from './scenario-schema';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export type SeededCard = Omit<CardSeed, 'key' | 'company' | 'charges' | 'controlAccount'> & { charges?: CardSeed['charges']; controlAccountId?: number | null };

/** Writes a card (and its charges) as it stands, opened `openedDaysAgo` before `now`. Returns its id. */
export function insertSeededCard(db: Database, companyId: number, card: SeededCard, now: number): number {
  const cardNumber = issueCardNumber(db, companyId);
  const openedAt = now - card.openedDaysAgo * DAY_MS;
  const expiry = new Date(openedAt + 4 * 365 * DAY_MS);
  const id = insertCard(db, {
    company_id: companyId, card_number: cardNumber, last_five: cardNumber.slice(-5), cardmember_name: card.cardmemberName,
    tier: card.tier, state: card.state, limit_cents: Math.round(card.limitDollars * 100),
    temp_limit_cents: card.temporaryLimit ? Math.round(card.temporaryLimit.dollars * 100) : null,
    temp_limit_ends_at: card.temporaryLimit ? now + card.temporaryLimit.endsInDays * DAY_MS : null, replaces_card_id: null, opened_at: openedAt,
    expires_on: `${expiry.getUTCFullYear()}-${String(expiry.getUTCMonth() + 1).padStart(2, '0')}`, state_changed_at: openedAt,
    control_account_id: card.controlAccountId ?? null,
  });
  for (const charge of card.charges ?? []) {
    insertCharge(db, {
      card_id: id, merchant: charge.merchant, amount_cents: Math.round(charge.dollars * 100), at: now - charge.daysAgo * DAY_MS,
      status: charge.declined ? 'declined' : 'posted', decline_reason: charge.declined ?? null, dispute_status: null,
    });
  }
  return id;
}

export type ActorResolver = (written: string) => { actor: string; paId: number | null };

/** The stored form of an actor: `pa:<id>` for a PA, `staff:<id>` for staff, anything else as written. */
export function actorResolver(db: Database): ActorResolver {
  // A pending PA has no user ID yet: the document names it by the one its persona will choose.
  const pas = new Map(db.all<{ id: number; user_id: string }>(
    'SELECT id, coalesce(user_id, persona_key) AS user_id FROM program_administrators WHERE coalesce(user_id, persona_key) IS NOT NULL')
    .map((row) => [row.user_id, row.id]));
  const staff = new Map(db.all<{ id: number; staff_id: string }>('SELECT id, staff_id FROM staff_users').map((row) => [row.staff_id, row.id]));
  return (written) => {
    const paId = pas.get(written);
    if (paId !== undefined) return { actor: `pa:${paId}`, paId };
    const staffId = written.startsWith('staff:') ? staff.get(written.slice('staff:'.length)) : undefined;
    return { actor: staffId === undefined ? written : `staff:${staffId}`, paId: null };
  };
}

export type SeededTransaction = Omit<TransactionSeed, 'company' | 'card' | 'dueInMinutes'> & {
  companyId: number;
  cardId: number | null;
  /** When the clock next moves it; null: it stays as it is. */
  nextDueAt: number | null;
};

/** Writes a transaction as it stands, with its status history (each event in the journal too). Call inside a db.tx. */
export function insertSeededTransaction(db: Database, transaction: SeededTransaction, resolve: ActorResolver, now: number): { id: number; trackingNumber: string } {
  const at = (minutesAgo: number) => now - minutesAgo * MINUTE_MS;
  const submitter = resolve(transaction.submittedBy);
  const trackingNumber = transaction.trackingNumber ?? formatTrackingNumber(nextSequenceValue(db, 'tracking_number', TRACKING_SEQUENCE_START));
  const id = insertTransaction(db, {
    tracking_number: trackingNumber,
    company_id: transaction.companyId,
    type: transaction.type,
    status: transaction.status,
    submitted_by: submitter.actor,
    submitted_by_pa_id: submitter.paId,
    card_id: transaction.cardId,
    charge_id: null,
    subject_pa_id: null,
    summary: transaction.summary,
    details: JSON.stringify(transaction.details),
    rejection_reason: transaction.rejectionReason ?? null,
    submitted_at: at(transaction.events[0]!.minutesAgo),
    updated_at: at(transaction.events.at(-1)!.minutesAgo),
    next_due_at: transaction.nextDueAt,
  });
  for (const event of transaction.events) {
    insertTransactionEvent(db, { transaction_id: id, at: at(event.minutesAgo), status: event.status, actor: resolve(event.actor).actor, note: event.note ?? null });
  }
  return { id, trackingNumber };
}
