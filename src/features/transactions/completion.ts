// What completes each type of transaction, declared by the feature that owns the type and gathered
// in one registry by the composition root: the lifecycle asks the registry and never guesses.
import type { Database } from '../../db/database';
import type { TransactionRow } from './transactions.repository';
import { TRANSACTION_TYPES, type TransactionType } from './transaction-types';

export interface TransactionHandler {
  /** Business days from submission until the request is done (rush replacements are quicker). */
  businessDays(details: Record<string, unknown>): number;
  /** A reason to reject, decided by rules that always give the same answer, or undefined to complete. */
  rejectionReason(db: Database, transaction: TransactionRow, details: Record<string, unknown>): string | undefined;
  /** What completion changes (a card's state, a limit …), in the same database transaction. */
  complete(db: Database, transaction: TransactionRow, details: Record<string, unknown>, at: number): void;
  /** What rejection changes, if anything. */
  reject?(db: Database, transaction: TransactionRow, details: Record<string, unknown>, at: number): void;
}

export type Completion =
  /** The clock moves it: picked up after an hour, then completed or rejected by its handler. */
  | { kind: 'handler'; handler: TransactionHandler }
  /** Takes effect while the caller is on the phone: recorded as completed when it is submitted. */
  | { kind: 'instant' }
  /** A person completes it (a supervisor resolving an escalation), never the clock. */
  | { kind: 'manual' };

export type CompletionDeclarations = Partial<Record<TransactionType, Completion>>;

export class TransactionRegistry {
  private readonly completions = new Map<TransactionType, Completion>();

  /** Declares what completes `type`; declaring a type twice is a mistake in the declarations. */
  declare(type: TransactionType, completion: Completion): this {
    if (this.completions.has(type)) throw new Error(`The transaction type ${type} is declared twice.`);
    this.completions.set(type, completion);
    return this;
  }

  declareAll(declarations: CompletionDeclarations): this {
    for (const [type, completion] of Object.entries(declarations) as Array<[TransactionType, Completion]>) this.declare(type, completion);
    return this;
  }

  completionOf(type: TransactionType): Completion {
    const completion = this.completions.get(type);
    if (!completion) throw new Error(`Nothing declares what completes transactions of type ${type}.`);
    return completion;
  }

  /** Refuses a registry that leaves any type of transaction undeclared, naming every one it leaves. */
  assertComplete(): this {
    const missing = (Object.keys(TRANSACTION_TYPES) as TransactionType[]).filter((type) => !this.completions.has(type));
    if (missing.length > 0) throw new Error(`Nothing declares what completes these transaction types: ${missing.join(', ')}.`);
    return this;
  }
}
