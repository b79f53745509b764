// SQL for statement summaries: posted charges of a company's cards, by month.
import type { Database } from '../../db/database';
import { scopeTerm, type Scope } from '../hierarchy/scope';

export interface MonthlyTotal {
  month: string;
  charges: number;
  total_cents: number;
}

/** A scoped PA's statements total the cards of their part of the hierarchy only. */
export function monthlyTotals(db: Database, companyId: number, sinceMs: number, scope: Scope = null): MonthlyTotal[] {
  const inScope = scopeTerm(scope, 'c.control_account_id');
  return db.all<MonthlyTotal>(
    `SELECT strftime('%Y-%m', ch.at / 1000, 'unixepoch') AS month, count(*) AS charges, sum(ch.amount_cents) AS total_cents
       FROM cards c JOIN charges ch ON ch.card_id = c.id AND ch.status = 'posted' AND ch.at >= ?
      WHERE c.company_id = ? ${inScope ? `AND ${inScope.sql}` : ''}
      GROUP BY month ORDER BY month DESC`, sinceMs, companyId, ...(inScope?.params ?? []));
}
