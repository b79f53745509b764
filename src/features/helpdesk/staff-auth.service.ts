// Signing help-desk staff in: their own realm, with the same lockout and audit rules as PAs.
import type { AppContext } from '../../context';
import { secretMatchesInConstantTime } from '../../lib/hashing';
import { recordAudit } from '../audit/audit.service';
import { AppError } from '../../lib/errors';
import { findStaffById, findStaffByStaffId, recordFailedStaffLogin, recordSuccessfulStaffLogin, staffList, unlockStaff } from './helpdesk.repository';

export interface SignedInStaff {
  id: number;
  staffId: string;
  name: string;
  role: 'agent' | 'supervisor';
}

export const staffRef = (id: number): string => `staff:${id}`;

export type StaffSignInResult = { ok: true; staff: SignedInStaff } | { ok: false; reason: 'invalid' | 'locked' };

export async function signInStaff(context: AppContext, staffId: string, password: string, sourceIp: string | null): Promise<StaffSignInResult> {
  const { db, clock, config } = context;
  const row = findStaffByStaffId(db, staffId);
  const matches = await secretMatchesInConstantTime(password, row?.password_hash, config.bcryptCost);
  const now = clock.nowMs();
  if (!row) {
    recordAudit(db, { at: now, actor: 'anonymous', action: 'staff.login.failure', outcome: 'failure', sourceIp, details: { staffId, reason: 'unknown_user' } });
    return { ok: false, reason: 'invalid' };
  }
  const subject = staffRef(row.id);
  if (!matches) {
    const counted = recordFailedStaffLogin(db, row.id, config.rules.maxFailedLogins);
    recordAudit(db, { at: now, actor: 'anonymous', action: 'staff.login.failure', subject, outcome: 'failure', sourceIp, details: { staffId, reason: 'wrong_password' } });
    if (counted?.state === 'locked') {
      recordAudit(db, { at: now, actor: 'system', action: 'staff.locked', subject, outcome: 'success', sourceIp });
      context.sessionStore.destroyUserSessions(subject);
    }
    return { ok: false, reason: 'invalid' };
  }
  if (!recordSuccessfulStaffLogin(db, row.id, now)) {
    recordAudit(db, { at: now, actor: 'anonymous', action: 'staff.login.failure', subject, outcome: 'failure', sourceIp, details: { staffId, reason: row.state } });
    return { ok: false, reason: 'locked' };
  }
  recordAudit(db, { at: now, actor: subject, action: 'staff.login.success', subject, outcome: 'success', sourceIp });
  return { ok: true, staff: { id: row.id, staffId: row.staff_id, name: row.name, role: row.role } };
}

/** The staff member behind a session, while their account may still be used. */
export function loadStaff(context: AppContext, id: number): SignedInStaff | undefined {
  const row = findStaffById(context.db, id);
  return row && row.state === 'active' ? { id: row.id, staffId: row.staff_id, name: row.name, role: row.role } : undefined;
}

/** Records a staff member's sign-out in the audit log (their session is ended by the route). */
export function recordStaffSignOut(context: AppContext, staff: SignedInStaff, sourceIp: string | null): void {
  recordAudit(context.db, { at: context.clock.nowMs(), actor: staffRef(staff.id), action: 'staff.logout', subject: staffRef(staff.id), outcome: 'success', sourceIp });
}

/** Every help-desk staff member, with who is locked out. */
export function listStaff(context: AppContext) {
  return staffList(context.db);
}

/** A supervisor lets a locked-out colleague sign in again. */
export function unlockStaffMember(context: AppContext, supervisor: SignedInStaff, staffId: number, sourceIp: string | null): void {
  if (!Number.isSafeInteger(staffId) || !unlockStaff(context.db, staffId)) throw new AppError(409, 'not_locked', 'That staff member is not locked.');
  recordAudit(context.db, { at: context.clock.nowMs(), actor: staffRef(supervisor.id), action: 'staff.unlocked', subject: staffRef(staffId), outcome: 'success', sourceIp });
}
