// How the portal words a card request in one line (the "Request" column of Status Tracking, the
// homepage, the CSV). Pure, so the large scenario's generator writes its rows the same way.
import { formatCents } from '../../lib/money';
import { maskCardNumber } from './card-numbers';

export type SummarisedCardAction = 'cancel' | 'replace' | 'suspend' | 'reinstate' | 'limit' | 'move';

export interface SummarisedCard {
  card_number: string;
  cardmember_name: string;
}

export interface SummarisedActionInput {
  delivery?: 'standard' | 'rush' | undefined;
  limitType?: 'permanent' | 'temporary' | undefined;
  newLimitCents?: number | undefined;
  endDate?: string | undefined;
  /** For a move: the account it goes to, as people read it ("West Sales (GLX-W-SLS)"). */
  controlAccountLabel?: string | undefined;
}

export function cardActionSummary(action: SummarisedCardAction, card: SummarisedCard, input: SummarisedActionInput): string {
  const masked = maskCardNumber(card.card_number);
  switch (action) {
    case 'cancel': return `Cancel ${masked} (${card.cardmember_name})`;
    case 'replace': return `Replace ${masked} (${card.cardmember_name}), ${input.delivery ?? 'standard'} delivery`;
    case 'suspend': return `Suspend ${masked} (${card.cardmember_name})`;
    case 'reinstate': return `Reinstate ${masked} (${card.cardmember_name})`;
    case 'limit': return input.limitType === 'temporary'
      ? `Temporary limit ${formatCents(input.newLimitCents ?? 0)} on ${masked} until ${input.endDate}`
      : `Limit ${formatCents(input.newLimitCents ?? 0)} on ${masked}`;
    case 'move': return `Move ${masked} (${card.cardmember_name}) to ${input.controlAccountLabel ?? 'another control account'}`;
  }
}

export function applicationSummary(application: { tier: string; cardmemberName: string; limitCents: number }): string {
  return `New ${application.tier} card for ${application.cardmemberName}, limit ${formatCents(application.limitCents)}`;
}

export function disputeSummary(charge: { amount_cents: number; merchant: string }, card: { card_number: string }): string {
  return `Dispute ${formatCents(charge.amount_cents)} at ${charge.merchant} on ${maskCardNumber(card.card_number)}`;
}
