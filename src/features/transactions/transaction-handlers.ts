// Which handler completes or rejects each type of transaction.
import { CARD_TRANSACTION_HANDLERS } from '../cards/card-transactions';
import type { TransactionHandler } from './lifecycle';
import type { TransactionType } from './transaction-types';

export const TRANSACTION_HANDLERS: Partial<Record<TransactionType, TransactionHandler>> = {
  ...CARD_TRANSACTION_HANDLERS,
};
