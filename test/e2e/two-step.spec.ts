// 2-step sign-in in a real browser: the code read from the simulator's outboxes (text and e-mail),
// a trusted device skipping it, and axe on the code page and /profile/two-step.
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './page-checks';
import { expect, test, type Persona } from './fixtures';

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
    await page.getByTestId('code-input').fill(await newestCode(playwright, sandboxId, 'sms', '+15555550142'));
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
});
