// Axe scans of the simulator console, signed in with the simulator token as a QA engineer would.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

test('the simulator console pages have no serious or critical axe violation', async ({ page, sim }) => {
  await page.goto('/sim/login');
  await page.getByTestId('token-input').fill(process.env.E2E_SIM_TOKEN!);
  await page.getByTestId('sim-login-submit').click();
  await expect(page).toHaveURL(/\/sim$/);
  const [welcome] = await sim.outbox({ type: 'welcome' });
  expect(welcome).toBeDefined();
  await page.goto('/sim/outbox');
  const emailPage = await page.locator('a[href^="/sim/outbox/"]').first().getAttribute('href');
  for (const path of ['/sim', '/sim/personas', '/sim/clock', '/sim/outbox', emailPage!, '/sim/reset', '/sim/sandboxes', '/sim/faults', '/sim/login']) {
    await page.goto(path);
    const scan = await new AxeBuilder({ page }).analyze();
    const serious = scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), path).toEqual([]);
  }
});
