// What the help desk does for a verified caller. Every action leaves one transaction (completed while
// the caller is on the line), one audit event, and an e-mail to the PA where a real portal sends one.
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { paRef, recordAudit, type AuditAction } from '../audit/audit.service';
import { permissionsOf } from '../accounts/accounts.repository';
import { reissueAccessCode } from '../accounts/enrollment.service';
import { accountNoticeEmail } from '../accounts/emails';
import { setScopeRoots, type ControlAccountRow } from '../hierarchy/hierarchy.repository';
import { describeScope, scopeNumbersOf, scopeRootsNamed } from '../hierarchy/scope-change';
import { isPermission, type Permission } from '../permissions/permissions';
import { submitTransaction, type SubmittedTransaction } from '../transactions/lifecycle';
import type { TransactionType } from '../transactions/transaction-types';
import { caller, requireVerified, verifyPrimaryOnTheCall, type ActionContext, type PrimaryAnswers } from './caller-verification.service';
import { changeCallerState, findCaller, setPermissions, updateContact, type CallerRow } from './helpdesk.repository';
import { staffRef } from './staff-auth.service';

interface Recorded {
  type: TransactionType;
  audit: AuditAction;
  summary: string;
  details?: Record<string, unknown>;
  email?: { subject: string; type: string; paragraphs: string[] };
}

/** One transaction, one audit event, and the e-mail, in one database transaction with the change. */
export function record(context: AppContext, action: ActionContext, row: CallerRow, what: Recorded, change: () => void): SubmittedTransaction {
  const { db, clock, outbox } = context;
  const now = clock.nowMs();
  return db.tx(() => {
    change();
    const submitted = submitTransaction(context, {
      companyId: row.company_id, type: what.type, submittedBy: staffRef(action.staff.id), submittedByPaId: null, subjectPaId: row.id,
      summary: what.summary, details: what.details ?? {},
    }, now);
    recordAudit(db, { at: now, actor: staffRef(action.staff.id), action: what.audit, subject: paRef(row.id), outcome: 'success', sourceIp: action.sourceIp,
      details: { trackingNumber: submitted.trackingNumber } });
    if (what.email) {
      const fresh = findCaller(db, row.id)!;
      outbox.send(accountNoticeEmail({ to: fresh.email, firstName: fresh.first_name, ...what.email }));
    }
    return submitted;
  });
}

export const fullName = (row: CallerRow) => `${row.first_name} ${row.last_name}`;

export function reactivate(context: AppContext, action: ActionContext, paId: number): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  if (row.state !== 'inactive') throw new AppError(409, 'not_inactive', `${fullName(row)}'s User ID is ${row.state}, not inactive.`);
  const now = context.clock.nowMs();
  return record(context, action, row, {
    type: 'reactivation', audit: 'helpdesk.reactivated', summary: `Reactivated User ID ${row.user_id} of ${fullName(row)}`,
    email: { subject: 'Your @Work User ID was reactivated', type: 'reactivated', paragraphs: ['Your @Work User ID has been reactivated by the Help Desk. You can log in again with your User ID and password.'] },
  }, () => {
    // The 120 days start again now: reactivation counts as a fresh start, like a login.
    if (!changeCallerState(context.db, row.id, 'inactive', 'active', now, { restartInactivity: true })) throw new AppError(409, 'not_inactive', 'The User ID is no longer inactive.');
  });
}

export function unlock(context: AppContext, action: ActionContext, paId: number): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  if (row.state !== 'locked') throw new AppError(409, 'not_locked', `${fullName(row)}'s User ID is not locked (it is ${row.state}).`);
  const now = context.clock.nowMs();
  return record(context, action, row, {
    type: 'unlock', audit: 'helpdesk.unlocked', summary: `Unlocked User ID ${row.user_id} of ${fullName(row)}`,
    email: { subject: 'Your @Work User ID was unlocked', type: 'unlocked', paragraphs: ['Your @Work User ID has been unlocked by the Help Desk. You can log in with your existing password.'] },
  }, () => {
    if (!changeCallerState(context.db, row.id, 'locked', 'active', now, { clearFailures: true })) throw new AppError(409, 'not_locked', 'The User ID is no longer locked.');
  });
}

