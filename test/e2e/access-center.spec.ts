// The Access Center in a browser: the primary PA enrolls an administrator scoped to part of the
// program, who completes first login and sees only that part; a manager holding access.manage
// changes another PA's rights while that PA is signed in elsewhere, deactivates them, and reads the
// access report. Every page is checked at desktop and phone widths (axe, layout). Each test runs
// in a sandbox of its own (fixtures.ts).
import { readFile } from 'node:fs/promises';
import { checkAtEveryWidth } from './page-checks';
import { expect, signIn, test } from './fixtures';

test.describe.configure({ timeout: 180_000 });

test.describe('the Access Center', () => {
  test('the primary PA enrolls a West administrator, who completes first login and sees the West only', async ({ page, browser, baseURL, sim }, testInfo) => {
    await signIn(page, await sim.persona('globex.primary'));
    await page.getByTestId('nav-access').click();
    await expect(page.getByTestId('administrator-list')).toBeVisible();
    await expect(page.getByTestId('administrator-row').first()).toHaveAttribute('data-user-id', 'globex.primary');
    await checkAtEveryWidth(page, testInfo, 'access center');

    await page.getByTestId('enroll-link').click();
    await checkAtEveryWidth(page, testInfo, 'enroll form');
    await page.getByTestId('enroll-submit').click();
    await expect(page.getByTestId('action-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await expect(page.getByTestId('permissions-error')).toHaveText('Choose at least one right.');
    await checkAtEveryWidth(page, testInfo, 'enroll form submitted empty');

    await page.getByTestId('firstName-input').fill('Wanda');
    await page.getByTestId('lastName-input').fill('Newcomb');
    await page.getByTestId('email-input').fill('wanda.newcomb@globex.example');
    await page.getByTestId('permission-checkbox-cards.view').check();
    await page.getByTestId('permission-checkbox-statements.view').check();
    await page.getByTestId('scope-kind-accounts').check();
    await page.getByTestId('scope-input').selectOption(['GLX-W']);
    await page.getByTestId('verificationPin-input').fill('4821');
    await page.getByTestId('verificationWord-input').fill('compass');
    await page.getByTestId('enroll-submit').click();
    await expect(page.getByTestId('flash-notice')).toContainText(/Wanda Newcomb is enrolled[\s\S]*Tracking number AW\d{10}/);
    await expect(page.getByTestId('administrator-scope')).toHaveText('West Region (GLX-W)');
    await expect(page.getByTestId('administrator-state')).toHaveText('pending');
    await checkAtEveryWidth(page, testInfo, 'enrolled administrator');

    const [welcome] = await sim.outbox({ to: 'wanda.newcomb@globex.example', type: 'welcome' });
    expect(welcome?.data.accessCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const newcomer = await browser.newContext({ baseURL });
    const wanda = await newcomer.newPage();
    await wanda.goto('/register');
    await wanda.getByTestId('verificationPin-input').fill('4821');
    await wanda.getByTestId('verificationWord-input').fill('Compass');
    await wanda.getByTestId('accessCode-input').fill(welcome!.data.accessCode!);
    await wanda.getByTestId('register-verify-submit').click();
    await wanda.getByTestId('userId-input').fill('wanda.newcomb');
    await wanda.getByTestId('password-input').fill('Bright-Harbor-Lights-42');
    await wanda.getByTestId('confirmPassword-input').fill('Bright-Harbor-Lights-42');
    await wanda.getByTestId('register-submit').click();
    await expect(wanda).toHaveURL(/\/home$/);
    await wanda.getByTestId('nav-cards').click();
    await expect(wanda.getByTestId('cards-table')).toContainText('Carla Chen');
    await expect(wanda.getByTestId('cards-table')).not.toContainText('Frank Fox');
    await expect(wanda.getByTestId('nav-access')).toHaveCount(0);
    await newcomer.close();
  });

  test("a manager changes a signed-in PA's rights, deactivates them, and reads the access report", async ({ page, browser, baseURL, sim }, testInfo) => {
    const viewer = await sim.persona('globex.viewer');
    const elsewhere = await browser.newContext({ baseURL });
    const viewerPage = await elsewhere.newPage();
    await signIn(viewerPage, viewer);
    await expect(viewerPage.getByTestId('tile-limits')).toHaveCount(0);

    await signIn(page, await sim.persona('globex.access'));
    await page.getByTestId('tile-access').click();
    await page.getByTestId('administrator-row').filter({ hasText: 'globex.viewer' }).getByTestId('administrator-link').click();
    // globex.access does not hold cards.cancel: it is offered disabled, and access.manage is the primary's to give.
    await expect(page.getByTestId('permission-checkbox-cards.cancel')).toBeDisabled();
    await expect(page.getByTestId('permission-checkbox-access.manage')).toBeDisabled();
    await checkAtEveryWidth(page, testInfo, 'administrator page');
    await page.getByTestId('permission-checkbox-cards.limits').check();
    await page.getByTestId('rights-submit').click();
    await expect(page.getByTestId('flash-notice')).toContainText(/Their rights are changed\. Tracking number AW\d{10}/);
    const [changed] = await sim.outbox({ to: viewer.email, type: 'permissions_changed' });
    expect(changed?.text).toContain('Added: cards.limits.');

    // The viewer's open session has the new right at its next page.
    await viewerPage.reload();
    await expect(viewerPage.getByTestId('tile-limits')).toBeVisible();

    await page.getByTestId('scope-kind-accounts').check();
    await page.getByTestId('scope-submit').click();
    await expect(page.getByTestId('action-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await expect(page.getByTestId('scope-error')).toHaveText('Choose at least one control account.');
    await checkAtEveryWidth(page, testInfo, 'administrator page, scope refused');

    await page.getByTestId('deactivate-submit').click();
    await expect(page.getByTestId('administrator-state')).toHaveText('inactive');
    await expect(page.getByTestId('reactivate-submit')).toBeVisible();
    await viewerPage.goto('/cards');
    await expect(viewerPage).toHaveURL(/\/login/);
    await elsewhere.close();

    await page.goto('/access');
    await page.getByTestId('access-report-link').click();
    await expect(page.getByTestId('report-row').filter({ hasText: 'globex.viewer' })).toContainText('inactive');
    await checkAtEveryWidth(page, testInfo, 'access report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('access-report-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^access-report-\d{4}-\d\d-\d\d\.csv$/);
    expect(await readFile((await download.path())!, 'utf8')).toMatch(/\r\nglobex\.viewer,Vera Viewer,[^,]+,inactive,no,cards\.limits cards\.view statements\.view,company,/);
  });
});
