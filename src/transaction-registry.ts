// Every type of transaction and what completes it, gathered from the features that own the types.
// A type no feature declares stops the sandbox from starting rather than completing with no effect.
import { ACCESS_COMPLETIONS } from './features/access/access-completions';
import { APPROVAL_COMPLETIONS } from './features/approvals/approval-completions';
import { CARD_TRANSACTION_COMPLETIONS } from './features/cards/card-transactions';
import { HELPDESK_COMPLETIONS } from './features/helpdesk/helpdesk-completions';
import { MESSAGE_COMPLETIONS } from './features/messages/message-completions';
import { PROFILE_COMPLETIONS } from './features/profile/profile-completions';
import { TransactionRegistry, type CompletionDeclarations } from './features/transactions/completion';

export const COMPLETION_DECLARATIONS: readonly CompletionDeclarations[] = [
  CARD_TRANSACTION_COMPLETIONS, HELPDESK_COMPLETIONS, PROFILE_COMPLETIONS, MESSAGE_COMPLETIONS, ACCESS_COMPLETIONS, APPROVAL_COMPLETIONS,
];

export function buildTransactionRegistry(declarations: readonly CompletionDeclarations[] = COMPLETION_DECLARATIONS): TransactionRegistry {
  const registry = new TransactionRegistry();
  for (const declared of declarations) registry.declareAll(declared);
  return registry.assertComplete();
}
