// Axe scans of the simulator console, signed in with the simulator token as a QA engineer would.
import { expectNoSeriousViolations } from './page-checks';
import { consoleLogin, expect, test } from './fixtures';

test('the simulator console pages have no serious or critical axe violation', async ({ page, sim }) => {
  await consoleLogin(page);
  const [welcome] = await sim.outbox({ type: 'welcome' });
  expect(welcome).toBeDefined();
  await page.goto('/sim/outbox');
  const emailPage = await page.locator('a[href^="/sim/outbox/"]').first().getAttribute('href');
  for (const path of ['/sim', '/sim/personas', '/sim/clock', '/sim/outbox', emailPage!, '/sim/reset', '/sim/sandboxes', '/sim/faults', '/sim/sms', '/sim/login']) {
    await page.goto(path);
    await expectNoSeriousViolations(page);
  }
});
