// The real server in a process of its own, for what only a process shows: signals, sockets, exit.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TEST_SESSION_SECRET, TEST_SIM_TOKEN } from './test-app';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  port: number;
  dataDir: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it printed, both streams. */
  output(): string;
  /** Kills whatever is left of it (SIGKILL, by process id) and removes its data directory. */
  cleanUp(): Promise<void>;
}

/** A port nobody listens on right now: the kernel picks it, we let it go at once. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function temporaryDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'atwork-process-test-'));
}

export interface StartOptions {
  /** The command and its arguments; the server from the TypeScript sources unless given. */
  command?: [string, ...string[]];
  env?: Record<string, string>;
  dataDir?: string;
  /** How long it may take to answer its first request. */
  readyWithinMs?: number;
}

export async function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = options.dataDir ?? temporaryDataDir();
  const [command, ...args] = options.command ?? [process.execPath, '--import', 'tsx', 'src/server.ts'];
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(),
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, BCRYPT_COST: '4', LOG_LEVEL: 'silent',
      SIM_TOKEN: TEST_SIM_TOKEN, SESSION_SECRET: TEST_SESSION_SECRET, ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => { printed += chunk.toString('utf8'); });
  child.stderr!.on('data', (chunk: Buffer) => { printed += chunk.toString('utf8'); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  /** Processes seen under it: one left behind by a parent that exited is no longer found under it. */
  const seen = new Set<number>();
  const server: ServerProcess = {
    child, baseUrl, port, dataDir, exited,
    output: () => printed,
    cleanUp: async () => {
      for (const pid of [...descendantsOf(child.pid!), ...seen, child.pid!]) killQuietly(pid);
      if (child.exitCode === null && child.signalCode === null) await exited;
      // A process left behind may hold the pipes open, which would keep the test run alive.
      child.stdout!.destroy();
      child.stderr!.destroy();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilServing(baseUrl, options.readyWithinMs ?? 60_000, exited);
    for (const pid of descendantsOf(child.pid!)) seen.add(pid);
  } catch (err) {
    await server.cleanUp();
    throw new Error(`${(err as Error).message}\n${printed}`);
  }
  return server;
}

async function waitUntilServing(baseUrl: string, withinMs: number, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => { gone = true; });
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error('the server exited before it served');
    if (await answers(baseUrl)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not serve within ${withinMs} ms`);
}

/** Whether anything answers HTTP on the address now. */
export async function answers(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/sim/api/health`, { headers: { Authorization: `Bearer ${TEST_SIM_TOKEN}` }, signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** The process ids under `pid`, read from /proc (Linux); none elsewhere. */
export function descendantsOf(pid: number): number[] {
  let children: number[];
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)]);
}

/** Whether the process still runs: an exited one that nobody has reaped yet (a zombie) does not. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
