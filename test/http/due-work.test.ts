// Due work belongs to the sandbox: whichever realm a request comes in by, what it sees has the work
// that fell due on the simulated clock done already, not only once a PA next opens a page.
import request from 'supertest';
import { cardId, paId, signedInAs, staffSignedInAs, submitWithReview, trackingNumberFrom } from '../helpers/actors';
import { csrfTokenIn } from '../helpers/pages';
import { FROZEN_REAL_NOW, TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

const HOUR_MS = 3_600_000;

let t: TestApp;
let realNow: number;
beforeEach(async () => {
  realNow = FROZEN_REAL_NOW;
  t = await createTestApp({ realNowMs: () => realNow, env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } });
});
afterEach(() => t.close());

/** A card cancellation submitted by the primary PA through the portal; its tracking number. */
async function submittedCancellation(): Promise<string> {
  const pa = await signedInAs(t, 'globex.primary');
  const card = t.context.db.get<{ id: number; name: string }>("SELECT id, cardmember_name AS name FROM cards WHERE state = 'active' AND company_id = (SELECT company_id FROM program_administrators WHERE persona_key = 'globex.primary') ORDER BY id LIMIT 1")!;
  const res = await submitWithReview(pa, `/cards/${cardId(t, card.name)}/cancel`, { reason: 'no_longer_needed' });
  expect(res.status).toBe(303);
  return trackingNumberFrom(res.headers.location);
}

const statusOf = (trackingNumber: string) =>
  t.context.db.get<{ status: string }>('SELECT status FROM transactions WHERE tracking_number = ?', trackingNumber)!.status;

describe('work that fell due on the simulated clock', () => {
  it('is done before the help desk shows a caller, with no PA page opened meanwhile', async () => {
    const trackingNumber = await submittedCancellation();
    const callerPage = `/helpdesk/callers/${paId(t, 'globex.primary')}`;
    const row = async (agent: Awaited<ReturnType<typeof staffSignedInAs>>) =>
      new RegExp(`${trackingNumber}</span>[^<]*`).exec((await agent.get(callerPage).expect(200)).text)![0];
    expect(await row(await staffSignedInAs(t, 'agent.ava'))).toContain('Submitted');

    realNow += 2 * HOUR_MS; // two real hours, the simulated clock running on with them (staff sessions lapse after 15 idle minutes)
    expect(await row(await staffSignedInAs(t, 'agent.ava'))).toContain('In progress');
    expect(statusOf(trackingNumber)).toBe('in_progress');
  });

  it('is done before the simulator API answers, and before the console shows a page', async () => {
    const trackingNumber = await submittedCancellation();
    realNow += 2 * HOUR_MS;
    await request(t.app).get('/sim/api/health').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).expect(200);
    expect(statusOf(trackingNumber)).toBe('in_progress');

    realNow += 5 * 24 * HOUR_MS; // past the business day the back office takes
    const console = request.agent(t.app);
    const login = await console.get('/sim/login').expect(200);
    await console.post('/sim/login').type('form').send({ _csrf: csrfTokenIn(login.text), token: TEST_SIM_TOKEN }).expect(303);
    expect(statusOf(trackingNumber)).toBe('completed');
  });
});
