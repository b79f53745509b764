// Cards and Status Tracking as a program administrator uses them: a permission-scoped homepage,
// another company's cards out of reach, the tracking search's messages, and a card cancelled
// through the review step and followed to completion on the simulated clock.
// Each test runs in a sandbox of its own (see fixtures.ts).
import type { Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';


/** The same number as a person might type it: lower case, with a space and dashes. */
function respell(trackingNumber: string): string {
  const digits = trackingNumber.slice(2);
  return `aw ${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
}

/** A typing mistake in the last digit: always a wrong check digit. */
function withWrongCheckDigit(trackingNumber: string): string {
  const last = Number(trackingNumber.slice(-1));
  return `${trackingNumber.slice(0, -1)}${(last + 1) % 10}`;
}

/** The Luhn check digit over the nine sequence digits, as the portal computes it. */
function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Types into the homepage's tracking search, as a person would, and submits it. */
async function trackFromHome(page: Page, typed: string): Promise<void> {
  await page.goto('/home');
  await expect(page.getByTestId('home-greeting')).toBeVisible();
  await page.getByTestId('tracking-search-input').fill(typed);
  await page.getByTestId('tracking-search-submit').click();
}

test.describe('cards and status tracking', () => {
  test('the homepage of a PA with every permission offers every tile, and a card offers every action', async ({ page, sim }) => {
    const primary = await sim.persona('globex.primary');
    await signIn(page, primary);

    await page.goto('/home');
    const tiles = await page.getByTestId('home-tiles').locator('[data-testid^="tile-"]').evaluateAll(
      (links) => links.map((link) => link.getAttribute('data-testid')),
    );
    expect(tiles).toEqual(['tile-cards', 'tile-apply', 'tile-cancel', 'tile-replace', 'tile-limits', 'tile-disputes', 'tile-statements', 'tile-reports', 'tile-access', 'tile-tracking-all']);
    await expect(page.getByTestId('nav-cards')).toBeVisible();
    await expect(page.getByTestId('nav-statements')).toBeVisible();
    await expect(page.getByTestId('tracking-search-form')).toBeVisible();

    await page.getByTestId('tile-cards').click();
    await expect(page).toHaveURL(/\/cards$/);
    await expect(page.getByTestId('apply-link')).toBeVisible();
    await page.getByTestId('card-row').getByRole('link', { name: 'Alice Adams' }).click();
    await expect(page.getByTestId('card-holder')).toHaveText('Alice Adams');
    await expect(page.getByTestId('card-tier')).toHaveText('premium');
    await expect(page.getByRole('heading', { name: 'Manage this card' })).toBeVisible();
    for (const action of ['cancel', 'replace', 'suspend', 'limit']) {
      await expect(page.getByTestId(`action-${action}`)).toBeVisible();
    }
    // Only a suspended card can be reinstated: offered, with the reason it cannot be done now.
    await expect(page.getByTestId('action-reinstate-unavailable')).toContainText('Only a suspended card can be reinstated');
    await expect(page.getByTestId('dispute-link').first()).toBeVisible();

    await page.getByTestId('nav-statements').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Statements' })).toBeVisible();
  });

  test('another company\'s card is not found, not even its cancel form', async ({ page, sim }) => {
    const [globex, initech] = await Promise.all([sim.persona('globex.primary'), sim.persona('initech.primary')]);
    await signIn(page, globex);
    let aliceId = '';
    await page.goto('/cards?q=Alice');
    const aliceRow = page.getByTestId('card-row').filter({ hasText: 'Alice Adams' });
    await expect(aliceRow).toHaveCount(1);
    aliceId = (await aliceRow.getAttribute('data-card-id')) ?? '';
    expect(aliceId).toMatch(/^\d+$/);
    await page.context().clearCookies();

    await signIn(page, initech);
    await page.goto('/home');
    await expect(page.getByTestId('company-name')).toHaveText('Initech LLC');
    await page.getByTestId('nav-cards').click();
    await expect(page.getByTestId('card-row').first()).toBeVisible();
    await expect(page.getByTestId('cards-table')).not.toContainText('Alice Adams');
    await page.getByTestId('card-search-input').fill('Alice');
    await page.getByTestId('card-filter-submit').click();
    await expect(page.getByTestId('cards-empty')).toHaveText('No cards match your search.');

    for (const path of [`/cards/${aliceId}`, `/cards/${aliceId}/cancel`]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByTestId('error-message')).toHaveAttribute('data-error-code', 'not_found');
      await expect(page.locator('main')).not.toContainText('Alice Adams');
    }
  });

  test('the tracking search explains what is wrong with a number', async ({ page, sim }) => {
    const primary = await sim.persona('globex.primary');
    await signIn(page, primary);
    let known = '';
    await page.goto('/home');
    known = await page.getByTestId('recent-row').first().locator('a.tracking-number').innerText();
    expect(known).toMatch(/^AW\d{10}$/);

    const mistyped = withWrongCheckDigit(known);
    await trackFromHome(page, mistyped);
    await expect(page.getByRole('heading', { level: 1, name: 'Tracking number search' })).toBeVisible();
    const message = page.getByTestId('search-message');
    await expect(message).toHaveAttribute('data-error-code', 'bad_check_digit');
    await expect(message).toHaveAttribute('role', 'alert');
    await expect(message).toContainText(`${mistyped} is not a valid tracking number`);
    await expect(page.getByTestId('tracking-search-input')).toHaveValue(mistyped);

    await trackFromHome(page, 'my card request');
    await expect(page.getByTestId('search-message')).toHaveAttribute('data-error-code', 'invalid_tracking_number');

    const unknown = `AW999999999${luhnCheckDigit('999999999')}`;
    await trackFromHome(page, unknown.toLowerCase());
    await expect(page.getByTestId('search-message')).toHaveAttribute('data-error-code', 'not_found');
    await expect(page.getByTestId('search-message')).toContainText(unknown);

    await trackFromHome(page, 'aw3');
    await expect(page.getByRole('heading', { name: 'Tracking numbers starting with AW3' })).toBeVisible();
    await expect(page.getByTestId('search-results').locator(`[data-tracking-number="${known}"]`)).toHaveCount(1);
  });

  // Last in the file on purpose: moving the shared clock ends every open session of the sandbox,
  // so the test that moves it should start after the others have been handed out.
  test('cancels a card through the review step, tracks the request and sees it complete', async ({ page, sim }) => {
    const primary = await sim.persona('globex.primary');
    await signIn(page, primary);

    await page.getByTestId('tile-cards').click();
    await page.getByTestId('card-search-input').fill('Ben');
    await page.getByTestId('card-filter-submit').click();
    await expect(page).toHaveURL(/\/cards\?q=Ben/);
    await expect(page.getByTestId('card-row')).toHaveCount(1);
    await page.getByTestId('card-link').filter({ hasText: 'Ben Baker' }).click();
    await expect(page.getByTestId('card-holder')).toHaveText('Ben Baker');
    await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'active');
    const cardUrl = new URL(page.url()).pathname;

    await page.getByTestId('action-cancel').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Cancel card' })).toBeVisible();
    await page.getByLabel('Reason').selectOption({ label: 'Employee left the company' });
    await page.getByTestId('action-submit').click();

    const review = page.getByTestId('review-panel');
    await expect(review).toBeVisible();
    await expect(review.getByRole('heading', { name: 'Review and confirm' })).toBeVisible();
    await expect(review).toContainText('Employee left the company');
    await page.getByTestId('confirm-submit').click();

    await expect(page).toHaveURL(/\/transactions\/AW\d{10}\?submitted=1$/);
    await expect(page.getByTestId('submitted-confirmation')).toContainText('Your request was submitted.');
    const trackingNumber = await page.getByTestId('submitted-tracking-number').innerText();
    expect(trackingNumber).toMatch(/^AW\d{10}$/);
    await expect(page.getByTestId('tracking-number')).toHaveText(trackingNumber);
    await expect(page.getByTestId('transaction-status')).toHaveAttribute('data-status', 'submitted');
    await expect(page.getByTestId('transaction-type')).toHaveText('Cancel card');
    await expect(page.getByTestId('transaction-summary')).toContainText('Ben Baker');
    await expect(page.getByTestId('history-event').first()).toHaveAttribute('data-status', 'submitted');

    // Found again from the homepage, typed the way a person reads it out.
    await trackFromHome(page, respell(trackingNumber));
    await expect(page).toHaveURL(new RegExp(`/transactions/${trackingNumber}$`));
    await expect(page.getByTestId('tracking-number')).toHaveText(trackingNumber);
    await expect(page.getByTestId('submitted-confirmation')).toHaveCount(0);

    // Until the request completes the card keeps its state, and a second cancel is refused.
    await page.goto(cardUrl);
    await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'active');
    await expect(page.getByTestId('card-open-requests')).toContainText(trackingNumber);
    await expect(page.getByTestId('action-cancel-unavailable')).toContainText(`Request ${trackingNumber} for this card is still being processed.`);
    await expect(page.getByTestId('action-cancel')).toHaveCount(0);

    // More than one business day later, whatever the weekday. This ends every session, ours too.
    await sim.advanceClock('4d');
    // The sign-in page remembers the page asked for, and signing in returns there (issue 12 P4).
    await page.goto(`/transactions/${trackingNumber}`);
    await expect(page).toHaveURL(new RegExp(`/login\\?returnTo=%2Ftransactions%2F${trackingNumber}$`));
    await page.getByTestId('userId-input').fill(primary.userId);
    await page.getByTestId('password-input').fill(primary.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(new RegExp(`/transactions/${trackingNumber}$`));
    await expect(page.getByTestId('transaction-status')).toHaveAttribute('data-status', 'completed');
    await expect(page.getByTestId('transaction-status')).toHaveText('Completed');
    const history = page.getByTestId('history-event');
    await expect(history).toHaveCount(3);
    expect(await history.evaluateAll((events) => events.map((e) => e.getAttribute('data-status')))).toEqual(['submitted', 'in_progress', 'completed']);
    await expect(history.last()).toHaveAttribute('aria-current', 'step');

    await page.getByTestId('transaction-card-link').click();
    await expect(page).toHaveURL(new RegExp(`${cardUrl}$`));
    await expect(page.getByTestId('card-state')).toHaveAttribute('data-state', 'cancelled');
    await expect(page.getByTestId('card-state')).toHaveText('Cancelled');
    await expect(page.getByTestId('card-open-requests')).toHaveCount(0);
    await expect(page.getByTestId('action-cancel-unavailable')).toContainText('cannot be cancelled');
  });
});
