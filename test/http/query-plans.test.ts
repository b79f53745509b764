import { addLargeVolume } from '../../seed/large-scenario';
import { explainOverview, OVERVIEW_SORTS, type OverviewQuery } from '../../src/features/transactions/overview.repository';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let globex: number;
let primaryId: number;
beforeAll(async () => {
  t = await createTestApp();
  // The large scenario's shape at a smaller size, with fresh statistics as the real one has.
  await addLargeVolume(t.context, 7, { transactions: 30_000, cards: 3_000, extraCompanies: 4, globexShare: 0.3 });
  globex = t.context.db.get<{ id: number }>("SELECT id FROM companies WHERE name = 'Globex Corporation'")!.id;
  primaryId = t.context.db.get<{ id: number }>("SELECT id FROM program_administrators WHERE user_id = 'globex.primary'")!.id;
}, 60_000);
afterAll(() => t.close());

const plan = (sql: string, ...params: Array<string | number>) =>
  t.context.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params).map((row) => row.detail);

/** A plan that reads a table without an index, or sorts the whole result, does not scale to a million rows. */
function expectIndexed(lines: string[], what: string, options: { smallResultMaySort?: boolean } = {}): void {
  for (const line of lines) {
    expect([what, line]).not.toEqual([what, expect.stringMatching(/^SCAN (transactions|cards|charges|transaction_events)$/)]);
    if (!options.smallResultMaySort) expect([what, line]).not.toEqual([what, expect.stringMatching(/TEMP B-TREE/)]);
  }
  expect([what, lines.some((line) => /USING (COVERING )?INDEX|USING (INTEGER )?PRIMARY KEY/.test(line))]).toEqual([what, true]);
}

describe('query plans', () => {
  it('serve every overview combination of scope, filter, sort, direction and page from an index', () => {
    const scopes = [{ companyId: 0 }, { companyId: 0, submittedByPaId: 0 }];
    const filters = [{}, { status: 'completed' as const }, { type: 'limit_change' as const }, { fromMs: 0, toMs: 9e12 }, { status: 'rejected' as const, fromMs: 0 }];
    for (const scope of scopes) {
      for (const filter of filters) {
        for (const sort of OVERVIEW_SORTS) {
          for (const descending of [true, false]) {
            for (const cursor of [undefined, 'cursor']) {
              const keyLength = sort === 'submitted' ? 2 : 3;
              const query: OverviewQuery = {
                scope: { companyId: globex, ...(scope.submittedByPaId === undefined ? {} : { submittedByPaId: primaryId }) },
                filter, sort, descending, limit: 26,
                cursor: cursor ? [...(sort === 'status' ? ['completed'] : sort === 'type' ? ['limit_change'] : []), ...Array(keyLength).fill(1e12)].slice(0, keyLength) : undefined,
              };
              expectIndexed(explainOverview(t.context.db, query), JSON.stringify({ scope, filter, sort, descending, cursor }));
            }
          }
        }
      }
    }
  });

  it('serve tracking-number lookups, whole and partial, from the unique index', () => {
    expectIndexed(plan('SELECT * FROM transactions WHERE tracking_number = ?', 'AW3001000011'), 'exact');
    const partial = plan(
      'SELECT * FROM transactions WHERE tracking_number >= ? AND tracking_number < ? AND company_id = ? ORDER BY tracking_number LIMIT 25',
      'AW3001', 'AW3001:', globex);
    expectIndexed(partial, 'partial');
    expect(partial.join('\n')).toMatch(/tracking_number>\? AND tracking_number<\?/);
  });

  it('serve the card list, its searches and filters, and a card’s charges from indexes', () => {
    const base = 'SELECT * FROM cards WHERE company_id = ?';
    const order = 'ORDER BY cardmember_name COLLATE NOCASE, id LIMIT 26';
    expectIndexed(plan(`${base} ${order}`, globex), 'all cards');
    // A name search finds a handful of cards through two index ranges; sorting those few is fine.
    expectIndexed(plan(`${base} AND ((cardmember_name >= ? COLLATE NOCASE AND cardmember_name < ? COLLATE NOCASE)
      OR (cardmember_surname >= ? COLLATE NOCASE AND cardmember_surname < ? COLLATE NOCASE)) ${order}`, globex, 'Ava', 'Ava\u{10FFFF}', 'Ava', 'Ava\u{10FFFF}'), 'name prefix', { smallResultMaySort: true });
    // Five digits pick out a card or two: sorting those few is fine.
    expectIndexed(plan(`${base} AND last_five = ? ${order}`, globex, '12345'), 'last five', { smallResultMaySort: true });
    expectIndexed(plan(`${base} AND state = ? ${order}`, globex, 'suspended'), 'state');
    expectIndexed(plan(`${base} AND (cardmember_name COLLATE NOCASE, id) > (?, ?) ${order}`, globex, 'Ava', 1), 'next page');
    expectIndexed(plan("SELECT * FROM charges WHERE card_id = ? AND status = ? ORDER BY at DESC, id DESC LIMIT 10", 1, 'posted'), 'charges');
  });

  it('find a card’s open requests in the index of open requests alone', () => {
    const lines = plan("SELECT id, tracking_number, type, summary FROM transactions WHERE card_id = ? AND status IN ('submitted', 'in_progress') ORDER BY id", 1);
    expect(lines).toEqual(['SEARCH transactions USING INDEX transactions_open_by_card (card_id=?)']);
  });

  it('serve the homepage from indexes', () => {
    expectIndexed(plan('SELECT n FROM card_state_counts WHERE company_id = ? AND state = ?', globex, 'suspended'), 'suspended count');
    expectIndexed(plan(
      'SELECT * FROM cards INDEXED BY cards_temp_limit_ending WHERE temp_limit_ends_at IS NOT NULL AND temp_limit_ends_at > ? AND temp_limit_ends_at <= ? AND company_id = ? ORDER BY temp_limit_ends_at LIMIT 10',
      0, 1, globex), 'temporary limits');
    expectIndexed(plan('SELECT * FROM transactions WHERE next_due_at IS NOT NULL AND next_due_at <= ? ORDER BY next_due_at, id LIMIT 500', 0), 'due work');
    expectIndexed(plan('SELECT * FROM transaction_events WHERE transaction_id = ? ORDER BY at, id', 1), 'history');
  });

  it('come from per-index statistics without per-value samples, so a prepared statement is planned once', () => {
    // With STAT4 samples, SQLite plans a statement again each time a sampled parameter is bound.
    const indexesWithStatistics = t.context.db.all<{ idx: string }>("SELECT idx FROM sqlite_stat1 WHERE tbl = 'transactions'").map((row) => row.idx);
    expect(indexesWithStatistics).toEqual(expect.arrayContaining(['transactions_by_company_time', 'transactions_open_by_card']));
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM sqlite_stat4')!.n).toBe(0);
  });
});
