// A card cancelled through the review step, completed once the clock has moved on.
import { expect, test } from '@atwork-sim/client/playwright';

test('a cancelled card is cancelled once its request completes', async ({ page, sim, loginAs }) => {
  await loginAs('globex.primary');

  await page.goto('/cards?q=Ben');
  await page.getByTestId('card-link').filter({ hasText: 'Ben Baker' }).click();
  await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'active');
  const cardPage = new URL(page.url()).pathname;

  await page.getByTestId('action-cancel').click();
  await page.getByLabel('Reason').selectOption({ label: 'Employee left the company' });
  await page.getByTestId('action-submit').click();
  await page.getByTestId('confirm-submit').click();
  await expect(page.getByTestId('transaction-status')).toHaveAttribute('data-status', 'submitted');
  const trackingNumber = await page.getByTestId('submitted-tracking-number').innerText();

  // Four days end the browser's session; the fixture signs in again and comes back to this page.
  await sim.advanceClock('4d');
  await expect(page).toHaveURL(new RegExp(`/transactions/${trackingNumber}`));
  await expect(page.getByTestId('transaction-status')).toHaveAttribute('data-status', 'completed');

  await page.goto(cardPage);
  await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'cancelled');
});
