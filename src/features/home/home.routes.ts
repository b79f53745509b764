// The signed-in homepage.
import { Router } from 'express';
import type { AppContext } from '../../context';
import { signedIn } from '../../http/access';
import { STATUS_LABELS, TRANSACTION_TYPES } from '../transactions/transaction-types';
import { homepage } from './home.service';

export function homeRouter(context: AppContext): Router {
  const router = Router();

  // GET /home — tiles for what the PA may do, tracking search, latest requests, notices.
  router.get('/home', signedIn, (req, res) => {
    const page = homepage(context, req.user!);
    res.render('home/home', {
      title: 'Home',
      ...page,
      recent: page.recent.map((row) => ({
        ...row, typeLabel: TRANSACTION_TYPES[row.type] ?? row.type, statusLabel: STATUS_LABELS[row.status],
        submitted: new Date(row.submitted_at).toISOString().slice(0, 10),
      })),
    });
  });

  return router;
}
