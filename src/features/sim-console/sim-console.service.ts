// What the simulator console shows and does, built on the services the simulator API uses.
import { DEFAULT_SANDBOX_ID, type AppContext } from '../../context';
import type { SimulatorControls } from '../../simulator';
import { parseDuration } from '../../lib/duration';
import { badRequest } from '../../lib/errors';
import type { CapturedEmail } from '../outbox/outbox.service';
import { runDueWork, type DueWorkReport } from '../scheduler/due-work';
import { currentScenarioName } from '../sim/sim.repository';
import { health } from '../sim/sim.service';

/** Scenarios a person can reset to or start a sandbox from in the console; `large` takes half a minute, so scripts ask for it. */
export const CONSOLE_SCENARIOS = ['default', 'empty'] as const;

/** The clock buttons: the steps QA moves time by most (an hour, a business day, a code's life, past inactivity). */
export const CLOCK_STEPS = ['1h', '1d', '30d', '121d'] as const;

/** Ten years: further than any rule of the portal reaches, and well inside what a date can hold. */
export const MAX_CLOCK_STEP_MS = 3650 * 86_400_000;

/** At most this many e-mails are listed, newest first; the API gives them all. */
export const OUTBOX_PAGE_SIZE = 200;

export function consoleOverview(context: AppContext) {
  const { now, version, sandbox } = health(context);
  return {
    sandbox, version, now,
    scenario: currentScenarioName(context.db),
    faults: context.faults.list().length,
  };
}

export interface ClockMove {
  from: string;
  to: string;
  due: DueWorkReport;
}

/** Moves the simulated clock forward by a duration ("90m", "1d", "P1D"), then does the work that fell due, as the API does. */
export function advanceClock(context: AppContext, durationText: string): ClockMove {
  const ms = parseDuration(durationText);
  if (ms === undefined) throw badRequest('invalid_input', 'The request is not valid.', { advance: 'Use a duration like "90m", "1d", "121d" or "P1D".' });
  if (ms > MAX_CLOCK_STEP_MS) throw badRequest('invalid_input', 'The request is not valid.', { advance: 'Move the clock at most ten years (3650d) at a time.' });
  const from = context.clock.now().toISOString();
  context.clock.advanceBy(ms);
  const due = runDueWork(context);
  return { from, to: context.clock.now().toISOString(), due };
}

/** Captured e-mails, newest first, their links pointing at the reader's sandbox `origin`. */
export function recentEmails(context: AppContext, filter: { to?: string | undefined; type?: string | undefined }, origin: string): { messages: CapturedEmail[]; total: number } {
  const all = context.outbox.list(filter, origin);
  return { messages: all.slice(-OUTBOX_PAGE_SIZE).reverse(), total: all.length };
}

export function capturedEmail(context: AppContext, id: number, origin: string): CapturedEmail | undefined {
  return context.outbox.find(id, origin);
}

/** Every open sandbox, with whether the console may delete it: never the default, nor the one it runs in. */
export function openSandboxes(simulator: SimulatorControls, currentSandboxId: string) {
  return simulator.sandboxes.list().map((sandbox) => ({
    id: sandbox.id,
    // Read live: a sandbox reset to another scenario is that scenario now.
    scenario: currentScenarioName(sandbox.context.db),
    now: sandbox.context.clock.now().toISOString(),
    createdAt: new Date(sandbox.createdAt).toISOString(),
    lastUsedAt: new Date(sandbox.lastUsedAt).toISOString(),
    current: sandbox.id === currentSandboxId,
    deletable: sandbox.id !== DEFAULT_SANDBOX_ID && sandbox.id !== currentSandboxId,
  }));
}
