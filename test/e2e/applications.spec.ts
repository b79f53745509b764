// Card applications in a browser (issue 18): the primary PA invites an employee, the employee
// completes the application behind the e-mailed link with no portal sign-in, globex.approver finds
// it on their To-Do list and approves it, and the clock issues the card with its Welcome e-mail.
// Each new page is checked at desktop and phone widths (axe, layout). Each test runs in a sandbox of
// its own (fixtures.ts).
import { checkAtEveryWidth } from './page-checks';
import { expect, signIn, test } from './fixtures';

test.describe.configure({ timeout: 180_000 });

test.describe('card applications', () => {
  test('the default scenario\'s invitation opens its form at the link the scenario names, with no sign-in', async ({ page, sim }, testInfo) => {
    const [invitation] = await sim.outbox({ to: 'paula.prospect@globex.example', type: 'application_invitation' });
    expect(new URL(invitation!.data.applyUrl!).pathname).toBe('/apply/paula-prospect-invitation-2026');
    await page.goto('/apply/paula-prospect-invitation-2026');
    await expect(page.getByTestId('apply-employee-name')).toHaveText('Paula Prospect');
    const unknown = await page.goto('/apply/not-a-real-invitation-token');
    expect(unknown?.status()).toBe(410);
    await expect(page.getByTestId('apply-link-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'unknown application link');
  });

  test('from invitation to issued card, through the employee\'s form and the approver\'s To-Do list', async ({ page, browser, baseURL, sim }, testInfo) => {
    await signIn(page, await sim.persona('globex.primary'));
    await page.getByTestId('nav-applications').click();
    // The default scenario's pending invitation (Paula Prospect) is listed already.
    await expect(page.getByTestId('application-row')).toHaveCount(1);
    await expect(page.getByTestId('application-row')).toHaveAttribute('data-state', 'invited');
    await checkAtEveryWidth(page, testInfo, 'track applications with the scenario\'s invitation');

    await page.getByTestId('invite-link').click();
    await checkAtEveryWidth(page, testInfo, 'invitation form');
    await page.getByTestId('invite-submit').click();
    await expect(page.getByTestId('invite-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await expect(page.getByTestId('employeeName-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'invitation form submitted empty');

    await page.getByTestId('employeeName-input').fill('Nadia Newhire');
    await page.getByTestId('employeeEmail-input').fill('nadia.newhire@globex.example');
    await page.getByTestId('controlAccount-input').selectOption('GLX-E-OPS');
    await page.getByTestId('tier-input').selectOption('standard');
    await page.getByTestId('requestedLimit-input').fill('2500');
    await page.getByTestId('invite-submit').click();
    await expect(page.getByTestId('flash-notice')).toContainText(/tracking number is AW\d{10}/);
    const trackingNumber = (await page.getByTestId('tracking-number').textContent())!.trim();
    await expect(page.getByTestId('application-state')).toHaveAttribute('data-state', 'invited');
    await checkAtEveryWidth(page, testInfo, 'invited application');

    const [invitation] = await sim.outbox({ to: 'nadia.newhire@globex.example', type: 'application_invitation' });
    expect(invitation?.data.trackingNumber).toBe(trackingNumber);
    const applyPath = new URL(invitation!.data.applyUrl!).pathname;
    const employeeContext = await browser.newContext({ baseURL });
    const employee = await employeeContext.newPage();
    await employee.goto(applyPath);
    await expect(employee.getByTestId('apply-employee-name')).toHaveText('Nadia Newhire');
    await checkAtEveryWidth(employee, testInfo, 'employee application form');
    await employee.getByTestId('phone-input').fill('12');
    await employee.getByTestId('employee-apply-submit').click();
    await expect(employee.getByTestId('apply-error')).toBeVisible();
    await expect(employee.getByTestId('jobTitle-error')).toBeVisible();
    await expect(employee.getByTestId('phone-error')).toBeVisible();
    await expect(employee.getByTestId('agree-error')).toBeVisible();
    await checkAtEveryWidth(employee, testInfo, 'employee application form with errors');
    await employee.getByTestId('jobTitle-input').fill('Field Engineer');
    await employee.getByTestId('phone-input').fill('');
    await employee.getByTestId('agree-checkbox').check();
    await employee.getByTestId('employee-apply-submit').click();
    await expect(employee.getByTestId('application-received')).toBeVisible();
    await checkAtEveryWidth(employee, testInfo, 'application received');
    const again = await employee.goto(applyPath);
    expect(again?.status()).toBe(410);
    await expect(employee.getByTestId('apply-link-error')).toHaveAttribute('data-error-code', 'application_link_unusable');
    await checkAtEveryWidth(employee, testInfo, 'application link used');
    await employeeContext.close();

    const approverContext = await browser.newContext({ baseURL });
    const approver = await approverContext.newPage();
    await signIn(approver, await sim.persona('globex.approver'));
    const item = approver.locator(`[data-testid="todo-item"][data-kind="application"][data-tracking-number="${trackingNumber}"]`);
    await expect(item).toBeVisible();
    await item.getByTestId('todo-link').click();
    await expect(approver.getByTestId('decision-panel')).toBeVisible();
    await expect(approver.getByTestId('application-job-title')).toHaveText('Field Engineer');
    await checkAtEveryWidth(approver, testInfo, 'application awaiting the approver');
    await approver.getByTestId('reject-submit').click();
    await expect(approver.getByTestId('decision-error')).toBeVisible();
    await expect(approver.getByTestId('reason-error')).toBeVisible();
    await checkAtEveryWidth(approver, testInfo, 'rejection without a reason');
    await approver.getByTestId('approve-submit').click();
    await expect(approver.getByTestId('flash-notice')).toContainText('is approved');
    await expect(approver.getByTestId('application-state')).toHaveAttribute('data-state', 'approved');
    await approver.getByTestId('nav-home').click();
    await expect(approver.locator('[data-testid="todo-item"][data-kind="application"]')).toHaveCount(0);
    await approverContext.close();

    await sim.advanceClock('2d');
    const [welcome] = await sim.outbox({ to: 'nadia.newhire@globex.example', type: 'card_welcome' });
    expect(welcome?.data.maskedCardNumber).toMatch(/^•••• \d{5}$/);
    // Two days on the clock end the primary's session: sign in again to see the steps.
    await signIn(page, await sim.persona('globex.primary'));
    await page.goto('/applications');
    const row = page.locator(`[data-testid="application-row"][data-tracking-number="${trackingNumber}"]`);
    await expect(row).toHaveAttribute('data-state', 'approved');
    await expect(row.getByTestId('application-step')).toHaveCount(4);
    await expect(page.getByTestId('application-row')).toHaveCount(2);
    await checkAtEveryWidth(page, testInfo, 'track applications with an issued card');
    await page.goto(`/applications/${trackingNumber}`);
    await expect(page.getByTestId('application-card-link')).toBeVisible();
    const events = await sim.events({ subject: `application:${trackingNumber}` });
    expect(events.events.map((e) => e.type)).toEqual(['application.invited', 'application.submitted', 'application.approved']);
  });
});
