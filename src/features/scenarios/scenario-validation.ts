// Checks a scenario document wholly before anything is written: its shape against the schema, then
// what the schema alone cannot say — that every key is unique and every reference resolves.
import type { z } from 'zod';
import { badRequest, type FieldErrors } from '../../lib/errors';
import { MAX_HIERARCHY_DEPTH, MAX_REPORT_SUBSCRIPTIONS_PER_PA, scenarioDocument, type ScenarioDocument, type TransactionSeed } from './scenario-schema';

/** A JSON path as people write it: `cards[3].state`. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let written = '';
  for (const part of path) {
    if (typeof part === 'number') written += `[${part}]`;
    else written += written === '' ? String(part) : `.${String(part)}`;
  }
  return written === '' ? '$' : written;
}

class Problems {
  readonly fields: FieldErrors = {};
  add(path: ReadonlyArray<PropertyKey>, message: string): void {
    const at = jsonPath(path);
    this.fields[at] = this.fields[at] ? `${this.fields[at]} ${message}` : message;
  }
  get count(): number {
    return Object.keys(this.fields).length;
  }
}

function zodProblems(issues: z.core.$ZodIssue[], problems: Problems): void {
  for (const issue of issues) problems.add(issue.path, issue.message);
}

/** Keys that occur twice, each reported where it repeats. */
function uniqueKeys<T>(entries: T[], keyOf: (entry: T) => string, list: string, field: string, problems: Problems): Set<string> {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const value = keyOf(entry);
    if (seen.has(value)) problems.add([list, index, field], `"${value}" is used by an earlier entry.`);
    seen.add(value);
  });
  return seen;
}

