// Cypress commands for the simulator: a sandbox per test, reset, clock, outbox wait and loginAs, each
// through cy.request with the token and the test's sandbox header.
/* global cy */
'use strict';

const API_MAX_POLL_MS = 60_000;
const VERIFY_PATH = '/login/verify';

/**
 * Adds the commands to Cypress (call it once from the support file). The API is at
 * Cypress.env('SIM_URL'), else the baseUrl; the token is Cypress.env('SIM_TOKEN').
 */
function registerSimCommands(Cypress) {
  let sandboxId;
  const apiBase = () => (Cypress.env('SIM_URL') || Cypress.config('baseUrl') || '').replace(/\/+$/, '');
  const headers = () => ({
    Authorization: `Bearer ${Cypress.env('SIM_TOKEN')}`,
    ...(sandboxId ? { 'X-Sim-Sandbox': sandboxId } : {}),
  });

  /** One API call; yields the JSON body. A refusal fails the test with the API's code in the message. */
  Cypress.Commands.add('sim', (method, path, body, options = {}) =>
    cy.request({
      method, url: `${apiBase()}/sim/api${path}`, headers: headers(), body, qs: options.qs,
      timeout: options.timeout, failOnStatusCode: false,
    }).then((res) => {
      if (options.allowStatus && options.allowStatus.includes(res.status)) return res;
      if (res.status >= 400) {
        const error = (res.body && res.body.error) || {};
        throw new Error(`${method} /sim/api${path}: ${res.status} ${error.code ?? 'unexpected_response'}: ${error.message ?? ''}`);
      }
      return res.body;
    }));

  /** A fresh sandbox for this test; every request the page makes is sent into it. */
  Cypress.Commands.add('simSandbox', (options = {}) => {
    sandboxId = undefined;
    return cy.sim('POST', '/sandboxes', options).then((sandbox) => {
      sandboxId = sandbox.id;
      return cy.intercept({ url: `${apiBase()}/**` }, (req) => {
        req.headers['x-sim-sandbox'] = sandbox.id;
      }).then(() => sandbox);
    });
  });

  /** Deletes this test's sandbox (from afterEach). */
  Cypress.Commands.add('simDeleteSandbox', () => {
    if (!sandboxId) return cy.wrap(null);
    const id = sandboxId;
    sandboxId = undefined;
    return cy.sim('DELETE', `/sandboxes/${encodeURIComponent(id)}`);
  });

  Cypress.Commands.add('simReset', (options = {}) => cy.sim('POST', '/reset', options));

  /** cy.simClock() reads the clock, cy.simClock('1d') moves it on, cy.simClock({ set }) sets it. */
  Cypress.Commands.add('simClock', (move) => {
    if (move === undefined) return cy.sim('GET', '/clock');
    return cy.sim('POST', '/clock', typeof move === 'string' ? { advance: move } : move);
  });

  Cypress.Commands.add('simPersona', (userId) =>
    cy.sim('GET', '/personas').then(({ personas }) => {
      const found = personas.find((p) => p.userId === userId);
      if (!found) throw new Error(`No persona is listed under ${userId}.`);
      return found;
    }));

  /** Re-issues a long poll on `path` (each at most pollTimeoutMs) until timeoutMs; yields the message. */
  const longPoll = (path, what, filter, { timeoutMs = 10_000, pollTimeoutMs = API_MAX_POLL_MS } = {}) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      const pollMs = Math.max(0, Math.min(pollTimeoutMs, API_MAX_POLL_MS, deadline - Date.now()));
      return cy.sim('GET', path, undefined, { qs: { ...filter, timeoutMs: pollMs }, timeout: pollMs + 5_000, allowStatus: [408] })
        .then((answer) => {
          if (answer.status !== 408) return answer.message;
          if (Date.now() >= deadline) throw new Error(`No ${what} matching ${JSON.stringify(filter)} arrived within ${timeoutMs} ms.`);
          return poll();
        });
    };
    return poll();
  };

  /** The oldest matching e-mail, waiting for it up to timeoutMs. */
  Cypress.Commands.add('simOutboxWait', (filter = {}, options = {}) => longPoll('/outbox/wait', 'e-mail', filter, options));

  /** Captured text messages, oldest first; filter `to` (E.164) and `type`. */
  Cypress.Commands.add('simSms', (filter = {}) => cy.sim('GET', '/sms', undefined, { qs: filter }).then((body) => body.messages));

  /** The oldest matching text message, waiting for it up to timeoutMs. */
  Cypress.Commands.add('simSmsWait', (filter = {}, options = {}) => longPoll('/sms/wait', 'text message', filter, options));

  /**
   * The newest 2-step sign-in code sent to a persona, on their channel (text to their phone, else
   * e-mail), waiting for one when none was sent yet.
   */
  Cypress.Commands.add('simSignInCode', (who, options = {}) => {
    const persona = typeof who === 'string' ? cy.simPersona(who) : cy.wrap(who);
    return persona.then((p) => {
      const byText = p.twoStep === 'sms' && p.phone;
      const filter = { to: byText ? p.phone : p.email, type: 'two_step_code' };
      const sent = byText ? cy.simSms(filter) : cy.sim('GET', '/outbox', undefined, { qs: filter }).then((body) => body.messages);
      return sent.then((messages) => {
        if (messages.length > 0) return messages[messages.length - 1];
        return byText ? cy.simSmsWait(filter, options) : cy.simOutboxWait(filter, options);
      }).then((message) => message.data.code);
    });
  });

  /**
   * Signs a persona (a user ID or a persona) in through the portal's login form, as the browser
   * would post it, and through the code page when the PA has 2-step verification; the session
   * cookie lands in the browser's cookie jar. `codeTimeoutMs` bounds the wait for the code (10 s).
   */
  Cypress.Commands.add('loginAs', (who, options = {}) => {
    const persona = typeof who === 'string' ? cy.simPersona(who) : cy.wrap(who);
    return persona.then((p) => {
      const staff = p.role === 'agent' || p.role === 'supervisor';
      const path = staff ? '/helpdesk/login' : '/login';
      const url = `${apiBase()}${path}`;
      const page = sandboxId ? { 'X-Sim-Sandbox': sandboxId } : {};
      return cy.request({ url, headers: { ...page, Accept: 'text/html' }, followRedirect: false }).then((form) => {
        // The form redirects a browser already signed in: sign out (or start the test afresh) first.
        const csrf = form.status === 200 && /name="_csrf" value="([^"]*)"/.exec(form.body);
        if (!csrf) throw new Error(`${path} showed no login form (${form.status}): this browser is already signed in.`);
        return cy.request({
          method: 'POST', url, headers: { ...page, Accept: 'text/html' }, form: true, followRedirect: false, failOnStatusCode: false,
          body: { _csrf: csrf[1], [staff ? 'staffId' : 'userId']: p.userId, password: p.password },
        });
      }).then((res) => {
        refusedUnlessRedirect(p, res);
        const next = new URL(res.headers.location, url);
        if (!next.pathname.endsWith(VERIFY_PATH)) return p;
        return secondStep(p, page, next.href, options);
      });
    });
  });

  /** The code page of 2-step sign-in: the code read from the outboxes, posted with the page's CSRF token. */
  const secondStep = (p, page, url, options) => {
    return cy.request({ url, headers: { ...page, Accept: 'text/html' }, followRedirect: false }).then((form) => {
      const csrf = /name="_csrf" value="([^"]*)"/.exec(form.body);
      if (!csrf) throw new Error(`${VERIFY_PATH} showed no code form (${form.status}).`);
      return cy.simSignInCode(p, { timeoutMs: options.codeTimeoutMs }).then((code) => cy.request({
        method: 'POST', url, headers: { ...page, Accept: 'text/html' }, form: true, followRedirect: false, failOnStatusCode: false,
        body: { _csrf: csrf[1], code },
      }));
    }).then((res) => {
      refusedUnlessRedirect(p, res);
      return p;
    });
  };
}

/** The portal answers a sign-in step it accepts with 303; anything else carries its error code in the page. */
function refusedUnlessRedirect(persona, res) {
  if (res.status === 303) return;
  const code = /data-error-code="([^"]*)"/.exec(typeof res.body === 'string' ? res.body : '');
  throw new Error(`${persona.userId} could not sign in: ${code ? code[1] : res.status}`);
}

module.exports = { registerSimCommands };
