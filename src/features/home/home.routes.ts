// The signed-in homepage.
import { Router } from 'express';
import type { AppContext } from '../../context';
import { signedIn } from '../../http/access';
import { STATUS_LABELS } from '../transactions/transaction-types';
import { homepage } from './home.service';

export function homeRouter(context: AppContext): Router {
  const router = Router();

  // GET /home — tiles for what the PA may do, tracking search, latest requests, notices.
  router.get('/home', signedIn, (req, res) => {
    const page = homepage(context, req.user!);
    res.render('home/home', {
      title: 'Home',
      tiles: page.tiles,
      notices: page.notices,
      toDo: page.toDo.map((item) => ({ ...item, waiting: new Date(item.waitingSince).toISOString().slice(0, 16).replace('T', ' ') })),
      recent: page.recent.map((row) => ({
        tracking_number: row.tracking_number, summary: row.summary, status: row.status, statusLabel: STATUS_LABELS[row.status],
        submitted: new Date(row.submitted_at).toISOString().slice(0, 10),
      })),
    });
  });

  return router;
}
