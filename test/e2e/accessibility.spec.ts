// Axe scans of the public pages and the signed-in homepage.
import { expectNoSeriousViolations } from './page-checks';
import { signIn, test } from './fixtures';

const PUBLIC_PAGES = ['/login', '/register', '/forgot-user-id', '/forgot-password', '/reset-password/not-a-token', '/no-such-page'];

test.describe('accessibility', () => {
  for (const path of PUBLIC_PAGES) {
    test(`${path} has no serious or critical axe violation`, async ({ page }) => {
      await page.goto(path);
      await expectNoSeriousViolations(page);
    });
  }

  test('the signed-in homepage has no serious or critical axe violation', async ({ page, sim }) => {
    await signIn(page, await sim.persona('initech.primary'));
    await expectNoSeriousViolations(page);
  });
});
