// Writes a scenario's recorded transactions as they stand, with their status history. People are
// named in the document by user ID (`staff:<staff ID>` for help-desk staff) and stored by row id.
import type { Database } from '../src/db/database';
import type { TransactionSeed } from '../src/features/scenarios/scenario-schema';
import { actorResolver, insertSeededTransaction } from '../src/features/scenarios/seed-records';

const MINUTE_MS = 60_000;

export function seedTransactions(db: Database, transactions: TransactionSeed[], companyIds: Map<string, number>, cardIds: Map<string, number>, now: number): void {
  if (transactions.length === 0) return;
  const resolve = actorResolver(db);
  db.tx(() => {
    // Numbers written in the document are kept; the others follow the highest of all.
    // "AW", the sequence's 9 digits, the check digit.
    const written = transactions.flatMap((t) => (t.trackingNumber ? [Number(t.trackingNumber.slice(2, -1))] : []));
    if (written.length > 0) {
      db.run(`INSERT INTO sequences (name, value) VALUES ('tracking_number', ?)
              ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`, Math.max(...written));
    }
    for (const { company, card, dueInMinutes, ...transaction } of transactions) {
      insertSeededTransaction(db, {
        ...transaction,
        companyId: companyIds.get(company)!,
        cardId: card === undefined ? null : cardIds.get(card)!,
        nextDueAt: dueInMinutes === undefined ? null : now + dueInMinutes * MINUTE_MS,
      }, resolve, now);
    }
  });
}
