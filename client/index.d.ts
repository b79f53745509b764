// Types of the simulator API's client (docs/reference.md §9 is the contract).

export interface SimClientOptions {
  /** The simulator, e.g. http://127.0.0.1:3000; else $SIM_URL, $BASE_URL, then that address. */
  baseUrl?: string;
  /** The API's bearer token; else $SIM_TOKEN. */
  token?: string;
  /** The sandbox every call acts on (the X-Sim-Sandbox header); the default sandbox when absent. */
  sandbox?: string;
  /** Further tries of a refused (or, for GET and DELETE, dropped) connection. Default 4. */
  retries?: number;
  /** The first pause before a retry, doubled each time. Default 250 ms. */
  retryDelayMs?: number;
  /** How long a call other than a long poll may take. Default 30000 ms. */
  requestTimeoutMs?: number;
  /** The longest single long poll; waits longer than this re-issue it. Default and at most 60000 ms. */
  pollTimeoutMs?: number;
}

export type PersonaRole = 'program_administrator' | 'agent' | 'supervisor';
export type PersonaState = 'pending' | 'active' | 'inactive' | 'locked' | 'suspended';

export interface Persona {
  userId: string;
  password: string;
  passwordChangedAt: string | null;
  email: string;
  /** E.164; null with no phone on file, and for staff. */
  phone: string | null;
  /** Where a PA's 2-step sign-in codes go; null with 2-step off, and for staff. */
  twoStep: 'email' | 'sms' | null;
  verificationPin: string | null;
  verificationWord: string | null;
  accessCode: string | null;
  role: PersonaRole;
  primary: boolean;
  company: string | null;
  permissions: string[];
  /** Numbers of the control accounts whose subtrees the PA is limited to; null: the whole company (and for staff). */
  scope: string[] | null;
  state: PersonaState;
}

export type SmsType = 'two_step_code' | 'fraud_notice';
export interface SmsFilter { to?: string; type?: SmsType }
export interface Sms { id: number; to: string; type: SmsType; text: string; data: { code?: string }; sentAt: string }

/** Which simulator process answered: behind a balancer, shard `shard` of `shards`. */
export interface Instance { name: string; shard: number; shards: number; pid: number }
export interface Health { ok: true; version: string; now: string; sandbox: string; instance: Instance }
export interface ClockReading { now: string }
export interface ResetOptions { scenario?: 'default' | 'empty' | 'large' | (string & {}); seed?: number }
export interface ResetAnswer { scenario: string; snapshot?: string; personas: Persona[] }

export interface Email {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  type: string;
  data: Record<string, string>;
  sentAt: string;
}
export interface OutboxFilter { to?: string; type?: string }
export interface WaitOptions {
  /** The overall deadline. Default 10000 ms. */
  timeoutMs?: number;
  /** The longest single long poll (at most 60000 ms); the client re-issues it until the deadline. */
  pollTimeoutMs?: number;
}

export interface Enrollment {
  company: string;
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  permissions?: string[];
  primary?: boolean;
  verificationPin?: string;
  verificationWord?: string;
  /** Numbers of the control accounts whose subtrees the PA is limited to; null or absent: the whole company. Not for a primary PA. */
  scope?: string[] | null;
}
export interface EnrollmentAnswer {
  paId: number;
  company: string;
  email: string;
  state: 'pending';
  permissions: string[];
  primary: boolean;
  /** The scope as it stands: sorted numbers (none inside another), or null for the whole company. */
  scope: string[] | null;
  verificationPin: string;
  verificationWord: string;
  accessCode: string;
  welcomeEmail: Email;
}

export interface Card {
  id: number; company: string;
  /** The number of the card's control account; null when its company has no hierarchy. */
  controlAccount: string | null;
  cardmemberName: string; lastFive: string; tier: string; state: string; limitCents: number;
}
/** A control account of a company's hierarchy: `parent` the number it sits under (null: under the company), `level` 1 to 4. */
export interface ControlAccount { company: string; number: string; name: string; parent: string | null; level: number }
export interface ChargeInput { cardId: number; merchant: string; amountCents: number; declineReason?: string; daysAgo?: number }
export interface Charge { id: number; cardId: number; merchant: string; amountCents: number; status: string; declineReason: string | null; at: string }

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** A route fault: requests matching `pattern` are slowed or answered with `status`. */
export interface RouteFaultInput { kind?: 'route'; pattern: string; method?: HttpMethod; latencyMs?: number; status?: number; probability?: number; times?: number }
/** `sms_undelivered`: texts to `phone` (E.164) vanish, `times` of them or until removed. */
export interface SmsFaultInput { kind: 'sms_undelivered'; phone: string; times?: number }
export type FaultInput = RouteFaultInput | SmsFaultInput;
export type Fault = (RouteFaultInput & { kind: 'route'; id: string; probability: number; hits: number }) | (SmsFaultInput & { id: string; hits: number });

