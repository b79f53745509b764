// Axe scans of the signed-in pages, as initech.primary sees them. Read-only: forms are taken as far
// as their review step and never confirmed, so nothing here changes the sandbox.
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './page-checks';
import { expect, signIn, test, type Persona } from './fixtures';

/** The Initech card whose pages are scanned: found through the Cards list, as a person would. */
async function openInitechCard(page: Page): Promise<void> {
  await page.goto('/cards');
  await page.getByTestId('card-row').getByRole('link', { name: 'Michael Bolton' }).click();
  await expect(page.getByTestId('card-holder')).toHaveText('Michael Bolton');
}

test.describe('accessibility of the signed-in pages', () => {
  let initech: Persona;

  test.beforeEach(async ({ page, sim }) => {
    initech = await sim.persona('initech.primary');
    await signIn(page, initech);
  });

  /** Opens a page, waits for what shows it loaded, and scans it. */
  const scanPage = (path: string, loaded: string) => async ({ page }: { page: Page }) => {
    await page.goto(path);
    await expect(page.getByTestId(loaded)).toBeVisible();
    await expectNoSeriousViolations(page);
  };

  test('/home', scanPage('/home', 'home-tiles'));
  test('/cards', scanPage('/cards', 'cards-table'));
  test('/cards/apply', scanPage('/cards/apply', 'apply-form'));
  test('/transactions', scanPage('/transactions', 'overview-table'));
  test('/transactions/search?q=AW3', scanPage('/transactions/search?q=AW3', 'search-results'));
  test('/statements', scanPage('/statements', 'statements-table'));

  test('a card page', async ({ page }) => {
    await openInitechCard(page);
    await expect(page.getByTestId('card-actions')).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test('the cancel form, with its field errors, and its review step', async ({ page }) => {
    let cancelPath = '';
    await openInitechCard(page);
    await page.getByTestId('action-cancel').click();
    await expect(page.getByTestId('action-form')).toBeVisible();
    cancelPath = new URL(page.url()).pathname;
    await expectNoSeriousViolations(page);
    expect(cancelPath).toMatch(/^\/cards\/\d+\/cancel$/);

    await page.goto(cancelPath);
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('action-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await expect(page.getByTestId('reason-input')).toHaveAttribute('aria-invalid', 'true');
    await expectNoSeriousViolations(page);

    await page.goto(cancelPath);
    await page.getByLabel('Reason').selectOption('no_longer_needed');
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('review-panel')).toBeVisible();
    await expect(page.getByTestId('confirm-submit')).toBeVisible();
    await expectNoSeriousViolations(page);
    // Stops at the review: the request is never confirmed.
  });

  test('a transaction page', async ({ page }) => {
    await page.goto('/transactions');
    await page.getByTestId('transaction-row').first().locator('a.tracking-number').click();
    await expect(page).toHaveURL(/\/transactions\/AW\d{10}$/);
    await expect(page.getByTestId('transaction-history')).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test('/transactions/search with a wrong check digit', async ({ page }) => {
    await page.goto('/transactions');
    const known = (await page.getByTestId('transaction-row').first().getAttribute('data-tracking-number')) ?? '';
    expect(known).toMatch(/^AW\d{10}$/);
    const mistyped = `${known.slice(0, -1)}${(Number(known.slice(-1)) + 1) % 10}`;
    await page.goto(`/transactions/search?q=${mistyped}`);
    await expect(page.getByTestId('search-message')).toHaveAttribute('data-error-code', 'bad_check_digit');
    await expectNoSeriousViolations(page);
  });
});
