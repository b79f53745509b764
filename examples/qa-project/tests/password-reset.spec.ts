// A forgotten password reset from the link in the e-mail, and the new one signing in.
import { expect, test } from '@atwork-sim/client/playwright';

test('a PA resets a forgotten password from the e-mailed link', async ({ page, sim, loginAs }) => {
  const viewer = await sim.persona('globex.viewer');
  await page.goto('/forgot-password');
  await page.getByTestId('userId-input').fill(viewer.userId);
  await page.getByTestId('email-input').fill(viewer.email);
  await page.getByTestId('forgot-password-submit').click();
  await expect(page.getByTestId('forgot-password-sent')).toBeVisible();

  // The link points at this test's sandbox (http://<id>.localhost:<port>).
  const email = await sim.waitForEmail({ to: viewer.email, type: 'password_reset' });
  await page.goto(email.data.resetUrl!);
  await expect(page.getByTestId('reset-user-id')).toHaveText(viewer.userId);
  const newPassword = 'Harbour-Lantern-Quill-77';
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByTestId('reset-password-submit').click();
  await expect(page.getByTestId('flash-notice')).toContainText('Your password has been changed');

  // The persona list reports the new password, so loginAs signs in with it.
  expect((await sim.persona(viewer.userId)).password).toBe(newPassword);
  await loginAs(viewer.userId);
  await expect(page).toHaveURL(/\/home$/);
});
