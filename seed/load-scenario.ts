// Loads a scenario into a sandbox, replacing everything it held (data, outbox, sessions).
import type { AppContext } from '../src/context';
import type { Database } from '../src/db/database';
import { scenarioTables } from '../src/db/scenario-tables';
import { findAdministratorByUserId, findSignedInAdministrator } from '../src/features/accounts/accounts.repository';
import { enrollProgramAdministrator } from '../src/features/accounts/enrollment.service';
import { toSignedInAdministrator } from '../src/features/accounts/sign-in.service';
import { commitCardAction } from '../src/features/cards/cards.service';
import { submittedOrThrow } from '../src/features/cards/request-decision';
import { progressDueTransactions } from '../src/features/transactions/lifecycle';
import { hashSecret, normalizeVerificationWord } from '../src/lib/hashing';
import { insertSeededCard } from '../src/features/scenarios/seed-records';
import { seedMessageThreads } from '../src/features/messages/message-seeds';
import { clearJournal } from '../src/features/journal/journal.repository';
import { STORED_LINK_ORIGIN } from '../src/features/outbox/outbox.service';
import type { Config } from '../src/config';
import { DEFAULT_SCENARIO, EMPTY_SCENARIO } from './default-scenario';
import { LARGE_SIZE, addLargeVolume, type Progress } from './large-scenario';
import type { ScenarioDefinition } from './scenario';
import { seedInvitations } from './seed-invitations';
import { seedReportSubscriptions } from './seed-report-subscriptions';
import { seedTransactions } from './seed-transactions';

const DAY_MS = 86_400_000;

export const SCENARIOS: Record<string, ScenarioDefinition> = {
  default: DEFAULT_SCENARIO,
  empty: EMPTY_SCENARIO,
  large: { ...DEFAULT_SCENARIO, name: 'large', volume: LARGE_SIZE },
};

export interface LoadOptions {
  /** Seeds the generator of bulk data; the same seed gives the same data. */
  seed?: number;
  /** Simulated time the scenario starts at; the scenario's `clockStart`, else the clock's real time, when not given. */
  startAt?: number;
  progress?: Progress;
}

export function findScenario(name: string): ScenarioDefinition | undefined {
  return Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
}

function clearScenarioData(db: Database): void {
  // Foreign keys are checked at commit, so tables can be emptied in any order.
  db.exec('PRAGMA defer_foreign_keys = ON');
  for (const table of scenarioTables(db)) db.exec(`DELETE FROM "${table}"`);
}

/** When a template of the scenario starts: its own `clockStart`, else the simulator's scenario epoch. */
export function scenarioStartMs(scenario: ScenarioDefinition, config: Pick<Config, 'scenarioEpochMs'>): number {
  return scenario.clockStart === undefined ? config.scenarioEpochMs : Date.parse(scenario.clockStart);
}

/**
 * Restarts the sandbox's clock at `startAt` (or the scenario's `clockStart`, or real time) and loads the scenario; seeded dates are
 * relative to that start. Pending PAs are enrolled the way the portal enrolls anyone, Welcome e-mail included.
 */
