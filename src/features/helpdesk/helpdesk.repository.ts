// SQL for the help desk: staff accounts, finding callers, verification counters, escalations.
import { limitClause, type Database } from '../../db/database';
import type { ProgramAdministratorRow } from '../accounts/accounts.repository';
import type { TransactionRow } from '../transactions/transactions.repository';

export interface StaffRow {
  id: number;
  staff_id: string;
  name: string;
  email: string;
  role: 'agent' | 'supervisor';
  state: 'active' | 'locked';
  password_hash: string;
  failed_login_count: number;
  last_login_at: number | null;
}

/** What the help desk may see of a caller: never a password, PIN, word or access code. */
export type CallerRow = Pick<ProgramAdministratorRow, 'id' | 'company_id' | 'user_id' | 'first_name' | 'last_name' | 'email' | 'phone'
  | 'is_primary' | 'state' | 'failed_login_count' | 'last_login_at' | 'registered_at' | 'failed_verifications' | 'verification_blocked_at'>
  & { company_name: string };

const CALLER_COLUMNS = `pa.id, pa.company_id, c.name AS company_name, pa.user_id, pa.first_name, pa.last_name, pa.email, pa.phone,
  pa.is_primary, pa.state, pa.failed_login_count, pa.last_login_at, pa.registered_at, pa.failed_verifications, pa.verification_blocked_at`;

export function findStaffByStaffId(db: Database, staffId: string): StaffRow | undefined {
  return db.get<StaffRow>('SELECT * FROM staff_users WHERE staff_id = ?', staffId);
}

export function findStaffById(db: Database, id: number): StaffRow | undefined {
  return db.get<StaffRow>('SELECT * FROM staff_users WHERE id = ?', id);
}

export function recordFailedStaffLogin(db: Database, id: number, maxFailures: number): { failed_login_count: number; state: string } | undefined {
  return db.get(
    `UPDATE staff_users SET failed_login_count = failed_login_count + 1,
            state = CASE WHEN failed_login_count + 1 >= ? THEN 'locked' ELSE state END
      WHERE id = ? AND state = 'active' RETURNING failed_login_count, state`, maxFailures, id);
}

export function recordSuccessfulStaffLogin(db: Database, id: number, now: number): boolean {
  return db.run("UPDATE staff_users SET failed_login_count = 0, last_login_at = ? WHERE id = ? AND state = 'active'", now, id).changes === 1;
}

export function searchCallers(db: Database, text: string, limit = 25): CallerRow[] {
  const like = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  return db.all<CallerRow>(
    `SELECT ${CALLER_COLUMNS} FROM program_administrators pa JOIN companies c ON c.id = pa.company_id
      WHERE pa.user_id LIKE :like ESCAPE '\\' OR pa.email LIKE :like ESCAPE '\\' OR c.name LIKE :like ESCAPE '\\'
         OR (pa.first_name || ' ' || pa.last_name) LIKE :like ESCAPE '\\'
      ORDER BY pa.last_name, pa.first_name, pa.id ${limitClause(limit)}`, { like });
}

export function findCaller(db: Database, paId: number): CallerRow | undefined {
  return db.get<CallerRow>(`SELECT ${CALLER_COLUMNS} FROM program_administrators pa JOIN companies c ON c.id = pa.company_id WHERE pa.id = ?`, paId);
}

/** The PA a transaction concerns: who submitted it, else whom the help desk acted for. */
export function callerByTrackingNumber(db: Database, trackingNumber: string): CallerRow | undefined {
  return db.get<CallerRow>(
    `SELECT ${CALLER_COLUMNS} FROM transactions t JOIN program_administrators pa ON pa.id = coalesce(t.submitted_by_pa_id, t.subject_pa_id)
       JOIN companies c ON c.id = pa.company_id WHERE t.tracking_number = ?`, trackingNumber);
}

/** Callers matching a name, company and e-mail exactly (case aside): how a forgotten user ID is found. */
export function callersByIdentity(db: Database, firstName: string, lastName: string, companyName: string, email: string): CallerRow[] {
  return db.all<CallerRow>(
    `SELECT ${CALLER_COLUMNS} FROM program_administrators pa JOIN companies c ON c.id = pa.company_id
      WHERE pa.first_name = ? COLLATE NOCASE AND pa.last_name = ? COLLATE NOCASE AND c.name = ? COLLATE NOCASE AND pa.email = ? COLLATE NOCASE`,
    firstName, lastName, companyName, email);
}

export function verificationHashes(db: Database, paId: number): { pin_hash: string; word_hash: string } | undefined {
  return db.get('SELECT pin_hash, word_hash FROM program_administrators WHERE id = ?', paId);
}

export function primaryOf(db: Database, companyId: number): CallerRow | undefined {
  return db.get<CallerRow>(`SELECT ${CALLER_COLUMNS} FROM program_administrators pa JOIN companies c ON c.id = pa.company_id WHERE pa.company_id = ? AND pa.is_primary = 1`, companyId);
}

/** Counts a failed verification; the fifth in a row blocks further tries. */
export function recordFailedVerification(db: Database, paId: number, maxFailures: number, now: number): { failed_verifications: number; verification_blocked_at: number | null } | undefined {
  return db.get(
    `UPDATE program_administrators SET failed_verifications = failed_verifications + 1,
            verification_blocked_at = CASE WHEN failed_verifications + 1 >= ? THEN ? ELSE verification_blocked_at END
      WHERE id = ? AND verification_blocked_at IS NULL RETURNING failed_verifications, verification_blocked_at`, maxFailures, now, paId);
}

export function resetFailedVerifications(db: Database, paId: number): void {
  db.run('UPDATE program_administrators SET failed_verifications = 0 WHERE id = ? AND verification_blocked_at IS NULL', paId);
}

