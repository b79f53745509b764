// A client of the simulator API (/sim/api) for test code: Node 20's fetch and nothing else.
// CommonJS with every export named in one object literal, so `import { SimClient }` works from ESM too.
'use strict';

/** The API caps a long poll at this (docs/reference.md §9, GET /sim/api/outbox/wait). */
const API_MAX_POLL_MS = 60_000;
/** A call that is not a long poll and has not answered in this long is not going to. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** A long poll's answer can lag its own timeout by a busy server's moment; wait this much longer for it. */
const POLL_ANSWER_GRACE_MS = 5_000;
/** Connection failures worth another try: the server not listening yet, or dropping the socket. */
const REFUSED = new Set(['ECONNREFUSED']);
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
/** A dropped connection may have been acted on, so only calls that are safe to repeat are re-sent after one. */
const REPEATABLE_METHODS = new Set(['GET', 'HEAD', 'DELETE']);

/** What the API refused, with its stable `code` (assert on that), its `message` and, for invalid_input, `fields`. */
class SimError extends Error {
  constructor({ status, code, message, fields, method, path, cause }) {
    super(`${method} ${path}: ${status ? `${status} ` : ''}${code}: ${message}`, cause ? { cause } : undefined);
    this.name = 'SimError';
    this.status = status;
    this.code = code;
    this.apiMessage = message;
    this.fields = fields;
    this.method = method;
    this.path = path;
  }
}

