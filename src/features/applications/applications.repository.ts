// SQL for card applications that wait for approval: the application rows, their approvals and steps.
import type { Database } from '../../db/database';
import type { Scope } from '../hierarchy/scope';
import { scopeTerm } from '../hierarchy/scope';

export type ApplicationState = 'invited' | 'awaiting_approval' | 'approved' | 'rejected' | 'cancelled' | 'expired';
export type ApplicationStep = 'invited' | 'applied' | 'submitted' | 'approved' | 'rerouted' | 'rejected' | 'cancelled' | 'expired' | 'issued';

export interface ApplicationRow {
  id: number;
  transaction_id: number;
  company_id: number;
  invited_by_pa_id: number;
  employee_name: string;
  employee_email: string | null;
  control_account_id: number | null;
  tier: string;
  limit_cents: number;
  state: ApplicationState;
  token_hash: string | null;
  invited_at: number;
  link_expires_at: number | null;
  submitted_at: number | null;
  job_title: string | null;
  phone: string | null;
  assignee_pa_id: number | null;
  decided_at: number | null;
  welcome_sent_at: number | null;
}

/** An application with what its pages show beside it: the tracking number, the transaction's status, names. */
export interface ApplicationListRow extends ApplicationRow {
  tracking_number: string;
  transaction_status: string;
  rejection_reason: string | null;
  card_id: number | null;
  invited_by_name: string;
  assignee_name: string | null;
  account_number: string | null;
  account_name: string | null;
  approvals: number;
}

export interface ApplicationStepRow {
  id: number;
  application_id: number;
  at: number;
  step: ApplicationStep;
  actor: string;
  note: string | null;
}

const LIST_COLUMNS = `a.*, t.tracking_number, t.status AS transaction_status, t.rejection_reason, t.card_id,
  inviter.first_name || ' ' || inviter.last_name AS invited_by_name,
  CASE WHEN assignee.id IS NULL THEN NULL ELSE assignee.first_name || ' ' || assignee.last_name END AS assignee_name,
  ca.number AS account_number, ca.name AS account_name,
  (SELECT count(*) FROM card_application_approvals ap WHERE ap.application_id = a.id) AS approvals`;
const LIST_FROM = `card_applications a JOIN transactions t ON t.id = a.transaction_id
  JOIN program_administrators inviter ON inviter.id = a.invited_by_pa_id
  LEFT JOIN program_administrators assignee ON assignee.id = a.assignee_pa_id
  LEFT JOIN control_accounts ca ON ca.id = a.control_account_id`;

