// The Access Center: the primary PA, and PAs holding `access.manage`, see the program's
// administrators and enroll, change, deactivate and reactivate them online. Every change is a
// transaction with a tracking number, an audit event and an e-mail to the administrator concerned;
// their sessions pick it up at their next request, since the signed-in PA is read again each time.
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { paRef, recordAudit, type AuditAction } from '../audit/audit.service';
import { accountNoticeEmail } from '../accounts/emails';
import { enrollProgramAdministrator } from '../accounts/enrollment.service';
import { controlAccountsOf, setScopeRoots, type ControlAccountRow } from '../hierarchy/hierarchy.repository';
import { accountInScope } from '../hierarchy/scope';
import { describeScope, scopeRootsNamed } from '../hierarchy/scope-change';
import { changeCallerState, setPermissions } from '../helpdesk/helpdesk.repository';
import { STORED_LINK_ORIGIN } from '../outbox/outbox.service';
import { ALL_PERMISSIONS, PERMISSIONS, type Permission } from '../permissions/permissions';
import { submitTransaction, type SubmittedTransaction } from '../transactions/lifecycle';
import type { TransactionType } from '../transactions/transaction-types';
import {
  administratorOfCompany, administratorsOfCompany, administratorsWithEmail, type ManagedAdministratorRow,
} from './access.repository';
import {
  grantableRights, refuseOwnRights, refusePrimary, refuseRightsNotHeld, refuseScopeNotHeld, withinView, type Managed, type Manager,
} from './access-rules';

export interface ScopeRoot {
  id: number;
  number: string;
  name: string;
}

/** An administrator as the Access Center shows them. */
export interface ManagedAdministrator extends Managed {
  userId: string | null;
  firstName: string;
  lastName: string;
  name: string;
  email: string;
  state: ManagedAdministratorRow['state'];
  permissions: Permission[];
  scope: ScopeRoot[] | null;
  scopeText: string;
  /** ISO date of the last sign-in (or reactivation), or null for never. */
  lastSignIn: string | null;
}

function toManaged(row: ManagedAdministratorRow): ManagedAdministrator {
  const scope = row.scope_list === null ? null : row.scope_list.split('\t').map((entry) => {
    const [id, number, ...name] = entry.split('|');
    return { id: Number(id), number: number!, name: name.join('|') };
  });
  return {
    id: row.id, userId: row.user_id, firstName: row.first_name, lastName: row.last_name, name: `${row.first_name} ${row.last_name}`,
    email: row.email, state: row.state, primary: row.is_primary === 1,
    permissions: (row.permission_list?.split(',') ?? []) as Permission[],
    scope, scopeRootIds: scope?.map((root) => root.id) ?? null, scopeText: describeScope(scope),
    lastSignIn: row.last_login_at === null ? null : new Date(row.last_login_at).toISOString().slice(0, 10),
  };
}

/** The company's administrators the manager may see, primary first. */
export function administratorsInView(context: AppContext, manager: Manager): ManagedAdministrator[] {
  return administratorsOfCompany(context.db, manager.companyId).map(toManaged).filter((managed) => withinView(manager, managed));
}

/** One administrator in the manager's view; anyone else (another company, outside the scope) is 404 like nobody. */
export function administratorInView(context: AppContext, manager: Manager, paId: number): ManagedAdministrator {
  const row = Number.isSafeInteger(paId) ? administratorOfCompany(context.db, manager.companyId, paId) : undefined;
  const managed = row && toManaged(row);
  if (!managed || !withinView(manager, managed)) throw notFound('There is no such program administrator.');
  return managed;
}

/** What the manager can hand out: rights (with labels) and the control accounts of their scope. */
export function grantOptions(context: AppContext, manager: Manager): {
  rights: Array<{ permission: Permission; label: string }>; accounts: ControlAccountRow[]; companyWide: boolean;
} {
  const grantable = new Set(grantableRights(manager));
  return {
    rights: ALL_PERMISSIONS.filter((permission) => grantable.has(permission)).map((permission) => ({ permission, label: PERMISSIONS[permission] })),
    accounts: controlAccountsOf(context.db, manager.companyId).filter((account) => accountInScope(manager.scope, account.id)),
    companyWide: manager.scope === null,
  };
}

export interface ChangeMeta {
  sourceIp: string | null;
}

interface Recorded {
  type: TransactionType;
  audit: AuditAction;
  summary: string;
  details?: Record<string, unknown>;
  email: { subject: string; type: string; paragraphs: string[] };
}