export function discloseUserId(context: AppContext, action: ActionContext, paId: number): { userId: string; transaction: SubmittedTransaction } {
  requireVerified(context, action, true);
  const row = caller(context, paId);
  if (!row.user_id) throw new AppError(409, 'no_user_id', `${fullName(row)} has not completed first login, so has no User ID yet. Issue a new Access Code instead.`);
  const transaction = record(context, action, row, {
    type: 'user_id_disclosure', audit: 'helpdesk.user_id_disclosed', summary: `Told ${fullName(row)} their User ID`,
    email: { subject: 'Your @Work User ID', type: 'user_id_reminder', paragraphs: [`As you asked the Help Desk, your @Work User ID is ${row.user_id}.`] },
  }, () => {});
  return { userId: row.user_id, transaction };
}

export async function newAccessCode(context: AppContext, action: ActionContext, paId: number): Promise<SubmittedTransaction> {
  requireVerified(context, action);
  const row = caller(context, paId);
  if (row.state !== 'pending') throw new AppError(409, 'not_pending', `${fullName(row)} has already completed first login; an Access Code is only for first login.`);
  // The code, its e-mail and this transaction are written in one database transaction, decided by
  // a conditional insert of the code: of two clicks at once, the second changes nothing (409).
  return reissueAccessCode(context, row.id, { actor: staffRef(action.staff.id), sourceIp: action.sourceIp, baseUrl: action.baseUrl }, () =>
    record(context, action, row, {
      type: 'access_code_reissue', audit: 'helpdesk.access_code_reissued', summary: `New Access Code sent to ${fullName(row)}`,
    }, () => {}));
}

export interface PermissionChange extends PrimaryAnswers {
  permissions: string[];
  /** The control-account numbers the PA is to be scoped to; null: the whole company; absent: the scope stays as it is. */
  scope?: readonly string[] | null;
}

/** A scope before and after, as numbers of its roots; null: the whole company. */
interface ScopeDifference {
  from: string[] | null;
  to: string[] | null;
}

/**
 * The scope roots a change asks for: undefined leaves the scope alone, null is the whole company.
 * Accounts asked for with none named is a mistake on the form, not the whole company.
 */
function wantedScopeRoots(context: AppContext, row: CallerRow, numbers: readonly string[] | null | undefined): ControlAccountRow[] | null | undefined {
  if (numbers === undefined) return undefined;
  if (numbers !== null && numbers.every((number) => number.trim() === '')) {
    throw new AppError(400, 'invalid_input', 'Choose at least one control account for the scope, or the whole company.', { scope: 'Choose at least one control account.' });
  }
  const roots = scopeRootsNamed(context.db, row.company_id, numbers);
  if (roots !== null && row.is_primary === 1) {
    throw new AppError(409, 'primary_scope', 'A primary Program Administrator always has the whole company: their scope cannot be narrowed.');
  }
  return roots;
}