function referenceProblems(scenario: ScenarioDocument, problems: Problems): void {
  const companies = uniqueKeys(scenario.companies, (c) => c.key, 'companies', 'key', problems);
  uniqueKeys(scenario.companies, (c) => c.programNumber, 'companies', 'programNumber', problems);
  uniqueKeys(scenario.programAdministrators, (pa) => pa.userId.toLowerCase(), 'programAdministrators', 'userId', problems);
  uniqueKeys(scenario.staff, (s) => s.staffId, 'staff', 'staffId', problems);
  uniqueKeys(scenario.transactions.filter((t) => t.trackingNumber), (t) => t.trackingNumber!, 'transactions', 'trackingNumber', problems);
  const accounts = hierarchyProblems(scenario, companies, problems);
  const cards = new Map<string, string>();
  scenario.cards.forEach((card, index) => {
    if (cards.has(card.key)) problems.add(['cards', index, 'key'], `"${card.key}" is used by an earlier entry.`);
    cards.set(card.key, card.company);
    if (!companies.has(card.company)) problems.add(['cards', index, 'company'], `No company has the key "${card.company}".`);
    if (card.controlAccount !== undefined) {
      const company = accounts.get(card.controlAccount);
      if (company === undefined) problems.add(['cards', index, 'controlAccount'], `No control account has the key "${card.controlAccount}".`);
      else if (company !== card.company) problems.add(['cards', index, 'controlAccount'], 'The control account is not of the card\'s company.');
    }
  });
  const primaries = new Set<string>();
  const registered = new Map<string, string>();
  scenario.programAdministrators.forEach((pa, index) => {
    if (!companies.has(pa.company)) problems.add(['programAdministrators', index, 'company'], `No company has the key "${pa.company}".`);
    if (pa.primary && primaries.has(pa.company)) problems.add(['programAdministrators', index, 'primary'], 'The company has a primary PA already.');
    if (pa.primary) primaries.add(pa.company);
    if (pa.accessCode && pa.state !== 'pending') problems.add(['programAdministrators', index, 'accessCode'], 'Only a pending PA has an Access Code.');
    if (pa.state !== 'pending') registered.set(pa.userId, pa.company);
    if (pa.scope && pa.primary) problems.add(['programAdministrators', index, 'scope'], 'The primary PA looks after the whole company: leave out `scope`.');
    pa.scope?.forEach((accountKey, at) => {
      const company = accounts.get(accountKey);
      if (company === undefined) problems.add(['programAdministrators', index, 'scope', at], `No control account has the key "${accountKey}".`);
      else if (company !== pa.company) problems.add(['programAdministrators', index, 'scope', at], 'The control account is not of the PA\'s company.');
    });
  });
  scenario.history.forEach((request, index) => {
    const company = cards.get(request.card);
    if (company === undefined) problems.add(['history', index, 'card'], `No card has the key "${request.card}".`);
    const by = registered.get(request.submittedBy);
    if (by === undefined) problems.add(['history', index, 'submittedBy'], `No registered PA has the user ID "${request.submittedBy}".`);
    else if (company !== undefined && by !== company) problems.add(['history', index, 'submittedBy'], 'The PA is not of the card\'s company.');
  });
  scenario.transactions.forEach((transaction, index) => {
    if (!companies.has(transaction.company)) problems.add(['transactions', index, 'company'], `No company has the key "${transaction.company}".`);
    if (transaction.card !== undefined) {
      const company = cards.get(transaction.card);
      if (company === undefined) problems.add(['transactions', index, 'card'], `No card has the key "${transaction.card}".`);
      else if (company !== transaction.company) problems.add(['transactions', index, 'card'], 'The card is not of the transaction\'s company.');
    }
    historyProblems(transaction, (path, message) => problems.add(['transactions', index, ...path], message));
  });
  scenario.invitations.forEach((invitation, index) => {
    const at = (field: string) => ['invitations', index, field];
    const inviter = scenario.programAdministrators.find((pa) => pa.userId === invitation.invitedBy && pa.state === 'active');
    if (!inviter || !inviter.permissions.includes('cards.apply')) {
      problems.add(at('invitedBy'), `No active PA holding cards.apply has the user ID "${invitation.invitedBy}".`);
      return;
    }
    const company = accounts.get(invitation.controlAccount);
    if (company === undefined) problems.add(at('controlAccount'), `No control account has the key "${invitation.controlAccount}".`);
    else if (company !== inviter.company) problems.add(at('controlAccount'), 'The control account is not of the inviter\'s company.');
    else if (inviter.scope && !withinScope(scenario, invitation.controlAccount, inviter.scope)) problems.add(at('controlAccount'), 'The control account is outside the inviter\'s scope.');
    const max = scenario.companies.find((c) => c.key === inviter.company)?.maxCardLimitCents;
    if (max !== undefined && Math.round(invitation.limitDollars * 100) > max) problems.add(at('limitDollars'), 'The limit is above the company\'s program maximum.');
  });
  subscriptionProblems(scenario, accounts, problems);
  const staff = new Set(scenario.staff.map((s) => `staff:${s.staffId}`));
  const numbers = new Set(scenario.transactions.flatMap((t) => (t.trackingNumber ? [t.trackingNumber] : [])));
  scenario.messageThreads.forEach((thread, index) => {
    if (thread.trackingNumber && numbers.has(thread.trackingNumber)) problems.add(['messageThreads', index, 'trackingNumber'], `"${thread.trackingNumber}" is used by an earlier entry.`);
    if (thread.trackingNumber) numbers.add(thread.trackingNumber);
    if (!registered.has(thread.submittedBy)) problems.add(['messageThreads', index, 'submittedBy'], `No registered PA has the user ID "${thread.submittedBy}".`);
    thread.messages.forEach((message, at) => {
      const fromCompany = registered.get(message.from);
      if (!staff.has(message.from) && (fromCompany === undefined || fromCompany !== registered.get(thread.submittedBy))) {
        problems.add(['messageThreads', index, 'messages', at, 'from'], 'Write a registered PA of the writer\'s company or `staff:<staff ID>` of the document\'s staff.');
      }
      if (at === 0 && message.from !== thread.submittedBy) problems.add(['messageThreads', index, 'messages', at, 'from'], 'The first message is the writer\'s.');
      if (at > 0 && message.minutesAgo > thread.messages[at - 1]!.minutesAgo) problems.add(['messageThreads', index, 'messages', at, 'minutesAgo'], 'Messages go oldest first.');
    });
    if (thread.closedMinutesAgo !== undefined && thread.closedMinutesAgo > thread.messages.at(-1)!.minutesAgo) {
      problems.add(['messageThreads', index, 'closedMinutesAgo'], 'A thread is closed after its last message.');
    }
  });
}

/** Each subscriber a registered PA holding reports.view; a declines filter's account of their company, its reason one of the company's declines. */
function subscriptionProblems(scenario: ScenarioDocument, accounts: Map<string, string>, problems: Problems): void {
  const kept = new Map<string, number>();
  scenario.reportSubscriptions.forEach((subscription, index) => {
    const at = (field: string) => ['reportSubscriptions', index, field];
    const subscriber = scenario.programAdministrators.find((pa) => pa.userId === subscription.subscriber && pa.state !== 'pending');
    if (!subscriber) {
      problems.add(at('subscriber'), `No registered PA has the user ID "${subscription.subscriber}".`);
      return;
    }
    if (!subscriber.permissions.includes('reports.view')) problems.add(at('subscriber'), 'The PA does not hold reports.view.');
    const count = (kept.get(subscriber.userId) ?? 0) + 1;
    kept.set(subscriber.userId, count);
    if (count > MAX_REPORT_SUBSCRIPTIONS_PER_PA) problems.add(at('subscriber'), `A PA keeps at most ${MAX_REPORT_SUBSCRIPTIONS_PER_PA} report subscriptions.`);
    if (subscription.report !== 'declines') {
      if (subscription.account !== undefined) problems.add(at('account'), 'Only a declines report is filtered by control account.');
      if (subscription.reason !== undefined) problems.add(at('reason'), 'Only a declines report is filtered by reason.');
      return;
    }
    if (subscription.account !== undefined) {
      const company = accounts.get(subscription.account);
      if (company === undefined) problems.add(at('account'), `No control account has the key "${subscription.account}".`);
      // Not checked against the scope: a PA narrowed after subscribing keeps the subscription (its deliveries are skipped), and export writes it.
      else if (company !== subscriber.company) problems.add(at('account'), 'The control account is not of the subscriber\'s company.');
    }
    const reasons = new Set(scenario.cards.filter((card) => card.company === subscriber.company)
      .flatMap((card) => card.charges.flatMap((charge) => (charge.declined ? [charge.declined] : []))));
    if (subscription.reason !== undefined && !reasons.has(subscription.reason)) problems.add(at('reason'), 'No declined charge of the company\'s cards has this reason.');
  });
}

