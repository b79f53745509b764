import request from 'supertest';
import { submitTransaction } from '../../src/features/transactions/lifecycle';
import { formatTrackingNumber } from '../../src/lib/tracking-number';
import type { TransactionType } from '../../src/features/transactions/transaction-types';
import { cardId, paRow, signedInAs, submitWithReview, trackingNumberFrom } from '../helpers/actors';
import type { Agent } from '../helpers/pages';
import { DAY_MS, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let primary: Agent;
beforeEach(async () => {
  t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '10000' } });
  primary = await signedInAs(t, 'globex.primary');
});
afterEach(() => t.close());

const TYPES: TransactionType[] = ['card_cancel', 'limit_change', 'charge_dispute', 'card_application'];
const STATUSES = ['submitted', 'in_progress', 'completed', 'rejected'] as const;

/** Adds n transactions for a PA, spread over the past n hours, in a mix of types and statuses. */
function addTransactions(userId: string, n: number): void {
  const pa = t.context.db.get<{ id: number; company_id: number }>('SELECT id, company_id FROM program_administrators WHERE user_id = ?', userId)!;
  const now = t.context.clock.nowMs();
  t.context.db.tx(() => {
    for (let i = 0; i < n; i += 1) {
      const submitted = submitTransaction(t.context, {
        companyId: pa.company_id, type: TYPES[i % TYPES.length]!, submittedBy: `pa:${pa.id}`, submittedByPaId: pa.id,
        summary: `Generated request ${i}`,
      }, now - (n - i) * 3_600_000 - 30 * DAY_MS);
      t.context.db.run('UPDATE transactions SET status = ?, next_due_at = NULL WHERE id = ?', STATUSES[i % 4]!, submitted.id);
    }
  });
}

const rowsOf = (html: string) => [...html.matchAll(/data-testid="transaction-row" data-tracking-number="(AW\d{10})" data-status="(\w+)"/g)].map((m) => ({ trackingNumber: m[1]!, status: m[2]! }));
const linkOf = (html: string, testId: string) => {
  const match = new RegExp(`href="([^"]+)"[^>]*data-testid="${testId}"`).exec(html);
  return match ? match[1]!.replace(/&amp;/g, '&') : undefined;
};

async function walk(agent: Agent, start: string): Promise<string[]> {
  const seen: string[] = [];
  let url: string | undefined = start;
  while (url) {
    const page = await agent.get(url).expect(200);
    const rows = rowsOf(page.text);
    expect(rows.length).toBeLessThanOrEqual(25);
    seen.push(...rows.map((r) => r.trackingNumber));
    url = linkOf(page.text, 'page-next');
  }
  return seen;
}

describe('GET /transactions/search', () => {
  it('finds a transaction by its number in any case, with spaces or dashes', async () => {
    const number = t.context.db.get<{ tracking_number: string }>('SELECT tracking_number FROM transactions ORDER BY id LIMIT 1')!.tracking_number;
    for (const spelled of [number, number.toLowerCase(), `${number.slice(0, 2)} ${number.slice(2, 6)}-${number.slice(6)}`, number.slice(2)]) {
      const res = await primary.get('/transactions/search').query({ q: spelled });
      expect([spelled, res.status, res.headers.location]).toEqual([spelled, 303, `/transactions/${number}`]);
    }
  });

  it('says when the check digit is wrong, and when nothing matches', async () => {
    const number = t.context.db.get<{ tracking_number: string }>('SELECT tracking_number FROM transactions ORDER BY id LIMIT 1')!.tracking_number;
    const typo = `${number.slice(0, 11)}${(Number(number[11]) + 1) % 10}`;
    const bad = await primary.get('/transactions/search').query({ q: typo }).expect(400);
    expect(bad.text).toContain('data-error-code="bad_check_digit"');
    const unknown = await primary.get('/transactions/search').query({ q: formatTrackingNumber(999_999_999) });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('data-error-code="not_found"');
    const nonsense = await primary.get('/transactions/search').query({ q: '<script>' }).expect(400);
    expect(nonsense.text).toContain('data-error-code="invalid_tracking_number"');
    expect(nonsense.text).not.toContain('<script>');
  });

  it('lists the matches of a partial number', async () => {
    const res = await primary.get('/transactions/search').query({ q: 'aw30010' }).expect(200);
    expect(rowsOf(res.text.replace(/data-tracking-number="(AW\d+)">/g, 'data-tracking-number="$1" data-status="x">')).length).toBeGreaterThan(0);
    expect(res.text).toContain('Tracking numbers starting with AW30010');
  });
});

