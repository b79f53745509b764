import request from 'supertest';
import { csrfTokenFrom } from '../helpers/pages';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(() => t.close());

describe('CSRF protection', () => {
  it('refuses a POST without a token with 403', async () => {
    const agent = request.agent(t.app);
    await agent.get('/login').expect(200);
    const res = await agent.post('/login').type('form').send({ userId: 'globex.primary', password: 'x' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="csrf_invalid"');
  });

  it('refuses a POST with a token from another session', async () => {
    const other = request.agent(t.app);
    const foreignToken = await csrfTokenFrom(other, '/login');
    const agent = request.agent(t.app);
    await agent.get('/login').expect(200);
    const res = await agent.post('/login').type('form').send({ _csrf: foreignToken, userId: 'a', password: 'b' });
    expect(res.status).toBe(403);
  });

  it('refuses a POST with no session at all, answering JSON callers in JSON', async () => {
    const res = await request(t.app).post('/login').set('Accept', 'application/json').type('form').send({ userId: 'a' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'csrf_invalid', message: expect.any(String) } });
  });

  it('gives each session its own 256-bit token, the same on every page of it', async () => {
    const agent = request.agent(t.app);
    const first = await csrfTokenFrom(agent, '/login');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await csrfTokenFrom(agent, '/login')).toBe(first);
    expect(await csrfTokenFrom(request.agent(t.app), '/login')).not.toBe(first);
  });

  it("accepts the form's own token", async () => {
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: token, userId: '', password: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-testid="userId-error"');
  });

  it('puts the token in a hidden _csrf input on the form', async () => {
    const res = await request(t.app).get('/login');
    expect(res.text).toMatch(/<input type="hidden" name="_csrf" value="[^"]{16,}">/);
  });
});
