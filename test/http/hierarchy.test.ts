// The program hierarchy: a PA scoped to part of the company (globex.westmgr: the West Region) sees
// and acts on that part only, and everything outside it answers exactly like something that does
// not exist — on every page and action of the router, not only where links are hidden.
import request from 'supertest';
import { listRouteAccess } from '../../src/http/access';
import { formatTrackingNumber } from '../../src/lib/tracking-number';
import { ALL_PERMISSIONS } from '../../src/features/permissions/permissions';
import { addAdministrator, approveAsApprover, cardId, signedInAs, submitLogin, submitWithReview, withoutToken } from '../helpers/actors';
import { csrfTokenIn, type Agent } from '../helpers/pages';
import { createTestApp, TEST_SIM_TOKEN, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const WEST = ['Alice Adams', 'Ben Baker', 'Carla Chen', 'Diego Diaz', 'Erin Evans'];
const EAST = ['Frank Fox', 'Gina Garcia', 'Hugo Hughes', 'Iris Ito', 'Jack Jones'];
const accountId = (number: string) => t.context.db.get<{ id: number }>('SELECT id FROM control_accounts WHERE number = ?', number)!.id;
const listedNames = (html: string) => [...html.matchAll(/data-testid="card-row"[\s\S]*?<a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!.trim());

/** A transaction about a card of `names`, submitted by globex.primary in the default scenario's history. */
function trackingNumberOn(names: string[]): string {
  const row = t.context.db.get<{ tracking_number: string }>(
    `SELECT t.tracking_number FROM transactions t JOIN cards c ON c.id = t.card_id
      WHERE c.cardmember_name IN (SELECT value FROM json_each(?)) ORDER BY t.id LIMIT 1`, JSON.stringify(names));
  if (!row) throw new Error(`no transaction on ${names.join(', ')}`);
  return row.tracking_number;
}

describe('globex.westmgr, scoped to the West Region', () => {
  it('lists the West cards only, and opens them', async () => {
    const west = await signedInAs(t, 'globex.westmgr');
    const list = await west.get('/cards').expect(200);
    expect(listedNames(list.text).sort()).toEqual([...WEST].sort());
    const chen = await west.get(`/cards/${cardId(t, 'Carla Chen')}`).expect(200);
    expect(chen.text).toContain('data-testid="card-control-account" data-number="GLX-W-ENG">West Engineering (GLX-W-ENG)</dd>');
    // The search finds nothing outside the scope either.
    expect(listedNames((await west.get('/cards?q=Fox')).text)).toEqual([]);
  });

  it('sees the West requests in the overview, its export and the search, and no East one', async () => {
    const westNumber = trackingNumberOn(WEST);
    const eastNumber = trackingNumberOn(EAST);
    const west = await signedInAs(t, 'globex.westmgr');
    const overview = (await west.get('/transactions').expect(200)).text;
    expect(overview).toContain(westNumber);
    expect(overview).not.toContain(eastNumber);
    const csv = (await west.get('/transactions.csv').expect(200)).text;
    expect(csv).toContain(westNumber);
    expect(csv).not.toContain(eastNumber);
    // The partial search lists matches in scope only.
    const partial = (await west.get(`/transactions/search?q=${eastNumber.slice(0, 9)}`)).text;
    expect(partial).not.toContain(eastNumber);
    const primary = await signedInAs(t, 'globex.primary');
    expect((await primary.get('/transactions.csv')).text).toContain(eastNumber);
  });

  it('answers an East transaction exactly like a tracking number never issued', async () => {
    const west = await signedInAs(t, 'globex.westmgr');
    const eastNumber = trackingNumberOn(EAST);
    const unissued = formatTrackingNumber(399_999_999);
    const same = async (url: (n: string) => string) => {
      const [east, none] = [await west.get(url(eastNumber)), await west.get(url(unissued))];
      expect([url('N'), east.status]).toEqual([url('N'), none.status]);
      expect(withoutToken(east.text).replaceAll(eastNumber, 'N')).toBe(withoutToken(none.text).replaceAll(unissued, 'N'));
      return east;
    };
    expect((await same((n) => `/transactions/${n}`)).status).toBe(404);
    await same((n) => `/transactions/search?q=${n}`);
  });

  it('has notices and statements of the West only', async () => {
    // Frank Fox's card, the one suspended card, is in the East.
    const west = await signedInAs(t, 'globex.westmgr');
    const primary = await signedInAs(t, 'globex.primary');
    expect((await primary.get('/home')).text).toContain('suspended card is awaiting');
    const westHome = (await west.get('/home').expect(200)).text;
    expect(westHome).not.toContain('suspended card');
    const totals = (html: string) => [...html.matchAll(/data-testid="statement-row">([\s\S]*?)<\/tr>/g)].map((m) => m[1]);
    const westTotals = totals((await west.get('/statements').expect(200)).text);
    const allTotals = totals((await primary.get('/statements').expect(200)).text);
    expect(westTotals.length).toBeGreaterThan(0);
    expect(westTotals).not.toEqual(allTotals);
  });

  it('picks up a change of scope at the next request of a live session', async () => {
    const west = await signedInAs(t, 'globex.westmgr');
    const fox = cardId(t, 'Frank Fox');
    await west.get(`/cards/${fox}`).expect(404);
    const paId = t.context.db.get<{ id: number }>("SELECT id FROM program_administrators WHERE user_id = 'globex.westmgr'")!.id;
    t.context.db.run('INSERT INTO pa_scopes (pa_id, control_account_id) VALUES (?, ?)', paId, accountId('GLX-E'));
    await west.get(`/cards/${fox}`).expect(200);
    t.context.db.run('DELETE FROM pa_scopes WHERE pa_id = ?', paId);
    t.context.db.run('INSERT INTO pa_scopes (pa_id, control_account_id) VALUES (?, ?)', paId, accountId('GLX-W-ENG'));
    await west.get(`/cards/${fox}`).expect(404);
    await west.get(`/cards/${cardId(t, 'Alice Adams')}`).expect(404);
    await west.get(`/cards/${cardId(t, 'Carla Chen')}`).expect(200);
  });
});

describe('every card, transaction and Access Center route of the router, for a PA scoped to the West', () => {
  let agent: Agent;
  let password = '';
  beforeEach(async () => {
    // Every permission, so that only the scope can refuse.
    const added = await addAdministrator(t, 'fixture.west', ALL_PERMISSIONS);
    const { id } = added;
    password = added.password;
    t.context.db.run('INSERT INTO pa_scopes (pa_id, control_account_id) VALUES (?, ?)', id, accountId('GLX-W'));
    agent = request.agent(t.app);
    expect((await submitLogin(agent, 'fixture.west', password)).status).toBe(303);
  });

  it('answers an East card, charge, transaction or administrator exactly as one that does not exist, and changes nothing', async () => {
    const routes = listRouteAccess(t.expressApp.router)
      .filter((route) => route.access?.kind === 'permission' || route.access?.kind === 'signed_in')
      .filter((route) => /:(id|chargeId|trackingNumber|paId)\b/.test(route.path) && /^\/(cards|transactions|messages|access)\//.test(route.path));
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const fox = cardId(t, 'Frank Fox');
    const foxCharge = t.context.db.get<{ id: number }>('SELECT id FROM charges WHERE card_id = ? ORDER BY id LIMIT 1', fox)!.id;
    const eastNumber = trackingNumberOn(EAST);
    // An administrator scoped to the East is outside a West manager's Access Center.
    const eastManager = await addAdministrator(t, 'fixture.east', ['cards.view']);
    t.context.db.run('INSERT INTO pa_scopes (pa_id, control_account_id) VALUES (?, ?)', eastManager.id, accountId('GLX-E'));
    const east = { id: String(fox), chargeId: String(foxCharge), trackingNumber: eastNumber, paId: String(eastManager.id) };
    const none = { id: '999999', chargeId: '999999', trackingNumber: formatTrackingNumber(399_999_999), paId: '999999' };
    const fill = (path: string, values: Record<string, string>) => path.replace(/:(\w+)/g, (_, name: string) => values[name]!);
    const token = csrfTokenIn((await agent.get('/home')).text);
    const before = t.context.db.get<{ n: number }>('SELECT (SELECT count(*) FROM transactions) + (SELECT count(*) FROM audit_events) AS n')!.n;
    for (const route of routes) {
      for (const method of route.methods.filter((m) => m === 'GET' || m === 'POST')) {
        const send = (values: Record<string, string>) => (method === 'GET'
          ? agent.get(fill(route.path, values))
          : agent.post(fill(route.path, values)).type('form').send({ _csrf: token, reason: 'lost', confirmed: 'yes', body: 'Hello' }));
        const [outside, missing] = [await send(east), await send(none)];
        const what = `${method} ${route.path}`;
        expect([what, outside.status]).toEqual([what, missing.status]);
        expect([what, outside.status]).toEqual([what, expect.any(Number)]);
        expect(outside.status).toBeGreaterThanOrEqual(400);
        // Only where the asked-for id is written back (the address of the page) may the answers differ.
        const normalise = (text: string) => withoutToken(text).replace(/AW\d{10}/g, 'AW').replace(/\/(cards|charges)\/\d+/g, '/$1/X');
        expect([what, normalise(outside.text)]).toEqual([what, normalise(missing.text)]);
      }
    }
    // No request went through: only the sign-in's own audit events differ, and there were none since.
    expect(t.context.db.get<{ n: number }>('SELECT (SELECT count(*) FROM transactions) + (SELECT count(*) FROM audit_events) AS n')!.n).toBe(before);
  });

  it('moves a card within the scope, with its history, and offers no account outside it', async () => {
    const chen = cardId(t, 'Carla Chen');
    const form = (await agent.get(`/cards/${chen}/move`).expect(200)).text;
    const offered = [...form.matchAll(/<option value="(GLX-[A-Z-]+)"/g)].map((m) => m[1]);
    // Its own account (West Engineering) is not a place to move it to; the East is not the PA's.
    expect(offered).toEqual(['GLX-W', 'GLX-W-SLS']);
    const outside = await submitWithReview(agent, `/cards/${chen}/move`, { controlAccount: 'GLX-E' });
    expect(outside.status).toBe(400);
    expect(outside.text).toContain('Choose a control account from the list.');

    const history = t.context.db.all<{ tracking_number: string }>('SELECT tracking_number FROM transactions WHERE card_id = ?', chen).map((r) => r.tracking_number);
    const res = await submitWithReview(agent, `/cards/${chen}/move`, { controlAccount: 'GLX-W-SLS' });
    expect(res.status).toBe(303);
    const trackingNumber = /AW\d{10}/.exec(res.headers.location!)![0];
    expect((await agent.get(`/transactions/${trackingNumber}`)).text).toContain('to West Sales (GLX-W-SLS)');
    // Until the request completes, the card stays where it was.
    expect((await agent.get(`/cards/${chen}`)).text).toContain('West Engineering (GLX-W-ENG)');
    const clock = await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance: '3d' });
    expect(clock.status).toBe(200);
    // Three days idle end any session: sign in again.
    expect((await submitLogin(agent, 'fixture.west', password)).status).toBe(303);
    expect((await agent.get(`/cards/${chen}`)).text).toContain('West Sales (GLX-W-SLS)');
    const sales = (await agent.get('/transactions?account=GLX-W-SLS')).text;
    for (const number of [...history, trackingNumber]) expect(sales).toContain(number);
    expect((await agent.get('/transactions?account=GLX-W-ENG')).text).not.toContain(trackingNumber);
  });

  it('opens a new card applied for in the account of its scope', async () => {
    const res = await submitWithReview(agent, '/cards/apply', { cardmemberName: 'Nora New', tier: 'standard', requestedLimit: '2500' });
    expect(res.status).toBe(303);
    const trackingNumber = /AW\d{10}/.exec(res.headers.location!)![0];
    const row = t.context.db.get<{ control_account_id: number }>('SELECT control_account_id FROM transactions WHERE tracking_number = ?', trackingNumber)!;
    expect(row.control_account_id).toBe(accountId('GLX-W'));
    // Globex's applications wait for an approver; once approved and issued, the card is in the West, so its applicant sees it.
    await approveAsApprover(t, trackingNumber);
    const clock = await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance: '3d' });
    expect(clock.status).toBe(200);
    const card = t.context.db.get<{ id: number; control_account_id: number }>("SELECT id, control_account_id FROM cards WHERE cardmember_name = 'Nora New'")!;
    expect(card.control_account_id).toBe(accountId('GLX-W'));
  });
});

