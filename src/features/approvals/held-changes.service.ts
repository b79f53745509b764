// Changes held for a second administrator (maker-checker, issue 18): who sees one, the approvers'
// decisions and the maker's withdrawal. Approving submits the change as the card request it is,
// checked again at that moment; each step is audited (so journalled), and a decision is e-mailed to
// the maker. A held change is seen by its maker and by the company's approvers (cards.approve) whose
// scope covers the card; to anyone else it answers like one that does not exist.
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { formatCents } from '../../lib/money';
import { parseTrackingQuery } from '../../lib/tracking-number';
import { accountNoticeEmail } from '../accounts/emails';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { paRef, recordAudit } from '../audit/audit.service';
import { maskCardNumber } from '../cards/card-numbers';
import { findCompanyCard } from '../cards/cards.repository';
import { actionReviewLines, submitApprovedCardAction, type CardActionInput } from '../cards/cards.service';
import { accountInScope } from '../hierarchy/scope';
import { completeByHand, rejectByHand } from '../transactions/lifecycle';
import {
  addApproval, approvalsOf, decideHeldChange, findHeldChange, heldChangesMadeBy, waitingHeldChanges, type HeldChangeRow, type HeldChangeState,
} from './held-changes.repository';

/** The longest reason for a rejection, as for the help desk's. */
export const MAX_REJECTION_REASON_LENGTH = 500;

