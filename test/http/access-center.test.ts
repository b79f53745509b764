// The Access Center: the primary PA and PAs holding access.manage enroll administrators and change
// their rights, scope and state online. Every change is a transaction, an audit event and an
// e-mail, reaches the administrator's live sessions at their next request, and every rule refuses
// with its own code and writes nothing.
import request from 'supertest';
import { addAdministrator, auditActions, cardId, paId, persona, signedInAs, submitLogin } from '../helpers/actors';
import { csrfTokenFrom, csrfTokenIn, type Agent } from '../helpers/pages';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const NEW_PASSWORD = 'Bright-Harbor-Lights-42';
const accountId = (number: string) => t.context.db.get<{ id: number }>('SELECT id FROM control_accounts WHERE number = ?', number)!.id;
const transactionCount = () => t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM transactions')!.n;
const lastTransaction = () => t.context.db.get<{ tracking_number: string; type: string; status: string; details: string; subject_pa_id: number; submitted_by: string }>(
  'SELECT * FROM transactions ORDER BY id DESC LIMIT 1')!;
const rowsOf = (html: string) => [...html.matchAll(/data-testid="administrator-row" data-user-id="([^"]*)"/g)].map((m) => m[1]);

/** Posts the form with the CSRF token of `page`, and checks the status. */
async function post(agent: Agent, url: string, fields: Record<string, string | string[]>, status: number, page = '/access') {
  const token = await csrfTokenFrom(agent, page);
  return agent.post(url).type('form').send({ _csrf: token, ...fields }).expect(status);
}

/** A manager holding access.manage, scoped to the West Region. */
async function westManager(): Promise<Agent> {
  const added = await addAdministrator(t, 'fixture.westaccess', ['cards.view', 'cards.limits', 'access.manage']);
  t.context.db.run('INSERT INTO pa_scopes (pa_id, control_account_id) VALUES (?, ?)', added.id, accountId('GLX-W'));
  const agent = request.agent(t.app);
  await submitLogin(agent, 'fixture.westaccess', added.password);
  return agent;
}

describe('who may use the Access Center', () => {
  it('is for the primary PA and holders of access.manage, with a tile and a link', async () => {
    for (const userId of ['globex.primary', 'globex.access']) {
      const agent = await signedInAs(t, userId);
      const home = (await agent.get('/home').expect(200)).text;
      expect(home).toContain('data-testid="tile-access"');
      expect(home).toContain('data-testid="nav-access"');
      await agent.get('/access').expect(200);
    }
    const viewer = await signedInAs(t, 'globex.viewer');
    expect((await viewer.get('/home')).text).not.toContain('nav-access');
    for (const url of ['/access', '/access/new', '/access/report', '/access/report.csv', `/access/${paId(t, 'globex.canceller')}`]) {
      await viewer.get(url).expect(403);
    }
  });

  it("lists the company's administrators with state, rights, scope and last sign-in, and no one of another company", async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const page = (await primary.get('/access').expect(200)).text;
    const listed = rowsOf(page);
    expect(listed[0]).toBe('globex.primary');
    expect(listed).toEqual(expect.arrayContaining(['globex.viewer', 'globex.westmgr', 'globex.access', 'globex.locked', '']));
    expect(listed.some((userId) => userId!.startsWith('initech.'))).toBe(false);
    const westRow = page.slice(page.indexOf('data-user-id="globex.westmgr"'));
    expect(westRow).toMatch(/data-testid="administrator-scope">West Region \(GLX-W\)</);
    expect(westRow).toMatch(/data-testid="administrator-state">active</);
    await primary.get(`/access/${paId(t, 'initech.primary')}`).expect(404);
  });

  it('shows a scoped manager only the administrators inside their scope', async () => {
    const manager = await westManager();
    const listed = rowsOf((await manager.get('/access').expect(200)).text);
    expect(listed.sort()).toEqual(['fixture.westaccess', 'globex.westmgr']);
    // A company-wide administrator answers like one that does not exist.
    await manager.get(`/access/${paId(t, 'globex.viewer')}`).expect(404);
    await manager.get('/access/999999').expect(404);
  });
});