describe('the Status Tracking Overview by control account', () => {
  it('lists the transactions of the account\'s subtree, and refuses an account outside the scope as one that does not exist', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const numbersIn = (html: string) => [...new Set(html.match(/AW\d{10}/g) ?? [])].sort();
    const westNumber = trackingNumberOn(WEST);
    const eastNumber = trackingNumberOn(EAST);
    const west = (await primary.get('/transactions?account=GLX-W').expect(200)).text;
    expect(west).toContain(westNumber);
    expect(west).not.toContain(eastNumber);
    expect(west).toContain('<option value="GLX-W" selected');
    // The region holds its departments' transactions: the region's list is theirs and its own cards' (Erin Evans's).
    const parts = [...numbersIn((await primary.get('/transactions?account=gLx-w-sls')).text), ...numbersIn((await primary.get('/transactions?account=GLX-W-ENG')).text)];
    const evansOnly = t.context.db.all<{ tracking_number: string }>(
      "SELECT tracking_number FROM transactions WHERE control_account_id = (SELECT id FROM control_accounts WHERE number = 'GLX-W')").map((r) => r.tracking_number);
    expect(numbersIn(west)).toEqual([...new Set([...parts, ...evansOnly])].sort());
    expect((await primary.get('/transactions.csv?account=GLX-E')).text).not.toContain(westNumber);
    // Another company's account is one that does not exist either.
    expect((await primary.get('/transactions?account=INI-01')).text).toContain('Choose a control account from the list.');

    const manager = await signedInAs(t, 'globex.westmgr');
    const outside = await manager.get('/transactions?account=GLX-E');
    const unknown = await manager.get('/transactions?account=NOPE-1');
    expect([outside.status, unknown.status]).toEqual([400, 400]);
    expect(withoutToken(outside.text).replace('GLX-E', 'X')).toBe(withoutToken(unknown.text).replace('NOPE-1', 'X'));
    expect(outside.text).toContain('Choose a control account from the list.');
    // The scoped PA's list offers their subtree only.
    const offered = [...(await manager.get('/transactions')).text.matchAll(/<option value="(GLX-[A-Z-]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(['GLX-W', 'GLX-W-ENG', 'GLX-W-SLS']);
  });
});
