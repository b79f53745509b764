// Card applications that wait for approval (issue 18): a PA invites an employee, the employee
// completes the application behind a single-use link, and it waits on the approvers' To-Do list.
// One card_application transaction carries it from the invitation (its tracking number is given
// then), waiting with no due time until the last approval releases it to the back office.
import crypto from 'node:crypto';
import type { AppContext } from '../../context';
import { forbidden, notFound, type FieldErrors } from '../../lib/errors';
import { formatCents } from '../../lib/money';
import { companyName, findAdministratorById } from '../accounts/accounts.repository';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { approvalRulesOf, approversNeeded } from '../approvals/approval-rules';
import { paRef, recordAudit } from '../audit/audit.service';
import type { CardTier } from '../cards/card-catalogue';
import { companyMaxLimit } from '../cards/cards.repository';
import { applicationSummary } from '../cards/transaction-summaries';
import { controlAccountsOf, type ControlAccountRow } from '../hierarchy/hierarchy.repository';
import { accountInScope } from '../hierarchy/scope';
import { STORED_LINK_ORIGIN } from '../outbox/outbox.service';
import { releaseForProcessing, submitTransaction } from '../transactions/lifecycle';
import { applicationInvitationEmail } from './application-emails';
import {
  applicationsAwaiting, completeInvitation, findCompanyApplication, findUsableInvitation, insertApplication, insertStep, listCompanyApplications,
  setApplicationState, stepsOf, type ApplicationListRow, type ApplicationStepRow,
} from './applications.repository';

/** An invitation's link works this long on the simulated clock: two weeks is time enough to find a card's paperwork. */
export const INVITATION_TTL_MS = 14 * 24 * 60 * 60_000;
/** Track Applications lists this many, newest first. */
const LIST_LIMIT = 100;

const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export interface InvitationInput {
  employeeName: string;
  employeeEmail: string;
  controlAccount: string;
  tier: CardTier;
  limitCents: number | undefined;
}

/** The control accounts a PA may invite into: those of their scope. */
export function invitationAccounts(context: AppContext, user: SignedInAdministrator): ControlAccountRow[] {
  return controlAccountsOf(context.db, user.companyId).filter((account) => accountInScope(user.scope, account.id));
}

/** What is wrong with an invitation's account and limit; an account outside the PA's scope reads like one that does not exist. */
export function invitationProblems(context: AppContext, user: SignedInAdministrator, controlAccount: string, limitCents: number | undefined): FieldErrors {
  const errors: FieldErrors = {};
  if (!invitationAccounts(context, user).some((a) => a.number.toLowerCase() === controlAccount.toLowerCase())) errors.controlAccount = 'Choose a control account from the list.';
  const max = companyMaxLimit(context.db, user.companyId);
  if (limitCents === undefined || limitCents <= 0) errors.requestedLimit = 'Enter the limit in dollars, for example 5000.';
  else if (limitCents > max) errors.requestedLimit = `The limit cannot be above the program maximum of ${formatCents(max)}.`;
  return errors;
}

export type InvitationResult = { ok: true; trackingNumber: string } | { ok: false; errors: FieldErrors };

