import request from 'supertest';
import { csrfTokenFrom } from '../helpers/pages';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(() => t.close());

describe('GET /login', () => {
  it('shows the sign-in form with the contract field names and test IDs', async () => {
    const res = await request(t.app).get('/login').expect(200);
    expect(res.text).toContain('name="userId"');
    expect(res.text).toContain('name="password"');
    expect(res.text).toContain('data-testid="login-submit"');
    expect(res.text).toContain('/static/css/portal.css');
  });

  it('is where / leads', async () => {
    await request(t.app).get('/').expect(302).expect('Location', '/login');
  });
});

describe('POST /login', () => {
  it('marks each empty field with its own message', async () => {
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: token }).expect(400);
    expect(res.text).toContain('data-testid="userId-error"');
    expect(res.text).toContain('Enter your User ID.');
    expect(res.text).toContain('Enter your Password.');
    expect(res.text).toContain('role="alert"');
  });

  it('escapes what was typed when it shows the form again', async () => {
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf: token, userId: '"><script>alert(1)</script>', password: '' });
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
