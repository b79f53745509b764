import path from 'node:path';
import request from 'supertest';
import { csrfTokenFrom } from '../helpers/pages';
import { MINUTE_MS, createTestApp, temporaryDirectory } from '../helpers/test-app';

describe('sessions', () => {
  it('survive a server restart on the same data file', async () => {
    const tmp = temporaryDirectory();
    const databaseFile = path.join(tmp.dir, 'portal.sqlite');
    try {
      const first = await createTestApp({ databaseFile });
      const agent = request.agent(first.app);
      const token = await csrfTokenFrom(agent, '/login');
      const cookie = (await agent.get('/login')).request.cookies;
      first.close();

      const second = await createTestApp({ databaseFile, scenario: 'none' });
      try {
        // The same cookie and the token issued before the restart are still honoured.
        const res = await request(second.app).post('/login').set('Cookie', cookie).type('form')
          .send({ _csrf: token, userId: '', password: '' });
        expect(res.status).toBe(400);
        expect(res.text).toContain('data-testid="userId-error"');
      } finally {
        second.close();
      }
    } finally {
      tmp.remove();
    }
  });

  it('end after 15 idle minutes on the simulated clock, not before', async () => {
    const t = await createTestApp();
    try {
      const agent = request.agent(t.app);
      const token = await csrfTokenFrom(agent, '/login');
      t.context.clock.advanceBy(14 * MINUTE_MS);
      await agent.post('/login').type('form').send({ _csrf: token, userId: '', password: '' }).expect(400);
      t.context.clock.advanceBy(15 * MINUTE_MS + 1);
      const stale = await agent.post('/login').type('form').send({ _csrf: token, userId: '', password: '' });
      expect(stale.status).toBe(403);
    } finally {
      t.close();
    }
  });

  it('end 8 hours after they began, however busy', async () => {
    const t = await createTestApp();
    try {
      const agent = request.agent(t.app);
      const token = await csrfTokenFrom(agent, '/login');
      // Busy all along: a request every 14 minutes, for 34 × 14 min = 7 h 56 min.
      for (let i = 0; i < 34; i += 1) {
        t.context.clock.advanceBy(14 * MINUTE_MS);
        await agent.post('/login').type('form').send({ _csrf: token, userId: '', password: '' }).expect(400);
      }
      t.context.clock.advanceBy(5 * MINUTE_MS); // 8 h 01 min since the start, 5 minutes idle
      const expired = await agent.post('/login').type('form').send({ _csrf: token, userId: '', password: '' });
      expect(expired.status).toBe(403);
    } finally {
      t.close();
    }
  });

  it('keep a flash message through a redirect and show it on the next page, once', async () => {
    const t = await createTestApp();
    try {
      const agent = request.agent(t.app);
      await agent.get('/login').expect(200);
      // Only redirects: the message waits in the session for a page to show it.
      await agent.get('/home').expect(302);
      await agent.get('/cards').expect(302);
      const shown = await agent.get('/login').expect(200);
      expect(shown.text.match(/data-testid="flash-notice">Please log in to continue\.</g)).toHaveLength(1);
      const again = await agent.get('/login').expect(200);
      expect(again.text).not.toContain('data-testid="flash-notice"');
    } finally {
      t.close();
    }
  });

  it('are not written for anonymous pages without a form: 500 GETs of 404s, /help, /forgot-user-id and a missing static file leave the sessions table as it was', async () => {
    const t = await createTestApp();
    try {
      const rows = () => t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM sessions')!.n;
      const before = rows();
      const urls = ['/no-such-page', '/help', '/forgot-user-id', '/static/missing.css', '/cards/no-such-card/nothing'];
      for (let i = 0; i < 500; i += 1) {
        const res = await request(t.app).get(i % 7 === 0 ? `/no-such-page-${i}` : urls[i % urls.length]!);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(rows()).toBe(before);
    } finally {
      t.close();
    }
  }, 60_000);

  it('start when a page carries a form: GET /login sets the cookie, one row is kept, and its form works', async () => {
    const t = await createTestApp();
    try {
      const rows = () => t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM sessions')!.n;
      const before = rows();
      const agent = request.agent(t.app);
      const page = await agent.get('/login').expect(200);
      expect(String(page.headers['set-cookie'])).toMatch(/^atwork\.sid=/);
      expect(rows()).toBe(before + 1);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const refused = await agent.post('/login').type('form').send({ _csrf: token, userId: '', password: '' });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('data-testid="userId-error"');
      expect(rows()).toBe(before + 1);
    } finally {
      t.close();
    }
  });
});
