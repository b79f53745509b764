// The cluster bench's QA workers: many test runs at once against a sharded simulator, each the
// life of a sandbox as a QA script lives it — made, signed into, browsed, its clock moved, an
// e-mail read, deleted — timed step by step, with every unexpected answer counted.
import { shardOf } from '../src/lib/shards';
import { percentile, round, type Figure } from './figures';
import { createSandbox, deleteSandbox, primaryPassword, signIn } from './portal-client';

export interface QaRun { base: string; auth: Record<string, string>; shards: number; workers: number; concurrency: number; bcryptCost: number }

/** Signed-in pages that answer 200 to globex.primary in the `default` scenario. */
const PAGES = ['/home', '/cards', '/transactions', '/profile', '/help'];
/** The whole run must fit in this: 200 QA scripts' sandboxes, on the 2 cores. */
const RUN_LIMIT_MS = 120_000;
/** How far a shard's share of the sandboxes may be from an even split before the spread counts as uneven. */
const SPREAD_TOLERANCE = 0.2;
const STEPS = ['create', 'sign-in', 'page view', 'clock', 'e-mail', 'delete'] as const;
type Step = (typeof STEPS)[number];

class StepLog {
  readonly times = Object.fromEntries(STEPS.map((step) => [step, [] as number[]])) as Record<Step, number[]>;
  readonly errors = Object.fromEntries(STEPS.map((step) => [step, 0])) as Record<Step, number>;
  firstError: string | undefined;

  async time<T>(step: Step, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await run();
      this.times[step].push(performance.now() - started);
      return result;
    } catch (err) {
      this.errors[step] += 1;
      this.firstError ??= `${step}: ${(err as Error).message}`;
      throw err;
    }
  }
}

/** The body of an answer that has the expected status; any other status is an error of the step. */
async function bodyOf(res: Response, expected: number): Promise<string> {
  const body = await res.text();
  if (res.status !== expected) throw new Error(`${res.url} answered ${res.status}, not ${expected}`);
  return body;
}

async function qaWorker(run: QaRun, password: string, steps: StepLog, sandboxesByShard: number[]): Promise<void> {
  const { base, auth } = run;
  let id: string | undefined;
  try {
    id = await steps.time('create', () => createSandbox(base, auth));
    sandboxesByShard[shardOf(id, run.shards)]! += 1;
    const inSandbox = { 'X-Sim-Sandbox': id };
    const cookie = await steps.time('sign-in', () => signIn(base, inSandbox, password));
    for (const page of PAGES) {
      await steps.time('page view', async () => bodyOf(await fetch(`${base}${page}`, { headers: { ...inSandbox, cookie }, redirect: 'manual' }), 200));
    }
    await steps.time('clock', async () => bodyOf(await fetch(`${base}/sim/api/clock`, {
      method: 'POST', headers: { ...auth, ...inSandbox, 'content-type': 'application/json' }, body: JSON.stringify({ advance: '1h' }),
    }), 200));
    await steps.time('e-mail', async () => {
      const { messages } = JSON.parse(await bodyOf(await fetch(`${base}/sim/api/outbox`, { headers: { ...auth, ...inSandbox } }), 200)) as { messages: Array<{ text?: string }> };
      if (!messages[0]?.text) throw new Error('no e-mail in the outbox');
    });
  } catch {
    // Counted by the step that failed; the rest of this worker's steps are skipped, but its sandbox is still deleted.
  }
  if (id !== undefined) await steps.time('delete', () => deleteSandbox(base, auth, id!)).catch(() => undefined);
}

/** Runs `workers` QA workers, `concurrency` at a time, and reports the run, its spread over the shards and each step's latency. */
export async function qaWorkerFigures(run: QaRun): Promise<Figure[]> {
  const password = await primaryPassword(run.base, run.auth);
  const steps = new StepLog();
  const sandboxesByShard = Array.from({ length: run.shards }, () => 0);
  let begun = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: run.concurrency }, async () => {
    while (begun < run.workers) {
      begun += 1;
      await qaWorker(run, password, steps, sandboxesByShard);
    }
  }));
  const runMs = performance.now() - started;

  const errors = STEPS.reduce((sum, step) => sum + steps.errors[step], 0);
  const even = run.workers / run.shards;
  const spreadEven = sandboxesByShard.every((count) => Math.abs(count - even) <= SPREAD_TOLERANCE * even);
  const name = `${run.workers} QA workers through HAProxy, ${run.shards} shards, ${run.concurrency} at a time (BCRYPT_COST ${run.bcryptCost}): `
    + `create a sandbox, sign in, ${PAGES.length} pages, clock +1 h, read an e-mail, delete`;
  return [
    { name, ms: round(runMs / 1000, 1),
      note: `s; ${errors} errors${steps.firstError ? ` (first: ${steps.firstError})` : ''}; sandboxes ${sandboxesByShard.join(' / ')} on shards ${sandboxesByShard.map((_, shard) => shard).join(' / ')}`,
      target: `< ${RUN_LIMIT_MS / 1000} s, 0 errors, each shard within ±${SPREAD_TOLERANCE * 100} % of an even share`,
      pass: runMs < RUN_LIMIT_MS && errors === 0 && spreadEven },
    ...STEPS.map((step) => ({
      name: `QA workers' step: ${step} (${steps.times[step].length} timed)`,
      p50: round(percentile(steps.times[step], 0.5), 0), p99: round(percentile(steps.times[step], 0.99), 0),
      ...(steps.errors[step] > 0 ? { note: `${steps.errors[step]} errors` } : {}),
    })),
  ];
}