export async function loadScenario(context: AppContext, scenario: ScenarioDefinition, options: LoadOptions = {}): Promise<void> {
  const { db, clock, config } = context;
  const registered = scenario.programAdministrators.filter((pa) => pa.state !== 'pending');
  const pending = scenario.programAdministrators.filter((pa) => pa.state === 'pending');
  // Hash before the transaction: the hashes run on the thread pool, the writes then take milliseconds.
  const paHashes = await Promise.all(registered.map(async (pa) => ({
    password: await hashSecret(pa.password, config.bcryptCost),
    pin: await hashSecret(pa.verificationPin, config.bcryptCost),
    word: await hashSecret(normalizeVerificationWord(pa.verificationWord), config.bcryptCost),
  })));
  const staffHashes = await Promise.all(scenario.staff.map((staff) => hashSecret(staff.password, config.bcryptCost)));

  const startAt = options.startAt ?? (scenario.clockStart === undefined ? undefined : Date.parse(scenario.clockStart));
  if (startAt === undefined) clock.restart();
  else clock.restartAt(startAt);
  const now = clock.nowMs();
  const companyIds = new Map<string, number>();
  const accountIds = new Map<string, number>();
  db.tx(() => {
    clearScenarioData(db);
    for (const company of scenario.companies) {
      const { lastId } = db.run(
        `INSERT INTO companies (name, program_number, max_card_limit_cents, require_two_step, applications_need_approval,
           second_approver_above_cents, hold_limit_changes_above_cents, hold_cancellations_by_non_primary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        company.name, company.programNumber, company.maxCardLimitCents, company.requireTwoStep ? 1 : 0,
        company.approvalRules?.applications ? 1 : 0, company.approvalRules?.secondApproverAboveCents ?? null,
        company.approvalRules?.holdLimitChangesAboveCents ?? null, company.approvalRules?.holdCancellationsByNonPrimary ? 1 : 0);
      companyIds.set(company.key, lastId);
    }
    for (const account of scenario.controlAccounts) {
      const parentId = account.parent === undefined ? null : accountIds.get(account.parent)!;
      const depth = parentId === null ? 1 : db.get<{ depth: number }>('SELECT depth FROM control_accounts WHERE id = ?', parentId)!.depth + 1;
      accountIds.set(account.key, db.run('INSERT INTO control_accounts (company_id, parent_id, number, name, depth) VALUES (?, ?, ?, ?, ?)',
        companyIds.get(account.company)!, parentId, account.number, account.name, depth).lastId);
    }
    registered.forEach((pa, index) => {
      const hashes = paHashes[index]!;
      const lastLoginAt = now - (pa.lastLoginDaysAgo ?? 0) * DAY_MS;
      const { lastId } = db.run(
        `INSERT INTO program_administrators
           (company_id, persona_key, user_id, first_name, last_name, email, phone, is_primary, state,
            password_hash, pin_hash, word_hash, failed_login_count, enrolled_at, registered_at,
            last_login_at, state_changed_at, two_step_channel)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        companyIds.get(pa.company)!, pa.userId, pa.userId, pa.firstName, pa.lastName, pa.email, pa.phone ?? null,
        pa.primary ? 1 : 0, pa.state, hashes.password, hashes.pin, hashes.word,
        pa.state === 'locked' ? config.rules.maxFailedLogins : 0, lastLoginAt, lastLoginAt, lastLoginAt, now, pa.twoStep ?? null);
      for (const permission of pa.permissions) {
        db.run('INSERT INTO pa_permissions (pa_id, permission) VALUES (?, ?)', lastId, permission);
      }
      for (const accountKey of pa.scope ?? []) {
        db.run('INSERT OR IGNORE INTO pa_scopes (pa_id, control_account_id) VALUES (?, ?)', lastId, accountIds.get(accountKey)!);
      }
    });
    scenario.staff.forEach((staff, index) => {
      db.run('INSERT INTO staff_users (staff_id, name, email, role, password_hash) VALUES (?, ?, ?, ?, ?)',
        staff.staffId, staff.name, staff.email, staff.role, staffHashes[index]!);
    });
    db.run('UPDATE sim_state SET scenario = ? WHERE id = 1', scenario.name);
  });

  const cardIds = seedCards(context, scenario, companyIds, accountIds, now);
  seedHistory(context, scenario, cardIds, now);
  seedTransactions(db, scenario.transactions, companyIds, cardIds, now);
  db.tx(() => seedMessageThreads(db, scenario.messageThreads, now));

  for (const pa of pending) {
    await enrollProgramAdministrator(context, {
      companyId: companyIds.get(pa.company)!, personaKey: pa.userId, firstName: pa.firstName, lastName: pa.lastName,
      email: pa.email, phone: pa.phone ?? null, permissions: pa.permissions, primary: pa.primary,
      verificationPin: pa.verificationPin, verificationWord: pa.verificationWord, ...(pa.accessCode ? { accessCode: pa.accessCode } : {}),
      scopeRootIds: [...new Set((pa.scope ?? []).map((accountKey) => accountIds.get(accountKey)!))],
    }, { actor: 'simulator', baseUrl: STORED_LINK_ORIGIN });
  }
  seedInvitations(context, scenario, scenario.invitations, now);
  seedReportSubscriptions(context, scenario, scenario.reportSubscriptions);
  if (scenario.volume) await addLargeVolume(context, options.seed ?? 1, scenario.volume, options.progress);
  // What loading wrote (its history, the Welcome e-mails) is the scenario, not a run: a script's journal starts empty.
  clearJournal(db);
}

function seedCards(context: AppContext, scenario: ScenarioDefinition, companyIds: Map<string, number>, accountIds: Map<string, number>, now: number): Map<string, number> {
  const { db } = context;
  const cardIds = new Map<string, number>();
  // A card the document places nowhere goes to its company's first top-level account, as the portal's own would.
  const firstAccount = new Map<string, number>();
  for (const account of [...scenario.controlAccounts].reverse()) {
    if (account.parent === undefined) firstAccount.set(account.company, accountIds.get(account.key)!);
  }
  db.tx(() => {
    for (const { key, company, controlAccount, ...card } of scenario.cards) {
      const controlAccountId = controlAccount === undefined ? firstAccount.get(company) ?? null : accountIds.get(controlAccount)!;
      cardIds.set(key, insertSeededCard(db, companyIds.get(company)!, { ...card, controlAccountId }, now));
    }
  });
  return cardIds;
}

/** Replays the scenario's past requests in time order, then lets the clock carry them as far as they got. */
function seedHistory(context: AppContext, scenario: ScenarioDefinition, cardIds: Map<string, number>, now: number): void {
  const requests = [...scenario.history].sort((a, b) => b.minutesAgo - a.minutesAgo);
  for (const request of requests) {
    const at = now - request.minutesAgo * 60_000;
    progressDueTransactions(context, at);
    const requester = toSignedInAdministrator(findSignedInAdministrator(context.db, findAdministratorByUserId(context.db, request.submittedBy)!.id)!);
    submittedOrThrow(commitCardAction(context, requester, cardIds.get(request.card)!, request.action, {
      ok: true,
      data: {
        ...(request.reason ? { reason: request.reason } : {}),
        ...(request.delivery ? { delivery: request.delivery } : {}),
        ...(request.newLimitDollars ? { limitType: 'permanent' as const, newLimitCents: request.newLimitDollars * 100 } : {}),
      },
    }, at));
  }
  progressDueTransactions(context, now);
}
