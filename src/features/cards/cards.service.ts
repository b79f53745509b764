// Card management: what a program administrator may see and request for their company's cards.
// Each request is reviewed, then committed, by its rules here (see request-decision.ts) and becomes
// a transaction; the card itself changes when the transaction completes.
import type { AppContext } from '../../context';
import { approversToWaitFor, holdChange } from '../approvals/maker-checker';
import { notFound, type FieldErrors } from '../../lib/errors';
import { formatCents } from '../../lib/money';
import { controlAccountsOf, findControlAccount, firstTopLevelAccount, scopeRootsOf } from '../hierarchy/hierarchy.repository';
import { accountInScope, isScoped } from '../hierarchy/scope';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { directApplicationsNeedApproval, recordDirectApplication } from '../applications/applications.service';
import type { Permission } from '../permissions/permissions';
import { submitTransaction } from '../transactions/lifecycle';
import { openTransactionsForCard, type OpenRequestRow } from '../transactions/transactions.repository';
import type { TransactionType } from '../transactions/transaction-types';
import { CARD_STATE_LABELS, SERVICE_LINES, type CardState, type CardTier } from './card-catalogue';
import { maskCardNumber } from './card-numbers';
import {
  CANCEL_REASONS, DELIVERY_SPEEDS, DISPUTE_REASONS, LIMIT_KINDS, REPLACE_REASONS, SUSPEND_REASONS, optionLabel, type Options,
} from './card-options';
import {
  commitRequest, heldAs, reviewRequest, submittedAs, type RequestCommit, type RequestInput, type RequestReview, type RequestRules, type ReviewLine,
} from './request-decision';
import { applicationSummary, cardActionSummary, disputeSummary } from './transaction-summaries';
import {
  companyMaxLimit, findCardCharge, findCompanyCard, latestChargesOf, listCards, setDisputeStatus, type CardListFilter, type CardRow,
  type ChargeRow,
} from './cards.repository';

export const CARDS_PAGE_SIZE = 25;
/** The longest a temporary limit may run. */
export const MAX_TEMPORARY_LIMIT_DAYS = 90;
const DAY_MS = 86_400_000;

/** Requests that change a card's state: only one of them may be open for a card at a time. */
const STATE_REQUESTS: readonly TransactionType[] = ['card_cancel', 'card_replace', 'card_suspend', 'card_reinstate'];

export function cardPage(context: AppContext, filter: Omit<CardListFilter, 'limit'>) {
  const rows = listCards(context.db, { ...filter, limit: CARDS_PAGE_SIZE + 1 });
  const cards = rows.slice(0, CARDS_PAGE_SIZE);
  const last = cards.at(-1);
  return {
    cards,
    next: rows.length > CARDS_PAGE_SIZE && last ? { name: last.cardmember_name, id: last.id } : undefined,
  };
}

/** The card if it belongs to the PA's company and part of the hierarchy; otherwise the same 404 as a card that does not exist. */
export function companyCard(context: AppContext, user: SignedInAdministrator, cardId: number): CardRow {
  const card = Number.isSafeInteger(cardId) ? findCompanyCard(context.db, user.companyId, cardId) : undefined;
  if (!card || !accountInScope(user.scope, card.control_account_id)) throw notFound('We could not find that card.');
  return card;
}

/** How many posted, and how many declined, charges a card's page lists. */
const CHARGES_LISTED = 10;

function listedCharges(context: AppContext, cardId: number) {
  const { posted, declined } = latestChargesOf(context.db, cardId, CHARGES_LISTED);
  return { recentCharges: posted, declinedCharges: declined };
}

export function cardDetails(context: AppContext, user: SignedInAdministrator, cardId: number, now: number) {
  const card = companyCard(context, user, cardId);
  return {
    card,
    masked: maskCardNumber(card.card_number),
    controlAccount: card.control_account_id === null ? undefined : findControlAccount(context.db, user.companyId, card.control_account_id),
    stateLabel: CARD_STATE_LABELS[card.state],
    serviceLine: SERVICE_LINES[card.tier],
    effectiveLimitCents: card.temp_limit_cents !== null && card.temp_limit_ends_at !== null && card.temp_limit_ends_at > now
      ? card.temp_limit_cents : card.limit_cents,
    ...listedCharges(context, card.id),
    openRequests: openTransactionsForCard(context.db, card.id),
  };
}

