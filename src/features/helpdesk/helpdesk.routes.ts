// The help-desk console: its own sign-in realm, finding and verifying callers, acting for them,
// and the supervisors' escalation queue.
import { Router, type ErrorRequestHandler, type Request, type Response, type NextFunction, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { publicAccess, staffOnly, supervisorOnly } from '../../http/access';
import { csrfProtection } from '../../http/csrf';
import type { MergeOnSave } from '../../http/realm-session-store';
import { notFoundHandler } from '../../http/errors';
import { pageLocals } from '../../http/locals';
import { authRateLimit } from '../../http/rate-limit';
import { addFlash, enforceSessionTimeouts, forgetSessionInBrowser, sessionMiddleware } from '../../http/sessions';
import { formList, formSecret, formText, parseInput } from '../../http/validation';
import { AppError } from '../../lib/errors';
import { helpdeskMessagesRouter } from '../messages/helpdesk-messages.routes';
import { helpdeskInbox } from '../messages/messages.service';
import { STORED_LINK_ORIGIN } from '../outbox/outbox.service';
import { contactRequestQueue } from '../profile/contact-change.service';
import { resetTwoStep } from '../two-step/two-step-reset.service';
import { helpdeskContactRequestsRouter } from '../profile/helpdesk-contact-requests.routes';
import {
  changePermissions, discloseUserId, liftFraudHold, newAccessCode, reactivate, unlock, updateContactDetails,
} from './caller-actions.service';
import {
  callerFile, caller, clearBlock, findCallers, identifyCaller, verifyCaller, type ActionContext,
} from './caller-verification.service';
import { escalate, escalationQueue, openEscalationCount, resolveEscalationAs } from './escalations.service';
import { listStaff, loadStaff, recordStaffSignOut, signInStaff, unlockStaffMember } from './staff-auth.service';
import type { CallerVerification } from '../../types/express-session';

const loginForm = z.object({ staffId: formText('Staff ID', 64), password: formSecret('Password') });
const verifyForm = z.object({ verificationPin: formText('Verification PIN', 64), verificationWord: formText('Verification Word', 64) });
const identifyForm = z.object({
  firstName: formText('first name', 100), lastName: formText('last name', 100), company: formText('company', 200), email: formText('e-mail address', 320),
});
const contactForm = z.object({
  firstName: formText('first name', 100), lastName: formText('last name', 100),
  email: formText('e-mail address', 320).pipe(z.email('Enter a valid e-mail address.')),
  phone: z.unknown().optional().transform((v) => (typeof v === 'string' ? v.trim().slice(0, 40) : '')).pipe(z.string().regex(/^[0-9 +().-]*$/, 'Use digits, spaces and + ( ) - only.')),
});
const noteForm = z.object({ note: formText('note', 2000) });
const twoStepResetForm = z.object({ resetTo: z.enum(['email', 'off']).default('email') });
const scopeKindForm = z.enum(['company', 'accounts']).optional();

const idParam = (req: Request, name = 'id'): number => {
  const raw = String(req.params[name] ?? '');
  return /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
};

/** Signs in the staff member behind the staff session, if their account may still be used. */
function loadSignedInStaff(context: AppContext): RequestHandler {
  return (req, res, next) => {
    const id = req.session.staffUserId;
    if (id !== undefined) {
      const staff = loadStaff(context, id);
      if (staff) req.staff = staff;
      else delete req.session.staffUserId;
    }
    res.locals.currentStaff = req.staff ?? null;
    next();
  };
}

/**
 * A session is saved whole at the end of each request, so of two tabs verifying two callers at
 * once, the later save dropped the other's verification. Verifications only accumulate within a
 * staff session (they lapse by time, and sign-out ends the session), so a save keeps those another
 * request stored meanwhile, the newer of two for the same caller.
 */
const keepConcurrentVerifications: MergeOnSave = (stored, saving) => {
  if (!stored.verifiedCallers || stored.staffUserId !== saving.staffUserId) return;
  const merged = { ...stored.verifiedCallers };
  for (const [paId, verification] of Object.entries(saving.verifiedCallers ?? {})) {
    if ((merged[paId]?.at ?? -Infinity) <= verification.at) merged[paId] = verification;
  }
  saving.verifiedCallers = merged;
};

export function helpdeskRouter(context: AppContext): Router {
  const router = Router();
  router.use(sessionMiddleware(context, 'helpdesk', { mergeOnSave: keepConcurrentVerifications }), enforceSessionTimeouts(context, 'helpdesk'),
    loadSignedInStaff(context), csrfProtection, pageLocals());

  const verification = (req: Request, paId: number): CallerVerification | undefined => req.session.verifiedCallers?.[String(paId)];
  const recordVerification = (req: Request, paId: number, method: CallerVerification['method']) => {
    req.session.verifiedCallers = { ...(req.session.verifiedCallers ?? {}), [String(paId)]: { at: context.clock.nowMs(), method } };
  };
  const actionContext = (req: Request, paId: number): ActionContext => ({
    staff: req.staff!, verified: verification(req, paId), sourceIp: req.ip ?? null, baseUrl: STORED_LINK_ORIGIN,
  });
  const escalationsWaiting = (req: Request) => openEscalationCount(context, req.staff!);

  function renderCaller(req: Request, res: Response, paId: number, status: number, locals: Record<string, unknown> = {}): void {
    const file = callerFile(context, paId, verification(req, paId), context.clock.nowMs());
    res.status(status).render('helpdesk/caller', {
      title: `Caller: ${file.caller.first_name} ${file.caller.last_name}`,
      ...file,
      error: null, values: {}, errors: {}, disclosedUserId: null, tickedPermissions: null, chosenScope: null, contactRequests: contactRequestQueue(context, file.caller.id),
      ...locals,
    });
  }

  /** A refusal the caller page shows: anything but a server fault or a caller that does not exist. */
  const shownOnCallerPage = (err: unknown): err is AppError => err instanceof AppError && err.status < 500 && err.status !== 404;

  /**
   * Runs an action on a caller; a refusal is shown on the caller page with its status and code, its
   * field errors, and whatever `keep` takes from the request to show the form as it was sent. So is
   * the refusal of the route's own access declaration to a signed-in staff member (an agent at a
   * supervisor's action); a stranger is not shown the caller.
   */
  const act = (run: (req: Request, paId: number) => Promise<string> | string, keep: (req: Request) => Record<string, unknown> = () => ({})) => {
    const runAction = async (req: Request, res: Response, next: NextFunction) => {
      const paId = idParam(req);
      try {
        const notice = await run(req, paId);
        addFlash(req, 'notice', notice);
        res.redirect(303, `/helpdesk/callers/${paId}`);
      } catch (err) {
        if (shownOnCallerPage(err)) return renderCaller(req, res, paId, err.status, { error: err, errors: err.fields ?? {}, ...keep(req) });
        next(err);
      }
    };
    const showRefusal: ErrorRequestHandler = (err, req, res, next) => {
      if (req.staff && shownOnCallerPage(err)) return renderCaller(req, res, idParam(req), err.status, { error: err, errors: err.fields ?? {}, ...keep(req) });
      next(err);
    };
    return [runAction, showRefusal];
  };
  const repeatedField = (req: Request, name: string): string[] => formList(req.body, name);
  const tickedPermissions = (req: Request) => repeatedField(req, 'permissions');
  /** The scope as the agent chose it, to show a refused form as it was sent; null when the form said nothing of scope. */
  const chosenScope = (req: Request) => {
    const kind = (req.body as Record<string, unknown> | undefined)?.scopeKind;
    return typeof kind === 'string' ? { kind, numbers: repeatedField(req, 'scope') } : null;
  };
  /** The scope the form asks for: control-account numbers, null for the whole company, undefined (no `scopeKind`, as older scripts post) to leave it. */
  const requestedScope = (req: Request): string[] | null | undefined => {
    const kind = scopeKindForm.safeParse((req.body as Record<string, unknown> | undefined)?.scopeKind);
    if (!kind.success) throw new AppError(400, 'invalid_input', 'Choose the whole company or control accounts for the scope.', { scope: 'Choose the whole company or control accounts.' });
    if (kind.data === undefined) return undefined;
    return kind.data === 'company' ? null : repeatedField(req, 'scope');
  };

  // GET /helpdesk/login — the staff sign-in form.
  router.get('/login', publicAccess, (req, res) => {
    if (req.staff) return res.redirect('/helpdesk');
    res.render('helpdesk/login', { title: 'Help desk log in', values: {}, errors: {} });
  });

  // POST /helpdesk/login — staff ID and password; a fresh session on success.
  router.post('/login', publicAccess, authRateLimit(context), async (req, res, next) => {
    const values = { staffId: typeof req.body?.staffId === 'string' ? req.body.staffId.slice(0, 64) : '' };
    const form = parseInput(loginForm, req.body);
    if (!form.ok) return res.status(400).render('helpdesk/login', { title: 'Help desk log in', values, errors: form.errors });
    const result = await signInStaff(context, form.data.staffId, form.data.password, req.ip ?? null);
    if (!result.ok) {
      const message = result.reason === 'locked'
        ? 'Your staff ID is locked after too many unsuccessful attempts. A supervisor can unlock it.'
        : 'The Staff ID or Password you entered is incorrect.';
      return res.status(401).render('helpdesk/login', { title: 'Help desk log in', values, errors: {}, message, messageCode: result.reason === 'locked' ? 'account_locked' : 'invalid_credentials' });
    }
    const now = context.clock.nowMs();
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.staffUserId = result.staff.id;
      req.session.startedAtMs = now;
      req.session.lastSeenAtMs = now;
      res.redirect(303, '/helpdesk');
    });
  });

  // POST /helpdesk/logout — ends the staff session.
  router.post('/logout', staffOnly, (req, res, next) => {
    recordStaffSignOut(context, req.staff!, req.ip ?? null);
    req.session.destroy((err) => {
      if (err) return next(err);
      forgetSessionInBrowser(req, res, 'helpdesk');
      res.redirect(303, '/helpdesk/login');
    });
  });

  // GET /helpdesk — the console: find a caller, identify one who forgot their user ID, the inbox of secure messages.
  router.get('/', staffOnly, (req, res) => {
    res.render('helpdesk/console', {
      title: 'Help desk', values: {}, errors: {}, results: null, q: '',
      openEscalations: escalationsWaiting(req), contactRequests: contactRequestQueue(context),
      inbox: helpdeskInbox(context, context.clock.nowMs()),
    });
  });

  // GET /helpdesk/callers?q= — search PAs by user ID, name, e-mail or company, or by a tracking number the caller quotes.
  router.get('/callers', staffOnly, (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const found = q.length >= 2 ? findCallers(context, q) : { callers: [], byReference: null };
    res.status(q.length >= 2 ? 200 : 400).render('helpdesk/console', {
      title: 'Find a caller', values: {}, errors: q.length >= 2 ? {} : { q: 'Type at least 2 characters.' }, results: found.callers, byReference: found.byReference, q,
      openEscalations: escalationsWaiting(req),
    });
  });

  // POST /helpdesk/identify — a caller without their user ID: name, company and e-mail on file.
  router.post('/identify', staffOnly, (req, res) => {
    const form = parseInput(identifyForm, req.body);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(['firstName', 'lastName', 'company', 'email'].map((k) => [k, typeof body[k] === 'string' ? (body[k] as string).slice(0, 200) : '']));
    const rerender = (status: number, locals: Record<string, unknown>) => res.status(status).render('helpdesk/console', {
      title: 'Help desk', values, errors: {}, results: null, q: '', openEscalations: escalationsWaiting(req), ...locals,
    });
    if (!form.ok) return rerender(400, { errors: form.errors });
    const paId = identifyCaller(context, req.staff!, form.data, req.ip ?? null);
    if (paId === undefined) return rerender(401, { identifyFailed: true });
    recordVerification(req, paId, 'identity');
    addFlash(req, 'notice', 'Identity confirmed by name, company and e-mail on file: you may tell the caller their User ID. Anything else needs the PIN and word.');
    res.redirect(303, `/helpdesk/callers/${paId}`);
  });

  // GET /helpdesk/callers/:id — one caller: state, company, permissions, contact, history; never a secret.
  router.get('/callers/:id', staffOnly, (req, res) => renderCaller(req, res, idParam(req), 200));

  // POST /helpdesk/callers/:id/verify — the PIN and word the caller says, compared with those on file.
  router.post('/callers/:id/verify', staffOnly, async (req, res) => {
    const paId = idParam(req);
    caller(context, paId);
    const form = parseInput(verifyForm, req.body);
    if (!form.ok) return renderCaller(req, res, paId, 400, { errors: form.errors });
    const result = await verifyCaller(context, req.staff!, paId, { pin: form.data.verificationPin, word: form.data.verificationWord }, req.ip ?? null);
    if (!result.ok) {
      const error = result.blocked
        ? new AppError(423, 'verification_blocked', 'Verification is blocked after 5 failed attempts. A supervisor must clear it.')
        : new AppError(401, 'verification_failed', 'The PIN or word does not match our records.');
      return renderCaller(req, res, paId, error.status, { error });
    }
    recordVerification(req, paId, 'pin_and_word');
    addFlash(req, 'notice', 'Caller verified for the next 15 minutes.');
    res.redirect(303, `/helpdesk/callers/${paId}`);
  });

  // POST /helpdesk/callers/:id/reactivate — an inactive user may log in again; the 120 days restart.
  router.post('/callers/:id/reactivate', staffOnly, act((req, paId) => `User ID reactivated. Tracking number ${reactivate(context, actionContext(req, paId), paId).trackingNumber}.`));

  // POST /helpdesk/callers/:id/unlock — a locked user may log in with their password again.
  router.post('/callers/:id/unlock', staffOnly, act((req, paId) => `User ID unlocked. Tracking number ${unlock(context, actionContext(req, paId), paId).trackingNumber}.`));

  // POST /helpdesk/callers/:id/two-step-reset — 2-step back to e-mail (or off), trusted devices revoked.
  router.post('/callers/:id/two-step-reset', staffOnly, act((req, paId) => {
    const form = twoStepResetForm.safeParse(req.body ?? {});
    if (!form.success) throw new AppError(400, 'invalid_input', 'Choose codes by e-mail or off.');
    return `2-step verification reset. Tracking number ${resetTwoStep(context, actionContext(req, paId), paId, form.data.resetTo).trackingNumber}.`;
  }));

  // POST /helpdesk/callers/:id/user-id — tell the verified caller their user ID.
  router.post('/callers/:id/user-id', staffOnly, act((req, paId) => {
    const { userId, transaction } = discloseUserId(context, actionContext(req, paId), paId);
    return `The caller's User ID is ${userId}. Tracking number ${transaction.trackingNumber}.`;
  }));

  // POST /helpdesk/callers/:id/access-code — a new Access Code and Welcome e-mail for a pending user.
  router.post('/callers/:id/access-code', staffOnly, act(async (req, paId) => `New Access Code sent. Tracking number ${(await newAccessCode(context, actionContext(req, paId), paId)).trackingNumber}.`));

  // POST /helpdesk/callers/:id/permissions — set permissions and scope; a non-primary PA needs the primary on the call.
  router.post('/callers/:id/permissions', staffOnly, act(async (req, paId) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const scope = requestedScope(req);
    const submitted = await changePermissions(context, actionContext(req, paId), paId, {
      permissions: tickedPermissions(req),
      ...(scope !== undefined ? { scope } : {}),
      ...(typeof body.primaryPin === 'string' ? { primaryPin: body.primaryPin } : {}),
      ...(typeof body.primaryWord === 'string' ? { primaryWord: body.primaryWord } : {}),
    });
    return `Permissions and scope saved. Tracking number ${submitted.trackingNumber}.`;
  }, (req) => ({ tickedPermissions: tickedPermissions(req), chosenScope: chosenScope(req) })));

  // POST /helpdesk/callers/:id/contact — update name, e-mail and phone.
  router.post('/callers/:id/contact', staffOnly, act((req, paId) => {
    const form = parseInput(contactForm, req.body);
    if (!form.ok) throw new AppError(400, 'invalid_input', Object.values(form.errors).join(' '), form.errors);
    const submitted = updateContactDetails(context, actionContext(req, paId), paId, { ...form.data, phone: form.data.phone || null });
    return `Contact details updated. Tracking number ${submitted.trackingNumber}.`;
  }));

  // POST /helpdesk/callers/:id/lift-suspension — supervisors only: lift a fraud suspension.
  router.post('/callers/:id/lift-suspension', supervisorOnly, act((req, paId) => `Fraud suspension lifted. Tracking number ${liftFraudHold(context, actionContext(req, paId), paId).trackingNumber}.`));

  // POST /helpdesk/callers/:id/escalate — hand the call to a supervisor with a note.
  router.post('/callers/:id/escalate', staffOnly, act((req, paId) => {
    const form = parseInput(noteForm, req.body);
    if (!form.ok) throw new AppError(400, 'invalid_input', 'Write a note for the supervisor.', form.errors);
    return `Escalated to a supervisor. Tracking number ${escalate(context, actionContext(req, paId), paId, form.data.note).trackingNumber}.`;
  }));

  // POST /helpdesk/callers/:id/clear-block — supervisors only: let a blocked caller try verification again.
  router.post('/callers/:id/clear-block', supervisorOnly, act((req, paId) => {
    clearBlock(context, actionContext(req, paId), paId);
    return 'Verification block cleared.';
  }));

  // GET /helpdesk/escalations — the supervisors' queue.
  router.get('/escalations', supervisorOnly, (_req, res) => {
    res.render('helpdesk/escalations', {
      title: 'Escalations',
      escalations: escalationQueue(context).map((e) => ({ ...e, when: new Date(e.raised_at).toISOString().slice(0, 16).replace('T', ' ') })),
    });
  });

  // POST /helpdesk/escalations/:id/resolve — a supervisor resolves an escalation with a note.
  router.post('/escalations/:id/resolve', supervisorOnly, (req, res) => {
    const form = parseInput(noteForm, req.body);
    if (!form.ok) throw new AppError(400, 'invalid_input', 'Write how the escalation was resolved.', form.errors);
    resolveEscalationAs(context, req.staff!, idParam(req), form.data.note, req.ip ?? null);
    addFlash(req, 'notice', 'Escalation resolved.');
    res.redirect(303, '/helpdesk/escalations');
  });

  // GET /helpdesk/staff — supervisors: the help-desk staff and who is locked out.
  router.get('/staff', supervisorOnly, (_req, res) => {
    res.render('helpdesk/staff', { title: 'Staff', staff: listStaff(context) });
  });

  // POST /helpdesk/staff/:id/unlock — supervisors: let a locked-out colleague sign in again.
  router.post('/staff/:id/unlock', supervisorOnly, (req, res) => {
    unlockStaffMember(context, req.staff!, idParam(req), req.ip ?? null);
    addFlash(req, 'notice', 'Staff member unlocked.');
    res.redirect(303, '/helpdesk/staff');
  });

  router.use(helpdeskContactRequestsRouter(context));
  router.use(helpdeskMessagesRouter(context));

  router.use(notFoundHandler);
  return router;
}
