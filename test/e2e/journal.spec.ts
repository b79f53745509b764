import { expect, signIn, test } from './fixtures';

test('the event journal shows a PA\'s sign-in through the browser, and the due work the homepage did', async ({ page, sim }) => {
  const primary = await sim.persona('globex.primary');
  const { lastId } = await sim.events();
  await signIn(page, primary);

  const signedIn = await sim.waitForEvent({ type: 'login.success', since: lastId });
  expect(signedIn).toMatchObject({ actorUserId: 'globex.primary', subjectUserId: 'globex.primary', actor: expect.stringMatching(/^pa:\d+$/) });
  const { events } = await sim.events({ since: lastId });
  // Besides the sign-in, only what fell due as the pages were served: requests moved on by the portal itself.
  const others = events.filter((event) => event.id !== signedIn.id);
  for (const event of others) expect(event).toMatchObject({ type: expect.stringMatching(/^transaction\./), actor: 'system' });
  expect(JSON.stringify(events)).not.toContain(primary.password);
});
