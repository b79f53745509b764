// The bench's figures of the sharded simulator (deploy/cluster.ts): 2 shards behind HAProxy against
// one process alone, on this machine's cores — the homepage's throughput, sign-ins at the production
// bcrypt cost, and 200 simulated QA workers' whole runs. Starts and stops its own simulators on
// 127.0.0.1, on ports of the 4500s.
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { median, percentile, round, type Figure } from './figures';
import { createSandbox, deleteSandbox, primaryPassword, signIn } from './portal-client';
import { qaWorkerFigures } from './qa-workers';
import { cpuMeter, startCluster, startSingleProcess, type RunningSimulator } from './simulator-processes';

export interface ClusterBenchOptions { root: string; dataDir: string; token: string; rounds: number; roundSeconds: number; log: (message: string) => void }

const SHARDS = 2;
/** Apart from the ports the test servers use; each cluster's shards listen on the two after its own. */
const PORTS = { cluster: 4510, single: 4520, qaCluster: 4530 };
/** The authenticated homepage, the page run.ts measures against the bare stack. */
const HOMEPAGE = '/home';
/** Per sandbox; the homepage is loaded in two sandboxes at once, 20 connections in all. */
const HOMEPAGE_CONNECTIONS = 10;
/** Requests that name no sandbox all reach shard 0, so each figure's load is spread over sandboxes held on every shard. */
const SANDBOXES_PER_SHARD = 2;
const SIGN_INS_IN_FLIGHT = 8;
const SIGN_IN_SECONDS = 10;
/** The cost the portal runs with by default: ~190 ms of CPU a password check. */
const PRODUCTION_BCRYPT_COST = 12;
/** 200 QA workers' sign-ins at cost 12 would measure bcrypt alone; at the lowest cost they measure the rest. */
const QA_BCRYPT_COST = 4;
const QA_WORKERS = 200;
const QA_CONCURRENCY = 20;
const QA_MAX_SANDBOXES_PER_SHARD = 100;
const HOMEPAGE_RATIO_TARGET = 1.3;
const HOMEPAGE_P99_TARGET_MS = 25;

interface Sandbox { id: string; headers: Record<string, string>; databaseFile: string }
interface Side { name: string; simulator: RunningSimulator; auth: Record<string, string>; sandboxes: Sandbox[] }
type Cpu = Record<string, number>;

/** Sandboxes made with no id until every shard holds `perShard`, each shard read from health as the balancer routed it; extras deleted. Ordered shard 0, 1, 0, 1, … */
async function sandboxesOnEveryShard(base: string, auth: Record<string, string>, perShard: number): Promise<Array<{ id: string; shard: number }>> {
  const byShard = Array.from({ length: SHARDS }, () => [] as string[]);
  for (let made = 0; byShard.some((ids) => ids.length < perShard); made += 1) {
    if (made > 20 * perShard * SHARDS) throw new Error(`no sandbox on every shard after ${made} made: ${byShard.map((ids) => ids.length).join(' / ')}`);
    const id = await createSandbox(base, auth);
    const health = (await (await fetch(`${base}/sim/api/health`, { headers: { ...auth, 'X-Sim-Sandbox': id } })).json()) as { instance: { shard: number } };
    const held = byShard[health.instance.shard]!;
    if (held.length < perShard) held.push(id);
    else await deleteSandbox(base, auth, id);
  }
  return Array.from({ length: perShard }, (_, i) => byShard.map((ids, shard) => ({ id: ids[i]!, shard }))).flat();
}

/** The bcrypt cost of globex.primary's password hash, read from the sandbox's database file. */
function passwordHashCost(databaseFile: string): number {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT password_hash FROM program_administrators WHERE user_id = 'globex.primary'").get() as { password_hash: string };
    return Number(/^\$2[abxy]\$(\d+)\$/.exec(row.password_hash)?.[1]);
  } finally {
    db.close();
  }
}

/** The homepage loaded in every given sandbox at once, HOMEPAGE_CONNECTIONS each: the sum of their throughputs, the worse of their latencies. */
async function loadHomepages(base: string, sandboxes: Array<Sandbox & { cookie: string }>, seconds: number) {
  const results = await Promise.all(sandboxes.map((sandbox) => autocannon({
    url: `${base}${HOMEPAGE}`, connections: HOMEPAGE_CONNECTIONS, duration: seconds, headers: { ...sandbox.headers, cookie: sandbox.cookie },
  })));
  return {
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)), p99: Math.max(...results.map((r) => r.latency.p99)),
    failures: results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
  };
}

type HomepageLoad = Awaited<ReturnType<typeof loadHomepages>>;

function addCpu(total: Cpu, used: Cpu): void {
  for (const [name, seconds] of Object.entries(used)) total[name] = (total[name] ?? 0) + seconds;
}

function cpuNote(cpu: Cpu, loadSeconds: number, failures: number): string {
  const used = Object.entries(cpu).map(([name, seconds]) => `${name} ${round(seconds, 1)}`).join(', ');
  return `CPU s over ${loadSeconds} s of load (${SHARDS * loadSeconds} on ${SHARDS} cores): ${used}${failures > 0 ? `; ${failures} failed requests` : ''}`;
}

