// 2-step sign-in in a real browser: the code read from the simulator's outboxes (text and e-mail),
// a trusted device skipping it until 30 simulated days pass or it is revoked, lockout after 5 wrong
// codes and the help desk moving the PA to e-mail codes, a lost text seen from the console, and axe
// on the code page, /profile/two-step and the console's Texts page.
import type { Browser, Page } from '@playwright/test';
import { expectNoSeriousViolations } from './page-checks';
import { consoleLogin, expect, openCaller, staffLogin, test, verifyCaller, type Persona } from './fixtures';

const TESS_PHONE = '+15555550142';

/** A second person at their own browser (the QA engineer at the console, the agent): cookies apart. */
async function anotherBrowser(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  return context.newPage();
}

/** The newest sign-in code sent to the PA, through the simulator API: texts or e-mails. */
async function newestCode(playwright: { request: { newContext: (options: object) => Promise<import('@playwright/test').APIRequestContext> } },
  sandboxId: string, channel: 'sms' | 'email', to: string): Promise<string> {
  const api = await playwright.request.newContext({
    baseURL: `http://127.0.0.1:${process.env.E2E_PORT ?? 3311}`,
    extraHTTPHeaders: { Authorization: `Bearer ${process.env.E2E_SIM_TOKEN}`, 'X-Sim-Sandbox': sandboxId },
  });
  try {
    const res = await api.get(channel === 'sms' ? '/sim/api/sms' : '/sim/api/outbox', { params: { to, type: 'two_step_code' } });
    expect(res.ok()).toBe(true);
    const { messages } = (await res.json()) as { messages: Array<{ data: { code: string } }> };
    return messages.at(-1)!.data.code;
  } finally {
    await api.dispose();
  }
}

async function enterPassword(page: Page, persona: Persona): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('userId-input').fill(persona.userId);
  await page.getByTestId('password-input').fill(persona.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/login\/verify$/);
}

