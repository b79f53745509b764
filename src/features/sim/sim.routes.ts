// The simulator API for QA scripts (PRODUCT.md §3). JSON in and out, bearer-token guarded.
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import type { SimulatorControls } from '../../simulator';
import { simulatorAccess } from '../../http/access';
import { notFoundHandler } from '../../http/errors';
import { parseInput } from '../../http/validation';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { DEFAULT_SANDBOX_ID } from '../../context';
import { sandboxOrigin } from '../../lib/public-url';
import { STORED_LINK_ORIGIN } from '../outbox/outbox.service';
import { enrollProgramAdministrator } from '../accounts/enrollment.service';
import { isPermission, type Permission } from '../permissions/permissions';
import type { Sandbox } from '../sandboxes/sandbox-registry';
import { addCharge, listCardsForScripts, raiseFraudAlert } from './sim-events.service';
import { currentScenarioName } from './sim.repository';
import { parseDuration } from '../../lib/duration';
import { runDueWork } from '../scheduler/due-work';
import { requireSimToken } from './sim-auth';
import { clockState, health, listPersonas, resetSandbox } from './sim.service';
import { OPENAPI_DOCUMENT } from './openapi';

const resetBody = z.object({
  scenario: z.string().max(64).default('default'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
}).strict();

const clockBody = z.union([
  z.object({ advance: z.string().min(1).max(64) }).strict(),
  z.object({ set: z.iso.datetime({ offset: true }) }).strict(),
], { error: 'Send { "advance": "121d" } or { "set": "<ISO-8601 time>" }.' });

const outboxQuery = z.object({
  to: z.string().max(320).optional(),
  type: z.string().max(64).optional(),
});

/** The longest a long poll for mail may wait. */
const MAX_WAIT_MS = 60_000;

const waitQuery = outboxQuery.extend({
  timeoutMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(10_000),
});

const enrollmentBody = z.object({
  company: z.string().min(1).max(200),
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  email: z.email().max(320),
  phone: z.string().max(40).optional(),
  permissions: z.array(z.string().refine(isPermission, 'Unknown permission.')).max(20).default(['cards.view']),
  primary: z.boolean().default(false),
  verificationPin: z.string().regex(/^\d{4,8}$/, 'Use 4 to 8 digits.').optional(),
  verificationWord: z.string().trim().min(3).max(40).regex(/^[\p{L}\p{N}-]+$/u, 'One word of letters, digits or hyphens.').optional(),
}).strict();

const cardsQuery = z.object({ company: z.string().min(1).max(200).optional() });

const fraudAlertBody = z.object({ userId: z.string().min(1).max(64) }).strict();

const chargeBody = z.object({
  cardId: z.number().int().positive(),
  merchant: z.string().trim().min(1).max(100),
  amountCents: z.number().int().min(1).max(100_000_000),
  declineReason: z.string().trim().min(1).max(200).optional(),
  daysAgo: z.number().int().min(0).max(365).optional(),
}).strict();

const faultBody = z.object({
  pattern: z.string().min(1).max(200).startsWith('/'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  latencyMs: z.number().int().min(0).max(30_000).optional(),
  status: z.number().int().min(400).max(599).optional(),
  probability: z.number().min(0).max(1).default(1),
  times: z.number().int().min(1).max(1_000_000).optional(),
}).strict().refine((f) => f.latencyMs !== undefined || f.status !== undefined, { message: 'Give latencyMs, status, or both.', path: ['latencyMs'] });

const sandboxBody = z.object({
  scenario: z.enum(['default', 'empty']).default('default'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
}).strict();

function describeSandbox(sandbox: Sandbox, _context: AppContext, req?: express.Request) {
  const port = req?.get('host')?.split(':')[1];
  return {
    id: sandbox.id,
    scenario: currentScenarioName(sandbox.context.db),
    now: sandbox.context.clock.now().toISOString(),
    createdAt: new Date(sandbox.createdAt).toISOString(),
    lastUsedAt: new Date(sandbox.lastUsedAt).toISOString(),
    header: { 'X-Sim-Sandbox': sandbox.id },
    ...(req ? { url: `${req.protocol}://${sandbox.id}.localhost${port ? `:${port}` : ''}` } : {}),
  };
}

function invalid(fields: Record<string, string>): AppError {
  return badRequest('invalid_input', 'The request is not valid.', fields);
}

export function simApiRouter(context: AppContext, simulator: SimulatorControls): Router {
  const router = Router();
  router.use(simulatorAccess(requireSimToken(context.simToken)));
  router.use(express.json({ limit: '64kb', strict: true }));
  // The API speaks JSON: a body of any other type is refused rather than silently ignored.
  router.use((req, _res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      return next(new AppError(415, 'unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).'));
    }
    next();
  });

  // GET /sim/api/health — liveness, version, simulated now and the sandbox answering.
  router.get('/health', (_req, res) => {
    res.json(health(context));
  });

  // GET /sim/api/openapi.json — this API, described for tools and for the tests.
  router.get('/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });

  // GET /sim/api/personas — every seeded person with credentials and current state.
  router.get('/personas', (_req, res) => {
    res.json({ personas: listPersonas(context) });
  });

  // POST /sim/api/reset — restore the sandbox to a scenario.
  router.post('/reset', async (req, res) => {
    const body = parseInput(resetBody, req.body);
    if (!body.ok) throw invalid(body.errors);
    res.json(await resetSandbox(simulator, context.sandboxId, body.data.scenario, body.data.seed));
  });

  // GET /sim/api/clock — the simulated now.
  router.get('/clock', (_req, res) => {
    res.json(clockState(context));
  });

  // POST /sim/api/clock — move simulated time forward, then do the work that fell due.
  router.post('/clock', (req, res) => {
    const body = parseInput(clockBody, req.body);
    if (!body.ok) throw invalid(body.errors);
    if ('advance' in body.data) {
      const ms = parseDuration(body.data.advance);
      if (ms === undefined) throw invalid({ advance: 'Use a duration like "90m", "121d" or "P121D".' });
      context.clock.advanceBy(ms);
    } else {
      context.clock.setTo(Date.parse(body.data.set));
    }
    runDueWork(context);
    res.json(clockState(context));
  });

  // GET /sim/api/outbox — captured e-mails, optionally by recipient and type.
  router.get('/outbox', (req, res) => {
    const query = parseInput(outboxQuery, req.query);
    if (!query.ok) throw invalid(query.errors);
    res.json({ messages: context.outbox.list(query.data, sandboxOrigin(req, context.config, context.sandboxId)) });
  });

  // GET /sim/api/outbox/wait — long poll: the first matching e-mail, as soon as it exists, or 408.
  router.get('/outbox/wait', async (req, res) => {
    const query = parseInput(waitQuery, req.query);
    if (!query.ok) throw invalid(query.errors);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const { timeoutMs, ...filter } = query.data;
    const email = await context.outbox.waitFor(filter, timeoutMs, gone.signal, sandboxOrigin(req, context.config, context.sandboxId));
    if (res.headersSent || gone.signal.aborted) return;
    if (!email) throw new AppError(408, 'timeout', `No matching e-mail arrived within ${timeoutMs} ms.`);
    res.json({ message: email });
  });

  // DELETE /sim/api/outbox — forget every captured e-mail.
  router.delete('/outbox', (_req, res) => {
    res.json({ deleted: context.outbox.clear() });
  });

  // POST /sim/api/enrollments — enroll a new PA; the Welcome e-mail goes to the outbox.
  router.post('/enrollments', async (req, res) => {
    const body = parseInput(enrollmentBody, req.body);
    if (!body.ok) throw invalid(body.errors);
    const company = context.db.get<{ id: number; name: string }>(
      'SELECT id, name FROM companies WHERE name = ? COLLATE NOCASE OR program_number = ? OR CAST(id AS TEXT) = ?', body.data.company, body.data.company, body.data.company);
    if (!company) throw invalid({ company: 'No company with that name, program number or id.' });
    const { company: _company, ...input } = body.data;
    const enrollment = await enrollProgramAdministrator(context, { ...input, companyId: company.id, permissions: input.permissions as Permission[] },
      { actor: 'simulator', sourceIp: req.ip ?? null, baseUrl: STORED_LINK_ORIGIN });
    res.status(201).json({
      paId: enrollment.paId, company: company.name, email: input.email, state: 'pending', permissions: input.permissions, primary: input.primary,
      verificationPin: enrollment.verificationPin, verificationWord: enrollment.verificationWord, accessCode: enrollment.accessCode,
      welcomeEmail: context.outbox.find(enrollment.welcomeEmail.id, sandboxOrigin(req, context.config, context.sandboxId)),
    });
  });

  // POST /sim/api/fraud-alerts — suspend a PA as a fraud alert would.
  router.post('/fraud-alerts', (req, res) => {
    const body = parseInput(fraudAlertBody, req.body);
    if (!body.ok) throw invalid(body.errors);
    res.json(raiseFraudAlert(context, body.data.userId));
  });

  // GET /sim/api/cards?company= — the cards scripts can add charges to.
  router.get('/cards', (req, res) => {
    const query = parseInput(cardsQuery, req.query);
    if (!query.ok) throw invalid(query.errors);
    res.json({ cards: listCardsForScripts(context, query.data.company) });
  });

  // POST /sim/api/charges — a posted charge, or a decline with declineReason, on a card.
  router.post('/charges', (req, res) => {
    const body = parseInput(chargeBody, req.body);
    if (!body.ok) throw invalid(body.errors);
    res.status(201).json({ charge: addCharge(context, body.data) });
  });

  // GET /sim/api/faults — the faults active in this sandbox.
  router.get('/faults', (_req, res) => {
    res.json({ faults: context.faults.list() });
  });

  // POST /sim/api/faults — inject latency or an error status on matching routes.
  router.post('/faults', (req, res) => {
    const body = parseInput(faultBody, req.body);
    if (!body.ok) throw invalid(body.errors);
    res.status(201).json({ fault: context.faults.add(body.data) });
  });

  // DELETE /sim/api/faults[/:id] — clear one fault, or all of them.
  router.delete('/faults', (_req, res) => {
    res.json({ cleared: context.faults.clear() });
  });
  router.delete('/faults/:id', (req, res) => {
    if (!context.faults.remove(String(req.params.id))) throw notFound('There is no such fault.');
    res.json({ cleared: 1 });
  });

  // GET /sim/api/sandboxes — every open sandbox.
  router.get('/sandboxes', (req, res) => {
    res.json({ sandboxes: simulator.sandboxes.list().map((sandbox) => describeSandbox(sandbox, context, req)) });
  });

  // POST /sim/api/sandboxes — an isolated copy of a scenario: its own database, clock, outbox.
  router.post('/sandboxes', async (req, res) => {
    const body = parseInput(sandboxBody, req.body ?? {});
    if (!body.ok) throw invalid(body.errors);
    const sandbox = await simulator.sandboxes.create(body.data.scenario, body.data.seed);
    res.status(201).json(describeSandbox(sandbox, context, req));
  });

  // DELETE /sim/api/sandboxes/:id — close a sandbox and remove its file.
  router.delete('/sandboxes/:id', (req, res) => {
    const id = String(req.params.id);
    if (id === DEFAULT_SANDBOX_ID) throw new AppError(409, 'default_sandbox', 'The default sandbox cannot be deleted; reset it instead.');
    if (!simulator.sandboxes.remove(id)) throw notFound('There is no sandbox with that id.');
    res.json({ deleted: id });
  });

  router.use(notFoundHandler);
  return router;
}
