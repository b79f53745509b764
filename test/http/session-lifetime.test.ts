import { signedInAs } from '../helpers/actors';
import { MINUTE_MS, createTestApp } from '../helpers/test-app';

const HOUR_MS = 60 * MINUTE_MS;

describe('session limits longer than 8 hours', () => {
  it('keep a session alive through 9 idle hours when the idle limit is 10 hours and the absolute 24', async () => {
    const t = await createTestApp({ env: { SESSION_IDLE_MINUTES: '600', SESSION_ABSOLUTE_HOURS: '24' } });
    try {
      const agent = await signedInAs(t, 'globex.primary');
      t.context.clock.advanceBy(9 * HOUR_MS);
      const home = await agent.get('/home');
      expect(home.status).toBe(200);
      // And on through the day: another 9 hours idle, 18 since sign-in, within both limits.
      t.context.clock.advanceBy(9 * HOUR_MS);
      await agent.get('/home').expect(200);
    } finally {
      t.close();
    }
  });

  it('still end the session once the configured idle limit has passed', async () => {
    const t = await createTestApp({ env: { SESSION_IDLE_MINUTES: '600', SESSION_ABSOLUTE_HOURS: '24' } });
    try {
      const agent = await signedInAs(t, 'globex.primary');
      t.context.clock.advanceBy(10 * HOUR_MS + MINUTE_MS);
      const res = await agent.get('/home');
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/\/login/);
    } finally {
      t.close();
    }
  });
});
