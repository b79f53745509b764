import request from 'supertest';
import { STACK_TRACE, csrfTokenFrom } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(() => t.close());

const sim = (req: request.Test) => req.set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);

describe('errors', () => {
  it('answer an unknown page with the 404 page', async () => {
    const res = await request(t.app).get('/no/such/page').expect(404);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('Page not found');
    expect(res.text).toContain('data-error-code="not_found"');
    expect(res.text).toContain('role="alert"');
  });

  it('answer an unknown route in JSON to a JSON caller', async () => {
    const res = await request(t.app).get('/no/such/page').set('Accept', 'application/json').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('answer an unknown simulator call in JSON', async () => {
    const res = await sim(request(t.app).get('/sim/api/nothing-here')).expect(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answer malformed JSON with 400 malformed_body and no stack trace', async () => {
    const res = await sim(request(t.app).post('/sim/api/reset'))
      .set('Content-Type', 'application/json').send('{"scenario": "default",');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_body');
    expect(JSON.stringify(res.body)).not.toMatch(STACK_TRACE);
  });

  it('answer an oversized JSON body with 413', async () => {
    const res = await sim(request(t.app).post('/sim/api/reset'))
      .set('Content-Type', 'application/json').send(JSON.stringify({ scenario: 'x'.repeat(200_000) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('answer an oversized form with 413 and a page, not a stack trace', async () => {
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: token, userId: 'u', password: 'p'.repeat(40_000) });
    expect(res.status).toBe(413);
    expect(res.text).toContain('data-error-code="payload_too_large"');
    expect(res.text).not.toMatch(STACK_TRACE);
  });

  it('answer a form with too many fields with 413', async () => {
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/login');
    const fields = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`f${i}`, 'x']));
    const res = await agent.post('/login').type('form').send({ _csrf: token, ...fields });
    expect(res.status).toBe(413);
  });

  it('answer a bad URL encoding with a 4xx', async () => {
    for (const url of ['/%E0%A4%A', '/login/%', '/sim/api/%zz']) {
      const res = await request(t.app).get(url);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(STACK_TRACE);
    }
  });

  it('answer an unsupported body encoding with 415', async () => {
    const res = await sim(request(t.app).post('/sim/api/reset'))
      .set('Content-Type', 'application/json').set('Content-Encoding', 'br-nope').send('{}');
    expect(res.status).toBe(415);
  });

  it('hide the cause of an unexpected failure behind a friendly page, and log it', async () => {
    const failing = await createTestApp();
    failing.context.db.close(); // every query now throws
    try {
      const res = await sim(request(failing.app).get('/sim/api/personas'));
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
      expect(res.text).not.toMatch(STACK_TRACE);
      expect(res.text).not.toMatch(/database connection is not open/i);
      expect(failing.logLines.join('')).toMatch(/request failed/);
    } finally {
      failing.close();
    }
  });
});
