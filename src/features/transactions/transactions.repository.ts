// SQL for transactions and their status events.
import { limitClause, type Database } from '../../db/database';
import { insertTransactionJournalEvent } from '../journal/journal.repository';
import type { TransactionStatus, TransactionType } from './transaction-types';

export interface TransactionRow {
  id: number;
  tracking_number: string;
  company_id: number;
  type: TransactionType;
  status: TransactionStatus;
  submitted_by: string;
  submitted_by_pa_id: number | null;
  card_id: number | null;
  charge_id: number | null;
  subject_pa_id: number | null;
  summary: string;
  details: string;
  rejection_reason: string | null;
  submitted_at: number;
  updated_at: number;
  next_due_at: number | null;
  /** The control account of its card (migration 0014); null for a request about no card. */
  control_account_id: number | null;
}

export interface TransactionEventRow {
  id: number;
  transaction_id: number;
  at: number;
  status: TransactionStatus;
  actor: string;
  note: string | null;
}

/** Takes the next value of a named sequence, starting at `first` in a fresh scenario. */
export function nextSequenceValue(db: Database, name: string, first: number): number {
  return db.get<{ value: number }>(
    `INSERT INTO sequences (name, value) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET value = value + 1
     RETURNING value`, name, first)!.value;
}

/**
 * The control account is its card's, looked up here so that no caller can record another; a request
 * about no card yet (an application) names the account it is for.
 */
export function insertTransaction(db: Database, row: Omit<TransactionRow, 'id' | 'control_account_id'> & { control_account_id?: number | null }): number {
  return db.run(
    `INSERT INTO transactions (tracking_number, company_id, type, status, submitted_by, submitted_by_pa_id, card_id,
       charge_id, subject_pa_id, summary, details, rejection_reason, submitted_at, updated_at, next_due_at, control_account_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce((SELECT control_account_id FROM cards WHERE id = ?), ?))`,
    row.tracking_number, row.company_id, row.type, row.status, row.submitted_by, row.submitted_by_pa_id, row.card_id,
    row.charge_id, row.subject_pa_id, row.summary, row.details, row.rejection_reason, row.submitted_at, row.updated_at,
    row.next_due_at, row.card_id, row.control_account_id ?? null).lastId;
}

/** A status change, recorded in the journal too. Call inside the db.tx that changes the status. */
export function insertTransactionEvent(db: Database, event: Omit<TransactionEventRow, 'id'>): void {
  db.run('INSERT INTO transaction_events (transaction_id, at, status, actor, note) VALUES (?, ?, ?, ?, ?)',
    event.transaction_id, event.at, event.status, event.actor, event.note);
  insertTransactionJournalEvent(db, event.transaction_id, event.at, event.status, event.actor, event.note);
}

/** The user IDs of these program administrators (none for one who has not registered yet). */
export function administratorUserIds(db: Database, paIds: number[]): Array<{ id: number; user_id: string | null }> {
  return db.all('SELECT id, user_id FROM program_administrators WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(paIds));
}

export function findTransactionByTrackingNumber(db: Database, trackingNumber: string): TransactionRow | undefined {
  return db.get<TransactionRow>('SELECT * FROM transactions WHERE tracking_number = ?', trackingNumber);
}

export function eventsOf(db: Database, transactionId: number): TransactionEventRow[] {
  return db.all<TransactionEventRow>('SELECT * FROM transaction_events WHERE transaction_id = ? ORDER BY at, id', transactionId);
}

export function dueTransactions(db: Database, now: number, limit: number): TransactionRow[] {
  return db.all<TransactionRow>(
    `SELECT * FROM transactions WHERE next_due_at IS NOT NULL AND next_due_at <= ? ORDER BY next_due_at, id ${limitClause(limit)}`, now);
}

/** Moves a transaction on from the status it was read in; false if something else moved it first. */
export function advanceTransaction(db: Database, id: number, from: TransactionStatus, to: TransactionStatus,
  at: number, nextDueAt: number | null, rejectionReason: string | null = null): boolean {
  return db.run(
    `UPDATE transactions SET status = ?, updated_at = ?, next_due_at = ?, rejection_reason = coalesce(?, rejection_reason)
      WHERE id = ? AND status = ?`,
    to, at, nextDueAt, rejectionReason, id, from).changes === 1;
}

/** A request still being processed for a card: what the card page lists, and what blocks another request. */
/** An open request of a card; `action` is the card action it is or, for a change held for approval, would be. */
export type OpenRequestRow = Pick<TransactionRow, 'id' | 'tracking_number' | 'type' | 'summary'> & { action: string | null };

export function openTransactionsForCard(db: Database, cardId: number): OpenRequestRow[] {
  return db.all<OpenRequestRow>(
    `SELECT id, tracking_number, type, summary, json_extract(details, '$.action') AS action
       FROM transactions WHERE card_id = ? AND status IN ('submitted', 'in_progress') ORDER BY id`, cardId);
}

/**
 * Sets a transaction that waited for an approver (next_due_at NULL) due for pick-up, noting when it
 * was released so the back office's business days count from then; false if it was not waiting.
 */
export function releaseTransaction(db: Database, id: number, at: number, dueAt: number): boolean {
  return db.run(
    `UPDATE transactions SET next_due_at = ?, updated_at = ?, details = json_set(details, '$.releasedAt', ?)
      WHERE id = ? AND status = 'submitted' AND next_due_at IS NULL`, dueAt, at, at, id).changes === 1;
}

export function attachCardToTransaction(db: Database, transactionId: number, cardId: number): void {
  db.run('UPDATE transactions SET card_id = ?, control_account_id = (SELECT control_account_id FROM cards WHERE id = ?) WHERE id = ?', cardId, cardId, transactionId);
}