test.describe('2-step sign-in', () => {
  test('by text: the code from the text outbox signs in; the code page passes axe', async ({ page, sim, playwright, sandboxId }) => {
    const tess = await sim.persona('globex.twostep');
    await enterPassword(page, tess);
    await expect(page.getByTestId('verify-masked-destination')).toHaveText('•••• 0142');
    await expectNoSeriousViolations(page);
    await page.getByTestId('code-input').fill(await newestCode(playwright, sandboxId, 'sms', TESS_PHONE));
    await page.getByTestId('verify-submit').click();
    await expect(page).toHaveURL(/\/home$/);
  });

  test('by e-mail, trusting the device: the next sign-in skips the code; /profile/two-step passes axe', async ({ page, sim, playwright, sandboxId }) => {
    const noel = await sim.persona('globex.nophone');
    await enterPassword(page, noel);
    await page.getByTestId('code-input').fill('000000');
    await page.getByTestId('verify-submit').click();
    await expect(page.getByTestId('verify-error')).toHaveAttribute('data-error-code', 'invalid_code');
    await expectNoSeriousViolations(page);
    await page.getByTestId('code-input').fill(await newestCode(playwright, sandboxId, 'email', noel.email));
    await page.getByTestId('trust-device-checkbox').check();
    await page.getByTestId('verify-submit').click();
    await expect(page).toHaveURL(/\/home$/);

    await page.goto('/profile/two-step');
    await expect(page.getByTestId('two-step-status')).toHaveAttribute('data-channel', 'email');
    await expect(page.getByTestId('device-row')).toHaveCount(1);
    await expectNoSeriousViolations(page);

    await page.getByTestId('logout-button').click();
    await page.getByTestId('userId-input').fill(noel.userId);
    await page.getByTestId('password-input').fill(noel.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/home$/);
  });

  test('a trusted browser is asked for the code again after 30 simulated days, and once revoked from the profile', async ({ page, sim, playwright, sandboxId }) => {
    const tess = await sim.persona('globex.twostep');
    async function signInTrusting(): Promise<void> {
      await enterPassword(page, tess);
      await page.getByTestId('code-input').fill(await newestCode(playwright, sandboxId, 'sms', TESS_PHONE));
      await page.getByTestId('trust-device-checkbox').check();
      await page.getByTestId('verify-submit').click();
      await expect(page).toHaveURL(/\/home$/);
    }
    /** Signs out, then types only the password: where that lands says whether the code was asked. */
    async function signOutAndIn(): Promise<void> {
      await page.getByTestId('logout-button').click();
      await page.getByTestId('userId-input').fill(tess.userId);
      await page.getByTestId('password-input').fill(tess.password);
      await page.getByTestId('login-submit').click();
    }
    await signInTrusting();
    await sim.advanceClock('29d');
    await page.goto('/login'); // the session ended while the clock moved; the device cookie did not
    await page.getByTestId('userId-input').fill(tess.userId);
    await page.getByTestId('password-input').fill(tess.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/home$/);
    await sim.advanceClock('1d1m');
    await page.goto('/login');
    await page.getByTestId('userId-input').fill(tess.userId);
    await page.getByTestId('password-input').fill(tess.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/login\/verify$/);

    await signInTrusting();
    await page.goto('/profile');
    await expect(page.getByTestId('two-step-status')).toHaveAttribute('data-channel', 'sms');
    await expect(page.getByTestId('device-row')).toHaveCount(1);
    await page.getByTestId('device-revoke').click();
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByTestId('devices-empty')).toBeVisible();
    await signOutAndIn();
    await expect(page).toHaveURL(/\/login\/verify$/);
  });

  test('five wrong codes lock the account; the help desk unlocks it and moves the PA to e-mail codes', async ({ page, sim, browser, baseURL, playwright, sandboxId }) => {
    const tess = await sim.persona('globex.twostep');
    await enterPassword(page, tess);
    const code = await newestCode(playwright, sandboxId, 'sms', TESS_PHONE);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await page.getByTestId('code-input').fill(wrong);
      await page.getByTestId('verify-submit').click();
      await expect(page.getByTestId('verify-error')).toHaveAttribute('data-error-code', 'invalid_code');
    }
    // The fifth ends the sign-in: the login page says the User ID is locked and whom to call.
    await page.getByTestId('code-input').fill(wrong);
    await page.getByTestId('verify-submit').click();
    await expect(page.getByTestId('login-error')).toHaveAttribute('data-error-code', 'account_locked');
    await expect(page.getByTestId('login-error')).toContainText('800-633-6973');
    expect((await sim.persona(tess.userId)).state).toBe('locked');

    const agent = await anotherBrowser(browser, baseURL);
    try {
      await staffLogin(agent, await sim.persona('agent.ava'));
      await openCaller(agent, tess);
      await agent.getByTestId('action-two-step-reset').click();
      await expect(agent.getByTestId('helpdesk-error')).toHaveAttribute('data-error-code', 'verification_required');
      await verifyCaller(agent, tess);
      await agent.getByTestId('action-unlock').click();
      await expect(agent.getByTestId('flash-notice')).toContainText('unlocked');
      await agent.getByTestId('two-step-reset-to').selectOption('email');
      await agent.getByTestId('action-two-step-reset').click();
      await expect(agent.getByTestId('flash-notice')).toContainText(/AW\d{10}/);
      await expectNoSeriousViolations(agent);
    } finally {
      await agent.context().close();
    }

    await enterPassword(page, tess);
    await expect(page.getByTestId('verify-masked-destination')).toContainText('@globex.example');
    await page.getByTestId('code-input').fill(await newestCode(playwright, sandboxId, 'email', tess.email));
    await page.getByTestId('verify-submit').click();
    await expect(page).toHaveURL(/\/home$/);
  });

  test('"I never got the code": a lost text, seen from the console, until a resend gets through', async ({ page, sim, browser, baseURL }) => {
    const tess = await sim.persona('globex.twostep');
    const qa = await anotherBrowser(browser, baseURL);
    try {
      await consoleLogin(qa);
      await qa.goto('/sim/faults');
      await qa.getByTestId('phone-input').fill(TESS_PHONE);
      await qa.getByTestId('textsLost-input').fill('1');
      await qa.getByTestId('fault-sms-submit').click();
      await expect(qa.getByTestId('fault-pattern')).toHaveText(`texts to ${TESS_PHONE}`);
      await expectNoSeriousViolations(qa);

      await enterPassword(page, tess);
      await qa.goto(`/sim/sms?to=${encodeURIComponent(TESS_PHONE)}`);
      await expect(qa.getByTestId('sms-empty')).toBeVisible();

      await page.getByTestId('resend-code').click();
      await expect(page.getByTestId('verify-error')).toHaveAttribute('data-error-code', 'resend_too_soon');
      await sim.advanceClock('1m');
      await page.getByTestId('resend-code').click();
      await expect(page).toHaveURL(/\/login\/verify$/);
      await qa.reload();
      await expect(qa.getByTestId('sms-row')).toHaveCount(1);
      await expectNoSeriousViolations(qa);
      const code = (await qa.getByTestId('sms-code').textContent())!.trim();
      expect(code).toMatch(/^\d{6}$/);
      await page.getByTestId('code-input').fill(code);
      await page.getByTestId('verify-submit').click();
      await expect(page).toHaveURL(/\/home$/);
      expect((await sim.events({ type: 'sms.undelivered' })).events).toHaveLength(1);
    } finally {
      await qa.context().close();
    }
  });
});