/** Whether the account is one of the roots or lies below one of them. */
function withinScope(scenario: ScenarioDocument, accountKey: string, roots: readonly string[]): boolean {
  const parents = new Map(scenario.controlAccounts.map((account) => [account.key, account.parent]));
  for (let at: string | undefined = accountKey; at !== undefined; at = parents.get(at)) if (roots.includes(at)) return true;
  return false;
}

/** Keys unique, numbers unique in each company, every parent listed earlier in the same company, no tree deeper than allowed. Returns each account's company. */
function hierarchyProblems(scenario: ScenarioDocument, companies: Set<string>, problems: Problems): Map<string, string> {
  const accounts = new Map<string, { company: string; depth: number }>();
  const numbers = new Set<string>();
  scenario.controlAccounts.forEach((account, index) => {
    const at = (field: string) => ['controlAccounts', index, field];
    if (accounts.has(account.key)) problems.add(at('key'), `"${account.key}" is used by an earlier entry.`);
    if (!companies.has(account.company)) problems.add(at('company'), `No company has the key "${account.company}".`);
    const numbered = `${account.company}\n${account.number.toUpperCase()}`;
    if (numbers.has(numbered)) problems.add(at('number'), `"${account.number}" is the number of an earlier account of the company.`);
    numbers.add(numbered);
    let depth = 1;
    if (account.parent !== undefined) {
      const parent = accounts.get(account.parent);
      if (parent === undefined) problems.add(at('parent'), `No earlier control account has the key "${account.parent}".`);
      else if (parent.company !== account.company) problems.add(at('parent'), 'The parent is not of the same company.');
      else depth = parent.depth + 1;
    }
    if (depth > MAX_HIERARCHY_DEPTH) problems.add(at('parent'), `A control account is at most ${MAX_HIERARCHY_DEPTH} levels below the company.`);
    if (!accounts.has(account.key)) accounts.set(account.key, { company: account.company, depth });
  });
  return new Map([...accounts].map(([key, { company }]) => [key, company]));
}

/**
 * What a recorded transaction's history must be beyond its shape: it starts `submitted`, ends in its
 * status, runs oldest first; only a status the clock moves falls due; only a rejection has a reason.
 */
export function historyProblems(
  transaction: Pick<TransactionSeed, 'status' | 'events' | 'dueInMinutes' | 'rejectionReason'>,
  add: (path: PropertyKey[], message: string) => void,
): void {
  const { events } = transaction;
  if (events[0]?.status !== 'submitted') add(['events', 0, 'status'], 'The first event is `submitted`.');
  if (events.at(-1)?.status !== transaction.status) add(['events', events.length - 1, 'status'], 'The last event has the transaction\'s status.');
  events.forEach((event, at) => {
    if (at > 0 && event.minutesAgo > events[at - 1]!.minutesAgo) add(['events', at, 'minutesAgo'], 'Events are oldest first.');
  });
  if (transaction.dueInMinutes !== undefined && transaction.status !== 'submitted' && transaction.status !== 'in_progress') {
    add(['dueInMinutes'], 'Only a submitted or in-progress transaction falls due.');
  }
  if (transaction.rejectionReason !== undefined && transaction.status !== 'rejected') {
    add(['rejectionReason'], 'Only a rejected transaction has a rejection reason.');
  }
}

/** The document, or the list of every problem with its JSON path. */
export function checkScenario(input: unknown): { ok: true; scenario: ScenarioDocument } | { ok: false; problems: FieldErrors } {
  const problems = new Problems();
  const parsed = scenarioDocument.safeParse(input);
  if (!parsed.success) {
    zodProblems(parsed.error.issues, problems);
    return { ok: false, problems: problems.fields };
  }
  referenceProblems(parsed.data, problems);
  return problems.count > 0 ? { ok: false, problems: problems.fields } : { ok: true, scenario: parsed.data };
}

/** The document, or 400 `invalid_scenario` with every problem keyed by its JSON path. */
export function validScenario(input: unknown): ScenarioDocument {
  const checked = checkScenario(input);
  if (!checked.ok) throw badRequest('invalid_scenario', 'The scenario is not valid.', checked.problems);
  return checked.scenario;
}
