// SQL for program administrators' accounts: sign-in state, access codes, reset links.
// Every state change is a conditional write that succeeds only from the expected state.
import type { Database } from '../../db/database';
import type { Permission } from '../permissions/permissions';

export type AccountState = 'pending' | 'active' | 'inactive' | 'locked' | 'suspended';

export interface ProgramAdministratorRow {
  id: number;
  company_id: number;
  user_id: string | null;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  is_primary: number;
  state: AccountState;
  password_hash: string | null;
  pin_hash: string;
  word_hash: string;
  failed_login_count: number;
  enrolled_at: number;
  registered_at: number | null;
  last_login_at: number | null;
  state_changed_at: number;
  failed_verifications: number;
  verification_blocked_at: number | null;
}

export interface AccessCodeRow {
  id: number;
  pa_id: number;
  selector: string;
  verifier_hash: string;
  issued_at: number;
  expires_at: number;
  failed_attempts: number;
  used_at: number | null;
  voided_at: number | null;
}

export function findAdministratorById(db: Database, id: number): ProgramAdministratorRow | undefined {
  return db.get<ProgramAdministratorRow>('SELECT * FROM program_administrators WHERE id = ?', id);
}

/** What every signed-in request needs, read in one query: the account's standing, its company's name, its permissions. */
export type SignedInAdministratorRow = Pick<ProgramAdministratorRow, 'id' | 'company_id' | 'user_id' | 'first_name' | 'last_name' | 'email' | 'is_primary' | 'state'>
  & { company_name: string; permission_list: string | null; scope_list: string | null };

export function findSignedInAdministrator(db: Database, id: number): SignedInAdministratorRow | undefined {
  return db.get<SignedInAdministratorRow>(
    `SELECT pa.id, pa.company_id, pa.user_id, pa.first_name, pa.last_name, pa.email, pa.is_primary, pa.state, c.name AS company_name,
            (SELECT group_concat(permission, ',') FROM (SELECT permission FROM pa_permissions WHERE pa_id = pa.id ORDER BY permission)) AS permission_list,
            -- The subtrees of the PA's scope, expanded: NULL (the whole company) costs one primary-key probe.
            (SELECT group_concat(id, ',') FROM (
               WITH RECURSIVE subtree(id) AS (
                 SELECT control_account_id FROM pa_scopes WHERE pa_id = pa.id
                 UNION SELECT ca.id FROM control_accounts ca JOIN subtree ON ca.parent_id = subtree.id)
               SELECT id FROM subtree ORDER BY id)) AS scope_list
       FROM program_administrators pa JOIN companies c ON c.id = pa.company_id WHERE pa.id = ?`, id);
}

export function findAdministratorByUserId(db: Database, userId: string): ProgramAdministratorRow | undefined {
  return db.get<ProgramAdministratorRow>('SELECT * FROM program_administrators WHERE user_id = ?', userId);
}

export function userIdTaken(db: Database, userId: string): boolean {
  return db.get('SELECT 1 FROM program_administrators WHERE user_id = ?', userId) !== undefined;
}

export function permissionsOf(db: Database, paId: number): Permission[] {
  return db.all<{ permission: Permission }>(
    'SELECT permission FROM pa_permissions WHERE pa_id = ? ORDER BY permission', paId).map((row) => row.permission);
}

