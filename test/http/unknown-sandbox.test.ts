import request from 'supertest';
import { STACK_TRACE } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp(); });
afterEach(() => t.close());

/** What a browser sends when it navigates to a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('a request for a sandbox that does not exist', () => {
  it('shows a browser an HTML page that says so and links back to the default sandbox and the console', async () => {
    const res = await request(t.app).get('/home').set('Host', 'sb-0123456789ab.localhost:3000').set('Accept', BROWSER_ACCEPT);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).toMatch(/^<!doctype html>/i);
    expect(res.text).toContain('data-error-code="unknown_sandbox"');
    expect(res.text).toContain('There is no sandbox');
    expect(res.text).toContain('sb-0123456789ab');
    expect(res.text).toContain('href="//localhost:3000/"');
    expect(res.text).toContain('href="//localhost:3000/sim"');
    expect(res.text).not.toMatch(/<script|<style|\sstyle=/i);
    expect(res.text).not.toMatch(STACK_TRACE);
  });

  it('escapes the sandbox id it names', async () => {
    const res = await request(t.app).get('/').set('X-Sim-Sandbox', '<img src=x onerror=alert(1)>&').set('Accept', BROWSER_ACCEPT);
    expect(res.status).toBe(404);
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;');
    expect(res.text).not.toContain('<img');
    // Chosen by header rather than host: the default sandbox is on this same host.
    expect(res.text).toContain('href="/"');
    expect(res.text).toContain('href="/sim"');
  });

  it('keeps answering scripts with JSON { error: { code } }: Accept application/json, */* or none', async () => {
    for (const accept of ['application/json', '*/*', undefined]) {
      const req = request(t.app).get('/sim/api/health').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).set('X-Sim-Sandbox', 'sb-nope');
      const res = await (accept ? req.set('Accept', accept) : req);
      expect([accept, res.status, res.headers['content-type']]).toEqual([accept, 404, expect.stringMatching(/^application\/json/)]);
      expect(res.body.error.code).toBe('unknown_sandbox');
    }
  });
});
