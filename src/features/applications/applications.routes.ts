// Card applications that wait for approval: the invitation, the employee's public form behind the
// e-mailed link, Track Applications, and the approvers' decisions.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { publicAccess, requirePermission, signedIn } from '../../http/access';
import { authRateLimit } from '../../http/rate-limit';
import { addFlash } from '../../http/sessions';
import { formPhone, parseInput } from '../../http/validation';
import type { FieldErrors } from '../../lib/errors';
import { parseDollars } from '../../lib/money';
import { CARD_TIERS } from '../cards/card-catalogue';
import {
  approveApplication, cancelApplication, rejectApplication, rerouteApplication, rerouteTargets, type DecisionResult,
} from './application-decisions';
import {
  applicationFor, completeApplication, invitationAccounts, invitationBehind, invitationProblems, inviteEmployee, trackApplications, type ApplicationView,
} from './applications.service';

const text = (max: number) => z.unknown().optional().transform((v) => (typeof v === 'string' ? v.trim().slice(0, max) : ''));
const PERSON_NAME = /^[\p{L}\p{M} .'-]+$/u;
/** Plain text only: no control characters in a one-line field. */
const ONE_LINE = /^[^\p{Cc}]*$/u;

const invitationForm = z.object({
  employeeName: text(100).pipe(z.string().min(2, 'Enter the employee\'s full name.').regex(PERSON_NAME, 'Use letters, spaces, dots, hyphens and apostrophes.')),
  employeeEmail: text(320).pipe(z.string().min(1, 'Enter the employee\'s e-mail address.').pipe(z.email('Enter an e-mail address like name@example.com.'))),
  controlAccount: text(40).pipe(z.string().min(1, 'Choose a control account from the list.')),
  tier: z.enum(CARD_TIERS, { error: 'Choose a card type.' }),
  requestedLimit: text(20),
});
const INVITATION_FIELDS = ['employeeName', 'employeeEmail', 'controlAccount', 'tier', 'requestedLimit'] as const;

const employeeForm = z.object({
  jobTitle: text(80).pipe(z.string().min(2, 'Enter your job title.').regex(ONE_LINE, 'Use plain text only.')),
  phone: formPhone(),
  agree: z.literal('yes', { error: 'Confirm that the details are right and that you accept the cardmember agreement.' }),
});
const EMPLOYEE_FIELDS = ['jobTitle', 'phone'] as const;

const rerouteForm = z.object({ approver: text(64), note: text(600).pipe(z.string().regex(ONE_LINE, 'Use plain text only.')) });
const reasonForm = z.object({ reason: text(600).pipe(z.string().regex(ONE_LINE, 'Use plain text only.')) });

/** What was typed into these fields, to show it again. */
function typed(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((name) => [name, typeof source[name] === 'string' ? (source[name] as string).slice(0, 320) : '']));
}

