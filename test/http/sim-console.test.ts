import request from 'supertest';
import { listRouteAccess } from '../../src/http/access';
import { persona, signedInAs } from '../helpers/actors';
import { csrfTokenFrom, csrfTokenIn, testIdText, type Agent } from '../helpers/pages';
import { consoleAgent as openConsole, submitConsoleForm } from '../helpers/sim-console';
import { DAY_MS, TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000', MAX_SANDBOXES: '2' } }); });
afterEach(() => t.close());

const PAGES = ['/sim', '/sim/personas', '/sim/clock', '/sim/outbox', '/sim/sms', '/sim/reset', '/sim/sandboxes', '/sim/faults'];
const HOUR_MS = 3_600_000;

const consoleAgent = (agent?: Agent) => openConsole(t.app, agent);
const submit = submitConsoleForm;

const nowMs = () => t.context.clock.nowMs();
const personaState = (userId: string) => t.context.db.get<{ state: string }>('SELECT state FROM program_administrators WHERE user_id = ?', userId)?.state;
const sessionCookie = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('atwork.sid='))?.split(';')[0];

describe('the console sign-in (/sim/login)', () => {
  it('sends a stranger from every console page to /sim/login', async () => {
    for (const page of [...PAGES, '/sim/outbox/1']) {
      const res = await request(t.app).get(page);
      expect([page, res.status, res.headers.location]).toEqual([page, 302, '/sim/login']);
    }
  });

  it('refuses every console action to a stranger with 401, even with a good CSRF token, and changes nothing', async () => {
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/sim/login');
    const before = nowMs();
    t.context.faults.add({ pattern: '/help', status: 503, probability: 1 });
    for (const [action, fields] of [
      ['/sim/clock', { advance: '1d' }], ['/sim/reset', { scenario: 'empty' }], ['/sim/outbox/clear', {}], ['/sim/sms/clear', {}], ['/sim/sandboxes', { scenario: 'default' }],
      ['/sim/sandboxes/sb-000000000000/delete', {}], ['/sim/faults', { pattern: '/x', status: '500' }], ['/sim/faults/clear', {}], ['/sim/faults/f-0/delete', {}], ['/sim/logout', {}],
    ] as const) {
      const res = await agent.post(action).type('form').send({ _csrf: token, ...fields });
      expect([action, res.status]).toEqual([action, 401]);
      expect(res.text).toContain('data-error-code="unauthenticated"');
    }
    expect(nowMs()).toBe(before);
    expect(t.context.faults.list()).toHaveLength(1);
    expect(t.context.outbox.list()).not.toHaveLength(0);
    expect(t.simulator.sandboxes.list()).toHaveLength(1);
    expect(personaState('globex.primary')).toBe('active');
  });

  it('refuses a wrong or missing token, and the console stays closed', async () => {
    const agent = request.agent(t.app);
    const wrong = await submit(agent, '/sim/login', '/sim/login', { token: `${TEST_SIM_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toMatch(/role="alert" data-testid="sim-login-error" data-error-code="invalid_token"/);
    expect(wrong.text).not.toContain(TEST_SIM_TOKEN);
    const missing = await submit(agent, '/sim/login', '/sim/login', { token: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('data-testid="token-error"');
    await agent.get('/sim').expect(302).expect('Location', '/sim/login');
    expect(t.logLines.join('')).toContain('sign-in with a wrong token');
  });

  it('opens the console on a new session ID, keeps a portal sign-in of the same browser, and closes at /sim/logout', async () => {
    const agent = await signedInAs(t, 'globex.primary');
    const page = await agent.get('/sim/login').expect(200);
    const before = await agent.post('/sim/login').type('form').send({ _csrf: csrfTokenIn(page.text), token: TEST_SIM_TOKEN });
    expect(before.status).toBe(303);
    expect(sessionCookie(before)).toBeDefined();
    await agent.get('/sim/login').expect(302).expect('Location', '/sim');
    const overview = await agent.get('/sim').expect(200);
    expect(testIdText(overview.text, 'flash-notice')).toBe('The simulator console is open.');
    await agent.get('/home').expect(200);

    const out = await submit(agent, '/sim', '/sim/logout');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/sim/login');
    await agent.get('/sim').expect(302).expect('Location', '/sim/login');
    await agent.get('/home').expect(200);
  });

  it('gives a new session ID at sign-in (no fixation)', async () => {
    const agent = request.agent(t.app);
    const first = await agent.get('/sim/login');
    const before = sessionCookie(first);
    const signedIn = await agent.post('/sim/login').type('form').send({ _csrf: csrfTokenIn(first.text), token: TEST_SIM_TOKEN });
    expect(before).toBeDefined();
    expect(sessionCookie(signedIn)).toBeDefined();
    expect(sessionCookie(signedIn)).not.toBe(before);
  });

  it('declares simulator access on every console route but the sign-in form, and leaves /sim/api to the API', async () => {
    const routes = listRouteAccess(t.expressApp.router).filter((r) => r.path.startsWith('/sim'));
    const byRoute = Object.fromEntries(routes.map((r) => [`${r.methods.join(',')} ${r.path}`, r.access?.kind]));
    expect(byRoute['GET /sim/login']).toBe('public');
    expect(byRoute['POST /sim/login']).toBe('public');
    const rest = Object.entries(byRoute).filter(([route]) => !route.endsWith(' /sim/login'));
    expect(rest.length).toBeGreaterThanOrEqual(16);
    expect(rest.filter(([, kind]) => kind !== 'simulator')).toEqual([]);

    const agent = await consoleAgent();
    const api = await agent.get('/sim/api/health');
    expect(api.status).toBe(401);
    expect(api.body.error.code).toBe('unauthorized');
    const unknown = await request(t.app).get('/sim/api/nothing-here').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe('application/json');
  });
});

describe('the console pages', () => {
  it('each render with their testids, with no inline script or style', async () => {
    const agent = await consoleAgent();
    const expected: Record<string, string[]> = {
      '/sim': ['sim-sandbox-id', 'sim-scenario', 'sim-now', 'sim-nav-personas', 'sim-logout-button'],
      '/sim/personas': ['personas-table', 'persona-row', 'persona-phone', 'persona-two-step'],
      '/sim/clock': ['clock-now', 'clock-advance-1h', 'clock-advance-1d', 'clock-advance-30d', 'clock-advance-121d', 'advance-input', 'clock-advance-submit'],
      '/sim/outbox': ['outbox-filter-form', 'to-input', 'type-input', 'outbox-table', 'outbox-row', 'outbox-clear'],
      '/sim/sms': ['sms-filter-form', 'to-input', 'type-input', 'sms-empty', 'sms-clear'],
      '/sim/reset': ['reset-form', 'scenario-input', 'reset-submit'],
      '/sim/sandboxes': ['sandboxes-table', 'sandbox-row', 'sandbox-create-submit'],
      '/sim/faults': ['faults-empty', 'pattern-input', 'method-input', 'latencyMs-input', 'status-input', 'probability-input', 'times-input', 'fault-add-submit', 'phone-input', 'textsLost-input', 'fault-sms-submit'],
    };
    for (const [page, testIds] of Object.entries(expected)) {
      const res = await agent.get(page);
      expect([page, res.status]).toEqual([page, 200]);
      for (const id of testIds) expect([page, res.text.includes(`data-testid="${id}"`)]).toEqual([page, true]);
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=/i);
      expect(res.headers['content-security-policy']).toBeDefined();
      const forms = res.text.match(/<form method="post"/g) ?? [];
      const tokens = res.text.match(/<form method="post"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/g) ?? [];
      expect([page, tokens.length]).toEqual([page, forms.length]);
    }
  });

  it('the overview names the sandbox, its scenario and the simulated now', async () => {
    const res = await (await consoleAgent()).get('/sim').expect(200);
    expect(testIdText(res.text, 'sim-sandbox-id')).toBe('default');
    expect(testIdText(res.text, 'sim-scenario')).toBe('default');
    expect(testIdText(res.text, 'sim-now')).toBe(t.context.clock.now().toISOString());
  });

  it('the personas page lists credentials and states, the pending PA with PIN, word and access code', async () => {
    const res = await (await consoleAgent()).get('/sim/personas').expect(200);
    const rows = [...res.text.matchAll(/data-testid="persona-row" data-user-id="([^"]+)" data-state="([^"]+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(rows).toEqual(expect.arrayContaining(['globex.primary:active', 'globex.locked:locked', 'globex.pending:pending', 'agent.ava:active', 'super.sam:active']));
    expect(rows).toHaveLength(16);
    const pending = /data-user-id="globex.pending"[\s\S]*?<\/tr>/.exec(res.text)![0];
    expect(testIdText(pending, 'persona-password')).toBe(persona('globex.pending').password);
    expect(testIdText(pending, 'persona-pin')).toBe('8642');
    expect(testIdText(pending, 'persona-word')).toBe('sparrow');
    expect(testIdText(pending, 'persona-access-code')).toBe('GPND-7K3M-Q9RT');
    expect(testIdText(pending, 'persona-company')).toBe('Globex Corporation');
  });
});

describe('the clock (/sim/clock)', () => {
  it('moves forward by exactly 1h, 1d, 30d and 121d with its buttons, and by a typed duration', async () => {
    const agent = await consoleAgent();
    for (const [advance, ms] of [['1h', HOUR_MS], ['1d', DAY_MS], ['30d', 30 * DAY_MS], ['121d', 121 * DAY_MS], ['90m', 90 * 60_000], ['P1D', DAY_MS]] as const) {
      const before = nowMs();
      const res = await submit(agent, '/sim/clock', '/sim/clock', { advance });
      expect([advance, res.status, res.headers.location]).toEqual([advance, 303, '/sim/clock']);
      expect([advance, nowMs() - before]).toEqual([advance, ms]);
      const page = await agent.get('/sim/clock').expect(200);
      expect(testIdText(page.text, 'clock-now')).toBe(t.context.clock.now().toISOString());
      expect(testIdText(page.text, 'flash-notice')).toContain(`Clock moved forward ${advance}`);
    }
  });

  it('moves the clock by the same rule as the API: as far as the end of 2099, twenty years in one step, and no further', async () => {
    const agent = await consoleAgent();
    const before = nowMs();
    expect((await submit(agent, '/sim/clock', '/sim/clock', { advance: '7305d' })).status).toBe(303);
    expect(nowMs() - before).toBe(7305 * DAY_MS);
    const past = await submit(agent, '/sim/clock', '/sim/clock', { advance: '36500d' });
    expect(past.status).toBe(400);
    expect(testIdText(past.text, 'advance-error')).toContain('2099');
    expect(nowMs() - before).toBe(7305 * DAY_MS);
  });

  it('does the work that fell due, as the API does: 121 days make active PAs inactive', async () => {
    const agent = await consoleAgent();
    expect(personaState('globex.primary')).toBe('active');
    await submit(agent, '/sim/clock', '/sim/clock', { advance: '121d' });
    expect(personaState('globex.primary')).toBe('inactive');
    const page = await agent.get('/sim/clock').expect(200);
    expect(testIdText(page.text, 'flash-notice')).toMatch(/[1-9]\d* user\(s\) made inactive/);
  });

  it('refuses a duration it cannot read, or too long a step, with the field marked and the clock unmoved', async () => {
    const agent = await consoleAgent();
    const before = nowMs();
    for (const advance of ['soon', '', '-1d', '99999999d']) {
      const res = await submit(agent, '/sim/clock', '/sim/clock', { advance });
      expect([advance, res.status]).toEqual([advance, 400]);
      expect(res.text).toContain('data-testid="advance-error"');
      expect(res.text).toContain('data-error-code="invalid_input"');
    }
    expect(nowMs()).toBe(before);
  });

  it('keeps the console open across a jump, while a portal sign-in in the same browser times out as it would', async () => {
    const agent = await consoleAgent(await signedInAs(t, 'globex.primary'));
    await submit(agent, '/sim/clock', '/sim/clock', { advance: '1m' });
    await agent.get('/home').expect(200);
    await submit(agent, '/sim/clock', '/sim/clock', { advance: '1h' });
    const page = await agent.get('/sim/clock').expect(200);
    expect(page.text).toContain('The portal sign-in in this browser has timed out');
    await agent.get('/home').expect(302).expect('Location', '/login');
    await submit(agent, '/sim/clock', '/sim/clock', { advance: '30d' });
    await agent.get('/sim').expect(200);
  });
});

describe('reset (/sim/reset)', () => {
  it('restores the default scenario through the API\'s service: states, clock and outbox; the console stays open', async () => {
    const api = (method: 'post' | 'get', url: string) => request(t.app)[method](url).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
    await api('post', '/sim/api/reset').send({}).expect(200);
    const epoch = nowMs();
    const agent = await consoleAgent();
    await api('post', '/sim/api/fraud-alerts').send({ userId: 'globex.viewer' }).expect(200);
    await submit(agent, '/sim/clock', '/sim/clock', { advance: '10d' });
    expect(personaState('globex.viewer')).toBe('suspended');

    const res = await submit(agent, '/sim/reset', '/sim/reset', { scenario: 'default' });
    expect(res.status).toBe(303);
    expect(personaState('globex.viewer')).toBe('active');
    expect(nowMs()).toBe(epoch);
    expect(t.context.outbox.list({ type: 'fraud_alert' })).toEqual([]);
    const overview = await agent.get('/sim').expect(200);
    expect(testIdText(overview.text, 'flash-notice')).toContain('reset to the default scenario');
  });

  it('restores the empty scenario, and ends every other session', async () => {
    const pa = await signedInAs(t, 'globex.primary');
    const agent = await consoleAgent();
    await submit(agent, '/sim/reset', '/sim/reset', { scenario: 'empty' }).then((res) => expect(res.status).toBe(303));
    const overview = await agent.get('/sim').expect(200);
    expect(testIdText(overview.text, 'sim-scenario')).toBe('empty');
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM program_administrators')!.n).toBe(0);
    await pa.get('/home').expect(302);
    const personas = await agent.get('/sim/personas').expect(200);
    expect(personas.text).toContain('data-testid="personas-empty"');
  });

  it('refuses a scenario it does not offer', async () => {
    const agent = await consoleAgent();
    for (const scenario of ['large', 'nope', '']) {
      const res = await submit(agent, '/sim/reset', '/sim/reset', { scenario });
      expect([scenario, res.status]).toEqual([scenario, 400]);
      expect(res.text).toContain('data-testid="scenario-error"');
    }
  });
});

describe('the outbox (/sim/outbox)', () => {
  const hostile = {
    to: 'mallory@evil.example', subject: 'Hi <script>alert("subject")</script>', type: 'hostile',
    text: 'Plain <script>alert("text")</script> & more', html: '<p onclick="steal()">Hello</p><script>alert("html")</script><img src=x onerror=alert(1)>',
    data: { note: '<script>alert("data")</script>', resetUrl: 'javascript:alert(1)' },
  };

  it('lists e-mails newest first, filtered by recipient and type', async () => {
    const agent = await consoleAgent();
    t.context.outbox.send({ to: 'a@x.example', subject: 'First', text: 'one', html: '<p>one</p>', type: 'notice' });
    t.context.outbox.send({ to: 'b@x.example', subject: 'Second', text: 'two', html: '<p>two</p>', type: 'notice' });
    const all = await agent.get('/sim/outbox').expect(200);
    const ids = [...all.text.matchAll(/data-testid="outbox-row" data-message-id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids.length).toBe(t.context.outbox.list().length);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const welcome = await agent.get(`/sim/outbox?to=${encodeURIComponent(persona('globex.pending').email)}&type=welcome`).expect(200);
    expect([...welcome.text.matchAll(/data-testid="outbox-row"/g)]).toHaveLength(1);
    expect(welcome.text).toContain('value="welcome"');
    const byType = await agent.get('/sim/outbox?type=notice').expect(200);
    expect([...byType.text.matchAll(/data-testid="outbox-to">([^<]+)</g)].map((m) => m[1])).toEqual(['b@x.example', 'a@x.example']);
    const none = await agent.get('/sim/outbox?type=nothing').expect(200);
    expect(none.text).toContain('data-testid="outbox-empty"');
  });

  it('shows one e-mail\'s text and HTML source escaped: nothing of it runs', async () => {
    const agent = await consoleAgent();
    const sent = t.context.outbox.send(hostile);
    const list = await agent.get('/sim/outbox').expect(200);
    const page = await agent.get(`/sim/outbox/${sent.id}`).expect(200);
    for (const res of [list, page]) {
      expect(res.text).not.toMatch(/<script>alert|<img src=x|onclick="steal|href="javascript:/);
      expect(res.text.match(/<script/g)).toHaveLength(1);
    }
    expect(page.text).toContain('&lt;script&gt;alert(&#34;html&#34;)&lt;/script&gt;');
    expect(page.text).toContain('Plain &lt;script&gt;alert(&#34;text&#34;)&lt;/script&gt; &amp; more');
    expect(testIdText(page.text, 'email-subject')).toBe('Hi &lt;script&gt;alert(&#34;subject&#34;)&lt;/script&gt;');
    expect(page.text).toContain('data-testid="email-data-resetUrl"><code>javascript:alert(1)</code>');
  });

  it('shows the Welcome e-mail with its access code and links', async () => {
    const agent = await consoleAgent();
    const welcome = t.context.outbox.list({ type: 'welcome' })[0]!;
    const page = await agent.get(`/sim/outbox/${welcome.id}`).expect(200);
    expect(page.text).toContain('data-testid="email-data-accessCode"><code>GPND-7K3M-Q9RT</code>');
    expect(page.text).toMatch(/data-testid="email-data-registerUrl"><a href="http:\/\/[^"]+\/register"/);
    expect(testIdText(page.text, 'email-type')).toBe('welcome');
    await agent.get('/sim/outbox/999999').expect(404);
    await agent.get('/sim/outbox/abc').expect(404);
  });

  it('is cleared by its button', async () => {
    const agent = await consoleAgent();
    const res = await submit(agent, '/sim/outbox', '/sim/outbox/clear');
    expect(res.status).toBe(303);
    expect(t.context.outbox.list()).toEqual([]);
    const page = await agent.get('/sim/outbox').expect(200);
    expect(page.text).toContain('data-testid="outbox-empty"');
    expect(testIdText(page.text, 'flash-notice')).toMatch(/Outbox cleared: [1-9]\d* e-mail/);
  });
});

describe('sandboxes (/sim/sandboxes)', () => {
  it('creates one with its own address, and deletes it', async () => {
    const agent = await consoleAgent();
    const created = await submit(agent, '/sim/sandboxes', '/sim/sandboxes', { scenario: 'empty' });
    expect(created.status).toBe(303);
    const made = t.simulator.sandboxes.list().find((s) => s.id !== 'default')!;
    expect(made.scenario).toBe('empty');
    const page = await agent.get('/sim/sandboxes').set('Host', '127.0.0.1:4321').expect(200);
    expect(page.text).toContain(`data-testid="sandbox-row" data-sandbox-id="${made.id}"`);
    expect(page.text).toContain(`href="http://${made.id}.localhost:4321" data-testid="sandbox-url"`);
    expect(testIdText(page.text, 'flash-notice')).toContain(`Sandbox ${made.id} created`);
    const row = () => agent.get('/sim/sandboxes').then((res) => new RegExp(`data-sandbox-id="${made.id}"[\\s\\S]*?</tr>`).exec(res.text)![0]);
    expect(testIdText(await row(), 'sandbox-scenario')).toBe('empty');
    await request(t.app).post('/sim/api/reset').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).set('X-Sim-Sandbox', made.id).send({ scenario: 'default' }).expect(200);
    expect(testIdText(await row(), 'sandbox-scenario')).toBe('default');

    const deleted = await submit(agent, '/sim/sandboxes', `/sim/sandboxes/${made.id}/delete`);
    expect(deleted.status).toBe(303);
    expect(t.simulator.sandboxes.list().map((s) => s.id)).toEqual(['default']);
    const again = await submit(agent, '/sim/sandboxes', `/sim/sandboxes/${made.id}/delete`);
    expect(again.status).toBe(404);
    expect(again.text).toContain('data-error-code="not_found"');
  });

  it('refuses to delete the default sandbox and the one the console runs in, and past the limit says so', async () => {
    const agent = await consoleAgent();
    const noDefault = await submit(agent, '/sim/sandboxes', '/sim/sandboxes/default/delete');
    expect(noDefault.status).toBe(409);
    expect(noDefault.text).toContain('data-error-code="default_sandbox"');

    for (let i = 0; i < 2; i += 1) expect((await submit(agent, '/sim/sandboxes', '/sim/sandboxes', { scenario: 'default' })).status).toBe(303);
    const over = await submit(agent, '/sim/sandboxes', '/sim/sandboxes', { scenario: 'default' });
    expect(over.status).toBe(429);
    expect(over.text).toContain('data-error-code="too_many_sandboxes"');

    const inside = t.simulator.sandboxes.list().find((s) => s.id !== 'default')!.id;
    const own = await consoleAgent(request.agent(t.app).set('Host', `${inside}.localhost:3000`));
    const ownPage = await own.get('/sim').expect(200);
    expect(testIdText(ownPage.text, 'sim-sandbox-id')).toBe(inside);
    const refused = await submit(own, '/sim/sandboxes', `/sim/sandboxes/${inside}/delete`);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('data-error-code="current_sandbox"');
    expect(t.simulator.sandboxes.list().map((s) => s.id)).toContain(inside);
  });
});

describe('faults (/sim/faults)', () => {
  it('adds a fault that answers matching routes, and clears them', async () => {
    const agent = await consoleAgent();
    const added = await submit(agent, '/sim/faults', '/sim/faults', { pattern: '/help', method: 'GET', status: '503', probability: '1', times: '1', latencyMs: '' });
    expect(added.status).toBe(303);
    const [fault] = t.context.faults.list();
    expect(fault).toMatchObject({ pattern: '/help', method: 'GET', status: 503, probability: 1, times: 1 });
    const page = await agent.get('/sim/faults').expect(200);
    expect(page.text).toContain(`data-testid="fault-row" data-fault-id="${fault!.id}"`);
    await request(t.app).get('/help').expect(503);
    await request(t.app).get('/help').expect(200);
    expect(t.context.faults.list()).toEqual([]);

    await submit(agent, '/sim/faults', '/sim/faults', { pattern: '/cards/*', latencyMs: '50' });
    await submit(agent, '/sim/faults', '/sim/faults', { pattern: '/transactions*', status: '500', probability: '0.5' });
    expect(t.context.faults.list().map((f) => [f.pattern, f.latencyMs, f.status, f.probability])).toEqual([['/cards/*', 50, undefined, 1], ['/transactions*', undefined, 500, 0.5]]);
    const one = t.context.faults.list()[0]!.id;
    expect((await submit(agent, '/sim/faults', `/sim/faults/${one}/delete`)).status).toBe(303);
    expect(t.context.faults.list()).toHaveLength(1);
    expect((await submit(agent, '/sim/faults', '/sim/faults/clear')).status).toBe(303);
    expect(t.context.faults.list()).toEqual([]);
    expect((await submit(agent, '/sim/faults', `/sim/faults/${one}/delete`)).status).toBe(404);
  });

  it('refuses a fault the API would refuse, with the field marked and nothing added', async () => {
    const agent = await consoleAgent();
    for (const [fields, field] of [
      [{ pattern: 'help', status: '500' }, 'pattern'], [{ pattern: '/x' }, 'latencyMs'], [{ pattern: '/x', status: '200' }, 'status'],
      [{ pattern: '/x', status: '500', probability: '2' }, 'probability'], [{ pattern: '/x', latencyMs: '1.5' }, 'latencyMs'],
      [{ pattern: '/x', status: '500', times: '0' }, 'times'], [{ pattern: '/x', status: '500', method: 'TRACE' }, 'method'],
    ] as const) {
      const res = await submit(agent, '/sim/faults', '/sim/faults', fields);
      expect([fields, res.status, res.text.includes(`data-testid="${field}-error"`)]).toEqual([fields, 400, true]);
    }
    expect(t.context.faults.list()).toEqual([]);
  });
});

describe('CSRF', () => {
  it('is required on every console POST: without the token nothing happens', async () => {
    const agent = await consoleAgent();
    const sandbox = await t.simulator.sandboxes.create('default');
    const fault = t.context.faults.add({ pattern: '/help', status: 503, probability: 1 });
    const before = { now: nowMs(), mail: t.context.outbox.list().length };
    for (const [action, fields] of [
      ['/sim/login', { token: TEST_SIM_TOKEN }], ['/sim/logout', {}], ['/sim/clock', { advance: '1d' }], ['/sim/reset', { scenario: 'empty' }],
      ['/sim/outbox/clear', {}], ['/sim/sms/clear', {}], ['/sim/sandboxes', { scenario: 'default' }], [`/sim/sandboxes/${sandbox.id}/delete`, {}],
      ['/sim/faults', { pattern: '/x', status: '500' }], ['/sim/faults/clear', {}], [`/sim/faults/${fault.id}/delete`, {}],
    ] as const) {
      for (const token of [undefined, 'forged-token']) {
        const res = await agent.post(action).type('form').send({ ...(token ? { _csrf: token } : {}), ...fields });
        expect([action, token, res.status]).toEqual([action, token, 403]);
        expect(res.text).toContain('data-error-code="csrf_invalid"');
      }
    }
    expect(nowMs()).toBe(before.now);
    expect(t.context.outbox.list()).toHaveLength(before.mail);
    expect(t.simulator.sandboxes.list()).toHaveLength(2);
    expect(t.context.faults.list()).toHaveLength(1);
    expect(personaState('globex.primary')).toBe('active');
    await agent.get('/sim').expect(200);
  });
});
