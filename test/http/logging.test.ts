import request from 'supertest';
import { csrfTokenFrom } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp } from '../helpers/test-app';

describe('request logs', () => {
  it('record each request without passwords, cookies, session IDs, CSRF tokens or the simulator token', async () => {
    const t = await createTestApp();
    try {
      const agent = request.agent(t.app);
      const token = await csrfTokenFrom(agent, '/login');
      const password = 'Very-Secret-Password-77';
      const res = await agent.post('/login').type('form').send({ _csrf: token, userId: 'globex.primary', password });
      const sessionCookie = String(res.request.cookies ?? '');
      await request(t.app).get('/sim/api/personas').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).expect(200);
      await request(t.app).get('/reset-password/single-use-token-123').expect(410);

      const logs = t.logLines.join('');
      expect(logs).toMatch(/"method":"POST","path":"\/login","status":/);
      expect(logs).toContain('"path":"/reset-password/[redacted]"');
      expect(logs).not.toContain(password);
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(TEST_SIM_TOKEN);
      expect(logs).not.toContain('single-use-token-123');
      const sid = /atwork\.sid=([^;]+)/.exec(sessionCookie)?.[1];
      expect(sid).toBeDefined();
      expect(logs).not.toContain(decodeURIComponent(sid!).slice(2, 34));
    } finally {
      t.close();
    }
  });
});

describe('sign-in rate limit', () => {
  it('answers 429 once one address has used its attempts for the minute', async () => {
    const t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const agent = request.agent(t.app);
      const token = await csrfTokenFrom(agent, '/login');
      for (let i = 0; i < 3; i += 1) {
        await agent.post('/login').type('form').send({ _csrf: token, userId: 'x', password: 'y' }).expect(401);
      }
      const limited = await agent.post('/login').type('form').send({ _csrf: token, userId: 'x', password: 'y' });
      expect(limited.status).toBe(429);
      expect(limited.text).toContain('data-error-code="too_many_requests"');
    } finally {
      t.close();
    }
  });
});
