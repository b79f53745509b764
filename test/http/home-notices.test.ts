// "Needs your attention" on the homepage: only what the PA can act on, each with a link to act.
import request from 'supertest';
import { addAdministrator, cardId, signedInAs, submitLogin } from '../helpers/actors';
import { DAY_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => { t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } }); });
afterEach(() => t.close());

const noticesOn = (html: string) => [...html.matchAll(/<li data-notice="([^"]+)" data-testid="home-notice">([^<]*)<a href="([^"]+)" data-testid="home-notice-link">([^<]*)<\/a>/g)]
  .map(([, id, text, href, link]) => ({ id, text: text!.trim(), href, link }));

async function signedInWith(permissions: string[]) {
  const { password } = await addAdministrator(t, 'fixture.pa', permissions);
  const agent = request.agent(t.app);
  expect((await submitLogin(agent, 'fixture.pa', password)).status).toBe(303);
  return agent;
}

describe('GET /home notices', () => {
  it('tell a PA who may reinstate or cancel about the suspended card, with a link that lists it', async () => {
    const primary = await signedInAs(t, 'globex.primary');
    const home = await primary.get('/home').expect(200);
    expect(noticesOn(home.text)).toEqual([
      { id: 'suspended-cards', text: '1 suspended card is awaiting reinstatement or cancellation.', href: '/cards?state=suspended', link: 'See the suspended card' },
    ]);
    const listed = await primary.get('/cards?state=suspended').expect(200);
    expect(listed.text.match(/data-testid="card-row"/g)).toHaveLength(1);
  });

  it('say nothing about suspended cards to a PA who cannot act on them', async () => {
    const viewer = await signedInAs(t, 'globex.viewer');
    const home = await viewer.get('/home').expect(200);
    expect(home.text).not.toContain('data-testid="home-notices"');
    expect(home.text).not.toContain('Needs your attention');
  });

  it('tell a PA who may change limits about a temporary limit ending soon, linking to its change', async () => {
    const card = cardId(t, 'Ben Baker');
    t.context.db.run('UPDATE cards SET temp_limit_cents = 900000, temp_limit_ends_at = ? WHERE id = ?', t.context.clock.nowMs() + 3 * DAY_MS, card);
    const limits = await signedInWith(['cards.view', 'cards.limits']);
    const notices = noticesOn((await limits.get('/home').expect(200)).text);
    expect(notices).toEqual([expect.objectContaining({ id: 'temporary-limit-ending', href: `/cards/${card}/limit`, link: 'Change the limit' })]);
    expect(notices[0]!.text).toMatch(/^The temporary limit on •••• \d{5} \(Ben Baker\) ends on \d{4}-\d{2}-\d{2}\.$/);
    await limits.get(`/cards/${card}/limit`).expect(200);

    const viewOnly = request.agent(t.app);
    const { password } = await addAdministrator(t, 'fixture.viewonly', ['cards.view']);
    await submitLogin(viewOnly, 'fixture.viewonly', password);
    expect(noticesOn((await viewOnly.get('/home').expect(200)).text)).toEqual([]);
  });
});
