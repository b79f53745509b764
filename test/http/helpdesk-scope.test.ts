// The help desk's permission change sets a caller's scope too: the whole company or control accounts
// of the caller's company (`scopeKind`, `scope`), in the same transaction, audit event and e-mail as
// the permissions, and it reaches the PA's open session at their next request.
import { cardId, paId, persona, signedInAs, staffSignedInAs } from '../helpers/actors';
import { csrfTokenIn, testIdText, type Agent } from '../helpers/pages';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const WEST = ['Alice Adams', 'Ben Baker', 'Carla Chen', 'Diego Diaz', 'Erin Evans'];
const EAST = ['Frank Fox', 'Gina Garcia', 'Hugo Hughes', 'Iris Ito', 'Jack Jones'];
const VIEWER_PERMISSIONS = persona('globex.viewer').permissions;
const WESTMGR_PERMISSIONS = persona('globex.westmgr').permissions;
const globex = persona('globex.primary');
const PRIMARY_ON_THE_CALL = { primaryPin: globex.verificationPin, primaryWord: globex.verificationWord };

/** The cardmembers of the card list, each once (Iris Ito has two cards), in order. */
const listedNames = (html: string) => [...new Set([...html.matchAll(/data-testid="card-row"[\s\S]*?<a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!.trim()))].sort();
const scopeNumbers = (userId: string) => t.context.db.all<{ number: string }>(
  'SELECT ca.number FROM pa_scopes s JOIN control_accounts ca ON ca.id = s.control_account_id WHERE s.pa_id = ? ORDER BY ca.number', paId(t, userId)).map((row) => row.number);
const changes = () => t.context.db.all<{ tracking_number: string; summary: string; details: string }>(
  "SELECT tracking_number, summary, details FROM transactions WHERE type = 'permission_change' ORDER BY id");
const lastDetails = () => JSON.parse(changes().at(-1)!.details) as Record<string, unknown>;
const permissionEmails = (userId: string) => t.context.outbox.list({ to: persona(userId).email, type: 'permissions_changed' });

async function post(agent: Agent, url: string, fields: Record<string, string | string[]> = {}) {
  const page = await agent.get('/helpdesk');
  return agent.post(url).type('form').send({ _csrf: csrfTokenIn(page.text), ...fields });
}

/** An agent signed in, with the caller verified by their PIN and word. */
async function agentOnTheCallWith(userId: string): Promise<Agent> {
  const agent = await staffSignedInAs(t, 'agent.ava');
  const seed = persona(userId);
  const verified = await post(agent, `/helpdesk/callers/${paId(t, userId)}/verify`, { verificationPin: seed.verificationPin, verificationWord: seed.verificationWord });
  expect(verified.status).toBe(303);
  return agent;
}

const change = (agent: Agent, userId: string, fields: Record<string, string | string[]>) =>
  post(agent, `/helpdesk/callers/${paId(t, userId)}/permissions`, fields);

describe('POST /helpdesk/callers/:id/permissions with a scope', () => {
  it("scopes a PA to control accounts, which their open session sees at its next request, then back to the whole company", async () => {
    const viewer = await signedInAs(t, 'globex.viewer');
    expect(listedNames((await viewer.get('/cards').expect(200)).text)).toEqual([...WEST, ...EAST].sort());
    const agent = await agentOnTheCallWith('globex.viewer');

    const narrowed = await change(agent, 'globex.viewer', { permissions: VIEWER_PERMISSIONS, scopeKind: 'accounts', scope: ['GLX-E'], ...PRIMARY_ON_THE_CALL });
    expect(narrowed.status).toBe(303);
    expect(scopeNumbers('globex.viewer')).toEqual(['GLX-E']);
    // The same session, not a new sign-in: the East cards only, and a West card is not there at all.
    expect(listedNames((await viewer.get('/cards').expect(200)).text)).toEqual([...EAST].sort());
    await viewer.get(`/cards/${cardId(t, 'Carla Chen')}`).expect(404);
    await viewer.get(`/cards/${cardId(t, 'Frank Fox')}`).expect(200);

    const [first] = changes();
    expect(JSON.parse(first!.details)).toEqual({ added: [], removed: [], approvedByPrimaryPaId: paId(t, 'globex.primary'), scope: { from: null, to: ['GLX-E'] } });
    expect(first!.summary).toBe('Permissions of Vera Viewer: scope now East Region (GLX-E)');
    expect(permissionEmails('globex.viewer').at(-1)!.text).toContain('you now see and manage the cards and requests of East Region (GLX-E) only.');
    const page = await agent.get(`/helpdesk/callers/${paId(t, 'globex.viewer')}`).expect(200);
    expect(testIdText(page.text, 'caller-scope')).toBe('East Region (GLX-E)');
    expect(page.text).toContain(`<span class="tracking-number">${first!.tracking_number}</span>`);

    const widened = await change(agent, 'globex.viewer', { permissions: VIEWER_PERMISSIONS, scopeKind: 'company', ...PRIMARY_ON_THE_CALL });
    expect(widened.status).toBe(303);
    expect(scopeNumbers('globex.viewer')).toEqual([]);
    expect(listedNames((await viewer.get('/cards').expect(200)).text)).toEqual([...WEST, ...EAST].sort());
    expect(lastDetails().scope).toEqual({ from: ['GLX-E'], to: null });
    expect(permissionEmails('globex.viewer').at(-1)!.text).toContain('you now see and manage the cards and requests of the whole company.');
    expect(testIdText((await agent.get(`/helpdesk/callers/${paId(t, 'globex.viewer')}`)).text, 'caller-scope')).toBe('the whole company');
  });

  it('takes account numbers in any case and drops one inside another, as the scope means the same', async () => {
    const agent = await agentOnTheCallWith('globex.viewer');
    const res = await change(agent, 'globex.viewer', { permissions: VIEWER_PERMISSIONS, scopeKind: 'accounts', scope: ['glx-w', 'GLX-W-ENG', 'GLX-E-OPS'], ...PRIMARY_ON_THE_CALL });
    expect(res.status).toBe(303);
    expect(scopeNumbers('globex.viewer')).toEqual(['GLX-E-OPS', 'GLX-W']);
    expect(lastDetails().scope).toEqual({ from: null, to: ['GLX-E-OPS', 'GLX-W'] });
  });

  it('changes permissions and scope in one transaction, one audit event and one e-mail', async () => {
    const agent = await agentOnTheCallWith('globex.westmgr');
    const audit = () => t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE action = 'helpdesk.permissions_changed'")!.n;
    const res = await change(agent, 'globex.westmgr', {
      permissions: [...WESTMGR_PERMISSIONS.filter((p) => p !== 'cards.limits')], scopeKind: 'accounts', scope: ['GLX-W-SLS'], ...PRIMARY_ON_THE_CALL,
    });
    expect(res.status).toBe(303);
    expect(changes()).toHaveLength(1);
    expect(audit()).toBe(1);
    expect(permissionEmails('globex.westmgr')).toHaveLength(1);
    expect(lastDetails()).toEqual({ added: [], removed: ['cards.limits'], approvedByPrimaryPaId: paId(t, 'globex.primary'), scope: { from: ['GLX-W'], to: ['GLX-W-SLS'] } });
    expect(changes()[0]!.summary).toBe('Permissions of Wendy Westfield: -cards.limits; scope now West Sales (GLX-W-SLS)');
    const email = permissionEmails('globex.westmgr')[0]!.text;
    expect(email).toContain('Removed: cards.limits.');
    expect(email).toContain('West Sales (GLX-W-SLS) only.');
  });

  it('leaves the scope alone when the form says nothing of it, as older scripts post', async () => {
    const agent = await agentOnTheCallWith('globex.westmgr');
    const res = await change(agent, 'globex.westmgr', { permissions: [...WESTMGR_PERMISSIONS, 'cards.replace'], ...PRIMARY_ON_THE_CALL });
    expect(res.status).toBe(303);
    expect(scopeNumbers('globex.westmgr')).toEqual(['GLX-W']);
    expect(lastDetails()).toEqual({ added: ['cards.replace'], removed: [], approvedByPrimaryPaId: paId(t, 'globex.primary') });
    expect(changes()[0]!.summary).toBe('Permissions of Wendy Westfield: +cards.replace');
    expect(permissionEmails('globex.westmgr')[0]!.text).not.toContain('Scope:');
  });

  it('answers 409 no_change when neither the permissions nor the scope would change', async () => {
    const agent = await agentOnTheCallWith('globex.westmgr');
    const same = await change(agent, 'globex.westmgr', { permissions: WESTMGR_PERMISSIONS, scopeKind: 'accounts', scope: ['GLX-W', 'GLX-W-ENG'], ...PRIMARY_ON_THE_CALL });
    expect(same.status).toBe(409);
    expect(same.text).toContain('data-error-code="no_change"');
    const viewer = await agentOnTheCallWith('globex.viewer');
    expect((await change(viewer, 'globex.viewer', { permissions: VIEWER_PERMISSIONS, scopeKind: 'company', ...PRIMARY_ON_THE_CALL })).status).toBe(409);
    expect(changes()).toEqual([]);
    expect(permissionEmails('globex.westmgr')).toEqual([]);
  });

  it('two identical scope changes at once: one tracking number, one e-mail', async () => {
    const agent = await agentOnTheCallWith('globex.viewer');
    const page = await agent.get('/helpdesk');
    const fields = { _csrf: csrfTokenIn(page.text), permissions: VIEWER_PERMISSIONS, scopeKind: 'accounts', scope: ['GLX-W'], ...PRIMARY_ON_THE_CALL };
    const url = `/helpdesk/callers/${paId(t, 'globex.viewer')}/permissions`;
    const answers = await Promise.all([agent.post(url).type('form').send(fields), agent.post(url).type('form').send(fields)]);
    expect(answers.map((res) => res.status).sort()).toEqual([303, 409]);
    expect(changes()).toHaveLength(1);
    expect(permissionEmails('globex.viewer')).toHaveLength(1);
  });
});

describe('a refused scope change', () => {
  it('names an unknown control account on the form, 400, keeps what the agent chose, and changes nothing', async () => {
    const agent = await agentOnTheCallWith('globex.viewer');
    // INI-01 is Initech's: another company's account is as unknown as one that does not exist.
    for (const unknown of ['GLX-NOPE', 'INI-01']) {
      const res = await change(agent, 'globex.viewer', { permissions: VIEWER_PERMISSIONS, scopeKind: 'accounts', scope: ['GLX-E', unknown], ...PRIMARY_ON_THE_CALL });
      expect(res.status).toBe(400);
      expect(res.text).toContain('data-error-code="unknown_control_account"');
      expect(res.text).toContain(`There is no control account ${unknown} in this company.`);
      expect(res.text).toContain('data-testid="scope-error"');
      expect(res.text).toMatch(/value="accounts" checked/);
      expect(res.text).toMatch(/value="GLX-E" checked/);
    }
    expect(scopeNumbers('globex.viewer')).toEqual([]);
    expect(changes()).toEqual([]);
    // Refused before the primary's PIN and word were weighed: nothing counted against them.
    expect(t.context.db.get<{ failed_verifications: number }>('SELECT failed_verifications FROM program_administrators WHERE id = ?', paId(t, 'globex.primary'))!.failed_verifications).toBe(0);
  });

  it('asks for an account when the agent chose accounts but ticked none, 400, never the whole company', async () => {
    const agent = await agentOnTheCallWith('globex.westmgr');
    const none = await change(agent, 'globex.westmgr', { permissions: WESTMGR_PERMISSIONS, scopeKind: 'accounts', ...PRIMARY_ON_THE_CALL });
    expect(none.status).toBe(400);
    expect(none.text).toContain('data-error-code="invalid_input"');
    expect(none.text).toContain('data-testid="scope-error"');
    expect(none.text).toContain('Choose at least one control account.');
    const blank = await change(agent, 'globex.westmgr', { permissions: WESTMGR_PERMISSIONS, scopeKind: 'accounts', scope: ' ', ...PRIMARY_ON_THE_CALL });
    expect(blank.status).toBe(400);
    const odd = await change(agent, 'globex.westmgr', { permissions: WESTMGR_PERMISSIONS, scopeKind: 'everything', ...PRIMARY_ON_THE_CALL });
    expect(odd.status).toBe(400);
    expect(odd.text).toContain('data-testid="scope-error"');
    expect(scopeNumbers('globex.westmgr')).toEqual(['GLX-W']);
    expect(changes()).toEqual([]);
  });

  it("refuses to narrow a primary PA's scope, 409 primary_scope: a primary always has the whole company", async () => {
    const agent = await agentOnTheCallWith('globex.primary');
    const res = await change(agent, 'globex.primary', { permissions: globex.permissions, scopeKind: 'accounts', scope: ['GLX-W'] });
    expect(res.status).toBe(409);
    expect(res.text).toContain('data-error-code="primary_scope"');
    expect(scopeNumbers('globex.primary')).toEqual([]);
    expect(changes()).toEqual([]);
    // Its page offers no scope to choose, and says why.
    const page = await agent.get(`/helpdesk/callers/${paId(t, 'globex.primary')}`).expect(200);
    expect(page.text).toContain('data-testid="scope-primary-note"');
    expect(page.text).not.toContain('data-testid="scope-fieldset"');
  });

  it("needs the primary PA on the call for a scope change alone, as for permissions", async () => {
    const agent = await agentOnTheCallWith('globex.viewer');
    const res = await change(agent, 'globex.viewer', { permissions: VIEWER_PERMISSIONS, scopeKind: 'accounts', scope: ['GLX-W'] });
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="primary_not_verified"');
    expect(scopeNumbers('globex.viewer')).toEqual([]);
    expect(changes()).toEqual([]);
  });
});

describe('GET /helpdesk/callers/:id, the scope', () => {
  it('says the scope in words and preselects it among the company\'s accounts, each under its parent', async () => {
    const agent = await agentOnTheCallWith('globex.westmgr');
    const page = (await agent.get(`/helpdesk/callers/${paId(t, 'globex.westmgr')}`).expect(200)).text;
    expect(testIdText(page, 'caller-scope')).toBe('West Region (GLX-W)');
    expect(page).toContain('data-testid="caller-scope" data-scope="GLX-W"');
    expect(page).toMatch(/value="accounts" checked/);
    const offered = [...page.matchAll(/<li class="scope-accounts__level-(\d)"><label><input type="checkbox" name="scope" value="([A-Z-]+)" (checked )?/g)]
      .map((m) => `${m[1]} ${m[2]}${m[3] ? ' checked' : ''}`);
    expect(offered).toEqual(['1 GLX-E', '2 GLX-E-OPS', '1 GLX-W checked', '2 GLX-W-ENG', '2 GLX-W-SLS']);
    const company = (await agent.get(`/helpdesk/callers/${paId(t, 'globex.viewer')}`).expect(200)).text;
    expect(testIdText(company, 'caller-scope')).toBe('the whole company');
    expect(company).toMatch(/value="company" checked/);
    expect(company).not.toMatch(/name="scope" value="[^"]+" checked/);
  });
});
