// What an approver does with a card application waiting on their To-Do list: approve (the last
// approval the rules ask for releases it to the back office, which issues the card), reroute it to
// another approver with a note, or reject it with a reason; the inviting PA or an approver may also
// cancel it. Every rule is checked again inside the database transaction that writes the decision.
import type { AppContext } from '../../context';
import { AppError, type FieldErrors } from '../../lib/errors';
import { findAdministratorById } from '../accounts/accounts.repository';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { approvalRulesOf, approversNeeded } from '../approvals/approval-rules';
import { paRef, recordAudit, type AuditAction } from '../audit/audit.service';
import { scopedAccountIdsOf } from '../hierarchy/hierarchy.repository';
import { rejectByHand, releaseForProcessing } from '../transactions/lifecycle';
import { applicationDecisionEmail, type ApplicationDecision } from './application-emails';
import {
  approvalCount, approverIdsOf, approversOf, assignApplication, clearAssignee, findCompanyApplication, insertApproval, insertStep, setApplicationState,
  type ApplicationListRow, type ApproverRow,
} from './applications.repository';

export type DecisionResult = { ok: true; notice: string } | { ok: false; errors: FieldErrors };

interface Decider {
  context: AppContext;
  user: SignedInAdministrator;
  trackingNumber: string;
  sourceIp: string | null;
}

const nameOf = (user: SignedInAdministrator) => `${user.firstName} ${user.lastName}`;

function applicationOf({ context, user, trackingNumber }: Decider): ApplicationListRow {
  const row = /^AW\d{10}$/.test(trackingNumber) ? findCompanyApplication(context.db, user.companyId, trackingNumber, user.scope) : undefined;
  if (!row) throw new AppError(404, 'not_found', 'We could not find that application.');
  return row;
}

/** The rules every approver's decision shares: it waits, it is not their own, and it is theirs to decide. */
function assertApprover({ user }: Decider, application: ApplicationListRow): void {
  if (!user.permissions.includes('cards.approve')) throw new AppError(403, 'forbidden', 'Only a Program Administrator who may approve applications can do that.');
  if (application.state !== 'awaiting_approval') throw new AppError(409, 'not_awaiting_approval', 'This application is not waiting for a decision.');
  if (application.invited_by_pa_id === user.id) throw new AppError(403, 'own_application', 'Nobody approves, reroutes or rejects an application they made themselves.');
  if (application.assignee_pa_id !== null && application.assignee_pa_id !== user.id) {
    throw new AppError(403, 'not_assignee', `This application was rerouted to ${application.assignee_name ?? 'another approver'}.`);
  }
}

function audit(decider: Decider, application: ApplicationListRow, action: AuditAction, at: number, details: Record<string, string | number | null> = {}): void {
  recordAudit(decider.context.db, { at, actor: paRef(decider.user.id), action, subject: `application:${application.tracking_number}`, outcome: 'success',
    sourceIp: decider.sourceIp, details: { trackingNumber: application.tracking_number, ...details } });
}

/** Tells the PA who invited (or applied) what was decided, unless they decided it themselves. */
function tellInviter(decider: Decider, application: ApplicationListRow, decision: ApplicationDecision, reason: string | null): void {
  if (application.invited_by_pa_id === decider.user.id) return;
  const inviter = findAdministratorById(decider.context.db, application.invited_by_pa_id);
  if (!inviter) return;
  decider.context.outbox.send(applicationDecisionEmail({
    to: inviter.email, firstName: inviter.first_name, employeeName: application.employee_name, decision, decidedBy: nameOf(decider.user), reason,
    trackingNumber: application.tracking_number,
  }));
}

/** Approves; the approval the rules' count completes releases the application to the back office. */
export function approveApplication(decider: Decider): DecisionResult {
  const { context, user } = decider;
  const now = context.clock.nowMs();
  return context.db.tx(() => {
    const application = applicationOf(decider);
    assertApprover(decider, application);
    if (!insertApproval(context.db, application.id, user.id, now)) {
      throw new AppError(409, 'already_approved', 'You approved this application already: a second approval must come from another approver.');
    }
    const needed = approversNeeded(approvalRulesOf(context.db, application.company_id), application.limit_cents);
    const given = approvalCount(context.db, application.id);
    audit(decider, application, 'application.approved', now, { approval: given, needed });
    if (given < needed) {
      // The next approval must come from someone else: a reroute named this approver only.
      clearAssignee(context.db, application.id);
      insertStep(context.db, { application_id: application.id, at: now, step: 'approved', actor: paRef(user.id), note: `Approval ${given} of ${needed}; a second approver is needed.` });
      return { ok: true, notice: `Your approval of ${application.tracking_number} is recorded. A second approver is needed above the company's limit.` };
    }
    setApplicationState(context.db, application.id, ['awaiting_approval'], 'approved', now);
    insertStep(context.db, { application_id: application.id, at: now, step: 'approved', actor: paRef(user.id), note: needed > 1 ? `Approval ${given} of ${needed}.` : null });
    releaseForProcessing(context.db, application.transaction_id, paRef(user.id), 'Approved; sent for processing.', now);
    tellInviter(decider, application, 'approved', null);
    return { ok: true, notice: `${application.tracking_number} is approved: the card is issued when the request completes.` };
  });
}