export const HELD_CHANGE_STATE_LABELS: Record<HeldChangeState, string> = {
  held: 'Waiting for approval',
  approved: 'Approved and submitted',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

const notFoundHere = () => notFound('We could not find that held change.');
const subjectOf = (row: HeldChangeRow) => `transaction:${row.tracking_number}`;
const approverIds = (row: HeldChangeRow) => (row.approver_ids?.split(',') ?? []).map(Number);
const isApprover = (user: SignedInAdministrator) => user.permissions.includes('cards.approve') && user.permissions.includes('cards.view');

function visibleTo(user: SignedInAdministrator, row: HeldChangeRow): boolean {
  return row.maker_pa_id === user.id || (isApprover(user) && accountInScope(user.scope, row.card_control_account_id));
}

/** May this PA approve or reject it now: an approver in scope, not its maker, not one who approved it already. */
function decidableBy(user: SignedInAdministrator, row: HeldChangeRow): boolean {
  return row.state === 'held' && row.maker_pa_id !== user.id && isApprover(user) && accountInScope(user.scope, row.card_control_account_id)
    && !approverIds(row).includes(user.id);
}

/** The held change by its tracking number in any spelling, if the PA may see it; otherwise the same 404 as none. */
function heldChangeFor(context: AppContext, user: SignedInAdministrator, typed: string): HeldChangeRow {
  const query = parseTrackingQuery(typed);
  const row = query.kind === 'full' ? findHeldChange(context.db, user.companyId, query.trackingNumber) : undefined;
  if (!row || !visibleTo(user, row)) throw notFoundHere();
  return row;
}

const iso = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

export interface HeldChangeListItem {
  trackingNumber: string;
  summary: string;
  makerName: string;
  state: HeldChangeState;
  stateLabel: string;
  heldAt: string;
}

function listItem(row: HeldChangeRow): HeldChangeListItem {
  return {
    trackingNumber: row.tracking_number, summary: row.plain_summary, makerName: row.maker_name, state: row.state,
    stateLabel: HELD_CHANGE_STATE_LABELS[row.state], heldAt: iso(row.held_at),
  };
}

/** What waits for this PA's decision, the longest waiting first. */
function waitingFor(context: AppContext, user: SignedInAdministrator): HeldChangeRow[] {
  if (!isApprover(user)) return [];
  return waitingHeldChanges(context.db, user.companyId, user.scope).filter((row) => decidableBy(user, row));
}

/** The approvals page: what waits for the PA's decision, and the changes of their own that were held. */
export function approvalsPage(context: AppContext, user: SignedInAdministrator): { waiting: HeldChangeListItem[]; mine: HeldChangeListItem[]; approver: boolean } {
  return {
    waiting: waitingFor(context, user).map(listItem),
    mine: heldChangesMadeBy(context.db, user.id).map(listItem),
    approver: isApprover(user),
  };
}

/** The homepage To-Do list's items for held changes (a source of ./todo.ts). */
export function heldChangesToDo(context: AppContext, user: SignedInAdministrator) {
  return waitingFor(context, user).map((row) => ({
    kind: 'held_change', trackingNumber: row.tracking_number, text: `${row.plain_summary}, from ${row.maker_name}`,
    href: `/approvals/${row.tracking_number}`, waitingSince: row.held_at,
  }));
}

/** One held change as its page shows it, with what this PA may do about it. */
export function heldChangePage(context: AppContext, user: SignedInAdministrator, typed: string) {
  const row = heldChangeFor(context, user, typed);
  const card = findCompanyCard(context.db, user.companyId, row.card_id)!;
  const input = JSON.parse(row.request) as CardActionInput;
  return {
    ...listItem(row),
    action: row.action,
    card: { id: card.id, masked: maskCardNumber(card.card_number), holder: card.cardmember_name, limit: formatCents(card.limit_cents) },
    lines: actionReviewLines(context, user, card, row.action, input),
    approversNeeded: row.approvers_needed,
    approvals: approvalsOf(context.db, row.id).map((approval) => ({ name: approval.approver_name, at: iso(approval.approved_at) })),
    decidedBy: row.decided_by_name, decidedAt: row.decided_at === null ? null : iso(row.decided_at), rejectionReason: row.rejection_reason,
    submittedTrackingNumber: row.submitted_tracking_number,
    mine: row.maker_pa_id === user.id,
    canDecide: decidableBy(user, row),
    canWithdraw: row.state === 'held' && row.maker_pa_id === user.id,
  };
}

function refuseDecided(row: HeldChangeRow): AppError {
  return new AppError(409, 'already_decided', `This change was ${HELD_CHANGE_STATE_LABELS[row.state].toLowerCase()} already.`);
}

function refuseOwn(row: HeldChangeRow, user: SignedInAdministrator, doing: string): void {
  if (row.maker_pa_id === user.id) {
    throw new AppError(403, 'own_request', `You cannot ${doing} a change you made yourself: another administrator who may approve changes decides it.`);
  }
}

export interface Approval {
  trackingNumber: string;
  /** The card request it became, once every approver it needs approved it. */
  submittedTrackingNumber: string | null;
  approvals: number;
  approversNeeded: number;
}

/** One approver approves; with the last approval it needs, the change is submitted as its maker's request. */
export function approveHeldChange(context: AppContext, user: SignedInAdministrator, typed: string, now: number): Approval {
  const { db } = context;
  return db.tx(() => {
    const row = heldChangeFor(context, user, typed);
    // Whoever else sees it is an approver whose scope covers the card.
    refuseOwn(row, user, 'approve');
    if (row.state !== 'held') throw refuseDecided(row);
    if (!addApproval(db, row.id, user.id, now)) throw new AppError(409, 'already_approved', 'You approved this change already: it waits for another approver.');
    const approvers = approvalsOf(db, row.id);
    let submitted: string | null = null;
    if (approvers.length >= row.approvers_needed) {
      const commit = submitApprovedCardAction(context, user, row.card_id, row.action, JSON.parse(row.request) as CardActionInput,
        { makerPaId: row.maker_pa_id, heldTransactionId: row.transaction_id, heldTrackingNumber: row.tracking_number }, now);
      if (commit.kind !== 'submitted') {
        const why = commit.kind === 'refused' ? commit.refusal : commit.kind === 'invalid' ? Object.values(commit.problems).join(' ') : 'It would be held again.';
        throw new AppError(409, 'action_not_allowed', `This change cannot be submitted now: ${why} Reject it, or ask ${row.maker_name} to withdraw it.`);
      }
      submitted = commit.submitted.trackingNumber;
      if (!decideHeldChange(db, row.id, { state: 'approved', byPaId: user.id, at: now, submittedTransactionId: commit.submitted.id })) throw refuseDecided(row);
      completeByHand(db, row.transaction_id, paRef(user.id),
        `Approved by ${approvers.map((a) => a.approver_name).join(' and ')}; submitted as ${submitted}.`, now);
      context.outbox.send(accountNoticeEmail({
        to: row.maker_email, firstName: row.maker_first_name, subject: 'Your held @Work change was approved', type: 'held_change_approved',
        paragraphs: [
          `${approvers.map((a) => a.approver_name).join(' and ')} approved your change (${row.plain_summary}), held as ${row.tracking_number}.`,
          `It is submitted now: its status tracking number is ${submitted}.`,
        ],
      }));
    }
    recordAudit(db, {
      at: now, actor: paRef(user.id), action: 'held_change.approved', subject: subjectOf(row), outcome: 'success',
      details: { trackingNumber: row.tracking_number, approvals: approvers.length, approversNeeded: row.approvers_needed, submittedTrackingNumber: submitted },
    });
    return { trackingNumber: row.tracking_number, submittedTrackingNumber: submitted, approvals: approvers.length, approversNeeded: row.approvers_needed };
  });
}

/** An approver rejects the change with a reason its maker reads: nothing is submitted. */
export function rejectHeldChange(context: AppContext, user: SignedInAdministrator, typed: string, reason: string, now: number): { trackingNumber: string } {
  const { db } = context;
  return db.tx(() => {
    const row = heldChangeFor(context, user, typed);
    refuseOwn(row, user, 'reject');
    if (row.state !== 'held') throw refuseDecided(row);
    if (!decideHeldChange(db, row.id, { state: 'rejected', byPaId: user.id, at: now, reason })) throw refuseDecided(row);
    rejectByHand(db, row.transaction_id, paRef(user.id), reason, now);
    recordAudit(db, { at: now, actor: paRef(user.id), action: 'held_change.rejected', subject: subjectOf(row), outcome: 'success',
      details: { trackingNumber: row.tracking_number } });
    context.outbox.send(accountNoticeEmail({
      to: row.maker_email, firstName: row.maker_first_name, subject: 'Your held @Work change was rejected', type: 'held_change_rejected',
      paragraphs: [
        `${user.firstName} ${user.lastName} rejected your change (${row.plain_summary}), held as ${row.tracking_number}. It was not submitted.`,
        `The reason given: ${reason}`,
      ],
    }));
    return { trackingNumber: row.tracking_number };
  });
}

/** The maker takes back a change still held: nothing is submitted. */
export function withdrawHeldChange(context: AppContext, user: SignedInAdministrator, typed: string, now: number): { trackingNumber: string } {
  const { db } = context;
  return db.tx(() => {
    const row = heldChangeFor(context, user, typed);
    if (row.maker_pa_id !== user.id) throw new AppError(403, 'not_your_request', 'Only the administrator who made a change can withdraw it.');
    if (row.state !== 'held') throw refuseDecided(row);
    if (!decideHeldChange(db, row.id, { state: 'withdrawn', byPaId: user.id, at: now })) throw refuseDecided(row);
    rejectByHand(db, row.transaction_id, paRef(user.id), `Withdrawn by ${row.maker_name}.`, now);
    recordAudit(db, { at: now, actor: paRef(user.id), action: 'held_change.withdrawn', subject: subjectOf(row), outcome: 'success',
      details: { trackingNumber: row.tracking_number } });
    return { trackingNumber: row.tracking_number };
  });
}
