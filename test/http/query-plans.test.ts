import { addLargeVolume } from '../../seed/large-scenario';
import {
  chargesOf, countCardsInState, latestChargesOf, listCards, temporaryLimitsEndingBetween, type CardListFilter,
} from '../../src/features/cards/cards.repository';
import { overviewPage, trackingNumbersWithPrefix, type OverviewQuery } from '../../src/features/transactions/overview.repository';
import { OVERVIEW_SORTS } from '../../src/features/transactions/transaction-types';
import {
  dueTransactions, eventsOf, findTransactionByTrackingNumber, openTransactionsForCard,
} from '../../src/features/transactions/transactions.repository';
import { openContactRequests, openContactRequestsOf, signInEvents } from '../../src/features/profile/profile.repository';
import { declineReasons, declinesPage, dueSubscriptions, spendByAccount, type DeclineQuery } from '../../src/features/reports/reports.repository';
import { planOf, plansOf } from '../helpers/recorded-statements';
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

/** A control account of Globex's generated hierarchy at this depth. */
const accountAt = (depth: number) => t.context.db.get<{ id: number }>('SELECT id FROM control_accounts WHERE company_id = ? AND depth = ? ORDER BY id LIMIT 1', globex, depth)!.id;

/** How SQLite plans the statement a repository function runs, as the function itself writes it. */
const plan = (run: Parameters<typeof planOf>[1]) => planOf(t.context.db, run);

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
    const scopes = [{ companyId: 0 }, { companyId: 0, submittedByPaId: 0 }, { companyId: 0, hierarchy: true }];
    const filters = [{}, { status: 'completed' as const }, { type: 'limit_change' as const }, { fromMs: 0, toMs: 9e12 }, { status: 'rejected' as const, fromMs: 0 },
      // A control account's subtree, at each level the generated hierarchy has.
      ...[1, 2, 3].map((depth) => ({ account: { id: accountAt(depth), depth } })), { account: { id: accountAt(3), depth: 3 }, status: 'rejected' as const, fromMs: 0 }];
    for (const scope of scopes) {
      for (const filter of filters) {
        for (const sort of OVERVIEW_SORTS) {
          for (const descending of [true, false]) {
            for (const cursor of [undefined, 'cursor']) {
              const keyLength = sort === 'submitted' ? 2 : 3;
              const query: OverviewQuery = {
                scope: {
                  companyId: globex, ...(scope.submittedByPaId === undefined ? {} : { submittedByPaId: primaryId }),
                  ...('hierarchy' in scope ? { hierarchy: { accounts: [1, 2, 3], paId: primaryId } } : {}),
                },
                filter, sort, descending, limit: 26,
                cursor: cursor ? [...(sort === 'status' ? ['completed'] : sort === 'type' ? ['limit_change'] : []), ...Array(keyLength).fill(1e12)].slice(0, keyLength) : undefined,
              };
              expectIndexed(plan((db) => overviewPage(db, query)), JSON.stringify({ scope, filter, sort, descending, cursor }));
            }
          }
        }
      }
    }
  });

  it('serve tracking-number lookups, whole and partial, from the unique index', () => {
    expectIndexed(plan((db) => findTransactionByTrackingNumber(db, 'AW3001000011')), 'exact');
    const partial = plan((db) => trackingNumbersWithPrefix(db, { companyId: globex }, 'AW3001', 25));
    expectIndexed(partial, 'partial');
    expect(partial.join('\n')).toMatch(/tracking_number>\? AND tracking_number<\?/);
  });

  it('serve the card list, its searches and filters, and a card’s charges from indexes', () => {
    const cards = (filter: Partial<Omit<CardListFilter, 'companyId' | 'limit'>>) => plan((db) => listCards(db, { companyId: globex, limit: 26, scope: null, ...filter }));
    expectIndexed(cards({}), 'all cards');
    // A name search finds a handful of cards through two index ranges; sorting those few is fine.
    expectIndexed(cards({ search: 'Ava' }), 'name prefix', { smallResultMaySort: true });
    // Five digits pick out a card or two: sorting those few is fine.
    expectIndexed(cards({ search: '12345' }), 'last five', { smallResultMaySort: true });
    expectIndexed(cards({ state: 'suspended' }), 'state');
    expectIndexed(cards({ after: { name: 'Ava', id: 1 } }), 'next page');
    // A PA limited to part of the hierarchy walks the same index, skipping what lies outside it.
    expectIndexed(cards({ scope: [1, 2, 3] }), 'scoped');
    expectIndexed(cards({ scope: [1, 2, 3], state: 'suspended', after: { name: 'Ava', id: 1 } }), 'scoped, by state, next page');
    expectIndexed(plan((db) => chargesOf(db, 1, 'posted', 10)), 'charges');
    for (const lines of plansOf(t.context.db, (db) => latestChargesOf(db, 1, 10))) expectIndexed(lines, 'a card page’s charges');
  });

  it('find a card’s open requests in the index of open requests alone', () => {
    const lines = plan((db) => openTransactionsForCard(db, 1));
    expect(lines).toEqual(['SEARCH transactions USING INDEX transactions_open_by_card (card_id=?)']);
  });

  it('serve the homepage from indexes', () => {
    expectIndexed(plan((db) => countCardsInState(db, globex, 'suspended')), 'suspended count');
    expectIndexed(plan((db) => temporaryLimitsEndingBetween(db, globex, 0, 1)), 'temporary limits');
    expectIndexed(plan((db) => dueTransactions(db, 0, 500)), 'due work');
    expectIndexed(plan((db) => eventsOf(db, 1)), 'history');
  });

  it('serve the profile’s sign-in history and the help desk’s queue of contact-change requests from their partial indexes', () => {
    expect(plan((db) => signInEvents(db, `pa:${primaryId}`, 10))).toEqual(['SEARCH audit_events USING INDEX audit_sign_ins_by_subject (subject=?)']);
    const queue = plan((db) => openContactRequests(db, 50));
    expect(queue[0]).toBe('SCAN t USING INDEX transactions_open_contact_changes');
    expectIndexed(queue, 'contact-change queue');
    expectIndexed(plan((db) => openContactRequestsOf(db, primaryId)), 'one caller’s contact-change requests', { smallResultMaySort: true });
  });

  it('serve every declines report combination of scope, account, reason, dates and page from an index in its order', () => {
    const accounts = [undefined, ...[1, 2, 3].map((depth) => ({ id: accountAt(depth), depth }))];
    for (const scope of [null, [1, 2, 3]]) {
      for (const account of accounts) {
        for (const reason of [undefined, 'Over the spending limit']) {
          for (const dates of [{}, { fromMs: 0 }, { fromMs: 0, toMs: 9e12 }]) {
            for (const cursor of [undefined, [1e12, 1] as [number, number]]) {
              const query: DeclineQuery = { companyId: globex, scope, account, reason, ...dates, cursor, limit: 26 };
              const lines = plan((db) => declinesPage(db, query));
              expectIndexed(lines, JSON.stringify(query));
              expect([JSON.stringify(query), lines[0]]).toEqual([JSON.stringify(query), expect.stringMatching(/^SEARCH ch USING INDEX charges_declined_by_/)]);
            }
          }
        }
      }
    }
    const reasons = plan((db) => declineReasons(db, globex));
    expectIndexed(reasons, 'decline reasons');
    expect(reasons.filter((line) => /charges/.test(line)).every((line) => /USING COVERING INDEX charges_declined_by_reason \(company_id=\?( AND decline_reason>\?)?\)/.test(line))).toBe(true);
    expect(declineReasons(t.context.db, globex)).toEqual(['Card suspended', 'Over the spending limit', 'Suspected fraud']);
  });

  it('sum a month of spend from the covering index of posted charges, and find due subscriptions by their index', () => {
    for (const scope of [null, [1, 2, 3]]) {
      const lines = plan((db) => spendByAccount(db, globex, scope, 0, 9e12));
      // The few control accounts of a month are grouped in a small temporary tree; the rows come from the index alone.
      expectIndexed(lines, 'spend', { smallResultMaySort: true });
      expect(lines[0]).toMatch(/^SEARCH charges USING COVERING INDEX charges_posted_by_company \(company_id=\? AND at>\? AND at<\?\)$/);
    }
    expectIndexed(plan((db) => dueSubscriptions(db, 0)), 'due subscriptions');
  });

  it('come from per-index statistics without per-value samples, so a prepared statement is planned once', () => {
    // With STAT4 samples, SQLite plans a statement again each time a sampled parameter is bound.
    const indexesWithStatistics = t.context.db.all<{ idx: string }>("SELECT idx FROM sqlite_stat1 WHERE tbl = 'transactions'").map((row) => row.idx);
    expect(indexesWithStatistics).toEqual(expect.arrayContaining(['transactions_by_company_time', 'transactions_open_by_card']));
    expect(t.context.db.get<{ n: number }>('SELECT count(*) AS n FROM sqlite_stat4')!.n).toBe(0);
  });
});
