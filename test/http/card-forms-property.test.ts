import fc from 'fast-check';
import { cardId, signedInAs, transactionCount } from '../helpers/actors';
import { csrfTokenIn, type Agent } from '../helpers/pages';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let primary: Agent;
let token: string;
beforeAll(async () => {
  t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '100000' } });
  primary = await signedInAs(t, 'globex.primary');
  token = csrfTokenIn((await primary.get('/home')).text);
});
afterAll(() => t.close());

const INJECTIONS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' OR 1=1 --", "'; DROP TABLE cards; --"];
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...INJECTIONS, '', ' ', '0', '-1', '1e9', '99999999999', '2020-01-01', '9999-99-99', 'standard', 'rush', 'lost', 'temporary', 'permanent', 'employee_left', 'yes'),
);
const body = fc.record({
  reason: value, delivery: value, limitType: value, newLimit: value, endDate: value, cardmemberName: value, tier: value,
  requestedLimit: value, confirmed: fc.constantFrom('yes', 'no', ''),
}, { requiredKeys: [] });

describe('card forms under random input', () => {
  it('never answer 5xx, never echo markup, and create a transaction only when they say so', async () => {
    const baker = cardId(t, 'Ben Baker');
    const charge = t.context.db.get<{ id: number; card_id: number }>("SELECT id, card_id FROM charges WHERE merchant = 'Harbor Hotel'")!;
    const urls = [
      `/cards/${baker}/cancel`, `/cards/${baker}/replace`, `/cards/${baker}/suspend`, `/cards/${baker}/limit`, '/cards/apply',
      `/cards/${charge.card_id}/charges/${charge.id}/dispute`, `/cards/${cardId(t, 'Frank Fox')}/reinstate`,
    ];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...urls), body, async (url, fields) => {
      const before = transactionCount(t);
      const res = await primary.post(url).type('form').send({ _csrf: token, ...fields });
      expect(res.status).toBeLessThan(500);
      for (const injection of INJECTIONS.slice(0, 2)) expect(res.text).not.toContain(injection);
      const created = transactionCount(t) - before;
      expect(created).toBe(res.status === 303 ? 1 : 0);
    }), { numRuns: 150 });
  });

  it('never answer 5xx to random queries on the lists', async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom('/cards', '/transactions', '/transactions/search', '/transactions.csv'),
      fc.dictionary(fc.constantFrom('q', 'state', 'tier', 'after', 'before', 'status', 'type', 'from', 'to', 'sort', 'dir'), value), async (url, query) => {
        const res = await primary.get(url).query(query);
        expect(res.status).toBeLessThan(500);
        for (const injection of INJECTIONS.slice(0, 2)) expect(res.text).not.toContain(injection);
      }), { numRuns: 150 });
  });
});
