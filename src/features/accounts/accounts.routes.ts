// Account pages outside sign-in: first login, forgotten user ID, forgotten password and reset.
import { Router, type Request, type Response, type NextFunction } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { publicAccess, redirectSignedIn } from '../../http/access';
import { authRateLimit } from '../../http/rate-limit';
import { addFlash, beginSignedInSession } from '../../http/sessions';
import { formSecret, formText, parseInput } from '../../http/validation';
import { STORED_LINK_ORIGIN } from '../outbox/outbox.service';
import { completePasswordReset, requestPasswordReset, resetLinkHolder } from './password-reset.service';
import { chosenCredentialProblems, completeFirstLogin, verifyFirstLogin } from './registration.service';
import type { SignedInAdministrator } from './sign-in.service';

/** A verified first login must be finished within this time, or the proof is asked for again. */
const FIRST_LOGIN_WINDOW_MS = 15 * 60_000;

const proofForm = z.object({
  verificationPin: formText('Verification PIN', 64),
  verificationWord: formText('Verification Word', 64),
  accessCode: formText('Access Code', 64),
});

const credentialsForm = z.object({
  userId: formText('new User ID', 64),
  password: formSecret('new Password'),
  confirmPassword: formSecret('new Password again'),
});

const forgotPasswordForm = z.object({
  userId: formText('User ID', 64),
  email: formText('e-mail address', 320),
});

const newPasswordForm = z.object({
  password: formSecret('new Password'),
  confirmPassword: formSecret('new Password again'),
});

const text = (value: unknown, max = 320): string => (typeof value === 'string' ? value.slice(0, max) : '');

function signInAndGoHome(req: Request, res: Response, next: NextFunction, user: SignedInAdministrator, welcome: string, now: number): void {
  beginSignedInSession(req, user, now, (err) => {
    if (err) return next(err);
    addFlash(req, 'notice', welcome);
    res.redirect(303, '/home');
  });
}

