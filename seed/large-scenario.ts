// The `large` scenario: the default scenario plus several more companies, 50,000 cards and
// 1,000,000 historical transactions, generated deterministically from a seed, for speed tests.
// Rows are written with prepared statements in a few big transactions, not through the services:
// the services' rules are exercised by the default scenario; here only volume and realism matter.
import type { AppContext } from '../src/context';
import { hashSecret, normalizeVerificationWord } from '../src/lib/hashing';
import { formatTrackingNumber } from '../src/lib/tracking-number';
import { formatCardNumber } from '../src/features/cards/card-numbers';
import { applicationSummary, cardActionSummary, disputeSummary } from '../src/features/cards/transaction-summaries';
import { TRACKING_SEQUENCE_START } from '../src/features/transactions/lifecycle';
import type { TransactionType } from '../src/features/transactions/transaction-types';
import { SeededRandom } from './random';

export interface LargeScenarioSize {
  transactions: number;
  cards: number;
  /** Companies besides Globex and Initech. */
  extraCompanies: number;
  /** Share of all transactions that belong to Globex (the benchmark's company). */
  globexShare: number;
}

export const LARGE_SIZE: LargeScenarioSize = { transactions: 1_000_000, cards: 50_000, extraCompanies: 8, globexShare: 0.3 };

const DAY_MS = 86_400_000;
/** Historical transactions are spread over this many days before the scenario starts. */
const HISTORY_DAYS = 730;
const FIRST_NAMES = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jada', 'Kai', 'Lena', 'Milo', 'Nia', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sami', 'Tess', 'Umar', 'Vera', 'Wes', 'Xena', 'Yuri', 'Zoe'];
const LAST_NAMES = ['Abbott', 'Baker', 'Carver', 'Dunn', 'Ellis', 'Flores', 'Grant', 'Hale', 'Ibarra', 'Jensen', 'Khan', 'Lopez', 'Moreno', 'Nash', 'Ortiz', 'Park', 'Quist', 'Reyes', 'Shaw', 'Tran', 'Usman', 'Vance', 'Wolfe', 'Young', 'Zhou'];
const TIERS = ['standard', 'standard', 'standard', 'premium', 'business', 'prepaid'] as const;
const TYPES = ['card_cancel', 'card_replace', 'card_suspend', 'card_reinstate', 'limit_change', 'limit_change', 'card_application', 'charge_dispute'] as const satisfies readonly TransactionType[];
export type GeneratedType = (typeof TYPES)[number];
const MERCHANTS = ['Skyline Airways', 'Harbor Hotel', 'City Taxi', 'Cloud Hosting Inc', 'Office Supplies Co', 'Rail Express', 'Corner Coffee', 'Conference Center'];
const PROGRESS_EVERY = 100_000;

export type Progress = (message: string) => void;

/** What a generated request's wording needs of its card. */
export interface GeneratedCard {
  card_number: string;
  cardmember_name: string;
  tier: string;
  limit_cents: number;
  /** The card's first charge, the one a generated dispute is about. */
  charge: { merchant: string; amount_cents: number };
}

interface CompanyPlan {
  id: number;
  paIds: number[];
  cardIds: number[];
  cards: GeneratedCard[];
  /** The bottom of its hierarchy, where generated cards go. */
  leafAccountIds: number[];
  cardAccountIds: number[];
}

const REGIONS = ['North', 'South', 'Central', 'Pacific'];
const DIVISIONS = ['Sales', 'Engineering', 'Operations', 'Finance', 'Marketing'];
const DEPARTMENTS = 8;

/**
 * A company's hierarchy as programs have it: regions, divisions in each, departments in each (three
 * levels). Globex keeps the default scenario's West and East regions and gains divisions under them.
 * Returns the departments.
 */
