// Each sign-in realm's session cookie, read from Set-Cookie: its own name and path, set at sign-in
// and cleared at sign-out exactly as the browser holds it, with the __Host-/__Secure- prefixes over HTTPS.
import request, { type Response } from 'supertest';
import { STAFF_PASSWORDS, persona, submitLogin } from '../helpers/actors';
import { csrfTokenIn } from '../helpers/pages';
import { createTestApp, type TestApp } from '../helpers/test-app';

const cookiesOf = (res: Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
const cookieNamed = (res: Response, name: string): string | undefined => cookiesOf(res).find((c) => c.startsWith(`${name}=`));
const attribute = (cookie: string, name: string): string | undefined =>
  cookie.split(/;\s*/).slice(1).map((part) => part.split('=')).find(([key]) => key!.toLowerCase() === name.toLowerCase())?.[1];
const isCleared = (cookie: string): boolean => /Expires=Thu, 01 Jan 1970/.test(cookie);

async function staffLogin(t: TestApp) {
  const agent = request.agent(t.app);
  const page = await agent.get('/helpdesk/login');
  const res = await agent.post('/helpdesk/login').type('form')
    .send({ _csrf: csrfTokenIn(page.text), staffId: 'agent.ava', password: STAFF_PASSWORDS['agent.ava'] });
  expect(res.status).toBe(303);
  return { agent, page, res };
}

describe('session cookies over plain HTTP', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(() => t.close());

  it('staff sign-in sets atwork.staff.sid with Path=/helpdesk, HttpOnly, SameSite=Lax; the portal cookie is not touched', async () => {
    const { page, res } = await staffLogin(t);
    for (const answer of [page, res]) {
      const cookie = cookieNamed(answer, 'atwork.staff.sid');
      expect(cookie).toBeDefined();
      expect(attribute(cookie!, 'Path')).toBe('/helpdesk');
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookieNamed(answer, 'atwork.sid')).toBeUndefined();
    }
  });

  it('staff sign-out clears that same cookie on that same path', async () => {
    const { agent } = await staffLogin(t);
    const console = await agent.get('/helpdesk').expect(200);
    const res = await agent.post('/helpdesk/logout').type('form').send({ _csrf: csrfTokenIn(console.text) });
    expect(res.status).toBe(303);
    const cleared = cookieNamed(res, 'atwork.staff.sid');
    expect(cleared).toBeDefined();
    expect(isCleared(cleared!)).toBe(true);
    expect(attribute(cleared!, 'Path')).toBe('/helpdesk');
    expect(cookiesOf(res)).toHaveLength(1);
  });

  it('PA sign-in sets atwork.sid with Path=/, and sign-out clears it on Path=/', async () => {
    const agent = request.agent(t.app);
    const login = await submitLogin(agent, 'globex.primary', persona('globex.primary').password);
    expect(login.status).toBe(303);
    const cookie = cookieNamed(login, 'atwork.sid');
    expect(attribute(cookie!, 'Path')).toBe('/');
    const home = await agent.get('/home').expect(200);
    const logout = await agent.post('/logout').type('form').send({ _csrf: csrfTokenIn(home.text) });
    expect(logout.status).toBe(303);
    const cleared = cookieNamed(logout, 'atwork.sid');
    expect(isCleared(cleared!)).toBe(true);
    expect(attribute(cleared!, 'Path')).toBe('/');
  });

  it('tells the browser at sign-out to clear what it cached or stored for the site, in both realms', async () => {
    const { agent } = await staffLogin(t);
    const console = await agent.get('/helpdesk').expect(200);
    const staffOut = await agent.post('/helpdesk/logout').type('form').send({ _csrf: csrfTokenIn(console.text) });
    expect(staffOut.headers['clear-site-data']).toBe('"cache", "storage"');

    const pa = request.agent(t.app);
    await submitLogin(pa, 'globex.primary', persona('globex.primary').password);
    const home = await pa.get('/home').expect(200);
    const paOut = await pa.post('/logout').type('form').send({ _csrf: csrfTokenIn(home.text) });
    expect(paOut.headers['clear-site-data']).toBe('"cache", "storage"');
  });
});

describe('session cookies over HTTPS (behind a trusted proxy)', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp({ env: { TRUST_PROXY: '1' } }); });
  afterEach(() => t.close());

  /** A client's cookie jar only sends Secure cookies over https: this one keeps them by hand. */
  function httpsBrowser() {
    const jar = new Map<string, string>();
    const keep = (res: Response) => {
      for (const cookie of cookiesOf(res)) {
        const [pair] = cookie.split(';');
        const [name, value] = pair!.split('=') as [string, string];
        if (isCleared(cookie)) jar.delete(name);
        else jar.set(name, value);
      }
      return res;
    };
    const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    return {
      get: async (url: string) => keep(await request(t.app).get(url).set('X-Forwarded-Proto', 'https').set('Cookie', header())),
      post: async (url: string, fields: Record<string, string>) =>
        keep(await request(t.app).post(url).set('X-Forwarded-Proto', 'https').set('Cookie', header()).type('form').send(fields)),
    };
  }

  it('the portal cookie is __Host-atwork.sid: Secure, Path=/, no Domain', async () => {
    const res = await request(t.app).get('/login').set('X-Forwarded-Proto', 'https').expect(200);
    const cookie = cookieNamed(res, '__Host-atwork.sid');
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; Secure/);
    expect(attribute(cookie!, 'Path')).toBe('/');
    expect(attribute(cookie!, 'Domain')).toBeUndefined();
    expect(cookieNamed(res, 'atwork.sid')).toBeUndefined();
  });

  it('the staff cookie is __Secure-atwork.staff.sid: Secure, Path=/helpdesk, and sign-out clears it', async () => {
    const browser = httpsBrowser();
    const page = await browser.get('/helpdesk/login');
    const login = await browser.post('/helpdesk/login', { _csrf: csrfTokenIn(page.text), staffId: 'agent.ava', password: STAFF_PASSWORDS['agent.ava']! });
    expect(login.status).toBe(303);
    const cookie = cookieNamed(login, '__Secure-atwork.staff.sid');
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; Secure/);
    expect(attribute(cookie!, 'Path')).toBe('/helpdesk');
    const console = await browser.get('/helpdesk');
    expect(console.status).toBe(200);
    const out = await browser.post('/helpdesk/logout', { _csrf: csrfTokenIn(console.text) });
    expect(out.status).toBe(303);
    const cleared = cookieNamed(out, '__Secure-atwork.staff.sid');
    expect(isCleared(cleared!)).toBe(true);
    expect(cleared).toMatch(/; Secure/);
    expect(attribute(cleared!, 'Path')).toBe('/helpdesk');
  });

  it('a PA signs in and out over HTTPS with the __Host- cookie', async () => {
    const browser = httpsBrowser();
    const page = await browser.get('/login');
    const login = await browser.post('/login', { _csrf: csrfTokenIn(page.text), userId: 'globex.primary', password: persona('globex.primary').password });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/home');
    const home = await browser.get('/home');
    expect(home.status).toBe(200);
    const out = await browser.post('/logout', { _csrf: csrfTokenIn(home.text) });
    const cleared = cookieNamed(out, '__Host-atwork.sid');
    expect(isCleared(cleared!)).toBe(true);
    expect(cleared).toMatch(/; Secure/);
    expect(attribute(cleared!, 'Path')).toBe('/');
  });
});
