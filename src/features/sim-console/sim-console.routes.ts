// The simulator console for people at /sim (PRODUCT.md §2): personas, clock, outbox, reset,
// text messages, sandboxes and faults, behind the simulator token pasted once at /sim/login. It is the page face of
// SimulatorControlService, as the simulator API at /sim/api (mounted before it) is the JSON face.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { publicAccess } from '../../http/access';
import { authRateLimit } from '../../http/rate-limit';
import { addFlash } from '../../http/sessions';
import { formSecret, formText, parseInput } from '../../http/validation';
import { AppError } from '../../lib/errors';
import { sandboxOrigin, sandboxUrl } from '../../lib/public-url';
import { DEFAULT_SANDBOX_ID } from '../../lib/sandbox-id';
import type { Fault } from '../faults/fault-injector';
import type { SimulatorControls } from '../sandboxes/simulator-controls';
import type { DueWorkReport } from '../scheduler/due-work';
import { tokenMatches } from '../sim/sim-auth';
import { SimulatorControlService } from '../sim/sim-controls.service';
import { FAULT_METHODS, SANDBOX_SCENARIOS } from '../sim/sim-schemas';
import { consoleSignedIn, keepConsoleSessionAfterClockMove, portalSignIn, renewConsoleSession } from './sim-console-auth';
import {
  CLOCK_STEPS, OUTBOX_PAGE_SIZE, SMS_FAULT_TIMES_FIELD, faultFromForm, outboxFilterFromForm, recentEmails, recentTexts, smsFilterFromForm,
} from './sim-console.service';
import { SMS_TYPES } from '../sms/sms.service';

const loginForm = z.object({ token: formSecret('simulator token', 512) });
const clockForm = z.object({ advance: formText('duration', 64) });
/** The scenario a person picked; the controls check it, this only makes a missing one blank. */
const chosenScenario = (body: unknown) => {
  const value = (body as Record<string, unknown> | undefined)?.scenario;
  return typeof value === 'string' ? value : '';
};

/** Form values to show again after a refusal: strings only, cut short. */
function echo(body: unknown, names: string[]): Record<string, string> {
  const fields = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.map((name) => [name, typeof fields[name] === 'string' ? (fields[name] as string).slice(0, 200) : '']));
}

function describeFault(fault: Fault) {
  const remaining = fault.times === undefined ? 'until cleared' : String(fault.times - fault.hits);
  if (fault.kind === 'sms_undelivered') return { ...fault, pattern: `texts to ${fault.phone}`, method: '—', latency: '—', answer: 'text lost', remaining };
  return {
    ...fault,
    method: fault.method ?? 'any',
    latency: fault.latencyMs === undefined ? '—' : `${fault.latencyMs} ms`,
    answer: fault.status === undefined ? 'the page' : String(fault.status),
    remaining: fault.times === undefined ? 'until cleared' : String(fault.times - fault.hits),
  };
}

function describeDueWork(due: DueWorkReport): string {
  return `Due work done: ${due.transactionSteps} request status change(s), ${due.temporaryLimitsEnded} temporary limit(s) ended, ${due.deactivated} user(s) made inactive, ${due.messagesOverdue} secure message(s) overdue and escalated, ${due.reportsDue} scheduled report(s) due.`;
}

/** The scenarios the console offers to reset to; `large` takes half a minute, so scripts ask for it. */
const resetForm = z.object({
  scenario: z.unknown().optional().transform((v) => (typeof v === 'string' ? v : '')).pipe(z.enum(SANDBOX_SCENARIOS, { error: 'Choose default or empty.' })),
});

