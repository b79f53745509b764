// SQL that reads a sandbox's whole state for export, each list in the order it was written.
import type { Database } from '../../db/database';
import { APPROVAL_RULE_COLUMNS, type ApprovalRulesRow } from '../approvals/approval-rules';

export interface ExportCounts { pas: number; cards: number; transactions: number; maxCharges: number }

export function exportCounts(db: Database): ExportCounts {
  return db.get<ExportCounts>(
    `SELECT (SELECT count(*) FROM program_administrators) AS pas, (SELECT count(*) FROM cards) AS cards,
            (SELECT count(*) FROM transactions) AS transactions,
            (SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM charges GROUP BY card_id)) AS maxCharges`)!;
}

export const companiesForExport = (db: Database) =>
  db.all<{ id: number; name: string; program_number: string; max_card_limit_cents: number; require_two_step: number } & ApprovalRulesRow>(
    `SELECT id, name, program_number, max_card_limit_cents, require_two_step, ${APPROVAL_RULE_COLUMNS} FROM companies ORDER BY id`);

/** Parents before children (a parent is written first, so its id is lower), as the format wants them. */
export const controlAccountsForExport = (db: Database) =>
  db.all<{ id: number; company_id: number; parent_id: number | null; number: string; name: string }>(
    'SELECT id, company_id, parent_id, number, name FROM control_accounts ORDER BY depth, id');

export interface PaExportRow {
  id: number; company_id: number; persona_key: string | null; user_id: string | null; first_name: string; last_name: string; email: string;
  phone: string | null; is_primary: number; state: string; last_login_at: number | null; portal_password: string | null; permissions: string | null;
  two_step_channel: 'email' | 'sms' | null; scope: string | null;
}

export const administratorsForExport = (db: Database) => db.all<PaExportRow>(
  `SELECT pa.id, pa.company_id, pa.persona_key, pa.user_id, pa.first_name, pa.last_name, pa.email, pa.phone, pa.is_primary, pa.state,
          pa.last_login_at, pa.two_step_channel, pp.password AS portal_password,
          (SELECT group_concat(permission, ',') FROM (SELECT permission FROM pa_permissions WHERE pa_id = pa.id ORDER BY permission)) AS permissions,
          (SELECT group_concat(control_account_id, ',') FROM (SELECT control_account_id FROM pa_scopes WHERE pa_id = pa.id ORDER BY control_account_id)) AS scope
     FROM program_administrators pa LEFT JOIN persona_passwords pp ON pp.pa_id = pa.id ORDER BY pa.id`);

export const staffForExport = (db: Database) =>
  db.all<{ id: number; staff_id: string; name: string; email: string; role: string }>('SELECT id, staff_id, name, email, role FROM staff_users ORDER BY id');

export interface CardExportRow {
  id: number; company_id: number; cardmember_name: string; tier: string; state: string; limit_cents: number;
  temp_limit_cents: number | null; temp_limit_ends_at: number | null; opened_at: number; control_account_id: number | null;
}

export const cardsForExport = (db: Database) => db.all<CardExportRow>(
  'SELECT id, company_id, cardmember_name, tier, state, limit_cents, temp_limit_cents, temp_limit_ends_at, opened_at, control_account_id FROM cards ORDER BY id');

export const chargesForExport = (db: Database) => db.all<{ card_id: number; merchant: string; amount_cents: number; at: number; decline_reason: string | null; status: string }>(
  'SELECT card_id, merchant, amount_cents, at, status, decline_reason FROM charges ORDER BY id');

export interface TransactionExportRow {
  id: number; tracking_number: string; company_id: number; type: string; status: string; submitted_by: string; card_id: number | null;
  summary: string; details: string; rejection_reason: string | null; next_due_at: number | null;
}

export const transactionsForExport = (db: Database) => db.all<TransactionExportRow>(
  `SELECT id, tracking_number, company_id, type, status, submitted_by, card_id, summary, details, rejection_reason, next_due_at
     FROM transactions WHERE type <> 'secure_message'
       -- A change still held for approval was never submitted, and its approvals are not in the format.
       AND NOT (type = 'held_change' AND status = 'submitted')
       AND id NOT IN (SELECT transaction_id FROM card_applications WHERE state = 'invited') ORDER BY id`);

/** Invitations whose link is still unused go in a member of their own, their transactions with them. */
export const invitationsForExport = (db: Database) => db.all<{
  invited_by: string | null; employee_name: string; employee_email: string; control_account_id: number; tier: string; limit_cents: number; invited_at: number;
}>(
  `SELECT pa.user_id AS invited_by, a.employee_name, a.employee_email, a.control_account_id, a.tier, a.limit_cents, a.invited_at
     FROM card_applications a JOIN program_administrators pa ON pa.id = a.invited_by_pa_id WHERE a.state = 'invited' ORDER BY a.id`);

/** Secure-message threads go in a member of their own, their transactions with them. */
export const threadsForExport = (db: Database) => db.all<{ id: number; tracking_number: string; pa_id: number; subject: string; topic: string; closed_at: number | null }>(
  `SELECT mt.id, t.tracking_number, mt.pa_id, mt.subject, mt.topic, mt.closed_at
     FROM message_threads mt JOIN transactions t ON t.id = mt.transaction_id ORDER BY mt.id`);

export const threadMessagesForExport = (db: Database) => db.all<{ thread_id: number; author: string; body: string; sent_at: number }>(
  'SELECT thread_id, author, body, sent_at FROM thread_messages ORDER BY thread_id, sent_at, id');

export const eventsForExport = (db: Database) => db.all<{ transaction_id: number; at: number; status: string; actor: string; note: string | null }>(
  'SELECT transaction_id, at, status, actor, note FROM transaction_events ORDER BY transaction_id, id');

/**
 * Report subscriptions, each with its subscriber's user ID and company (its account filter is a number of that company).
 * One whose PA has lost reports.view since is left out: it delivers nothing, and the format refuses it.
 */
export const reportSubscriptionsForExport = (db: Database) => db.all<{ user_id: string | null; company_id: number; report: string; frequency: string; filters: string }>(
  `SELECT pa.user_id, pa.company_id, s.report, s.frequency, s.filters
     FROM report_subscriptions s JOIN program_administrators pa ON pa.id = s.pa_id
    WHERE EXISTS (SELECT 1 FROM pa_permissions p WHERE p.pa_id = pa.id AND p.permission = 'reports.view') ORDER BY s.id`);
