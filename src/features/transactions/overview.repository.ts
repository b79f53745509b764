// The Status Tracking Overview's query: scope, filters, sort and keyset paging, composed from a
// fixed set of column names so that every combination is served by an index and no page is an
// OFFSET scan.
import { limitClause, type Database, type SqlParam } from '../../db/database';
import { scopeTerm, type Scope } from '../hierarchy/scope';
import type { TransactionRow } from './transactions.repository';
import type { OverviewSort, TransactionStatus, TransactionType } from './transaction-types';

/** The columns each sort orders by; the row id always ends the key, so the order is total. */
const SORT_KEYS: Record<OverviewSort, Array<'submitted_at' | 'status' | 'type'>> = {
  submitted: ['submitted_at'],
  status: ['status', 'submitted_at'],
  type: ['type', 'submitted_at'],
};

export interface OverviewScope {
  companyId: number;
  /** Only this PA's own transactions, unless they may see the whole company's. */
  submittedByPaId?: number | undefined;
  /**
   * A PA limited to part of the hierarchy: only transactions of cards in these control accounts,
   * and the PA's own requests about no card (their messages, their contact changes).
   */
  hierarchy?: { accounts: Scope; paId: number } | undefined;
}

export interface OverviewFilter {
  status?: TransactionStatus | undefined;
  type?: TransactionType | undefined;
  /** Inclusive start and exclusive end, in ms. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  /** Only transactions of cards in this control account's subtree; `depth` names the level column that holds it. */
  account?: { id: number; depth: number } | undefined;
}

/** What a list of transactions shows, and no more: rows of a million-row table are read a page at a time. */
export const OVERVIEW_COLUMNS = ['id', 'tracking_number', 'type', 'status', 'summary', 'submitted_at', 'updated_at', 'submitted_by', 'rejection_reason'] as const;
export type OverviewColumn = (typeof OVERVIEW_COLUMNS)[number];
export type OverviewRow = Pick<TransactionRow, OverviewColumn>;
const OVERVIEW_SELECT = `SELECT ${OVERVIEW_COLUMNS.join(', ')} FROM transactions`;

export type CursorValue = string | number;

export interface OverviewQuery {
  scope: OverviewScope;
  filter: OverviewFilter;
  sort: OverviewSort;
  descending: boolean;
  /** The sort key of the row to continue after (or before, going back). */
  cursor?: CursorValue[] | undefined;
  backwards?: boolean;
  limit: number;
}

export function sortKeyOf(sort: OverviewSort, row: OverviewRow): CursorValue[] {
  return [...SORT_KEYS[sort].map((column) => row[column]), row.id];
}

export function cursorFits(sort: OverviewSort, cursor: unknown[]): cursor is CursorValue[] {
  const columns = [...SORT_KEYS[sort], 'id'];
  return cursor.length === columns.length && cursor.every((value, i) =>
    columns[i] === 'status' || columns[i] === 'type' ? typeof value === 'string' : Number.isSafeInteger(value));
}

/** @param rangeByIndex false writes the date range as `+submitted_at`, which no index serves. */
function whereClause(scope: OverviewScope, filter: OverviewFilter, rangeByIndex = true): { sql: string[]; params: SqlParam[] } {
  const sql: string[] = [];
  const params: SqlParam[] = [];
  if (scope.submittedByPaId !== undefined) {
    sql.push('submitted_by_pa_id = ?');
    params.push(scope.submittedByPaId);
  }
  sql.push('company_id = ?');
  params.push(scope.companyId);
  const inScope = scope.hierarchy ? scopeTerm(scope.hierarchy.accounts) : undefined;
  if (inScope && scope.hierarchy) {
    // Checked row by row on the index that gives the page's order: a scoped PA's part of the company is
    // most of what that index reads, and a narrower one only costs reading further.
    sql.push(`(${inScope.sql} OR (control_account_id IS NULL AND submitted_by_pa_id = ?))`);
    params.push(...inScope.params, scope.hierarchy.paId);
  }
  if (filter.account) { sql.push(`account_level${accountDepth(filter.account)} = ?`); params.push(filter.account.id); }
  if (filter.status) { sql.push('status = ?'); params.push(filter.status); }
  if (filter.type) { sql.push('type = ?'); params.push(filter.type); }
  const submittedAt = rangeByIndex ? 'submitted_at' : '+submitted_at';
  if (filter.fromMs !== undefined) { sql.push(`${submittedAt} >= ?`); params.push(filter.fromMs); }
  if (filter.toMs !== undefined) { sql.push(`${submittedAt} < ?`); params.push(filter.toMs); }
  return { sql, params };
}

