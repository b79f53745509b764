// SQL for the reports: a company's declined charges a page at a time, its posted charges summed
// by control account for one month, and the PAs' subscriptions to scheduled delivery. Every query
// names the index of migration 0019 that serves it (test/http/query-plans.test.ts checks the plans).
import { limitClause, type Database, type SqlParam } from '../../db/database';
import { scopeTerm, type Scope } from '../hierarchy/scope';

export interface DeclineRow {
  id: number;
  at: number;
  merchant: string;
  amount_cents: number;
  decline_reason: string;
  card_id: number;
  card_number: string;
  cardmember_name: string;
  control_account_number: string | null;
}

export interface DeclineQuery {
  companyId: number;
  scope: Scope;
  /** Only declines of cards in this control account's subtree; `depth` names the level column that holds it. */
  account?: { id: number; depth: number } | undefined;
  reason?: string | undefined;
  /** Inclusive start and exclusive end, in ms. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  /** The (at, id) of the row to continue after, newest first. */
  cursor?: [number, number] | undefined;
  limit: number;
}

/** The level column of an account's depth, checked: it is written into SQL. */
function levelOf(account: { depth: number }): 1 | 2 | 3 | 4 {
  if (![1, 2, 3, 4].includes(account.depth)) throw new Error(`no hierarchy level ${account.depth}`);
  return account.depth as 1 | 2 | 3 | 4;
}

/**
 * A page of declines, newest first. The index whose order is the page's is named outright: a
 * subtree reads its level's range, a reason its own range, anything else the company's; the other
 * terms only filter what that index gives in order, so no page ever sorts the whole match.
 */
export function declinesPage(db: Database, query: DeclineQuery): DeclineRow[] {
  const where: string[] = ["ch.status = 'declined'"];
  const params: SqlParam[] = [];
  let index = 'charges_declined_by_company';
  if (query.account) {
    index = `charges_declined_by_level${levelOf(query.account)}`;
    where.push(`ch.account_level${levelOf(query.account)} = ?`, 'ch.company_id = ?');
    params.push(query.account.id, query.companyId);
  } else if (query.reason !== undefined) {
    index = 'charges_declined_by_reason';
    where.push('ch.company_id = ?', 'ch.decline_reason = ?');
    params.push(query.companyId, query.reason);
  } else {
    where.push('ch.company_id = ?');
    params.push(query.companyId);
  }
  if (query.account && query.reason !== undefined) { where.push('ch.decline_reason = ?'); params.push(query.reason); }
  const inScope = scopeTerm(query.scope, 'ch.control_account_id');
  if (inScope) { where.push(inScope.sql); params.push(...inScope.params); }
  if (query.fromMs !== undefined) { where.push('ch.at >= ?'); params.push(query.fromMs); }
  if (query.toMs !== undefined) { where.push('ch.at < ?'); params.push(query.toMs); }
  if (query.cursor) { where.push('(ch.at, ch.id) < (?, ?)'); params.push(...query.cursor); }
  return db.all<DeclineRow>(
    `SELECT ch.id, ch.at, ch.merchant, ch.amount_cents, ch.decline_reason, ch.card_id, c.card_number, c.cardmember_name, ca.number AS control_account_number
       FROM charges ch INDEXED BY ${index}
       JOIN cards c ON c.id = ch.card_id
       LEFT JOIN control_accounts ca ON ca.id = ch.control_account_id
      WHERE ${where.join(' AND ')}
      ORDER BY ch.at DESC, ch.id DESC ${limitClause(query.limit)}`, ...params);
}

/**
 * The reasons the company's charges were declined for, to choose from. One seek of the reason index
 * per reason (each the least above the last), not a DISTINCT that reads every decline of the company.
 */
export function declineReasons(db: Database, companyId: number): string[] {
  return db.all<{ reason: string }>(
    `WITH RECURSIVE reasons(reason) AS (
       SELECT min(decline_reason) FROM charges INDEXED BY charges_declined_by_reason WHERE status = 'declined' AND company_id = ?
       UNION ALL
       SELECT (SELECT min(decline_reason) FROM charges INDEXED BY charges_declined_by_reason
                WHERE status = 'declined' AND company_id = ? AND decline_reason > reasons.reason)
         FROM reasons WHERE reason IS NOT NULL)
     SELECT reason FROM reasons WHERE reason IS NOT NULL`, companyId, companyId).map((row) => row.reason);
}

export interface AccountSpend {
  control_account_id: number | null;
  charges: number;
  total_cents: number;
}

/** Posted charges between two instants, summed by the card's control account, from the covering index. */
export function spendByAccount(db: Database, companyId: number, scope: Scope, fromMs: number, toMs: number): AccountSpend[] {
  const inScope = scopeTerm(scope);
  return db.all<AccountSpend>(
    `SELECT control_account_id, count(*) AS charges, sum(amount_cents) AS total_cents FROM charges INDEXED BY charges_posted_by_company
      WHERE status = 'posted' AND company_id = ? AND at >= ? AND at < ? ${inScope ? `AND ${inScope.sql}` : ''}
      GROUP BY control_account_id`, companyId, fromMs, toMs, ...(inScope?.params ?? []));
}

export type ReportName = 'declines' | 'spend' | 'open_requests';
export type Frequency = 'daily' | 'weekly' | 'monthly';

export interface SubscriptionRow {
  id: number;
  pa_id: number;
  report: ReportName;
  frequency: Frequency;
  filters: string;
  created_at: number;
  next_due_at: number;
  last_delivered_at: number | null;
}

export function insertSubscription(db: Database, row: Omit<SubscriptionRow, 'id' | 'last_delivered_at'>): number {
  return db.run('INSERT INTO report_subscriptions (pa_id, report, frequency, filters, created_at, next_due_at) VALUES (?, ?, ?, ?, ?, ?)',
    row.pa_id, row.report, row.frequency, row.filters, row.created_at, row.next_due_at).lastId;
}

export function subscriptionsOf(db: Database, paId: number): SubscriptionRow[] {
  return db.all<SubscriptionRow>('SELECT * FROM report_subscriptions WHERE pa_id = ? ORDER BY id', paId);
}

export function deleteSubscription(db: Database, paId: number, id: number): boolean {
  return db.run('DELETE FROM report_subscriptions WHERE id = ? AND pa_id = ?', id, paId).changes === 1;
}

export function dueSubscriptions(db: Database, now: number): SubscriptionRow[] {
  return db.all<SubscriptionRow>('SELECT * FROM report_subscriptions WHERE next_due_at <= ? ORDER BY next_due_at, id', now);
}

/** Moves a subscription on from the due time it was read at; false when someone else already did (or it was deleted). */
export function advanceSubscription(db: Database, id: number, dueAt: number, nextDueAt: number, deliveredAt: number | null): boolean {
  return db.run(
    'UPDATE report_subscriptions SET next_due_at = ?, last_delivered_at = coalesce(?, last_delivered_at) WHERE id = ? AND next_due_at = ?',
    nextDueAt, deliveredAt, id, dueAt).changes === 1;
}
