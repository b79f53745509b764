// The 2-step code page between a right password and a session: enter the code, or ask for a new one.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { publicAccess, redirectSignedIn } from '../../http/access';
import { authRateLimit } from '../../http/rate-limit';
import { addFlash, beginSignedInSession } from '../../http/sessions';
import { parseInput } from '../../http/validation';
import { completeSignIn } from '../accounts/sign-in.service';
import { enableAtSignIn } from '../two-step/two-step-settings.service';
import { trustBrowser } from '../two-step/trusted-devices.service';
import type { PendingSignIn } from '../../types/express-session';
import { maskedDestination, resendCode, verifySignInCode } from '../two-step/two-step.service';
import { REFUSALS } from './refusals';

const codeForm = z.object({
  // People paste codes with spaces ("123 456"): those are not part of it.
  code: z.string().transform((code) => code.replace(/\s/g, '')).pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code.')),
  trustDevice: z.literal('on').optional(),
});

/** One answer for a wrong, expired, used or superseded code: none tells a guesser more than another. */
const WRONG_CODE = { code: 'invalid_code', message: 'That code is not right or is no longer valid. Check the newest code we sent you, or ask for a new one.' };
const STARTED_OVER = 'Your sign-in took too long to finish. Please log in again.';

/** The pending sign-in, while it lasts; an expired one is forgotten. */
function pendingOf(context: AppContext, req: Request): PendingSignIn | undefined {
  const pending = req.session?.pendingSignIn;
  if (!pending) return undefined;
  if (context.clock.nowMs() <= pending.expiresAtMs) return pending;
  delete req.session.pendingSignIn;
  addFlash(req, 'notice', STARTED_OVER);
  return undefined;
}

export function signInCodeRouter(context: AppContext): Router {
  const router = Router();

  const render = (res: Response, pending: PendingSignIn, status: number, extra: Record<string, unknown> = {}) => {
    res.status(status).render('auth/verify', {
      title: 'Enter your verification code', destination: maskedDestination(context, pending), channel: pending.channel, setup: pending.setup === true,
      errors: {}, values: {}, ...extra,
    });
  };

  // GET /login/verify — the code page, once the password was right.
  router.get('/login/verify', publicAccess, redirectSignedIn, (req, res) => {
    const pending = pendingOf(context, req);
    if (!pending) return res.redirect(303, '/login');
    render(res, pending, 200);
  });

  // POST /login/verify — checks the code; the session begins only now.
  router.post('/login/verify', publicAccess, authRateLimit(context), (req, res, next) => {
    const pending = pendingOf(context, req);
    if (!pending) return res.redirect(303, '/login');
    const form = parseInput(codeForm, req.body);
    const values = { trustDevice: req.body?.trustDevice === 'on' };
    if (!form.ok) return render(res, pending, 400, { errors: form.errors, values });
    const outcome = verifySignInCode(context, pending, form.data.code, req.ip ?? null);
    if (outcome === 'wrong') return render(res, pending, 401, { message: WRONG_CODE.message, messageCode: WRONG_CODE.code, values });
    delete req.session.pendingSignIn;
    const user = outcome === 'ok' ? completeSignIn(context, pending.paId, req.ip ?? null) : undefined;
    if (!user) {
      const refusal = outcome === 'locked' ? REFUSALS.locked : REFUSALS.invalid;
      res.status(401).render('auth/login', { title: 'Log in', values: {}, errors: {}, message: refusal.message, messageCode: refusal.code });
      return;
    }
    const now = context.clock.nowMs();
    if (pending.setup) enableAtSignIn(context, user.id, pending.channel, now, req.ip ?? null);
    if (form.data.trustDevice) trustBrowser(context, req, res, user.id, now);
    beginSignedInSession(req, user, now, (err) => (err ? next(err) : res.redirect(303, pending.returnTo ?? '/home')));
  });

  // POST /login/verify/resend — a new code on the same channel; the one before stops working.
  router.post('/login/verify/resend', publicAccess, authRateLimit(context), (req, res) => {
    const pending = pendingOf(context, req);
    if (!pending) return res.redirect(303, '/login');
    const outcome = resendCode(context, pending, req.ip ?? null);
    if (!outcome.ok) {
      const message = outcome.reason === 'too_soon'
        ? `You can ask for a new code once a minute. Please wait ${outcome.waitSeconds} seconds and try again.`
        : 'You have asked for a new code too many times. Please log in again to get a new one.';
      return render(res, pending, 429, { message, messageCode: outcome.reason === 'too_soon' ? 'resend_too_soon' : 'resend_limit' });
    }
    req.session.pendingSignIn = outcome.pending;
    addFlash(req, 'notice', 'We sent you a new code. Only the newest code works.');
    res.redirect(303, '/login/verify');
  });

  return router;
}
