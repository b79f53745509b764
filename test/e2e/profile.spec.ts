// The PA's profile in the browser: changing the password signs a second browser out while this one
// stays; ending one session from the list; a contact-change request answered by the help desk; and
// axe with the layout checks on the new pages, at desktop and phone widths.
import type { Browser, Page } from '@playwright/test';
import { checkAtEveryWidth } from './page-checks';
import { expect, signIn, staffLogin, test } from './fixtures';

/** A second person, or the same PA at another browser: cookies apart from the test's `page`. */
async function anotherBrowser(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  return context.newPage();
}

test.describe('the profile', () => {
  test('shows the PA their details, permissions, sessions and sign-ins', async ({ page, sim }, testInfo) => {
    const viewer = await sim.persona('globex.viewer');
    await signIn(page, viewer);
    await page.getByTestId('nav-profile').click();
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByTestId('profile-user-id')).toHaveText(viewer.userId);
    await expect(page.getByTestId('profile-role')).toHaveText('Program Administrator');
    await expect(page.getByTestId('permission-sentence')).toHaveCount(2);
    await expect(page.getByTestId('session-current')).toBeVisible();
    await expect(page.getByTestId('sign-in-event').first()).toHaveAttribute('data-outcome', 'success');
    await expect(page.getByTestId('two-step-link')).toHaveAttribute('href', '/profile/two-step');
    await expect(page.getByTestId('two-step-status')).toHaveAttribute('data-channel', 'off');
    await expect(page.getByTestId('devices-empty')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'profile');

    await page.getByTestId('email-input').fill('not-an-address');
    await page.getByTestId('contact-change-submit').click();
    await expect(page.getByTestId('profile-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await expect(page.getByTestId('email-input')).toHaveAttribute('aria-invalid', 'true');
    await checkAtEveryWidth(page, testInfo, 'profile contact change refused');
  });

  test('changing the password signs the other browser out and keeps this one', async ({ page, sim, browser, baseURL }, testInfo) => {
    const canceller = await sim.persona('globex.canceller');
    const newPassword = 'Lantern-Quarry-Mosaic-62';
    const other = await anotherBrowser(browser, baseURL);
    await signIn(other, canceller);
    await signIn(page, canceller);

    await page.goto('/profile/password');
    await expect(page.getByTestId('password-change-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'change password');
    await page.getByTestId('currentPassword-input').fill('Not-My-Password-1');
    await page.getByTestId('newPassword-input').fill(newPassword);
    await page.getByTestId('confirmPassword-input').fill(newPassword);
    await page.getByTestId('password-change-submit').click();
    await expect(page.getByTestId('password-change-error')).toHaveAttribute('data-error-code', 'wrong_password');
    await checkAtEveryWidth(page, testInfo, 'change password wrong current password');

    await page.getByTestId('currentPassword-input').fill(canceller.password);
    await page.getByTestId('newPassword-input').fill(newPassword);
    await page.getByTestId('confirmPassword-input').fill(newPassword);
    await page.getByTestId('password-change-submit').click();
    await expect(page).toHaveURL(/\/profile$/);
    await expect(page.getByTestId('flash-notice')).toContainText('Your password was changed.');
    await expect(page.getByTestId('session-row')).toHaveCount(1);

    await other.goto('/cards');
    await expect(other).toHaveURL(/\/login/);
    const [mail] = await sim.outbox({ to: canceller.email, type: 'password_changed_in_profile' });
    expect(mail).toBeDefined();
    await page.goto('/home');
    await expect(page.getByTestId('home-greeting')).toBeVisible();
    await other.context().close();
  });

  test('ends one other session from the list', async ({ page, sim, browser, baseURL }) => {
    const primary = await sim.persona('globex.primary');
    const other = await anotherBrowser(browser, baseURL);
    await signIn(other, primary);
    await signIn(page, primary);
    await page.goto('/profile');
    await expect(page.getByTestId('session-row')).toHaveCount(2);
    await page.getByTestId('end-session-submit').click();
    await expect(page.getByTestId('flash-notice')).toHaveText('That session was signed out.');
    await expect(page.getByTestId('session-row')).toHaveCount(1);
    await other.goto('/home');
    await expect(other).toHaveURL(/\/login/);
    await other.context().close();
  });

  test('a contact-change request goes to the help desk, which completes it', async ({ page, sim, browser, baseURL }, testInfo) => {
    const viewer = await sim.persona('globex.viewer');
    await signIn(page, viewer);
    await page.goto('/profile');
    await page.getByTestId('email-input').fill('vera.desk@globex.example');
    await page.getByTestId('contact-change-submit').click();
    await expect(page.getByTestId('contact-request-open')).toBeVisible();
    const trackingNumber = (await page.getByTestId('contact-request-tracking-number').textContent())!.trim();
    await checkAtEveryWidth(page, testInfo, 'profile with an open contact request');

    const desk = await anotherBrowser(browser, baseURL);
    await staffLogin(desk, await sim.persona('agent.ava'));
    await desk.locator(`[data-testid="contact-request"][data-tracking-number="${trackingNumber}"]`).getByTestId('contact-request-link').click();
    await expect(desk.getByTestId('requested-email')).toHaveText('vera.desk@globex.example');
    await checkAtEveryWidth(desk, testInfo, 'help desk contact request');
    await desk.getByTestId('contact-request-reject-submit').click();
    await expect(desk.getByTestId('reason-error')).toBeVisible();
    await checkAtEveryWidth(desk, testInfo, 'help desk contact request reject refused');
    await desk.getByTestId('contact-request-complete-submit').click();
    await expect(desk).toHaveURL(/\/helpdesk\/callers\/\d+$/);

    await page.goto('/profile');
    await expect(page.getByTestId('profile-email')).toHaveText('vera.desk@globex.example');
    await page.goto(`/transactions/${trackingNumber}`);
    await expect(page.getByTestId('transaction-status')).toHaveAttribute('data-status', 'completed');
    await desk.context().close();
  });
});
