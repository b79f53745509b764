// A PA with 2-step verification by text: loginAs reads the code from the text outbox, also when
// the clock ends the session and the fixture signs in again.
import { expect, test } from '@atwork-sim/client/playwright';

test('a 2-step PA signs in with the texted code, and again after the session ends', async ({ page, sim, loginAs }) => {
  const persona = await loginAs('globex.twostep');
  await expect(page.getByTestId('home-greeting')).toBeVisible();
  expect(await sim.sms({ to: persona.phone, type: 'two_step_code' })).toHaveLength(1);

  await page.goto('/profile');
  await sim.advanceClock('4d');
  await expect(page).toHaveURL(/\/profile$/);
  expect(await sim.sms({ to: persona.phone, type: 'two_step_code' })).toHaveLength(2);
});

test('"I never got the code": a lost text leaves the PA on the code page until a resend gets through', async ({ page, sim }) => {
  const persona = await sim.persona('globex.twostep');
  await sim.addFault({ kind: 'sms_undelivered', phone: persona.phone, times: 1 });
  await page.goto('/login');
  await page.getByTestId('userId-input').fill(persona.userId);
  await page.getByTestId('password-input').fill(persona.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/login\/verify$/);
  expect(await sim.sms({ to: persona.phone })).toHaveLength(0);

  await sim.advanceClock('1m');
  await page.getByTestId('resend-code').click();
  const code = await sim.waitForCode(persona.phone);
  await page.getByTestId('code-input').fill(code);
  await page.getByTestId('verify-submit').click();
  await expect(page.getByTestId('home-greeting')).toBeVisible();
});
