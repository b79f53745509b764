// The simulator console for people at /sim (PRODUCT.md §2): personas, clock, outbox, reset,
// sandboxes and faults, behind the simulator token pasted once at /sim/login. It drives the same
// services as the simulator API at /sim/api, which is mounted before it and never reaches here.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { DEFAULT_SANDBOX_ID } from '../../context';
import type { SimulatorControls } from '../../simulator';
import { publicAccess } from '../../http/access';
import { authRateLimit } from '../../http/rate-limit';
import { addFlash } from '../../http/sessions';
import { formSecret, formText, parseInput } from '../../http/validation';
import { AppError, type FieldErrors } from '../../lib/errors';
import { sandboxOrigin } from '../../lib/public-url';
import type { Fault } from '../faults/fault-injector';
import { listPersonas, resetSandbox } from '../sim/sim.service';
import { tokenMatches } from '../sim/sim-auth';
import { consoleSignedIn, keepConsoleSessionAfterClockMove, portalSignIn, renewConsoleSession } from './sim-console-auth';
import { CLOCK_STEPS, CONSOLE_SCENARIOS, OUTBOX_PAGE_SIZE, advanceClock, capturedEmail, consoleOverview, openSandboxes, recentEmails } from './sim-console.service';

const FAULT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const loginForm = z.object({ token: formSecret('simulator token', 512) });
const clockForm = z.object({ advance: formText('duration', 64) });
const scenarioForm = z.object({
  scenario: z.unknown().optional().transform((v) => (typeof v === 'string' ? v : '')).pipe(z.enum(CONSOLE_SCENARIOS, { error: 'Choose default or empty.' })),
});

/** An optional text filter: trimmed, and absent when blank. */
const optionalText = (max: number) => z.unknown().optional()
  .transform((v) => (typeof v === 'string' ? v.trim() : ''))
  .pipe(z.string().max(max, `Use at most ${max} characters.`))
  .transform((text) => (text === '' ? undefined : text));

const outboxQuery = z.object({ to: optionalText(320), type: optionalText(64) });

/** An optional number field of a form: absent when blank, else a number within bounds. */
const optionalNumber = (label: string, min: number, max: number, { integer = true } = {}) => optionalText(20)
  .transform((text, ctx) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      ctx.addIssue({ code: 'custom', message: `${label} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}.` });
      return z.NEVER;
    }
    return value;
  });

/** The same bounds the API's POST /sim/api/faults sets, for a form's strings. */
const faultForm = z.object({
  pattern: formText('path pattern', 200).pipe(z.string().startsWith('/', 'Start the pattern with "/", like /cards/*.')),
  method: optionalText(10).pipe(z.enum(FAULT_METHODS, { error: 'Choose a method, or any.' }).optional()),
  latencyMs: optionalNumber('Latency', 0, 30_000),
  status: optionalNumber('Status', 400, 599),
  probability: optionalNumber('Probability', 0, 1, { integer: false }).transform((p) => p ?? 1),
  times: optionalNumber('Times', 1, 1_000_000),
}).refine((f) => f.latencyMs !== undefined || f.status !== undefined, { message: 'Give a latency, a status, or both.', path: ['latencyMs'] });

/** Form values to show again after a refusal: strings only, cut short. */
function echo(body: unknown, names: string[]): Record<string, string> {
  const fields = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.map((name) => [name, typeof fields[name] === 'string' ? (fields[name] as string).slice(0, 200) : '']));
}

/** Where a browser reaches a sandbox: its own host name on the port this request came in on. */
function sandboxUrl(req: Request, id: string): string {
  const port = /:(\d{1,5})$/.exec(req.get('host') ?? '')?.[1];
  const host = id === DEFAULT_SANDBOX_ID ? 'localhost' : `${id}.localhost`;
  return `${req.protocol}://${host}${port ? `:${port}` : ''}`;
}

function describeFault(fault: Fault) {
  return {
    ...fault,
    method: fault.method ?? 'any',
    latency: fault.latencyMs === undefined ? '—' : `${fault.latencyMs} ms`,
    answer: fault.status === undefined ? 'the page' : String(fault.status),
    remaining: fault.times === undefined ? 'until cleared' : String(fault.times - fault.hits),
  };
}

function describeDueWork(due: { transactionSteps: number; temporaryLimitsEnded: number; deactivated: number }): string {
  return `Due work done: ${due.transactionSteps} request status change(s), ${due.temporaryLimitsEnded} temporary limit(s) ended, ${due.deactivated} user(s) made inactive.`;
}