/** The change, its transaction (completed at once), the audit event and the e-mail, in one database transaction. */
function record(context: AppContext, manager: Manager, subject: { id: number; email: string; firstName: string }, what: Recorded,
  meta: ChangeMeta, change: () => void): SubmittedTransaction {
  const { db, clock, outbox } = context;
  const now = clock.nowMs();
  return db.tx(() => {
    change();
    const submitted = submitTransaction(context, {
      companyId: manager.companyId, type: what.type, submittedBy: paRef(manager.id), submittedByPaId: manager.id, subjectPaId: subject.id,
      summary: what.summary, details: what.details ?? {},
    }, now);
    recordAudit(db, { at: now, actor: paRef(manager.id), action: what.audit, subject: paRef(subject.id), outcome: 'success', sourceIp: meta.sourceIp,
      details: { trackingNumber: submitted.trackingNumber } });
    outbox.send(accountNoticeEmail({ to: subject.email, firstName: subject.firstName, ...what.email }));
    return submitted;
  });
}

const byManager = (manager: Manager) => `${manager.firstName} ${manager.lastName}`;

/** The scope named by control-account numbers (null: the whole company), within the manager's. */
function scopeGiven(context: AppContext, manager: Manager, numbers: readonly string[] | null): ScopeRoot[] | null {
  const roots = scopeRootsNamed(context.db, manager.companyId, numbers);
  // An account outside the manager's scope answers like one that does not exist.
  if (roots && roots.some((root) => !accountInScope(manager.scope, root.id))) {
    throw new AppError(400, 'unknown_control_account', 'Choose control accounts from the list.', { scope: 'Choose control accounts from the list.' });
  }
  refuseScopeNotHeld(manager, roots?.map((root) => root.id) ?? null);
  return roots?.map(({ id, number, name }) => ({ id, number, name })) ?? null;
}

export interface NewAdministrator {
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  permissions: Permission[];
  /** Control-account numbers; null: the whole company. */
  scope: string[] | null;
  verificationPin: string;
  verificationWord: string;
}

/** Enrolls a PA of the manager's company: pending, with the same Welcome e-mail and first login as any other. */
export async function enrollAdministrator(context: AppContext, manager: Manager, input: NewAdministrator, meta: ChangeMeta): Promise<{ paId: number; trackingNumber: string }> {
  refuseRightsNotHeld(manager, input.permissions);
  const scope = scopeGiven(context, manager, input.scope);
  const name = `${input.firstName} ${input.lastName}`;
  // Checked again with the new PA written: of two clicks on Enroll, the second enrolls nobody.
  const refuseKnownEmail = (already: number) => {
    if (administratorsWithEmail(context.db, manager.companyId, input.email) > already) {
      throw new AppError(409, 'email_in_use', 'A program administrator of your company already has this e-mail address.', { email: 'Another administrator has this e-mail address.' });
    }
  };
  refuseKnownEmail(0);
  const enrolled = await enrollProgramAdministrator(context, {
    companyId: manager.companyId, firstName: input.firstName, lastName: input.lastName, email: input.email, phone: input.phone,
    permissions: input.permissions, primary: false, verificationPin: input.verificationPin, verificationWord: input.verificationWord,
    scopeRootIds: scope?.map((root) => root.id) ?? [],
  }, { actor: paRef(manager.id), sourceIp: meta.sourceIp, baseUrl: STORED_LINK_ORIGIN }, (paId) => {
    refuseKnownEmail(1);
    const now = context.clock.nowMs();
    const submitted = submitTransaction(context, {
      companyId: manager.companyId, type: 'pa_enrollment', submittedBy: paRef(manager.id), submittedByPaId: manager.id, subjectPaId: paId,
      summary: `Enrolled ${name} as a program administrator`,
      details: { permissions: input.permissions, scope: scope?.map((root) => root.number) ?? null },
    }, now);
    recordAudit(context.db, { at: now, actor: paRef(manager.id), action: 'access.enrolled', subject: paRef(paId), outcome: 'success', sourceIp: meta.sourceIp,
      details: { trackingNumber: submitted.trackingNumber } });
    return submitted.trackingNumber;
  });
  return { paId: enrolled.paId, trackingNumber: enrolled.alongside! };
}