/** Sends the employee a single-use link to the application form, and records the application as invited. */
export function inviteEmployee(context: AppContext, user: SignedInAdministrator, input: InvitationInput, now: number,
  meta: { sourceIp: string | null; actor?: string; token?: string }): InvitationResult {
  const { db, outbox } = context;
  const errors = invitationProblems(context, user, input.controlAccount, input.limitCents);
  const account = invitationAccounts(context, user).find((a) => a.number.toLowerCase() === input.controlAccount.toLowerCase());
  if (!account || input.limitCents === undefined || Object.keys(errors).length > 0) return { ok: false, errors };

  // A scenario may name the link's token, so that QA knows it before the e-mail is read.
  const token = meta.token ?? crypto.randomBytes(32).toString('base64url');
  const expiresAt = now + INVITATION_TTL_MS;
  const limitCents = input.limitCents;
  const trackingNumber = db.tx(() => {
    const submitted = submitTransaction(context, {
      companyId: user.companyId, type: 'card_application', submittedBy: paRef(user.id), submittedByPaId: user.id, controlAccountId: account.id,
      summary: applicationSummary({ tier: input.tier, cardmemberName: input.employeeName, limitCents }),
      details: { cardmemberName: input.employeeName, tier: input.tier, limitCents, invited: true }, awaitingApproval: true,
    }, now);
    const applicationId = insertApplication(db, {
      transaction_id: submitted.id, company_id: user.companyId, invited_by_pa_id: user.id, employee_name: input.employeeName,
      employee_email: input.employeeEmail, control_account_id: account.id, tier: input.tier, limit_cents: limitCents, state: 'invited',
      token_hash: hashToken(token), invited_at: now, link_expires_at: expiresAt, submitted_at: null, job_title: null, phone: null,
    });
    insertStep(db, { application_id: applicationId, at: now, step: 'invited', actor: paRef(user.id), note: `Invitation e-mailed to ${input.employeeEmail}.` });
    outbox.send(applicationInvitationEmail({
      to: input.employeeEmail, employeeName: input.employeeName, companyName: user.companyName, invitedBy: `${user.firstName} ${user.lastName}`,
      applyUrl: `${STORED_LINK_ORIGIN}/apply/${token}`, expiresAt, trackingNumber: submitted.trackingNumber,
    }));
    recordAudit(db, { at: now, actor: meta.actor ?? paRef(user.id), action: 'application.invited', subject: `application:${submitted.trackingNumber}`, outcome: 'success',
      sourceIp: meta.sourceIp, details: { trackingNumber: submitted.trackingNumber, controlAccount: account.number, limitCents } });
    return submitted.trackingNumber;
  });
  return { ok: true, trackingNumber };
}

/** What the public form shows of an invitation, while its link is good; nothing otherwise (unknown, used and expired alike). */
export function invitationBehind(context: AppContext, token: string):
  { employeeName: string; companyName: string; tier: string; limit: string } | undefined {
  const invitation = findUsableInvitation(context.db, hashToken(token), context.clock.nowMs());
  if (!invitation) return undefined;
  return { employeeName: invitation.employee_name, companyName: companyName(context.db, invitation.company_id), tier: invitation.tier,
    limit: formatCents(invitation.limit_cents) };
}

export interface EmployeeAnswers {
  jobTitle: string;
  phone: string | null;
}

/**
 * The employee's completed application: the link is used up and the application waits for an
 * approver (or, in a company whose rules ask for none, goes to the back office at once). False when
 * the link was no longer usable.
 */
export function completeApplication(context: AppContext, token: string, answers: EmployeeAnswers, sourceIp: string | null): boolean {
  const { db, clock } = context;
  const now = clock.nowMs();
  return db.tx(() => {
    const invitation = findUsableInvitation(db, hashToken(token), now);
    if (!invitation || !completeInvitation(db, invitation.id, answers, now)) return false;
    const trackingNumber = invitation.tracking_number;
    insertStep(db, { application_id: invitation.id, at: now, step: 'applied', actor: 'employee', note: `Completed by ${invitation.employee_name}.` });
    recordAudit(db, { at: now, actor: 'employee', action: 'application.submitted', subject: `application:${trackingNumber}`, outcome: 'success', sourceIp,
      details: { trackingNumber } });
    if (!approvalRulesOf(db, invitation.company_id).applications) {
      setApplicationState(db, invitation.id, ['awaiting_approval'], 'approved', now);
      releaseForProcessing(db, invitation.transaction_id, 'system', 'No approval needed under the company\'s rules.', now);
    }
    return true;
  });
}

/**
 * A PA's own application at /cards/apply when the company's rules ask for approval: recorded like an
 * invited one the employee completed, waiting for an approver other than the PA. Call inside the db.tx
 * that submitted its transaction.
 */