/** `id`: chosen by the script (3–40 of a-z, 0-9 and '-'); 409 `sandbox_exists` when taken. */
export interface SandboxOptions { scenario?: 'default' | 'empty' | (string & {}); seed?: number; id?: string }
/** A scenario document: its full shape is GET /sim/api/scenario.schema.json (scenarios/scenario.schema.json). */
export interface ScenarioDocument { name: string; [field: string]: unknown }
/** `type` exact or a prefix ending in `*` (`login.*`); `since` an event id, or `now`. */
export interface EventFilter { type?: string; actor?: string; subject?: string; since?: number | 'now' }
/** Something that happened in the sandbox (docs/reference.md §9 lists the types). */
export interface SimEvent {
  id: number; at: string; type: string; actor: string; actorUserId: string | null;
  subject: string | null; subjectUserId: string | null; data: Record<string, unknown>;
}
/** A saved state of a sandbox: `simulatedAt` is the sandbox's clock then, `takenAt` real time. */
export interface Snapshot { name: string; simulatedAt: string; takenAt: string }
export interface Sandbox {
  id: string;
  scenario: string;
  now: string;
  createdAt: string;
  lastUsedAt: string;
  header: { 'X-Sim-Sandbox': string };
  /** http://<id>.localhost:<port>: a browser there is inside the sandbox. */
  url: string;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
  /** Further request headers (X-Sim-Shard, say). */
  headers?: Record<string, string>;
  /** false for a call on the set of sandboxes, sent without this client's X-Sim-Sandbox. */
  ofSandbox?: boolean;
}

/** What the API refused: assert on `code`. A connection that failed is status 0, code `unreachable` or `client_timeout`. */
export declare class SimError extends Error {
  readonly name: 'SimError';
  readonly status: number;
  readonly code: string;
  /** The API's own message. */
  readonly apiMessage: string;
  /** For invalid_input: each field at fault, keyed by its path. */
  readonly fields?: Record<string, string>;
  readonly method: string;
  readonly path: string;
}

export declare const API_MAX_POLL_MS: 60000;

export declare class SimClient {
  constructor(options?: SimClientOptions);
  readonly baseUrl: string;
  readonly sandboxId: string | undefined;
  forSandbox(id: string): SimClient;
  /** One call of the API under /sim/api: its JSON answer, or a SimError. */
  request<T = unknown>(method: HttpMethod, path: string, options?: RequestOptions): Promise<T>;

  health(): Promise<Health>;
  personas(): Promise<Persona[]>;
  /** The persona listed under this user ID now; SimError `unknown_persona` when none is. */
  persona(userId: string): Promise<Persona>;
  reset(options?: ResetOptions): Promise<ResetAnswer>;

  clock(): Promise<ClockReading>;
  /** `90m`, `1d`, `1h30m`, `P121D`… */
  advanceClock(duration: string): Promise<ClockReading>;
  setClock(time: string | Date): Promise<ClockReading>;

  outbox(filter?: OutboxFilter): Promise<Email[]>;
  /** The oldest matching e-mail, waiting for it; SimError 408 `timeout` past the deadline. */
  waitForEmail(filter?: OutboxFilter, options?: WaitOptions): Promise<Email>;
  /** The newest 2-step sign-in code sent to the PA on their channel (text or e-mail), waiting up to timeoutMs for one. */
  signInCode(options: { userId: string; timeoutMs?: number }): Promise<string>;
  clearOutbox(): Promise<{ deleted: number }>;
  /** Captured text messages, oldest first. */
  sms(filter?: SmsFilter): Promise<Sms[]>;
  /** The oldest matching text, waiting for it; SimError 408 `timeout` at the deadline. */
  waitForSms(filter?: SmsFilter, options?: WaitOptions): Promise<Sms>;
  /** The code of the oldest `two_step_code` text to `phone` (E.164), waiting for it. */
  waitForCode(phone: string, options?: WaitOptions): Promise<string>;
  clearSms(): Promise<{ deleted: number }>;

  enroll(enrollment: Enrollment): Promise<EnrollmentAnswer>;
  raiseFraudAlert(userId: string): Promise<{ userId: string; state: 'suspended' }>;

  cards(filter?: { company?: string }): Promise<Card[]>;
  /** Every company's control accounts, or one company's (name, program number or id), by company and number. */
  controlAccounts(filter?: { company?: string }): Promise<ControlAccount[]>;
  addCharge(charge: ChargeInput): Promise<Charge>;

  faults(): Promise<Fault[]>;
  addFault(fault: FaultInput): Promise<Fault>;
  clearFaults(): Promise<{ cleared: number }>;
  removeFault(id: string): Promise<{ cleared: 1 }>;

  /** The sandboxes of the process that answers: behind a balancer, the default's shard. */
  sandboxes(): Promise<Sandbox[]>;
  /** Every sandbox of every shard (asked through the balancer with X-Sim-Shard); one process: sandboxes(). */
  allSandboxes(): Promise<Sandbox[]>;
  createSandbox(options?: SandboxOptions): Promise<Sandbox>;
  deleteSandbox(id: string): Promise<{ deleted: string }>;

