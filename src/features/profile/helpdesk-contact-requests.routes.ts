// The help desk's side of contact-change requests: one request with its answer forms. The queue of
// open requests is shown on the console and on the caller's page. Mounted inside the help-desk
// router, so these pages have its staff session, CSRF and page locals.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { staffOnly } from '../../http/access';
import { addFlash } from '../../http/sessions';
import { formText, parseInput } from '../../http/validation';
import { AppError } from '../../lib/errors';
import { completeContactRequest, openContactRequest, rejectContactRequest } from './contact-change.service';

const rejectForm = z.object({ reason: formText('reason for the Program Administrator', 500) });

const trackingParam = (req: Request): string => String(req.params.trackingNumber ?? '').slice(0, 32).toUpperCase();

export function helpdeskContactRequestsRouter(context: AppContext): Router {
  const router = Router();

  function renderRequest(req: Request, res: Response, status: number, locals: Record<string, unknown> = {}): void {
    const request = openContactRequest(context, trackingParam(req));
    res.status(status).render('profile/helpdesk-contact-request', {
      title: `Contact details change ${request.trackingNumber}`, request, errors: {}, values: {}, error: null, ...locals,
    });
  }

  // GET /helpdesk/contact-requests/:trackingNumber — one open request, what it changes, and its answer forms.
  router.get('/contact-requests/:trackingNumber', staffOnly, (req, res) => renderRequest(req, res, 200));

  // POST /helpdesk/contact-requests/:trackingNumber/complete — applies the change; both addresses are told.
  router.post('/contact-requests/:trackingNumber/complete', staffOnly, (req, res) => {
    const done = completeContactRequest(context, req.staff!, trackingParam(req), req.ip ?? null);
    addFlash(req, 'notice', `Contact details of ${done.caller} changed. Tracking number ${done.trackingNumber}.`);
    res.redirect(303, `/helpdesk/callers/${done.paId}`);
  });

  // POST /helpdesk/contact-requests/:trackingNumber/reject — declines it with a reason the PA reads.
  router.post('/contact-requests/:trackingNumber/reject', staffOnly, (req, res) => {
    const form = parseInput(rejectForm, req.body);
    if (!form.ok) {
      return renderRequest(req, res, 400, { errors: form.errors, error: new AppError(400, 'invalid_input', 'Write the reason the Program Administrator will read.') });
    }
    const done = rejectContactRequest(context, req.staff!, trackingParam(req), form.data.reason, req.ip ?? null);
    addFlash(req, 'notice', `Request ${done.trackingNumber} rejected.`);
    res.redirect(303, `/helpdesk/callers/${done.paId}`);
  });

  return router;
}
