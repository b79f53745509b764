// Statements: the program's monthly totals.
import { Router } from 'express';
import type { AppContext } from '../../context';
import { requirePermission } from '../../http/access';
import { statementMonths } from './statements.service';

export function statementsRouter(context: AppContext): Router {
  const router = Router();

  // GET /statements — posted charges by month for the last year.
  router.get('/statements', requirePermission('statements.view'), (req, res) => {
    res.render('statements/index', { title: 'Statements', months: statementMonths(context, req.user!, context.clock.nowMs()) });
  });

  return router;
}
