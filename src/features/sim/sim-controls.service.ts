// The simulator's controls over a sandbox — reset, clock, outbox, faults, sandboxes, personas and the
// events a script makes happen — in one place. The JSON API (/sim/api) and the console (/sim) are two
// faces of this service: each hands it what the person or script sent, and every input is checked
// here against the one set of schemas in sim-schemas.ts.
import type { z } from 'zod';
import type { AppContext } from '../../context';
import { parseInput } from '../../http/validation';
import { parseDuration } from '../../lib/duration';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { DEFAULT_SANDBOX_ID } from '../../lib/sandbox-id';
import { holds } from '../../lib/shards';
import { APP_VERSION } from '../../lib/version';
import { enrollProgramAdministrator } from '../accounts/enrollment.service';
import { scopeRootsNamed } from '../hierarchy/scope-change';
import type { LoadedScenario } from '../scenarios/scenario-catalog';
import { exportScenario } from '../scenarios/scenario-export.service';
import { scenarioExportQuery, scenarioJsonSchema } from '../scenarios/scenario-schema';
import type { Fault } from '../faults/fault-injector';
import { recordJournalEvent, type JournalEvent } from '../journal/journal.service';
import { STORED_LINK_ORIGIN, type CapturedEmail } from '../outbox/outbox.service';
import type { Permission } from '../permissions/permissions';
import type { Sandbox } from '../sandboxes/sandbox-registry';
import type { SnapshotSummary } from '../sandboxes/sandbox-snapshots';
import type { SimulatorControls } from '../sandboxes/simulator-controls';
import { runDueWork, type DueWorkReport } from '../scheduler/due-work';
import { deliveriesSettled } from '../reports/subscriptions.service';
import { listPersonas, type Persona } from './personas.service';
import { addCharge, listCardsForScripts, raiseFraudAlert } from './sim-events.service';
import { companyNamed, controlAccountsForScripts, currentScenarioName } from './sim.repository';
import {
  cardsFilter, chargeInput, clockMove, enrollmentInput, fraudAlertInput, outboxFilter, outboxWait, resetInput, sandboxInput,
  snapshotInput,
} from './sim-schemas';
import { eventsFilter, eventsWait } from './sim-schemas';
import { administratorPermissionsInput, administratorStateInput, controlAccountsFilter } from './sim-schemas';
import { setAdministratorPermissions, setAdministratorState } from './administrator-builders';
import { applicationBuildInput, cardBuildInput, transactionBuildInput } from './sim-schemas';
import { anyFaultInput, smsFilter, smsWait } from './sim-schemas';
import type { CapturedSms } from '../sms/sms.service';
import { createCard } from './card-builders';
import { createApplication } from './application-builders';
import { createTransaction } from './transaction-builders';
import { approvalRulesInput, reportSubscriptionBuildInput } from './sim-schemas';
import { createReportSubscription, setCompanyApprovalRules } from './rule-builders';

/** Checks input against a control's schema: the value, or 400 invalid_input naming each field at fault. */
function valid<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = parseInput(schema, input);
  if (!parsed.ok) throw badRequest('invalid_input', 'The request is not valid.', parsed.errors);
  return parsed.data;
}

export interface ClockMove {
  from: string;
  to: string;
  due: DueWorkReport;
}

export interface SandboxSummary {
  id: string;
  /** Read live: a sandbox reset to another scenario is that scenario now. */
  scenario: string;
  now: string;
  createdAt: string;
  lastUsedAt: string;
}

function summarise(sandbox: Sandbox): SandboxSummary {
  return {
    id: sandbox.id,
    scenario: currentScenarioName(sandbox.context.db),
    now: sandbox.context.clock.now().toISOString(),
    createdAt: new Date(sandbox.createdAt).toISOString(),
    lastUsedAt: new Date(sandbox.lastUsedAt).toISOString(),
  };
}

/** The controls of the sandbox `context` belongs to, within the simulator that holds it. */
export class SimulatorControlService {
  constructor(private readonly context: AppContext, private readonly simulator: SimulatorControls) {}

  get sandboxId(): string {
    return this.context.sandboxId;
  }

