import { expect, test } from './fixtures';

test.describe('a program administrator', () => {
  test('completes first login with the access code read from the Welcome e-mail', async ({ page, sim }) => {
    const penny = await sim.persona('globex.pending');
    const [welcome] = await sim.outbox({ to: penny.email, type: 'welcome' });
    expect(welcome?.text).toContain(welcome?.data.accessCode);

    await page.goto('/login');
    await page.getByTestId('register-link').click();
    await page.getByLabel('Verification PIN').fill(penny.verificationPin!);
    await page.getByLabel('Verification Word').fill(penny.verificationWord!);
    await page.getByLabel('Access Code').fill(welcome!.data.accessCode!);
    await page.getByTestId('register-verify-submit').click();

    await expect(page.getByRole('heading', { name: 'Choose your User ID and Password' })).toBeVisible();
    await page.getByLabel('User ID', { exact: true }).fill(penny.userId);
    await page.getByLabel('Password', { exact: true }).fill(penny.password);
    await page.getByLabel('Confirm Password').fill(penny.password);
    await page.getByTestId('register-submit').click();

    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByTestId('home-greeting')).toHaveText('Welcome, Penny');
    await expect(page.getByTestId('flash-notice')).toContainText(`Your User ID is ${penny.userId}`);

    await page.getByTestId('logout-button').click();
    await expect(page.getByTestId('login-notice')).toHaveText('You have logged out.');
    await page.getByTestId('userId-input').fill(penny.userId);
    await page.getByTestId('password-input').fill(penny.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/home$/);
  });

  test('is locked out after five wrong passwords, and told whom to call', async ({ page, sim }) => {
    const viewer = await sim.persona('globex.viewer');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await page.goto('/login');
      await page.getByTestId('userId-input').fill(viewer.userId);
      await page.getByTestId('password-input').fill(`Wrong-Password-${attempt}`);
      await page.getByTestId('login-submit').click();
      await expect(page.getByTestId('login-error')).toHaveAttribute('data-error-code', 'invalid_credentials');
    }
    await page.getByTestId('userId-input').fill(viewer.userId);
    await page.getByTestId('password-input').fill(viewer.password);
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toHaveAttribute('data-error-code', 'account_locked');
    await expect(page.getByTestId('login-error')).toContainText('800-633-6973');
    expect((await sim.persona('globex.viewer')).state).toBe('locked');
  });

  test('resets a forgotten password through the e-mailed link', async ({ page, sim }) => {
    const canceller = await sim.persona('globex.canceller');
    const newPassword = 'Fresh-Scissor-Path-31';

    await page.goto('/login');
    await page.getByTestId('forgot-password-link').click();
    await page.getByLabel('User ID', { exact: true }).fill(canceller.userId);
    await page.getByLabel('E-mail address').fill(canceller.email);
    await page.getByTestId('forgot-password-submit').click();
    await expect(page.getByTestId('forgot-password-sent')).toBeVisible();

    const [mail] = await sim.outbox({ to: canceller.email, type: 'password_reset' });
    await page.goto(mail!.data.resetUrl!.replace(/^https?:\/\/[^/]+/, ''));
    await expect(page.getByTestId('reset-user-id')).toHaveText(canceller.userId);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Confirm new password').fill(newPassword);
    await page.getByTestId('reset-password-submit').click();

    await expect(page.getByTestId('flash-notice')).toContainText('Your password has been changed');
    await page.getByTestId('userId-input').fill(canceller.userId);
    await page.getByTestId('password-input').fill(newPassword);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/home$/);

    await page.goto(mail!.data.resetUrl!.replace(/^https?:\/\/[^/]+/, ''));
    await expect(page.getByTestId('reset-link-error')).toBeVisible();
  });
});