export function clearVerificationBlock(db: Database, paId: number): boolean {
  return db.run('UPDATE program_administrators SET failed_verifications = 0, verification_blocked_at = NULL WHERE id = ? AND verification_blocked_at IS NOT NULL', paId).changes === 1;
}

export function recentTransactionsOf(db: Database, paId: number, limit = 10): TransactionRow[] {
  return db.all<TransactionRow>(
    `SELECT * FROM (
       SELECT * FROM transactions WHERE subject_pa_id = ? UNION SELECT * FROM transactions WHERE submitted_by_pa_id = ?
     ) ORDER BY submitted_at DESC, id DESC ${limitClause(limit)}`, paId, paId);
}

/**
 * Moves a PA from one state to another; false if they were not in the expected state. Optionally
 * clears the failed-login count, and restarts the inactivity period as a login would.
 */
export function changeCallerState(db: Database, paId: number, from: string, to: string, now: number,
  options: { clearFailures?: boolean; restartInactivity?: boolean } = {}): boolean {
  return db.run(
    `UPDATE program_administrators
        SET state = :to, state_changed_at = :now,
            failed_login_count = CASE WHEN :clearFailures THEN 0 ELSE failed_login_count END,
            last_login_at = CASE WHEN :restart THEN :now ELSE last_login_at END
      WHERE id = :id AND state = :from`,
    { to, now, id: paId, from, clearFailures: options.clearFailures ? 1 : 0, restart: options.restartInactivity ? 1 : 0 }).changes === 1;
}

export function updateContact(db: Database, paId: number, contact: { firstName: string; lastName: string; email: string; phone: string | null }): void {
  db.run('UPDATE program_administrators SET first_name = ?, last_name = ?, email = ?, phone = ? WHERE id = ?',
    contact.firstName, contact.lastName, contact.email, contact.phone, paId);
}

export function setPermissions(db: Database, paId: number, permissions: readonly string[]): void {
  db.run('DELETE FROM pa_permissions WHERE pa_id = ?', paId);
  for (const permission of permissions) db.run('INSERT INTO pa_permissions (pa_id, permission) VALUES (?, ?)', paId, permission);
}

export interface EscalationRow {
  id: number;
  pa_id: number;
  transaction_id: number;
  /** NULL when the system raised it: a secure message's answer time passed. */
  raised_by_staff_id: number | null;
  thread_id: number | null;
  note: string;
  raised_at: number;
  resolved_by_staff_id: number | null;
  resolution: string | null;
  resolved_at: number | null;
}

/**
 * Raises an escalation unless the same agent's same note for the same caller is still open: a
 * double click, which then changes nothing (undefined).
 */
export function insertEscalation(db: Database, row: { paId: number; transactionId: number; staffId: number; note: string; at: number }): number | undefined {
  const { changes, lastId } = db.run(
    `INSERT INTO escalations (pa_id, transaction_id, raised_by_staff_id, note, raised_at)
     SELECT :paId, :transactionId, :staffId, :note, :at
      WHERE NOT EXISTS (SELECT 1 FROM escalations WHERE pa_id = :paId AND raised_by_staff_id = :staffId AND note = :note AND resolved_at IS NULL)`,
    row);
  return changes === 1 ? lastId : undefined;
}

/** Escalates a secure message whose answer time passed, unless it is escalated and unresolved already. */
export function insertSystemEscalation(db: Database, row: { paId: number; transactionId: number; threadId: number; note: string; at: number }): number | undefined {
  const { changes, lastId } = db.run(
    `INSERT INTO escalations (pa_id, transaction_id, thread_id, note, raised_at)
     SELECT :paId, :transactionId, :threadId, :note, :at
      WHERE NOT EXISTS (SELECT 1 FROM escalations WHERE thread_id = :threadId AND resolved_at IS NULL)`,
    row);
  return changes === 1 ? lastId : undefined;
}

export function openEscalations(db: Database): Array<EscalationRow & { tracking_number: string; caller: string; company_name: string; raised_by: string | null; thread_tracking_number: string | null }> {
  return db.all(
    `SELECT e.*, t.tracking_number, pa.first_name || ' ' || pa.last_name AS caller, c.name AS company_name, s.name AS raised_by,
            tt.tracking_number AS thread_tracking_number
       FROM escalations e JOIN transactions t ON t.id = e.transaction_id JOIN program_administrators pa ON pa.id = e.pa_id
       JOIN companies c ON c.id = pa.company_id LEFT JOIN staff_users s ON s.id = e.raised_by_staff_id
       LEFT JOIN message_threads mt ON mt.id = e.thread_id LEFT JOIN transactions tt ON tt.id = mt.transaction_id
      WHERE e.resolved_at IS NULL ORDER BY e.raised_at, e.id`);
}

export function findEscalation(db: Database, id: number): EscalationRow | undefined {
  return db.get<EscalationRow>('SELECT * FROM escalations WHERE id = ?', id);
}

export function resolveEscalation(db: Database, id: number, staffId: number, resolution: string, at: number): boolean {
  return db.run('UPDATE escalations SET resolved_by_staff_id = ?, resolution = ?, resolved_at = ? WHERE id = ? AND resolved_at IS NULL',
    staffId, resolution, at, id).changes === 1;
}

export function staffList(db: Database): StaffRow[] {
  return db.all<StaffRow>('SELECT * FROM staff_users ORDER BY role DESC, staff_id');
}

export function unlockStaff(db: Database, id: number): boolean {
  return db.run("UPDATE staff_users SET state = 'active', failed_login_count = 0 WHERE id = ? AND state = 'locked'", id).changes === 1;
}