describe('GET /transactions (Status Tracking Overview)', () => {
  it("shows the whole company's transactions with transactions.view_all, and only one's own without", async () => {
    const all = rowsOf((await primary.get('/transactions')).text);
    const companyTotal = t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM transactions WHERE company_id = (SELECT id FROM companies WHERE name = 'Globex Corporation')")!.n;
    expect(all).toHaveLength(companyTotal);
    const canceller = await signedInAs(t, 'globex.canceller');
    const own = rowsOf((await canceller.get('/transactions')).text);
    const cancellerId = paRow(t, 'globex.canceller').id;
    const ownTotal = t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM transactions WHERE submitted_by_pa_id = ?', cancellerId)!.n;
    expect(own).toHaveLength(ownTotal);
    expect(ownTotal).toBeLessThan(companyTotal);
  });

  it("answers another PA's transaction with 404 without transactions.view_all", async () => {
    const primaryNumber = t.context.db.get<{ tracking_number: string }>(
      "SELECT tracking_number FROM transactions WHERE submitted_by_pa_id = (SELECT id FROM program_administrators WHERE user_id = 'globex.primary') LIMIT 1")!.tracking_number;
    const canceller = await signedInAs(t, 'globex.canceller');
    await canceller.get(`/transactions/${primaryNumber}`).expect(404);
    await primary.get(`/transactions/${primaryNumber}`).expect(200);
    const search = await canceller.get('/transactions/search').query({ q: primaryNumber });
    expect(search.status).toBe(404);
  });

  it('pages through every transaction exactly once, forward and back, by keyset', async () => {
    addTransactions('globex.primary', 80);
    const forward = await walk(primary, '/transactions');
    const total = t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM transactions WHERE company_id = (SELECT id FROM companies WHERE name = 'Globex Corporation')")!.n;
    expect(forward).toHaveLength(total);
    expect(new Set(forward).size).toBe(total);

    const page1 = await primary.get('/transactions');
    const page2 = await primary.get(linkOf(page1.text, 'page-next')!);
    const back = await primary.get(linkOf(page2.text, 'page-previous')!);
    expect(rowsOf(back.text)).toEqual(rowsOf(page1.text));
  });

  it.each(['submitted', 'status', 'type'])('sorts by %s both ways, consistently across pages', async (sort) => {
    addTransactions('globex.primary', 60);
    for (const dir of ['asc', 'desc']) {
      const seen = await walk(primary, `/transactions?sort=${sort}&dir=${dir}`);
      const rows = t.context.db.all<{ tracking_number: string; status: string; type: string; submitted_at: number; id: number }>(
        "SELECT tracking_number, status, type, submitted_at, id FROM transactions WHERE company_id = (SELECT id FROM companies WHERE name = 'Globex Corporation')");
      const key = (r: (typeof rows)[number]): Array<string | number> =>
        sort === 'submitted' ? [r.submitted_at, r.id] : sort === 'status' ? [r.status, r.submitted_at, r.id] : [r.type, r.submitted_at, r.id];
      const compare = (a: (typeof rows)[number], b: (typeof rows)[number]) => {
        const [ka, kb] = [key(a), key(b)];
        for (let i = 0; i < ka.length; i += 1) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
        return 0;
      };
      const expected = rows.sort((a, b) => (dir === 'asc' ? compare(a, b) : compare(b, a))).map((r) => r.tracking_number);
      expect(seen).toEqual(expected);
    }
  });

  it('filters by status, type and submission dates', async () => {
    addTransactions('globex.primary', 40);
    const completed = rowsOf((await primary.get('/transactions?status=completed')).text);
    expect(completed.length).toBeGreaterThan(0);
    expect(completed.every((r) => r.status === 'completed')).toBe(true);

    const disputes = (await primary.get('/transactions?type=charge_dispute')).text;
    const disputeCount = t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM transactions WHERE type = 'charge_dispute'")!.n;
    expect(rowsOf(disputes)).toHaveLength(disputeCount);

    const today = new Date(t.context.clock.nowMs()).toISOString().slice(0, 10);
    const recent = rowsOf((await primary.get(`/transactions?from=${today}&to=${today}`)).text);
    const expected = t.context.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM transactions WHERE company_id = 1 AND submitted_at >= ? AND submitted_at < ?", Date.parse(`${today}T00:00:00Z`), Date.parse(`${today}T00:00:00Z`) + DAY_MS)!.n;
    expect(recent).toHaveLength(expected);
  });

  it('refuses bad filters with a clear message, never a 500', async () => {
    const res = await primary.get('/transactions?status=lost&from=yesterday&to=2026-13-45&sort=nope&after=garbage');
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-testid="status-error"');
    expect(res.text).toContain('data-testid="from-error"');
    expect(res.text).toContain('data-testid="to-error"');
  });
});

