// Statements: what the program spent, month by month.
import type { AppContext } from '../../context';
import { formatCents } from '../../lib/money';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { monthlyTotals } from './statements.repository';

/** How far back the statements page looks. */
const STATEMENT_MONTHS = 12;
const MONTH_MS = 31 * 86_400_000;

/** The posted charges of the PA's company by month, over the last year before `now`. */
export function statementMonths(context: AppContext, user: SignedInAdministrator, now: number) {
  return monthlyTotals(context.db, user.companyId, now - STATEMENT_MONTHS * MONTH_MS, user.scope).map((month) => ({ ...month, total: formatCents(month.total_cents) }));
}
