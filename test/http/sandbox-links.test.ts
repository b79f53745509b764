// Every link a sandbox writes points at that sandbox: http://<id>.localhost:<port> for a sandbox the
// API made, the request's own loopback host for the default one; forged hosts are never reflected.
import request from 'supertest';
import { persona } from '../helpers/actors';
import { csrfTokenIn } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000', PORT: '3101' } }); });
afterEach(() => t.close());

const PORT = 4321;
const api = (method: 'get' | 'post', url: string, options: { sandbox?: string; host?: string } = {}) => {
  const req = request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).set('Host', options.host ?? `127.0.0.1:${PORT}`);
  return options.sandbox ? req.set('X-Sim-Sandbox', options.sandbox) : req;
};

const ENROLLMENT = { company: 'Globex Corporation', firstName: 'Nora', lastName: 'Newman', email: 'nora.newman@globex.example', permissions: ['cards.view'] };

interface Mail { to: string; type: string; text: string; html: string; data: Record<string, unknown> }

async function newSandbox(): Promise<string> {
  return (await api('post', '/sim/api/sandboxes').send({}).expect(201)).body.id as string;
}

function expectLinksTo(mail: Mail, key: string, url: string) {
  expect(mail.data[key]).toBe(url);
  expect(mail.text).toContain(url);
  expect(mail.html).toContain(`href="${url}"`);
  expect(`${mail.text}${mail.html}${JSON.stringify(mail.data)}`).not.toMatch(/sandbox-origin\.invalid|127\.0\.0\.1:3101/);
}

describe('links in e-mails of a sandbox', () => {
  it('point at http://<id>.localhost:<port> for an enrollment made through X-Sim-Sandbox, in the answer and the outbox', async () => {
    const id = await newSandbox();
    const enrolled = await api('post', '/sim/api/enrollments', { sandbox: id }).send(ENROLLMENT).expect(201);
    const registerUrl = `http://${id}.localhost:${PORT}/register`;
    expectLinksTo(enrolled.body.welcomeEmail, 'registerUrl', registerUrl);
    const [listed] = (await api('get', `/sim/api/outbox?to=${ENROLLMENT.email}`, { sandbox: id }).expect(200)).body.messages;
    expectLinksTo(listed, 'registerUrl', registerUrl);
    const waited = (await api('get', `/sim/api/outbox/wait?to=${ENROLLMENT.email}&timeoutMs=0`, { sandbox: id }).expect(200)).body.message;
    expectLinksTo(waited, 'registerUrl', registerUrl);
    // The same sandbox reached by its host name gives the same links.
    const byHost = (await api('get', `/sim/api/outbox?to=${ENROLLMENT.email}`, { host: `${id}.localhost:${PORT}` }).expect(200)).body.messages[0];
    expectLinksTo(byHost, 'registerUrl', registerUrl);
  });

  it('point at the new sandbox for the seeded globex.pending Welcome e-mail', async () => {
    const id = await newSandbox();
    const pending = persona('globex.pending');
    const [welcome] = (await api('get', `/sim/api/outbox?to=${pending.email}&type=welcome`, { sandbox: id }).expect(200)).body.messages;
    expectLinksTo(welcome, 'registerUrl', `http://${id}.localhost:${PORT}/register`);
  });

  it('point at the sandbox for a password reset asked for on its pages through X-Sim-Sandbox, and the link works there', async () => {
    const id = await newSandbox();
    const viaHeader = { Host: `127.0.0.1:${PORT}`, 'X-Sim-Sandbox': id };
    const agent = request.agent(t.app);
    const form = await agent.get('/forgot-password').set(viaHeader).expect(200);
    const primary = persona('globex.primary');
    await agent.post('/forgot-password').set(viaHeader).type('form')
      .send({ _csrf: csrfTokenIn(form.text), userId: 'globex.primary', email: primary.email }).expect(200);
    const [reset] = (await api('get', '/sim/api/outbox?type=password_reset', { sandbox: id }).expect(200)).body.messages;
    const resetUrl = String(reset.data.resetUrl);
    expect(resetUrl).toMatch(new RegExp(`^http://${id}\\.localhost:${PORT}/reset-password/[\\w-]{40,}$`));
    expectLinksTo(reset, 'resetUrl', resetUrl);
    const url = new URL(resetUrl);
    await agent.get(url.pathname).set('Host', url.host).expect(200);
  });

  it('point at the sandbox on the /sim console outbox pages', async () => {
    const id = await newSandbox();
    const console = request.agent(t.app);
    const host = `${id}.localhost:${PORT}`;
    const login = await console.get('/sim/login').set('Host', host).expect(200);
    await console.post('/sim/login').set('Host', host).type('form').send({ _csrf: csrfTokenIn(login.text), token: TEST_SIM_TOKEN }).expect(303);
    const list = await console.get('/sim/outbox?type=welcome').set('Host', host).expect(200);
    const emailId = /href="\/sim\/outbox\/(\d+)"/.exec(list.text)![1];
    const page = await console.get(`/sim/outbox/${emailId}`).set('Host', host).expect(200);
    expect(page.text).toContain(`http://${id}.localhost:${PORT}/register`);
    expect(page.text).not.toContain('sandbox-origin.invalid');
  });

  it('never reflect a forged host: the configured port is used instead', async () => {
    const id = await newSandbox();
    const [welcome] = (await api('get', '/sim/api/outbox?type=welcome', { sandbox: id, host: 'evil.example' }).expect(200)).body.messages;
    expect(welcome.data.registerUrl).toBe(`http://${id}.localhost:3101/register`);
    const [inDefault] = (await api('get', '/sim/api/outbox?type=welcome', { host: 'evil.example:4321' }).expect(200)).body.messages;
    expect(inDefault.data.registerUrl).toBe('http://127.0.0.1:3101/register');
  });
});

describe('links in e-mails of the default sandbox', () => {
  it('keep pointing at the host the default sandbox was asked on', async () => {
    const enrolled = await api('post', '/sim/api/enrollments').send(ENROLLMENT).expect(201);
    expectLinksTo(enrolled.body.welcomeEmail, 'registerUrl', `http://127.0.0.1:${PORT}/register`);
    const [seeded] = (await api('get', `/sim/api/outbox?to=${persona('globex.pending').email}`).expect(200)).body.messages;
    expectLinksTo(seeded, 'registerUrl', `http://127.0.0.1:${PORT}/register`);
    const viaLocalhost = (await api('get', `/sim/api/outbox?to=${persona('globex.pending').email}`, { host: `localhost:${PORT}` }).expect(200)).body.messages[0];
    expect(viaLocalhost.data.registerUrl).toBe(`http://localhost:${PORT}/register`);
  });
});
