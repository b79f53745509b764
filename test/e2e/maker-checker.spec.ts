// Maker-checker in a browser: Initech's non-primary PA asks for a limit above the company's $5,000
// threshold and is told it waits for a second administrator; the primary PA finds it on the
// homepage's To-Do list, is refused a rejection without a reason, approves it, and the change is
// submitted and completes on the simulated clock. A held cancellation is withdrawn by its maker.
// Every new page is checked at desktop and phone widths (axe, layout). Each test runs in a sandbox of
// its own (fixtures.ts).
import { checkAtEveryWidth } from './page-checks';
import { expect, signIn, test } from './fixtures';

test.describe.configure({ timeout: 180_000 });

test.describe('changes held for a second administrator', () => {
  test("a limit change above Initech's threshold waits for the primary PA, who approves it", async ({ page, browser, baseURL, sim }, testInfo) => {
    await signIn(page, await sim.persona('initech.maker'));
    await page.getByTestId('nav-cards').click();
    await page.getByTestId('card-row').filter({ hasText: 'Peter Gibbons' }).getByTestId('card-link').click();
    await page.getByTestId('action-limit').click();
    await page.getByTestId('limitType-input').selectOption('permanent');
    await page.getByTestId('newLimit-input').fill('7500');
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('review-newLimit')).toHaveText('$7,500.00');
    await page.getByTestId('confirm-submit').click();

    await expect(page).toHaveURL(/\/approvals\/AW\d{10}\?held=1$/);
    await expect(page.getByTestId('held-confirmation')).toContainText("waits for a second administrator's approval");
    const held = (await page.getByTestId('held-tracking-number').textContent())!.trim();
    await expect(page.getByTestId('held-change-state')).toHaveAttribute('data-state', 'held');
    await expect(page.getByTestId('own-request-notice')).toBeVisible();
    await expect(page.getByTestId('approve-form')).toHaveCount(0);
    await checkAtEveryWidth(page, testInfo, 'held change just held');

    await page.goto('/approvals');
    await expect(page.getByTestId('mine').getByTestId('held-change-row')).toHaveAttribute('data-tracking-number', held);
    await expect(page.getByTestId('waiting')).toHaveCount(0);
    await checkAtEveryWidth(page, testInfo, 'approvals of a maker');

    const other = await browser.newContext({ baseURL });
    const approver = await other.newPage();
    await signIn(approver, await sim.persona('initech.primary'));
    const item = approver.getByTestId('todo-item').filter({ has: approver.locator(`[href="/approvals/${held}"]`) });
    await expect(item).toHaveAttribute('data-kind', 'held_change');
    await approver.goto('/approvals');
    await expect(approver.getByTestId('waiting').getByTestId('held-change-row')).toHaveAttribute('data-tracking-number', held);
    await checkAtEveryWidth(approver, testInfo, 'approvals of an approver');
    await approver.goto('/home');
    await item.getByTestId('todo-link').click();
    await expect(approver).toHaveURL(new RegExp(`/approvals/${held}$`));
    await expect(approver.getByTestId('held-newLimit')).toHaveText('$7,500.00');
    await checkAtEveryWidth(approver, testInfo, 'held change to decide');

    await approver.getByTestId('reject-submit').click();
    await expect(approver.getByTestId('approval-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await expect(approver.getByTestId('reason-error')).toBeVisible();
    await checkAtEveryWidth(approver, testInfo, 'held change rejected without a reason');

    await approver.getByTestId('approve-submit').click();
    await expect(approver.getByTestId('flash-notice')).toContainText(/Its status tracking number is AW\d{10}/);
    await expect(approver.getByTestId('held-change-state')).toHaveAttribute('data-state', 'approved');
    await checkAtEveryWidth(approver, testInfo, 'held change approved');
    const submitted = (await approver.getByTestId('submitted-tracking-link').textContent())!.trim();
    await other.close();

    const [mail] = await sim.outbox({ type: 'held_change_approved' });
    expect(mail?.text).toContain(submitted);
    const heldEvents = await sim.events({ type: 'held_change.*' });
    expect(heldEvents.events.map((event) => event.type)).toEqual(['held_change.held', 'held_change.approved']);

    await sim.advanceClock('2d');
    await signIn(page, await sim.persona('initech.maker'));
    await page.goto(`/transactions/${submitted}`);
    await expect(page.getByTestId('transaction-status')).toHaveAttribute('data-status', 'completed');
    await page.getByTestId('transaction-card-link').click();
    await expect(page.getByTestId('card-limit')).toContainText('$7,500.00');
  });

  test('a cancellation by a non-primary PA is held, and its maker withdraws it', async ({ page, sim }, testInfo) => {
    await signIn(page, await sim.persona('initech.maker'));
    await page.getByTestId('nav-cards').click();
    await page.getByTestId('card-row').filter({ hasText: 'Michael Bolton' }).getByTestId('card-link').click();
    await page.getByTestId('action-cancel').click();
    await page.getByTestId('reason-input').selectOption('employee_left');
    await page.getByTestId('action-submit').click();
    await page.getByTestId('confirm-submit').click();
    await expect(page.getByTestId('held-confirmation')).toBeVisible();

    await page.getByTestId('withdraw-submit').click();
    await expect(page.getByTestId('flash-notice')).toContainText('nothing was submitted');
    await expect(page.getByTestId('held-change-state')).toHaveAttribute('data-state', 'withdrawn');
    await checkAtEveryWidth(page, testInfo, 'held change withdrawn');
    await page.getByTestId('held-change-transaction-link').click();
    await expect(page.getByTestId('transaction-status')).toHaveAttribute('data-status', 'rejected');
    await expect(page.getByTestId('rejection-reason')).toHaveText('Withdrawn by Milton Waddams.');
  });
});
