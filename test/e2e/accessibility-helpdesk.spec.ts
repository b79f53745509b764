// Axe scans of the help page and the help-desk console, each page in the state a person sees it:
// signed out, a form with its errors, search results, a caller before and after verification, and
// the supervisors' escalation queue holding an escalation the agent raised. Every test runs in a
// fresh sandbox of its own (fixtures.ts); the supervisor uses a second browser context.
import { expectNoSeriousViolations } from './page-checks';
import { expect, openCaller, staffLogin, test, verifyCaller } from './fixtures';

test.describe('accessibility of the help page and the help desk', () => {
  test('/help, signed out', async ({ page }) => {
    await page.goto('/help');
    await expect(page.getByTestId('help-phone')).toBeVisible();
    await expect(page.getByTestId('service-lines')).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test('/helpdesk/login, submitted empty', async ({ page }) => {
    await page.goto('/helpdesk/login');
    await expectNoSeriousViolations(page);
    await page.getByTestId('staff-login-submit').click();
    await expect(page.getByTestId('staff-login-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await expect(page.getByTestId('staffId-input')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('password-input')).toHaveAttribute('aria-invalid', 'true');
    await expectNoSeriousViolations(page);
  });

  test('the console, its search results, and a caller before and after verification', async ({ page, sim }) => {
    const ava = await sim.persona('agent.ava');
    const lou = await sim.persona('globex.locked');
    await staffLogin(page, ava);

    await expect(page.getByTestId('caller-search-form')).toBeVisible();
    await expect(page.getByTestId('identify-form')).toBeVisible();
    await expectNoSeriousViolations(page);

    // A search too short to run shows its field error.
    await page.getByTestId('caller-search-input').fill('g');
    await page.getByTestId('caller-search-submit').click();
    await expect(page.getByTestId('caller-search-input')).toHaveAttribute('aria-invalid', 'true');
    await expectNoSeriousViolations(page);

    await page.getByTestId('caller-search-input').fill('globex');
    await page.getByTestId('caller-search-submit').click();
    await expect(page.getByTestId('caller-results')).toBeVisible();
    expect(await page.getByTestId('caller-row').count()).toBeGreaterThan(1);
    await expectNoSeriousViolations(page);

    await openCaller(page, lou);
    await expect(page.getByTestId('actions-need-verification')).toBeVisible();
    await expectNoSeriousViolations(page);

    // A refused action shows its error on the caller page.
    await page.getByTestId('action-unlock').click();
    await expect(page.getByTestId('helpdesk-error')).toHaveAttribute('data-error-code', 'verification_required');
    await expectNoSeriousViolations(page);

    await verifyCaller(page, lou);
    await expect(page.getByTestId('flash-notice')).toBeVisible();
    await expectNoSeriousViolations(page);
  });

  test('the escalations page, holding an escalation the agent raised', async ({ page, browser, baseURL, sim }) => {
    const ava = await sim.persona('agent.ava');
    const sam = await sim.persona('super.sam');
    const sue = await sim.persona('globex.suspended');
    const note = 'Caller verified; fraud suspension needs a supervisor.';

    // The agent verifies the caller and escalates with a note.
    await staffLogin(page, ava);
    await openCaller(page, sue);
    await verifyCaller(page, sue);
    await page.getByTestId('note-input').fill(note);
    await page.getByTestId('escalate-submit').click();
    await expect(page.getByTestId('flash-notice')).toContainText(/Escalated to a supervisor\. Tracking number AW\d{10}\./);

    // The supervisor, at their own desk, opens the queue.
    const supervisor = await browser.newContext({ baseURL });
    try {
      const samPage = await supervisor.newPage();
      await staffLogin(samPage, sam);
      await expect(samPage.getByTestId('escalations-link')).toContainText('1 open');
      await samPage.getByTestId('nav-escalations').click();
      await expect(samPage).toHaveURL(/\/helpdesk\/escalations$/);
      await expect(samPage.getByTestId('escalation')).toHaveCount(1);
      await expect(samPage.getByTestId('escalation-note')).toHaveText(note);
      await expectNoSeriousViolations(samPage);
    } finally {
      await supervisor.close();
    }
  });
});
