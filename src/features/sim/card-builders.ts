// The card builder: a script puts a card in any state in one call, and the rows left behind are those
// the portal writes for a new card (its completed application) and for the request that changed its state.
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { formatCents } from '../../lib/money';
import { activeCardFor, companyMaxLimit, findCard } from '../cards/cards.repository';
import { applicationSummary, cardActionSummary, type SummarisedCardAction } from '../cards/transaction-summaries';
import { controlAccountsNumbered, firstTopLevelAccount, type ControlAccountRow } from '../hierarchy/hierarchy.repository';
import { insertSeededCard, insertSeededTransaction, type ActorResolver } from '../scenarios/seed-records';
import type { TransactionType } from '../transactions/transaction-types';
import type { CardBuildInput } from './sim-schemas';
import { companyNamed } from './sim.repository';

/** The request whose completion leaves a card in each state other than active. */
const STATE_REQUESTS = {
  suspended: { action: 'suspend', type: 'card_suspend', details: { action: 'suspend', reason: 'other' } },
  lost_stolen: { action: 'replace', type: 'card_replace', details: { action: 'replace', reason: 'lost', delivery: 'standard' } },
  cancelled: { action: 'cancel', type: 'card_cancel', details: { action: 'cancel', reason: 'no_longer_needed' } },
} as const satisfies Record<string, { action: SummarisedCardAction; type: TransactionType; details: { action: string; reason: string; delivery?: 'standard' } }>;

/** The builder writes only the simulator's and the back office's own actors, stored as written. */
const asWritten: ActorResolver = (written) => ({ actor: written, paId: null });

/** Each step of a request the back office took at once: submitted, picked up, completed. */
const completedAtOnce = [
  { minutesAgo: 0, status: 'submitted', actor: 'simulator' },
  { minutesAgo: 0, status: 'in_progress', actor: 'system', note: 'Picked up for processing.' },
  { minutesAgo: 0, status: 'completed', actor: 'system' },
] as const;

/**
 * The control account a built card goes in: the one of that number, or where the portal opens a card
 * nothing places, the company's first top-level account (none when the company has no hierarchy).
 */
function accountForCard(context: AppContext, companyId: number, number: string | undefined): ControlAccountRow | undefined {
  if (number === undefined) return firstTopLevelAccount(context.db, companyId);
  const [account] = controlAccountsNumbered(context.db, companyId, [number]);
  if (!account) {
    throw new AppError(400, 'unknown_control_account', `There is no control account ${number} in this company.`,
      { controlAccount: 'Give the number of one of the company\'s control accounts (GET /sim/api/control-accounts).' });
  }
  return account;
}

export interface BuiltCard {
  id: number;
  company: string;
  /** The number of its control account; null when the company has no hierarchy. */
  controlAccount: string | null;
  cardmemberName: string;
  lastFive: string;
  tier: string;
  state: string;
  limitCents: number;
  temporaryLimitCents: number | null;
  temporaryLimitEndsAt: string | null;
  /** The application's, then (for a card not active) the request's that put it in its state. */
  trackingNumbers: string[];
}

export function createCard(context: AppContext, input: CardBuildInput): BuiltCard {
  const { db, clock } = context;
  const company = companyNamed(db, input.company);
  if (!company) throw notFound(`There is no company "${input.company}".`);
  const account = accountForCard(context, company.id, input.controlAccount);
  const max = companyMaxLimit(db, company.id);
  const limitCents = Math.round(input.limitDollars * 100);
  const highest = Math.max(limitCents, Math.round((input.temporaryLimit?.dollars ?? 0) * 100));
  if (highest > max) throw new AppError(409, 'limit_above_maximum', `The limit cannot be above the program maximum of ${formatCents(max)}.`);
  const now = clock.nowMs();
  return db.tx(() => {
    // The back office rejects a second active card of a tier for one cardmember; so does the builder.
    const duplicate = input.state === 'active' ? activeCardFor(db, company.id, input.cardmemberName, input.tier) : undefined;
    if (duplicate) throw new AppError(409, 'duplicate_card', `${input.cardmemberName} already has an active ${input.tier} card (•••• ${duplicate.last_five}).`);
    const { company: _named, controlAccount: _numbered, ...card } = input;
    const cardId = insertSeededCard(db, company.id, { ...card, openedDaysAgo: 0, controlAccountId: account?.id ?? null }, now);
    const application = { cardmemberName: input.cardmemberName, tier: input.tier, limitCents };
    const trackingNumbers = [insertSeededTransaction(db, {
      companyId: company.id, cardId, type: 'card_application', status: 'completed', submittedBy: 'simulator',
      summary: applicationSummary(application), details: application, events: [...completedAtOnce], nextDueAt: null,
    }, asWritten, now).trackingNumber];
    const row = findCard(db, cardId)!;
    if (input.state !== 'active') {
      const request = STATE_REQUESTS[input.state];
      trackingNumbers.push(insertSeededTransaction(db, {
        companyId: company.id, cardId, type: request.type, status: 'completed', submittedBy: 'simulator',
        summary: cardActionSummary(request.action, row, { delivery: 'standard' }), details: request.details, events: [...completedAtOnce], nextDueAt: null,
      }, asWritten, now).trackingNumber);
    }
    return {
      id: cardId, company: company.name, controlAccount: account?.number ?? null, cardmemberName: row.cardmember_name, lastFive: row.last_five, tier: row.tier, state: row.state,
      limitCents: row.limit_cents, temporaryLimitCents: row.temp_limit_cents,
      temporaryLimitEndsAt: row.temp_limit_ends_at === null ? null : new Date(row.temp_limit_ends_at).toISOString(), trackingNumbers,
    };
  });
}
