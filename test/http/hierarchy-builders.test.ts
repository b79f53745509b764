// The builders carry the program hierarchy: a card built in a control account is seen by the PAs
// scoped over it and by no one scoped elsewhere, and a PA built or changed with a scope sees that
// scope's cards only — proved through the portal's own pages, as the scoped PA meets them.
import request from 'supertest';
import { signedInAs } from '../helpers/actors';
import { csrfTokenFrom, type Agent } from '../helpers/pages';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const sim = (path: string, body: object) => request(t.app).post(`/sim/api${path}`).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send(body);
const simGet = (path: string) => request(t.app).get(`/sim/api${path}`).set('Authorization', `Bearer ${TEST_SIM_TOKEN}`);
const listedNames = (html: string) => [...html.matchAll(/data-testid="card-row"[\s\S]*?<a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!.trim()).sort();
const cardsSeenBy = async (agent: Agent, query = '') => listedNames((await agent.get(`/cards${query}`).expect(200)).text);
const counts = () => t.context.db.get<{ cards: number; transactions: number; pas: number }>(
  'SELECT (SELECT count(*) FROM cards) AS cards, (SELECT count(*) FROM transactions) AS transactions, (SELECT count(*) FROM program_administrators) AS pas')!;
const scopeOf = async (userId: string) => ((await simGet('/personas').expect(200)).body.personas as Array<{ userId: string; scope: string[] | null }>)
  .find((persona) => persona.userId === userId)!.scope;
/** Every Globex card, as the company-wide primary PA's list gives them. */
const everyGlobexCard = async () => cardsSeenBy(await signedInAs(t, 'globex.primary'));
const newCard = (fields: object = {}) => ({ company: 'Globex Corporation', cardmemberName: 'Wes Builder', tier: 'standard', limitDollars: 2500, ...fields });

describe('POST /sim/api/cards with a controlAccount', () => {
  it('puts the card in that account: the PA scoped over it lists and opens it, a PA scoped elsewhere finds nothing', async () => {
    const built = await sim('/cards', newCard({ controlAccount: 'glx-w-eng' })).expect(201);
    expect(built.body.controlAccount).toBe('GLX-W-ENG');
    const application = (built.body.trackingNumbers as string[])[0]!;
    const account = t.context.db.get<{ id: number }>("SELECT id FROM control_accounts WHERE number = 'GLX-W-ENG'")!.id;
    expect(t.context.db.get('SELECT control_account_id FROM cards WHERE id = ?', built.body.id)).toEqual({ control_account_id: account });
    expect(t.context.db.get('SELECT control_account_id FROM transactions WHERE tracking_number = ?', application)).toEqual({ control_account_id: account });

    const west = await signedInAs(t, 'globex.westmgr');
    expect(await cardsSeenBy(west, '?q=Wes')).toEqual(['Wes Builder']);
    expect((await west.get(`/cards/${built.body.id}`).expect(200)).text).toContain('data-testid="card-control-account" data-number="GLX-W-ENG"');
    expect((await west.get('/transactions').expect(200)).text).toContain(`data-tracking-number="${application}"`);

    await sim('/administrators/globex.viewer/permissions', { permissions: ['cards.view', 'statements.view'], scope: ['GLX-E'] }).expect(200);
    const east = await signedInAs(t, 'globex.viewer');
    expect(await cardsSeenBy(east, '?q=Wes')).toEqual([]);
    await east.get(`/cards/${built.body.id}`).expect(404);
    await east.get(`/transactions/${application}`).expect(404);
  });

  it('without one, opens the card in the company\'s first top-level account, as the portal opens a card nothing places', async () => {
    const globex = await sim('/cards', newCard()).expect(201);
    expect(globex.body.controlAccount).toBe('GLX-E');
    expect(await cardsSeenBy(await signedInAs(t, 'globex.westmgr'), '?q=Wes')).toEqual([]);
    expect(await cardsSeenBy(await signedInAs(t, 'globex.primary'), '?q=Wes')).toEqual(['Wes Builder']);
    expect((await sim('/cards', newCard({ company: 'Initech LLC' })).expect(201)).body.controlAccount).toBe('INI-01');
    const listed = (await simGet('/cards?company=Globex%20Corporation').expect(200)).body.cards as Array<{ id: number; controlAccount: string | null }>;
    expect(listed.find((card) => card.id === globex.body.id)!.controlAccount).toBe('GLX-E');
  });

  it('refuses an account its company does not have, another company\'s included, and writes nothing', async () => {
    const before = counts();
    for (const controlAccount of ['GLX-X', 'INI-01']) {
      const refused = await sim('/cards', newCard({ controlAccount })).expect(400);
      expect(refused.body.error.code).toBe('unknown_control_account');
      expect(refused.body.error.fields).toHaveProperty('controlAccount');
    }
    expect(counts()).toEqual(before);
  });
});

describe('POST /sim/api/administrators/:userId/permissions with a scope', () => {
  it('limits a live session to the subtrees named at its next request, and null gives the whole company back', async () => {
    const viewer = await signedInAs(t, 'globex.viewer');
    const everything = await everyGlobexCard();
    expect(everything.length).toBeGreaterThan(5);
    expect(await cardsSeenBy(viewer)).toEqual(everything);
    const narrowed = await sim('/administrators/globex.viewer/permissions', { permissions: ['cards.view', 'statements.view'], scope: ['GLX-W-ENG'] }).expect(200);
    expect(narrowed.body).toMatchObject({ permissions: ['cards.view', 'statements.view'], added: [], removed: [], scope: ['GLX-W-ENG'] });
    expect(await cardsSeenBy(viewer)).toEqual(['Carla Chen', 'Diego Diaz']);
    expect(await scopeOf('globex.viewer')).toEqual(['GLX-W-ENG']);

    const recorded = t.context.db.get<{ type: string; summary: string; details: string }>('SELECT type, summary, details FROM transactions WHERE tracking_number = ?', narrowed.body.trackingNumber)!;
    expect(recorded).toMatchObject({ type: 'permission_change', summary: 'Permissions of Vera Viewer: scope: West Engineering (GLX-W-ENG)' });
    expect(JSON.parse(recorded.details)).toMatchObject({ added: [], removed: [], scope: { from: null, to: ['GLX-W-ENG'] } });
    expect(t.context.outbox.list({ type: 'permissions_changed' }).at(-1)!.text).toContain('You now look after West Engineering (GLX-W-ENG).');

    const widened = await sim('/administrators/globex.viewer/permissions', { permissions: ['cards.view', 'statements.view'], scope: null }).expect(200);
    expect(widened.body.scope).toBeNull();
    expect(await cardsSeenBy(viewer)).toEqual(everything);
    expect(await scopeOf('globex.viewer')).toBeNull();
  });

  it('keeps the scope when none is given, drops an account inside another, and refuses what changes nothing, an unknown account and a narrowed primary', async () => {
    const kept = await sim('/administrators/globex.westmgr/permissions', { permissions: ['cards.view'] }).expect(200);
    expect(kept.body.scope).toEqual(['GLX-W']);
    expect(JSON.parse(t.context.db.get<{ details: string }>('SELECT details FROM transactions WHERE tracking_number = ?', kept.body.trackingNumber)!.details))
      .not.toHaveProperty('scope');
    expect((await sim('/administrators/globex.westmgr/permissions', { permissions: ['cards.view'], scope: ['GLX-W-SLS', 'glx-w'] }).expect(409)).body.error.code).toBe('no_change');

    const before = counts();
    const unknown = await sim('/administrators/globex.westmgr/permissions', { permissions: ['cards.view'], scope: ['GLX-W', 'NOPE-9'] }).expect(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_control_account', fields: { scope: expect.any(String) } });
    expect(unknown.body.error.message).toContain('NOPE-9');
    expect((await sim('/administrators/globex.primary/permissions', { permissions: ['cards.view'], scope: ['GLX-E'] }).expect(409)).body.error.code).toBe('primary_scope');
    expect(counts()).toEqual(before);
    expect(await scopeOf('globex.westmgr')).toEqual(['GLX-W']);
    expect(await scopeOf('globex.primary')).toBeNull();
  });
});

describe('POST /sim/api/enrollments with a scope', () => {
  /** First login at /register with what the enrollment answered; the agent is then signed in. */
  async function register(enrolled: { verificationPin: string; verificationWord: string; accessCode: string }, userId: string): Promise<Agent> {
    const agent = request.agent(t.app);
    const proof = { verificationPin: enrolled.verificationPin, verificationWord: enrolled.verificationWord, accessCode: enrolled.accessCode };
    const proofToken = await csrfTokenFrom(agent, '/register');
    await agent.post('/register').type('form').send({ _csrf: proofToken, ...proof }).expect(303);
    const password = 'Brand-New-Ledger-77';
    const credentialsToken = await csrfTokenFrom(agent, '/register');
    const done = await agent.post('/register').type('form').send({ _csrf: credentialsToken, userId, password, confirmPassword: password });
    expect([done.status, done.headers.location]).toEqual([303, '/home']);
    return agent;
  }
  const enrollment = (fields: object = {}) => ({ company: 'Globex Corporation', firstName: 'Sal', lastName: 'Scoped', email: 'sal.scoped@globex.example', ...fields });

  it('enrolls a PA limited to the subtrees named, who sees only their cards from the first login on', async () => {
    const enrolled = await sim('/enrollments', enrollment({ scope: ['GLX-W-SLS'] })).expect(201);
    expect(enrolled.body.scope).toEqual(['GLX-W-SLS']);
    expect(await cardsSeenBy(await register(enrolled.body, 'sal.scoped'))).toEqual(['Alice Adams', 'Ben Baker']);
  });

  it('enrolls a PA for the whole company without a scope or with null', async () => {
    const absent = await sim('/enrollments', enrollment()).expect(201);
    expect(absent.body.scope).toBeNull();
    expect((await sim('/enrollments', enrollment({ email: 'sal.two@globex.example', scope: null })).expect(201)).body.scope).toBeNull();
    expect(await cardsSeenBy(await register(absent.body, 'sal.whole'))).toEqual(await everyGlobexCard());
  });

  it('refuses an account the company does not have, and a scope for a primary PA, enrolling no one', async () => {
    const before = counts();
    expect((await sim('/enrollments', enrollment({ scope: ['INI-01'] })).expect(400)).body.error.code).toBe('unknown_control_account');
    const primary = await sim('/enrollments', enrollment({ company: 'Initech LLC', primary: true, scope: ['INI-01'] })).expect(400);
    expect(primary.body.error).toMatchObject({ code: 'invalid_input', fields: { scope: expect.stringContaining('whole company') } });
    expect(counts()).toEqual(before);
    expect(t.context.outbox.list({ to: 'sal.scoped@globex.example' })).toEqual([]);
  });
});

describe('GET /sim/api/control-accounts', () => {
  it('lists each company\'s hierarchy by number, with each account\'s parent and level', async () => {
    const globex = (await simGet('/control-accounts?company=GLOBEX%20CORPORATION').expect(200)).body.controlAccounts;
    expect(globex).toEqual([
      { company: 'Globex Corporation', number: 'GLX-E', name: 'East Region', parent: null, level: 1 },
      { company: 'Globex Corporation', number: 'GLX-E-OPS', name: 'East Operations', parent: 'GLX-E', level: 2 },
      { company: 'Globex Corporation', number: 'GLX-W', name: 'West Region', parent: null, level: 1 },
      { company: 'Globex Corporation', number: 'GLX-W-ENG', name: 'West Engineering', parent: 'GLX-W', level: 2 },
      { company: 'Globex Corporation', number: 'GLX-W-SLS', name: 'West Sales', parent: 'GLX-W', level: 2 },
    ]);
    expect((await simGet('/control-accounts').expect(200)).body.controlAccounts).toHaveLength(6);
    expect((await simGet('/control-accounts?company=Nobody%20Inc').expect(200)).body.controlAccounts).toEqual([]);
  });
});