export function insertApplication(db: Database, row: Omit<ApplicationRow, 'id' | 'assignee_pa_id' | 'decided_at' | 'welcome_sent_at'>): number {
  return db.run(
    `INSERT INTO card_applications (transaction_id, company_id, invited_by_pa_id, employee_name, employee_email, control_account_id, tier,
       limit_cents, state, token_hash, invited_at, link_expires_at, submitted_at, job_title, phone)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.transaction_id, row.company_id, row.invited_by_pa_id, row.employee_name, row.employee_email, row.control_account_id, row.tier,
    row.limit_cents, row.state, row.token_hash, row.invited_at, row.link_expires_at, row.submitted_at, row.job_title, row.phone).lastId;
}

export function applicationStateOf(db: Database, trackingNumber: string): ApplicationState | undefined {
  return db.get<{ state: ApplicationState }>(
    'SELECT a.state FROM card_applications a JOIN transactions t ON t.id = a.transaction_id WHERE t.tracking_number = ?', trackingNumber)?.state;
}

export function insertStep(db: Database, step: Omit<ApplicationStepRow, 'id'>): void {
  db.run('INSERT INTO card_application_steps (application_id, at, step, actor, note) VALUES (?, ?, ?, ?, ?)',
    step.application_id, step.at, step.step, step.actor, step.note);
}

export function stepsOf(db: Database, applicationId: number): ApplicationStepRow[] {
  return db.all<ApplicationStepRow>('SELECT * FROM card_application_steps WHERE application_id = ? ORDER BY id', applicationId);
}

/** The invitation a link's token is for, while it is unused and unexpired. */
export function findUsableInvitation(db: Database, tokenHash: string, now: number): (ApplicationRow & { tracking_number: string }) | undefined {
  return db.get<ApplicationRow & { tracking_number: string }>(
    `SELECT a.*, t.tracking_number FROM card_applications a JOIN transactions t ON t.id = a.transaction_id
      WHERE a.token_hash = ? AND a.state = 'invited' AND a.link_expires_at > ?`, tokenHash, now);
}

/** Uses the link up: the employee's answers are in, and the application waits for an approver. False if it was used or expired first. */
export function completeInvitation(db: Database, id: number, answers: { jobTitle: string; phone: string | null }, now: number): boolean {
  return db.run(
    `UPDATE card_applications SET state = 'awaiting_approval', submitted_at = ?, job_title = ?, phone = ?, token_hash = NULL
      WHERE id = ? AND state = 'invited' AND link_expires_at > ?`,
    now, answers.jobTitle, answers.phone, id, now).changes === 1;
}

export function findCompanyApplication(db: Database, companyId: number, trackingNumber: string, scope: Scope): ApplicationListRow | undefined {
  const term = scopeTerm(scope, 'a.control_account_id');
  return db.get<ApplicationListRow>(
    `SELECT ${LIST_COLUMNS} FROM ${LIST_FROM} WHERE a.company_id = ? AND t.tracking_number = ?${term ? ` AND ${term.sql}` : ''}`,
    companyId, trackingNumber, ...(term?.params ?? []));
}

/** The company's applications in the scope, newest first. */
export function listCompanyApplications(db: Database, companyId: number, scope: Scope, limit: number): ApplicationListRow[] {
  const term = scopeTerm(scope, 'a.control_account_id');
  return db.all<ApplicationListRow>(
    `SELECT ${LIST_COLUMNS} FROM ${LIST_FROM} WHERE a.company_id = ?${term ? ` AND ${term.sql}` : ''} ORDER BY a.id DESC LIMIT ?`,
    companyId, ...(term?.params ?? []), limit);
}

/** What waits for this approver: awaiting approval, in scope, not their own, not approved by them, and assigned to them or to nobody. */
export function applicationsAwaiting(db: Database, companyId: number, approverPaId: number, scope: Scope): ApplicationListRow[] {
  const term = scopeTerm(scope, 'a.control_account_id');
  return db.all<ApplicationListRow>(
    `SELECT ${LIST_COLUMNS} FROM ${LIST_FROM}
      WHERE a.company_id = ? AND a.state = 'awaiting_approval' AND a.invited_by_pa_id <> ?
        AND (a.assignee_pa_id IS NULL OR a.assignee_pa_id = ?)
        AND NOT EXISTS (SELECT 1 FROM card_application_approvals ap WHERE ap.application_id = a.id AND ap.pa_id = ?)
        ${term ? `AND ${term.sql}` : ''}
      ORDER BY a.submitted_at, a.id`,
    companyId, approverPaId, approverPaId, approverPaId, ...(term?.params ?? []));
}

/** One approval by this PA; false if they had approved it already. */
export function insertApproval(db: Database, applicationId: number, paId: number, at: number): boolean {
  return db.run('INSERT OR IGNORE INTO card_application_approvals (application_id, pa_id, at) VALUES (?, ?, ?)', applicationId, paId, at).changes === 1;
}

export function approverIdsOf(db: Database, applicationId: number): number[] {
  return db.all<{ pa_id: number }>('SELECT pa_id FROM card_application_approvals WHERE application_id = ? ORDER BY pa_id', applicationId).map((row) => row.pa_id);
}

export function approvalCount(db: Database, applicationId: number): number {
  return db.get<{ n: number }>('SELECT count(*) AS n FROM card_application_approvals WHERE application_id = ?', applicationId)!.n;
}

/** Moves an application from one of `from` to `to`; false if something else moved it first. */
export function setApplicationState(db: Database, id: number, from: readonly ApplicationState[], to: ApplicationState, at: number): boolean {
  return db.run(
    `UPDATE card_applications SET state = ?, decided_at = ?, token_hash = CASE WHEN ? = 'invited' THEN token_hash ELSE NULL END
      WHERE id = ? AND state IN (SELECT value FROM json_each(?))`,
    to, at, to, id, JSON.stringify(from)).changes === 1;
}

export function assignApplication(db: Database, id: number, assigneePaId: number): boolean {
  return db.run("UPDATE card_applications SET assignee_pa_id = ? WHERE id = ? AND state = 'awaiting_approval'", assigneePaId, id).changes === 1;
}

export function clearAssignee(db: Database, id: number): void {
  db.run('UPDATE card_applications SET assignee_pa_id = NULL WHERE id = ?', id);
}

export interface ApproverRow {
  id: number;
  user_id: string;
  name: string;
}

/** The company's active PAs holding cards.approve, but one. */
export function approversOf(db: Database, companyId: number, exceptPaId: number): ApproverRow[] {
  return db.all<ApproverRow>(
    `SELECT pa.id, pa.user_id, pa.first_name || ' ' || pa.last_name AS name FROM program_administrators pa
      JOIN pa_permissions p ON p.pa_id = pa.id AND p.permission = 'cards.approve'
      WHERE pa.company_id = ? AND pa.state = 'active' AND pa.user_id IS NOT NULL AND pa.id <> ? ORDER BY pa.last_name, pa.first_name, pa.id`,
    companyId, exceptPaId);
}

/** Approved applications whose card was issued, and whose welcome e-mail has not gone yet. */
export function issuedWithoutWelcome(db: Database): Array<ApplicationRow & { card_number: string; tracking_number: string }> {
  return db.all(
    `SELECT a.*, c.card_number, t.tracking_number FROM card_applications a JOIN transactions t ON t.id = a.transaction_id JOIN cards c ON c.id = t.card_id
      WHERE a.state = 'approved' AND a.welcome_sent_at IS NULL AND t.status = 'completed'`);
}

export function markWelcomeSent(db: Database, id: number, at: number): boolean {
  return db.run('UPDATE card_applications SET welcome_sent_at = ? WHERE id = ? AND welcome_sent_at IS NULL', at, id).changes === 1;
}

/** Invitations whose link expired unused. */
export function expiredInvitations(db: Database, now: number): Array<ApplicationRow & { tracking_number: string }> {
  return db.all(
    `SELECT a.*, t.tracking_number FROM card_applications a JOIN transactions t ON t.id = a.transaction_id
      WHERE a.state = 'invited' AND a.link_expires_at <= ?`, now);
}