export function simConsoleRouter(context: AppContext, simulator: SimulatorControls): Router {
  const router = Router();
  const controls = new SimulatorControlService(context, simulator);
  const limitTokenGuessing = authRateLimit(context);
  const origin = (req: Request) => sandboxOrigin(req, context.config, context.sandboxId);

  const render = (res: Response, status: number, view: string, title: string, locals: Record<string, unknown> = {}) => {
    res.status(status).render(`sim-console/${view}`, { title: `${title} · Simulator`, heading: title, section: view, sandboxId: context.sandboxId, errors: {}, values: {}, error: null, ...locals });
  };

  /** Refusals the controls give (bad input, a limit, a conflict) are shown on the page; anything else is the error handler's. */
  const showRefusal = (next: NextFunction, err: unknown, show: (error: AppError) => void) => {
    if (err instanceof AppError && err.status < 500) return show(err);
    next(err);
  };

  /** A refusal with field messages marks those fields; any other is said at the top of the page. */
  const refusalLocals = (error: AppError) => (error.fields ? { errors: error.fields } : { error });

  const renderSandboxes = (req: Request, res: Response, status: number, locals: Record<string, unknown> = {}) => {
    const sandboxes = controls.sandboxes().map((sandbox) => ({
      ...sandbox, url: sandboxUrl(req, context.config, sandbox.id),
      current: sandbox.id === context.sandboxId,
      // Never the default (it is reset instead), nor the one this console runs in, whose database holds its session.
      deletable: sandbox.id !== DEFAULT_SANDBOX_ID && sandbox.id !== context.sandboxId,
    }));
    render(res, status, 'sandboxes', 'Sandboxes', { sandboxes, scenarios: SANDBOX_SCENARIOS, values: { scenario: 'default' }, ...locals });
  };

  const renderFaults = (res: Response, status: number, locals: Record<string, unknown> = {}) => {
    render(res, status, 'faults', 'Faults', { faults: controls.faults().map(describeFault), methods: FAULT_METHODS, values: { probability: '1' }, ...locals });
  };

  const renderClock = (res: Response, status: number, locals: Record<string, unknown> = {}) => {
    render(res, status, 'clock', 'Clock', { ...controls.clock(), steps: CLOCK_STEPS, ...locals });
  };

  // GET /sim/login — the console's sign-in form: paste the simulator token.
  router.get('/sim/login', publicAccess, (req, res) => {
    if (req.session.simConsole === true) return res.redirect('/sim');
    render(res, 200, 'login', 'Simulator console');
  });

  // POST /sim/login — a right token opens the console on a fresh session ID.
  router.post('/sim/login', publicAccess, limitTokenGuessing, (req, res, next) => {
    const form = parseInput(loginForm, req.body);
    if (!form.ok) return render(res, 400, 'login', 'Simulator console', { errors: form.errors });
    if (!tokenMatches(form.data.token, context.simToken)) {
      context.logger.warn({ sourceIp: req.ip ?? null }, 'simulator console: sign-in with a wrong token');
      return render(res, 401, 'login', 'Simulator console', {
        error: new AppError(401, 'invalid_token', 'That is not the simulator token. It is SIM_TOKEN, or the token the server printed at first start (kept in $DATA_DIR/sim-token).'),
      });
    }
    renewConsoleSession(req, context.clock.nowMs(), portalSignIn(req), (err) => {
      if (err) return next(err);
      addFlash(req, 'notice', 'The simulator console is open.');
      res.redirect(303, '/sim');
    });
  });

  // POST /sim/logout — closes the console for this browser; a portal sign-in in it stays.
  router.post('/sim/logout', consoleSignedIn, (req, res) => {
    delete req.session.simConsole;
    addFlash(req, 'notice', 'You have left the simulator console.');
    res.redirect(303, '/sim/login');
  });

  // GET /sim — which sandbox this is, its scenario and simulated now, and the way to each control.
  router.get('/sim', consoleSignedIn, (_req, res) => {
    render(res, 200, 'overview', 'Simulator console', { overview: controls.overview() });
  });

  // GET /sim/personas — every seeded person with credentials and current state.
  router.get('/sim/personas', consoleSignedIn, (_req, res) => {
    render(res, 200, 'personas', 'Personas', { personas: controls.personas() });
  });

  // GET /sim/clock — the simulated now, and the controls that move it.
  router.get('/sim/clock', consoleSignedIn, (_req, res) => renderClock(res, 200));

  // POST /sim/clock — moves simulated time forward by a step or a typed duration, then does the due work.
  router.post('/sim/clock', consoleSignedIn, (req, res, next) => {
    const values = echo(req.body, ['advance']);
    const form = parseInput(clockForm, req.body);
    if (!form.ok) return renderClock(res, 400, { values, errors: form.errors });
    let move;
    try {
      move = controls.moveClock({ advance: form.data.advance });
    } catch (err) {
      return showRefusal(next, err, (error) => renderClock(res, 400, { values, errors: error.fields ?? { advance: error.message } }));
    }
    keepConsoleSessionAfterClockMove(req, context.clock.nowMs(), context.config.rules, (err, endedSignIn) => {
      if (err) return next(err);
      addFlash(req, 'notice', `Clock moved forward ${form.data.advance}: ${move.from} → ${move.to}. ${describeDueWork(move.due)}`);
      if (endedSignIn) addFlash(req, 'notice', 'The portal sign-in in this browser has timed out on the simulated clock.');
      res.redirect(303, '/sim/clock');
    });
  });

  // GET /sim/outbox?to=&type= — captured e-mails, newest first.
  router.get('/sim/outbox', consoleSignedIn, (req, res, next) => {
    const values = echo(req.query, ['to', 'type']);
    try {
      render(res, 200, 'outbox', 'Outbox', { ...recentEmails(controls, outboxFilterFromForm(req.query), origin(req)), pageSize: OUTBOX_PAGE_SIZE, values });
    } catch (err) {
      showRefusal(next, err, (error) => render(res, 400, 'outbox', 'Outbox', { messages: [], total: 0, pageSize: OUTBOX_PAGE_SIZE, values, ...refusalLocals(error) }));
    }
  });

  // POST /sim/outbox/clear — forgets every captured e-mail.
  router.post('/sim/outbox/clear', consoleSignedIn, (req, res) => {
    addFlash(req, 'notice', `Outbox cleared: ${controls.clearOutbox()} e-mail(s) deleted.`);
    res.redirect(303, '/sim/outbox');
  });

  // GET /sim/outbox/:id — one e-mail: its text, its HTML as source (never rendered), its parsed data.
  router.get('/sim/outbox/:id', consoleSignedIn, (req, res, next) => {
    const raw = String(req.params.id);
    const email = /^\d{1,15}$/.test(raw) ? controls.email(Number(raw), origin(req)) : undefined;
    if (!email) return next(new AppError(404, 'not_found', 'There is no captured e-mail with that number.'));
    const data = Object.entries(email.data).map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return { key, text, link: /^https?:\/\//.test(text) ? text : null };
    });
    render(res, 200, 'email', `E-mail ${email.id}`, { email, data });
  });

  // GET /sim/sms?to=&type= — captured text messages, newest first, each with its parsed data (a sign-in code).
  router.get('/sim/sms', consoleSignedIn, (req, res, next) => {
    const values = echo(req.query, ['to', 'type']);
    const locals = { pageSize: OUTBOX_PAGE_SIZE, values, types: SMS_TYPES };
    try {
      render(res, 200, 'sms', 'Text messages', { ...recentTexts(controls, smsFilterFromForm(req.query)), ...locals });
    } catch (err) {
      showRefusal(next, err, (error) => render(res, 400, 'sms', 'Text messages', { messages: [], total: 0, ...locals, ...refusalLocals(error) }));
    }
  });

  // POST /sim/sms/clear — forgets every captured text message.
  router.post('/sim/sms/clear', consoleSignedIn, (req, res) => {
    addFlash(req, 'notice', `Text messages cleared: ${controls.clearSms()} text(s) deleted.`);
    res.redirect(303, '/sim/sms');
  });

  // GET /sim/reset — choose the scenario to restore.
  router.get('/sim/reset', consoleSignedIn, (_req, res) => {
    render(res, 200, 'reset', 'Reset', { scenarios: SANDBOX_SCENARIOS, values: { scenario: 'default' } });
  });

  // POST /sim/reset — restores the sandbox to a scenario: data, clock, outbox and every session but the console's.
  router.post('/sim/reset', consoleSignedIn, async (req, res, next) => {
    const refuse = (status: number, locals: Record<string, unknown>) =>
      render(res, status, 'reset', 'Reset', { scenarios: SANDBOX_SCENARIOS, values: echo(req.body, ['scenario']), ...locals });
    const form = parseInput(resetForm, req.body);
    if (!form.ok) return refuse(400, { errors: form.errors });
    let restored;
    try {
      restored = await controls.reset({ scenario: form.data.scenario });
    } catch (err) {
      return showRefusal(next, err, (error) => refuse(error.status, refusalLocals(error)));
    }
    // The reset emptied the session table too: the console carries on in a session of its own.
    renewConsoleSession(req, context.clock.nowMs(), {}, (err) => {
      if (err) return next(err);
      addFlash(req, 'notice', `Sandbox ${context.sandboxId} reset to the ${restored.scenario} scenario: ${restored.personas.length} personas, clock at ${context.clock.now().toISOString()}.`);
      res.redirect(303, '/sim');
    });
  });

  // GET /sim/sandboxes — every open sandbox with its address.
  router.get('/sim/sandboxes', consoleSignedIn, (req, res) => renderSandboxes(req, res, 200));

  // POST /sim/sandboxes — a new isolated copy of a scenario.
  router.post('/sim/sandboxes', consoleSignedIn, async (req, res, next) => {
    try {
      const sandbox = await controls.createSandbox({ scenario: chosenScenario(req.body) });
      addFlash(req, 'notice', `Sandbox ${sandbox.id} created from the ${sandbox.scenario} scenario: ${sandboxUrl(req, context.config, sandbox.id)}`);
      res.redirect(303, '/sim/sandboxes');
    } catch (err) {
      showRefusal(next, err, (error) => renderSandboxes(req, res, error.status, { values: echo(req.body, ['scenario']), ...refusalLocals(error) }));
    }
  });

  // POST /sim/sandboxes/:id/delete — closes a sandbox and removes its file.
  router.post('/sim/sandboxes/:id/delete', consoleSignedIn, (req, res, next) => {
    const id = String(req.params.id);
    try {
      // This request runs on the sandbox's own database (its console session is there), which deleting would close under it.
      if (id === context.sandboxId && id !== DEFAULT_SANDBOX_ID) throw new AppError(409, 'current_sandbox', 'This console belongs to that sandbox: delete it from another sandbox\'s console.');
      controls.deleteSandbox(id);
    } catch (err) {
      return showRefusal(next, err, (error) => renderSandboxes(req, res, error.status, { error }));
    }
    addFlash(req, 'notice', `Sandbox ${id} deleted.`);
    res.redirect(303, '/sim/sandboxes');
  });

  // GET /sim/faults — the faults active in this sandbox.
  router.get('/sim/faults', consoleSignedIn, (_req, res) => renderFaults(res, 200));

  // POST /sim/faults — injects latency or an error status on matching routes, or (kind sms_undelivered) loses the texts to a number.
  router.post('/sim/faults', consoleSignedIn, (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lostTexts = body.kind === 'sms_undelivered';
    let fault;
    try {
      fault = controls.addFault(faultFromForm(body));
    } catch (err) {
      return showRefusal(next, err, (error) => {
        const values = echo(body, ['pattern', 'method', 'latencyMs', 'status', 'probability', 'times', 'phone', SMS_FAULT_TIMES_FIELD]);
        // The lost-texts form names its count differently from the route form's: mark the field it has.
        const fields = lostTexts && error.fields ? Object.fromEntries(Object.entries(error.fields).map(([key, text]) => [key === 'times' ? SMS_FAULT_TIMES_FIELD : key, text])) : error.fields;
        renderFaults(res, 400, { values, ...(fields ? { errors: fields } : { error }) });
      });
    }
    addFlash(req, 'notice', fault.kind === 'sms_undelivered' ? `Fault ${fault.id} added: texts to ${fault.phone} are lost.` : `Fault ${fault.id} added on ${fault.pattern}.`);
    res.redirect(303, '/sim/faults');
  });

  // POST /sim/faults/clear — clears every fault.
  router.post('/sim/faults/clear', consoleSignedIn, (req, res) => {
    addFlash(req, 'notice', `Faults cleared: ${controls.clearFaults()}.`);
    res.redirect(303, '/sim/faults');
  });

  // POST /sim/faults/:id/delete — clears one fault.
  router.post('/sim/faults/:id/delete', consoleSignedIn, (req, res, next) => {
    const id = String(req.params.id);
    try {
      controls.removeFault(id);
    } catch (err) {
      return showRefusal(next, err, (error) => renderFaults(res, error.status, { error }));
    }
    addFlash(req, 'notice', `Fault ${id} cleared.`);
    res.redirect(303, '/sim/faults');
  });

  return router;
}
