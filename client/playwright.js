// A Playwright fixture: every test in a sandbox of its own (created before, deleted after, also when
// the test fails), `page` pointed at it, `sim` bound to it and `loginAs` signing in through the form.
'use strict';

const { test: base, expect } = require('@playwright/test');
const { SimClient, SimError } = require('./index.js');

const STAFF_ROLES = new Set(['agent', 'supervisor']);

/** The login form of a persona's realm: program administrators at /login, help-desk staff at /helpdesk/login. */
function loginForm(persona) {
  return STAFF_ROLES.has(persona.role)
    ? { path: '/helpdesk/login', idField: 'staffId-input', submit: 'staff-login-submit', error: 'staff-login-error' }
    : { path: '/login', idField: 'userId-input', submit: 'login-submit', error: 'login-error' };
}

const VERIFY_PATH = '/login/verify';

/** Waits for the page to leave `path` (signed in, or on to the next step) or show `errorId`; throws with the portal's code. */
async function leaveOrRefusal(page, path, errorId, persona) {
  const left = page.waitForURL((url) => url.pathname !== path).then(() => 'left');
  const refused = page.getByTestId(errorId).waitFor().then(() => 'refused');
  const outcome = await Promise.race([left, refused]);
  left.catch(() => undefined);
  refused.catch(() => undefined);
  if (outcome === 'refused') {
    const code = await page.getByTestId(errorId).getAttribute('data-error-code');
    throw new Error(`${persona.userId} could not sign in: ${code ?? 'refused'}`);
  }
}

/**
 * Fills and sends the form the page is on; for a PA with 2-step verification, also the code page,
 * with the code read from the sandbox's outboxes (text or e-mail). Throws with the portal's error
 * code when it refuses.
 */
async function submitLogin(page, form, persona, client) {
  await page.getByTestId(form.idField).fill(persona.userId);
  await page.getByTestId('password-input').fill(persona.password);
  await page.getByTestId(form.submit).click();
  await leaveOrRefusal(page, form.path, form.error, persona);
  if (new URL(page.url()).pathname !== VERIFY_PATH) return;
  const code = await client.signInCode({ userId: persona.userId });
  await page.getByTestId('code-input').fill(code);
  await page.getByTestId('verify-submit').click();
  await leaveOrRefusal(page, VERIFY_PATH, 'verify-error', persona);
}

/** Signs in through the real form; on a page the portal sent to /login?returnTo=…, there, so it lands back. */
async function signIn(page, persona, client) {
  const form = loginForm(persona);
  if (new URL(page.url(), 'http://x').pathname !== form.path) await page.goto(form.path);
  // GET /login redirects a browser already signed in: nothing to do.
  if (new URL(page.url()).pathname !== form.path) return;
  await submitLogin(page, form, persona, client);
}

/**
 * Whether the browser's session has ended: its cookies sent to a signed-in page from Node (which
 * cannot resolve <id>.localhost, so to the simulator's address with the sandbox header) are redirected to sign-in.
 */
async function sessionEnded(page, client, persona) {
  const probe = STAFF_ROLES.has(persona.role) ? '/helpdesk' : '/home';
  const cookies = await page.context().cookies();
  const res = await fetch(`${client.baseUrl}${probe}`, {
    redirect: 'manual',
    headers: {
      Accept: 'text/html', 'X-Sim-Sandbox': client.sandboxId,
      Cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; '),
    },
  });
  await res.arrayBuffer();
  return res.status >= 300 && res.status < 400 && /\/(helpdesk\/)?login/.test(res.headers.get('location') ?? '');
}

/**
 * The sandbox's client, whose clock moves sign the page in again when the move ended the session of
 * the persona `loginAs` signed in (keepSignedIn), where the page was.
 */
function clientKeepingSignIn(client, page, signedIn) {
  const afterMove = async (reading) => {
    const persona = signedIn.current;
    if (persona && await sessionEnded(page, client, persona)) {
      const here = new URL(page.url());
      const form = loginForm(persona);
      const back = here.pathname === form.path ? '' : `${here.pathname}${here.search}`;
      await page.goto(back && form.path === '/login' ? `${form.path}?returnTo=${encodeURIComponent(back)}` : form.path);
      await submitLogin(page, form, persona, client);
      if (back && form.path !== '/login') await page.goto(back);
    }
    return reading;
  };
  return Object.assign(Object.create(client), {
    advanceClock: async (duration) => afterMove(await client.advanceClock(duration)),
    setClock: async (time) => afterMove(await client.setClock(time)),
  });
}

const test = base.extend({
  /** Where the simulator listens and its token: `use: { simUrl, simToken }` in the config, else $SIM_URL/$BASE_URL and $SIM_TOKEN. */
  simUrl: [process.env.SIM_URL ?? process.env.BASE_URL ?? 'http://127.0.0.1:3000', { option: true }],
  simToken: [process.env.SIM_TOKEN, { option: true }],
  /** The scenario each test's sandbox is a copy of. */
  simScenario: ['default', { option: true }],

  simSandbox: async ({ simUrl, simToken, simScenario }, use) => {
    const admin = new SimClient({ baseUrl: simUrl, token: simToken });
    const sandbox = await admin.createSandbox({ scenario: simScenario });
    try {
      await use(sandbox);
    } finally {
      await admin.deleteSandbox(sandbox.id).catch((err) => {
        // Already gone (the test deleted it, or it idled out) is what clean-up wanted.
        if (!(err instanceof SimError && err.code === 'not_found')) throw err;
      });
    }
  },

  baseURL: async ({ simSandbox }, use) => {
    await use(simSandbox.url);
  },

  simSignedIn: async ({}, use) => { // eslint-disable-line no-empty-pattern
    await use({ current: undefined });
  },

  sim: async ({ simUrl, simToken, simSandbox, page, simSignedIn }, use) => {
    const client = new SimClient({ baseUrl: simUrl, token: simToken, sandbox: simSandbox.id });
    await use(clientKeepingSignIn(client, page, simSignedIn));
  },

  loginAs: async ({ page, sim, simSignedIn }, use) => {
    await use(async (who, { keepSignedIn = true } = {}) => {
      const persona = typeof who === 'string' ? await sim.persona(who) : who;
      await signIn(page, persona, sim);
      simSignedIn.current = keepSignedIn ? persona : undefined;
      return persona;
    });
  },
});

module.exports = { test, expect };
