import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(() => t.close());

const PAGES = ['/login', '/no-such-page', '/static/css/portal.css', '/static/js/portal.js'];

describe('security headers', () => {
  it.each(PAGES)('are on %s', async (url) => {
    const res = await request(t.app).get(url);
    const csp = res.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("style-src-attr 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("base-uri 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('are on the simulator API too', async () => {
    const res = await request(t.app).get('/sim/api/health');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('keep portal pages out of caches, with no ETag to revalidate; static files keep theirs', async () => {
    const res = await request(t.app).get('/login');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
    const api = await request(t.app).get('/sim/api/health');
    expect(api.headers.etag).toBeUndefined();
    const css = await request(t.app).get('/static/css/portal.css').expect(200);
    expect(css.headers.etag).toBeDefined();
    await request(t.app).get('/static/css/portal.css').set('If-None-Match', css.headers.etag!).expect(304);
  });

  it('set the session cookie HttpOnly and SameSite=Lax, and Secure only over HTTPS', async () => {
    const plain = await request(t.app).get('/login');
    const cookie = plain.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/^atwork\.sid=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);

    const proxied = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const secure = await request(proxied.app).get('/login').set('X-Forwarded-Proto', 'https');
      expect(secure.headers['set-cookie']?.[0]).toMatch(/Secure/);
    } finally {
      proxied.close();
    }
  });

  it('serve pages with no inline script or style attribute', async () => {
    const res = await request(t.app).get('/login');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle=/);
    expect(res.text).not.toMatch(/\son[a-z]+=/);
  });

  it('send HSTS only over HTTPS: a plain-HTTP answer cannot pin anything', async () => {
    const plain = await request(t.app).get('/login');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    const proxied = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const spoofedWithoutTrust = await request(t.app).get('/login').set('X-Forwarded-Proto', 'https');
      expect(spoofedWithoutTrust.headers['strict-transport-security']).toBeUndefined();
      const secure = await request(proxied.app).get('/login').set('X-Forwarded-Proto', 'https');
      expect(secure.headers['strict-transport-security']).toMatch(/^max-age=\d{8}; includeSubDomains$/);
      const api = await request(proxied.app).get('/sim/api/health').set('X-Forwarded-Proto', 'https');
      expect(api.headers['strict-transport-security']).toBeDefined();
    } finally {
      proxied.close();
    }
  });
});