  health() {
    const { instanceName, shard } = this.context.config;
    return {
      ok: true as const, version: APP_VERSION, now: this.context.clock.now().toISOString(), sandbox: this.context.sandboxId,
      instance: { name: instanceName, shard: shard.index, shards: shard.count, pid: process.pid },
    };
  }

  /** Which sandbox this is, its scenario, simulated now and how many faults it has. */
  overview() {
    const { now, version, sandbox } = this.health();
    return { sandbox, version, now, scenario: currentScenarioName(this.context.db), faults: this.context.faults.list().length };
  }

  /** The JSON Schema of the scenario format, generated from the schema scenarios are checked with. */
  scenarioSchema(): Record<string, unknown> {
    return scenarioJsonSchema();
  }

  personas(): Persona[] {
    return listPersonas(this.context, this.simulator.scenarios.find(currentScenarioName(this.context.db)));
  }

  /** Checks a scenario document wholly and, if it is valid, makes it usable by every sandbox under its name. */
  async loadScenario(input: unknown): Promise<LoadedScenario> {
    return this.simulator.scenarios.load(input);
  }

  /** The sandbox's current state as a scenario document, times relative to its simulated now. */
  exportScenario(query: unknown): Record<string, unknown> {
    const current = currentScenarioName(this.context.db);
    const { name } = valid(scenarioExportQuery, query);
    return exportScenario(this.context, name ?? current, this.simulator.scenarios.find(current));
  }

  /** Restores the sandbox to a named scenario, or to one of its snapshots: data, clock, outbox and sessions alike. */
  async reset(input: unknown): Promise<{ scenario: string; snapshot?: string; personas: Persona[] }> {
    const { scenario: name, seed, snapshot } = valid(resetInput, input);
    if (snapshot !== undefined) {
      const sent = input as Record<string, unknown>;
      if ('scenario' in sent || 'seed' in sent) throw badRequest('invalid_input', 'The request is not valid.', { snapshot: 'Give a scenario or a snapshot, not both.' });
      const sandbox = await this.simulator.sandboxes.restoreSnapshot(this.context.sandboxId, snapshot);
      const restored = currentScenarioName(sandbox.context.db);
      return { scenario: restored, snapshot, personas: listPersonas(sandbox.context, this.simulator.scenarios.find(restored)) };
    }
    const scenario = this.simulator.scenarios.find(name);
    if (!scenario) throw new AppError(400, 'unknown_scenario', `There is no scenario named "${name}".`);
    const sandbox = await this.simulator.sandboxes.reset(this.context.sandboxId, scenario.name, seed);
    return { scenario: scenario.name, personas: listPersonas(sandbox.context, scenario) };
  }

  clock(): { now: string } {
    return { now: this.context.clock.now().toISOString() };
  }

  /**
   * Moves simulated time forward by a duration or to an instant, then does the work that fell due.
   * The clock itself refuses to run backwards or past the end of 2099.
   */
  moveClock(input: unknown): ClockMove {
    const move = valid(clockMove, input);
    const { clock, db } = this.context;
    const from = clock.now().toISOString();
    const ms = 'advance' in move ? parseDuration(move.advance) : undefined;
    if ('advance' in move && ms === undefined) throw badRequest('invalid_input', 'The request is not valid.', { advance: 'Use a duration like "90m", "121d" or "P121D".' });
    db.tx(() => {
      if (ms !== undefined) clock.advanceBy(ms);
      else if ('set' in move) clock.setTo(Date.parse(move.set));
      recordJournalEvent(db, { at: clock.nowMs(), type: 'clock.moved', actor: 'simulator', data: { from, to: clock.now().toISOString() } });
    });
    const due = runDueWork(this.context);
    return { from, to: clock.now().toISOString(), due };
  }

  /** Resolves once the scheduled reports that fell due so far are e-mailed. */
  async scheduledDeliveries(): Promise<void> {
    await deliveriesSettled(this.context);
  }

  /** Captured e-mails, oldest first, their links pointing at the reader's sandbox `origin`. */
  outbox(filter: unknown, origin: string): CapturedEmail[] {
    return this.context.outbox.list(valid(outboxFilter, filter), origin);
  }

