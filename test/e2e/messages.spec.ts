// Secure messages end to end: the PA writes in their browser, an agent answers in another (cookies
// apart), the PA follows the e-mail's link and reads the answer; axe scans the new pages on the way.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { checkAtEveryWidth } from './page-checks';
import { expect, signIn, staffLogin, test } from './fixtures';

/** A second person at their own browser: cookies apart from the test's `page`. */
async function openBrowserFor(browser: Browser, baseURL: string | undefined): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

test.describe('secure messages', () => {
  test('a PA writes, an agent answers, the PA reads the answer from the e-mail\'s link', async ({ page, sim, browser, baseURL }, testInfo) => {
    const pa = await sim.persona('globex.primary');
    await signIn(page, pa);
    await page.getByTestId('nav-messages').click();
    await expect(page.getByTestId('thread-list')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'messages list');

    await page.getByTestId('new-message-link').click();
    await expect(page.getByTestId('new-message-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'new message');
    await page.getByTestId('send-message-submit').click();
    await expect(page.getByTestId('form-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await expect(page.getByTestId('subject-input')).toHaveAttribute('aria-invalid', 'true');
    await checkAtEveryWidth(page, testInfo, 'new message errors');

    await page.getByTestId('subject-input').fill('<b>Card</b> never arrived');
    await page.getByLabel('Topic').selectOption('cards');
    await page.getByTestId('body-input').fill('Hello,\nthe card for Ann has not arrived.');
    await page.getByTestId('send-message-submit').click();
    await expect(page.getByTestId('thread-subject')).toHaveText('<b>Card</b> never arrived');
    const trackingNumber = (await page.getByTestId('tracking-number').textContent())!.trim();
    expect(trackingNumber).toMatch(/^AW\d{10}$/);
    await expect(page.getByTestId('thread-status')).toHaveAttribute('data-status', 'submitted');
    await checkAtEveryWidth(page, testInfo, 'thread written');
    await sim.waitForEvent({ type: 'message.sent', subject: `transaction:${trackingNumber}` });

    const staff = await openBrowserFor(browser, baseURL);
    try {
      await staffLogin(staff.page, await sim.persona('agent.ava'));
      const row = staff.page.locator(`[data-testid="inbox-thread"][data-tracking-number="${trackingNumber}"]`);
      await expect(row).toBeVisible();
      await checkAtEveryWidth(staff.page, testInfo, 'inbox');
      await row.getByTestId('inbox-thread-link').click();
      await expect(staff.page.getByTestId('message-body')).toHaveText('Hello,\nthe card for Ann has not arrived.');
      await checkAtEveryWidth(staff.page, testInfo, 'helpdesk thread');
      await staff.page.getByTestId('body-input').fill('We sent a new card today.\nIt arrives within 3 business days.');
      await staff.page.getByTestId('answer-submit').click();
      await expect(staff.page.getByTestId('message')).toHaveCount(2);
    } finally {
      await staff.context.close();
    }

    await sim.waitForEvent({ type: 'message.replied', subject: `transaction:${trackingNumber}` });
    const [notice] = await sim.outbox({ type: 'message_reply', to: 'hank.scorpio@globex.example' });
    expect(notice!.data.trackingNumber).toBe(trackingNumber);
    expect(notice!.text).not.toContain('We sent a new card');
    await page.goto(new URL(String(notice!.data.threadUrl)).pathname);
    await expect(page.getByTestId('thread-status')).toHaveAttribute('data-status', 'in_progress');
    await expect(page.locator('[data-testid="message"][data-from="help_desk"] [data-testid="message-body"]'))
      .toHaveText('We sent a new card today.\nIt arrives within 3 business days.');
    await page.getByTestId('close-thread-submit').click();
    await expect(page.getByTestId('thread-closed')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'thread closed');
  });

  test('a thread unanswered for a business day is marked overdue and escalated to the supervisors', async ({ page, sim }, testInfo) => {
    await signIn(page, await sim.persona('globex.viewer'));
    await page.goto('/messages/new');
    await page.getByTestId('subject-input').fill('Statement question');
    await page.getByLabel('Topic').selectOption('statements');
    await page.getByTestId('body-input').fill('Which month is the latest statement?');
    await page.getByTestId('send-message-submit').click();
    const trackingNumber = (await page.getByTestId('tracking-number').textContent())!.trim();

    await sim.advanceClock('3d');
    await sim.waitForEvent({ type: 'message.overdue', subject: `transaction:${trackingNumber}` });
    await staffLogin(page, await sim.persona('super.sam'));
    await expect(page.locator(`[data-testid="inbox-thread"][data-tracking-number="${trackingNumber}"] [data-testid="overdue-mark"]`)).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'inbox overdue');
    await page.getByTestId('nav-escalations').click();
    await expect(page.getByTestId('escalation-note')).toContainText(`Secure message ${trackingNumber} has had no answer`);
    await page.getByTestId('escalation-thread-link').click();
    await expect(page.getByTestId('overdue-mark')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'helpdesk thread overdue');
  });
});
