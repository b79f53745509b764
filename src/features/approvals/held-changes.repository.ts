// The changes held for a second administrator and their approvals (migration 0018). Every change of
// state is a conditional write on `state = 'held'`, so two decisions at once leave one.
import type { Database } from '../../db/database';
import { scopeTerm, type Scope } from '../hierarchy/scope';

export type HeldAction = 'limit' | 'cancel';
export type HeldChangeState = 'held' | 'approved' | 'rejected' | 'withdrawn';

export interface HeldChangeRow {
  id: number;
  transaction_id: number;
  tracking_number: string;
  summary: string;
  company_id: number;
  card_id: number;
  card_control_account_id: number | null;
  maker_pa_id: number;
  maker_name: string;
  maker_first_name: string;
  maker_email: string;
  action: HeldAction;
  /** The request in one line, without the transaction's "Held for approval" prefix. */
  plain_summary: string;
  request: string;
  approvers_needed: number;
  state: HeldChangeState;
  held_at: number;
  decided_at: number | null;
  decided_by_name: string | null;
  rejection_reason: string | null;
  submitted_tracking_number: string | null;
  /** The ids of those who approved it so far, comma-separated; null for none. */
  approver_ids: string | null;
}

export interface ApprovalRow {
  approver_pa_id: number;
  approver_name: string;
  approved_at: number;
}

const HELD_CHANGE_COLUMNS = `
  h.id, h.transaction_id, t.tracking_number, t.summary, h.company_id, h.card_id, c.control_account_id AS card_control_account_id,
  h.maker_pa_id, maker.first_name || ' ' || maker.last_name AS maker_name, maker.first_name AS maker_first_name, maker.email AS maker_email,
  h.action, h.summary AS plain_summary, h.request, h.approvers_needed, h.state, h.held_at,
  h.decided_at, decider.first_name || ' ' || decider.last_name AS decided_by_name, h.rejection_reason, submitted.tracking_number AS submitted_tracking_number,
  (SELECT group_concat(approver_pa_id, ',') FROM held_change_approvals WHERE held_change_id = h.id) AS approver_ids
  FROM held_changes h
  JOIN transactions t ON t.id = h.transaction_id
  JOIN cards c ON c.id = h.card_id
  JOIN program_administrators maker ON maker.id = h.maker_pa_id
  LEFT JOIN program_administrators decider ON decider.id = h.decided_by_pa_id
  LEFT JOIN transactions submitted ON submitted.id = h.submitted_transaction_id`;

/** How many held changes a list shows at most. */
const LISTED = 100;

export function insertHeldChange(db: Database, row: {
  transaction_id: number; company_id: number; card_id: number; maker_pa_id: number; action: HeldAction; summary: string; request: string;
  approvers_needed: number; held_at: number;
}): number {
  return db.run(
    `INSERT INTO held_changes (transaction_id, company_id, card_id, maker_pa_id, action, summary, request, approvers_needed, held_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.transaction_id, row.company_id, row.card_id, row.maker_pa_id, row.action, row.summary, row.request, row.approvers_needed, row.held_at).lastId;
}

export function findHeldChange(db: Database, companyId: number, trackingNumber: string): HeldChangeRow | undefined {
  return db.get<HeldChangeRow>(`SELECT ${HELD_CHANGE_COLUMNS} WHERE t.tracking_number = ? AND h.company_id = ?`, trackingNumber, companyId);
}

/** The company's changes still held whose cards lie in the scope, the longest waiting first. */
export function waitingHeldChanges(db: Database, companyId: number, scope: Scope): HeldChangeRow[] {
  const inScope = scopeTerm(scope, 'c.control_account_id');
  return db.all<HeldChangeRow>(
    `SELECT ${HELD_CHANGE_COLUMNS} WHERE h.company_id = ? AND h.state = 'held' ${inScope ? `AND ${inScope.sql}` : ''}
     ORDER BY h.held_at, h.id LIMIT ${LISTED}`, companyId, ...(inScope?.params ?? []));
}

/** The changes this PA made that were held, the latest first. */
export function heldChangesMadeBy(db: Database, makerPaId: number): HeldChangeRow[] {
  return db.all<HeldChangeRow>(`SELECT ${HELD_CHANGE_COLUMNS} WHERE h.maker_pa_id = ? ORDER BY h.held_at DESC, h.id DESC LIMIT ${LISTED}`, makerPaId);
}

export function approvalsOf(db: Database, heldChangeId: number): ApprovalRow[] {
  return db.all<ApprovalRow>(
    `SELECT a.approver_pa_id, pa.first_name || ' ' || pa.last_name AS approver_name, a.approved_at
       FROM held_change_approvals a JOIN program_administrators pa ON pa.id = a.approver_pa_id
      WHERE a.held_change_id = ? ORDER BY a.approved_at, a.approver_pa_id`, heldChangeId);
}

/** Records one approver's approval; false when they had approved it already. */
export function addApproval(db: Database, heldChangeId: number, approverPaId: number, at: number): boolean {
  return db.run('INSERT OR IGNORE INTO held_change_approvals (held_change_id, approver_pa_id, approved_at) VALUES (?, ?, ?)',
    heldChangeId, approverPaId, at).changes === 1;
}

/** Decides a change still held; false when it was decided already. */
export function decideHeldChange(db: Database, heldChangeId: number, decision: {
  state: Exclude<HeldChangeState, 'held'>; byPaId: number; at: number; reason?: string; submittedTransactionId?: number;
}): boolean {
  return db.run(
    `UPDATE held_changes SET state = ?, decided_by_pa_id = ?, decided_at = ?, rejection_reason = ?, submitted_transaction_id = ?
      WHERE id = ? AND state = 'held'`,
    decision.state, decision.byPaId, decision.at, decision.reason ?? null, decision.submittedTransactionId ?? null, heldChangeId).changes === 1;
}