  email(id: number, origin: string): CapturedEmail | undefined {
    return this.context.outbox.find(id, origin);
  }

  /** The first matching e-mail as soon as it exists; 408 at the timeout; undefined if the asker went away. */
  async waitForEmail(query: unknown, gone: AbortSignal, origin: string): Promise<CapturedEmail | undefined> {
    const { timeoutMs, ...filter } = valid(outboxWait, query);
    const email = await this.context.outbox.waitFor(filter, timeoutMs, gone, origin);
    if (gone.aborted) return undefined;
    if (!email) throw new AppError(408, 'timeout', `No matching e-mail arrived within ${timeoutMs} ms.`);
    return email;
  }

  clearOutbox(): number {
    return this.context.outbox.clear();
  }

  /** Captured text messages, oldest first. */
  sms(filter: unknown): CapturedSms[] {
    return this.context.sms.list(valid(smsFilter, filter));
  }

  /** The first matching text as soon as it exists; 408 at the timeout; undefined if the asker went away. */
  async waitForSms(query: unknown, gone: AbortSignal): Promise<CapturedSms | undefined> {
    const { timeoutMs, ...filter } = valid(smsWait, query);
    const sms = await this.context.sms.waitFor(filter, timeoutMs, gone);
    if (gone.aborted) return undefined;
    if (!sms) throw new AppError(408, 'timeout', `No matching text message arrived within ${timeoutMs} ms.`);
    return sms;
  }

  clearSms(): number {
    return this.context.sms.clear();
  }

  /** Enrolls a new PA as the bank would; the Welcome e-mail goes to the outbox, its links read at `origin`. */
  async enroll(input: unknown, sourceIp: string | null, origin: string) {
    const { company: named, scope, ...enrollment } = valid(enrollmentInput, input);
    const company = companyNamed(this.context.db, named);
    if (!company) throw badRequest('invalid_input', 'The request is not valid.', { company: 'No company with that name, program number or id.' });
    const roots = scopeRootsNamed(this.context.db, company.id, scope ?? null);
    const enrolled = await enrollProgramAdministrator(this.context, {
      ...enrollment, companyId: company.id, permissions: enrollment.permissions as Permission[], scopeRootIds: (roots ?? []).map((account) => account.id),
    }, { actor: 'simulator', sourceIp, baseUrl: STORED_LINK_ORIGIN });
    return {
      paId: enrolled.paId, company: company.name, email: enrollment.email, state: 'pending' as const, permissions: enrollment.permissions, primary: enrollment.primary,
      scope: roots && roots.map((account) => account.number),
      verificationPin: enrolled.verificationPin, verificationWord: enrolled.verificationWord, accessCode: enrolled.accessCode,
      welcomeEmail: this.context.outbox.find(enrolled.welcomeEmail.id, origin),
    };
  }

  raiseFraudAlert(input: unknown) {
    return raiseFraudAlert(this.context, valid(fraudAlertInput, input).userId);
  }

  cards(filter: unknown) {
    return listCardsForScripts(this.context, valid(cardsFilter, filter).company);
  }

  /** The control accounts of every company, or of one, by company and number. */
  controlAccounts(filter: unknown) {
    return controlAccountsForScripts(this.context.db, valid(controlAccountsFilter, filter).company);
  }

  addCharge(input: unknown) {
    return addCharge(this.context, valid(chargeInput, input));
  }

  /** Sets a PA's state as the portal or the help desk would leave it. */
  setAdministratorState(userId: string, input: unknown) {
    return setAdministratorState(this.context, userId, valid(administratorStateInput, input).state);
  }

  /** Sets a PA's permissions as the help desk's permission change does. */
  setAdministratorPermissions(userId: string, input: unknown) {
    const { permissions, scope } = valid(administratorPermissionsInput, input);
    return setAdministratorPermissions(this.context, userId, permissions as Permission[], scope);
  }

  /** A card in any state, recorded as the portal records a new card. */
  createCard(input: unknown) {
    return createCard(this.context, valid(cardBuildInput, input));
  }