export function companyCharge(context: AppContext, user: SignedInAdministrator, cardId: number, chargeId: number): { card: CardRow; charge: ChargeRow } {
  const card = companyCard(context, user, cardId);
  const charge = Number.isSafeInteger(chargeId) ? findCardCharge(context.db, card.id, chargeId) : undefined;
  if (!charge) throw notFound('We could not find that charge.');
  return { card, charge };
}

// ---- Requests on one card ----------------------------------------------------------------------

export type CardActionName = 'cancel' | 'replace' | 'suspend' | 'reinstate' | 'limit' | 'move';

export interface CardActionRule {
  permission: Permission;
  type: TransactionType;
  /** Card states the action makes sense in. */
  allowedStates: readonly CardState[];
  /** What to say when the card is in any other state. */
  refusal: (card: CardRow) => string;
}

export const CARD_ACTIONS: Record<CardActionName, CardActionRule> = {
  cancel: {
    permission: 'cards.cancel', type: 'card_cancel', allowedStates: ['active', 'suspended'],
    refusal: (card) => `This card is ${CARD_STATE_LABELS[card.state].toLowerCase()} and cannot be cancelled.`,
  },
  replace: {
    permission: 'cards.replace', type: 'card_replace', allowedStates: ['active', 'suspended'],
    refusal: (card) => card.state === 'cancelled'
      ? 'A cancelled card cannot be replaced. Apply for a new card instead.'
      : 'This card has already been reported lost or stolen and a replacement ordered.',
  },
  suspend: {
    permission: 'cards.cancel', type: 'card_suspend', allowedStates: ['active'],
    refusal: (card) => `Only an active card can be suspended; this card is ${CARD_STATE_LABELS[card.state].toLowerCase()}.`,
  },
  reinstate: {
    permission: 'cards.cancel', type: 'card_reinstate', allowedStates: ['suspended'],
    refusal: (card) => `Only a suspended card can be reinstated; this card is ${CARD_STATE_LABELS[card.state].toLowerCase()}.`,
  },
  limit: {
    permission: 'cards.limits', type: 'limit_change', allowedStates: ['active', 'suspended'],
    refusal: (card) => `The limit of a ${CARD_STATE_LABELS[card.state].toLowerCase()} card cannot be changed.`,
  },
  // Placing a card in the hierarchy is what an application does, so moving it takes the same right.
  move: {
    permission: 'cards.apply', type: 'card_move', allowedStates: ['active', 'suspended'],
    refusal: (card) => `A ${CARD_STATE_LABELS[card.state].toLowerCase()} card cannot be moved.`,
  },
};

/** The options of each request's choices, for its form and its review. */
export const ACTION_OPTIONS: Record<CardActionName, Record<string, Options>> = {
  cancel: { reason: CANCEL_REASONS },
  suspend: { reason: SUSPEND_REASONS },
  reinstate: {},
  replace: { reason: REPLACE_REASONS, delivery: DELIVERY_SPEEDS },
  limit: { limitType: LIMIT_KINDS },
  move: {},
};

/** Where a card can be moved: the accounts of the PA's scope (a move needs both ends in it), but its own. */
export function moveTargets(context: AppContext, user: SignedInAdministrator, card: CardRow): Options {
  return controlAccountsOf(context.db, user.companyId)
    .filter((account) => account.id !== card.control_account_id && accountInScope(user.scope, account.id))
    .map((account) => [account.number, accountLabel(account)] as const);
}

const accountLabel = (account: { name: string; number: string }) => `${account.name} (${account.number})`;

/** The kind of request an open one is; a change held for approval counts as the request it would be. */
const requestTypeOf = (open: OpenRequestRow): TransactionType | undefined =>
  (open.type === 'held_change' ? CARD_ACTIONS[open.action as CardActionName]?.type : open.type);

