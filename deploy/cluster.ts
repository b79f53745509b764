// npm run start:cluster: the simulator sharded on this machine — N processes (one per core unless
// CLUSTER_SHARDS says otherwise), each with its own DATA_DIR and the same SIM_TOKEN and
// SESSION_SECRET, and HAProxy in front on HOST:PORT routing every sandbox to its process. A process
// that dies is started again on its data; Ctrl-C (SIGINT) or SIGTERM stops them all.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { readOrCreateSecret } from '../src/lib/secret-files';
import { haproxyConfig } from './haproxy-config';

interface ClusterSettings {
  host: string;
  port: number;
  shards: number;
  firstShardPort: number;
  dataDir: string;
  /** HTTPS beside HTTP: TLS_PORT and TLS_CERTIFICATE (a PEM file with the certificate and key). */
  tls: { port: number; certificate: string } | undefined;
  baseDomain: string | undefined;
  haproxy: string;
  restartDelayMs: number;
}

function whole(name: string, fallback: number, min: number, max: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}.`);
  return value;
}

function tlsFromEnvironment(): ClusterSettings['tls'] {
  const certificate = process.env.TLS_CERTIFICATE;
  if (!certificate) return undefined;
  if (!fs.existsSync(certificate)) throw new Error(`TLS_CERTIFICATE: no file at ${certificate}`);
  return { port: whole('TLS_PORT', 3443, 1, 65535), certificate: path.resolve(certificate) };
}

function settingsFromEnvironment(): ClusterSettings {
  const port = whole('PORT', 3000, 1, 65535);
  const shards = whole('CLUSTER_SHARDS', os.availableParallelism(), 1, 64);
  const firstShardPort = whole('CLUSTER_FIRST_SHARD_PORT', port + 1, 1, 65535 - shards);
  return {
    host: process.env.HOST || '127.0.0.1', port, shards, firstShardPort,
    dataDir: path.resolve(process.env.DATA_DIR || './data/cluster'),
    tls: tlsFromEnvironment(),
    baseDomain: process.env.SIM_BASE_DOMAIN || undefined,
    haproxy: process.env.HAPROXY || (fs.existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy'),
    restartDelayMs: whole('CLUSTER_RESTART_DELAY_MS', 1_000, 0, 600_000),
  };
}

/** Copies a child's output to ours, each line marked with whose it is. */
function relay(child: ChildProcess, label: string): void {
  for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
    if (stream) readline.createInterface({ input: stream }).on('line', (line) => out.write(`[${label}] ${line}\n`));
  }
}

async function answers(url: string, token: string): Promise<boolean> {
  try {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(1_000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function waitUntilAnswering(url: string, token: string, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await answers(url, token))) {
    if (performance.now() > deadline) throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const settings = settingsFromEnvironment();
  fs.mkdirSync(settings.dataDir, { recursive: true });
  const generatedToken = process.env.SIM_TOKEN ? undefined : readOrCreateSecret(settings.dataDir, 'sim-token');
  const simToken = process.env.SIM_TOKEN || generatedToken!.value;
  const sessionSecret = process.env.SESSION_SECRET || readOrCreateSecret(settings.dataDir, 'session-secret').value;
  const shardAddresses = Array.from({ length: settings.shards }, (_, index) => `127.0.0.1:${settings.firstShardPort + index}`);
  const server = path.join(__dirname, '..', 'src', 'server.js');
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  /** 0 when stopped by a signal; 1 when the cluster could not start or HAProxy died. */
  let exitCode = 0;

  const startShard = (index: number, delayMs = settings.restartDelayMs) => {
    const label = `shard${index}`;
    const child = spawn(process.execPath, [server], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HOST: '127.0.0.1', PORT: String(settings.firstShardPort + index),
        DATA_DIR: path.join(settings.dataDir, `shard-${index}`),
        SHARD_INDEX: String(index), SHARD_COUNT: String(settings.shards),
        INSTANCE_NAME: `${label}@${os.hostname()}`,
        SIM_TOKEN: simToken, SESSION_SECRET: sessionSecret,
        // Only the balancer, on this machine, is believed about the client's address and scheme.
        TRUST_PROXY: '127.0.0.1',
      },
    });
    children.set(label, child);
    relay(child, label);
    const startedAt = performance.now();
    child.on('exit', (code, signal) => {
      children.delete(label);
      if (stopping) return;
      // One that dies at once is not started again at once: the pause doubles, up to a minute.
      const next = performance.now() - startedAt < 10_000 ? Math.min(Math.max(delayMs, 500) * 2, 60_000) : settings.restartDelayMs;
      console.error(`[cluster] ${label} stopped (${signal ?? `exit ${code}`}); starting it again in ${Math.round(next / 100) / 10} s`);
      setTimeout(() => { if (!stopping) startShard(index, next); }, next).unref();
    });
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[cluster] ${signal}: stopping ${children.size} process(es)`);
    for (const child of children.values()) child.kill('SIGTERM');
    // The simulator exits within 5 s of SIGTERM; this is the backstop for anything that did not.
    setTimeout(() => {
      for (const child of children.values()) child.kill('SIGKILL');
      process.exit(1);
    }, 6_000).unref();
    const poll = setInterval(() => { if (children.size === 0) { clearInterval(poll); process.exit(exitCode); } }, 50);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    await startBalancedShards();
  } catch (err) {
    console.error(`[cluster] ${(err as Error).message}`);
    exitCode = 1;
    stop('SIGTERM');
  }

  async function startBalancedShards(): Promise<void> {
    for (let index = 0; index < settings.shards; index += 1) startShard(index);
    await Promise.all(shardAddresses.map((address, index) => waitUntilAnswering(`http://${address}/sim/api/health`, simToken, `shard${index}`)));

    const configFile = path.join(settings.dataDir, 'haproxy.cfg');
    const { host, tls } = settings;
    fs.writeFileSync(configFile, haproxyConfig({
      bind: `${host}:${settings.port}`, shards: shardAddresses, baseDomain: settings.baseDomain,
      ...(tls ? { tls: { bind: `${host}:${tls.port}`, certificate: tls.certificate } } : {}),
    }));
    const balancer = spawn(settings.haproxy, ['-db', '-f', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    balancer.on('error', (err) => {
      console.error(`[cluster] could not start HAProxy (${err.message}). Install it (Debian: apt-get install haproxy) or set HAPROXY to its path.`);
      exitCode = 1;
      stop('SIGTERM');
    });
    balancer.on('exit', (code, signal) => {
      children.delete('haproxy');
      if (!stopping) {
        console.error(`[cluster] HAProxy stopped (${signal ?? `exit ${code}`}): stopping the cluster`);
        exitCode = 1;
        stop('SIGTERM');
      }
    });
    children.set('haproxy', balancer);
    relay(balancer, 'haproxy');

    const hostInUrl = host.includes(':') ? `[${host}]` : host;
    const origin = `http://${hostInUrl}:${settings.port}${tls ? ` and https://${hostInUrl}:${tls.port}` : ''}`;
    await waitUntilAnswering(`http://${hostInUrl}:${settings.port}/sim/api/health`, simToken, 'HAProxy', 10_000);
    if (generatedToken?.created) console.log(`[cluster] Simulator API token (kept in ${settings.dataDir}/sim-token): ${simToken}`);
    console.log(`[cluster] @Work Portal Simulator: ${settings.shards} shard(s) behind HAProxy, listening on ${origin}`);
  }
}

main().catch((err: unknown) => {
  console.error(`[cluster] ${(err as Error).message}`);
  process.exit(1);
});
