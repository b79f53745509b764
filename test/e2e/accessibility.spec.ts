import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

const PUBLIC_PAGES = ['/login', '/register', '/forgot-user-id', '/forgot-password', '/reset-password/not-a-token', '/no-such-page'];

test.describe('accessibility', () => {
  for (const path of PUBLIC_PAGES) {
    test(`${path} has no serious or critical axe violation`, async ({ page }) => {
      await page.goto(path);
      const scan = await new AxeBuilder({ page }).analyze();
      const serious = scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    });
  }

  test('the signed-in homepage has no serious or critical axe violation', async ({ page, sim }) => {
    const initech = await sim.persona('initech.primary');
    await page.goto('/login');
    await page.getByTestId('userId-input').fill(initech.userId);
    await page.getByTestId('password-input').fill(initech.password);
    await page.getByTestId('login-submit').click();
    await expect(page).toHaveURL(/\/home$/);
    const scan = await new AxeBuilder({ page }).analyze();
    expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});