/** Why `action` cannot be requested for the card, given the card's open requests; undefined when it can. */
export function actionRefusal(card: CardRow, action: CardActionName, open: readonly OpenRequestRow[]): string | undefined {
  const rule = CARD_ACTIONS[action];
  if (!rule.allowedStates.includes(card.state)) return rule.refusal(card);
  const blocks = (type: TransactionType | undefined) => type !== undefined && (STATE_REQUESTS.includes(rule.type) ? STATE_REQUESTS.includes(type) : type === rule.type);
  const blocking = open.find((t) => blocks(requestTypeOf(t)));
  if (blocking?.type === 'held_change') return `Request ${blocking.tracking_number} for this card is waiting for a second administrator's approval.`;
  if (blocking) return `Request ${blocking.tracking_number} for this card is still being processed.`;
  return undefined;
}

/** actionRefusal, reading the card's open requests now (but the held change being submitted, if any). */
export function currentActionRefusal(context: AppContext, card: CardRow, action: CardActionName, ignoring?: number): string | undefined {
  return actionRefusal(card, action, openTransactionsForCard(context.db, card.id).filter((t) => t.id !== ignoring));
}

export interface CardActionInput {
  reason?: string;
  delivery?: 'standard' | 'rush';
  limitType?: 'permanent' | 'temporary';
  newLimitCents?: number;
  /** For a temporary limit: the last day it applies, as YYYY-MM-DD. */
  endDate?: string;
  /** For a move: the number of the control account it goes to. */
  controlAccount?: string;
}

/** Checks the input against the card and the program; field messages for the form, or none. */
function actionInputProblems(context: AppContext, user: SignedInAdministrator, card: CardRow, action: CardActionName, input: CardActionInput, now: number): FieldErrors {
  if (action === 'move') {
    return moveTargets(context, user, card).some(([number]) => number === input.controlAccount) ? {} : { controlAccount: 'Choose a control account from the list.' };
  }
  if (action !== 'limit') return {};
  const problems: FieldErrors = {};
  const max = companyMaxLimit(context.db, user.companyId);
  if (input.newLimitCents === undefined || input.newLimitCents <= 0) problems.newLimit = 'Enter the new limit in dollars, for example 7500.';
  else if (input.newLimitCents > max) problems.newLimit = `The limit cannot be above the program maximum of ${formatCents(max)}.`;
  else if (input.limitType === 'permanent' && input.newLimitCents === card.limit_cents) problems.newLimit = 'That is already the card\'s limit.';
  if (input.limitType === 'temporary') {
    const ends = input.endDate ? Date.parse(`${input.endDate}T23:59:59.999Z`) : NaN;
    if (Number.isNaN(ends)) problems.endDate = 'Enter the last day of the temporary limit.';
    else if (ends <= now) problems.endDate = 'The end date must be in the future.';
    else if (ends > now + MAX_TEMPORARY_LIMIT_DAYS * DAY_MS) problems.endDate = `A temporary limit can last at most ${MAX_TEMPORARY_LIMIT_DAYS} days.`;
  }
  return problems;
}

export function actionReviewLines(context: AppContext, user: SignedInAdministrator, card: CardRow, action: CardActionName, input: CardActionInput): ReviewLine[] {
  const options = ACTION_OPTIONS[action];
  const lines: ReviewLine[] = [];
  if (action === 'move') lines.push(['Move to', optionLabel(moveTargets(context, user, card), input.controlAccount ?? ''), 'controlAccount']);
  if (input.reason) lines.push([action === 'replace' ? 'What happened' : 'Reason', optionLabel(options.reason ?? [], input.reason), 'reason']);
  if (input.delivery) lines.push(['Delivery', optionLabel(DELIVERY_SPEEDS, input.delivery), 'delivery']);
  if (action === 'limit') {
    lines.push(['Kind of change', optionLabel(LIMIT_KINDS, input.limitType ?? 'permanent'), 'limitType']);
    lines.push(['New limit', formatCents(input.newLimitCents ?? 0), 'newLimit']);
    if (input.endDate) lines.push(['Last day', input.endDate, 'endDate']);
  }
  return lines;
}

/** A held change being submitted once approved: whose request it is, and its own transaction. */
export interface ApprovedChange {
  makerPaId: number;
  heldTransactionId: number;
  heldTrackingNumber: string;
}

