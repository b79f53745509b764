// The repository's own docs stand alone and keep up with the code: no pointer to a brief outside the
// repository, and docs/reference.md names every page route, every simulator API call and every
// e-mail type the portal can send.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ALL_PERMISSIONS } from '../../src/features/permissions/permissions';
import { OPENAPI_DOCUMENT } from '../../src/features/sim/openapi';
import { cardId, paId, persona, signedInAs, staffSignedInAs, submitWithReview } from '../helpers/actors';
import { csrfTokenFrom, csrfTokenIn, type Agent } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

const ROOT = path.resolve(__dirname, '../..');
const REFERENCE = fs.readFileSync(path.join(ROOT, 'docs/reference.md'), 'utf8');

/** The docs a clone has: the README and everything in docs/. */
function repositoryDocs(): Array<{ file: string; text: string }> {
  const files = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
  return files.map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the reference names `METHOD /path` exactly: `GET /cards/:id` is not found in `GET /cards/:id/cancel`. */
const documents = (methodAndPath: string) => new RegExp(`(?<![\\w/.:-])${escapeRegExp(methodAndPath)}(?![\\w/.:-])`).test(REFERENCE);

interface Layer {
  handle: unknown;
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route of an Express app as `METHOD /full/path`, with the paths its routers are mounted at. */
function registeredRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const full = layer.route.path === '/' && prefix ? prefix : `${prefix}${layer.route.path}`;
      return Object.keys(layer.route.methods).map((method) => `${method.toUpperCase()} ${full}`);
    }
    const nested = (layer.handle as { stack?: Layer[] } | undefined)?.stack;
    if (!Array.isArray(nested)) return [];
    const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    return registeredRoutes(nested, `${prefix}${mount}`);
  });
}

/** Every source file of the app and its seed loader. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** E-mail types as the code spells them: every e-mail literal gives its subject, then its type. */
function emailTypesInSource(): Set<string> {
  const types = new Set<string>();
  for (const file of [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'seed'))]) {
    const text = fs.readFileSync(file, 'utf8');
    // A subject is a quoted string or a template literal (one naming the company or a tracking number).
    for (const match of text.matchAll(/subject:\s*(?:'(?:[^'\\]|\\.)*'|`[^`]*`),\s*type:\s*'([a-z_]+)'/g)) types.add(match[1]!);
  }
  return types;
}

const E_MAILS_SECTION = /^## \d+\. E-mails$([\s\S]*?)^## /m.exec(REFERENCE)?.[1] ?? '';

describe('the repository docs', () => {
  it.each(repositoryDocs().map(({ file, text }) => [file, text] as const))('%s points at nothing outside the repository', (_file, text) => {
    expect(text).not.toContain('../shared');
    expect(text).not.toContain('PRODUCT.md');
  });

  it('include the OpenAPI document the simulator serves, which points at nothing outside the repository either', () => {
    const served = JSON.stringify(OPENAPI_DOCUMENT);
    expect(served).not.toContain('../shared');
    expect(served).not.toContain('PRODUCT.md');
  });

  it('link to docs/reference.md from the README and the QA guide', () => {
    const docs = new Map(repositoryDocs().map(({ file, text }) => [file, text]));
    expect(docs.get('README.md')).toContain('docs/reference.md');
    expect(docs.get('docs/qa-guide.md')).toContain('reference.md');
  });
});

describe('docs/reference.md', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(() => t.close());

  const routes = () => registeredRoutes((t.expressApp.router as unknown as { stack: Layer[] }).stack);

  it('finds the routes of every router, where each is mounted', () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(60);
    expect(all).toEqual(expect.arrayContaining(['GET /login', 'GET /helpdesk', 'POST /helpdesk/callers/:id/verify', 'DELETE /sim/api/sandboxes/:id', 'GET /sim/outbox/:id']));
  });

  it('names every page route with its method', () => {
    const pages = routes().filter((route) => !route.includes(' /sim/api'));
    expect(pages.filter((route) => !documents(route))).toEqual([]);
  });

  it('names every simulator API call with its method', () => {
    const api = routes().filter((route) => route.includes(' /sim/api/'));
    expect(api.length).toBeGreaterThanOrEqual(20);
    expect(api.filter((route) => !documents(route))).toEqual([]);
  });

  it('lists every e-mail type the code spells, each in a row of the e-mail table', () => {
    const types = [...emailTypesInSource()];
    expect(types).toEqual(expect.arrayContaining(['welcome', 'password_reset', 'fraud_alert']));
    const rows = types.filter((type) => new RegExp(`^\\| \`${type}\` \\|`, 'm').test(E_MAILS_SECTION));
    expect(rows.sort()).toEqual(types.sort());
  });
});