export function recordDirectApplication(context: AppContext, user: SignedInAdministrator, transaction: { id: number },
  application: { cardmemberName: string; tier: CardTier; limitCents: number }, controlAccountId: number | null, now: number): void {
  const applicationId = insertApplication(context.db, {
    transaction_id: transaction.id, company_id: user.companyId, invited_by_pa_id: user.id, employee_name: application.cardmemberName,
    employee_email: null, control_account_id: controlAccountId, tier: application.tier, limit_cents: application.limitCents, state: 'awaiting_approval',
    token_hash: null, invited_at: now, link_expires_at: null, submitted_at: now, job_title: null, phone: null,
  });
  insertStep(context.db, { application_id: applicationId, at: now, step: 'submitted', actor: paRef(user.id), note: 'Applied directly at /cards/apply.' });
}

/** Whether a company's direct applications wait for an approver. */
export function directApplicationsNeedApproval(context: AppContext, companyId: number): boolean {
  return approvalRulesOf(context.db, companyId).applications;
}

// ---- Track Applications --------------------------------------------------------------------------

export interface ApplicationView extends ApplicationListRow {
  steps: Array<ApplicationStepRow & { actorName: string }>;
  approvalsNeeded: number;
  limit: string;
}

/** How a step's actor reads on the page: a PA by name, else "Employee" or "System". */
function actorName(context: AppContext, actor: string, names: Map<string, string>): string {
  if (names.has(actor)) return names.get(actor)!;
  const paId = /^pa:(\d+)$/.exec(actor)?.[1];
  const pa = paId ? findAdministratorById(context.db, Number(paId)) : undefined;
  const name = pa ? `${pa.first_name} ${pa.last_name}` : actor === 'employee' ? 'Employee' : 'System';
  names.set(actor, name);
  return name;
}

function viewOf(context: AppContext, row: ApplicationListRow, names: Map<string, string>): ApplicationView {
  const rules = approvalRulesOf(context.db, row.company_id);
  return {
    ...row,
    steps: stepsOf(context.db, row.id).map((step) => ({ ...step, actorName: actorName(context, step.actor, names) })),
    approvalsNeeded: approversNeeded(rules, row.limit_cents),
    limit: formatCents(row.limit_cents),
  };
}

function mayTrack(user: SignedInAdministrator): boolean {
  return user.permissions.includes('cards.apply') || user.permissions.includes('cards.approve');
}

/** Track Applications: the company's applications in the PA's scope, each with its steps. */
export function trackApplications(context: AppContext, user: SignedInAdministrator): ApplicationView[] {
  if (!mayTrack(user)) throw forbidden('Your User ID does not have permission for this. Your primary Program Administrator can request it from the Help Desk.');
  const names = new Map<string, string>();
  return listCompanyApplications(context.db, user.companyId, user.scope, LIST_LIMIT).map((row) => viewOf(context, row, names));
}

/** One application of the company in the PA's scope; anything else is the same 404. */
export function applicationFor(context: AppContext, user: SignedInAdministrator, trackingNumber: string): ApplicationView {
  if (!mayTrack(user)) throw forbidden('Your User ID does not have permission for this. Your primary Program Administrator can request it from the Help Desk.');
  const row = /^AW\d{10}$/.test(trackingNumber) ? findCompanyApplication(context.db, user.companyId, trackingNumber, user.scope) : undefined;
  if (!row) throw notFound('We could not find that application.');
  return viewOf(context, row, new Map());
}

/** An item of the homepage's To-Do list (the shape approvals/todo.ts lists; not imported, so the list can import this). */
export interface ApplicationToDo {
  kind: 'application';
  trackingNumber: string;
  text: string;
  href: string;
  waitingSince: number;
}

/** The homepage's To-Do items of card applications: what waits for this approver's decision. */
export function applicationToDoItems(context: AppContext, user: SignedInAdministrator): ApplicationToDo[] {
  return applicationsAwaiting(context.db, user.companyId, user.id, user.scope).map((row) => ({
    kind: 'application',
    trackingNumber: row.tracking_number,
    text: `Card application for ${row.employee_name} (${row.tier}, ${formatCents(row.limit_cents)})${row.assignee_pa_id === user.id ? ', rerouted to you' : ''}`,
    href: `/applications/${row.tracking_number}`,
    waitingSince: row.submitted_at ?? row.invited_at,
  }));
}
