// State builders for Program Administrators: a script sets a PA's state or permissions in one call,
// and the rows left behind are those the portal or the help desk would have written for the same change.
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { paRef, recordAudit } from '../audit/audit.service';
import { findAdministratorByUserId, permissionsOf } from '../accounts/accounts.repository';
import { accountNoticeEmail } from '../accounts/emails';
import { setPermissions } from '../helpdesk/helpdesk.repository';
import { setScopeRoots } from '../hierarchy/hierarchy.repository';
import { describeScope, scopeNumbersOf, scopeRootsNamed } from '../hierarchy/scope-change';
import type { Permission } from '../permissions/permissions';
import { submitTransaction } from '../transactions/lifecycle';
import { raiseFraudAlert } from './sim-events.service';

export const BUILDABLE_PA_STATES = ['active', 'inactive', 'locked', 'suspended'] as const;
export type BuildablePaState = (typeof BUILDABLE_PA_STATES)[number];

function registeredAdministrator(context: AppContext, userId: string) {
  const pa = findAdministratorByUserId(context.db, userId);
  if (!pa) throw notFound(`There is no registered Program Administrator with the user ID "${userId}".`);
  return pa;
}

/**
 * Leaves the PA in `state` as the portal would: locked with the failed-login count at the limit,
 * inactive with the last login past the inactivity period, suspended as a fraud alert does, active
 * as a help-desk reactivation or unlock does (count cleared, inactivity restarted).
 */
export function setAdministratorState(context: AppContext, userId: string, state: BuildablePaState): { userId: string; state: BuildablePaState; previousState: string } {
  const { db, clock, config } = context;
  const pa = registeredAdministrator(context, userId);
  if (pa.state === state) throw new AppError(409, 'no_change', `${userId} is already ${state}.`);
  if (state === 'suspended') {
    raiseFraudAlert(context, userId);
    return { userId, state, previousState: pa.state };
  }
  const now = clock.nowMs();
  db.tx(() => {
    // Conditional on the state read above: a change that raced this one leaves it to the caller to retry.
    const changed = db.run(
      `UPDATE program_administrators
          SET state = :state, state_changed_at = :now,
              failed_login_count = CASE :state WHEN 'locked' THEN :maxFailures WHEN 'active' THEN 0 ELSE failed_login_count END,
              last_login_at = CASE :state WHEN 'inactive' THEN :idleSince WHEN 'active' THEN :now ELSE last_login_at END
        WHERE id = :id AND state = :from`,
      { state, now, maxFailures: config.rules.maxFailedLogins, idleSince: now - config.rules.inactivityMs - 1, id: pa.id, from: pa.state }).changes;
    if (changed !== 1) throw new AppError(409, 'conflict', 'The Program Administrator changed meanwhile; try again.');
    const subject = paRef(pa.id);
    if (state === 'locked') {
      recordAudit(db, { at: now, actor: 'simulator', action: 'account.locked', subject, outcome: 'success', details: { failures: config.rules.maxFailedLogins } });
    } else if (state === 'inactive') {
      recordAudit(db, { at: now, actor: 'simulator', action: 'account.deactivated', subject, outcome: 'success', details: { reason: 'no_login_within_inactivity_period' } });
    } else {
      recordAudit(db, { at: now, actor: 'simulator', action: 'simulator.state_set', subject, outcome: 'success', details: { previousState: pa.state, state } });
    }
  });
  // A PA who can no longer sign in loses the sessions they had, as at a lock or a deactivation.
  if (state !== 'active') context.sessionStore.destroyUserSessions(paRef(pa.id));
  return { userId, state, previousState: pa.state };
}

/**
 * Replaces the PA's permissions as the help desk's permission change does: a transaction, an audit
 * event, an e-mail. With `scope` (control-account numbers, or null for the whole company) the PA's
 * scope is set in the same change; without it, the scope stays as it is.
 */
export function setAdministratorPermissions(context: AppContext, userId: string, permissions: readonly Permission[], scope?: readonly string[] | null) {
  const { db, clock, outbox } = context;
  const pa = registeredAdministrator(context, userId);
  const wanted = [...new Set(permissions)].sort();
  const roots = scope === undefined ? undefined : scopeRootsNamed(db, pa.company_id, scope);
  if (pa.is_primary === 1 && wanted.length === 0) {
    throw new AppError(409, 'last_permission', 'A primary Program Administrator cannot remove their own last permission.');
  }
  if (pa.is_primary === 1 && roots) {
    throw new AppError(409, 'primary_scope', 'A primary Program Administrator looks after the whole company: their scope cannot be narrowed.');
  }
  const now = clock.nowMs();
  return db.tx(() => {
    const current = permissionsOf(db, pa.id);
    const added = wanted.filter((p) => !current.includes(p));
    const removed = current.filter((p) => !wanted.includes(p));
    const scopeBefore = scopeNumbersOf(db, pa.id);
    const scopeAfter = roots === undefined ? scopeBefore : roots && roots.map((account) => account.number);
    const rescoped = JSON.stringify(scopeAfter) !== JSON.stringify(scopeBefore);
    if (added.length === 0 && removed.length === 0 && !rescoped) throw new AppError(409, 'no_change', 'Those are already the permissions and the scope.');
    if (added.length > 0 || removed.length > 0) setPermissions(db, pa.id, wanted);
    if (rescoped) setScopeRoots(db, pa.id, (roots ?? []).map((account) => account.id));
    const changes = [...added.map((p) => `+${p}`), ...removed.map((p) => `-${p}`), ...(rescoped ? [`scope: ${describeScope(roots ?? null)}`] : [])];
    const submitted = submitTransaction(context, {
      companyId: pa.company_id, type: 'permission_change', submittedBy: 'simulator', submittedByPaId: null, subjectPaId: pa.id,
      summary: `Permissions of ${pa.first_name} ${pa.last_name}: ${changes.join(' ')}`,
      details: { added, removed, approvedByPrimaryPaId: null, ...(rescoped ? { scope: { from: scopeBefore, to: scopeAfter } } : {}) },
    }, now);
    recordAudit(db, { at: now, actor: 'simulator', action: 'helpdesk.permissions_changed', subject: paRef(pa.id), outcome: 'success',
      details: { trackingNumber: submitted.trackingNumber } });
    outbox.send(accountNoticeEmail({ to: pa.email, firstName: pa.first_name, subject: 'Your @Work permissions changed', type: 'permissions_changed', paragraphs: [
      ...(added.length > 0 ? [`Added: ${added.join(', ')}.`] : []), ...(removed.length > 0 ? [`Removed: ${removed.join(', ')}.`] : []),
      ...(rescoped ? [`You now look after ${describeScope(roots ?? null)}.`] : []),
    ] }));
    return { userId, permissions: wanted, added, removed, scope: scopeAfter, trackingNumber: submitted.trackingNumber };
  });
}
