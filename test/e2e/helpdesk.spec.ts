// The help desk end to end, as the people on the call see it: the program administrator (PA) in
// their own browser, the agent or supervisor in another. Each person has a browser context of
// their own (`browser.newContext({ baseURL })`), so the PA's cookie and the staff cookie never
// meet, and each test runs in a fresh sandbox of the default scenario (see fixtures.ts).
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { DEFAULT_SCENARIO } from '../../seed/default-scenario';
import { expect, test, type Persona, type Simulator } from './fixtures';

const HELP_DESK_PHONE = '800-633-6973';
const TRACKING_NUMBER = /Tracking number (AW\d{10})\b/;

/** A status tracking number's last digit is a Luhn check digit over the 9 before it. */
function luhnValid(trackingNumber: string): boolean {
  const digits = trackingNumber.slice(2).split('').map(Number);
  let sum = 0;
  digits.reverse().forEach((digit, index) => {
    const doubled = index % 2 === 1 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  });
  return sum % 10 === 0;
}

/** A second person at their own browser: cookies apart from the test's `page`. */
async function openBrowserFor(browser: Browser, baseURL: string | undefined): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

/** What /sim/api/personas says beyond fixtures.ts's Persona: the role, and a PA's company name. */
type ListedPersona = Persona & { role: 'program_administrator' | 'agent' | 'supervisor'; company: string | null };

async function listedPersona(sim: Simulator, userId: string): Promise<ListedPersona> {
  const found = (await sim.personas()).find((p) => p.userId === userId);
  if (!found) throw new Error(`no persona ${userId}`);
  return found as ListedPersona;
}

/** A staff member from the simulator API, which lists staff with role 'agent' or 'supervisor'. */
async function staffPersona(sim: Simulator, staffId: string, role: 'agent' | 'supervisor'): Promise<ListedPersona> {
  const staff = await listedPersona(sim, staffId);
  expect(staff.role, `${staffId} in /sim/api/personas`).toBe(role);
  return staff;
}

/** The seeded first and last name: what the caller says on the phone (the personas API has no names). */
function seededName(userId: string): { firstName: string; lastName: string } {
  const seeded = DEFAULT_SCENARIO.programAdministrators.find((pa) => pa.userId === userId);
  if (!seeded) throw new Error(`no seeded PA ${userId}`);
  return { firstName: seeded.firstName, lastName: seeded.lastName };
}

async function tryPortalLogin(page: Page, persona: Persona): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('userId-input').fill(persona.userId);
  await page.getByTestId('password-input').fill(persona.password);
  await page.getByTestId('login-submit').click();
}

async function expectLoginRefused(page: Page, persona: Persona, code: string): Promise<void> {
  await tryPortalLogin(page, persona);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('login-error')).toHaveAttribute('data-error-code', code);
}

async function expectLoginWorks(page: Page, persona: Persona): Promise<void> {
  await tryPortalLogin(page, persona);
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByTestId('home-greeting')).toBeVisible();
}

async function staffLogin(page: Page, staff: ListedPersona): Promise<void> {
  await page.goto('/helpdesk/login');
  await page.getByTestId('staffId-input').fill(staff.userId);
  await page.getByTestId('password-input').fill(staff.password);
  await page.getByTestId('staff-login-submit').click();
  await expect(page).toHaveURL(/\/helpdesk$/);
  await expect(page.getByTestId('staff-name')).toContainText(`(${staff.role})`);
}

/** Searches the console for `query` and opens the caller with this e-mail address (results show no user IDs). */
async function openCaller(page: Page, query: string, email: string): Promise<void> {
  await page.getByTestId('nav-helpdesk').click();
  await page.getByTestId('caller-search-input').fill(query);
  await page.getByTestId('caller-search-submit').click();
  await expect(page).toHaveURL(/\/helpdesk\/callers\?q=/);
  const row = page.getByTestId('caller-row').filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await row.getByTestId('caller-link').click();
  await expect(page).toHaveURL(/\/helpdesk\/callers\/\d+$/);
}

/** Types the PIN and word the caller says. */
async function verifyCaller(page: Page, caller: Persona): Promise<void> {
  await page.getByTestId('verificationPin-input').fill(caller.verificationPin!);
  await page.getByTestId('verificationWord-input').fill(caller.verificationWord!);
  await page.getByTestId('verify-submit').click();
  await expect(page.getByTestId('flash-notice')).toHaveText('Caller verified for the next 15 minutes.');
  await expect(page.getByTestId('caller-verified')).toBeVisible();
  await expect(page.getByTestId('actions-need-verification')).toHaveCount(0);
  await expect(page.getByTestId('caller-user-id')).toHaveText(caller.userId);
}

