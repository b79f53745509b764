// The PA's profile: their details, permissions in words, sign-in history, a request to change their
// contact details, change of password, and their open sessions.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { signedIn } from '../../http/access';
import { authRateLimit } from '../../http/rate-limit';
import { hasRecentProof, recordPasswordProof } from '../../http/recent-proof';
import { addFlash } from '../../http/sessions';
import { formPhone, formSecret, formText, parseInput } from '../../http/validation';
import { AppError, type FieldErrors } from '../../lib/errors';
import { changesEmail, requestContactChange } from './contact-change.service';
import { endOtherOwnSessions, endOwnSession, ownSessions } from './own-sessions.service';
import { changePassword, endSessionsAfterPasswordChange } from './password-change.service';
import { proveCurrentPassword } from './password-proof';
import { profileOf } from './profile.service';
import { twoStepSettings } from '../two-step/two-step-settings.service';

const optionalText = (max: number) => z.unknown().optional().transform((v) => (typeof v === 'string' ? v.trim() : ''))
  .pipe(z.string().max(max, `Use at most ${max} characters.`));

/** The contact change form. A phone is taken as people write it, with 8 to 15 digits (an E.164 number's length), so a text can reach it. */
const contactForm = z.object({
  email: formText('e-mail address', 320).pipe(z.email('Enter a valid e-mail address.')),
  phone: formPhone('leave it empty to remove it'),
  note: optionalText(500),
});

const passwordForm = z.object({
  currentPassword: formSecret('current password'),
  newPassword: formSecret('new password'),
  confirmPassword: z.unknown().optional().transform((v) => (typeof v === 'string' ? v : '')),
});

/** What a form sent, to show it again: never a password. */
const typed = (req: Request, fields: readonly string[]): Record<string, string> => {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((field) => [field, typeof body[field] === 'string' ? (body[field] as string).slice(0, 500) : '']));
};

export function profileRouter(context: AppContext): Router {
  const router = Router();
  const now = () => context.clock.nowMs();

  function renderProfile(req: Request, res: Response, status: number, locals: { values?: Record<string, string>; errors?: FieldErrors; error?: AppError } = {}): void {
    const profile = profileOf(context, req.user!);
    res.status(status).render('profile/profile', {
      title: 'Your profile',
      ...profile,
      sessions: ownSessions(context, req.user!.id, req.sessionID, now()),
      twoStep: twoStepSettings(context, req.user!.id, now()),
      passwordNeededForEmail: !hasRecentProof(req, context.config.rules, now()),
      values: locals.values ?? { email: profile.details.email, phone: profile.details.phone ?? '', note: '' },
      errors: locals.errors ?? {},
      error: locals.error ?? null,
    });
  }

  // GET /profile — the PA's details, permissions, sign-in history, contact change, sessions, 2-step.
  router.get('/profile', signedIn, (req, res) => renderProfile(req, res, 200));

  // POST /profile/contact — asks the help desk to change the e-mail or phone: a tracked request.
  router.post('/profile/contact', signedIn, async (req, res) => {
    const values = typed(req, ['email', 'phone', 'note']);
    const form = parseInput(contactForm, req.body);
    if (!form.ok) return renderProfile(req, res, 400, { values, errors: form.errors, error: new AppError(400, 'invalid_input', 'Please correct the fields marked below.') });
    if (changesEmail(context, req.user!, form.data) && !hasRecentProof(req, context.config.rules, now())) {
      const password = typeof req.body?.currentPassword === 'string' ? req.body.currentPassword : '';
      const proof = password === '' ? { ok: false } : await proveCurrentPassword(context, req.user!.id, password, req.ip ?? null,
        { success: 'step_up.success', failure: 'step_up.failure', purpose: 'email_change' });
      if (!proof.ok) {
        const message = password === '' ? 'Enter your password: changing your e-mail address needs it again after 15 minutes.' : 'That is not your current password.';
        return renderProfile(req, res, 400, { values, errors: { currentPassword: message }, error: new AppError(400, 'password_needed', message) });
      }
      recordPasswordProof(req, now());
    }
    try {
      const submitted = requestContactChange(context, req.user!, form.data, req.ip ?? null);
      addFlash(req, 'notice', `Your request went to the Help Desk. Your status tracking number is ${submitted.trackingNumber}.`);
      res.redirect(303, '/profile');
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404) return renderProfile(req, res, err.status, { values, error: err });
      throw err;
    }
  });

  // GET /profile/password — the change-password form.
  router.get('/profile/password', signedIn, (_req, res) => {
    res.render('profile/password', { title: 'Change your password', errors: {}, error: null });
  });

  // POST /profile/password — the current password, then the new one twice; other sessions end.
  router.post('/profile/password', signedIn, authRateLimit(context), async (req, res, next) => {
    const rerender = (code: string, errors: FieldErrors) => res.status(400).render('profile/password', {
      title: 'Change your password', errors, error: new AppError(400, code, code === 'wrong_password' ? 'That is not your current password.' : 'Please correct the fields marked below.'),
    });
    const form = parseInput(passwordForm, req.body);
    if (!form.ok) return rerender('invalid_input', form.errors);
    const user = req.user!;
    const result = await changePassword(context, user, form.data, req.ip ?? null);
    if (!result.ok) return rerender(result.code, result.errors);
    // This session stays, under a new ID (passport regenerates it), keeping when it began and where.
    const { startedAtMs, browser } = req.session;
    req.logIn(user, (err) => {
      if (err) return next(err);
      const at = now();
      req.session.startedAtMs = startedAtMs ?? at;
      req.session.lastSeenAtMs = at;
      if (browser !== undefined) req.session.browser = browser;
      recordPasswordProof(req, at);
      endSessionsAfterPasswordChange(context, user.id, req.sessionID);
      addFlash(req, 'notice', 'Your password was changed. Your other sessions were signed out.');
      res.redirect(303, '/profile');
    });
  });

  // POST /profile/sessions/end-others — signs the PA out everywhere else.
  router.post('/profile/sessions/end-others', signedIn, (req, res) => {
    const ended = endOtherOwnSessions(context, req.user!.id, req.sessionID, req.ip ?? null);
    addFlash(req, 'notice', ended === 1 ? 'Your other session was signed out.' : `Your other sessions were signed out (${ended}).`);
    res.redirect(303, '/profile#sessions');
  });

  // POST /profile/sessions/:id/end — ends one other session, named by its handle on the page.
  router.post('/profile/sessions/:id/end', signedIn, (req, res) => {
    endOwnSession(context, req.user!.id, String(req.params.id ?? '').slice(0, 64), req.sessionID, req.ip ?? null);
    addFlash(req, 'notice', 'That session was signed out.');
    res.redirect(303, '/profile#sessions');
  });

  return router;
}