function cardActionRules(
  context: AppContext, user: SignedInAdministrator, cardId: number, action: CardActionName, input: RequestInput<CardActionInput>, now: number,
  approved?: ApprovedChange,
): RequestRules<{ card: CardRow; input: CardActionInput }> {
  return {
    check() {
      const card = companyCard(context, user, cardId);
      const refusal = currentActionRefusal(context, card, action, approved?.heldTransactionId);
      if (refusal) return { kind: 'refused', refusal };
      if (!input.ok) return { kind: 'invalid', problems: input.errors };
      const problems = actionInputProblems(context, user, card, action, input.data, now);
      if (Object.keys(problems).length > 0) return { kind: 'invalid', problems };
      return { kind: 'passed', checked: { card, input: input.data } };
    },
    reviewLines: (checked) => actionReviewLines(context, user, checked.card, action, checked.input),
    submit({ card, input: checkedInput }) {
      const details: Record<string, unknown> = { action, ...checkedInput };
      const target = action === 'move' ? controlAccountsOf(context.db, user.companyId).find((a) => a.number === checkedInput.controlAccount) : undefined;
      if (target) {
        details.controlAccountId = target.id;
        details.fromControlAccountId = card.control_account_id;
      }
      if (checkedInput.limitType === 'temporary' && checkedInput.endDate) details.endsAt = Date.parse(`${checkedInput.endDate}T23:59:59.999Z`);
      const summary = cardActionSummary(action, card, { ...checkedInput, controlAccountLabel: target && accountLabel(target) });
      // Maker-checker: under the company's rules it waits for a second administrator instead (an approved one goes through).
      const approversNeeded = approved ? 0 : approversToWaitFor(context.db, user.companyId, user, { action, ...checkedInput });
      if (approversNeeded > 0) {
        return heldAs(holdChange(context, {
          // Only limit changes and cancellations are ever held.
          companyId: user.companyId, makerPaId: user.id, cardId: card.id, action: action as 'limit' | 'cancel', request: { ...checkedInput }, summary,
          approversNeeded: approversNeeded as 1 | 2,
        }, now));
      }
      if (approved) details.heldChange = approved.heldTrackingNumber;
      const makerPaId = approved?.makerPaId ?? user.id;
      return submittedAs(submitTransaction(context, {
        companyId: user.companyId, type: CARD_ACTIONS[action].type, submittedBy: `pa:${makerPaId}`, submittedByPaId: makerPaId,
        cardId: card.id, summary, details,
      }, now));
    },
  };
}

export function reviewCardAction(
  context: AppContext, user: SignedInAdministrator, cardId: number, action: CardActionName, input: RequestInput<CardActionInput>, now: number,
): RequestReview {
  return reviewRequest(cardActionRules(context, user, cardId, action, input, now));
}

export function commitCardAction(
  context: AppContext, user: SignedInAdministrator, cardId: number, action: CardActionName, input: RequestInput<CardActionInput>, now: number,
): RequestCommit {
  return commitRequest(context, cardActionRules(context, user, cardId, action, input, now));
}

/**
 * Submits a held change once approved, as its maker's request: checked again now like any request
 * (the card may have changed meanwhile), through the approver's view of the card, and never held again.
 */
export function submitApprovedCardAction(
  context: AppContext, approver: SignedInAdministrator, cardId: number, action: CardActionName, input: CardActionInput, approved: ApprovedChange, now: number,
): RequestCommit {
  return commitRequest(context, cardActionRules(context, approver, cardId, action, { ok: true, data: input }, now, approved));
}

// ---- New cards ---------------------------------------------------------------------------------

export interface CardApplication {
  cardmemberName: string;
  tier: CardTier;
  limitCents: number;
}

/** An application as the form gave it: the limit is missing when the form's text was no amount. */
export type ApplicationInput = Omit<CardApplication, 'limitCents'> & { limitCents: number | undefined };

function applicationProblems(context: AppContext, user: SignedInAdministrator, limitCents: number | undefined): FieldErrors {
  const problems: FieldErrors = {};
  const max = companyMaxLimit(context.db, user.companyId);
  if (limitCents === undefined || limitCents <= 0) problems.requestedLimit = 'Enter the limit in dollars, for example 5000.';
  else if (limitCents > max) problems.requestedLimit = `The limit cannot be above the program maximum of ${formatCents(max)}.`;
  return problems;
}

/** Where a new card opens: the first account of a scoped PA's part of the hierarchy, else the company's first top-level account. */
function applicationAccount(context: AppContext, user: SignedInAdministrator): number | null {
  return (isScoped(user.scope) ? scopeRootsOf(context.db, user.id)[0] : firstTopLevelAccount(context.db, user.companyId))?.id ?? null;
}