/** Sets the administrator's rights; only the difference is checked against what the manager holds. */
export function changeRights(context: AppContext, manager: Manager, paId: number, wanted: readonly Permission[], meta: ChangeMeta): SubmittedTransaction {
  const managed = administratorInView(context, manager, paId);
  refuseOwnRights(manager, managed);
  refusePrimary(managed, 'rights');
  const target = [...new Set(wanted)].sort();
  const added = target.filter((permission) => !managed.permissions.includes(permission));
  const removed = managed.permissions.filter((permission) => !target.includes(permission));
  if (added.length === 0 && removed.length === 0) throw new AppError(409, 'no_change', 'Those are already their rights.');
  refuseRightsNotHeld(manager, [...added, ...removed]);
  return record(context, manager, managed, {
    type: 'permission_change', audit: 'access.permissions_changed',
    summary: `Permissions of ${managed.name}: ${[...added.map((p) => `+${p}`), ...removed.map((p) => `-${p}`)].join(' ')}`,
    details: { added, removed },
    email: { subject: 'Your @Work permissions changed', type: 'permissions_changed', paragraphs: [
      `${byManager(manager)} changed your rights in the Access Center.`,
      ...(added.length > 0 ? [`Added: ${added.join(', ')}.`] : []), ...(removed.length > 0 ? [`Removed: ${removed.join(', ')}.`] : []),
    ] },
  }, meta, () => setPermissions(context.db, managed.id, target));
}

/** Sets the administrator's scope: control-account numbers, or null for the whole company. */
export function changeScope(context: AppContext, manager: Manager, paId: number, numbers: readonly string[] | null, meta: ChangeMeta): SubmittedTransaction {
  const managed = administratorInView(context, manager, paId);
  refuseOwnRights(manager, managed);
  refusePrimary(managed, 'scope');
  const scope = scopeGiven(context, manager, numbers);
  const before = managed.scope?.map((root) => root.number) ?? null;
  const after = scope?.map((root) => root.number) ?? null;
  if (JSON.stringify(before) === JSON.stringify(after)) throw new AppError(409, 'no_change', 'That is already their scope.');
  return record(context, manager, managed, {
    type: 'scope_change', audit: 'access.scope_changed',
    summary: `Scope of ${managed.name}: ${describeScope(scope)}`,
    details: { from: before, to: after },
    email: { subject: 'Your @Work scope changed', type: 'scope_changed', paragraphs: [
      `${byManager(manager)} changed the part of your company's program you work with in the Access Center.`,
      `You now see and act on the cards of ${describeScope(scope)}.`,
    ] },
  }, meta, () => setScopeRoots(context.db, managed.id, scope?.map((root) => root.id) ?? []));
}

/** Deactivates an active administrator: they cannot sign in, and their open sessions end now. */
export function deactivateAdministrator(context: AppContext, manager: Manager, paId: number, meta: ChangeMeta): SubmittedTransaction {
  const managed = administratorInView(context, manager, paId);
  refuseOwnRights(manager, managed);
  if (managed.primary) throw new AppError(403, 'primary_pa', 'The primary Program Administrator cannot be deactivated online. Call the Help Desk.');
  if (managed.state !== 'active') throw notActive(managed);
  const transaction = record(context, manager, managed, {
    type: 'pa_deactivation', audit: 'access.deactivated', summary: `Deactivated User ID ${managed.userId} of ${managed.name}`,
    email: { subject: 'Your @Work User ID was deactivated', type: 'deactivated', paragraphs: [
      `${byManager(manager)} deactivated your @Work User ID in the Access Center. You cannot log in until it is reactivated.`,
    ] },
  }, meta, () => {
    if (!changeCallerState(context.db, managed.id, 'active', 'inactive', context.clock.nowMs())) throw notActive(managed);
  });
  context.sessionStore.destroyUserSessions(paRef(managed.id));
  return transaction;
}

function notActive(managed: ManagedAdministrator): AppError {
  const why = managed.state === 'locked' || managed.state === 'suspended'
    ? `${managed.name}'s User ID is ${managed.state}; the Help Desk handles that.`
    : `${managed.name}'s User ID is ${managed.state}, not active.`;
  return new AppError(409, 'not_active', why);
}

/** Reactivates an inactive administrator: they can sign in again, and the 120 idle days start again now. */
export function reactivateAdministrator(context: AppContext, manager: Manager, paId: number, meta: ChangeMeta): SubmittedTransaction {
  const managed = administratorInView(context, manager, paId);
  refuseOwnRights(manager, managed);
  const notInactive = () => new AppError(409, 'not_inactive', `${managed.name}'s User ID is ${managed.state}, not inactive.`);
  if (managed.state !== 'inactive') throw notInactive();
  return record(context, manager, managed, {
    type: 'reactivation', audit: 'access.reactivated', summary: `Reactivated User ID ${managed.userId} of ${managed.name}`,
    email: { subject: 'Your @Work User ID was reactivated', type: 'reactivated', paragraphs: [
      `${byManager(manager)} reactivated your @Work User ID in the Access Center. You can log in again with your User ID and password.`,
    ] },
  }, meta, () => {
    // The 120 days start again now, as when the help desk reactivates.
    if (!changeCallerState(context.db, managed.id, 'inactive', 'active', context.clock.nowMs(), { restartInactivity: true })) throw notInactive();
  });
}