describe('enrolling an administrator', () => {
  it('sends the same Welcome e-mail, and first login leads to a PA with those rights and that scope', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const before = transactionCount();
    const res = await post(primary, '/access/new', {
      firstName: 'Wanda', lastName: 'Newcomb', email: 'wanda.newcomb@globex.example', phone: '+1 555 555 0190',
      permissions: ['cards.view', 'statements.view'], scopeKind: 'accounts', scope: ['GLX-W-ENG'], verificationPin: '4821', verificationWord: 'Compass',
    }, 303, '/access/new');
    const enrolled = t.context.db.get<{ id: number; state: string; phone: string }>("SELECT id, state, phone FROM program_administrators WHERE email = 'wanda.newcomb@globex.example'")!;
    expect(res.headers.location).toBe(`/access/${enrolled.id}`);
    expect(enrolled).toMatchObject({ state: 'pending', phone: '+15555550190' });
    expect(transactionCount()).toBe(before + 1);
    const transaction = lastTransaction();
    expect(transaction).toMatchObject({ type: 'pa_enrollment', status: 'completed', subject_pa_id: enrolled.id, submitted_by: `pa:${paId(t, 'globex.primary')}` });
    expect(JSON.parse(transaction.details)).toEqual({ permissions: ['cards.view', 'statements.view'], scope: ['GLX-W-ENG'] });
    expect(auditActions(t, `pa:${enrolled.id}`)).toEqual(expect.arrayContaining(['enrollment.created:success', 'access.enrolled:success', 'access_code.issued:success']));
    const shown = (await primary.get(res.headers.location!).expect(200)).text;
    expect(shown).toContain(transaction.tracking_number);
    expect(shown).toMatch(/data-testid="administrator-scope">West Engineering \(GLX-W-ENG\)</);

    const welcome = t.context.outbox.list({ to: 'wanda.newcomb@globex.example', type: 'welcome' });
    expect(welcome).toHaveLength(1);
    const newcomer = request.agent(t.app);
    let token = await csrfTokenFrom(newcomer, '/register');
    await newcomer.post('/register').type('form')
      .send({ _csrf: token, verificationPin: '4821', verificationWord: 'compass', accessCode: String(welcome[0]!.data.accessCode) }).expect(303);
    token = await csrfTokenFrom(newcomer, '/register');
    await newcomer.post('/register').type('form').send({ _csrf: token, userId: 'wanda.newcomb', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    const wanda = await signedInAs(t, 'wanda.newcomb', NEW_PASSWORD);
    const cards = (await wanda.get('/cards').expect(200)).text;
    expect(cards).toContain('Carla Chen');
    expect(cards).not.toContain('Alice Adams');
    await wanda.get(`/cards/${cardId(t, 'Frank Fox')}`).expect(404);
    await wanda.get('/access').expect(403);
  });

  it('says what is wrong on the form, and writes nothing', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const before = transactionCount();
    const empty = await post(primary, '/access/new', { scopeKind: 'accounts' }, 400, '/access/new');
    for (const field of ['firstName', 'lastName', 'email', 'permissions', 'verificationPin', 'verificationWord']) {
      expect(empty.text).toContain(`data-testid="${field}-error"`);
    }
    const fields = { firstName: 'Ann', lastName: 'Other', email: 'ann.other@globex.example', permissions: 'cards.view', verificationPin: '1234', verificationWord: 'otter' };
    const noAccount = await post(primary, '/access/new', { ...fields, scopeKind: 'accounts' }, 400, '/access/new');
    expect(noAccount.text).toContain('Choose at least one control account.');
    const unknown = await post(primary, '/access/new', { ...fields, scopeKind: 'accounts', scope: 'INI-01' }, 400, '/access/new');
    expect(unknown.text).toContain('data-error-code="unknown_control_account"');
    // What was typed comes back.
    expect(unknown.text).toContain('value="ann.other@globex.example"');
    const badRight = await post(primary, '/access/new', { ...fields, scopeKind: 'company', permissions: 'cards.fly' }, 400, '/access/new');
    expect(badRight.text).toContain('Choose rights from the list.');
    const badPin = await post(primary, '/access/new', { ...fields, scopeKind: 'company', verificationPin: '12a4' }, 400, '/access/new');
    expect(badPin.text).toContain('Use exactly 4 digits.');
    expect(transactionCount()).toBe(before);
    expect(t.context.outbox.list({ to: 'ann.other@globex.example' })).toHaveLength(0);
  });

  it('enrolls one administrator of two clicks at once, and none with an e-mail address already on file', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const token = await csrfTokenFrom(primary, '/access/new');
    const fields = { _csrf: token, firstName: 'Dan', lastName: 'Double', email: 'dan.double@globex.example', permissions: 'cards.view',
      scopeKind: 'company', verificationPin: '1234', verificationWord: 'otter' };
    const before = transactionCount();
    const answers = await Promise.all([1, 2].map(() => primary.post('/access/new').type('form').send(fields)));
    expect(answers.map((res) => res.status).sort()).toEqual([303, 409]);
    expect(answers.find((res) => res.status === 409)!.text).toContain('data-error-code="email_in_use"');
    expect(transactionCount()).toBe(before + 1);
    expect(t.context.outbox.list({ to: 'dan.double@globex.example', type: 'welcome' })).toHaveLength(1);
    const known = await post(primary, '/access/new', { ...fields, email: 'VERA.VIEWER@globex.example' }, 409, '/access/new');
    expect(known.text).toContain('data-testid="email-error"');
  });

  it('gives only rights and scope the manager holds, and access.manage only from the primary', async () => {
    const access = await signedInAs(t, 'globex.access');
    const fields = { firstName: 'Ann', lastName: 'Other', email: 'ann.other@globex.example', verificationPin: '1234', verificationWord: 'otter', scopeKind: 'company' };
    const form = (await access.get('/access/new').expect(200)).text;
    expect(form).not.toContain('permission-checkbox-cards.cancel');
    expect(form).not.toContain('permission-checkbox-access.manage');
    const notHeld = await post(access, '/access/new', { ...fields, permissions: ['cards.view', 'cards.cancel'] }, 403, '/access/new');
    expect(notHeld.text).toContain('data-error-code="right_not_held"');
    const manage = await post(access, '/access/new', { ...fields, permissions: 'access.manage' }, 403, '/access/new');
    expect(manage.text).toContain('data-error-code="primary_only"');
    const west = await westManager();
    const wide = await post(west, '/access/new', { ...fields, permissions: 'cards.view' }, 403, '/access/new');
    expect(wide.text).toContain('data-error-code="scope_not_held"');
    const east = await post(west, '/access/new', { ...fields, permissions: 'cards.view', scopeKind: 'accounts', scope: 'GLX-E' }, 400, '/access/new');
    expect(east.text).toContain('data-error-code="unknown_control_account"');
    expect(t.context.db.get("SELECT 1 FROM program_administrators WHERE email = 'ann.other@globex.example'")).toBeUndefined();
    // Within their scope it works.
    await post(west, '/access/new', { ...fields, permissions: 'cards.view', scopeKind: 'accounts', scope: 'GLX-W-SLS' }, 303, '/access/new');
  });
});

