// SQL for the PA's profile: their details, their sign-in history, their password, and the contact
// changes they ask the help desk for.
import { limitClause, type Database } from '../../db/database';
import type { TransactionRow } from '../transactions/transactions.repository';

export interface ProfileDetailsRow {
  id: number;
  user_id: string | null;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  is_primary: number;
  company_name: string;
}

export function profileDetails(db: Database, paId: number): ProfileDetailsRow | undefined {
  return db.get<ProfileDetailsRow>(
    `SELECT pa.id, pa.user_id, pa.first_name, pa.last_name, pa.email, pa.phone, pa.is_primary, c.name AS company_name
       FROM program_administrators pa JOIN companies c ON c.id = pa.company_id WHERE pa.id = ?`, paId);
}

export interface SignInEventRow {
  id: number;
  at: number;
  action: 'login.success' | 'login.failure';
  outcome: 'success' | 'failure';
  source_ip: string | null;
  details: string;
}

/** The latest sign-ins and failed sign-ins about one PA, newest first (the partial index of 0012 serves it). */
export function signInEvents(db: Database, subject: string, limit: number): SignInEventRow[] {
  return db.all<SignInEventRow>(
    `SELECT id, at, action, outcome, source_ip, details FROM audit_events
      WHERE subject = ? AND action IN ('login.success', 'login.failure') ORDER BY at DESC, id DESC ${limitClause(limit)}`, subject);
}

export function passwordHashOf(db: Database, paId: number): string | null {
  return db.get<{ password_hash: string | null }>('SELECT password_hash FROM program_administrators WHERE id = ?', paId)?.password_hash ?? null;
}

/**
 * Replaces the password the PA just proved, only while it is still that one and the account is
 * active: of two changes at once, the second finds the hash changed and does nothing.
 */
export function replacePassword(db: Database, paId: number, provenHash: string, newHash: string): boolean {
  return db.run(
    "UPDATE program_administrators SET password_hash = ? WHERE id = ? AND password_hash = ? AND state = 'active'",
    newHash, paId, provenHash).changes === 1;
}

/** Applies a requested e-mail and phone. */
export function setContact(db: Database, paId: number, contact: { email: string; phone: string | null }): void {
  db.run('UPDATE program_administrators SET email = ?, phone = ? WHERE id = ?', contact.email, contact.phone, paId);
}

export type ContactRequestRow = Pick<TransactionRow, 'id' | 'tracking_number' | 'subject_pa_id' | 'details' | 'submitted_at'>
  & { first_name: string; last_name: string; company_name: string };

const CONTACT_REQUEST_COLUMNS = `t.id, t.tracking_number, t.subject_pa_id, t.details, t.submitted_at, pa.first_name, pa.last_name, c.name AS company_name
   FROM transactions t JOIN program_administrators pa ON pa.id = t.subject_pa_id JOIN companies c ON c.id = pa.company_id`;

/** Every open contact-change request, oldest first: the help desk's queue. */
export function openContactRequests(db: Database, limit: number): ContactRequestRow[] {
  return db.all<ContactRequestRow>(
    `SELECT ${CONTACT_REQUEST_COLUMNS}
      WHERE t.type = 'contact_change_request' AND t.status = 'submitted' ORDER BY t.submitted_at, t.id ${limitClause(limit)}`);
}

/** One PA's open contact-change requests (at most one, as the profile allows one at a time). */
export function openContactRequestsOf(db: Database, paId: number): ContactRequestRow[] {
  return db.all<ContactRequestRow>(
    `SELECT ${CONTACT_REQUEST_COLUMNS}
      WHERE t.subject_pa_id = ? AND t.type = 'contact_change_request' AND t.status = 'submitted' ORDER BY t.submitted_at, t.id`, paId);
}

export function findContactRequest(db: Database, trackingNumber: string): ContactRequestRow | undefined {
  return db.get<ContactRequestRow>(
    `SELECT ${CONTACT_REQUEST_COLUMNS} WHERE t.tracking_number = ? AND t.type = 'contact_change_request' AND t.status = 'submitted'`, trackingNumber);
}
