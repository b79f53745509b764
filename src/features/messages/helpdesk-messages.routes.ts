// Secure messages, the help desk's side: a thread, an agent's answer, closing it. Mounted inside the
// help-desk router, so its staff session, CSRF and access rules apply; the inbox is on the console.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { staffOnly } from '../../http/access';
import { addFlash } from '../../http/sessions';
import { parseInput } from '../../http/validation';
import { AppError } from '../../lib/errors';
import { replyForm, sentValues } from './message-forms';
import { MAX_BODY_LENGTH } from './message-topics';
import { answerAsStaff, closeAsStaff, threadForStaff } from './messages.service';

export function helpdeskMessagesRouter(context: AppContext): Router {
  const router = Router();
  const trackingNumber = (req: Request) => String(req.params.trackingNumber ?? '');

  function renderThread(req: Request, res: Response, status: number, locals: Record<string, unknown> = {}): void {
    const shown = threadForStaff(context, trackingNumber(req), context.clock.nowMs());
    res.status(status).render('messages/helpdesk-thread', {
      title: `Secure message ${shown.thread.tracking_number}`, ...shown, values: {}, errors: {}, error: null, maxBody: MAX_BODY_LENGTH, ...locals,
    });
  }

  /** A refusal (the thread closed meanwhile) shown on the thread page. */
  const onThreadPage = (run: (req: Request) => string, notice: string) => (req: Request, res: Response) => {
    try {
      const number = run(req);
      addFlash(req, 'notice', notice);
      res.redirect(303, `/helpdesk/messages/${number}`);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return renderThread(req, res, 409, { error: err });
      throw err;
    }
  };

  // GET /helpdesk/messages/:trackingNumber — a thread as the help desk sees it, with the answer form.
  router.get('/messages/:trackingNumber', staffOnly, (req, res) => renderThread(req, res, 200));

  // POST /helpdesk/messages/:trackingNumber/reply — an agent answers; the PA is told by e-mail.
  router.post('/messages/:trackingNumber/reply', staffOnly, (req, res) => {
    const form = parseInput(replyForm, req.body);
    if (!form.ok) return renderThread(req, res, 400, { values: sentValues(req.body, ['body']), errors: form.errors });
    onThreadPage((r) => answerAsStaff(context, r.staff!, trackingNumber(r), form.data.body, r.ip ?? null, context.clock.nowMs()),
      'Answer sent; the Program Administrator was told by e-mail.')(req, res);
  });

  // POST /helpdesk/messages/:trackingNumber/close — an agent closes the thread; its transaction completes.
  router.post('/messages/:trackingNumber/close', staffOnly,
    onThreadPage((req) => closeAsStaff(context, req.staff!, trackingNumber(req), req.ip ?? null, context.clock.nowMs()), 'The conversation is closed.'));

  return router;
}