describe('changing an administrator', () => {
  it("changes rights: a transaction, an audit event, an e-mail, and the administrator's open session has them at its next request", async () => {
    const viewer = await signedInAs(t, 'globex.viewer');
    const card = cardId(t, 'Alice Adams');
    await viewer.get(`/cards/${card}/limit`).expect(403);
    const primary = await signedInAs(t, 'globex.primary');
    const target = paId(t, 'globex.viewer');
    const res = await post(primary, `/access/${target}/permissions`, { permissions: ['cards.view', 'cards.limits', 'statements.view'] }, 303);
    expect(res.headers.location).toBe(`/access/${target}`);
    const transaction = lastTransaction();
    expect(transaction).toMatchObject({ type: 'permission_change', status: 'completed', subject_pa_id: target });
    expect(JSON.parse(transaction.details)).toEqual({ added: ['cards.limits'], removed: [] });
    expect((await primary.get(res.headers.location!)).text).toContain(transaction.tracking_number);
    expect(auditActions(t, `pa:${target}`)).toContain('access.permissions_changed:success');
    const mail = t.context.outbox.list({ type: 'permissions_changed' }).at(-1)!;
    expect(mail.to).toBe(t.context.db.get<{ email: string }>('SELECT email FROM program_administrators WHERE id = ?', target)!.email);
    expect(mail.text).toContain('Added: cards.limits.');
    // The same session, no new sign-in.
    await viewer.get(`/cards/${card}/limit`).expect(200);
    const again = await post(primary, `/access/${target}/permissions`, { permissions: ['cards.view', 'cards.limits', 'statements.view'] }, 409);
    expect(again.text).toContain('data-error-code="no_change"');
  });

  it("changes scope, and the administrator's open session sees the new part of the program at once", async () => {
    const canceller = await signedInAs(t, 'globex.canceller');
    await canceller.get(`/cards/${cardId(t, 'Alice Adams')}`).expect(200);
    const primary = await signedInAs(t, 'globex.primary');
    const target = paId(t, 'globex.canceller');
    await post(primary, `/access/${target}/scope`, { scopeKind: 'accounts', scope: ['GLX-E'] }, 303);
    expect(lastTransaction()).toMatchObject({ type: 'scope_change', status: 'completed' });
    expect(JSON.parse(lastTransaction().details)).toEqual({ from: null, to: ['GLX-E'] });
    expect(t.context.outbox.list({ type: 'scope_changed' }).at(-1)!.text).toContain('East Region (GLX-E)');
    expect(auditActions(t, `pa:${target}`)).toContain('access.scope_changed:success');
    await canceller.get(`/cards/${cardId(t, 'Alice Adams')}`).expect(404);
    await canceller.get(`/cards/${cardId(t, 'Frank Fox')}`).expect(200);
    await post(primary, `/access/${target}/scope`, { scopeKind: 'company' }, 303);
    await canceller.get(`/cards/${cardId(t, 'Alice Adams')}`).expect(200);
    const none = await post(primary, `/access/${target}/scope`, { scopeKind: 'accounts' }, 400);
    expect(none.text).toContain('Choose at least one control account.');
  });

  it('deactivates: open sessions end and sign-in is refused; reactivation lets them in again', async () => {
    const viewer = await signedInAs(t, 'globex.viewer');
    const primary = await signedInAs(t, 'globex.primary');
    const target = paId(t, 'globex.viewer');
    await post(primary, `/access/${target}/deactivate`, {}, 303);
    expect(lastTransaction()).toMatchObject({ type: 'pa_deactivation', status: 'completed' });
    expect(t.context.outbox.list({ type: 'deactivated' })).toHaveLength(1);
    const after = await viewer.get('/home');
    expect(after.status).toBe(302);
    expect(after.headers.location).toMatch(/^\/login/);
    const refused = await submitLogin(request.agent(t.app), 'globex.viewer', persona('globex.viewer').password);
    expect(refused.text).toContain('data-error-code="account_inactive"');
    const again = await post(primary, `/access/${target}/deactivate`, {}, 409);
    expect(again.text).toContain('data-error-code="not_active"');
    await post(primary, `/access/${target}/reactivate`, {}, 303);
    expect(lastTransaction()).toMatchObject({ type: 'reactivation', status: 'completed' });
    expect(auditActions(t, `pa:${target}`)).toEqual(expect.arrayContaining(['access.deactivated:success', 'access.reactivated:success']));
    const back = await signedInAs(t, 'globex.viewer');
    await back.get('/home').expect(200);
  });
});