export function simConsoleRouter(context: AppContext, simulator: SimulatorControls): Router {
  const router = Router();
  const limitTokenGuessing = authRateLimit(context);

  const render = (res: Response, status: number, view: string, title: string, locals: Record<string, unknown> = {}) => {
    res.status(status).render(`sim-console/${view}`, { title: `${title} · Simulator`, heading: title, section: view, sandboxId: context.sandboxId, errors: {}, values: {}, error: null, ...locals });
  };

  /** Refusals a service gives (bad input, a limit, a conflict) are shown on the page; anything else is the error handler's. */
  const showRefusal = (next: NextFunction, err: unknown, show: (error: AppError) => void) => {
    if (err instanceof AppError && err.status < 500) return show(err);
    next(err);
  };

  const renderSandboxes = (req: Request, res: Response, status: number, locals: Record<string, unknown> = {}) => {
    const sandboxes = openSandboxes(simulator, context.sandboxId).map((sandbox) => ({ ...sandbox, url: sandboxUrl(req, sandbox.id) }));
    render(res, status, 'sandboxes', 'Sandboxes', { sandboxes, scenarios: CONSOLE_SCENARIOS, values: { scenario: 'default' }, ...locals });
  };

  const renderFaults = (res: Response, status: number, locals: Record<string, unknown> = {}) => {
    render(res, status, 'faults', 'Faults', { faults: context.faults.list().map(describeFault), methods: FAULT_METHODS, values: { probability: '1' }, ...locals });
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
    render(res, 200, 'overview', 'Simulator console', { overview: consoleOverview(context) });
  });

  // GET /sim/personas — every seeded person with credentials and current state.
  router.get('/sim/personas', consoleSignedIn, (_req, res) => {
    render(res, 200, 'personas', 'Personas', { personas: listPersonas(context) });
  });

  // GET /sim/clock — the simulated now, and the controls that move it.
  router.get('/sim/clock', consoleSignedIn, (_req, res) => {
    render(res, 200, 'clock', 'Clock', { now: context.clock.now().toISOString(), steps: CLOCK_STEPS });
  });

  // POST /sim/clock — moves simulated time forward by a step or a typed duration, then does the due work.
  router.post('/sim/clock', consoleSignedIn, (req, res, next) => {
    const values = echo(req.body, ['advance']);
    const refuse = (errors: FieldErrors) => render(res, 400, 'clock', 'Clock', { now: context.clock.now().toISOString(), steps: CLOCK_STEPS, values, errors });
    const form = parseInput(clockForm, req.body);
    if (!form.ok) return refuse(form.errors);
    let move;
    try {
      move = advanceClock(context, form.data.advance);
    } catch (err) {
      return showRefusal(next, err, (error) => refuse(error.fields ?? { advance: error.message }));
    }
    keepConsoleSessionAfterClockMove(req, context.clock.nowMs(), context.config.rules, (err, endedSignIn) => {
      if (err) return next(err);
      addFlash(req, 'notice', `Clock moved forward ${form.data.advance}: ${move.from} → ${move.to}. ${describeDueWork(move.due)}`);
      if (endedSignIn) addFlash(req, 'notice', 'The portal sign-in in this browser has timed out on the simulated clock.');
      res.redirect(303, '/sim/clock');
    });
  });

  // GET /sim/outbox?to=&type= — captured e-mails, newest first.
  router.get('/sim/outbox', consoleSignedIn, (req, res) => {
    const query = parseInput(outboxQuery, req.query);
    const values = echo(req.query, ['to', 'type']);
    if (!query.ok) return render(res, 400, 'outbox', 'Outbox', { messages: [], total: 0, pageSize: OUTBOX_PAGE_SIZE, values, errors: query.errors });
    render(res, 200, 'outbox', 'Outbox', { ...recentEmails(context, query.data, sandboxOrigin(req, context.config, context.sandboxId)), pageSize: OUTBOX_PAGE_SIZE, values });
  });

  // POST /sim/outbox/clear — forgets every captured e-mail.
  router.post('/sim/outbox/clear', consoleSignedIn, (req, res) => {
    const deleted = context.outbox.clear();
    addFlash(req, 'notice', `Outbox cleared: ${deleted} e-mail(s) deleted.`);
    res.redirect(303, '/sim/outbox');
  });

  // GET /sim/outbox/:id — one e-mail: its text, its HTML as source (never rendered), its parsed data.
  router.get('/sim/outbox/:id', consoleSignedIn, (req, res, next) => {
    const raw = String(req.params.id);
    const email = /^\d{1,15}$/.test(raw) ? capturedEmail(context, Number(raw), sandboxOrigin(req, context.config, context.sandboxId)) : undefined;
    if (!email) return next(new AppError(404, 'not_found', 'There is no captured e-mail with that number.'));
    const data = Object.entries(email.data).map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return { key, text, link: /^https?:\/\//.test(text) ? text : null };
    });
    render(res, 200, 'email', `E-mail ${email.id}`, { email, data });
  });

  // GET /sim/reset — choose the scenario to restore.
  router.get('/sim/reset', consoleSignedIn, (_req, res) => {
    render(res, 200, 'reset', 'Reset', { scenarios: CONSOLE_SCENARIOS, values: { scenario: 'default' } });
  });

  // POST /sim/reset — restores the sandbox to a scenario: data, clock, outbox and every session but the console's.
  router.post('/sim/reset', consoleSignedIn, async (req, res, next) => {
    const form = parseInput(scenarioForm, req.body);
    if (!form.ok) return render(res, 400, 'reset', 'Reset', { scenarios: CONSOLE_SCENARIOS, values: echo(req.body, ['scenario']), errors: form.errors });
    let restored;
    try {
      restored = await resetSandbox(simulator, context.sandboxId, form.data.scenario);
    } catch (err) {
      return showRefusal(next, err, (error) => render(res, error.status, 'reset', 'Reset', { scenarios: CONSOLE_SCENARIOS, values: echo(req.body, ['scenario']), error }));
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
    const form = parseInput(scenarioForm, req.body);
    if (!form.ok) return renderSandboxes(req, res, 400, { values: echo(req.body, ['scenario']), errors: form.errors });
    try {
      const sandbox = await simulator.sandboxes.create(form.data.scenario);
      addFlash(req, 'notice', `Sandbox ${sandbox.id} created from the ${sandbox.scenario} scenario: ${sandboxUrl(req, sandbox.id)}`);
      res.redirect(303, '/sim/sandboxes');
    } catch (err) {
      showRefusal(next, err, (error) => renderSandboxes(req, res, error.status, { error }));
    }
  });

  // POST /sim/sandboxes/:id/delete — closes a sandbox and removes its file.
  router.post('/sim/sandboxes/:id/delete', consoleSignedIn, (req, res) => {
    const id = String(req.params.id);
    const refuse = (error: AppError) => renderSandboxes(req, res, error.status, { error });
    if (id === DEFAULT_SANDBOX_ID) return refuse(new AppError(409, 'default_sandbox', 'The default sandbox cannot be deleted; reset it instead.'));
    // This request runs on the sandbox's own database, which deleting would close under it.
    if (id === context.sandboxId) return refuse(new AppError(409, 'current_sandbox', 'This console belongs to that sandbox: delete it from another sandbox\'s console.'));
    if (!simulator.sandboxes.remove(id)) return refuse(new AppError(404, 'not_found', 'There is no sandbox with that id.'));
    addFlash(req, 'notice', `Sandbox ${id} deleted.`);
    res.redirect(303, '/sim/sandboxes');
  });

  // GET /sim/faults — the faults active in this sandbox.
  router.get('/sim/faults', consoleSignedIn, (_req, res) => renderFaults(res, 200));

  // POST /sim/faults — injects latency or an error status on matching routes.
  router.post('/sim/faults', consoleSignedIn, (req, res) => {
    const form = parseInput(faultForm, req.body);
    if (!form.ok) return renderFaults(res, 400, { values: echo(req.body, ['pattern', 'method', 'latencyMs', 'status', 'probability', 'times']), errors: form.errors });
    const fault = context.faults.add(form.data);
    addFlash(req, 'notice', `Fault ${fault.id} added on ${fault.pattern}.`);
    res.redirect(303, '/sim/faults');
  });

  // POST /sim/faults/clear — clears every fault.
  router.post('/sim/faults/clear', consoleSignedIn, (req, res) => {
    addFlash(req, 'notice', `Faults cleared: ${context.faults.clear()}.`);
    res.redirect(303, '/sim/faults');
  });

  // POST /sim/faults/:id/delete — clears one fault.
  router.post('/sim/faults/:id/delete', consoleSignedIn, (req, res) => {
    const id = String(req.params.id);
    if (!context.faults.remove(id)) return renderFaults(res, 404, { error: new AppError(404, 'not_found', 'There is no such fault: it may have run its course.') });
    addFlash(req, 'notice', `Fault ${id} cleared.`);
    res.redirect(303, '/sim/faults');
  });

  return router;
}