describe('GET /transactions.csv', () => {
  it('exports the filtered list, every row, with a header', async () => {
    addTransactions('globex.primary', 2_100);
    const res = await primary.get('/transactions.csv?status=rejected').buffer(true).parse((response, callback) => {
      let body = '';
      response.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
      response.on('end', () => callback(null, body));
    }).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="transactions-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = (res.body as string).trim().split('\r\n');
    expect(lines[0]).toBe('tracking_number,type,status,summary,submitted_at,updated_at,submitted_by,rejection_reason');
    const expected = t.context.db.get<{ n: number }>("SELECT count(*) AS n FROM transactions WHERE status = 'rejected' AND company_id = 1")!.n;
    expect(lines).toHaveLength(expected + 1);
    expect(lines.slice(1).every((line) => /^AW\d{10},\w+,rejected,/.test(line))).toBe(true);
    expect(new Set(lines).size).toBe(lines.length);
  });

  const csvBytes = (url: string) => primary.get(url).buffer(true).parse((response, callback) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => callback(null, Buffer.concat(chunks)));
  }).expect(200).then((res) => res.body as Buffer);

  it('starts with a UTF-8 byte order mark, so spreadsheets read "••••" as written', async () => {
    const bytes = await csvBytes('/transactions.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('••••');
  });

  it('names the submitter by user ID, never by the internal pa:<id>', async () => {
    const text = (await csvBytes('/transactions.csv')).toString('utf8');
    const fieldsOf = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1]!).slice(0, 8);
    const rows = text.trim().split('\r\n').slice(1).map(fieldsOf);
    const submittedBy = new Set(rows.map((fields) => fields[6]));
    expect(text).not.toMatch(/(^|,)pa:\d+(,|$)/m);
    expect(submittedBy).toEqual(new Set(['globex.primary', 'globex.canceller']));
  });

  it('keeps spreadsheet formulas out of exported text', async () => {
    const pa = paRow(t, 'globex.primary');
    t.context.db.tx(() => submitTransaction(t.context, { companyId: 1, type: 'card_cancel', submittedBy: `pa:${pa.id}`, submittedByPaId: pa.id, summary: '=HYPERLINK("http://evil.example")' }, t.context.clock.nowMs()));
    const res = await primary.get('/transactions.csv').expect(200);
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  });
});

describe('isolation between companies', () => {
  it("answers another company's card, charge and transaction with 404, exactly like ones that do not exist", async () => {
    const gibbons = cardId(t, 'Peter Gibbons');
    const initechCharge = t.context.db.get<{ id: number }>('SELECT id FROM charges WHERE card_id = ?', gibbons)!.id;
    const initechNumber = t.context.db.get<{ tracking_number: string }>("SELECT tracking_number FROM transactions WHERE company_id = (SELECT id FROM companies WHERE name = 'Initech LLC') LIMIT 1")!.tracking_number;
    const before = t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM transactions')!.n;

    const pairs: Array<[string, string]> = [
      [`/cards/${gibbons}`, '/cards/987654'],
      [`/cards/${gibbons}/cancel`, '/cards/987654/cancel'],
      [`/cards/${gibbons}/charges/${initechCharge}/dispute`, '/cards/987654/charges/987654/dispute'],
      [`/transactions/${initechNumber}`, `/transactions/${formatTrackingNumber(999_999_999)}`],
    ];
    for (const [foreign, missing] of pairs) {
      const [a, b] = [await primary.get(foreign), await primary.get(missing)];
      expect([foreign, a.status]).toEqual([foreign, 404]);
      expect(a.text.replace(/value="[^"]+"/g, '')).toBe(b.text.replace(/value="[^"]+"/g, ''));
    }
    const post = await submitWithReview(primary, `/cards/${gibbons}/cancel`, { reason: 'employee_left' });
    expect(post.status).toBe(404);
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM transactions')!.n).toBe(before);
    const search = await primary.get('/transactions/search').query({ q: initechNumber });
    expect(search.status).toBe(404);
    const list = await primary.get('/cards?q=Peter');
    expect(list.text).toContain('data-testid="cards-empty"');
  });
});

describe('a submitted request', () => {
  it('is found in the overview and by search right away', async () => {
    const res = await submitWithReview(primary, `/cards/${cardId(t, 'Ben Baker')}/suspend`, { reason: 'under_review' });
    const trackingNumber = trackingNumberFrom(res.headers.location);
    const overview = rowsOf((await primary.get('/transactions')).text);
    expect(overview[0]).toEqual({ trackingNumber, status: 'submitted' });
    await primary.get('/transactions/search').query({ q: trackingNumber.toLowerCase() }).expect(303);
    const home = await primary.get('/home');
    expect(home.text).toContain(trackingNumber);
  });

  it('is issued the same tracking numbers again after a reset', async () => {
    const first = trackingNumberFrom((await submitWithReview(primary, `/cards/${cardId(t, 'Ben Baker')}/suspend`, { reason: 'under_review' })).headers.location);
    await request(t.app).post('/sim/api/reset').set('Authorization', 'Bearer test-sim-token-0123456789abcdef').send({}).expect(200);
    primary = await signedInAs(t, 'globex.primary');
    const again = trackingNumberFrom((await submitWithReview(primary, `/cards/${cardId(t, 'Ben Baker')}/suspend`, { reason: 'under_review' })).headers.location);
    expect(again).toBe(first);
  });
});
