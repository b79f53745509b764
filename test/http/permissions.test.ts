import request from 'supertest';
import { addAdministrator, cardId, submitLogin, submitWithReview, transactionCount } from '../helpers/actors';
import { csrfTokenIn, type Agent } from '../helpers/pages';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { ALL_PERMISSIONS, type Permission } from '../../src/features/permissions/permissions';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

let fixtures = 0;
async function agentWith(permissions: Permission[]): Promise<Agent> {
  fixtures += 1;
  const userId = `fixture.pa${fixtures}`;
  const { password } = await addAdministrator(t, userId, permissions);
  const agent = request.agent(t.app);
  const res = await submitLogin(agent, userId, password);
  if (res.status !== 303) throw new Error(`fixture sign-in failed: ${res.status}`);
  return agent;
}

/** Every gated page and action, the permissions it needs, and a valid submission. */
function gates(): Array<{ name: string; needs: Permission[]; tile?: string; page: string; submit?: Record<string, string> }> {
  const baker = cardId(t, 'Ben Baker');
  const adamsCharge = t.context.db.get<{ id: number; card_id: number }>("SELECT ch.id, ch.card_id FROM charges ch JOIN cards c ON c.id = ch.card_id WHERE c.cardmember_name = 'Alice Adams' AND ch.merchant = 'Skyline Airways'")!;
  const fox = cardId(t, 'Frank Fox');
  // One card per request: a second state change on a card is refused while the first is open.
  const [chen, evans, adams] = [cardId(t, 'Carla Chen'), cardId(t, 'Erin Evans'), cardId(t, 'Alice Adams')];
  return [
    { name: 'card list', needs: ['cards.view'], tile: 'tile-cards', page: '/cards' },
    { name: 'card page', needs: ['cards.view'], page: `/cards/${baker}` },
    { name: 'cancel', needs: ['cards.view', 'cards.cancel'], tile: 'tile-cancel', page: `/cards/${baker}/cancel`, submit: { reason: 'employee_left' } },
    { name: 'suspend', needs: ['cards.view', 'cards.cancel'], page: `/cards/${chen}/suspend`, submit: { reason: 'under_review' } },
    { name: 'reinstate', needs: ['cards.view', 'cards.cancel'], page: `/cards/${fox}/reinstate`, submit: {} },
    { name: 'replace', needs: ['cards.view', 'cards.replace'], tile: 'tile-replace', page: `/cards/${evans}/replace`, submit: { reason: 'lost', delivery: 'rush' } },
    { name: 'limit', needs: ['cards.view', 'cards.limits'], tile: 'tile-limits', page: `/cards/${adams}/limit`, submit: { limitType: 'permanent', newLimit: '6000', endDate: '' } },
    { name: 'apply', needs: ['cards.apply'], tile: 'tile-apply', page: '/cards/apply', submit: { cardmemberName: 'Nora New', tier: 'standard', requestedLimit: '2500' } },
    { name: 'dispute', needs: ['cards.view', 'charges.dispute'], tile: 'tile-disputes', page: `/cards/${adamsCharge.card_id}/charges/${adamsCharge.id}/dispute`, submit: { reason: 'not_recognised' } },
    { name: 'statements', needs: ['statements.view'], tile: 'tile-statements', page: '/statements' },
    { name: 'access center', needs: ['access.manage'], tile: 'tile-access', page: '/access' },
    { name: 'invitation to apply', needs: ['cards.apply'], page: '/applications/invite' },
    { name: 'reports', needs: ['reports.view'], tile: 'tile-reports', page: '/reports' },
    { name: 'move', needs: ['cards.view', 'cards.apply'], page: `/cards/${cardId(t, 'Iris Ito')}/move`, submit: { controlAccount: 'GLX-W' } },
  ];
}

describe('each permission', () => {
  it('opens its tile, page and action to a PA who holds it', async () => {
    for (const gate of gates()) {
      const agent = await agentWith(gate.needs);
      const home = await agent.get('/home').expect(200);
      if (gate.tile) expect(home.text).toContain(`data-testid="${gate.tile}"`);
      await agent.get(gate.page).expect(200);
      if (gate.submit) {
        const before = transactionCount(t);
        const res = await submitWithReview(agent, gate.page, gate.submit);
        expect([gate.name, res.status, res.headers.location]).toEqual([gate.name, 303, expect.stringMatching(/^\/transactions\/AW\d{10}\?submitted=1$/)]);
        expect(transactionCount(t)).toBe(before + 1);
      }
    }
  });

  it('is refused with 403, no tile and no change to a PA who lacks it', async () => {
    for (const gate of gates()) {
      for (const missing of gate.needs) {
        const agent = await agentWith(ALL_PERMISSIONS.filter((p) => p !== missing));
        const home = await agent.get('/home').expect(200);
        if (gate.tile && gate.needs.length === 1) expect(home.text).not.toContain(`data-testid="${gate.tile}"`);
        await agent.get(gate.page).expect(403);
        if (gate.submit) {
          const before = transactionCount(t);
          const token = csrfTokenIn(home.text);
          const res = await agent.post(gate.page).type('form').send({ _csrf: token, ...gate.submit, confirmed: 'yes' });
          expect([gate.name, missing, res.status]).toEqual([gate.name, missing, 403]);
          expect(transactionCount(t)).toBe(before);
        }
      }
    }
  });
});

describe('the homepage', () => {
  it('differs between two PAs with different permissions', async () => {
    const viewer = request.agent(t.app);
    await submitLogin(viewer, 'globex.viewer', 'Quiet-Window-2026');
    const primary = request.agent(t.app);
    await submitLogin(primary, 'globex.primary', 'Volcano-Lair-2026');
    const tilesOf = (html: string) => [...html.matchAll(/data-testid="(tile-[a-z-]+)"/g)].map((m) => m[1]);
    const viewerTiles = tilesOf((await viewer.get('/home')).text);
    const primaryTiles = tilesOf((await primary.get('/home')).text);
    expect(viewerTiles).toEqual(['tile-cards', 'tile-statements', 'tile-tracking']);
    expect(primaryTiles).toEqual(['tile-cards', 'tile-apply', 'tile-cancel', 'tile-replace', 'tile-limits', 'tile-disputes', 'tile-statements', 'tile-reports', 'tile-access', 'tile-tracking-all']);
  });

  it('shows the tracking search, the PA’s recent requests and notices', async () => {
    const primary = request.agent(t.app);
    await submitLogin(primary, 'globex.primary', 'Volcano-Lair-2026');
    const home = await primary.get('/home').expect(200);
    expect(home.text).toContain('data-testid="tracking-search-form"');
    // The default scenario's four card requests of globex.primary, and their secure-message thread.
    expect(home.text.match(/data-testid="recent-row"/g)).toHaveLength(5);
    expect(home.text).toContain('suspended card is awaiting reinstatement or cancellation');
  });

  it('loses a permission at the next request once it is taken away', async () => {
    const primary = request.agent(t.app);
    await submitLogin(primary, 'globex.primary', 'Volcano-Lair-2026');
    await primary.get('/cards').expect(200);
    t.context.db.run("DELETE FROM pa_permissions WHERE permission = 'cards.view' AND pa_id = (SELECT id FROM program_administrators WHERE user_id = 'globex.primary')");
    await primary.get('/cards').expect(403);
  });
});
