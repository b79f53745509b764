// Secure messages, the PA's side: their threads, writing a new one, a thread with its reply form, closing it.
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { signedIn } from '../../http/access';
import { addFlash } from '../../http/sessions';
import { parseInput } from '../../http/validation';
import { AppError } from '../../lib/errors';
import { newThreadForm, replyForm, sentValues } from './message-forms';
import { MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH, MESSAGE_TOPICS } from './message-topics';
import { closeAsWriter, replyAsWriter, startThread, threadForWriter, threadList } from './messages.service';

const TOPIC_OPTIONS = Object.entries(MESSAGE_TOPICS);
const limits = { maxSubject: MAX_SUBJECT_LENGTH, maxBody: MAX_BODY_LENGTH };

export function messagesRouter(context: AppContext): Router {
  const router = Router();
  const trackingNumber = (req: Request) => String(req.params.trackingNumber ?? '');

  function renderThread(req: Request, res: Response, status: number, locals: Record<string, unknown> = {}): void {
    const shown = threadForWriter(context, req.user!, trackingNumber(req), context.clock.nowMs());
    res.status(status).render('messages/thread', {
      title: `Secure message ${shown.thread.tracking_number}`, ...shown, values: {}, errors: {}, error: null, ...limits, ...locals,
    });
  }

  const renderNew = (res: Response, status: number, locals: Record<string, unknown> = {}) =>
    res.status(status).render('messages/new', { title: 'Write to the Help Desk', topics: TOPIC_OPTIONS, values: {}, errors: {}, ...limits, ...locals });

  // GET /messages — the PA's secure-message threads (the company's, with transactions.view_all).
  router.get('/messages', signedIn, (req, res) => {
    res.render('messages/index', { title: 'Secure messages', threads: threadList(context, req.user!, context.clock.nowMs()) });
  });

  // GET /messages/new — the form to write to the help desk.
  router.get('/messages/new', signedIn, (_req, res) => renderNew(res, 200));

  // POST /messages — opens a thread: subject, topic and message; a tracking number of its own.
  router.post('/messages', signedIn, (req, res) => {
    const form = parseInput(newThreadForm, req.body);
    if (!form.ok) return renderNew(res, 400, { values: sentValues(req.body, ['subject', 'topic', 'body']), errors: form.errors });
    const number = startThread(context, req.user!, form.data, context.clock.nowMs());
    addFlash(req, 'notice', `Your message was sent. Its tracking number is ${number}; we answer within one business day.`);
    res.redirect(303, `/messages/${number}`);
  });

  // GET /messages/:trackingNumber — one thread, oldest message first, with the reply form.
  router.get('/messages/:trackingNumber', signedIn, (req, res) => renderThread(req, res, 200));

  // POST /messages/:trackingNumber/reply — the PA writes again in an open thread.
  router.post('/messages/:trackingNumber/reply', signedIn, (req, res) => {
    const form = parseInput(replyForm, req.body);
    if (!form.ok) return renderThread(req, res, 400, { values: sentValues(req.body, ['body']), errors: form.errors });
    try {
      const number = replyAsWriter(context, req.user!, trackingNumber(req), form.data.body, context.clock.nowMs());
      addFlash(req, 'notice', 'Your reply was sent.');
      res.redirect(303, `/messages/${number}`);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return renderThread(req, res, 409, { error: err });
      throw err;
    }
  });

  // POST /messages/:trackingNumber/close — the PA closes a thread; its transaction completes.
  router.post('/messages/:trackingNumber/close', signedIn, (req, res) => {
    try {
      const number = closeAsWriter(context, req.user!, trackingNumber(req), context.clock.nowMs());
      addFlash(req, 'notice', 'The conversation is closed.');
      res.redirect(303, `/messages/${number}`);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return renderThread(req, res, 409, { error: err });
      throw err;
    }
  });

  return router;
}
