// What card requests do when the back office completes them, and the deterministic rules by which
// it rejects some: the card's state changes only when its transaction completes. Every card type is
// moved along by the clock through its handler here.
import type { Database } from '../../db/database';
import { formatCents } from '../../lib/money';
import type { CompletionDeclarations, TransactionHandler } from '../transactions/completion';
import { attachCardToTransaction, type TransactionRow } from '../transactions/transactions.repository';
import type { TransactionType } from '../transactions/transaction-types';
import type { CardState, CardTier } from './card-catalogue';
import { issueCardNumber } from './card-numbers';
import {
  activeCardFor, findCard, insertCard, moveCard, setCardState, setDisputeStatus, setPermanentLimit, setTemporaryLimit,
} from './cards.repository';

/** Disputes below this are not worth a chargeback: the rule rejects them. */
export const MINIMUM_DISPUTE_CENTS = 2_500;
/** Increases beyond this multiple of the current limit need a credit review the simulator never grants. */
export const MAX_AUTOMATIC_LIMIT_MULTIPLE = 10;
/** New and replacement cards are valid for this many years. */
const CARD_VALIDITY_YEARS = 4;

function expiryFrom(at: number): string {
  const date = new Date(at);
  return `${date.getUTCFullYear() + CARD_VALIDITY_YEARS}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

function cardOf(db: Database, transaction: TransactionRow) {
  return transaction.card_id === null ? undefined : findCard(db, transaction.card_id);
}

/** A handler for requests that move a card from some states to another. */
function stateChange(from: readonly CardState[], to: CardState, businessDays = 1): TransactionHandler {
  return {
    businessDays: () => businessDays,
    rejectionReason(db, transaction) {
      const card = cardOf(db, transaction);
      if (!card || !from.includes(card.state)) return `The card was ${card?.state.replace('_', ' or ') ?? 'gone'} before this request was processed.`;
      return undefined;
    },
    complete(db, transaction, _details, at) {
      setCardState(db, transaction.card_id!, from, to, at);
    },
  };
}

function issueCard(db: Database, companyId: number, name: string, tier: CardTier, limitCents: number, at: number, replaces: number | null,
  controlAccountId: number | null): number {
  const cardNumber = issueCardNumber(db, companyId);
  return insertCard(db, {
    company_id: companyId, card_number: cardNumber, last_five: cardNumber.slice(-5), cardmember_name: name, tier,
    state: 'active', limit_cents: limitCents, temp_limit_cents: null, temp_limit_ends_at: null, replaces_card_id: replaces,
    opened_at: at, expires_on: expiryFrom(at), state_changed_at: at, control_account_id: controlAccountId,
  });
}

const CARD_TRANSACTION_HANDLERS = {
  card_cancel: stateChange(['active', 'suspended'], 'cancelled'),
  card_suspend: stateChange(['active'], 'suspended'),
  card_reinstate: stateChange(['suspended'], 'active'),

  card_replace: {
    businessDays: (details) => (details.delivery === 'rush' ? 1 : 3),
    rejectionReason(db, transaction) {
      const card = cardOf(db, transaction);
      if (!card || card.state === 'cancelled' || card.state === 'lost_stolen') return 'The card was cancelled or already replaced before this request was processed.';
      return undefined;
    },
    complete(db, transaction, _details, at) {
      const card = cardOf(db, transaction)!;
      setCardState(db, card.id, ['active', 'suspended'], 'lost_stolen', at);
      // The replacement stays where the lost card was in the hierarchy.
      issueCard(db, card.company_id, card.cardmember_name, card.tier, card.limit_cents, at, card.id, card.control_account_id);
    },
  },

  limit_change: {
    businessDays: () => 1,
    rejectionReason(db, transaction, details) {
      const card = cardOf(db, transaction);
      if (!card || card.state === 'cancelled' || card.state === 'lost_stolen') return 'The card was closed before this request was processed.';
      const newLimit = Number(details.newLimitCents);
      if (newLimit > card.limit_cents * MAX_AUTOMATIC_LIMIT_MULTIPLE) {
        return `An increase to more than ${MAX_AUTOMATIC_LIMIT_MULTIPLE} times the current limit (${formatCents(card.limit_cents)}) needs a credit review. Call the Help Desk.`;
      }
      return undefined;
    },
    complete(db, transaction, details) {
      const newLimit = Number(details.newLimitCents);
      if (details.limitType === 'temporary') setTemporaryLimit(db, transaction.card_id!, newLimit, Number(details.endsAt));
      else setPermanentLimit(db, transaction.card_id!, newLimit);
    },
  },

  card_application: {
    businessDays: () => 1,
    rejectionReason(db, transaction, details) {
      const duplicate = activeCardFor(db, transaction.company_id, String(details.cardmemberName), details.tier as CardTier);
      if (duplicate) return `${String(details.cardmemberName)} already has an active ${String(details.tier)} card (•••• ${duplicate.last_five}).`;
      return undefined;
    },
    complete(db, transaction, details, at) {
      // The card opens in the control account the application was made for.
      const cardId = issueCard(db, transaction.company_id, String(details.cardmemberName), details.tier as CardTier, Number(details.limitCents), at, null,
        transaction.control_account_id);
      attachCardToTransaction(db, transaction.id, cardId);
    },
  },

  card_move: {
    businessDays: () => 1,
    rejectionReason(db, transaction) {
      const card = cardOf(db, transaction);
      if (!card || card.state === 'cancelled') return 'The card was cancelled before it could be moved.';
      return undefined;
    },
    complete(db, transaction, details) {
      // The card's history goes with it: a transaction of the card is of the account the card is in.
      moveCard(db, transaction.card_id!, Number(details.controlAccountId));
    },
  },

  charge_dispute: {
    businessDays: () => 1,
    rejectionReason(_db, _transaction, details) {
      if (Number(details.amountCents) < MINIMUM_DISPUTE_CENTS) {
        return `Charges under ${formatCents(MINIMUM_DISPUTE_CENTS)} cannot be disputed; contact the merchant directly.`;
      }
      return undefined;
    },
    complete(db, transaction) {
      setDisputeStatus(db, transaction.charge_id!, 'open', 'credited');
    },
    reject(db, transaction) {
      setDisputeStatus(db, transaction.charge_id!, 'open', 'denied');
    },
  },
} satisfies Partial<Record<TransactionType, TransactionHandler>>;

export const CARD_TRANSACTION_COMPLETIONS: CompletionDeclarations = Object.fromEntries(
  Object.entries(CARD_TRANSACTION_HANDLERS).map(([type, handler]) => [type, { kind: 'handler' as const, handler }]),
);