const when = (at: number | null) => (at === null ? '' : `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

export function applicationsRouter(context: AppContext): Router {
  const router = Router();
  const limit = authRateLimit(context);
  const meta = (req: Request) => ({ sourceIp: req.ip ?? null });

  const renderInvite = (req: Request, res: Response, status: number, values: Record<string, string>, errors: FieldErrors) =>
    res.status(status).render('applications/invite', {
      title: 'Invite an employee to apply', values, errors, tiers: CARD_TIERS,
      accounts: invitationAccounts(context, req.user!).map((a) => [a.number, `${a.name} (${a.number})`]),
    });

  // GET /applications — Track Applications: the company's applications in the PA's scope, each with its steps.
  router.get('/applications', signedIn, (req, res) => {
    const applications = trackApplications(context, req.user!);
    res.render('applications/list', { title: 'Track Applications', applications, when, canInvite: req.user!.permissions.includes('cards.apply') });
  });

  // GET /applications/invite — the invitation form.
  router.get('/applications/invite', requirePermission('cards.apply'), (req, res) => renderInvite(req, res, 200, {}, {}));

  // POST /applications/invite — e-mails the employee a single-use link and records the application as invited.
  router.post('/applications/invite', requirePermission('cards.apply'), (req, res) => {
    const values = typed(req.body, INVITATION_FIELDS);
    const form = parseInput(invitationForm, req.body);
    const limitCents = parseDollars(values.requestedLimit ?? '');
    if (!form.ok) {
      // The account and the limit are checked along with the rest, so every problem shows at once.
      return renderInvite(req, res, 400, values, { ...invitationProblems(context, req.user!, values.controlAccount ?? '', limitCents), ...form.errors });
    }
    const result = inviteEmployee(context, req.user!, { ...form.data, limitCents }, context.clock.nowMs(), meta(req));
    if (!result.ok) return renderInvite(req, res, 400, values, result.errors);
    addFlash(req, 'notice', `The invitation is on its way to ${form.data.employeeEmail}. The application's tracking number is ${result.trackingNumber}.`);
    res.redirect(303, `/applications/${result.trackingNumber}`);
  });

  const renderApplication = (req: Request, res: Response, status: number, application: ApplicationView, locals: Record<string, unknown> = {}) =>
    res.status(status).render('applications/detail', {
      title: `Application ${application.tracking_number}`, application, when, me: req.user!.id,
      canDecide: req.user!.permissions.includes('cards.approve') && application.state === 'awaiting_approval' && application.invited_by_pa_id !== req.user!.id
        && (application.assignee_pa_id === null || application.assignee_pa_id === req.user!.id),
      canCancel: (application.state === 'invited' || application.state === 'awaiting_approval')
        && (application.invited_by_pa_id === req.user!.id || req.user!.permissions.includes('cards.approve')),
      approvers: rerouteTargets(context, req.user!, application), values: {}, errors: {}, failedForm: null, ...locals,
    });

  // GET /applications/:trackingNumber — one application: its details, steps, and the decisions open to this PA.
  router.get('/applications/:trackingNumber', signedIn, (req, res) => {
    renderApplication(req, res, 200, applicationFor(context, req.user!, String(req.params.trackingNumber).toUpperCase()));
  });

  /** Answers a decision: back to the application with a notice, or its page with the form's problems. */
  const answerDecision = (req: Request, res: Response, formName: string, fields: readonly string[], decide: (trackingNumber: string) => DecisionResult) => {
    const trackingNumber = String(req.params.trackingNumber).toUpperCase();
    const result = decide(trackingNumber);
    if (!result.ok) {
      return renderApplication(req, res, 400, applicationFor(context, req.user!, trackingNumber), { values: typed(req.body, fields), errors: result.errors, failedForm: formName });
    }
    addFlash(req, 'notice', result.notice);
    res.redirect(303, `/applications/${trackingNumber}`);
  };
  const decider = (req: Request, trackingNumber: string) => ({ context, user: req.user!, trackingNumber, sourceIp: req.ip ?? null });

  // POST /applications/:trackingNumber/approve — approves; the last approval the rules ask for sends it for processing.
  router.post('/applications/:trackingNumber/approve', requirePermission('cards.approve'), (req, res) => {
    answerDecision(req, res, 'approve', [], (tn) => approveApplication(decider(req, tn)));
  });

  // POST /applications/:trackingNumber/reroute — hands the decision to another approver, with a note.
  router.post('/applications/:trackingNumber/reroute', requirePermission('cards.approve'), (req, res) => {
    answerDecision(req, res, 'reroute', ['approver', 'note'], (tn) => {
      const form = parseInput(rerouteForm, req.body);
      return form.ok ? rerouteApplication(decider(req, tn), form.data) : { ok: false, errors: form.errors };
    });
  });

  // POST /applications/:trackingNumber/reject — rejects, with the reason the inviting PA reads.
  router.post('/applications/:trackingNumber/reject', requirePermission('cards.approve'), (req, res) => {
    answerDecision(req, res, 'reject', ['reason'], (tn) => {
      const form = parseInput(reasonForm, req.body);
      return form.ok ? rejectApplication(decider(req, tn), form.data) : { ok: false, errors: form.errors };
    });
  });

  // POST /applications/:trackingNumber/cancel — the inviting PA or an approver calls it off before it is decided.
  router.post('/applications/:trackingNumber/cancel', signedIn, (req, res) => {
    answerDecision(req, res, 'cancel', ['reason'], (tn) => {
      const form = parseInput(reasonForm, req.body);
      return form.ok ? cancelApplication(decider(req, tn), form.data) : { ok: false, errors: { cancelReason: form.errors.reason ?? 'Use plain text only.' } };
    });
  });

  // The employee's form behind the e-mailed link: no portal sign-in. An unknown, used or expired link
  // all answer the same 410 page, and both requests are rate-limited, so links cannot be guessed.
  const unusable = (res: Response) => res.status(410).render('applications/link-unusable', { title: 'Link no longer works' });
  const renderEmployeeForm = (res: Response, status: number, token: string, invitation: NonNullable<ReturnType<typeof invitationBehind>>,
    values: Record<string, string>, errors: FieldErrors) =>
    res.status(status).render('applications/apply', { title: 'Apply for your Corporate Card', token, invitation, values, errors });

  // GET /apply/:token — the employee's application form, while the link is good.
  router.get('/apply/:token', publicAccess, limit, (req, res) => {
    const token = String(req.params.token);
    const invitation = invitationBehind(context, token);
    if (!invitation) return unusable(res);
    renderEmployeeForm(res, 200, token, invitation, {}, {});
  });

  // POST /apply/:token — the completed application: the link is used up and the application waits for an approver.
  router.post('/apply/:token', publicAccess, limit, (req, res) => {
    const token = String(req.params.token);
    const invitation = invitationBehind(context, token);
    if (!invitation) return unusable(res);
    const form = parseInput(employeeForm, req.body);
    if (!form.ok) return renderEmployeeForm(res, 400, token, invitation, typed(req.body, EMPLOYEE_FIELDS), form.errors);
    if (!completeApplication(context, token, { jobTitle: form.data.jobTitle, phone: form.data.phone || null }, req.ip ?? null)) return unusable(res);
    res.render('applications/applied', { title: 'Application received', invitation });
  });

  return router;
}