export function insertAdministrator(db: Database, pa: {
  companyId: number; personaKey: string | null; firstName: string; lastName: string; email: string;
  phone: string | null; primary: boolean; pinHash: string; wordHash: string; now: number;
}): number {
  return db.run(
    `INSERT INTO program_administrators
       (company_id, persona_key, first_name, last_name, email, phone, is_primary, state, pin_hash, word_hash,
        enrolled_at, state_changed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
    pa.companyId, pa.personaKey, pa.firstName, pa.lastName, pa.email, pa.phone, pa.primary ? 1 : 0,
    pa.pinHash, pa.wordHash, pa.now, pa.now).lastId;
}

export function grantPermissions(db: Database, paId: number, permissions: readonly Permission[]): void {
  for (const permission of permissions) {
    db.run('INSERT OR IGNORE INTO pa_permissions (pa_id, permission) VALUES (?, ?)', paId, permission);
  }
}

/** Counts a wrong password; the count that reaches the limit also locks. Only active accounts count. */
export function recordFailedLogin(db: Database, paId: number, maxFailures: number, now: number):
  { failed_login_count: number; state: AccountState } | undefined {
  return db.get(
    `UPDATE program_administrators
        SET failed_login_count = failed_login_count + 1,
            state = CASE WHEN failed_login_count + 1 >= :max THEN 'locked' ELSE state END,
            state_changed_at = CASE WHEN failed_login_count + 1 >= :max THEN :now ELSE state_changed_at END
      WHERE id = :id AND state = 'active'
      RETURNING failed_login_count, state`,
    { id: paId, max: maxFailures, now });
}

export function recordSuccessfulLogin(db: Database, paId: number, now: number): boolean {
  return db.run(
    "UPDATE program_administrators SET failed_login_count = 0, last_login_at = ? WHERE id = ? AND state = 'active'",
    now, paId).changes === 1;
}

/** Makes idle active accounts inactive; returns the ids it changed. */
export function deactivateIdleAdministrators(db: Database, idleSince: number, now: number, onlyId?: number): number[] {
  return db.all<{ id: number }>(
    `UPDATE program_administrators SET state = 'inactive', state_changed_at = :now
      WHERE state = 'active' AND coalesce(last_login_at, registered_at, enrolled_at) <= :idleSince
        AND (:onlyId IS NULL OR id = :onlyId)
      RETURNING id`,
    { idleSince, now, onlyId: onlyId ?? null }).map((row) => row.id);
}

export function insertAccessCode(db: Database, code: {
  paId: number; selector: string; verifierHash: string; issuedAt: number; expiresAt: number;
}): number {
  return db.run(
    'INSERT INTO access_codes (pa_id, selector, verifier_hash, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    code.paId, code.selector, code.verifierHash, code.issuedAt, code.expiresAt).lastId;
}

/** The newest access code issued to the PA, or 0: a reissue is decided against it. */
export function latestAccessCodeId(db: Database, paId: number): number {
  return db.get<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM access_codes WHERE pa_id = ?', paId)!.id;
}

/**
 * Records a new access code only while the PA is pending and no other code was issued after
 * `latestSeenId`: of two reissues at once, the first is recorded and the other changes nothing.
 */
export function insertAccessCodeIfNoneSince(db: Database, code: {
  paId: number; selector: string; verifierHash: string; issuedAt: number; expiresAt: number;
}, latestSeenId: number): number | undefined {
  const { changes, lastId } = db.run(
    `INSERT INTO access_codes (pa_id, selector, verifier_hash, issued_at, expires_at)
     SELECT :paId, :selector, :verifierHash, :issuedAt, :expiresAt
      WHERE (SELECT coalesce(max(id), 0) FROM access_codes WHERE pa_id = :paId) = :latestSeenId
        AND EXISTS (SELECT 1 FROM program_administrators WHERE id = :paId AND state = 'pending')`,
    { ...code, latestSeenId });
  return changes === 1 ? lastId : undefined;
}

export function voidLiveAccessCodes(db: Database, paId: number, now: number): number {
  return db.run(
    'UPDATE access_codes SET voided_at = ? WHERE pa_id = ? AND used_at IS NULL AND voided_at IS NULL',
    now, paId).changes;
}

export function selectorInUse(db: Database, selector: string): boolean {
  return db.get('SELECT 1 FROM access_codes WHERE selector = ? AND used_at IS NULL AND voided_at IS NULL', selector) !== undefined;
}

export function findLiveAccessCode(db: Database, selector: string): AccessCodeRow | undefined {
  return db.get<AccessCodeRow>(
    'SELECT * FROM access_codes WHERE selector = ? AND used_at IS NULL AND voided_at IS NULL', selector);
}

export function findAccessCode(db: Database, id: number): AccessCodeRow | undefined {
  return db.get<AccessCodeRow>('SELECT * FROM access_codes WHERE id = ?', id);
}

/** Counts a wrong try at first login; the try that reaches the limit voids the code. */
export function recordFailedAccessCodeAttempt(db: Database, codeId: number, maxAttempts: number, now: number):
  { failed_attempts: number; voided_at: number | null } | undefined {
  return db.get(
    `UPDATE access_codes
        SET failed_attempts = failed_attempts + 1,
            voided_at = CASE WHEN failed_attempts + 1 >= :max THEN :now ELSE voided_at END
      WHERE id = :id AND used_at IS NULL AND voided_at IS NULL
      RETURNING failed_attempts, voided_at`,
    { id: codeId, max: maxAttempts, now });
}

/** Uses the code up, once: of two requests at the same moment, exactly one gets true. */
export function consumeAccessCode(db: Database, codeId: number, now: number): boolean {
  return db.run(
    'UPDATE access_codes SET used_at = ? WHERE id = ? AND used_at IS NULL AND voided_at IS NULL AND expires_at > ?',
    now, codeId, now).changes === 1;
}

export function completeRegistration(db: Database, paId: number, userId: string, passwordHash: string, now: number): boolean {
  return db.run(
    `UPDATE program_administrators
        SET user_id = ?, password_hash = ?, state = 'active', registered_at = ?, last_login_at = ?,
            state_changed_at = ?, failed_login_count = 0
      WHERE id = ? AND state = 'pending'`,
    userId, passwordHash, now, now, now, paId).changes === 1;
}

export function insertPasswordReset(db: Database, paId: number, tokenHash: string, issuedAt: number, expiresAt: number): void {
  db.run('INSERT INTO password_resets (pa_id, token_hash, issued_at, expires_at) VALUES (?, ?, ?, ?)',
    paId, tokenHash, issuedAt, expiresAt);
}

export function findUsablePasswordReset(db: Database, tokenHash: string, now: number): { id: number; pa_id: number } | undefined {
  return db.get(
    'SELECT id, pa_id FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?', tokenHash, now);
}

export function consumePasswordReset(db: Database, resetId: number, now: number): boolean {
  return db.run(
    'UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?', now, resetId, now).changes === 1;
}

/** Sets a new password on an active account; other outstanding reset links stop working. */
export function setPassword(db: Database, paId: number, passwordHash: string, now: number): boolean {
  const changed = db.run(
    "UPDATE program_administrators SET password_hash = ?, failed_login_count = 0 WHERE id = ? AND state = 'active'",
    passwordHash, paId).changes === 1;
  if (changed) db.run('UPDATE password_resets SET used_at = ? WHERE pa_id = ? AND used_at IS NULL', now, paId);
  return changed;
}

/**
 * Keeps the password a seeded persona just chose, for the simulator's persona list: QA scripts sign
 * in as personas after changing their passwords. A PA who is no persona is left alone.
 */
export function rememberPersonaPassword(db: Database, paId: number, password: string, now: number): void {
  db.run(
    `INSERT INTO persona_passwords (pa_id, password, set_at)
     SELECT id, ?, ? FROM program_administrators WHERE id = ? AND persona_key IS NOT NULL
     ON CONFLICT (pa_id) DO UPDATE SET password = excluded.password, set_at = excluded.set_at`,
    password, now, paId);
}

export function companyName(db: Database, companyId: number): string {
  return db.get<{ name: string }>('SELECT name FROM companies WHERE id = ?', companyId)?.name ?? '';
}