export function accountsRouter(context: AppContext): Router {
  const router = Router();
  const limit = authRateLimit(context);

  const verifiedFirstLogin = (req: Request) => {
    const pending = req.session.firstLogin;
    return pending && context.clock.nowMs() - pending.verifiedAtMs <= FIRST_LOGIN_WINDOW_MS ? pending : undefined;
  };

  const renderProofStep = (res: Response, status: number, locals: Record<string, unknown> = {}) =>
    res.status(status).render('accounts/register-verify', { title: 'First login', values: {}, errors: {}, ...locals });
  const renderCredentialsStep = (res: Response, status: number, locals: Record<string, unknown> = {}) =>
    res.status(status).render('accounts/register-credentials', { title: 'Choose your User ID', values: {}, errors: {}, ...locals });

  // GET /register — first login: step 1 asks for the proof, step 2 for the new credentials.
  router.get('/register', publicAccess, redirectSignedIn, (req, res) => {
    if (verifiedFirstLogin(req)) return renderCredentialsStep(res, 200);
    renderProofStep(res, 200);
  });

  // POST /register — checks the PIN, word and access code, and/or sets the user ID and password.
  router.post('/register', publicAccess, redirectSignedIn, limit, async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const givesProof = ['verificationPin', 'verificationWord', 'accessCode'].some((field) => field in body);
    const givesCredentials = ['userId', 'password', 'confirmPassword'].some((field) => field in body);

    if (givesProof) {
      const values = { verificationWord: text(body.verificationWord, 64) };
      const proof = parseInput(proofForm, body);
      if (!proof.ok) return renderProofStep(res, 400, { values, errors: proof.errors });
      const verdict = await verifyFirstLogin(context, proof.data, req.ip ?? null);
      if (!verdict.ok) {
        delete req.session.firstLogin;
        return renderProofStep(res, 401, { values, failed: true });
      }
      req.session.firstLogin = { ...verdict.verified, verifiedAtMs: context.clock.nowMs() };
      if (!givesCredentials) return res.redirect(303, '/register');
    }

    const verified = verifiedFirstLogin(req);
    if (!verified) {
      delete req.session.firstLogin;
      return renderProofStep(res, 400, { message: 'Please start your first login again with your Verification PIN, Verification Word and Access Code.' });
    }
    const values = { userId: text(body.userId, 64) };
    const credentials = parseInput(credentialsForm, body);
    if (!credentials.ok) {
      // Every problem at once: what the form lacks, and what is wrong with what it has (a taken user ID too).
      const typed = { userId: values.userId.trim(), password: text(body.password, 1024), confirmPassword: text(body.confirmPassword, 1024) };
      return renderCredentialsStep(res, 400, { values, errors: { ...chosenCredentialProblems(context, verified.paId, typed), ...credentials.errors } });
    }
    const outcome = await completeFirstLogin(context, verified, credentials.data, req.ip ?? null);
    if (!outcome.ok) {
      if (outcome.restart) {
        delete req.session.firstLogin;
        return renderProofStep(res, 409, { message: outcome.errors.accessCode });
      }
      return renderCredentialsStep(res, 400, { values, errors: outcome.errors });
    }
    delete req.session.firstLogin;
    signInAndGoHome(req, res, next, outcome.user, `Welcome to @Work, ${outcome.user.firstName}. Your User ID is ${outcome.user.userId}.`, context.clock.nowMs());
  });

  // GET /forgot-user-id — only the Help Desk can recover a user ID.
  router.get('/forgot-user-id', publicAccess, (_req, res) => {
    res.render('accounts/forgot-user-id', { title: 'Forgot User ID' });
  });

  // GET /forgot-password — asks for the user ID and the e-mail address on file.
  router.get('/forgot-password', publicAccess, redirectSignedIn, (_req, res) => {
    res.render('accounts/forgot-password', { title: 'Forgot Password', values: {}, errors: {} });
  });

  // POST /forgot-password — e-mails a reset link when the details match; the same answer either way.
  router.post('/forgot-password', publicAccess, limit, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseInput(forgotPasswordForm, body);
    if (!form.ok) {
      res.status(400).render('accounts/forgot-password', {
        title: 'Forgot Password', values: { userId: text(body.userId, 64), email: text(body.email) }, errors: form.errors,
      });
      return;
    }
    requestPasswordReset(context, form.data, STORED_LINK_ORIGIN, req.ip ?? null);
    res.render('accounts/forgot-password-sent', { title: 'Check your e-mail' });
  });

  // GET /reset-password/:token — the form behind an e-mailed link, while the link is good.
  router.get('/reset-password/:token', publicAccess, (req, res) => {
    const token = String(req.params.token);
    const holder = resetLinkHolder(context, token);
    if (!holder) return res.status(410).render('accounts/reset-link-unusable', { title: 'Link expired' });
    res.render('accounts/reset-password', { title: 'Choose a new password', token, userId: holder.userId, errors: {} });
  });

  // POST /reset-password/:token — sets the new password, uses the link up and ends every session.
  router.post('/reset-password/:token', publicAccess, limit, async (req, res) => {
    const token = String(req.params.token);
    const holder = resetLinkHolder(context, token);
    if (!holder) return res.status(410).render('accounts/reset-link-unusable', { title: 'Link expired' });
    const form = parseInput(newPasswordForm, req.body);
    const rerender = (errors: Record<string, string>) =>
      res.status(400).render('accounts/reset-password', { title: 'Choose a new password', token, userId: holder.userId, errors });
    if (!form.ok) return rerender(form.errors);
    const outcome = await completePasswordReset(context, token, form.data.password, form.data.confirmPassword, req.ip ?? null);
    if (!outcome.ok) {
      if (outcome.linkUnusable) return res.status(410).render('accounts/reset-link-unusable', { title: 'Link expired' });
      return rerender(outcome.errors);
    }
    addFlash(req, 'notice', 'Your password has been changed. Log in with your new password.');
    res.redirect(303, '/login');
  });

  return router;
}
