// SQL for the event journal.
import { limitClause, type Database } from '../../db/database';

export interface JournalEventRow {
  id: number;
  at: number;
  type: string;
  actor: string;
  subject: string | null;
  data: string;
}

export interface JournalFilter {
  /** An exact type, or a prefix ending in "*" ("login.*"). */
  type?: string | undefined;
  actor?: string | undefined;
  subject?: string | undefined;
  /** Only events with a larger id. */
  afterId: number;
}

export function insertJournalEvent(db: Database, event: Omit<JournalEventRow, 'id'>): void {
  db.run('INSERT INTO journal_events (at, type, actor, subject, data) VALUES (?, ?, ?, ?, ?)',
    event.at, event.type, event.actor, event.subject, event.data);
}

/**
 * A transaction's status change, named by its tracking number: read from the transaction in the
 * same statement, so the lifecycle's writers need not carry it.
 */
export function insertTransactionJournalEvent(db: Database, transactionId: number, at: number, status: string, actor: string, note: string | null): void {
  db.run(
    `INSERT INTO journal_events (at, type, actor, subject, data)
     SELECT ?, 'transaction.' || ?, ?, 'transaction:' || tracking_number,
            json_object('trackingNumber', tracking_number, 'transactionType', type, 'status', ?, 'note', ?)
       FROM transactions WHERE id = ?`,
    at, status, actor, status, note, transactionId);
}

/** Keeps a type prefix ("login.") to the range of the type index that starts with it. */
const PREFIX_END = '\uffff';

/** Matching events in journal order, at most `limit`. */
export function findJournalEvents(db: Database, filter: JournalFilter, limit: number): JournalEventRow[] {
  const conditions = ['id > :afterId'];
  const params: Record<string, string | number> = { afterId: filter.afterId };
  if (filter.type?.endsWith('*')) {
    conditions.push('type >= :typeFrom AND type < :typeTo');
    params.typeFrom = filter.type.slice(0, -1);
    params.typeTo = `${filter.type.slice(0, -1)}${PREFIX_END}`;
  } else if (filter.type !== undefined) {
    conditions.push('type = :type');
    params.type = filter.type;
  }
  if (filter.actor !== undefined) {
    conditions.push('actor = :actor');
    params.actor = filter.actor;
  }
  if (filter.subject !== undefined) {
    conditions.push('subject = :subject');
    params.subject = filter.subject;
  }
  return db.all<JournalEventRow>(`SELECT * FROM journal_events WHERE ${conditions.join(' AND ')} ORDER BY id ${limitClause(limit)}`, params);
}

/** The id of the latest event; 0 while the journal is empty. */
export function latestJournalId(db: Database): number {
  return db.get<{ id: number | null }>('SELECT max(id) AS id FROM journal_events')!.id ?? 0;
}

/** The current user IDs of these PAs and the staff IDs of these staff members, by row id. */
export function userIdsOf(db: Database, paIds: number[], staffIds: number[]): { pas: Map<number, string>; staff: Map<number, string> } {
  const pas = db.all<{ id: number; user_id: string | null }>(
    'SELECT id, user_id FROM program_administrators WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(paIds));
  const staff = db.all<{ id: number; staff_id: string }>(
    'SELECT id, staff_id FROM staff_users WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(staffIds));
  return {
    pas: new Map(pas.filter((pa) => pa.user_id !== null).map((pa) => [pa.id, pa.user_id!])),
    staff: new Map(staff.map((member) => [member.id, member.staff_id])),
  };
}

/** Empties the journal, so a freshly loaded scenario's starts at id 1 with the script's own run. */
export function clearJournal(db: Database): void {
  db.exec('DELETE FROM journal_events');
}
