// Every page of the portal, the help desk and the simulator console, in each state a person
// reaches it in: signed out, signed in as the PAs that see different pages, a form's errors, a
// success notice, a request's review step, the e-mailed reset link, the first login's steps, a
// caller before and after verification, the escalation queue, the console's pages. Each state is
// checked at a desktop and a phone width (page-checks.ts): axe, a screenshot in test-results/,
// and no table, field or page cut off or shown that should not be. Each test runs in a fresh
// sandbox of its own (fixtures.ts), so the states it makes touch no other test.
import type { Page } from '@playwright/test';
import { DEFAULT_SCENARIO } from '../../seed/default-scenario';
import { checkAtEveryWidth } from './page-checks';
import { consoleLogin, expect, openCaller, signIn, staffLogin, test, verifyCaller } from './fixtures';

// Each test checks many states, each at two widths, on a machine shared with the server.
test.describe.configure({ timeout: 240_000 });

/** Opens a card of the signed-in PA's company through the Cards list, as a person would. */
async function openCard(page: Page, cardmember: string): Promise<void> {
  await page.goto(`/cards?q=${encodeURIComponent(cardmember)}`);
  await page.getByTestId('card-row').getByRole('link', { name: cardmember }).click();
  await expect(page.getByTestId('card-holder')).toHaveText(cardmember);
}

async function submitLogin(page: Page, userId: string, password: string): Promise<void> {
  await page.getByTestId('userId-input').fill(userId);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('login-submit').click();
}

