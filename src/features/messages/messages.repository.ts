// SQL for secure-message threads and their messages.
import { limitClause, type Database } from '../../db/database';
import type { TransactionStatus } from '../transactions/transaction-types';

export interface ThreadRow {
  id: number;
  transaction_id: number;
  company_id: number;
  pa_id: number;
  subject: string;
  topic: string;
  opened_at: number;
  last_activity_at: number;
  answer_due_at: number | null;
  overdue_at: number | null;
  closed_at: number | null;
}

/** A thread with what its transaction and its writer add: how it is listed and shown. */
export type ThreadView = ThreadRow & {
  tracking_number: string;
  status: TransactionStatus;
  writer: string;
  writer_email: string;
  writer_first_name: string;
  company_name: string;
};

export interface MessageRow {
  id: number;
  thread_id: number;
  author: string;
  body: string;
  sent_at: number;
  /** The author's name: a PA's, or the help-desk staff member's. */
  author_name: string;
}

const THREAD_VIEW = `SELECT mt.*, t.tracking_number, t.status, pa.first_name || ' ' || pa.last_name AS writer, pa.email AS writer_email, pa.first_name AS writer_first_name, c.name AS company_name
  FROM message_threads mt JOIN transactions t ON t.id = mt.transaction_id
  JOIN program_administrators pa ON pa.id = mt.pa_id JOIN companies c ON c.id = mt.company_id`;

export function insertThread(db: Database, row: Omit<ThreadRow, 'id' | 'overdue_at' | 'closed_at'> & { closed_at?: number | null }): number {
  return db.run(
    `INSERT INTO message_threads (transaction_id, company_id, pa_id, subject, topic, opened_at, last_activity_at, answer_due_at, closed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.transaction_id, row.company_id, row.pa_id, row.subject, row.topic, row.opened_at, row.last_activity_at, row.answer_due_at, row.closed_at ?? null).lastId;
}

export function companyOfAdministrator(db: Database, paId: number): number {
  return db.get<{ company_id: number }>('SELECT company_id FROM program_administrators WHERE id = ?', paId)!.company_id;
}

export function insertMessage(db: Database, row: { threadId: number; author: string; body: string; at: number }): void {
  db.run('INSERT INTO thread_messages (thread_id, author, body, sent_at) VALUES (?, ?, ?, ?)', row.threadId, row.author, row.body, row.at);
}

export function findThreadByTrackingNumber(db: Database, trackingNumber: string): ThreadView | undefined {
  return db.get<ThreadView>(`${THREAD_VIEW} WHERE t.tracking_number = ?`, trackingNumber);
}

/** A company's threads, or one PA's, the latest activity first. */
export function threadsOf(db: Database, scope: { companyId: number; paId?: number | undefined }, limit: number): ThreadView[] {
  return scope.paId === undefined
    ? db.all<ThreadView>(`${THREAD_VIEW} WHERE mt.company_id = ? ORDER BY mt.last_activity_at DESC, mt.id DESC ${limitClause(limit)}`, scope.companyId)
    : db.all<ThreadView>(`${THREAD_VIEW} WHERE mt.pa_id = ? ORDER BY mt.last_activity_at DESC, mt.id DESC ${limitClause(limit)}`, scope.paId);
}

/** Open threads of every company, the oldest first: the help desk's inbox. */
export function openThreads(db: Database, limit: number): ThreadView[] {
  return db.all<ThreadView>(`${THREAD_VIEW} WHERE mt.closed_at IS NULL ORDER BY mt.opened_at, mt.id ${limitClause(limit)}`);
}

export function openThreadCount(db: Database): number {
  return db.get<{ n: number }>('SELECT count(*) AS n FROM message_threads WHERE closed_at IS NULL')!.n;
}

export function messagesOf(db: Database, threadId: number): MessageRow[] {
  return db.all<MessageRow>(
    `SELECT m.*, CASE WHEN m.author LIKE 'staff:%' THEN coalesce(s.name, 'Help Desk') ELSE coalesce(pa.first_name || ' ' || pa.last_name, 'Program Administrator') END AS author_name
       FROM thread_messages m
       LEFT JOIN staff_users s ON m.author LIKE 'staff:%' AND s.id = CAST(substr(m.author, 7) AS INTEGER)
       LEFT JOIN program_administrators pa ON m.author LIKE 'pa:%' AND pa.id = CAST(substr(m.author, 4) AS INTEGER)
      WHERE m.thread_id = ? ORDER BY m.sent_at, m.id`, threadId);
}

/**
 * A PA wrote in an open thread: the answer is promised by `answerDueAt` unless an earlier message
 * still waits for one (its promise stands). False when the thread was closed meanwhile.
 */
export function recordWriterMessage(db: Database, threadId: number, at: number, answerDueAt: number): boolean {
  return db.run(
    'UPDATE message_threads SET last_activity_at = ?, answer_due_at = coalesce(answer_due_at, ?) WHERE id = ? AND closed_at IS NULL',
    at, answerDueAt, threadId).changes === 1;
}

/** The help desk answered an open thread: nothing waits any more, and it is no longer overdue. */
export function recordAnswer(db: Database, threadId: number, at: number): boolean {
  return db.run(
    'UPDATE message_threads SET last_activity_at = ?, answer_due_at = NULL, overdue_at = NULL WHERE id = ? AND closed_at IS NULL',
    at, threadId).changes === 1;
}

export function closeThread(db: Database, threadId: number, at: number): boolean {
  return db.run(
    'UPDATE message_threads SET closed_at = ?, last_activity_at = ?, answer_due_at = NULL WHERE id = ? AND closed_at IS NULL',
    at, at, threadId).changes === 1;
}

/** Threads whose promised answer time passed by `now`, marked overdue as of that time; each is returned once. */
export function markOverdueThreads(db: Database, now: number): ThreadRow[] {
  return db.all<ThreadRow>(
    `UPDATE message_threads SET overdue_at = answer_due_at
      WHERE answer_due_at IS NOT NULL AND overdue_at IS NULL AND answer_due_at <= ? AND closed_at IS NULL
     RETURNING *`, now);
}

export function trackingNumberOf(db: Database, transactionId: number): string {
  return db.get<{ tracking_number: string }>('SELECT tracking_number FROM transactions WHERE id = ?', transactionId)!.tracking_number;
}
