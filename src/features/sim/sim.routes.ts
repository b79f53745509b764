// The simulator API for QA scripts (PRODUCT.md §3): the JSON face of the simulator's controls,
// bearer-token guarded. Each route hands the body or query to SimulatorControlService, which checks it.
import express, { Router } from 'express';
import type { AppContext } from '../../context';
import { simulatorAccess } from '../../http/access';
import { notFoundHandler } from '../../http/errors';
import { AppError } from '../../lib/errors';
import type { Config } from '../../config';
import { sandboxOrigin, sandboxUrl } from '../../lib/public-url';
import type { SimulatorControls } from '../sandboxes/simulator-controls';
import { MAX_SCENARIO_BYTES } from '../scenarios/scenario-catalog';
import { requireSimToken } from './sim-auth';
import { SimulatorControlService, type SandboxSummary } from './sim-controls.service';
import { OPENAPI_DOCUMENT } from './openapi';

/** A sandbox as the API lists it: how to address it by header, and by host. */
function describeSandbox(sandbox: SandboxSummary, req: express.Request, config: Config) {
  return { ...sandbox, header: { 'X-Sim-Sandbox': sandbox.id }, url: sandboxUrl(req, config, sandbox.id) };
}

export function simApiRouter(context: AppContext, simulator: SimulatorControls): Router {
  const controls = new SimulatorControlService(context, simulator);
  const origin = (req: express.Request) => sandboxOrigin(req, context.config, context.sandboxId);
  const router = Router();
  router.use(simulatorAccess(requireSimToken(context.simToken)));
  // A scenario document may be larger than any other body; the parser that reads it first is the one that counts.
  router.use('/scenarios', express.json({ limit: MAX_SCENARIO_BYTES, strict: true }));
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
    res.json(controls.health());
  });

  // GET /sim/api/openapi.json — this API, described for tools and for the tests.
  router.get('/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });

  // GET /sim/api/scenario.schema.json — the JSON Schema of a scenario document.
  router.get('/scenario.schema.json', (_req, res) => {
    res.json(controls.scenarioSchema());
  });

  // POST /sim/api/scenarios — load a scenario document; then reset and sandboxes take its name.
  router.post('/scenarios', async (req, res) => {
    const loaded = await controls.loadScenario(req.body ?? {});
    res.status(loaded.replaced ? 200 : 201).json(loaded);
  });

  // GET /sim/api/scenario?name= — the sandbox's current state as a scenario document.
  router.get('/scenario', (req, res) => {
    res.json(controls.exportScenario(req.query));
  });

  // GET /sim/api/personas — every seeded person with credentials and current state.
  router.get('/personas', (_req, res) => {
    res.json({ personas: controls.personas() });
  });

  // POST /sim/api/reset — restore the sandbox to a scenario.
  router.post('/reset', async (req, res) => {
    res.json(await controls.reset(req.body ?? {}));
  });

  // GET /sim/api/clock — the simulated now.
  router.get('/clock', (_req, res) => {
    res.json(controls.clock());
  });

  // POST /sim/api/clock — move simulated time forward, then do the work that fell due.
  router.post('/clock', async (req, res) => {
    controls.moveClock(req.body ?? {});
    // Scheduled reports are made a chunk at a time; the answer waits for them like the rest of the due work.
    await controls.scheduledDeliveries();
    res.json(controls.clock());
  });

  // GET /sim/api/outbox — captured e-mails, optionally by recipient and type.
  router.get('/outbox', (req, res) => {
    res.json({ messages: controls.outbox(req.query, origin(req)) });
  });

  // GET /sim/api/outbox/wait — long poll: the first matching e-mail, as soon as it exists, or 408.
  router.get('/outbox/wait', async (req, res) => {
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const email = await controls.waitForEmail(req.query, gone.signal, origin(req));
    if (res.headersSent || !email) return;
    res.json({ message: email });
  });

  // DELETE /sim/api/outbox — forget every captured e-mail.
  router.delete('/outbox', (_req, res) => {
    res.json({ deleted: controls.clearOutbox() });
  });

  // GET /sim/api/sms — captured text messages, optionally by number and type.
  router.get('/sms', (req, res) => {
    res.json({ messages: controls.sms(req.query) });
  });

  // GET /sim/api/sms/wait — long poll: the first matching text, as soon as it exists, or 408.
  router.get('/sms/wait', async (req, res) => {
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const sms = await controls.waitForSms(req.query, gone.signal);
    if (res.headersSent || !sms) return;
    res.json({ message: sms });
  });

  // DELETE /sim/api/sms — forget every captured text.
  router.delete('/sms', (_req, res) => {
    res.json({ deleted: controls.clearSms() });
  });

  // POST /sim/api/enrollments — enroll a new PA; the Welcome e-mail goes to the outbox.
  router.post('/enrollments', async (req, res) => {
    res.status(201).json(await controls.enroll(req.body ?? {}, req.ip ?? null, origin(req)));
  });

  // POST /sim/api/fraud-alerts — suspend a PA as a fraud alert would.
  router.post('/fraud-alerts', (req, res) => {
    res.json(controls.raiseFraudAlert(req.body ?? {}));
  });

  // GET /sim/api/cards?company= — the cards scripts can add charges to.
  router.get('/cards', (req, res) => {
    res.json({ cards: controls.cards(req.query) });
  });

  // GET /sim/api/control-accounts?company= — each company's hierarchy, by number: where cards go and what a scope names.
  router.get('/control-accounts', (req, res) => {
    res.json({ controlAccounts: controls.controlAccounts(req.query) });
  });

  // POST /sim/api/cards — a card in any state, recorded as the portal records a new card.
  router.post('/cards', (req, res) => {
    res.status(201).json(controls.createCard(req.body ?? {}));
  });

  // POST /sim/api/transactions — a transaction of any type in any status, with its history.
  router.post('/transactions', (req, res) => {
    res.status(201).json(controls.createTransaction(req.body ?? {}));
  });

  // POST /sim/api/applications — invite an employee to apply for a card as a PA would; optionally completed by the employee.
  router.post('/applications', (req, res) => {
    res.status(201).json(controls.createApplication(req.body ?? {}, origin(req)));
  });

  // POST /sim/api/companies/:company/approval-rules — replace a company's approval rules (what is absent or null is off).
  router.post('/companies/:company/approval-rules', (req, res) => {
    res.json(controls.setApprovalRules(String(req.params.company), req.body ?? {}));
  });

  // POST /sim/api/report-subscriptions — subscribe a PA to a report as the Reports page does.
  router.post('/report-subscriptions', (req, res) => {
    res.status(201).json(controls.createReportSubscription(req.body ?? {}));
  });

  // POST /sim/api/charges — a posted charge, or a decline with declineReason, on a card.
  router.post('/charges', (req, res) => {
    res.status(201).json({ charge: controls.addCharge(req.body ?? {}) });
  });

  // POST /sim/api/administrators/:userId/state — set a PA's state as the portal would leave it.
  router.post('/administrators/:userId/state', (req, res) => {
    res.json(controls.setAdministratorState(String(req.params.userId), req.body ?? {}));
  });

  // POST /sim/api/administrators/:userId/permissions — set a PA's permissions as the help desk does.
  router.post('/administrators/:userId/permissions', (req, res) => {
    res.json(controls.setAdministratorPermissions(String(req.params.userId), req.body ?? {}));
  });

  // GET /sim/api/faults — the faults active in this sandbox.
  router.get('/faults', (_req, res) => {
    res.json({ faults: controls.faults() });
  });

  // POST /sim/api/faults — inject latency or an error status on matching routes, or lose texts to a number.
  router.post('/faults', (req, res) => {
    res.status(201).json({ fault: controls.addFault(req.body ?? {}) });
  });

  // DELETE /sim/api/faults[/:id] — clear one fault, or all of them.
  router.delete('/faults', (_req, res) => {
    res.json({ cleared: controls.clearFaults() });
  });
  router.delete('/faults/:id', (req, res) => {
    controls.removeFault(String(req.params.id));
    res.json({ cleared: 1 });
  });

  // GET /sim/api/events — the event journal, in order, by type, actor, subject and since.
  router.get('/events', (req, res) => {
    res.json(controls.events(req.query));
  });

  // GET /sim/api/events/wait — long poll: the first matching event, as soon as it is recorded, or 408.
  router.get('/events/wait', async (req, res) => {
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const event = await controls.waitForEvent(req.query, gone.signal);
    if (res.headersSent || !event) return;
    res.json({ event });
  });

  // GET /sim/api/sandboxes — every open sandbox.
  router.get('/sandboxes', (req, res) => {
    res.json({ sandboxes: controls.sandboxes().map((sandbox) => describeSandbox(sandbox, req, context.config)) });
  });

  // POST /sim/api/sandboxes — an isolated copy of a scenario: its own database, clock, outbox.
  router.post('/sandboxes', async (req, res) => {
    res.status(201).json(describeSandbox(await controls.createSandbox(req.body ?? {}), req, context.config));
  });

  // DELETE /sim/api/sandboxes/:id — close a sandbox and remove its file.
  router.delete('/sandboxes/:id', (req, res) => {
    const id = String(req.params.id);
    controls.deleteSandbox(id);
    res.json({ deleted: id });
  });

  // GET /sim/api/snapshots — this sandbox's saved states.
  router.get('/snapshots', (_req, res) => {
    res.json({ snapshots: controls.snapshots() });
  });

  // POST /sim/api/snapshots — save this sandbox's whole state under a name; reset { snapshot } restores it.
  router.post('/snapshots', async (req, res) => {
    res.status(201).json({ snapshot: await controls.saveSnapshot(req.body ?? {}) });
  });

  // DELETE /sim/api/snapshots/:name — forget one snapshot.
  router.delete('/snapshots/:name', async (req, res) => {
    const name = String(req.params.name);
    await controls.deleteSnapshot(name);
    res.json({ deleted: name });
  });

  router.use(notFoundHandler);
  return router;
}