/**
 * The approvers an application can be rerouted to: holding cards.approve, whose scope covers its
 * account; not its maker, not the one rerouting, and not one who approved it already.
 */
export function rerouteTargets(context: AppContext, user: SignedInAdministrator, application: ApplicationListRow): ApproverRow[] {
  const approved = new Set(approverIdsOf(context.db, application.id));
  return approversOf(context.db, user.companyId, application.invited_by_pa_id).filter((approver) => {
    if (approver.id === user.id || approved.has(approver.id)) return false;
    const scope = scopedAccountIdsOf(context.db, approver.id);
    return scope.length === 0 || (application.control_account_id !== null && scope.includes(application.control_account_id));
  });
}

export function rerouteApplication(decider: Decider, input: { approver: string; note: string }): DecisionResult {
  const { context, user } = decider;
  const now = context.clock.nowMs();
  return context.db.tx(() => {
    const application = applicationOf(decider);
    assertApprover(decider, application);
    const errors: FieldErrors = {};
    const target = rerouteTargets(context, user, application).find((approver) => approver.user_id === input.approver);
    if (!target) errors.approver = 'Choose an approver from the list.';
    if (input.note.length === 0) errors.note = 'Write a note for the approver.';
    else if (input.note.length > 500) errors.note = 'Keep the note to 500 characters.';
    if (!target || Object.keys(errors).length > 0) return { ok: false, errors };
    assignApplication(context.db, application.id, target.id);
    insertStep(context.db, { application_id: application.id, at: now, step: 'rerouted', actor: paRef(user.id), note: `To ${target.name}: ${input.note}` });
    audit(decider, application, 'application.rerouted', now, { to: paRef(target.id) });
    return { ok: true, notice: `${application.tracking_number} is rerouted to ${target.name}.` };
  });
}

function checkedReason(reason: string): FieldErrors {
  if (reason.length === 0) return { reason: 'Give a reason.' };
  if (reason.length > 500) return { reason: 'Keep the reason to 500 characters.' };
  return {};
}

export function rejectApplication(decider: Decider, input: { reason: string }): DecisionResult {
  const { context, user } = decider;
  const now = context.clock.nowMs();
  return context.db.tx(() => {
    const application = applicationOf(decider);
    assertApprover(decider, application);
    const errors = checkedReason(input.reason);
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    setApplicationState(context.db, application.id, ['awaiting_approval'], 'rejected', now);
    rejectByHand(context.db, application.transaction_id, paRef(user.id), input.reason, now);
    insertStep(context.db, { application_id: application.id, at: now, step: 'rejected', actor: paRef(user.id), note: input.reason });
    audit(decider, application, 'application.rejected', now);
    tellInviter(decider, application, 'rejected', input.reason);
    return { ok: true, notice: `${application.tracking_number} is rejected.` };
  });
}

/** The inviting PA, or an approver, calls an application off before it is decided (an unused link stops working). */
export function cancelApplication(decider: Decider, input: { reason: string }): DecisionResult {
  const { context, user } = decider;
  const now = context.clock.nowMs();
  return context.db.tx(() => {
    const application = applicationOf(decider);
    if (application.invited_by_pa_id !== user.id && !user.permissions.includes('cards.approve')) {
      throw new AppError(403, 'forbidden', 'Only the Program Administrator who made this application, or an approver, can cancel it.');
    }
    if (!setApplicationState(context.db, application.id, ['invited', 'awaiting_approval'], 'cancelled', now)) {
      throw new AppError(409, 'not_awaiting_approval', 'This application was decided already and cannot be cancelled.');
    }
    const reason = `Cancelled by ${nameOf(user)}${input.reason ? `: ${input.reason.slice(0, 500)}` : '.'}`;
    rejectByHand(context.db, application.transaction_id, paRef(user.id), reason, now);
    insertStep(context.db, { application_id: application.id, at: now, step: 'cancelled', actor: paRef(user.id), note: input.reason || null });
    audit(decider, application, 'application.cancelled', now);
    tellInviter(decider, application, 'cancelled', input.reason || null);
    return { ok: true, notice: `${application.tracking_number} is cancelled.` };
  });
}