/** Clicks an action button and returns the tracking number of the flash notice. */
async function act(page: Page, action: string, notice: string): Promise<string> {
  await page.getByTestId(`action-${action}`).click();
  const flash = page.getByTestId('flash-notice');
  await expect(flash).toContainText(notice);
  await expect(flash).toContainText(TRACKING_NUMBER);
  const trackingNumber = TRACKING_NUMBER.exec((await flash.textContent()) ?? '')![1]!;
  expect(luhnValid(trackingNumber), `${trackingNumber} has a valid check digit`).toBe(true);
  return trackingNumber;
}

test.describe('the help desk', () => {
  test('unlocks a locked user ID after verifying the caller, and the PA logs in again', async ({ page, browser, baseURL, sim }) => {
    const lou = await sim.persona('globex.locked');
    const ava = await staffPersona(sim, 'agent.ava', 'agent');

    // The PA, in their browser: the right password is refused, with the number to call.
    await expectLoginRefused(page, lou, 'account_locked');
    await expect(page.getByTestId('login-error')).toContainText(HELP_DESK_PHONE);

    // The agent, in another browser, finds the caller by user ID.
    const agent = await openBrowserFor(browser, baseURL);
    try {
      await staffLogin(agent.page, ava);
      await openCaller(agent.page, lou.userId, lou.email);
      await expect(agent.page.getByTestId('caller-state')).toHaveAttribute('data-state', 'locked');
      await expect(agent.page.getByTestId('actions-need-verification')).toBeVisible();
      await expect(agent.page.getByTestId('caller-user-id')).toHaveText('shown once the caller is verified');

      // Acting before verifying is refused, and changes nothing.
      await agent.page.getByTestId('action-unlock').click();
      await expect(agent.page.getByTestId('helpdesk-error')).toHaveAttribute('data-error-code', 'verification_required');
      expect((await sim.persona(lou.userId)).state).toBe('locked');

      await verifyCaller(agent.page, lou);
      const trackingNumber = await act(agent.page, 'unlock', 'User ID unlocked.');
      await expect(agent.page.getByTestId('caller-state')).toHaveAttribute('data-state', 'active');
      await expect(agent.page.getByTestId('caller-transaction').filter({ hasText: trackingNumber })).toHaveCount(1);
    } finally {
      await agent.context.close();
    }

    // The PA logs in with the password they always had, and was told by e-mail.
    await expectLoginWorks(page, lou);
    const mail = await sim.outbox({ to: lou.email, type: 'unlocked' });
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Your @Work User ID was unlocked');
  });

  test('reactivates an inactive user ID after verifying the caller', async ({ page, browser, baseURL, sim }) => {
    const ida = await sim.persona('globex.inactive');
    const ava = await staffPersona(sim, 'agent.ava', 'agent');

    await expectLoginRefused(page, ida, 'account_inactive');
    await expect(page.getByTestId('login-error')).toContainText(HELP_DESK_PHONE);

    const agent = await openBrowserFor(browser, baseURL);
    try {
      await staffLogin(agent.page, ava);
      // By name this time, as the caller gives it.
      const { firstName, lastName } = seededName(ida.userId);
      await openCaller(agent.page, `${firstName} ${lastName}`, ida.email);
      await expect(agent.page.getByTestId('caller-name')).toHaveText(`${firstName} ${lastName}`);
      await expect(agent.page.getByTestId('caller-state')).toHaveAttribute('data-state', 'inactive');

      await agent.page.getByTestId('action-reactivate').click();
      await expect(agent.page.getByTestId('helpdesk-error')).toHaveAttribute('data-error-code', 'verification_required');

      await verifyCaller(agent.page, ida);
      await act(agent.page, 'reactivate', 'User ID reactivated.');
      await expect(agent.page.getByTestId('caller-state')).toHaveAttribute('data-state', 'active');
    } finally {
      await agent.context.close();
    }

    await expectLoginWorks(page, ida);
    expect(await sim.outbox({ to: ida.email, type: 'reactivated' })).toHaveLength(1);
  });

  test('tells a caller who forgot their user ID what it is, after identifying them by name, company and e-mail', async ({ page, browser, baseURL, sim }) => {
    const vera = await listedPersona(sim, 'globex.viewer');
    const seeded = seededName(vera.userId);
    const company = vera.company!;
    expect(company).toBe('Globex Corporation');
    const ava = await staffPersona(sim, 'agent.ava', 'agent');

    // The PA finds only a phone number: the portal never reveals a user ID itself.
    await page.goto('/login');
    await page.getByTestId('forgot-user-id-link').click();
    await expect(page).toHaveURL(/\/forgot-user-id$/);
    await expect(page.getByTestId('helpdesk-phone')).toHaveText(HELP_DESK_PHONE);

    const agent = await openBrowserFor(browser, baseURL);
    try {
      await staffLogin(agent.page, ava);
      const form = agent.page.getByTestId('identify-form');

      // A detail that does not match is refused, and says nothing of who the caller might be.
      await form.getByLabel('First name').fill(seeded.firstName);
      await form.getByLabel('Last name').fill(seeded.lastName);
      await form.getByLabel('Company').fill(company);
      await form.getByLabel('E-mail address on file').fill('someone.else@globex.example');
      await agent.page.getByTestId('identify-submit').click();
      await expect(agent.page.getByTestId('identify-error')).toHaveAttribute('data-error-code', 'identity_not_matched');

      await form.getByLabel('First name').fill(seeded.firstName);
      await form.getByLabel('Last name').fill(seeded.lastName);
      await form.getByLabel('Company').fill(company);
      await form.getByLabel('E-mail address on file').fill(vera.email);
      await agent.page.getByTestId('identify-submit').click();

      await expect(agent.page).toHaveURL(/\/helpdesk\/callers\/\d+$/);
      await expect(agent.page.getByTestId('flash-notice')).toContainText('Identity confirmed by name, company and e-mail on file: you may tell the caller their User ID.');
      await expect(agent.page.getByTestId('caller-name')).toHaveText(`${seeded.firstName} ${seeded.lastName}`);
      await expect(agent.page.getByTestId('caller-verified')).toBeVisible();
      // Details on file are no secret: they let the agent tell the user ID, and nothing more.
      await expect(agent.page.getByTestId('caller-verified')).toHaveAttribute('data-method', 'identity');

      await act(agent.page, 'user-id', `The caller's User ID is ${vera.userId}.`);
    } finally {
      await agent.context.close();
    }

    // Told the user ID on the phone (and by e-mail), the PA logs in with it.
    const [reminder] = await sim.outbox({ to: vera.email, type: 'user_id_reminder' });
    expect(reminder?.text).toContain(vera.userId);
    await expectLoginWorks(page, vera);
  });

  test('only a supervisor lifts a fraud suspension', async ({ page, browser, baseURL, sim }) => {
    const sue = await sim.persona('globex.suspended');
    const ava = await staffPersona(sim, 'agent.ava', 'agent');
    const sam = await staffPersona(sim, 'super.sam', 'supervisor');

    await expectLoginRefused(page, sue, 'account_restricted');

    const agent = await openBrowserFor(browser, baseURL);
    try {
      await staffLogin(agent.page, ava);
      await openCaller(agent.page, sue.userId, sue.email);
      await expect(agent.page.getByTestId('caller-state')).toHaveAttribute('data-state', 'suspended');
      await verifyCaller(agent.page, sue);
      await expect(agent.page.getByTestId('helpdesk-actions')).toBeVisible();
      await expect(agent.page.getByTestId('action-lift-suspension')).toHaveCount(0);
      await expect(agent.page.getByRole('button', { name: 'Lift fraud suspension' })).toHaveCount(0);
    } finally {
      await agent.context.close();
    }
    expect((await sim.persona(sue.userId)).state).toBe('suspended');

    const supervisor = await openBrowserFor(browser, baseURL);
    try {
      await staffLogin(supervisor.page, sam);
      await openCaller(supervisor.page, sue.userId, sue.email);
      // The supervisor has the button, but it too needs the caller verified first.
      await supervisor.page.getByTestId('action-lift-suspension').click();
      await expect(supervisor.page.getByTestId('helpdesk-error')).toHaveAttribute('data-error-code', 'verification_required');
      await verifyCaller(supervisor.page, sue);
      await act(supervisor.page, 'lift-suspension', 'Fraud suspension lifted.');
      await expect(supervisor.page.getByTestId('caller-state')).toHaveAttribute('data-state', 'active');
    } finally {
      await supervisor.context.close();
    }

    await expectLoginWorks(page, sue);
    expect(await sim.outbox({ to: sue.email, type: 'fraud_hold_lifted' })).toHaveLength(1);
  });

  test('a signed-in PA never opens a staff page', async ({ page, sim }) => {
    const hank = await sim.persona('globex.primary');
    // One browser, the PA's: their session cookie (path /) is sent to /helpdesk too, and must not count there.
    await expectLoginWorks(page, hank);

    for (const path of ['/helpdesk', '/helpdesk/callers?q=globex', '/helpdesk/escalations']) {
      await page.goto(path);
      await expect(page, `${path} as a PA`).toHaveURL(/\/helpdesk\/login$/);
      await expect(page.getByTestId('staff-login-form')).toBeVisible();
      await expect(page.getByTestId('staff-name')).toHaveCount(0);
    }

    // Still signed in to the portal.
    await page.goto('/home');
    await expect(page).toHaveURL(/\/home$/);
  });
});
