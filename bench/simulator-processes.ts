// The simulators the cluster bench runs: the sharded one (dist/deploy/cluster.js, shards behind
// HAProxy) and one process alone, each in a process group of its own so that stopping it stops
// every process it started; and the CPU time each of those processes has used.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './portal-client';

export interface RunningSimulator {
  base: string;
  /** The processes that serve it, by name (`shard0`, `haproxy`, `server`), for their CPU time. */
  pids: Record<string, number>;
  stop(): Promise<void>;
}

interface Start { root: string; port: number; dataDir: string; token: string; env: Record<string, string> }

/** The simulator exits within 5 s of SIGTERM (deploy/cluster.ts waits as long); past this it is killed. */
const STOP_GRACE_MS = 6_000;
const CLOCK_TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

function signalGroup(leader: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-leader, signal);
    return true;
  } catch {
    return false; // no process is left in the group
  }
}

/** Starts a process as the leader of a new group, which this process kills, all of it, even if it ends abruptly. */
function startGroup(root: string, args: string[], env: Record<string, string>): { child: ChildProcess; stop: () => Promise<void> } {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const killGroup = () => signalGroup(child.pid!, 'SIGKILL');
  process.on('exit', killGroup);
  const stop = async () => {
    const exited = new Promise((resolve) => { if (child.exitCode !== null || child.signalCode !== null) resolve(undefined); else child.once('exit', resolve); });
    signalGroup(child.pid!, 'SIGTERM');
    const deadline = performance.now() + STOP_GRACE_MS;
    await exited;
    // The leader may be gone before the processes it started: wait for the whole group.
    while (signalGroup(child.pid!, 0) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    killGroup();
    process.off('exit', killGroup);
  };
  return { child, stop };
}

/** CPU time (user + system) a process has used so far, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which may hold spaces, start with the state (field 3); utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

function childNamed(parent: number, command: string): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (name === command && parentPid === parent) return Number(entry);
    } catch { /* ended while we looked */ }
  }
  return undefined;
}

/** `shards` simulator processes behind HAProxy on 127.0.0.1:port, the shards on the ports after it. */
export async function startCluster(start: Start & { shards: number }): Promise<RunningSimulator> {
  const { child, stop } = startGroup(start.root, [path.join('dist', 'deploy', 'cluster.js')], {
    ...start.env, HOST: '127.0.0.1', PORT: String(start.port), CLUSTER_SHARDS: String(start.shards),
    CLUSTER_FIRST_SHARD_PORT: String(start.port + 1), DATA_DIR: start.dataDir, SIM_TOKEN: start.token,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let ready = false;
      // The shards' own lines are read and, once it is ready, dropped; their errors reach our stderr.
      child.stdout!.on('data', (chunk: Buffer) => {
        if (ready) return;
        out += chunk.toString();
        if (/shard\(s\) behind HAProxy, listening on/.test(out)) { ready = true; resolve(); }
      });
      child.once('exit', (code) => reject(new Error(`the cluster exited (${code}) before it was ready: ${out}`)));
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const base = `http://127.0.0.1:${start.port}`;
  const pids: Record<string, number> = {};
  for (let shard = 0; shard < start.shards; shard += 1) {
    const health = await fetch(`${base}/sim/api/health`, { headers: { Authorization: `Bearer ${start.token}`, 'X-Sim-Shard': String(shard) } });
    pids[`shard${shard}`] = ((await health.json()) as { instance: { pid: number } }).instance.pid;
  }
  const haproxy = childNamed(child.pid!, 'haproxy');
  if (haproxy !== undefined) pids.haproxy = haproxy;
  return { base, pids, stop };
}

/** One simulator process on 127.0.0.1:port, as `npm start` runs it. */
export async function startSingleProcess(start: Start): Promise<RunningSimulator> {
  const { child, stop } = startGroup(start.root, [path.join('dist', 'src', 'server.js')], {
    ...start.env, HOST: '127.0.0.1', PORT: String(start.port), DATA_DIR: start.dataDir, SIM_TOKEN: start.token,
  });
  child.stdout!.resume();
  const base = `http://127.0.0.1:${start.port}`;
  try {
    await waitFor(`${base}/sim/api/health`, 60_000, { Authorization: `Bearer ${start.token}` });
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, pids: { server: child.pid! }, stop };
}

/** The CPU seconds each process, and this one (the load generator), uses from now until `read()`. */
export function cpuMeter(pids: Record<string, number>): { read: () => Record<string, number> } {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const own = process.cpuUsage();
  return {
    read: () => {
      const used = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid) - before[name]!]));
      const generator = process.cpuUsage(own);
      return { ...used, 'load generator': (generator.user + generator.system) / 1e6 };
    },
  };
}
