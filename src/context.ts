// Everything that varies per sandbox, in one object given to createApp: no module keeps its own.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { migrate } from './db/migrate';
import { FaultInjector } from './features/faults/fault-injector';
import { EventJournal, recordJournalEvent } from './features/journal/journal.service';
import type { TransactionRegistry } from './features/transactions/completion';
import { Outbox } from './features/outbox/outbox.service';
import { SmsOutbox } from './features/sms/sms.service';
import { SqliteSessionStore } from './http/session-store';
import { SimulatedClock } from './lib/clock';
import { AppError } from './lib/errors';
import { configuredSandboxOrigin } from './lib/public-url';
import { DEFAULT_SANDBOX_ID } from './lib/sandbox-id';
import type { Logger } from './lib/logger';
import { buildTransactionRegistry } from './transaction-registry';

export interface AppContext {
  config: Config;
  sandboxId: string;
  db: Database;
  clock: SimulatedClock;
  outbox: Outbox;
  /** Every text message the portal sends, captured like e-mails. */
  sms: SmsOutbox;
  logger: Logger;
  sessionStore: SqliteSessionStore;
  /** Signs session cookies; kept in the data directory so sessions survive a restart. */
  sessionSecret: string;
  /** The bearer token the simulator API and console require. */
  simToken: string;
  /** Latency, errors and lost texts a QA run injected into this sandbox. */
  faults: FaultInjector;
  /** What happened in the sandbox, for scripts to read and wait on. */
  journal: EventJournal;
  /** What completes each type of transaction: the lifecycle asks it. */
  transactions: TransactionRegistry;
  /** What the sandbox holds besides its database (the rate limiters' timers): released when it closes. */
  releases: Array<() => void>;
}

export interface ContextOptions {
  config: Config;
  logger: Logger;
  sessionSecret: string;
  simToken: string;
  /** ':memory:' for tests; otherwise the sandbox's SQLite file. */
  databaseFile: string;
  sandboxId?: string;
  /** Source of real time under the simulated clock; tests freeze it. */
  realNowMs?: () => number;
}

export function createContext(options: ContextOptions): AppContext {
  // First, so a type nothing completes stops the start before any file is opened.
  const transactions = buildTransactionRegistry();
  if (options.databaseFile !== ':memory:') {
    fs.mkdirSync(path.dirname(options.databaseFile), { recursive: true });
  }
  const db = openDatabase(options.databaseFile);
  migrate(db);
  const clock = new SimulatedClock(db, options.realNowMs);
  const sandboxId = options.sandboxId ?? DEFAULT_SANDBOX_ID;
  // The injector keeps no database: the journal entry of each fault that fires is written here.
  const faults = new FaultInjector((fault, method, requestPath) => recordJournalEvent(db, {
    at: clock.nowMs(), type: 'fault.fired', actor: 'simulator', subject: `fault:${fault.id}`,
    data: { faultId: fault.id, pattern: fault.pattern, method, path: requestPath, status: fault.status ?? null, latencyMs: fault.latencyMs ?? null },
  }));
  return {
    config: options.config,
    sandboxId,
    db,
    clock,
    outbox: new Outbox(db, clock, configuredSandboxOrigin(options.config, sandboxId)),
    sms: new SmsOutbox(db, clock, faults),
    logger: options.logger.child({ sandbox: sandboxId }),
    sessionStore: new SqliteSessionStore(db, clock, options.config.rules),
    sessionSecret: options.sessionSecret,
    simToken: options.simToken,
    faults,
    journal: new EventJournal(db),
    transactions,
    releases: [],
  };
}

/**
 * Closes the sandbox for good. `reason` (an AppError with a stable code) is what a request still
 * running in it, or a long poll waiting on it, is told instead of a crash on a closed database.
 */
export function closeContext(context: AppContext, reason: Error = new AppError(503, 'sandbox_closed', 'This sandbox has closed.')): void {
  context.outbox.interruptWaits(reason);
  context.sms.interruptWaits(reason);
  context.journal.interruptWaits(reason);
  for (const release of context.releases.splice(0)) release();
  context.outbox.events.removeAllListeners();
  context.sms.events.removeAllListeners();
  context.db.close(reason);
}