test.describe('every page in every state, at desktop and phone widths', () => {
  test('signed out: logging in, the forgotten-details pages, help, and a page that does not exist', async ({ page, sim }, testInfo) => {
    const viewer = await sim.persona('globex.viewer');

    await page.goto('/login');
    await expect(page.getByTestId('login-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'login');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await checkAtEveryWidth(page, testInfo, 'login submitted empty');
    await submitLogin(page, viewer.userId, 'Not-The-Password-1');
    await expect(page.getByTestId('login-error')).toHaveAttribute('data-error-code', 'invalid_credentials');
    await checkAtEveryWidth(page, testInfo, 'login wrong password');

    await page.goto('/forgot-user-id');
    await expect(page.getByTestId('forgot-user-id-message')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'forgot user id');

    await page.goto('/forgot-password');
    await expect(page.getByTestId('forgot-password-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'forgot password');
    await page.getByTestId('forgot-password-submit').click();
    await expect(page.getByTestId('forgot-password-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'forgot password submitted empty');
    await page.getByTestId('userId-input').fill(viewer.userId);
    await page.getByTestId('email-input').fill(viewer.email);
    await page.getByTestId('forgot-password-submit').click();
    await expect(page.getByTestId('forgot-password-sent')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'forgot password sent');

    await page.goto('/reset-password/not-a-token');
    await expect(page.getByTestId('reset-link-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'reset link unusable');

    await page.goto('/help');
    await expect(page.getByTestId('service-lines')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'help');

    const missing = await page.goto('/no-such-page');
    expect(missing?.status()).toBe(404);
    await checkAtEveryWidth(page, testInfo, 'not found');
  });

  test('a password reset through the e-mailed link: the form, its errors, and the notice after', async ({ page, sim }, testInfo) => {
    const canceller = await sim.persona('globex.canceller');
    const newPassword = 'Fresh-Scissor-Path-31';
    await page.goto('/forgot-password');
    await page.getByTestId('userId-input').fill(canceller.userId);
    await page.getByTestId('email-input').fill(canceller.email);
    await page.getByTestId('forgot-password-submit').click();
    await expect(page.getByTestId('forgot-password-sent')).toBeVisible();
    const [mail] = await sim.outbox({ to: canceller.email, type: 'password_reset' });
    const resetPath = mail!.data.resetUrl!.replace(/^https?:\/\/[^/]+/, '');

    await page.goto(resetPath);
    await expect(page.getByTestId('reset-user-id')).toHaveText(canceller.userId);
    await checkAtEveryWidth(page, testInfo, 'reset password');
    await page.getByTestId('reset-password-submit').click();
    await expect(page.getByTestId('reset-password-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'reset password submitted empty');
    await page.getByTestId('password-input').fill(newPassword);
    await page.getByTestId('confirmPassword-input').fill(`${newPassword}x`);
    await page.getByTestId('reset-password-submit').click();
    await expect(page.getByTestId('confirmPassword-input')).toHaveAttribute('aria-invalid', 'true');
    await checkAtEveryWidth(page, testInfo, 'reset password not confirmed');
    await page.getByTestId('password-input').fill(newPassword);
    await page.getByTestId('confirmPassword-input').fill(newPassword);
    await page.getByTestId('reset-password-submit').click();
    await expect(page.getByTestId('flash-notice')).toContainText('Your password has been changed');
    await checkAtEveryWidth(page, testInfo, 'login after password reset');
  });

  test('first login: both steps, their errors, the homepage after, and logging out', async ({ page, sim }, testInfo) => {
    const penny = await sim.persona('globex.pending');
    const [welcome] = await sim.outbox({ to: penny.email, type: 'welcome' });

    await page.goto('/register');
    await expect(page.getByTestId('register-verify-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'first login verify');
    await page.getByTestId('register-verify-submit').click();
    await expect(page.getByTestId('register-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await checkAtEveryWidth(page, testInfo, 'first login verify submitted empty');
    await page.getByTestId('verificationPin-input').fill(penny.verificationPin === '0000' ? '1111' : '0000');
    await page.getByTestId('verificationWord-input').fill(penny.verificationWord!);
    await page.getByTestId('accessCode-input').fill(welcome!.data.accessCode!);
    await page.getByTestId('register-verify-submit').click();
    await expect(page.getByTestId('register-error')).toHaveAttribute('data-error-code', 'verification_failed');
    await checkAtEveryWidth(page, testInfo, 'first login verify wrong pin');
    await page.getByTestId('verificationPin-input').fill(penny.verificationPin!);
    await page.getByTestId('verificationWord-input').fill(penny.verificationWord!);
    await page.getByTestId('accessCode-input').fill(welcome!.data.accessCode!);
    await page.getByTestId('register-verify-submit').click();
    await expect(page.getByTestId('register-credentials-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'first login credentials');
    await page.getByTestId('register-submit').click();
    await expect(page.getByTestId('register-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await checkAtEveryWidth(page, testInfo, 'first login credentials submitted empty');
    await page.getByTestId('userId-input').fill(penny.userId);
    await page.getByTestId('password-input').fill(penny.password);
    await page.getByTestId('confirmPassword-input').fill(penny.password);
    await page.getByTestId('register-submit').click();
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByTestId('flash-notice')).toContainText(`Your User ID is ${penny.userId}`);
    await checkAtEveryWidth(page, testInfo, 'home after first login');

    await page.getByTestId('logout-button').click();
    await expect(page.getByTestId('login-notice')).toHaveText('You have logged out.');
    await checkAtEveryWidth(page, testInfo, 'login after logout');
  });

  test('the primary PA: homepage, cards, a card, transactions, search and statements', async ({ page, sim }, testInfo) => {
    await signIn(page, await sim.persona('globex.primary'));
    await expect(page.getByTestId('home-tiles')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'home');

    await page.goto('/cards');
    await expect(page.getByTestId('cards-table')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'cards');
    await page.goto('/cards?q=nobody-has-this-name');
    await expect(page.getByTestId('cards-empty')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'cards none found');

    await openCard(page, 'Alice Adams');
    await expect(page.getByTestId('card-actions')).toBeVisible();
    await expect(page.getByTestId('charges-table')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'card');

    await page.goto('/transactions');
    await expect(page.getByTestId('overview-table')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'transactions');
    await page.goto('/transactions?from=not-a-date');
    await expect(page.getByTestId('overview-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'transactions bad filter');
    const known = (await page.getByTestId('transaction-row').first().getAttribute('data-tracking-number')) ?? '';
    expect(known).toMatch(/^AW\d{10}$/);
    await page.getByTestId('transaction-row').first().getByTestId('tracking-link').click();
    await expect(page.getByTestId('transaction-history')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'transaction');

    await page.goto(`/transactions/search?q=${known.slice(0, 4)}`);
    await expect(page.getByTestId('search-results')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'tracking search results');
    await page.goto(`/transactions/search?q=${known.slice(0, -1)}${(Number(known.slice(-1)) + 1) % 10}`);
    await expect(page.getByTestId('search-message')).toHaveAttribute('data-error-code', 'bad_check_digit');
    await checkAtEveryWidth(page, testInfo, 'tracking search wrong check digit');

    await page.goto('/statements');
    await expect(page.getByTestId('statements-table')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'statements');
  });

  test('the primary PA: each card action\'s form, its errors, its review, and a request submitted', async ({ page, sim }, testInfo) => {
    await signIn(page, await sim.persona('globex.primary'));
    await openCard(page, 'Alice Adams');
    const cardPath = new URL(page.url()).pathname;

    for (const action of ['cancel', 'replace', 'suspend', 'limit']) {
      await page.goto(`${cardPath}/${action}`);
      await expect(page.getByTestId('action-form')).toBeVisible();
      await checkAtEveryWidth(page, testInfo, `card ${action}`);
    }
    // Forms whose every field has a choice made can only be submitted empty as a limit change.
    await page.goto(`${cardPath}/limit`);
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('action-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await checkAtEveryWidth(page, testInfo, 'card limit submitted empty');
    await page.goto(`${cardPath}/cancel`);
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('action-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await checkAtEveryWidth(page, testInfo, 'card cancel submitted empty');

    await page.goto(`${cardPath}/limit`);
    await page.getByLabel('Kind of change').selectOption('permanent');
    await page.getByTestId('newLimit-input').fill('7500');
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('review-panel')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'card limit review');
    await page.getByTestId('confirm-submit').click();
    await expect(page.getByTestId('submitted-confirmation')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'card limit submitted');

    await page.goto(cardPath);
    await expect(page.getByTestId('card-open-requests')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'card with a request being processed');

    // Reinstating an active card: the form is refused, with the reason.
    await page.goto(`${cardPath}/reinstate`);
    await expect(page.getByTestId('action-refused')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'card reinstate refused');

    await openCard(page, 'Frank Fox');
    await page.getByTestId('action-reinstate').click();
    await expect(page.getByTestId('action-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'suspended card reinstate');
  });

  test('the primary PA: a dispute and a card application, with their errors and reviews', async ({ page, sim }, testInfo) => {
    await signIn(page, await sim.persona('globex.primary'));
    await openCard(page, 'Alice Adams');
    await page.getByTestId('dispute-link').first().click();
    await expect(page.getByTestId('dispute-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'dispute');
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('action-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await checkAtEveryWidth(page, testInfo, 'dispute submitted empty');
    await page.getByLabel('Reason').selectOption('duplicate');
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('review-panel')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'dispute review');

    await page.goto('/cards/apply');
    await expect(page.getByTestId('apply-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'card application');
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('action-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await checkAtEveryWidth(page, testInfo, 'card application submitted empty');
    await page.getByTestId('cardmemberName-input').fill('Kim Kowalski');
    await page.getByLabel('Card type').selectOption('standard');
    await page.getByTestId('requestedLimit-input').fill('4000');
    await page.getByTestId('action-submit').click();
    await expect(page.getByTestId('review-panel')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'card application review');
  });

  test('PAs with fewer permissions, and another company: what they see and are refused', async ({ page, sim }, testInfo) => {
    await signIn(page, await sim.persona('globex.viewer'));
    await checkAtEveryWidth(page, testInfo, 'home of a viewer');
    await openCard(page, 'Alice Adams');
    await checkAtEveryWidth(page, testInfo, 'card of a viewer');
    const refused = await page.goto('/cards/apply');
    expect(refused?.status()).toBe(403);
    await checkAtEveryWidth(page, testInfo, 'card application refused to a viewer');
    await page.getByTestId('logout-button').click();

    await signIn(page, await sim.persona('globex.canceller'));
    await openCard(page, 'Ben Baker');
    await checkAtEveryWidth(page, testInfo, 'card of a canceller');
    await page.getByTestId('logout-button').click();

    await signIn(page, await sim.persona('initech.primary'));
    await checkAtEveryWidth(page, testInfo, 'home of another company');
    await openCard(page, 'Michael Bolton');
    await checkAtEveryWidth(page, testInfo, 'card of another company');
  });

  test('a help-desk agent: login, search, identify, and a caller before and after verification', async ({ page, sim }, testInfo) => {
    const ava = await sim.persona('agent.ava');
    const lou = await sim.persona('globex.locked');
    const sue = await sim.persona('globex.suspended');

    await page.goto('/helpdesk/login');
    await checkAtEveryWidth(page, testInfo, 'helpdesk login');
    await page.getByTestId('staff-login-submit').click();
    await expect(page.getByTestId('staff-login-error')).toHaveAttribute('data-error-code', 'invalid_input');
    await checkAtEveryWidth(page, testInfo, 'helpdesk login submitted empty');

    await staffLogin(page, ava);
    await checkAtEveryWidth(page, testInfo, 'helpdesk console');
    await page.getByTestId('caller-search-input').fill('g');
    await page.getByTestId('caller-search-submit').click();
    await expect(page.getByTestId('caller-search-input')).toHaveAttribute('aria-invalid', 'true');
    await checkAtEveryWidth(page, testInfo, 'helpdesk search too short');
    await page.getByTestId('caller-search-input').fill('globex');
    await page.getByTestId('caller-search-submit').click();
    await expect(page.getByTestId('caller-results')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'helpdesk search results');
    await page.getByTestId('caller-search-input').fill('nobody-matches-this');
    await page.getByTestId('caller-search-submit').click();
    await expect(page.getByTestId('caller-results-empty')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'helpdesk search no results');
    await page.getByTestId('identify-submit').click();
    await expect(page.getByTestId('identify-form').locator('[aria-invalid="true"]').first()).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'helpdesk identify submitted empty');

    await openCaller(page, lou);
    await expect(page.getByTestId('actions-need-verification')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'caller unverified');
    await page.getByTestId('action-unlock').click();
    await expect(page.getByTestId('helpdesk-error')).toHaveAttribute('data-error-code', 'verification_required');
    await checkAtEveryWidth(page, testInfo, 'caller action refused');
    await verifyCaller(page, lou);
    await expect(page.getByTestId('flash-notice')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'caller verified');
    await page.getByTestId('action-unlock').click();
    await expect(page.getByTestId('flash-notice')).toContainText('User ID unlocked.');
    await checkAtEveryWidth(page, testInfo, 'caller unlocked');

    await openCaller(page, sue);
    await verifyCaller(page, sue);
    await page.getByTestId('note-input').fill('Caller verified; fraud suspension needs a supervisor.');
    await page.getByTestId('escalate-submit').click();
    await expect(page.getByTestId('flash-notice')).toContainText('Escalated to a supervisor.');
    await checkAtEveryWidth(page, testInfo, 'caller escalated');

    // A caller who forgot their user ID, identified by name, company and e-mail on file.
    const ida = await sim.persona('globex.inactive');
    const seeded = DEFAULT_SCENARIO.programAdministrators.find((pa) => pa.userId === ida.userId)!;
    await page.goto('/helpdesk');
    await page.getByTestId('firstName-input').fill(seeded.firstName);
    await page.getByTestId('lastName-input').fill(seeded.lastName);
    await page.getByTestId('company-input').fill('Globex Corporation');
    await page.getByTestId('email-input').fill('someone.else@globex.example');
    await page.getByTestId('identify-submit').click();
    await expect(page.getByTestId('identify-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'helpdesk identify not matched');
    await page.getByTestId('email-input').fill(ida.email);
    await page.getByTestId('identify-submit').click();
    await expect(page.getByTestId('caller-verified')).toHaveAttribute('data-method', 'identity');
    await checkAtEveryWidth(page, testInfo, 'caller identified without user id');
  });

  test('a help-desk supervisor: the escalation queue empty and holding one, staff, and a caller', async ({ page, browser, baseURL, sim }, testInfo) => {
    const sam = await sim.persona('super.sam');
    const sue = await sim.persona('globex.suspended');
    await staffLogin(page, sam);
    await page.getByTestId('nav-escalations').click();
    await expect(page.getByTestId('escalations-empty')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'escalations empty');

    // The agent, at their own desk, escalates a verified caller.
    const agentDesk = await browser.newContext({ baseURL });
    try {
      const agent = await agentDesk.newPage();
      await staffLogin(agent, await sim.persona('agent.ava'));
      await openCaller(agent, sue);
      await verifyCaller(agent, sue);
      await agent.getByTestId('note-input').fill('Caller verified; fraud suspension needs a supervisor.');
      await agent.getByTestId('escalate-submit').click();
      await expect(agent.getByTestId('flash-notice')).toContainText('Escalated to a supervisor.');
    } finally {
      await agentDesk.close();
    }

    await page.reload();
    await expect(page.getByTestId('escalation')).toHaveCount(1);
    await checkAtEveryWidth(page, testInfo, 'escalations holding one');
    await page.getByTestId('nav-staff').click();
    await expect(page.getByTestId('staff-table')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'staff');
    await openCaller(page, sue);
    await expect(page.getByTestId('action-lift-suspension')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'caller seen by a supervisor');
  });

  test('the simulator console: each page, its errors and its notices', async ({ page, sim }, testInfo) => {
    await page.goto('/sim/login');
    await checkAtEveryWidth(page, testInfo, 'console login');
    await page.getByTestId('token-input').fill('not-the-token');
    await page.getByTestId('sim-login-submit').click();
    await expect(page.getByTestId('sim-login-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console login wrong token');

    await consoleLogin(page);
    await checkAtEveryWidth(page, testInfo, 'console overview');
    await page.goto('/sim/personas');
    await expect(page.getByTestId('personas-table')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console personas');

    await page.goto('/sim/clock');
    await checkAtEveryWidth(page, testInfo, 'console clock');
    await page.getByTestId('advance-input').fill('next tuesday');
    await page.getByTestId('clock-advance-submit').click();
    await expect(page.getByTestId('sim-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console clock bad duration');
    await page.getByTestId('advance-input').fill('1d');
    await page.getByTestId('clock-advance-submit').click();
    await expect(page.getByTestId('flash-notice')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console clock moved');

    expect(await sim.outbox({ type: 'welcome' })).not.toHaveLength(0);
    await page.goto('/sim/outbox');
    await expect(page.getByTestId('outbox-table')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console outbox');
    await page.getByTestId('outbox-open').first().click();
    await expect(page.getByTestId('email-subject')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console e-mail');
    await page.getByTestId('email-html-toggle').click();
    await expect(page.getByTestId('email-html-source')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console e-mail html source');
    await page.goto('/sim/outbox?type=no-such-type');
    await expect(page.getByTestId('outbox-empty')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console outbox filtered to nothing');

    await page.goto('/sim/reset');
    await expect(page.getByTestId('reset-form')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console reset');

    await page.goto('/sim/sandboxes');
    await expect(page.getByTestId('sandboxes-table')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console sandboxes');
    // A sandbox made here is listed with its Delete button, then deleted.
    await page.getByLabel('Scenario').selectOption('empty');
    await page.getByTestId('sandbox-create-submit').click();
    await expect(page.getByTestId('flash-notice')).toContainText('created from the empty scenario');
    const createdId = /Sandbox (\S+) created/.exec((await page.getByTestId('flash-notice').textContent()) ?? '')![1]!;
    const createdRow = page.locator(`[data-testid="sandbox-row"][data-sandbox-id="${createdId}"]`);
    await expect(createdRow.getByTestId('sandbox-delete')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console sandbox created');
    await createdRow.getByTestId('sandbox-delete').click();
    await expect(page.getByTestId('flash-notice')).toHaveText(`Sandbox ${createdId} deleted.`);
    await checkAtEveryWidth(page, testInfo, 'console sandbox deleted');

    await page.goto('/sim/faults');
    await expect(page.getByTestId('faults-empty')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console faults none');
    await page.getByTestId('fault-add-submit').click();
    await expect(page.getByTestId('sim-error')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console faults submitted empty');
    await page.getByTestId('pattern-input').fill('/no-page-uses-this-path');
    await page.getByTestId('latencyMs-input').fill('10');
    await page.getByTestId('fault-add-submit').click();
    await expect(page.getByTestId('faults-table')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console faults one active');
    await page.getByTestId('phone-input').fill('not a phone');
    await page.getByTestId('fault-sms-submit').click();
    await expect(page.getByTestId('phone-input')).toHaveAttribute('aria-invalid', 'true');
    await checkAtEveryWidth(page, testInfo, 'console lost-texts fault refused');

    await page.goto('/sim/sms');
    await expect(page.getByTestId('sms-empty')).toBeVisible();
    await checkAtEveryWidth(page, testInfo, 'console texts none');
    await sim.raiseFraudAlert('globex.twostep');
    await page.reload();
    await expect(page.getByTestId('sms-row')).toHaveCount(1);
    await checkAtEveryWidth(page, testInfo, 'console texts one');

    // Last, as it restores the sandbox: a reset, and the overview's notice after it.
    await page.goto('/sim/reset');
    await page.getByTestId('reset-submit').click();
    await expect(page).toHaveURL(/\/sim$/);
    await expect(page.getByTestId('flash-notice')).toContainText('reset to the default scenario');
    await checkAtEveryWidth(page, testInfo, 'console overview after a reset');
  });
});