function generateHierarchy(db: AppContext['db'], companyId: number, prefix: string, regionCount: number): number[] {
  const insert = (parentId: number | null, number: string, name: string, depth: number) =>
    db.run('INSERT INTO control_accounts (company_id, parent_id, number, name, depth) VALUES (?, ?, ?, ?, ?)', companyId, parentId, number, name, depth).lastId;
  const existing = db.all<{ id: number; number: string; name: string }>(
    'SELECT id, number, name FROM control_accounts WHERE company_id = ? AND parent_id IS NULL ORDER BY number', companyId);
  const regions = [...existing];
  for (const region of REGIONS.slice(0, Math.max(0, regionCount - existing.length))) {
    const number = `${prefix}-${region.slice(0, 3).toUpperCase()}`;
    regions.push({ id: insert(null, number, `${region} Region`, 1), number, name: `${region} Region` });
  }
  const leaves: number[] = [];
  for (const region of regions) {
    DIVISIONS.forEach((division, d) => {
      const divisionNumber = `${region.number}-D${d + 1}`;
      const divisionId = insert(region.id, divisionNumber, `${region.name.replace(' Region', '')} ${division}`, 2);
      for (let k = 1; k <= DEPARTMENTS; k += 1) leaves.push(insert(divisionId, `${divisionNumber}-${String(k).padStart(2, '0')}`, `${division} department ${k}`, 3));
    });
  }
  return leaves;
}

/**
 * A generated request in the words the portal gives a submitted one (transaction-summaries.ts), so
 * generated and seeded rows read alike. `newLimitCents` is for limit changes; `sequence` varies the
 * replacement's delivery as people would.
 */
export function generatedSummary(type: GeneratedType, card: GeneratedCard, newLimitCents: number, sequence: number): string {
  switch (type) {
    case 'card_cancel': return cardActionSummary('cancel', card, {});
    case 'card_replace': return cardActionSummary('replace', card, { delivery: sequence % 4 === 0 ? 'rush' : 'standard' });
    case 'card_suspend': return cardActionSummary('suspend', card, {});
    case 'card_reinstate': return cardActionSummary('reinstate', card, {});
    case 'limit_change': return cardActionSummary('limit', card, { limitType: 'permanent', newLimitCents });
    case 'card_application': return applicationSummary({ tier: card.tier, cardmemberName: card.cardmember_name, limitCents: card.limit_cents });
    case 'charge_dispute': return disputeSummary(card.charge, card);
  }
}

