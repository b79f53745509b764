// The status lifecycle of a transaction, driven by the simulated clock:
// submitted → in progress after an hour → completed or rejected once the back office is done.
// What completing means (and the deterministic reasons to reject) belongs to each type's handler;
// whether the clock, the submission itself or a person completes a type, to the context's registry.
import type { AppContext } from '../../context';
import type { Database } from '../../db/database';
import { addBusinessDays } from '../../lib/business-days';
import { formatTrackingNumber } from '../../lib/tracking-number';
import {
  advanceTransaction, dueTransactions, insertTransaction, insertTransactionEvent, nextSequenceValue, releaseTransaction, type TransactionRow,
} from './transactions.repository';
import type { TransactionRegistry } from './completion';
import type { TransactionStatus, TransactionType } from './transaction-types';

/** Where tracking numbers start in a fresh scenario; a reset starts here again. */
export const TRACKING_SEQUENCE_START = 300_100_001;
/** A request is picked up by the back office an hour after it is submitted. */
export const PICKUP_DELAY_MS = 60 * 60_000;
/** How many due transactions one pass moves along before looking again. */
const DUE_BATCH = 500;

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
  /** For a request about no card yet: the control account it is for. */
  controlAccountId?: number | null;
  /** Waits for an approver before the clock may pick it up (releaseForProcessing sets it due). */
  awaitingApproval?: boolean;
}

export interface SubmittedTransaction {
  id: number;
  trackingNumber: string;
}

/** What the lifecycle needs of a sandbox: its data and what completes each type. */
export type LifecycleContext = Pick<AppContext, 'db' | 'transactions'>;

/**
 * Records a request with the next tracking number and its first event, completed at once when its
 * type is instant and due for pick-up when the clock moves it. Call inside a db.tx.
 */
export function submitTransaction(context: LifecycleContext, input: NewTransaction, now: number): SubmittedTransaction {
  const { db } = context;
  const { kind } = context.transactions.completionOf(input.type);
  const trackingNumber = formatTrackingNumber(nextSequenceValue(db, 'tracking_number', TRACKING_SEQUENCE_START));
  const status = kind === 'instant' ? 'completed' : 'submitted';
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
    next_due_at: kind === 'handler' && !input.awaitingApproval ? now + PICKUP_DELAY_MS : null,
    control_account_id: input.controlAccountId ?? null,
  });
  insertTransactionEvent(db, { transaction_id: id, at: now, status: 'submitted', actor: input.submittedBy, note: null });
  if (kind === 'instant') {
    insertTransactionEvent(db, { transaction_id: id, at: now, status: 'completed', actor: input.submittedBy, note: null });
  }
  return { id, trackingNumber };
}

/** Moves a transaction that a person, not the clock, moves along; false if it was not in `from`. */
export function advanceByHand(db: Database, transactionId: number, from: TransactionStatus, to: TransactionStatus, actor: string, note: string | null, at: number): boolean {
  if (!advanceTransaction(db, transactionId, from, to, at, null)) return false;
  insertTransactionEvent(db, { transaction_id: transactionId, at, status: to, actor, note });
  return true;
}

/** Lets the clock pick up a request that waited for approval, an hour from now; false if it was not waiting. */
export function releaseForProcessing(db: Database, transactionId: number, actor: string, note: string, at: number): boolean {
  if (!releaseTransaction(db, transactionId, at, at + PICKUP_DELAY_MS)) return false;
  insertTransactionEvent(db, { transaction_id: transactionId, at, status: 'submitted', actor, note });
  return true;
}

/** Completes a transaction that a person, not the clock, moves along (an escalation resolved). */
export function completeByHand(db: Database, transactionId: number, actor: string, note: string, at: number): boolean {
  return advanceByHand(db, transactionId, 'submitted', 'completed', actor, note, at);
}

function moveAlong(db: Database, registry: TransactionRegistry, transaction: TransactionRow): void {
  const completion = registry.completionOf(transaction.type);
  // Only the clock's own types are ever due; completing any other with no handler would change nothing.
  if (completion.kind !== 'handler') {
    throw new Error(`Transaction ${transaction.tracking_number} is due, but its type ${transaction.type} is ${completion.kind}: the clock does not move it.`);
  }
  const { handler } = completion;
  const details = JSON.parse(transaction.details) as Record<string, unknown>;
  const at = transaction.next_due_at!;
  if (transaction.status === 'submitted') {
    // A request that waited for an approver is processed from its release, not from its submission.
    const from = typeof details.releasedAt === 'number' ? details.releasedAt : transaction.submitted_at;
    const doneAt = Math.max(addBusinessDays(from, handler.businessDays(details)), at + 1);
    if (advanceTransaction(db, transaction.id, 'submitted', 'in_progress', at, doneAt)) {
      insertTransactionEvent(db, { transaction_id: transaction.id, at, status: 'in_progress', actor: 'system', note: 'Picked up for processing.' });
    }
    return;
  }
  const reason = handler.rejectionReason(db, transaction, details);
  if (reason) {
    if (advanceTransaction(db, transaction.id, 'in_progress', 'rejected', at, null, reason)) {
      handler.reject?.(db, transaction, details, at);
      insertTransactionEvent(db, { transaction_id: transaction.id, at, status: 'rejected', actor: 'system', note: reason });
    }
    return;
  }
  if (advanceTransaction(db, transaction.id, 'in_progress', 'completed', at, null)) {
    handler.complete(db, transaction, details, at);
    insertTransactionEvent(db, { transaction_id: transaction.id, at, status: 'completed', actor: 'system', note: null });
  }
}

/** A person rejects a request that waits for them, with the reason the submitter reads; false if it was decided already. */
export function rejectByHand(db: Database, transactionId: number, actor: string, reason: string, at: number): boolean {
  if (!advanceTransaction(db, transactionId, 'submitted', 'rejected', at, null, reason)) return false;
  insertTransactionEvent(db, { transaction_id: transactionId, at, status: 'rejected', actor, note: reason });
  return true;
}

/**
 * Moves every transaction whose next step fell due by `now`, one step at a time in order of due
 * time, each step stamped with the moment it fell due. Returns how many steps it took.
 */
export function progressDueTransactions(context: LifecycleContext, now: number): number {
  const { db, transactions } = context;
  let steps = 0;
  for (;;) {
    const batch = dueTransactions(db, now, DUE_BATCH);
    if (batch.length === 0) return steps;
    db.tx(() => {
      for (const transaction of batch) moveAlong(db, transactions, transaction);
    });
    steps += batch.length;
  }
}
