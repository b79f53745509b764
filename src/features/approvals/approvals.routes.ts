// The pages of changes held for a second administrator (maker-checker): the list of what waits for
// one's decision and of one's own held changes, one held change with its decision forms, and the
// approve, reject and withdraw actions. A held change another PA may not see answers 404.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requirePermission } from '../../http/access';
import { wantsJson } from '../../http/errors';
import { addFlash } from '../../http/sessions';
import { formText, parseInput } from '../../http/validation';
import { AppError, type FieldErrors } from '../../lib/errors';
import {
  MAX_REJECTION_REASON_LENGTH, approvalsPage, approveHeldChange, heldChangePage, rejectHeldChange, withdrawHeldChange,
} from './held-changes.service';

const viewsCards = requirePermission('cards.view');
const decides = requirePermission('cards.view', 'cards.approve');
const rejectForm = z.object({ reason: formText('reason for the administrator who made the change', MAX_REJECTION_REASON_LENGTH) });

export function approvalsRouter(context: AppContext): Router {
  const router = Router();
  const trackingNumber = (req: Request) => String(req.params.trackingNumber ?? '');

  function renderHeldChange(req: Request, res: Response, status: number, locals: { error?: AppError; errors?: FieldErrors; reason?: string } = {}): void {
    const held = heldChangePage(context, req.user!, trackingNumber(req));
    res.status(status).render('approvals/held-change', {
      title: `Held change ${held.trackingNumber}`, held, justHeld: req.query.held === '1' && held.state === 'held',
      error: locals.error ?? null, errors: locals.errors ?? {}, reason: locals.reason ?? '',
    });
  }

  /** Runs a decision: done, back to the held change with a notice; refused, its page with why. */
  function decision(act: (req: Request) => string) {
    return (req: Request, res: Response) => {
      let notice: string;
      try {
        notice = act(req);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404 || wantsJson(req)) throw err;
        return renderHeldChange(req, res, err.status, { error: err, errors: err.fields ?? {} });
      }
      addFlash(req, 'notice', notice);
      res.redirect(303, `/approvals/${heldChangePage(context, req.user!, trackingNumber(req)).trackingNumber}`);
    };
  }

  // GET /approvals — the held changes waiting for this PA's decision, and their own held changes.
  router.get('/approvals', viewsCards, (req, res) => {
    res.render('approvals/index', { title: 'Approvals', ...approvalsPage(context, req.user!) });
  });

  // GET /approvals/:trackingNumber — one held change: what it would do, its approvals, and what this PA may do about it.
  router.get('/approvals/:trackingNumber', viewsCards, (req, res) => renderHeldChange(req, res, 200));

  // POST /approvals/:trackingNumber/approve — approves it; with the last approval it needs, it is submitted.
  router.post('/approvals/:trackingNumber/approve', decides, decision((req) => {
    const approval = approveHeldChange(context, req.user!, trackingNumber(req), context.clock.nowMs());
    return approval.submittedTrackingNumber
      ? `Approved: the change is submitted. Its status tracking number is ${approval.submittedTrackingNumber}.`
      : `Your approval is recorded (${approval.approvals} of ${approval.approversNeeded}): the change waits for another approver.`;
  }));

  // POST /approvals/:trackingNumber/reject — rejects it with a reason its maker reads; nothing is submitted.
  router.post('/approvals/:trackingNumber/reject', decides, (req, res, next) => {
    const form = parseInput(rejectForm, req.body);
    if (!form.ok) {
      if (wantsJson(req)) return next(new AppError(400, 'invalid_input', 'Write the reason.', form.errors));
      const typed = typeof req.body?.reason === 'string' ? String(req.body.reason).slice(0, MAX_REJECTION_REASON_LENGTH) : '';
      return renderHeldChange(req, res, 400, { error: new AppError(400, 'invalid_input', 'Write the reason the administrator who made the change will read.'), errors: form.errors, reason: typed });
    }
    decision((r) => {
      const done = rejectHeldChange(context, r.user!, trackingNumber(r), form.data.reason, context.clock.nowMs());
      return `The change held as ${done.trackingNumber} is rejected: nothing was submitted.`;
    })(req, res);
  });

  // POST /approvals/:trackingNumber/withdraw — its maker takes it back; nothing is submitted.
  router.post('/approvals/:trackingNumber/withdraw', viewsCards, decision((req) => {
    const done = withdrawHeldChange(context, req.user!, trackingNumber(req), context.clock.nowMs());
    return `You withdrew the change held as ${done.trackingNumber}: nothing was submitted.`;
  }));

  return router;
}