  snapshots(): Promise<Snapshot[]>;
  /** Saves the sandbox's whole state (data, clock, outbox, sessions); saving a name again replaces it. */
  saveSnapshot(name: string): Promise<Snapshot>;
  /** Brings a saved state back, the clock included; SimError 404 `unknown_snapshot` for a name never saved. */
  restoreSnapshot(name: string): Promise<ResetAnswer>;
  deleteSnapshot(name: string): Promise<{ deleted: string }>;

  /** The event journal, oldest first; pass `lastId` as `since` later to see only what came next (or `since: 'now'`). */
  events(filter?: EventFilter): Promise<{ events: SimEvent[]; lastId: number }>;
  /** The first event matching the filter, waiting for it; SimError 408 `timeout` past the deadline. */
  waitForEvent(filter?: EventFilter, options?: WaitOptions): Promise<SimEvent>;

  /** Loads a scenario document (docs/reference.md §8); reset and createSandbox take its name from then on. */
  loadScenario(document: ScenarioDocument): Promise<{ name: string; replaced: boolean }>;
  /** The sandbox's current state as a scenario document (named `name`, if given). */
  exportScenario(name?: string): Promise<ScenarioDocument>;
  /** The JSON Schema of scenario documents. */
  scenarioSchema(): Promise<Record<string, unknown>>;

  /** Leaves a registered PA in this state as the portal would; SimError 409 `no_change` if already so. */
  setAdministratorState(userId: string, state: 'active' | 'inactive' | 'locked' | 'suspended'):
    Promise<{ userId: string; state: 'active' | 'inactive' | 'locked' | 'suspended'; previousState: string }>;
  /**
   * Sets a PA's whole set of permissions as the help desk does; with `scope` (control-account numbers, or
   * null for the whole company) their scope too, else it stays. SimError 400 `unknown_control_account`, 409 `primary_scope`.
   */
  setAdministratorPermissions(userId: string, permissions: string[], options?: { scope?: string[] | null }):
    Promise<{ userId: string; permissions: string[]; added: string[]; removed: string[]; scope: string[] | null; trackingNumber: string }>;
  /** A card in any state, recorded as the portal records a new card (its completed application, then the request that put it in its state). */
  createCard(card: {
    company: string; cardmemberName: string; tier: 'standard' | 'premium' | 'business' | 'prepaid';
    state?: 'active' | 'suspended' | 'lost_stolen' | 'cancelled'; limitDollars: number; temporaryLimit?: { dollars: number; endsInDays: number };
    /** The number of the company's control account it is in; the company's first top-level one when absent. SimError 400 `unknown_control_account` for another. */
    controlAccount?: string;
  }): Promise<{
    id: number; company: string; controlAccount: string | null; cardmemberName: string; lastFive: string; tier: string; state: 'active' | 'suspended' | 'lost_stolen' | 'cancelled';
    limitCents: number; temporaryLimitCents: number | null; temporaryLimitEndsAt: string | null; trackingNumbers: string[];
  }>;
  /** A transaction in any status with its history; a submitted or in-progress one the clock moves falls due as the portal's own would. */
  createTransaction(transaction: {
    company: string; type: string; status: 'submitted' | 'in_progress' | 'completed' | 'rejected';
    /** A registered PA's user ID of the company, or `staff:<staff ID>`. */
    submittedBy: string; card?: number; summary: string; details?: Record<string, unknown>; rejectionReason?: string; dueInMinutes?: number;
    events: Array<{ minutesAgo: number; status: 'submitted' | 'in_progress' | 'completed' | 'rejected'; actor: string; note?: string }>;
  }): Promise<{ trackingNumber: string; company: string; type: string; status: string; cardId: number | null; nextDueAt: string | null }>;

  /** Replaces a company's approval rules whole (the company by name, any case, program number or id); absent or null is off. SimError 404 `not_found` for no such company. */
  setApprovalRules(company: string, rules?: Partial<{ [Rule in keyof ApprovalRules]: ApprovalRules[Rule] | null }>): Promise<{ company: string; approvalRules: ApprovalRules }>;
  /**
   * Subscribes a PA to a report as the Reports page does, with its checks: SimError 400 `invalid_input`, 404 `not_found`,
   * 409 `not_permitted` (not active, or without reports.view) or `too_many_subscriptions`. Moving the clock past `nextDueAt` e-mails it (`scheduled_report`).
   */
  createReportSubscription(subscription: {
    userId: string; report: ReportName; frequency: ReportFrequency;
    /** Declines only: a control account's number, within the PA's scope. */
    account?: string;
    /** Declines only: a reason among the company's declines. */
    reason?: string;
  }): Promise<{
    id: number; userId: string; report: ReportName; title: string; frequency: ReportFrequency; frequencyLabel: string;
    filters: { account?: string; reason?: string }; nextDueAt: string; lastDeliveredAt: string | null;
  }>;
}

export type ReportName = 'declines' | 'spend' | 'open_requests';
export type ReportFrequency = 'daily' | 'weekly' | 'monthly';

/** A company's approval rules (docs/reference.md §8, `approvalRules`). */
export interface ApprovalRules {
  applications: boolean;
  secondApproverAboveCents: number | null;
  holdLimitChangesAboveCents: number | null;
  holdCancellationsByNonPrimary: boolean;
}
