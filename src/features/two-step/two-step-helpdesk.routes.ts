// The help desk's 2-step action on a verified caller, mounted inside the help-desk realm.
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { staffOnly } from '../../http/access';
import { addFlash } from '../../http/sessions';
import { AppError } from '../../lib/errors';
import { STORED_LINK_ORIGIN } from '../outbox/outbox.service';
import { resetTwoStep } from './two-step-reset.service';

const resetForm = z.object({ resetTo: z.enum(['email', 'off']).default('email') });

export function twoStepHelpdeskRouter(context: AppContext): Router {
  const router = Router();
  const paIdOf = (req: Request) => Number(req.params.id);

  // POST /helpdesk/callers/:id/two-step-reset — 2-step back to e-mail (or off), trusted devices revoked.
  router.post('/callers/:id/two-step-reset', staffOnly, (req, res) => {
    const paId = paIdOf(req);
    const form = resetForm.safeParse(req.body ?? {});
    if (!form.success) throw new AppError(400, 'invalid_input', 'Choose e-mail or off.');
    const verified = req.session.verifiedCallers?.[String(paId)];
    try {
      const done = resetTwoStep(context, { staff: req.staff!, verified, sourceIp: req.ip ?? null, baseUrl: STORED_LINK_ORIGIN }, paId, form.data.resetTo);
      addFlash(req, 'notice', `2-step verification reset. Tracking number ${done.trackingNumber}.`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status === 404) throw err;
      addFlash(req, 'error', err.message);
    }
    res.redirect(303, `/helpdesk/callers/${paId}`);
  });

  return router;
}
