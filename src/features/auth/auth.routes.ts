// Signing in and out: the login form (passport-local) and logout.
import { Router, type Request } from 'express';
import type { PortalPassport } from './passport';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { publicAccess, redirectSignedIn, signedIn } from '../../http/access';
import { authRateLimit } from '../../http/rate-limit';
import { beginSignedInSession, forgetSessionInBrowser } from '../../http/sessions';
import { formSecret, formText, parseInput } from '../../http/validation';
import { RETURN_TO_PARAM, safeReturnPath } from '../../lib/return-path';
import { recordSignOut, type SignedInAdministrator, type SignInRefusal } from '../accounts/sign-in.service';
import { startPendingSignIn } from '../two-step/two-step.service';
import { REFUSALS } from './refusals';
import { signInCodeRouter } from './sign-in-code.routes';

const loginForm = z.object({
  userId: formText('User ID', 64),
  password: formSecret('Password'),
});

const typedUserId = (req: Request): string => (typeof req.body?.userId === 'string' ? req.body.userId.slice(0, 64) : '');

export function authRouter(context: AppContext, passport: PortalPassport): Router {
  const router = Router();

  // GET /login — the sign-in form.
  router.get('/login', publicAccess, redirectSignedIn, (req, res) => {
    const notice = req.query.loggedOut === '1' ? 'You have logged out.' : undefined;
    res.render('auth/login', { title: 'Log in', values: {}, errors: {}, notice, returnTo: safeReturnPath(req.query[RETURN_TO_PARAM]) });
  });

  // POST /login — checks the form, then the credentials; a new session ID on success.
  router.post('/login', publicAccess, authRateLimit(context), (req, res, next) => {
    const values = { userId: typedUserId(req) };
    const returnTo = safeReturnPath(req.body?.[RETURN_TO_PARAM]);
    const form = parseInput(loginForm, req.body);
    if (!form.ok) {
      res.status(400).render('auth/login', { title: 'Log in', values, errors: form.errors, returnTo });
      return;
    }
    req.body.userId = form.data.userId;
    passport.authenticate('local', (err: unknown, user: SignedInAdministrator | false, info?: { message?: string; paId?: number }) => {
      if (err) return next(err);
      if (!user && info?.message === 'second_step' && info.paId !== undefined) {
        // The password was right: the code page, and no session until the code is entered.
        const pending = startPendingSignIn(context, info.paId, returnTo, req.ip ?? null);
        if (pending) {
          req.session.pendingSignIn = pending;
          res.redirect(303, '/login/verify');
          return;
        }
      }
      if (!user) {
        const refusal = REFUSALS[(info?.message as SignInRefusal | undefined) ?? 'invalid'] ?? REFUSALS.invalid;
        res.status(401).render('auth/login', { title: 'Log in', values, errors: {}, message: refusal.message, messageCode: refusal.code, returnTo });
        return;
      }
      beginSignedInSession(req, user, context.clock.nowMs(), (loginErr) => (loginErr ? next(loginErr) : res.redirect(303, returnTo ?? '/home')));
    })(req, res, next);
  });

  // POST /logout — ends the server-side session; the old cookie is worth nothing afterwards.
  router.post('/logout', signedIn, (req, res, next) => {
    recordSignOut(context, req.user!.id, req.ip ?? null);
    req.logout((logoutErr) => {
      if (logoutErr) return next(logoutErr);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        forgetSessionInBrowser(req, res, 'portal');
        res.redirect(303, '/login?loggedOut=1');
      });
    });
  });

  router.use(signInCodeRouter(context));

  return router;
}