/**
 * The index whose order is the page's order, named outright: left to itself the planner may prefer
 * a more selective filter index and then sort the whole match, which a keyset page must never do.
 */
function indexFor(query: OverviewQuery): string {
  // A subtree in time order is one range of its level's index; a PA's own requests are fewer still.
  if (query.filter.account && query.sort === 'submitted' && query.scope.submittedByPaId === undefined) {
    return `transactions_by_account_level${accountDepth(query.filter.account)}`;
  }
  const scope = query.scope.submittedByPaId !== undefined ? 'transactions_by_submitter' : 'transactions_by_company';
  if (query.sort === 'status' || query.sort === 'type') return `${scope}_${query.sort}`;
  if (query.filter.status) return `${scope}_status`;
  if (query.filter.type) return `${scope}_type`;
  return `${scope}_time`;
}

/**
 * Whether the page's index can serve its date range: one on (scope, status, submitted_at) only when
 * the status is fixed. Otherwise the planner would skip-scan every status for the range and sort
 * what it finds; the range then only filters the rows the index gives in the page's order.
 */
/** The level column of an account's depth, checked: it is written into SQL. */
function accountDepth(account: { depth: number }): 1 | 2 | 3 | 4 {
  if (![1, 2, 3, 4].includes(account.depth)) throw new Error(`no hierarchy level ${account.depth}`);
  return account.depth as 1 | 2 | 3 | 4;
}

function indexServesRange(index: string, filter: OverviewFilter): boolean {
  if (index.endsWith('_status')) return filter.status !== undefined;
  if (index.endsWith('_type')) return filter.type !== undefined;
  return true;
}

function overviewSql(query: OverviewQuery, select = OVERVIEW_SELECT): { text: string; params: SqlParam[] } {
  const keys = [...SORT_KEYS[query.sort], 'id'];
  const index = indexFor(query);
  const { sql, params } = whereClause(query.scope, query.filter, indexServesRange(index, query.filter));
  // Going back reads the other way from the cursor; the caller reverses the rows.
  const descending = query.backwards ? !query.descending : query.descending;
  if (query.cursor) {
    sql.push(`(${keys.join(', ')}) ${descending ? '<' : '>'} (${keys.map(() => '?').join(', ')})`);
    params.push(...query.cursor);
  }
  const direction = descending ? 'DESC' : 'ASC';
  const orderBy = keys.map((key) => `${key} ${direction}`).join(', ');
  return { text: `${select} INDEXED BY ${index} WHERE ${sql.join(' AND ')} ORDER BY ${orderBy} ${limitClause(query.limit)}`, params };
}

export function overviewPage(db: Database, query: OverviewQuery): OverviewRow[] {
  const { text, params } = overviewSql(query);
  return db.all<OverviewRow>(text, ...params);
}

/** A page of the overview with fewer of its columns, for a list that shows less (each column read costs). */
export function overviewPageOf<Column extends OverviewColumn>(db: Database, query: OverviewQuery, columns: readonly Column[]): Array<Pick<TransactionRow, Column>> {
  const { text, params } = overviewSql(query, `SELECT ${columns.join(', ')} FROM transactions`);
  return db.all<Pick<TransactionRow, Column>>(text, ...params);
}

/** Tracking numbers starting with a prefix, as an index range ("AW123" ≤ n < "AW123:"). */
export function trackingNumbersWithPrefix(db: Database, scope: OverviewScope, prefix: string, limit: number): OverviewRow[] {
  const { sql, params } = whereClause(scope, {});
  return db.all<OverviewRow>(
    `${OVERVIEW_SELECT} WHERE tracking_number >= ? AND tracking_number < ? AND ${sql.join(' AND ')}
      ORDER BY tracking_number ${limitClause(limit)}`, prefix, `${prefix}:`, ...params);
}
