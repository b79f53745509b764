import request from 'supertest';
import { LATEST_SIMULATED_MS } from '../../src/lib/clock';
import { FROZEN_REAL_NOW, TEST_SIM_TOKEN, createTestApp } from '../helpers/test-app';

const DAY_MS = 86_400_000;
/** An ISO-8601 instant with a 4-digit year, as every client's date parser reads it. */
const FOUR_DIGIT_YEAR_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('the simulated clock’s range', () => {
  it('refuses a set to the end of year 9999, which real time would carry into year +010000', async () => {
    const t = await createTestApp();
    try {
      const res = await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`)
        .send({ set: '9999-12-31T23:59:58Z' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('clock_out_of_range');
      expect(t.context.clock.nowMs()).toBe(FROZEN_REAL_NOW);
    } finally {
      t.close();
    }
  });

  it('reads as a 4-digit-year date after the furthest allowed set, even as years of real time pass', async () => {
    let realNow = FROZEN_REAL_NOW;
    const t = await createTestApp({ realNowMs: () => realNow });
    try {
      const api = (method: 'get' | 'post') => request(t.app)[method]('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
      const furthest = new Date(LATEST_SIMULATED_MS).toISOString();
      expect((await api('post').send({ set: furthest }).expect(200)).body.now).toBe(furthest);
      const past = await api('post').send({ advance: '1d' });
      expect(past.status).toBe(400);
      expect(past.body.error.code).toBe('clock_out_of_range');

      realNow += 1_000 * 365 * DAY_MS; // a thousand years of real time later
      const { now } = (await api('get').expect(200)).body;
      expect(now).toMatch(FOUR_DIGIT_YEAR_ISO);
      expect(Number.isNaN(Date.parse(now))).toBe(false);
    } finally {
      t.close();
    }
  });
});