/**
 * The homepage on one process, then through the balancer, round after round (as run.ts's
 * `interleaved`), so that a burst of noise elsewhere on the machine spoils one round of each and
 * the median round does not see it.
 */
async function homepageFigures(options: ClusterBenchOptions, single: Side, cluster: Side): Promise<Figure[]> {
  const sides = [single, cluster];
  const signedIn = await Promise.all(sides.map(async (side) => {
    // One sandbox on each shard; on the single process the same ids.
    const sandboxes = side.sandboxes.slice(0, SHARDS);
    const password = await primaryPassword(side.simulator.base, side.auth, sandboxes[0]!.headers);
    return Promise.all(sandboxes.map(async (sandbox) => ({ ...sandbox, cookie: await signIn(side.simulator.base, sandbox.headers, password) })));
  }));
  for (const [i, side] of sides.entries()) await loadHomepages(side.simulator.base, signedIn[i]!, 1);

  const rounds: HomepageLoad[][] = sides.map(() => []);
  const cpu: Cpu[] = sides.map(() => ({}));
  for (let r = 0; r < options.rounds; r += 1) {
    for (const [i, side] of sides.entries()) {
      const meter = cpuMeter(side.simulator.pids);
      rounds[i]!.push(await loadHomepages(side.simulator.base, signedIn[i]!, options.roundSeconds));
      addCpu(cpu[i]!, meter.read());
    }
    options.log(`round ${r + 1}: ${sides.map((side, i) => `${side.name} ${round(rounds[i]![r]!.rps, 0)} req/s`).join(', ')}`);
  }

  const loadSeconds = options.rounds * options.roundSeconds;
  const [singleRounds, clusterRounds] = rounds as [HomepageLoad[], HomepageLoad[]];
  const summary = (of: HomepageLoad[]) => ({ rps: round(median(of.map((r) => r.rps)), 0), p50: median(of.map((r) => r.p50)), p99: median(of.map((r) => r.p99)) });
  const failures = (of: HomepageLoad[]) => of.reduce((sum, r) => sum + r.failures, 0);
  const ratios = clusterRounds.map((r, i) => r.rps / singleRounds[i]!.rps);
  const ratio = round(median(ratios), 2);
  const clusterSummary = summary(clusterRounds);
  const connections = HOMEPAGE_CONNECTIONS * SHARDS;
  return [
    { name: `homepage on one process: ${SHARDS} sandboxes, ${connections} connections (median of ${options.rounds} rounds)`, ...summary(singleRounds),
      note: cpuNote(cpu[0]!, loadSeconds, failures(singleRounds)) },
    { name: `homepage through HAProxy, ${SHARDS} shards: a sandbox on each, ${connections} connections (median of ${options.rounds} rounds, each after one process)`,
      ...clusterSummary, note: cpuNote(cpu[1]!, loadSeconds, failures(clusterRounds)),
      baseline: `one process (rounds ${round(Math.min(...ratios), 2)}–${round(Math.max(...ratios), 2)})`, ratio,
      target: `≥ ${HOMEPAGE_RATIO_TARGET}× one process, p99 ≤ ${HOMEPAGE_P99_TARGET_MS} ms`,
      pass: ratio >= HOMEPAGE_RATIO_TARGET && clusterSummary.p99 <= HOMEPAGE_P99_TARGET_MS && failures(clusterRounds) === 0 },
  ];
}

/** SIGN_INS_IN_FLIGHT sign-ins at all times for SIGN_IN_SECONDS, spread over the side's sandboxes. */
async function signInRate(side: Side) {
  const { base } = side.simulator;
  const password = await primaryPassword(base, side.auth, side.sandboxes[0]!.headers);
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + SIGN_IN_SECONDS * 1000;
  await Promise.all(Array.from({ length: SIGN_INS_IN_FLIGHT }, async (_, i) => {
    const { headers } = side.sandboxes[i % side.sandboxes.length]!;
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await signIn(base, headers, password);
        latencies.push(performance.now() - t0);
      } catch {
        failures += 1;
      }
    }
  }));
  const perSecond = latencies.length / ((performance.now() - started) / 1000);
  return { perSecond, p50: round(percentile(latencies, 0.5), 0), p99: round(percentile(latencies, 0.99), 0), failures };
}

