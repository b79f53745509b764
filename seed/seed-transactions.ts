// Writes a scenario's recorded transactions as they stand, with their status history. People are
// named in the document by user ID (`staff:<staff ID>` for help-desk staff) and stored by row id.
import type { Database } from '../src/db/database';
import type { TransactionSeed } from '../src/features/scenarios/scenario-schema';
import { TRACKING_SEQUENCE_START } from '../src/features/transactions/lifecycle';
import { insertTransaction, insertTransactionEvent, nextSequenceValue } from '../src/features/transactions/transactions.repository';
import { formatTrackingNumber } from '../src/lib/tracking-number';

const MINUTE_MS = 60_000;

/** The stored form of an actor: `pa:<id>` for a PA, `staff:<id>` for staff, anything else as written. */
function actorResolver(db: Database): (written: string) => { actor: string; paId: number | null } {
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

export function seedTransactions(db: Database, transactions: TransactionSeed[], companyIds: Map<string, number>, cardIds: Map<string, number>, now: number): void {
  if (transactions.length === 0) return;
  const resolve = actorResolver(db);
  const at = (minutesAgo: number) => now - minutesAgo * MINUTE_MS;
  db.tx(() => {
    // Numbers written in the document are kept; the others follow the highest of all.
    // "AW", the sequence's 9 digits, the check digit.
    const written = transactions.flatMap((t) => (t.trackingNumber ? [Number(t.trackingNumber.slice(2, -1))] : []));
    if (written.length > 0) {
      db.run(`INSERT INTO sequences (name, value) VALUES ('tracking_number', ?)
              ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`, Math.max(...written));
    }
    for (const transaction of transactions) {
      const submitter = resolve(transaction.submittedBy);
      const last = transaction.events.at(-1)!;
      const id = insertTransaction(db, {
        tracking_number: transaction.trackingNumber ?? formatTrackingNumber(nextSequenceValue(db, 'tracking_number', TRACKING_SEQUENCE_START)),
        company_id: companyIds.get(transaction.company)!,
        type: transaction.type,
        status: transaction.status,
        submitted_by: submitter.actor,
        submitted_by_pa_id: submitter.paId,
        card_id: transaction.card === undefined ? null : cardIds.get(transaction.card)!,
        charge_id: null,
        subject_pa_id: null,
        summary: transaction.summary,
        details: JSON.stringify(transaction.details),
        rejection_reason: transaction.rejectionReason ?? null,
        submitted_at: at(transaction.events[0]!.minutesAgo),
        updated_at: at(last.minutesAgo),
        next_due_at: transaction.dueInMinutes === undefined ? null : now + transaction.dueInMinutes * MINUTE_MS,
      });
      for (const event of transaction.events) {
        insertTransactionEvent(db, { transaction_id: id, at: at(event.minutesAgo), status: event.status, actor: resolve(event.actor).actor, note: event.note ?? null });
      }
    }
  });
}
