// Maker-checker (issue 18): which confirmed card requests wait for a second administrator under the
// company's approval rules, and holding one instead of submitting it. The card requests' commit asks
// here, inside the database transaction that would have submitted the request.
import type { AppContext } from '../../context';
import type { Database } from '../../db/database';
import { paRef, recordAudit } from '../audit/audit.service';
import { submitTransaction, type SubmittedTransaction } from '../transactions/lifecycle';
import { approvalRulesOf, approversNeeded } from './approval-rules';
import { insertHeldChange, type HeldAction } from './held-changes.repository';

export interface HoldableRequest {
  action: string;
  /** A limit change's new limit (permanent or temporary), in cents. */
  newLimitCents?: number | undefined;
}

/**
 * How many approvers the request waits for: a limit change to more than the company's threshold
 * (two above `secondApproverAboveCents`), a cancellation by a non-primary PA where the company holds
 * those (one); 0 when it is submitted directly.
 */
export function approversToWaitFor(db: Database, companyId: number, maker: { isPrimary: boolean }, request: HoldableRequest): 0 | 1 | 2 {
  const rules = approvalRulesOf(db, companyId);
  const newLimit = request.newLimitCents ?? 0;
  if (request.action === 'limit' && rules.holdLimitChangesAboveCents !== null && newLimit > rules.holdLimitChangesAboveCents) {
    return approversNeeded(rules, newLimit);
  }
  if (request.action === 'cancel' && rules.holdCancellationsByNonPrimary && !maker.isPrimary) return 1;
  return 0;
}

export interface ChangeToHold {
  companyId: number;
  makerPaId: number;
  cardId: number;
  action: HeldAction;
  /** The confirmed form's values, submitted as they are once approved. */
  request: Record<string, unknown>;
  /** The request in one line, as Status Tracking would show it once submitted. */
  summary: string;
  approversNeeded: 1 | 2;
}

/** Holds the change: its own held_change transaction (a tracking number now), the held change, the audit event. Call inside a db.tx. */
export function holdChange(context: AppContext, change: ChangeToHold, now: number): SubmittedTransaction {
  const maker = paRef(change.makerPaId);
  const held = submitTransaction(context, {
    companyId: change.companyId, type: 'held_change', submittedBy: maker, submittedByPaId: change.makerPaId, cardId: change.cardId,
    summary: `Held for approval: ${change.summary}`,
    details: { action: change.action, ...change.request, approversNeeded: change.approversNeeded },
  }, now);
  insertHeldChange(context.db, {
    transaction_id: held.id, company_id: change.companyId, card_id: change.cardId, maker_pa_id: change.makerPaId, action: change.action,
    summary: change.summary, request: JSON.stringify(change.request), approvers_needed: change.approversNeeded, held_at: now,
  });
  recordAudit(context.db, {
    at: now, actor: maker, action: 'held_change.held', subject: `transaction:${held.trackingNumber}`, outcome: 'success',
    details: { trackingNumber: held.trackingNumber, action: change.action, approversNeeded: change.approversNeeded },
  });
  return held;
}
