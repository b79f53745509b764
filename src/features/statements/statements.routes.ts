// Statements: the program's monthly totals.
import { Router } from 'express';
import type { AppContext } from '../../context';
import { requirePermission } from '../../http/access';
import { formatCents } from '../../lib/money';
import { monthlyTotals } from './statements.repository';

/** How far back the statements page looks. */
const STATEMENT_MONTHS = 12;

export function statementsRouter(context: AppContext): Router {
  const router = Router();

  // GET /statements — posted charges by month for the last year.
  router.get('/statements', requirePermission('statements.view'), (req, res) => {
    const since = context.clock.nowMs() - STATEMENT_MONTHS * 31 * 86_400_000;
    const months = monthlyTotals(context.db, req.user!.companyId, since).map((m) => ({ ...m, total: formatCents(m.total_cents) }));
    res.render('statements/index', { title: 'Statements', months });
  });

  return router;
}
