// The bench's figures of a sandbox's life measured in this process, on a simulator of its own:
// what create/delete cycles leave on the heap (issue 12) and how long a snapshot and a restore take (issue 14).
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadConfig } from '../src/config';
import { createContext } from '../src/context';
import { createLogger } from '../src/lib/logger';
import { createSimulator, type Simulator } from '../src/simulator';

export interface LifecycleFigure { name: string; ms: number; note: string; target: string; pass: boolean }

const SECRET = 'bench-session-secret-0123456789abcdef';
const SNAPSHOT_ROUNDS = 9;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function withSimulator(dataDir: string, token: string, run: (simulator: Simulator) => Promise<void>): Promise<void> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', SIM_TOKEN: token });
  const context = createContext({ config, logger: createLogger('warn'), sessionSecret: SECRET, simToken: token, databaseFile: path.join(dataDir, 'portal.sqlite') });
  const simulator = createSimulator({ defaultContext: context, sessionSecret: SECRET, simToken: token });
  try {
    await run(simulator);
  } finally {
    simulator.close();
  }
}

/** Issue 12, R3: what a sandbox leaves on the heap once deleted. */
export async function sandboxCycleFigure(dataDir: string, token: string, cycles: number): Promise<LifecycleFigure> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  let figure: LifecycleFigure | undefined;
  await withSimulator(dataDir, token, async (simulator) => {
    const cycle = async () => simulator.sandboxes.remove((await simulator.sandboxes.create('default')).id);
    await cycle();
    gc();
    const before = process.memoryUsage().heapUsed / 2 ** 20;
    const started = performance.now();
    for (let i = 0; i < cycles; i += 1) await cycle();
    const perCycle = (performance.now() - started) / cycles;
    gc();
    const after = process.memoryUsage().heapUsed / 2 ** 20;
    figure = { name: `heap after ${cycles.toLocaleString('en-US')} sandbox create/delete cycles (after GC)`, ms: round(after, 1),
      note: `MB (${round(before, 1)} MB after the first; ${round(perCycle, 1)} ms a cycle)`, target: 'growth < 2 MB', pass: after - before < 2 };
  });
  return figure!;
}

/** Issue 14: a snapshot of a `default` sandbox, and its restore, each the median of SNAPSHOT_ROUNDS. */
export async function snapshotFigures(dataDir: string, token: string): Promise<LifecycleFigure[]> {
  const saves: number[] = [];
  const restores: number[] = [];
  await withSimulator(dataDir, token, async (simulator) => {
    const { id } = await simulator.sandboxes.create('default');
    for (let i = 0; i < SNAPSHOT_ROUNDS; i += 1) {
      let started = performance.now();
      await simulator.sandboxes.saveSnapshot(id, 'bench');
      saves.push(performance.now() - started);
      started = performance.now();
      await simulator.sandboxes.restoreSnapshot(id, 'bench');
      restores.push(performance.now() - started);
    }
    simulator.sandboxes.remove(id);
  });
  return [
    { name: `snapshot of a \`default\` sandbox (median of ${SNAPSHOT_ROUNDS})`, ms: round(median(saves), 1), note: 'ms', target: '< 20 ms', pass: median(saves) < 20 },
    { name: `restore of that snapshot (median of ${SNAPSHOT_ROUNDS})`, ms: round(median(restores), 1), note: 'ms', target: '< 20 ms', pass: median(restores) < 20 },
  ];
}
