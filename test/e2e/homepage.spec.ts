// The homepage is built from the PA's permissions: two PAs of one company see different pages.
import { expect, signIn, test } from './fixtures';

const tilesOn = async (page: import('@playwright/test').Page) =>
  page.getByTestId('home-tiles').locator('[data-testid^="tile-"]').evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-testid')));

test('a viewer and the primary PA see homepages made of their own permissions', async ({ page, sim }) => {
  await signIn(page, await sim.persona('globex.viewer'));
  expect(await tilesOn(page)).toEqual(['tile-cards', 'tile-statements', 'tile-tracking']);
  await expect(page.getByTestId('nav-cards')).toBeVisible();
  await page.getByTestId('tile-cards').click();
  await page.getByTestId('card-link').filter({ hasText: 'Ben Baker' }).click();
  await expect(page.getByTestId('card-actions')).toHaveCount(0);
  const cardUrl = new URL(page.url()).pathname;
  const refused = await page.goto(`${cardUrl}/cancel`);
  expect(refused?.status()).toBe(403);
  await expect(page.getByTestId('error-message')).toHaveAttribute('data-error-code', 'forbidden');
  await page.goto('/home');
  await page.getByTestId('logout-button').click();

  await signIn(page, await sim.persona('globex.primary'));
  expect(await tilesOn(page)).toEqual([
    'tile-cards', 'tile-apply', 'tile-cancel', 'tile-replace', 'tile-limits', 'tile-disputes', 'tile-statements', 'tile-reports', 'tile-access', 'tile-tracking-all',
  ]);
  // The default scenario's four card requests of globex.primary, and their secure-message thread.
  await expect(page.getByTestId('recent-row')).toHaveCount(5);
  await expect(page.getByTestId('recent-row').filter({ hasText: 'Secure message: Statement for December' })).toHaveCount(1);
});