function applicationRules(context: AppContext, user: SignedInAdministrator, input: RequestInput<ApplicationInput>, now: number): RequestRules<CardApplication> {
  return {
    check() {
      // A form that did not parse has no limit to check: the limit is asked for along with the rest.
      const limitCents = input.ok ? input.data.limitCents : undefined;
      const problems = { ...(input.ok ? {} : input.errors), ...applicationProblems(context, user, limitCents) };
      if (!input.ok || limitCents === undefined || Object.keys(problems).length > 0) return { kind: 'invalid', problems };
      return { kind: 'passed', checked: { ...input.data, limitCents } };
    },
    reviewLines: (application) => [['Cardmember', application.cardmemberName], ['Card type', application.tier], ['Limit', formatCents(application.limitCents)]],
    submit(application) {
      const controlAccountId = applicationAccount(context, user);
      // Where the company's rules say so, the PA's own application waits for another PA's approval.
      const awaitingApproval = directApplicationsNeedApproval(context, user.companyId);
      const submitted = submitTransaction(context, {
        companyId: user.companyId, type: 'card_application', submittedBy: `pa:${user.id}`, submittedByPaId: user.id,
        controlAccountId, summary: applicationSummary(application), details: { ...application }, awaitingApproval,
      }, now);
      if (awaitingApproval) recordDirectApplication(context, user, submitted, application, controlAccountId, now);
      return submittedAs(submitted);
    },
  };
}

export function reviewApplication(context: AppContext, user: SignedInAdministrator, input: RequestInput<ApplicationInput>, now: number): RequestReview {
  return reviewRequest(applicationRules(context, user, input, now));
}

export function commitApplication(context: AppContext, user: SignedInAdministrator, input: RequestInput<ApplicationInput>, now: number): RequestCommit {
  return commitRequest(context, applicationRules(context, user, input, now));
}

// ---- Disputes ----------------------------------------------------------------------------------

export function disputeRefusal(charge: ChargeRow): string | undefined {
  if (charge.status === 'declined') return 'A declined charge was never billed and cannot be disputed.';
  if (charge.dispute_status !== null) return 'This charge has already been disputed.';
  return undefined;
}

export interface DisputeInput {
  reason: string;
}

function disputeRules(
  context: AppContext, user: SignedInAdministrator, cardId: number, chargeId: number, input: RequestInput<DisputeInput>, now: number,
): RequestRules<{ card: CardRow; charge: ChargeRow; reason: string }> {
  return {
    check() {
      const { card, charge } = companyCharge(context, user, cardId, chargeId);
      const refusal = disputeRefusal(charge);
      if (refusal) return { kind: 'refused', refusal };
      if (!input.ok) return { kind: 'invalid', problems: input.errors };
      return { kind: 'passed', checked: { card, charge, reason: input.data.reason } };
    },
    reviewLines: ({ reason }) => [['Reason', optionLabel(DISPUTE_REASONS, reason), 'reason']],
    submit({ card, charge, reason }) {
      // The conditional write decides, so two clicks cannot open two disputes.
      if (!setDisputeStatus(context.db, charge.id, null, 'open')) return { kind: 'refused', refusal: 'This charge has already been disputed.' };
      return submittedAs(submitTransaction(context, {
        companyId: user.companyId, type: 'charge_dispute', submittedBy: `pa:${user.id}`, submittedByPaId: user.id,
        cardId: card.id, chargeId: charge.id,
        summary: disputeSummary(charge, card),
        details: { reason, amountCents: charge.amount_cents, merchant: charge.merchant },
      }, now));
    },
  };
}

export function reviewDispute(
  context: AppContext, user: SignedInAdministrator, cardId: number, chargeId: number, input: RequestInput<DisputeInput>, now: number,
): RequestReview {
  return reviewRequest(disputeRules(context, user, cardId, chargeId, input, now));
}

export function commitDispute(
  context: AppContext, user: SignedInAdministrator, cardId: number, chargeId: number, input: RequestInput<DisputeInput>, now: number,
): RequestCommit {
  return commitRequest(context, disputeRules(context, user, cardId, chargeId, input, now));
}