export async function changePermissions(context: AppContext, action: ActionContext, paId: number, change: PermissionChange): Promise<SubmittedTransaction> {
  requireVerified(context, action);
  const row = caller(context, paId);
  const unknown = change.permissions.filter((p) => !isPermission(p));
  if (unknown.length > 0) throw new AppError(400, 'invalid_input', `Unknown permission: ${unknown.join(', ')}.`);
  const wanted = [...new Set(change.permissions as Permission[])].sort();
  const roots = wantedScopeRoots(context, row, change.scope);
  const wantedScope = roots === undefined || roots === null ? null : roots.map((account) => account.number);
  /** What changes from the permissions and scope held now; refused when nothing would. */
  const difference = () => {
    const current = permissionsOf(context.db, row.id);
    const added = wanted.filter((p) => !current.includes(p));
    const removed = current.filter((p) => !wanted.includes(p));
    const from = scopeNumbersOf(context.db, row.id);
    // Both lists come in account-number order, so equal scopes spell the same.
    const scope: ScopeDifference | undefined = roots === undefined || JSON.stringify(from) === JSON.stringify(wantedScope) ? undefined : { from, to: wantedScope };
    if (added.length === 0 && removed.length === 0 && scope === undefined) {
      throw new AppError(409, 'no_change', roots === undefined ? 'Those are already the permissions.' : 'Those are already the permissions and the scope.');
    }
    return { added, removed, scope };
  };
  difference();
  if (row.is_primary === 1 && wanted.length === 0) {
    throw new AppError(409, 'last_permission', 'A primary Program Administrator cannot remove their own last permission.');
  }
  // The Access Center is the primary PA's own: the right to it stays with them.
  if (row.is_primary === 1 && !wanted.includes('access.manage')) {
    throw new AppError(409, 'primary_access', 'A primary Program Administrator always manages access: keep "Manage program administrators in the Access Center".');
  }
  const primaryId = row.is_primary === 1 ? null : await verifyPrimaryOnTheCall(context, action, row, change);
  // Worked out again inside the transaction that writes it, after the await above: of two identical
  // changes at once, the second finds nothing to change (409) and leaves no tracking number or e-mail.
  // One connection runs each transaction whole, so nothing can come between this read and the write.
  return context.db.tx(() => {
    const { added, removed, scope } = difference();
    const permissionChanges = [...added.map((p) => `+${p}`), ...removed.map((p) => `-${p}`)].join(' ');
    const newScope = describeScope(roots ?? null);
    return record(context, action, row, {
      type: 'permission_change', audit: 'helpdesk.permissions_changed',
      summary: `Permissions of ${fullName(row)}: ${[...(permissionChanges ? [permissionChanges] : []), ...(scope ? [`scope now ${newScope}`] : [])].join('; ')}`,
      details: { added, removed, approvedByPrimaryPaId: primaryId, ...(scope ? { scope } : {}) },
      email: { subject: 'Your @Work permissions changed', type: 'permissions_changed', paragraphs: [
        ...(added.length > 0 ? [`Added: ${added.join(', ')}.`] : []), ...(removed.length > 0 ? [`Removed: ${removed.join(', ')}.`] : []),
        ...(scope ? [`Scope: you now see and manage the cards and requests of ${newScope}${scope.to === null ? '' : ' only'}.`] : []),
      ] },
    }, () => {
      if (added.length > 0 || removed.length > 0) setPermissions(context.db, row.id, wanted);
      if (scope) setScopeRoots(context.db, row.id, (roots ?? []).map((account) => account.id));
    });
  });
}

export interface ContactDetails {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
}

export function updateContactDetails(context: AppContext, action: ActionContext, paId: number, contact: ContactDetails): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  const changed = (['firstName', 'lastName', 'email', 'phone'] as const).filter((field) => {
    const before = { firstName: row.first_name, lastName: row.last_name, email: row.email, phone: row.phone }[field];
    return (before ?? '') !== (contact[field] ?? '');
  });
  if (changed.length === 0) throw new AppError(409, 'no_change', 'Those are already the contact details.');
  const oldEmail = row.email;
  const transaction = record(context, action, row, {
    type: 'contact_update', audit: 'helpdesk.contact_updated', summary: `Contact details of ${fullName(row)} updated (${changed.join(', ')})`,
    details: { changed },
    email: { subject: 'Your @Work contact details changed', type: 'contact_updated', paragraphs: [`The Help Desk updated your ${changed.join(', ')}.`] },
  }, () => updateContact(context.db, row.id, contact));
  if (contact.email.toLowerCase() !== oldEmail.toLowerCase()) {
    // The old address hears of the change too: if the caller was an impostor, the owner finds out.
    context.outbox.send(accountNoticeEmail({ to: oldEmail, firstName: row.first_name, subject: 'Your @Work e-mail address changed', type: 'contact_updated',
      paragraphs: [`The e-mail address on your @Work User ID was changed to ${contact.email}.`] }));
  }
  return transaction;
}

export function liftFraudHold(context: AppContext, action: ActionContext, paId: number): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  if (row.state !== 'suspended') throw new AppError(409, 'not_suspended', `${fullName(row)}'s User ID is not suspended.`);
  const now = context.clock.nowMs();
  return record(context, action, row, {
    type: 'fraud_hold_lifted', audit: 'helpdesk.fraud_hold_lifted', summary: `Fraud suspension lifted for ${fullName(row)}`,
    email: { subject: 'Access to your @Work User ID is restored', type: 'fraud_hold_lifted', paragraphs: ['A Help Desk supervisor has lifted the restriction on your @Work User ID. You can log in again.'] },
  }, () => {
    if (!changeCallerState(context.db, row.id, 'suspended', 'active', now, { clearFailures: true, restartInactivity: true })) throw new AppError(409, 'not_suspended', 'The User ID is no longer suspended.');
  });
}
