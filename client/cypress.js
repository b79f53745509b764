// Cypress commands for the simulator: a sandbox per test, reset, clock, outbox wait and loginAs, each
// through cy.request with the token and the test's sandbox header.
/* global cy */
'use strict';

const API_MAX_POLL_MS = 60_000;

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

  /** The oldest matching e-mail; the long poll is issued again (each at most pollTimeoutMs) until timeoutMs. */
  Cypress.Commands.add('simOutboxWait', (filter = {}, { timeoutMs = 10_000, pollTimeoutMs = API_MAX_POLL_MS } = {}) => {
    const deadline = Date.now() + timeoutMs;
    const poll = () => {
      const pollMs = Math.max(0, Math.min(pollTimeoutMs, API_MAX_POLL_MS, deadline - Date.now()));
      return cy.sim('GET', '/outbox/wait', undefined, { qs: { ...filter, timeoutMs: pollMs }, timeout: pollMs + 5_000, allowStatus: [408] })
        .then((answer) => {
          if (answer.status !== 408) return answer.message;
          if (Date.now() >= deadline) throw new Error(`No e-mail matching ${JSON.stringify(filter)} arrived within ${timeoutMs} ms.`);
          return poll();
        });
    };
    return poll();
  });

  /**
   * Signs a persona (a user ID or a persona) in through the portal's login form, as the browser
   * would post it; the session cookie lands in the browser's cookie jar.
   */
  Cypress.Commands.add('loginAs', (who) => {
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
        if (res.status !== 303) {
          const code = /data-error-code="([^"]*)"/.exec(typeof res.body === 'string' ? res.body : '');
          throw new Error(`${p.userId} could not sign in: ${code ? code[1] : res.status}`);
        }
        return p;
      });
    });
  });
}

module.exports = { registerSimCommands };