/** Adds the large scenario's volume on top of a freshly loaded default scenario. */
export async function addLargeVolume(context: AppContext, seed: number, size: LargeScenarioSize = LARGE_SIZE, progress: Progress = () => {}): Promise<void> {
  const { db, clock, config } = context;
  const random = new SeededRandom(seed);
  const now = clock.nowMs();
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  // One password for every generated PA, hashed once: they exist for volume, not to sign in.
  const sharedHash = await hashSecret('Generated-Administrator-2026', config.bcryptCost);
  const sharedWordHash = await hashSecret(normalizeVerificationWord('generated'), config.bcryptCost);

  const companies: CompanyPlan[] = [];
  db.tx(() => {
    const globex = db.get<{ id: number }>("SELECT id FROM companies WHERE name = 'Globex Corporation'")!.id;
    const globexPas = db.all<{ id: number }>(
      "SELECT id FROM program_administrators WHERE company_id = ? AND user_id IN ('globex.primary', 'globex.canceller') ORDER BY id", globex).map((r) => r.id);
    companies.push({ id: globex, paIds: globexPas, cardIds: [], cards: [], leafAccountIds: generateHierarchy(db, globex, 'GLX', 4), cardAccountIds: [] });
    for (let c = 1; c <= size.extraCompanies; c += 1) {
      const { lastId: companyId } = db.run('INSERT INTO companies (name, program_number, max_card_limit_cents) VALUES (?, ?, ?)',
        `Large Company ${String(c).padStart(2, '0')}`, `LRG-500-${String(c).padStart(4, '0')}`, 10_000_000);
      const paIds: number[] = [];
      for (let p = 0; p < 3; p += 1) {
        const { lastId } = db.run(
          `INSERT INTO program_administrators (company_id, user_id, first_name, last_name, email, is_primary, state, password_hash,
             pin_hash, word_hash, enrolled_at, registered_at, last_login_at, state_changed_at)
           VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)`,
          companyId, `large${c}.pa${p}`, random.pick(FIRST_NAMES), random.pick(LAST_NAMES), `pa${p}@large${c}.example`, p === 0 ? 1 : 0,
          sharedHash, sharedHash, sharedWordHash, now - 400 * DAY_MS, now - 400 * DAY_MS, now - random.int(0, 30) * DAY_MS, now - 400 * DAY_MS);
        db.run("INSERT INTO pa_permissions (pa_id, permission) VALUES (?, 'cards.view'), (?, 'transactions.view_all')", lastId, lastId);
        paIds.push(lastId);
      }
      companies.push({ id: companyId, paIds, cardIds: [], cards: [], leafAccountIds: generateHierarchy(db, companyId, `L${c}`, 3), cardAccountIds: [] });
    }
  });
  progress(`companies and program administrators: ${companies.length} companies (${elapsed()})`);

  // Bulk loading: indexes are built once at the end (faster than row by row), and no fsync per
  // commit — a crash halfway would only mean generating again.
  const indexes = db.all<{ name: string; sql: string }>(
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('charges', 'transactions', 'transaction_events') AND sql IS NOT NULL");
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  const synchronous = db.raw.pragma('synchronous', { simple: true });
  const cacheSize = db.raw.pragma('cache_size', { simple: true });
  db.raw.pragma('synchronous = OFF');
  db.raw.pragma('cache_size = -262144');

  // Cards: Globex gets its share, the rest is spread evenly.
  const insertCard = db.raw.prepare(
    `INSERT INTO cards (company_id, card_number, last_five, cardmember_name, tier, state, limit_cents, opened_at, expires_on, state_changed_at, control_account_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // A charge carries its card's company and levels (migration 0019), written here so the insert trigger has nothing to do.
  const insertCharge = db.raw.prepare(
    `INSERT INTO charges (card_id, merchant, amount_cents, at, status, decline_reason, dispute_status, company_id, control_account_id,
       account_level1, account_level2, account_level3, account_level4) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`);
  // Each account's levels, written with each transaction and charge (the insert triggers then have nothing to do).
  const levelsOf = new Map(db.all<{ id: number; level1_id: number; level2_id: number | null; level3_id: number | null; level4_id: number | null }>(
    'SELECT id, level1_id, level2_id, level3_id, level4_id FROM control_accounts').map((row) => [row.id, [row.level1_id, row.level2_id, row.level3_id, row.level4_id]]));
  const noLevels = [null, null, null, null];
  let cardSequence = 50_000_001;
  db.tx(() => {
    for (let i = 0; i < size.cards; i += 1) {
      const company = random.next() < size.globexShare ? companies[0]! : companies[1 + (i % Math.max(1, companies.length - 1))] ?? companies[0]!;
      const number = formatCardNumber(4000 + company.id, cardSequence++);
      const openedAt = now - random.int(30, 1500) * DAY_MS;
      const state = random.next() < 0.9 ? 'active' : random.pick(['suspended', 'cancelled', 'lost_stolen'] as const);
      const expiry = new Date(openedAt + 4 * 365 * DAY_MS);
      // Drawn in the order they always were, so a seed generates the same data as before.
      const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
      const tier = random.pick(TIERS);
      const limitCents = random.int(10, 200) * 10_000;
      // Not drawn from the seeded generator, so the rest of the data stays what a seed always gave.
      const accountId = company.leafAccountIds[i % company.leafAccountIds.length]!;
      const id = Number(insertCard.run(company.id, number, number.slice(-5), name, tier, state, limitCents, openedAt,
        `${expiry.getUTCFullYear()}-${String(expiry.getUTCMonth() + 1).padStart(2, '0')}`, openedAt, accountId).lastInsertRowid);
      company.cardAccountIds.push(accountId);
      let firstCharge: GeneratedCard['charge'] | undefined;
      for (let c = random.int(1, 4); c > 0; c -= 1) {
        const declined = random.next() < 0.1;
        const merchant = random.pick(MERCHANTS);
        const amountCents = random.int(300, 250_000);
        insertCharge.run(id, merchant, amountCents, now - random.int(0, 90) * DAY_MS - random.int(0, DAY_MS),
          declined ? 'declined' : 'posted', declined ? 'Over the spending limit' : null, company.id, accountId, ...(levelsOf.get(accountId) ?? noLevels));
        firstCharge ??= { merchant, amount_cents: amountCents };
      }
      company.cardIds.push(id);
      company.cards.push({ card_number: number, cardmember_name: name, tier, limit_cents: limitCents, charge: firstCharge! });
    }
    db.run("INSERT INTO sequences (name, value) VALUES ('card_number', ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)", cardSequence);
  });
  progress(`cards: ${size.cards.toLocaleString('en-US')} with charges (${elapsed()})`);

  // Transactions in submission order, so tracking numbers rise with time as they do live.
  const insertTransaction = db.raw.prepare(
    `INSERT INTO transactions (tracking_number, company_id, type, status, submitted_by, submitted_by_pa_id, card_id, summary, details,
       rejection_reason, submitted_at, updated_at, next_due_at, control_account_id, account_level1, account_level2, account_level3, account_level4)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, NULL, ?, ?, ?, ?, ?)`);
  const insertEvent = db.raw.prepare('INSERT INTO transaction_events (transaction_id, at, status, actor, note) VALUES (?, ?, ?, ?, ?)');
  const firstSequence = db.get<{ value: number }>("SELECT value FROM sequences WHERE name = 'tracking_number'")?.value ?? TRACKING_SEQUENCE_START - 1;
  const start = now - HISTORY_DAYS * DAY_MS;
  const step = (HISTORY_DAYS * DAY_MS - DAY_MS) / size.transactions;
  let written = 0;
  while (written < size.transactions) {
    const batchEnd = Math.min(size.transactions, written + PROGRESS_EVERY);
    db.tx(() => {
      for (let i = written; i < batchEnd; i += 1) {
        const company = random.next() < size.globexShare ? companies[0]! : companies[1 + random.int(0, companies.length - 2)] ?? companies[0]!;
        const paId = random.pick(company.paIds);
        const cardIndex = random.int(0, company.cardIds.length - 1);
        const type = random.pick(TYPES);
        const submittedAt = Math.floor(start + i * step);
        const pickedUp = submittedAt + 3_600_000;
        const doneAt = submittedAt + DAY_MS;
        const rejected = random.next() < 0.08;
        const newLimitCents = type === 'limit_change' ? random.int(10, 300) * 10_000 : 0;
        const card = company.cards[cardIndex];
        const summary = card ? generatedSummary(type, card, newLimitCents, i) : 'Request with no card';
        const reason = rejected ? 'Rejected at review.' : null;
        const id = Number(insertTransaction.run(formatTrackingNumber(firstSequence + 1 + i), company.id, type, rejected ? 'rejected' : 'completed',
          `pa:${paId}`, paId, company.cardIds[cardIndex] ?? null, summary, reason, submittedAt, doneAt, company.cardAccountIds[cardIndex] ?? null,
          ...(levelsOf.get(company.cardAccountIds[cardIndex]!) ?? noLevels)).lastInsertRowid);
        insertEvent.run(id, submittedAt, 'submitted', `pa:${paId}`, null);
        insertEvent.run(id, pickedUp, 'in_progress', 'system', 'Picked up for processing.');
        insertEvent.run(id, doneAt, rejected ? 'rejected' : 'completed', 'system', reason);
      }
    });
    written = batchEnd;
    progress(`transactions: ${written.toLocaleString('en-US')} of ${size.transactions.toLocaleString('en-US')} (${elapsed()})`);
  }
  db.run("INSERT INTO sequences (name, value) VALUES ('tracking_number', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", firstSequence + size.transactions);
  for (const index of indexes) db.exec(index.sql);
  progress(`indexes rebuilt (${elapsed()})`);
  db.raw.pragma(`synchronous = ${synchronous}`);
  db.raw.pragma(`cache_size = ${cacheSize}`);
  db.run("UPDATE sim_state SET scenario = 'large' WHERE id = 1");
  // Fresh statistics, so the query planner knows how the data is spread.
  db.exec('ANALYZE');
  // Without the per-value samples, though: better-sqlite3 builds SQLite with STAT4, and a statement
  // whose plan consulted a sample for a bound value is parsed and planned again on each later run,
  // which more than doubled the cost of an index lookup (open requests of a card: 8 → 3 µs). The
  // per-index averages that remain are enough for the indexes these queries were written for.
  db.exec('DELETE FROM sqlite_stat4; ANALYZE sqlite_schema');
  progress(`done: statistics gathered (${elapsed()})`);
}
