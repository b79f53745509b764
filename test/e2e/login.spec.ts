import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test.describe('the login page', () => {
  test('shows field errors when submitted empty, and has no serious accessibility violation', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Log in to @Work' })).toBeVisible();

    await page.getByTestId('login-submit').click();

    await expect(page.getByRole('alert').first()).toContainText('Please correct the fields marked below.');
    await expect(page.getByTestId('userId-error')).toHaveText('Enter your User ID.');
    await expect(page.getByTestId('password-error')).toHaveText('Enter your Password.');
    await expect(page.getByTestId('userId-input')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('userId-input')).toBeFocused();

    const scan = await new AxeBuilder({ page }).analyze();
    const serious = scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });

  test('loads its stylesheet and script under the content security policy', async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const failed: string[] = [];
    page.on('requestfailed', (req) => failed.push(req.url()));
    await page.goto('/login');
    await expect(page.locator('body')).toBeVisible();
    const stylesheetRules = await page.evaluate(() => document.styleSheets[0]?.cssRules.length ?? 0);
    expect(stylesheetRules).toBeGreaterThan(0);
    expect(failed).toEqual([]);
    expect(violations).toEqual([]);
  });
});
