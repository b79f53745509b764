// The simulator API for QA scripts (PRODUCT.md §3). JSON in and out, bearer-token guarded.
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { simulatorAccess } from '../../http/access';
import { notFoundHandler } from '../../http/errors';
import { parseInput } from '../../http/validation';
import { AppError, badRequest } from '../../lib/errors';
import { parseDuration } from '../../lib/duration';
import { runDueWork } from '../scheduler/due-work';
import { requireSimToken } from './sim-auth';
import { clockState, health, listPersonas, resetSandbox } from './sim.service';

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

function invalid(fields: Record<string, string>): AppError {
  return badRequest('invalid_input', 'The request is not valid.', fields);
}

export function simApiRouter(context: AppContext): Router {
  const router = Router();
  router.use(simulatorAccess(requireSimToken(context.simToken)));
  router.use(express.json({ limit: '64kb', strict: true }));

  // GET /sim/api/health — liveness, version, simulated now and the sandbox answering.
  router.get('/health', (_req, res) => {
    res.json(health(context));
  });

  // GET /sim/api/personas — every seeded person with credentials and current state.
  router.get('/personas', (_req, res) => {
    res.json({ personas: listPersonas(context) });
  });

  // POST /sim/api/reset — restore the sandbox to a scenario.
  router.post('/reset', async (req, res) => {
    const body = parseInput(resetBody, req.body);
    if (!body.ok) throw invalid(body.errors);
    res.json(await resetSandbox(context, body.data.scenario, body.data.seed));
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
    res.json({ messages: context.outbox.list(query.data) });
  });

  // DELETE /sim/api/outbox — forget every captured e-mail.
  router.delete('/outbox', (_req, res) => {
    res.json({ deleted: context.outbox.clear() });
  });

  router.use(notFoundHandler);
  return router;
}
