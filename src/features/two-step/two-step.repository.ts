// SQL for 2-step verification: each PA's channel, the one-time codes and the trusted browsers.
import type { Database } from '../../db/database';

export type TwoStepChannel = 'email' | 'sms';
export type CodePurpose = 'sign_in' | 'setup';

export interface TwoStepAccountRow {
  id: number;
  first_name: string;
  email: string;
  phone: string | null;
  state: string;
  two_step_channel: TwoStepChannel | null;
  require_two_step: number;
}

export interface TrustedDeviceRow {
  id: number;
  pa_id: number;
  token_hash: string;
  browser: string;
  trusted_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export function findTwoStepAccount(db: Database, paId: number): TwoStepAccountRow | undefined {
  return db.get<TwoStepAccountRow>(
    `SELECT pa.id, pa.first_name, pa.email, pa.phone, pa.state, pa.two_step_channel, c.require_two_step
       FROM program_administrators pa JOIN companies c ON c.id = pa.company_id WHERE pa.id = ?`, paId);
}

/** A new code for the PA supersedes every earlier unused one of the same purpose. */
export function insertCode(db: Database, code: { paId: number; purpose: CodePurpose; channel: TwoStepChannel; codeHash: string; now: number; expiresAt: number }): number {
  return db.tx(() => {
    db.run(`UPDATE two_step_codes SET superseded_at = ? WHERE pa_id = ? AND purpose = ? AND used_at IS NULL AND superseded_at IS NULL`,
      code.now, code.paId, code.purpose);
    return db.run(
      'INSERT INTO two_step_codes (pa_id, purpose, channel, code_hash, sent_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      code.paId, code.purpose, code.channel, code.codeHash, code.now, code.expiresAt).lastId;
  });
}

/**
 * Uses the code if it is the one given, unused, current and unexpired: the one conditional write
 * decides, so two submissions of one code cannot both succeed.
 */
export function consumeCode(db: Database, code: { id: number; paId: number; codeHash: string; now: number }): boolean {
  return db.run(
    `UPDATE two_step_codes SET used_at = :now
      WHERE id = :id AND pa_id = :paId AND code_hash = :codeHash
        AND used_at IS NULL AND superseded_at IS NULL AND expires_at > :now`,
    code).changes === 1;
}

export function setTwoStepChannel(db: Database, paId: number, channel: TwoStepChannel | null): boolean {
  return db.run('UPDATE program_administrators SET two_step_channel = ? WHERE id = ?', channel, paId).changes === 1;
}

export function insertTrustedDevice(db: Database, device: { paId: number; tokenHash: string; browser: string; now: number; expiresAt: number }): number {
  return db.run('INSERT INTO trusted_devices (pa_id, token_hash, browser, trusted_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    device.paId, device.tokenHash, device.browser, device.now, device.expiresAt).lastId;
}

export function findTrustedDevice(db: Database, id: number): TrustedDeviceRow | undefined {
  return db.get<TrustedDeviceRow>('SELECT * FROM trusted_devices WHERE id = ?', id);
}

/** The PA's devices still trusted at `now`, newest first. */
export function trustedDevicesOf(db: Database, paId: number, now: number): TrustedDeviceRow[] {
  return db.all<TrustedDeviceRow>(
    'SELECT * FROM trusted_devices WHERE pa_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY id DESC', paId, now);
}

export function revokeTrustedDevice(db: Database, paId: number, id: number, now: number): boolean {
  return db.run('UPDATE trusted_devices SET revoked_at = ? WHERE id = ? AND pa_id = ? AND revoked_at IS NULL', now, id, paId).changes === 1;
}

export function revokeAllTrustedDevices(db: Database, paId: number, now: number): number {
  return db.run('UPDATE trusted_devices SET revoked_at = ? WHERE pa_id = ? AND revoked_at IS NULL', now, paId).changes;
}

export function passwordHashOf(db: Database, paId: number): string | null {
  return db.get<{ password_hash: string | null }>('SELECT password_hash FROM program_administrators WHERE id = ?', paId)?.password_hash ?? null;
}
