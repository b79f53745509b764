// The Access Center's pages: the program's administrators, enrolling one, changing one's rights,
// scope and state, and the access report. Every route needs `access.manage` (the primary PA holds it).
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { requirePermission } from '../../http/access';
import { wantsJson } from '../../http/errors';
import { addFlash } from '../../http/sessions';
import { formList, parseInput } from '../../http/validation';
import { AppError, type FieldErrors } from '../../lib/errors';
import { csvRecord, UTF8_BOM } from '../../lib/csv';
import { ALL_PERMISSIONS, PERMISSIONS } from '../permissions/permissions';
import { chosenScope, enrollmentForm, formInput, rightsForm, scopeForm, sentValues } from './access-forms';
import { ACCESS_REPORT_COLUMNS, accessReportRecord } from './access-report';
import {
  administratorInView, administratorsInView, changeRights, changeScope, deactivateAdministrator, enrollAdministrator, grantOptions,
  reactivateAdministrator, type ManagedAdministrator,
} from './access.service';

const manages = requirePermission('access.manage');
const invalid = () => new AppError(400, 'invalid_input', 'Please correct the fields marked below.');

export function accessRouter(context: AppContext): Router {
  const router = Router();
  const paId = (req: Request) => (/^\d{1,12}$/.test(String(req.params.paId)) ? Number(req.params.paId) : Number.NaN);
  const meta = (req: Request) => ({ sourceIp: req.ip ?? null });

  function renderEnrollment(req: Request, res: Response, status: number, locals: { values?: Record<string, string>; errors?: FieldErrors; error?: AppError; picked?: { permissions: string[]; scope: string[] } } = {}): void {
    res.status(status).render('access/new', {
      title: 'Add a program administrator', options: grantOptions(context, req.user!),
      values: locals.values ?? { scopeKind: req.user!.scope === null ? 'company' : 'accounts' },
      picked: locals.picked ?? { permissions: [], scope: [] }, errors: locals.errors ?? {}, error: locals.error ?? null,
    });
  }

  function renderAdministrator(req: Request, res: Response, status: number, locals: { errors?: FieldErrors; error?: AppError } = {}): void {
    const managed = administratorInView(context, req.user!, paId(req));
    const options = grantOptions(context, req.user!);
    const grantable = new Set(options.rights.map((right) => right.permission));
    res.status(status).render('access/administrator', {
      title: `Access of ${managed.name}`, managed, options,
      own: managed.id === req.user!.id,
      rights: ALL_PERMISSIONS.map((permission) => ({
        permission, label: PERMISSIONS[permission], held: managed.permissions.includes(permission), changeable: grantable.has(permission),
      })),
      scopeNumbers: managed.scope?.map((root) => root.number) ?? [],
      errors: locals.errors ?? {}, error: locals.error ?? null,
    });
  }

  /** Runs a change to one administrator: done, back to their page with the tracking number; refused, their page with why. */
  function change(done: string, act: (req: Request) => { trackingNumber: string } | AppError) {
    return (req: Request, res: Response) => {
      let outcome: { trackingNumber: string } | AppError;
      try {
        outcome = act(req);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        outcome = err;
      }
      if (outcome instanceof AppError) {
        if (wantsJson(req)) throw outcome;
        return renderAdministrator(req, res, outcome.status, { error: outcome, errors: outcome.fields ?? {} });
      }
      addFlash(req, 'notice', `${done} Tracking number ${outcome.trackingNumber}.`);
      res.redirect(303, `/access/${paId(req)}`);
    };
  }

  // GET /access — the program's administrators in the manager's view: state, rights, scope, last sign-in.
  router.get('/access', manages, (req, res) => {
    res.render('access/index', { title: 'Access Center', administrators: administratorsInView(context, req.user!), me: req.user!.id });
  });

  // GET /access/new — the form to enroll a program administrator.
  router.get('/access/new', manages, (req, res) => renderEnrollment(req, res, 200));

  // POST /access/new — enrolls them: pending, Welcome e-mail with the Access Code, a tracking number.
  router.post('/access/new', manages, async (req, res) => {
    const values = sentValues(req.body);
    const picked = { permissions: formList(req.body, 'permissions'), scope: formList(req.body, 'scope') };
    const form = parseInput(enrollmentForm, formInput(req.body));
    if (!form.ok) return renderEnrollment(req, res, 400, { values, picked, errors: form.errors, error: invalid() });
    try {
      const enrolled = await enrollAdministrator(context, req.user!, { ...form.data, scope: chosenScope(form.data) }, meta(req));
      addFlash(req, 'notice', `${form.data.firstName} ${form.data.lastName} is enrolled: their Welcome e-mail with the Access Code is on its way. Tracking number ${enrolled.trackingNumber}.`);
      res.redirect(303, `/access/${enrolled.paId}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || wantsJson(req)) throw err;
      renderEnrollment(req, res, err.status, { values, picked, errors: err.fields ?? {}, error: err });
    }
  });

  // GET /access/report — who holds which right and scope, with the last sign-in.
  router.get('/access/report', manages, (req, res) => {
    res.render('access/report', { title: 'Access report', administrators: administratorsInView(context, req.user!), rights: ALL_PERMISSIONS });
  });

  // GET /access/report.csv — the access report as CSV, one administrator a line.
  router.get('/access/report.csv', manages, (req, res) => {
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="access-report-${new Date(context.clock.nowMs()).toISOString().slice(0, 10)}.csv"`);
    const lines = administratorsInView(context, req.user!).map((managed: ManagedAdministrator) => csvRecord(accessReportRecord(managed)));
    res.send(`${UTF8_BOM}${csvRecord(ACCESS_REPORT_COLUMNS)}${lines.join('')}`);
  });

  // GET /access/:paId — one administrator: their rights and scope to change, deactivate or reactivate.
  router.get('/access/:paId', manages, (req, res) => renderAdministrator(req, res, 200));

  // POST /access/:paId/permissions — sets their rights (a permission_change transaction).
  router.post('/access/:paId/permissions', manages, change('Their rights are changed.', (req) => {
    const form = parseInput(rightsForm, formInput(req.body));
    if (!form.ok) return new AppError(400, 'invalid_input', 'Choose rights from the list.', form.errors);
    return changeRights(context, req.user!, paId(req), form.data.permissions, meta(req));
  }));

  // POST /access/:paId/scope — sets their scope: the whole company or control accounts (a scope_change transaction).
  router.post('/access/:paId/scope', manages, change('Their scope is changed.', (req) => {
    const form = parseInput(scopeForm, formInput(req.body));
    if (!form.ok) return new AppError(400, 'invalid_input', 'Please correct the scope.', form.errors);
    return changeScope(context, req.user!, paId(req), chosenScope(form.data), meta(req));
  }));

  // POST /access/:paId/deactivate — they cannot sign in any more; their sessions end now.
  router.post('/access/:paId/deactivate', manages, change('The User ID is deactivated.',
    (req) => deactivateAdministrator(context, req.user!, paId(req), meta(req))));

  // POST /access/:paId/reactivate — an inactive administrator can sign in again.
  router.post('/access/:paId/reactivate', manages, change('The User ID is reactivated.',
    (req) => reactivateAdministrator(context, req.user!, paId(req), meta(req))));

  return router;
}
