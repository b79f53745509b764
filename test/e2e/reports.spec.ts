// Reports in a browser: the primary PA opens each report from the nav, filters the declines, meets a
// bad filter, subscribes the declines weekly and receives them as the clock passes Monday. Every
// page is checked at desktop and phone widths (axe, layout). Each test runs in a sandbox of its own.
import { checkAtEveryWidth } from './page-checks';
import { expect, signIn, test } from './fixtures';

test.describe.configure({ timeout: 120_000 });

test.describe('reports', () => {
  test('the primary PA reads each report, filters the declines and subscribes them weekly', async ({ page, sim }, testInfo) => {
    await signIn(page, await sim.persona('globex.primary'));
    await page.getByTestId('nav-reports').click();
    await expect(page.getByTestId('report-list')).toBeVisible();
    await expect(page.getByTestId('subscriptions-empty')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'reports');

    await page.getByTestId('report-link-declines').click();
    await expect(page.getByTestId('decline-report-row')).toHaveCount(3);
    await checkAtEveryWidth(page, testInfo, 'declines report');
    await page.getByTestId('account-input').selectOption('GLX-W');
    await page.getByTestId('reason-input').selectOption('Suspected fraud');
    await page.getByTestId('report-filter-submit').click();
    await expect(page.getByTestId('decline-report-row')).toHaveCount(1);
    await expect(page.getByTestId('decline-reason')).toHaveText('Suspected fraud');
    await page.goto('/reports/declines?from=2026-13-01');
    await expect(page.getByTestId('report-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await expect(page.getByTestId('from-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'declines report with a bad date');

    await page.goto('/reports/spend');
    await expect(page.getByTestId('spend-month-row')).toHaveCount(12);
    await checkAtEveryWidth(page, testInfo, 'spend report');
    await page.goto('/reports/open-requests');
    await expect(page.getByTestId('age-bucket-row')).toHaveCount(4);
    await checkAtEveryWidth(page, testInfo, 'open requests report');

    await page.goto('/reports');
    await page.getByTestId('subscription-submit').click();
    await expect(page.getByTestId('subscription-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'subscription form submitted empty');
    await page.getByTestId('report-input').selectOption('declines');
    await page.getByTestId('frequency-input').selectOption('weekly');
    await page.getByTestId('account-input').selectOption('GLX-W');
    await page.getByTestId('subscription-submit').click();
    await expect(page.getByTestId('flash-notice')).toContainText('Subscribed');
    await expect(page.getByTestId('subscription-row')).toHaveAttribute('data-frequency', 'weekly');
    await checkAtEveryWidth(page, testInfo, 'reports with a subscription');

    await sim.advanceClock('7d');
    const [mail] = await sim.outbox({ type: 'scheduled_report' });
    expect(mail?.data).toMatchObject({ report: 'declines', frequency: 'weekly', filters: { account: 'GLX-W' } });
    expect(String(mail?.data.csv)).toContain('declined_at,card,cardmember,control_account,merchant,amount,reason');
  });
});
