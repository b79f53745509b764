// Signing in a program administrator: the password check, the lockout counter, the inactivity
// rule and the account states, answered so that a wrong guess learns nothing about the account.
import type { AppContext } from '../../context';
import { secretMatchesInConstantTime } from '../../lib/hashing';
import { paRef, recordAudit } from '../audit/audit.service';
import type { Scope } from '../hierarchy/scope';
import type { Permission } from '../permissions/permissions';
import {
  deactivateIdleAdministrators, findAdministratorById, findAdministratorByUserId, findSignedInAdministrator, recordFailedLogin,
  recordSuccessfulLogin, type SignedInAdministratorRow,
} from './accounts.repository';

export interface SignedInAdministrator {
  kind: 'pa';
  id: number;
  userId: string;
  firstName: string;
  lastName: string;
  email: string;
  companyId: number;
  companyName: string;
  isPrimary: boolean;
  permissions: Permission[];
  /** The control accounts the PA may see; null: the whole company. Read again at every request, like the permissions. */
  scope: Scope;
}

/** Why a sign-in failed. Only someone who knows the password learns more than 'invalid'. */
export type SignInRefusal = 'invalid' | 'inactive' | 'locked' | 'suspended';

/** 'second_step': the password was right, but a code must follow before there is a session. */
export type SignInResult = { ok: true; user: SignedInAdministrator } | { ok: false; reason: SignInRefusal } | { ok: 'second_step'; paId: number };

export function toSignedInAdministrator(row: SignedInAdministratorRow): SignedInAdministrator {
  return {
    kind: 'pa',
    id: row.id,
    userId: row.user_id ?? '',
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    companyId: row.company_id,
    companyName: row.company_name,
    isPrimary: row.is_primary === 1,
    permissions: (row.permission_list?.split(',') ?? []) as Permission[],
    scope: row.scope_list === null ? null : row.scope_list.split(',').map(Number),
  };
}

/** Ends a user's open sessions after a change of state that must reach them at once. */
function endSessions(context: AppContext, paId: number): void {
  context.sessionStore.destroyUserSessions(paRef(paId));
}

export async function signIn(
  context: AppContext, userId: string, password: string, sourceIp: string | null,
  needsSecondStep: (paId: number) => boolean = () => false,
): Promise<SignInResult> {
  const { db, clock, config } = context;
  const row = findAdministratorByUserId(db, userId);
  const matches = await secretMatchesInConstantTime(password, row?.password_hash, config.bcryptCost);
  const now = clock.nowMs();

  if (!row || !row.password_hash) {
    recordAudit(db, { at: now, actor: 'anonymous', action: 'login.failure', outcome: 'failure', sourceIp, details: { userId, reason: 'unknown_user' } });
    return { ok: false, reason: 'invalid' };
  }
  const subject = paRef(row.id);

  if (!matches) {
    const counted = recordFailedLogin(db, row.id, config.rules.maxFailedLogins, now);
    recordAudit(db, { at: now, actor: 'anonymous', action: 'login.failure', subject, outcome: 'failure', sourceIp,
      details: { userId, reason: 'wrong_password', state: row.state, failures: counted?.failed_login_count ?? row.failed_login_count } });
    if (counted?.state === 'locked') {
      recordAudit(db, { at: now, actor: 'system', action: 'account.locked', subject, outcome: 'success', sourceIp,
        details: { failures: counted.failed_login_count } });
      endSessions(context, row.id);
    }
    return { ok: false, reason: 'invalid' };
  }

  if (row.state === 'active' && deactivateIfIdle(context, row.id, now)) {
    recordAudit(db, { at: now, actor: 'anonymous', action: 'login.failure', subject, outcome: 'failure', sourceIp, details: { userId, reason: 'inactive' } });
    return { ok: false, reason: 'inactive' };
  }
  if (row.state === 'active' && needsSecondStep(row.id)) {
    // The failure count stays as it is: wrong codes add to it, and only a finished sign-in clears it.
    recordAudit(db, { at: now, actor: 'anonymous', action: 'login.password_accepted', subject, outcome: 'success', sourceIp });
    return { ok: 'second_step', paId: row.id };
  }
  const user = row.state === 'active' ? completeSignIn(context, row.id, sourceIp) : undefined;
  if (user) return { ok: true, user };
  // Not active, or no longer active by the time the password was checked.
  const state = findAdministratorById(db, row.id)?.state ?? row.state;
  const reason: SignInRefusal = state === 'inactive' || state === 'locked' || state === 'suspended' ? state : 'invalid';
  recordAudit(db, { at: now, actor: 'anonymous', action: 'login.failure', subject, outcome: 'failure', sourceIp, details: { userId, reason: state } });
  return { ok: false, reason };
}

/** Records a finished sign-in (after the password, or after the code that followed it). */
export function completeSignIn(context: AppContext, paId: number, sourceIp: string | null): SignedInAdministrator | undefined {
  const now = context.clock.nowMs();
  if (!recordSuccessfulLogin(context.db, paId, now)) return undefined;
  const subject = paRef(paId);
  recordAudit(context.db, { at: now, actor: subject, action: 'login.success', subject, outcome: 'success', sourceIp });
  return toSignedInAdministrator(findSignedInAdministrator(context.db, paId)!);
}

function deactivateIfIdle(context: AppContext, paId: number, now: number): boolean {
  const changed = deactivateIdleAdministrators(context.db, now - context.config.rules.inactivityMs, now, paId);
  for (const id of changed) noteDeactivation(context, id, now);
  return changed.length > 0;
}

function noteDeactivation(context: AppContext, paId: number, now: number): void {
  recordAudit(context.db, { at: now, actor: 'system', action: 'account.deactivated', subject: paRef(paId), outcome: 'success',
    details: { reason: 'no_login_within_inactivity_period' } });
  endSessions(context, paId);
}

/** The sweep that runs as the clock moves: every active PA idle past the limit becomes inactive. */
export function deactivateIdleUsers(context: AppContext): number[] {
  const now = context.clock.nowMs();
  return context.db.tx(() => {
    const changed = deactivateIdleAdministrators(context.db, now - context.config.rules.inactivityMs, now);
    for (const id of changed) noteDeactivation(context, id, now);
    return changed;
  });
}

/** The signed-in PA as of this request, or undefined when the account may no longer be used. */
export function loadSignedInAdministrator(context: AppContext, paId: number): SignedInAdministrator | undefined {
  const row = findSignedInAdministrator(context.db, paId);
  return row && row.state === 'active' ? toSignedInAdministrator(row) : undefined;
}

export function recordSignOut(context: AppContext, paId: number, sourceIp: string | null): void {
  const subject = paRef(paId);
  recordAudit(context.db, { at: context.clock.nowMs(), actor: subject, action: 'logout', subject, outcome: 'success', sourceIp });
}
