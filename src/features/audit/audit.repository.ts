// SQL for the audit log.
import { limitClause, type Database } from '../../db/database';

export interface AuditEventRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  outcome: 'success' | 'failure';
  source_ip: string | null;
  details: string;
}

export function insertAuditEvent(db: Database, event: Omit<AuditEventRow, 'id'>): void {
  db.run(
    'INSERT INTO audit_events (at, actor, action, subject, outcome, source_ip, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
    event.at, event.actor, event.action, event.subject, event.outcome, event.source_ip, event.details);
}

/** The latest audit events about one subject ('pa:12'), newest first. */
export function auditEventsAbout(db: Database, subject: string, limit = 15): AuditEventRow[] {
  return db.all<AuditEventRow>(`SELECT * FROM audit_events WHERE subject = ? ORDER BY at DESC, id DESC ${limitClause(limit)}`, subject);
}
