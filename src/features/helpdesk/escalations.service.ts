// Escalations: an agent hands a call to the supervisors with a note; a supervisor resolves it.
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { paRef, recordAudit } from '../audit/audit.service';
import { completeByHand, submitTransaction, type SubmittedTransaction } from '../transactions/lifecycle';
import { fullName } from './caller-actions.service';
import { caller, requireVerified, type ActionContext } from './caller-verification.service';
import { findEscalation, insertEscalation, insertSystemEscalation, openEscalations, resolveEscalation } from './helpdesk.repository';
import { staffRef, type SignedInStaff } from './staff-auth.service';

/** The supervisors' queue, oldest first. */
export function escalationQueue(context: AppContext) {
  return openEscalations(context.db);
}

/** How many escalations wait for a supervisor: shown to supervisors only, so none for an agent. */
export function openEscalationCount(context: AppContext, staff: SignedInStaff): number | null {
  return staff.role === 'supervisor' ? openEscalations(context.db).length : null;
}

export function escalate(context: AppContext, action: ActionContext, paId: number, note: string): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  const { db, clock } = context;
  const now = clock.nowMs();
  return db.tx(() => {
    const submitted = submitTransaction(context, {
      companyId: row.company_id, type: 'escalation', submittedBy: staffRef(action.staff.id), submittedByPaId: null, subjectPaId: row.id,
      summary: `Escalated call of ${fullName(row)}`, details: { note },
    }, now);
    if (insertEscalation(db, { paId: row.id, transactionId: submitted.id, staffId: action.staff.id, note, at: now }) === undefined) {
      throw new AppError(409, 'already_escalated', 'You already escalated this call with that note; a supervisor will pick it up.');
    }
    recordAudit(db, { at: now, actor: staffRef(action.staff.id), action: 'helpdesk.escalated', subject: paRef(row.id), outcome: 'success', sourceIp: action.sourceIp,
      details: { trackingNumber: submitted.trackingNumber } });
    return submitted;
  });
}

/** A thread the help desk did not answer in time, as the system hands it to the supervisors. */
export interface OverdueThread {
  threadId: number;
  trackingNumber: string;
  companyId: number;
  paId: number;
  /** When the promised answer time passed: the escalation is raised as of then. */
  overdueAt: number;
}

/**
 * Escalates an overdue secure message to the supervisors' queue, raised by the system: its own
 * escalation transaction, as an agent's would have; not again while its earlier escalation is open.
 * Call inside the db.tx that marked the thread overdue.
 */
export function escalateOverdueThread(context: AppContext, thread: OverdueThread): SubmittedTransaction | undefined {
  const note = `Secure message ${thread.trackingNumber} has had no answer within the promised business day.`;
  const alreadyOpen = new Error('already escalated');
  try {
    // A savepoint: when the thread's earlier escalation is still open, its new transaction is undone too.
    return context.db.tx(() => {
      const submitted = submitTransaction(context, {
        companyId: thread.companyId, type: 'escalation', submittedBy: 'system', submittedByPaId: null, subjectPaId: thread.paId,
        summary: `Overdue secure message ${thread.trackingNumber}`, details: { note, thread: thread.trackingNumber },
      }, thread.overdueAt);
      if (insertSystemEscalation(context.db, { paId: thread.paId, transactionId: submitted.id, threadId: thread.threadId, note, at: thread.overdueAt }) === undefined) {
        throw alreadyOpen;
      }
      recordAudit(context.db, { at: thread.overdueAt, actor: 'system', action: 'helpdesk.escalated', subject: paRef(thread.paId), outcome: 'success',
        details: { trackingNumber: submitted.trackingNumber, thread: thread.trackingNumber } });
      return submitted;
    });
  } catch (err) {
    if (err === alreadyOpen) return undefined;
    throw err;
  }
}

/** A supervisor resolves an escalation with a note; its transaction completes by their hand. */
export function resolveEscalationAs(context: AppContext, supervisor: SignedInStaff, escalationId: number, resolution: string, sourceIp: string | null): void {
  const { db, clock } = context;
  const escalation = Number.isSafeInteger(escalationId) ? findEscalation(db, escalationId) : undefined;
  if (!escalation) throw notFound('There is no such escalation.');
  const now = clock.nowMs();
  db.tx(() => {
    if (!resolveEscalation(db, escalation.id, supervisor.id, resolution, now)) throw new AppError(409, 'already_resolved', 'This escalation is already resolved.');
    completeByHand(db, escalation.transaction_id, staffRef(supervisor.id), resolution, now);
    recordAudit(db, { at: now, actor: staffRef(supervisor.id), action: 'helpdesk.escalation_resolved', subject: paRef(escalation.pa_id), outcome: 'success', sourceIp });
  });
}