function connectionErrorCode(err) {
  let cause = err;
  while (cause) {
    if (typeof cause.code === 'string') return cause.code;
    cause = cause.cause;
  }
  return undefined;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function queryString(query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

class SimClient {
  /**
   * @param {object} options
   * @param {string} [options.baseUrl] the simulator, e.g. http://127.0.0.1:3000 (else $SIM_URL, $BASE_URL, that address)
   * @param {string} [options.token] the API's bearer token (else $SIM_TOKEN)
   * @param {string} [options.sandbox] the sandbox every call acts on (X-Sim-Sandbox); the default one when absent
   */
  constructor(options = {}) {
    const baseUrl = options.baseUrl ?? process.env.SIM_URL ?? process.env.BASE_URL ?? 'http://127.0.0.1:3000';
    const token = options.token ?? process.env.SIM_TOKEN;
    if (!token) throw new TypeError('SimClient needs the simulator token: pass { token } or set SIM_TOKEN.');
    this.options = {
      baseUrl: baseUrl.replace(/\/+$/, ''),
      token,
      sandbox: options.sandbox,
      retries: options.retries ?? 4,
      retryDelayMs: options.retryDelayMs ?? 250,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      pollTimeoutMs: Math.min(options.pollTimeoutMs ?? API_MAX_POLL_MS, API_MAX_POLL_MS),
    };
  }

  get baseUrl() { return this.options.baseUrl; }
  get sandboxId() { return this.options.sandbox; }

  /** The same client acting on another sandbox. */
  forSandbox(id) {
    return new SimClient({ ...this.options, sandbox: id });
  }

  /**
   * One call of the API: the answer's JSON, or a SimError. A refused connection is tried again with
   * growing pauses (the simulator may be starting), a dropped one too for calls safe to repeat.
   */
  async request(method, path, { body, query, timeoutMs, headers: extraHeaders, ofSandbox = true } = {}) {
    const url = `${this.options.baseUrl}/sim/api${path}${queryString(query)}`;
    const headers = { ...extraHeaders, Authorization: `Bearer ${this.options.token}`, Accept: 'application/json' };
    // Calls on the set of sandboxes name none: behind a balancer, the header would send them to its shard.
    if (this.options.sandbox && ofSandbox) headers['X-Sim-Sandbox'] = this.options.sandbox;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    for (let attempt = 0; ; attempt += 1) {
      let res;
      try {
        res = await fetch(url, {
          method, headers, body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs ?? this.options.requestTimeoutMs),
        });
      } catch (err) {
        const code = connectionErrorCode(err);
        const retryable = REFUSED.has(code) || (DROPPED.has(code) && REPEATABLE_METHODS.has(method));
        if (retryable && attempt < this.options.retries) {
          await sleep(this.options.retryDelayMs * 2 ** attempt);
          continue;
        }
        const timedOut = err && (err.name === 'TimeoutError' || err.name === 'AbortError');
        throw new SimError({
          status: 0, code: timedOut ? 'client_timeout' : 'unreachable', method, path, cause: err,
          message: timedOut ? 'The simulator did not answer in time.' : `Could not reach the simulator at ${this.options.baseUrl} (${code ?? err.message}).`,
        });
      }
      const text = await res.text();
      let json;
      try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
      if (res.ok) return json;
      const error = json && json.error;
      throw new SimError({
        status: res.status, method, path,
        code: error && error.code ? error.code : 'unexpected_response',
        message: error && error.message ? error.message : text.slice(0, 200),
        fields: error ? error.fields : undefined,
      });
    }
  }

  health() { return this.request('GET', '/health'); }

  async personas() { return (await this.request('GET', '/personas')).personas; }

  /** The persona listed under this user ID now. */
  async persona(userId) {
    const found = (await this.personas()).find((p) => p.userId === userId);
    if (!found) throw new SimError({ status: 0, code: 'unknown_persona', message: `No persona is listed under ${userId}.`, method: 'GET', path: '/personas' });
    return found;
  }

  reset(options = {}) { return this.request('POST', '/reset', { body: options }); }

  clock() { return this.request('GET', '/clock'); }
  advanceClock(duration) { return this.request('POST', '/clock', { body: { advance: duration } }); }
  setClock(time) { return this.request('POST', '/clock', { body: { set: time instanceof Date ? time.toISOString() : time } }); }

  async outbox(filter = {}) { return (await this.request('GET', '/outbox', { query: filter })).messages; }

  /**
   * The oldest e-mail matching the filter, waiting up to timeoutMs for it: the long poll is issued
   * again (each at most pollTimeoutMs) until the overall deadline, then a SimError 408 `timeout`.
   */
  async waitForEmail(filter = {}, options = {}) {
    return (await this.longPoll('/outbox/wait', filter, options)).message;
  }

  /** Re-issues a long poll (each at most pollTimeoutMs) until timeoutMs has passed, then SimError 408 `timeout`. */
  async longPoll(path, filter, { timeoutMs = 10_000, pollTimeoutMs = this.options.pollTimeoutMs } = {}) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const pollMs = Math.max(0, Math.min(pollTimeoutMs, API_MAX_POLL_MS, Math.ceil(deadline - performance.now())));
      try {
        return await this.request('GET', path, { query: { ...filter, timeoutMs: pollMs }, timeoutMs: pollMs + POLL_ANSWER_GRACE_MS });
      } catch (err) {
        if (!(err instanceof SimError && err.code === 'timeout' && performance.now() < deadline)) throw err;
      }
    }
  }

  clearOutbox() { return this.request('DELETE', '/outbox'); }

  /** Captured text messages, oldest first; filter `to` (E.164) and `type` (`two_step_code`, `fraud_notice`). */
  async sms(filter = {}) { return (await this.request('GET', '/sms', { query: filter })).messages; }

  /** The oldest text matching the filter, waiting for it as waitForEmail waits for mail. */
  async waitForSms(filter = {}, options = {}) {
    return (await this.longPoll('/sms/wait', filter, options)).message;
  }

  /** The sign-in code of the oldest two_step_code text to `phone`, waiting for it. */
  async waitForCode(phone, options = {}) {
    return (await this.waitForSms({ to: phone, type: 'two_step_code' }, options)).data.code;
  }

  clearSms() { return this.request('DELETE', '/sms'); }

  /**
   * The newest 2-step sign-in code sent to the PA, on their channel: texts (to the persona's phone)
   * for a PA on text, else e-mail; waits up to timeoutMs when none was sent yet.
   */
  async signInCode({ userId, timeoutMs = 10_000 } = {}) {
    const pa = await this.persona(userId);
    const byText = pa.twoStep === 'sms' && pa.phone;
    const filter = { to: byText ? pa.phone : pa.email, type: 'two_step_code' };
    const sent = byText ? await this.sms(filter) : await this.outbox(filter);
    const newest = sent.at(-1) ?? (byText ? await this.waitForSms(filter, { timeoutMs }) : await this.waitForEmail(filter, { timeoutMs }));
    return newest.data.code;
  }

  enroll(enrollment) { return this.request('POST', '/enrollments', { body: enrollment }); }
  raiseFraudAlert(userId) { return this.request('POST', '/fraud-alerts', { body: { userId } }); }

  async cards(filter = {}) { return (await this.request('GET', '/cards', { query: filter })).cards; }
  /** Each company's control accounts (`{ company }` for one): the numbers a card's `controlAccount` and a PA's `scope` name. */
  async controlAccounts(filter = {}) { return (await this.request('GET', '/control-accounts', { query: filter })).controlAccounts; }
  async addCharge(charge) { return (await this.request('POST', '/charges', { body: charge })).charge; }

  async faults() { return (await this.request('GET', '/faults')).faults; }
  async addFault(fault) { return (await this.request('POST', '/faults', { body: fault })).fault; }
  clearFaults() { return this.request('DELETE', '/faults'); }
  removeFault(id) { return this.request('DELETE', `/faults/${encodeURIComponent(id)}`); }

  /** The sandboxes of the process that answers: behind a balancer, the default's shard (see allSandboxes). */
  async sandboxes() { return (await this.request('GET', '/sandboxes', { ofSandbox: false })).sandboxes; }
  /**
   * Every sandbox of a sharded deployment: each shard is asked through the balancer (X-Sim-Shard),
   * as many as the health answer says there are. With one process, the same as sandboxes().
   */
  async allSandboxes() {
    const { instance } = await this.request('GET', '/health', { ofSandbox: false });
    const shards = Array.from({ length: instance.shards }, (_, shard) =>
      this.request('GET', '/sandboxes', { ofSandbox: false, headers: { 'X-Sim-Shard': String(shard) } }));
    const seen = new Map();
    for (const { sandboxes } of await Promise.all(shards)) for (const sandbox of sandboxes) seen.set(sandbox.id, sandbox);
    return [...seen.values()];
  }
  createSandbox(options = {}) { return this.request('POST', '/sandboxes', { body: options, ofSandbox: false }); }
  deleteSandbox(id) { return this.request('DELETE', `/sandboxes/${encodeURIComponent(id)}`, { ofSandbox: false }); }

  async snapshots() { return (await this.request('GET', '/snapshots')).snapshots; }
  /** Saves the sandbox's whole state (data, clock, outbox, sessions) under a name; saving a name again replaces it. */
  async saveSnapshot(name) { return (await this.request('POST', '/snapshots', { body: { name } })).snapshot; }
  /** Brings a saved state back, the clock included: POST /reset { snapshot }. */
  restoreSnapshot(name) { return this.request('POST', '/reset', { body: { snapshot: name } }); }
  deleteSnapshot(name) { return this.request('DELETE', `/snapshots/${encodeURIComponent(name)}`); }

  /** The event journal, oldest first: `{ events, lastId }`; pass `lastId` as `since` later to see only what came next. */
  events(filter = {}) { return this.request('GET', '/events', { query: filter }); }
  /** The first event matching the filter (after `since`), waiting for it as waitForEmail waits for mail. */
  async waitForEvent(filter = {}, options = {}) {
    return (await this.longPoll('/events/wait', filter, options)).event;
  }

  /** Loads a scenario document; reset and createSandbox take its name from then on. SimError 400 `invalid_scenario` lists every problem. */
  loadScenario(document) { return this.request('POST', '/scenarios', { body: document }); }
  /** The sandbox's current state as a scenario document (under `name`, if given), to save and load again. */
  exportScenario(name) { return this.request('GET', '/scenario', { query: name === undefined ? {} : { name } }); }
  /** The JSON Schema of scenario documents. */
  scenarioSchema() { return this.request('GET', '/scenario.schema.json'); }

  // State builders: a PA's state or permissions set in one call.
  setAdministratorState(userId, state) {
    return this.request('POST', `/administrators/${encodeURIComponent(userId)}/state`, { body: { state } });
  }

  /** The PA's whole set of permissions; with `{ scope }` (control-account numbers, or null for the whole company) their scope too. */
  setAdministratorPermissions(userId, permissions, { scope } = {}) {
    return this.request('POST', `/administrators/${encodeURIComponent(userId)}/permissions`, { body: { permissions, scope } });
  }

  /**
   * A card in any state (`{ company, cardmemberName, tier, state?, limitDollars, temporaryLimit?, controlAccount? }`),
   * recorded as the portal records a new card, in the control account numbered (the company's first top-level one when absent).
   */
  createCard(card) { return this.request('POST', '/cards', { body: card }); }
  /** A transaction of any type in any status with its history (events by `minutesAgo` and actor), as a scenario file records one. */
  createTransaction(transaction) { return this.request('POST', '/transactions', { body: transaction }); }

  // Rule builders: a company's approval rules, a PA's report subscription.
  /** Replaces a company's (name, program number or id) approval rules whole: what `rules` leaves out or sets null is off. */
  setApprovalRules(company, rules = {}) {
    return this.request('POST', `/companies/${encodeURIComponent(company)}/approval-rules`, { body: rules });
  }
  /** Subscribes a PA to a report as the Reports page does (`{ userId, report, frequency, account?, reason? }`); the answer's `nextDueAt` is when the clock delivers it. */
  createReportSubscription(subscription) { return this.request('POST', '/report-subscriptions', { body: subscription }); }
}

module.exports = { SimClient, SimError, API_MAX_POLL_MS };
