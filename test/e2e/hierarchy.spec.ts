// The program hierarchy as a scoped PA meets it in a browser: globex.westmgr, limited to the West
// Region, finds the West's cards and not the East's, whose pages answer as if they did not exist,
// and their own card's page says where it sits. Each test runs in a sandbox of its own (fixtures.ts).
import { expectNoSeriousViolations } from './page-checks';
import { expect, signIn, test } from './fixtures';

test.describe('a PA scoped to the West Region', () => {
  test('sees the West cards only, and an East card is not there', async ({ page, sim }) => {
    const [primary, west] = await Promise.all([sim.persona('globex.primary'), sim.persona('globex.westmgr')]);
    expect(west.scope).toEqual(['GLX-W']);

    // The primary PA sees the whole company: find an East card's page.
    await signIn(page, primary);
    await page.goto('/cards?q=Frank');
    const foxRow = page.getByTestId('card-row').filter({ hasText: 'Frank Fox' });
    await expect(foxRow).toHaveCount(1);
    const foxId = (await foxRow.getAttribute('data-card-id')) ?? '';
    expect(foxId).toMatch(/^\d+$/);
    await page.context().clearCookies();

    await signIn(page, west);
    await page.getByTestId('nav-cards').click();
    await expect(page.getByTestId('card-row')).toHaveCount(5);
    await expect(page.getByTestId('cards-table')).toContainText('Carla Chen');
    await expect(page.getByTestId('cards-table')).not.toContainText('Frank Fox');
    await page.getByTestId('card-row').filter({ hasText: 'Carla Chen' }).getByTestId('card-link').click();
    await expect(page.getByTestId('card-control-account')).toHaveText('West Engineering (GLX-W-ENG)');
    await expectNoSeriousViolations(page);

    for (const path of [`/cards/${foxId}`, `/cards/${foxId}/reinstate`]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByTestId('error-message')).toHaveAttribute('data-error-code', 'not_found');
      await expect(page.locator('main')).not.toContainText('Frank Fox');
    }
    // No notice of the East's suspended card on the homepage either.
    await page.goto('/home');
    await expect(page.getByTestId('home-greeting')).toBeVisible();
    await expect(page.locator('main')).not.toContainText('suspended card');
  });
});