describe('the rules, each refused with its own code and nothing written', () => {
  async function refused(agent: Agent, url: string, fields: Record<string, string | string[]>, status: number, code: string) {
    const transactions = transactionCount();
    const mails = t.context.outbox.list({}).length;
    const res = await post(agent, url, fields, status);
    expect(res.text).toContain(`data-error-code="${code}"`);
    expect(transactionCount()).toBe(transactions);
    expect(t.context.outbox.list({}).length).toBe(mails);
    const json = await agent.post(url).set('Accept', 'application/json').type('form').send({ _csrf: csrfTokenIn(res.text), ...fields }).expect(status);
    expect(json.body.error.code).toBe(code);
  }

  it('nobody changes their own access', async () => {
    const access = await signedInAs(t, 'globex.access');
    const me = paId(t, 'globex.access');
    expect((await access.get(`/access/${me}`).expect(200)).text).toContain('data-testid="own-access-notice"');
    await refused(access, `/access/${me}/permissions`, { permissions: ['cards.view'] }, 403, 'own_rights');
    await refused(access, `/access/${me}/scope`, { scopeKind: 'accounts', scope: 'GLX-W' }, 403, 'own_rights');
    await refused(access, `/access/${me}/deactivate`, {}, 403, 'own_rights');
  });

  it('only the primary PA gives or takes access.manage', async () => {
    const access = await signedInAs(t, 'globex.access');
    await refused(access, `/access/${paId(t, 'globex.viewer')}/permissions`, { permissions: ['cards.view', 'statements.view', 'access.manage'] }, 403, 'primary_only');
    const primary = await signedInAs(t, 'globex.primary');
    await post(primary, `/access/${paId(t, 'globex.viewer')}/permissions`, { permissions: ['cards.view', 'statements.view', 'access.manage'] }, 303);
    const viewer = await signedInAs(t, 'globex.viewer');
    await viewer.get('/access').expect(200);
  });

  it('a manager gives and takes only rights they hold', async () => {
    const access = await signedInAs(t, 'globex.access');
    await refused(access, `/access/${paId(t, 'globex.viewer')}/permissions`, { permissions: ['cards.view', 'statements.view', 'cards.cancel'] }, 403, 'right_not_held');
    // globex.canceller holds cards.cancel, which globex.access does not: the form keeps it as it stands.
    const canceller = paId(t, 'globex.canceller');
    const page = (await access.get(`/access/${canceller}`).expect(200)).text;
    expect(page).toMatch(/<input [^>]*value="cards.cancel" checked\s+disabled data-testid="permission-checkbox-cards.cancel"/);
    expect(page).toContain('<input type="hidden" name="permissions" value="cards.cancel">');
    await refused(access, `/access/${canceller}/permissions`, { permissions: ['cards.view'] }, 403, 'right_not_held');
    await post(access, `/access/${canceller}/permissions`, { permissions: ['cards.view', 'cards.cancel', 'cards.limits'] }, 303);
  });

  it('a manager gives no scope wider than their own', async () => {
    const west = await westManager();
    const wendy = paId(t, 'globex.westmgr');
    await refused(west, `/access/${wendy}/scope`, { scopeKind: 'company' }, 403, 'scope_not_held');
    await refused(west, `/access/${wendy}/scope`, { scopeKind: 'accounts', scope: ['GLX-E'] }, 400, 'unknown_control_account');
    await post(west, `/access/${wendy}/scope`, { scopeKind: 'accounts', scope: ['GLX-W-SLS'] }, 303);
  });

  it('the primary PA is changed and deactivated through the help desk only', async () => {
    const access = await signedInAs(t, 'globex.access');
    const primary = paId(t, 'globex.primary');
    expect((await access.get(`/access/${primary}`).expect(200)).text).toContain('data-testid="primary-access-notice"');
    await refused(access, `/access/${primary}/deactivate`, {}, 403, 'primary_pa');
    await refused(access, `/access/${primary}/permissions`, { permissions: ['cards.view'] }, 403, 'primary_pa');
    await refused(access, `/access/${primary}/scope`, { scopeKind: 'accounts', scope: 'GLX-W' }, 403, 'primary_pa');
  });

  it('a locked or suspended User ID is for the help desk; an active one is not reactivated', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    await refused(primary, `/access/${paId(t, 'globex.locked')}/deactivate`, {}, 409, 'not_active');
    await refused(primary, `/access/${paId(t, 'globex.suspended')}/deactivate`, {}, 409, 'not_active');
    await refused(primary, `/access/${paId(t, 'globex.viewer')}/reactivate`, {}, 409, 'not_inactive');
  });

  it('another company, or out of scope, is 404 like nobody', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const token = await csrfTokenFrom(primary, '/access');
    await primary.post(`/access/${paId(t, 'initech.primary')}/deactivate`).type('form').send({ _csrf: token }).expect(404);
    await primary.post('/access/abc/deactivate').type('form').send({ _csrf: token }).expect(404);
    const west = await westManager();
    const westToken = await csrfTokenFrom(west, '/access');
    await west.post(`/access/${paId(t, 'globex.viewer')}/deactivate`).type('form').send({ _csrf: westToken }).expect(404);
    expect(t.context.db.get<{ state: string }>("SELECT state FROM program_administrators WHERE user_id = 'globex.viewer'")!.state).toBe('active');
  });
});

describe('the access report', () => {
  it('says who holds which right and scope, with the last sign-in, as a page and a CSV', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const page = (await primary.get('/access/report').expect(200)).text;
    expect(page).toContain('data-testid="report-cell-access.manage"');
    const csv = await primary.get('/access/report.csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('user_id,name,email,state,primary,permissions,scope,last_sign_in');
    const westmgr = lines.find((line) => line.startsWith('globex.westmgr,'))!;
    expect(westmgr).toMatch(/^globex\.westmgr,Wendy Westfield,wendy\.westfield@globex\.example,active,no,cards\.cancel cards\.limits cards\.view statements\.view transactions\.view_all,GLX-W,\d{4}-\d\d-\d\d$/);
    expect(lines.find((line) => line.startsWith('globex.primary,'))).toContain(',yes,');
    expect(lines.some((line) => line.startsWith('initech.'))).toBe(false);
    const west = await westManager();
    const scoped = (await west.get('/access/report.csv').expect(200)).text.trim().split('\r\n');
    expect(scoped.slice(1).map((line) => line.split(',')[0]).sort()).toEqual(['fixture.westaccess', 'globex.westmgr']);
  });
});
