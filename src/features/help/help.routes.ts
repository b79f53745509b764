// The help page for program administrators: how to reach the help desk, service lines, escalation.
import { Router } from 'express';
import { publicAccess } from '../../http/access';
import { CARD_TIERS, SERVICE_LINES } from '../cards/card-catalogue';

export function helpRouter(): Router {
  const router = Router();

  // GET /help — contact channels, service lines by card tier, how escalation works.
  router.get('/help', publicAccess, (_req, res) => {
    res.render('help/index', { title: 'Help', serviceLines: CARD_TIERS.map((tier) => SERVICE_LINES[tier]) });
  });

  return router;
}