  /** A card application invited as a PA would, and completed by the employee when asked. */
  createApplication(input: unknown, origin: string) {
    return createApplication(this.context, valid(applicationBuildInput, input), origin);
  }

  /** A transaction of any type in any status with its history, as a scenario file records one. */
  createTransaction(input: unknown) {
    return createTransaction(this.context, valid(transactionBuildInput, input));
  }

  /** Replaces a company's approval rules, as a scenario file's `approvalRules` sets them. */
  setApprovalRules(company: string, input: unknown) {
    return setCompanyApprovalRules(this.context, company, valid(approvalRulesInput, input));
  }

  /** Subscribes a PA to a report as the Reports page does. */
  createReportSubscription(input: unknown) {
    return createReportSubscription(this.context, valid(reportSubscriptionBuildInput, input));
  }

  faults(): Fault[] {
    return this.context.faults.list();
  }

  /** A fault of the kind the input names: on routes when it names none. */
  addFault(input: unknown): Fault {
    return this.context.faults.add(valid(anyFaultInput, input));
  }

  removeFault(id: string): void {
    if (!this.context.faults.remove(id)) throw notFound('There is no such fault: it may have run its course.');
  }

  clearFaults(): number {
    return this.context.faults.clear();
  }

  /** The journal's events matching the filter, in order, and the latest id so far (for `since`). */
  events(filter: unknown): { events: JournalEvent[]; lastId: number } {
    const query = valid(eventsFilter, filter);
    const lastId = this.context.journal.lastId();
    return { events: this.context.journal.list(query.since === 'now' ? { ...query, since: lastId } : query), lastId };
  }

  /** The first matching event as soon as it is recorded; 408 at the timeout; undefined if the asker went away. */
  async waitForEvent(query: unknown, gone: AbortSignal): Promise<JournalEvent | undefined> {
    const { timeoutMs, ...filter } = valid(eventsWait, query);
    const event = await this.context.journal.waitFor(filter, timeoutMs, gone);
    if (gone.aborted) return undefined;
    if (!event) throw new AppError(408, 'timeout', `No matching event was recorded within ${timeoutMs} ms.`);
    return event;
  }

  /** Every open sandbox, the default one first. */
  /**
   * This process's sandboxes. Every process has a default of its own, but behind a balancer only
   * shard 0's is the default anyone reaches: the others' are not listed.
   */
  sandboxes(): SandboxSummary[] {
    const { shard } = this.context.config;
    return this.simulator.sandboxes.list().filter((sandbox) => sandbox.id !== DEFAULT_SANDBOX_ID || holds(shard, sandbox.id)).map(summarise);
  }

  /** A new isolated copy of a scenario: its own database, clock, outbox, sessions and faults. */
  async createSandbox(input: unknown): Promise<SandboxSummary> {
    const { scenario, seed, id } = valid(sandboxInput, input);
    // A field of the body, as it was when only the built-in names were accepted: invalid_input names it.
    if (!this.simulator.scenarios.find(scenario)) throw badRequest('invalid_input', 'The request is not valid.', { scenario: `There is no scenario named "${scenario}".` });
    return summarise(await this.simulator.sandboxes.create(scenario, seed, id));
  }

  /** Closes a sandbox and removes its files; never the default one, which is reset instead. */
  deleteSandbox(id: string): void {
    if (id === DEFAULT_SANDBOX_ID) throw new AppError(409, 'default_sandbox', 'The default sandbox cannot be deleted; reset it instead.');
    if (!this.simulator.sandboxes.remove(id)) throw notFound('There is no sandbox with that id.');
  }

  /** This sandbox's snapshots, oldest first. */
  snapshots(): SnapshotSummary[] {
    return this.simulator.sandboxes.snapshots(this.context.sandboxId);
  }

  /** Saves the sandbox's whole state under a name, for `reset { snapshot }` to bring back. */
  saveSnapshot(input: unknown): Promise<SnapshotSummary> {
    return this.simulator.sandboxes.saveSnapshot(this.context.sandboxId, valid(snapshotInput, input).name);
  }

  deleteSnapshot(name: string): Promise<void> {
    return this.simulator.sandboxes.removeSnapshot(this.context.sandboxId, name);
  }
}
