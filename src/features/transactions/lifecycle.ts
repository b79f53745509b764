// The status lifecycle of a transaction, driven by the simulated clock:
// submitted → in progress after an hour → completed or rejected once the back office is done.
// What completing means (and the deterministic reasons to reject) belongs to each type's handler.
import type { AppContext } from '../../context';
import type { Database } from '../../db/database';
import { addBusinessDays } from '../../lib/business-days';
import { formatTrackingNumber } from '../../lib/tracking-number';
import {
  advanceTransaction, dueTransactions, insertTransaction, insertTransactionEvent, nextSequenceValue, type TransactionRow,
} from './transactions.repository';
import { TRANSACTION_HANDLERS } from './transaction-handlers';
import type { TransactionType } from './transaction-types';

/** Where tracking numbers start in a fresh scenario; a reset starts here again. */
export const TRACKING_SEQUENCE_START = 300_100_001;
/** A request is picked up by the back office an hour after it is submitted. */
export const PICKUP_DELAY_MS = 60 * 60_000;
/** How many due transactions one pass moves along before looking again. */
const DUE_BATCH = 500;

export interface TransactionHandler {
  /** Business days from submission until the request is done (rush replacements are quicker). */
  businessDays(details: Record<string, unknown>): number;
  /** A reason to reject, decided by rules that always give the same answer, or undefined to complete. */
  rejectionReason(db: Database, transaction: TransactionRow, details: Record<string, unknown>): string | undefined;
  /** What completion changes (a card's state, a limit …), in the same database transaction. */
  complete(db: Database, transaction: TransactionRow, details: Record<string, unknown>, at: number): void;
  /** What rejection changes, if anything. */
  reject?(db: Database, transaction: TransactionRow, details: Record<string, unknown>, at: number): void;
}


export interface NewTransaction {
  companyId: number;
  type: TransactionType;
  /** "pa:12", "staff:3" */
  submittedBy: string;
  submittedByPaId: number | null;
  cardId?: number | null;
  chargeId?: number | null;
  subjectPaId?: number | null;
  summary: string;
  details?: Record<string, unknown>;
  /** Help-desk actions take effect while the caller is on the phone: recorded as completed at once. */
  completedAtOnce?: boolean;
  /** Moved along by a person (an escalation a supervisor resolves), never by the clock. */
  manual?: boolean;
}

export interface SubmittedTransaction {
  id: number;
  trackingNumber: string;
}

/** Records a request with the next tracking number and its first event. Call inside a db.tx. */
export function submitTransaction(db: Database, input: NewTransaction, now: number): SubmittedTransaction {
  const trackingNumber = formatTrackingNumber(nextSequenceValue(db, 'tracking_number', TRACKING_SEQUENCE_START));
  const status = input.completedAtOnce ? 'completed' : 'submitted';
  const id = insertTransaction(db, {
    tracking_number: trackingNumber,
    company_id: input.companyId,
    type: input.type,
    status,
    submitted_by: input.submittedBy,
    submitted_by_pa_id: input.submittedByPaId,
    card_id: input.cardId ?? null,
    charge_id: input.chargeId ?? null,
    subject_pa_id: input.subjectPaId ?? null,
    summary: input.summary,
    details: JSON.stringify(input.details ?? {}),
    rejection_reason: null,
    submitted_at: now,
    updated_at: now,
    next_due_at: input.completedAtOnce || input.manual ? null : now + PICKUP_DELAY_MS,
  });
  insertTransactionEvent(db, { transaction_id: id, at: now, status: 'submitted', actor: input.submittedBy, note: null });
  if (input.completedAtOnce) {
    insertTransactionEvent(db, { transaction_id: id, at: now, status: 'completed', actor: input.submittedBy, note: null });
  }
  return { id, trackingNumber };
}

/** Completes a transaction that a person, not the clock, moves along (an escalation resolved). */
export function completeByHand(db: Database, transactionId: number, actor: string, note: string, at: number): boolean {
  if (!advanceTransaction(db, transactionId, 'submitted', 'completed', at, null)) return false;
  insertTransactionEvent(db, { transaction_id: transactionId, at, status: 'completed', actor, note });
  return true;
}

function moveAlong(db: Database, transaction: TransactionRow): void {
  const handler = TRANSACTION_HANDLERS[transaction.type];
  const details = JSON.parse(transaction.details) as Record<string, unknown>;
  const at = transaction.next_due_at!;
  if (transaction.status === 'submitted') {
    const doneAt = Math.max(addBusinessDays(transaction.submitted_at, handler?.businessDays(details) ?? 1), at + 1);
    if (advanceTransaction(db, transaction.id, 'submitted', 'in_progress', at, doneAt)) {
      insertTransactionEvent(db, { transaction_id: transaction.id, at, status: 'in_progress', actor: 'system', note: 'Picked up for processing.' });
    }
    return;
  }
  const reason = handler?.rejectionReason(db, transaction, details);
  if (reason) {
    if (advanceTransaction(db, transaction.id, 'in_progress', 'rejected', at, null, reason)) {
      handler?.reject?.(db, transaction, details, at);
      insertTransactionEvent(db, { transaction_id: transaction.id, at, status: 'rejected', actor: 'system', note: reason });
    }
    return;
  }
  if (advanceTransaction(db, transaction.id, 'in_progress', 'completed', at, null)) {
    handler?.complete(db, transaction, details, at);
    insertTransactionEvent(db, { transaction_id: transaction.id, at, status: 'completed', actor: 'system', note: null });
  }
}

/**
 * Moves every transaction whose next step fell due by `now`, one step at a time in order of due
 * time, each step stamped with the moment it fell due. Returns how many steps it took.
 */
export function progressDueTransactions(context: AppContext, now: number): number {
  const { db } = context;
  let steps = 0;
  for (;;) {
    const batch = dueTransactions(db, now, DUE_BATCH);
    if (batch.length === 0) return steps;
    db.tx(() => {
      for (const transaction of batch) moveAlong(db, transaction);
    });
    steps += batch.length;
  }
}