async function signInFigures(options: ClusterBenchOptions, single: Side, cluster: Side): Promise<Figure[]> {
  const costs = new Set([...single.sandboxes, ...cluster.sandboxes].map((sandbox) => passwordHashCost(sandbox.databaseFile)));
  const hashes = costs.size === 1 ? `password hashes of cost ${[...costs][0]}` : `password hashes of costs ${[...costs].join(', ')}`;
  const ofCost = costs.size === 1 && costs.has(PRODUCTION_BCRYPT_COST);
  if (!ofCost) options.log(`warning: the sandboxes hold ${hashes}, not ${PRODUCTION_BCRYPT_COST}`);
  const alone = await signInRate(single);
  options.log(`sign-ins on one process: ${round(alone.perSecond, 1)} a second`);
  const sharded = await signInRate(cluster);
  const failures = (n: number) => (n > 0 ? `; ${n} failed` : '');
  return [
    { name: `sign-ins at BCRYPT_COST ${PRODUCTION_BCRYPT_COST}, one process: ${SIGN_INS_IN_FLIGHT} in flight over ${single.sandboxes.length} sandboxes for ${SIGN_IN_SECONDS} s`,
      rps: round(alone.perSecond, 1), p50: alone.p50, p99: alone.p99, note: `sign-ins a second (form and POST); ${hashes}${failures(alone.failures)}` },
    { name: `sign-ins at BCRYPT_COST ${PRODUCTION_BCRYPT_COST} through HAProxy, ${SHARDS} shards: ${SIGN_INS_IN_FLIGHT} in flight over ${cluster.sandboxes.length} sandboxes, ${SANDBOXES_PER_SHARD} on each shard`,
      rps: round(sharded.perSecond, 1), p50: sharded.p50, p99: sharded.p99, note: `sign-ins a second; ${hashes}${failures(sharded.failures)}`,
      baseline: 'one process', ratio: round(sharded.perSecond / alone.perSecond, 2) },
  ];
}

function freshDirectory(directory: string): string {
  fs.rmSync(directory, { recursive: true, force: true });
  fs.mkdirSync(directory, { recursive: true });
  return directory;
}

/** Expects dist/ built. Every directory it uses under options.dataDir starts empty, so the default sandbox and templates are seeded at the cost under test. */
export async function clusterFigures(options: ClusterBenchOptions): Promise<Figure[]> {
  const { root, token, log } = options;
  const auth = { Authorization: `Bearer ${token}` };
  const env = { LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: '100000' };
  const figures: Figure[] = [];
  const clusterDir = freshDirectory(path.join(options.dataDir, 'cluster'));
  const singleDir = freshDirectory(path.join(options.dataDir, 'single'));

  log(`starting ${SHARDS} shards behind HAProxy and one process alone, BCRYPT_COST ${PRODUCTION_BCRYPT_COST}`);
  const productionEnv = { ...env, BCRYPT_COST: String(PRODUCTION_BCRYPT_COST) };
  const simulators: RunningSimulator[] = [];
  try {
    const sharded = await startCluster({ root, port: PORTS.cluster, dataDir: clusterDir, token, env: productionEnv, shards: SHARDS });
    simulators.push(sharded);
    const alone = await startSingleProcess({ root, port: PORTS.single, dataDir: singleDir, token, env: productionEnv });
    simulators.push(alone);
    const placed = await sandboxesOnEveryShard(sharded.base, auth, SANDBOXES_PER_SHARD);
    const cluster: Side = { name: `${SHARDS} shards`, simulator: sharded, auth, sandboxes: placed.map(({ id, shard }) => ({
      id, headers: { 'X-Sim-Sandbox': id }, databaseFile: path.join(clusterDir, `shard-${shard}`, 'sandboxes', `${id}.sqlite`),
    })) };
    for (const { id } of placed) await createSandbox(alone.base, auth, { id });
    const single: Side = { name: 'one process', simulator: alone, auth, sandboxes: placed.map(({ id }) => ({
      id, headers: { 'X-Sim-Sandbox': id }, databaseFile: path.join(singleDir, 'sandboxes', `${id}.sqlite`),
    })) };

    log(`the homepage, one process against ${SHARDS} shards: ${options.rounds} rounds of ${options.roundSeconds} s each`);
    figures.push(...await homepageFigures(options, single, cluster));
    log(`sign-ins at BCRYPT_COST ${PRODUCTION_BCRYPT_COST}, ${SIGN_INS_IN_FLIGHT} in flight for ${SIGN_IN_SECONDS} s each way`);
    figures.push(...await signInFigures(options, single, cluster));
  } finally {
    await Promise.all(simulators.map((simulator) => simulator.stop()));
  }

  log(`${QA_WORKERS} QA workers, ${QA_CONCURRENCY} at a time, on ${SHARDS} shards at BCRYPT_COST ${QA_BCRYPT_COST}`);
  const qaCluster = await startCluster({
    root, port: PORTS.qaCluster, dataDir: freshDirectory(path.join(options.dataDir, 'cluster-qa')), token, shards: SHARDS,
    // Well above the QA_CONCURRENCY sandboxes open at a time, however they fall on the shards.
    env: { ...env, BCRYPT_COST: String(QA_BCRYPT_COST), MAX_SANDBOXES: String(QA_MAX_SANDBOXES_PER_SHARD) },
  });
  try {
    figures.push(...await qaWorkerFigures({ base: qaCluster.base, auth, shards: SHARDS, workers: QA_WORKERS, concurrency: QA_CONCURRENCY, bcryptCost: QA_BCRYPT_COST }));
  } finally {
    await qaCluster.stop();
  }
  return figures;
}
