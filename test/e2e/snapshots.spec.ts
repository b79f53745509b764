// A snapshot in the browser (issue 14): a PA cancels a card after the script saved the sandbox, the
// script restores it, and the card page shows the card active again, the PA still signed in.
import { expect, signIn, test } from './fixtures';

test.describe('a snapshot restored under a signed-in PA', () => {
  test('undoes a card cancelled in the browser', async ({ page, sim }) => {
    const primary = await sim.persona('globex.primary');
    await signIn(page, primary);
    await page.getByTestId('tile-cards').click();
    await page.getByTestId('card-search-input').fill('Ben');
    await page.getByTestId('card-filter-submit').click();
    await page.getByTestId('card-link').filter({ hasText: 'Ben Baker' }).click();
    await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'active');
    const cardUrl = new URL(page.url()).pathname;
    await sim.saveSnapshot('before-cancel');

    await page.getByTestId('action-cancel').click();
    await page.getByLabel('Reason').selectOption({ label: 'Employee left the company' });
    await page.getByTestId('action-submit').click();
    await page.getByTestId('confirm-submit').click();
    await expect(page).toHaveURL(/\/transactions\/AW\d{10}\?submitted=1$/);
    // The request completes more than a business day later; the move ends the session too.
    await sim.advanceClock('4d');

    await sim.restoreSnapshot('before-cancel');
    // The session saved with the snapshot is back: the card page opens without signing in again.
    await page.goto(cardUrl);
    await expect(page).toHaveURL(new RegExp(`${cardUrl}$`));
    await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'active');
    await expect(page.getByTestId('card-open-requests')).toHaveCount(0);
    await expect(page.getByTestId('action-cancel')).toBeVisible();
  });
});