describe('the e-mails the portal sends', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
  afterAll(() => t.close());

  const api = (req: request.Test) => req.set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);

  async function forgotPassword(userId: string) {
    const agent = request.agent(t.app);
    const token = await csrfTokenFrom(agent, '/forgot-password');
    await agent.post('/forgot-password').type('form').send({ _csrf: token, userId, email: persona(userId).email }).expect(200);
  }

  /** Verifies the caller with their PIN and word, then posts a help-desk action; expects the redirect back. */
  async function helpDeskAction(staff: Agent, userId: string, action: string, fields: Record<string, string | string[]> = {}) {
    const post = async (url: string, body: Record<string, string | string[]>) => {
      const page = await staff.get('/helpdesk');
      return staff.post(url).type('form').send({ _csrf: csrfTokenIn(page.text), ...body });
    };
    const id = paId(t, userId);
    const seed = persona(userId);
    const verified = await post(`/helpdesk/callers/${id}/verify`, { verificationPin: seed.verificationPin, verificationWord: seed.verificationWord });
    const acted = await post(`/helpdesk/callers/${id}/${action}`, fields);
    expect([userId, action, verified.status, acted.status]).toEqual([userId, action, 303, 303]);
  }

  it('are exactly the types the code spells, each in docs/reference.md with its data keys', async () => {
    await api(request(t.app).post('/sim/api/enrollments')).send({ company: 'Globex Corporation', firstName: 'Dora', lastName: 'Docs', email: 'dora.docs@globex.example' }).expect(201);
    await forgotPassword('globex.viewer');
    await forgotPassword('globex.locked');

    const reset = t.context.outbox.list({ type: 'password_reset' })[0]!;
    const resetPath = new URL(String(reset.data.resetUrl)).pathname;
    const browser = request.agent(t.app);
    const resetToken = await csrfTokenFrom(browser, resetPath);
    await browser.post(resetPath).type('form').send({ _csrf: resetToken, password: 'Paper-Lantern-2031', confirmPassword: 'Paper-Lantern-2031' }).expect(303);

    await api(request(t.app).post('/sim/api/fraud-alerts')).send({ userId: 'globex.canceller' }).expect(200);
    const twoStep = request.agent(t.app);
    const loginToken = await csrfTokenFrom(twoStep, '/login');
    await twoStep.post('/login').type('form').send({ _csrf: loginToken, userId: 'globex.nophone', password: persona('globex.nophone').password }).expect(303);
    const code = () => String(t.context.outbox.list({ type: 'two_step_code' }).at(-1)!.data.code);
    await twoStep.post('/login/verify').type('form').send({ _csrf: loginToken, code: code() }).expect(303);
    const profileToken = await csrfTokenFrom(twoStep, '/profile/two-step');
    await twoStep.post('/profile/two-step/disable').type('form').send({ _csrf: profileToken }).expect(303);

    const supervisor = await staffSignedInAs(t, 'super.sam');
    await helpDeskAction(supervisor, 'globex.inactive', 'reactivate');
    await helpDeskAction(supervisor, 'globex.locked', 'unlock');
    await helpDeskAction(supervisor, 'globex.viewer', 'user-id');
    await helpDeskAction(supervisor, 'globex.pending', 'access-code');
    await helpDeskAction(supervisor, 'globex.primary', 'permissions', { permissions: ALL_PERMISSIONS.filter((p) => p !== 'transactions.view_all') });
    await helpDeskAction(supervisor, 'globex.viewer', 'contact', { firstName: 'Vera', lastName: 'Viewer', email: 'vera.v@globex.example', phone: '555-010-1002' });
    await helpDeskAction(supervisor, 'globex.suspended', 'lift-suspension');
    const thread = '/helpdesk/messages/AW2001000013';
    const answered = await supervisor.post(`${thread}/reply`).type('form').send({ _csrf: csrfTokenIn((await supervisor.get(thread)).text), body: 'An answer.' });
    expect(answered.status).toBe(303);

    const initech = await signedInAs(t, 'initech.primary');
    const onProfile = async (action: string, fields: Record<string, string>) => {
      const page = await initech.get('/profile');
      return initech.post(action).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
    };
    expect((await onProfile('/profile/contact', { email: 'bill.l@initech.example', phone: '' })).status).toBe(303);
    const contactRequest = t.context.db.get<{ tracking_number: string }>("SELECT tracking_number FROM transactions WHERE type = 'contact_change_request'")!.tracking_number;
    const staffPage = await supervisor.get('/helpdesk');
    await supervisor.post(`/helpdesk/contact-requests/${contactRequest}/reject`).type('form').send({ _csrf: csrfTokenIn(staffPage.text), reason: 'Call us.' }).expect(303);
    const changed = 'Copper-Kettle-Dawn-47';
    expect((await onProfile('/profile/password', { currentPassword: persona('initech.primary').password, newPassword: changed, confirmPassword: changed })).status).toBe(303);
    await helpDeskAction(supervisor, 'globex.twostep', 'two-step-reset');
    const manager = await signedInAs(t, 'globex.primary');
    const inAccessCenter = async (userId: string, action: string, fields: Record<string, string> = {}) => {
      const page = await manager.get('/access');
      const id = t.context.db.get<{ id: number }>('SELECT id FROM program_administrators WHERE user_id = ?', userId)!.id;
      await manager.post(`/access/${id}/${action}`).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields }).expect(303);
    };
    await inAccessCenter('globex.westmgr', 'scope', { scopeKind: 'accounts', scope: 'GLX-W-SLS' });
    await inAccessCenter('globex.access', 'deactivate');
    const maker = await signedInAs(t, 'initech.maker');
    const holdLimitChange = async (cardmember: string) => {
      const held = await submitWithReview(maker, `/cards/${cardId(t, cardmember)}/limit`, { limitType: 'permanent', newLimit: '9000', endDate: '' });
      return /^\/approvals\/(AW\d{10})\?held=1$/.exec(held.headers.location ?? '')![1]!;
    };
    const approver = await signedInAs(t, 'initech.primary', changed);
    const decide = async (trackingNumber: string, action: string, fields: Record<string, string> = {}) => {
      const page = await approver.get(`/approvals/${trackingNumber}`);
      await approver.post(`/approvals/${trackingNumber}/${action}`).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields }).expect(303);
    };
    await decide(await holdLimitChange('Peter Gibbons'), 'approve');
    await decide(await holdLimitChange('Michael Bolton'), 'reject', { reason: 'Not this quarter.' });

    // A card application from invitation to issued card: the invitation, the decision told to the inviting PA, the Welcome to the card.
    const invitePage = await manager.get('/applications/invite');
    const invited = await manager.post('/applications/invite').type('form').send({ _csrf: csrfTokenIn(invitePage.text),
      employeeName: 'Nadia Newhire', employeeEmail: 'nadia.newhire@globex.example', controlAccount: 'GLX-E-OPS', tier: 'standard', requestedLimit: '2500' });
    expect(invited.status).toBe(303);
    const applicationNumber = invited.headers.location!.split('/').at(-1)!;
    const applyPath = new URL(String(t.context.outbox.list({ type: 'application_invitation', to: 'nadia.newhire@globex.example' })[0]!.data.applyUrl)).pathname;
    const employee = request.agent(t.app);
    const applyToken = await csrfTokenFrom(employee, applyPath);
    await employee.post(applyPath).type('form').send({ _csrf: applyToken, jobTitle: 'Analyst', phone: '', agree: 'yes' }).expect(200);
    const applicationApprover = await signedInAs(t, 'globex.approver');
    const approvePage = await applicationApprover.get(`/applications/${applicationNumber}`);
    await applicationApprover.post(`/applications/${applicationNumber}/approve`).type('form').send({ _csrf: csrfTokenIn(approvePage.text) }).expect(303);
    // A daily report subscription: the clock's three days deliver its latest period.
    const reportsPage = await manager.get('/reports');
    await manager.post('/reports/subscriptions').type('form').send({ _csrf: csrfTokenIn(reportsPage.text), report: 'spend', frequency: 'daily' }).expect(303);
    await api(request(t.app).post('/sim/api/clock')).send({ advance: '3d' }).expect(200);

    const sent = [...new Set(t.context.outbox.list().map((email) => email.type))].sort();
    expect(sent).toEqual([...emailTypesInSource()].sort());
    expect(sent.filter((type) => !new RegExp(`^\\| \`${type}\` \\|`, 'm').test(E_MAILS_SECTION))).toEqual([]);

    // The data keys scripts read instead of scraping the body, as the table gives them.
    const keysOf = (type: string) => Object.keys(t.context.outbox.list({ type })[0]?.data ?? {}).sort();
    expect(keysOf('welcome')).toEqual(['accessCode', 'expiresAt', 'registerUrl']);
    expect(keysOf('password_reset')).toEqual(['expiresAt', 'resetUrl']);
    expect(keysOf('application_invitation')).toEqual(['applyUrl', 'expiresAt', 'trackingNumber']);
    expect(keysOf('card_welcome')).toEqual(['maskedCardNumber', 'trackingNumber']);
    expect(keysOf('application_decision')).toEqual(['decision', 'reason', 'trackingNumber']);
    expect(E_MAILS_SECTION).toMatch(/^\| `welcome` \|.*`accessCode`, `registerUrl`, `expiresAt` \|$/m);
    expect(E_MAILS_SECTION).toMatch(/^\| `password_reset` \|.*`resetUrl`, `expiresAt` \|$/m);
  });
});
