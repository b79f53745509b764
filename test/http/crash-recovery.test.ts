// A crash loses no acknowledged write and no sandbox: the real server, killed with SIGKILL in the
// middle of a write load, comes back on the same data directory with everything it acknowledged.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { TEST_SIM_TOKEN, temporaryDirectory } from '../helpers/test-app';

jest.setTimeout(120_000);

const PROJECT = path.join(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
}

async function startServer(dataDir: string): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SIM_TOKEN: TEST_SIM_TOKEN, BCRYPT_COST: '4', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server did not start in time:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

interface Answer {
  status: number;
  body: {
    id?: string;
    sandbox?: string;
    charge?: { id: number };
    cards?: Array<{ id: number }>;
    sandboxes?: Array<{ id: string }>;
  };
}

async function call(server: RunningServer, method: string, url: string, sandbox?: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { Authorization: `Bearer ${TEST_SIM_TOKEN}`, 'Content-Type': 'application/json', ...(sandbox ? { 'X-Sim-Sandbox': sandbox } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

describe('a kill -9 under write load', () => {
  it('loses no acknowledged write, and every sandbox is back after the restart', async () => {
    const data = temporaryDirectory();
    const servers: RunningServer[] = [];
    try {
      const first = await startServer(data.dir);
      servers.push(first);
      const sandboxes: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const created = await call(first, 'POST', '/sim/api/sandboxes', undefined, {});
        expect(created.status).toBe(201);
        sandboxes.push(created.body.id!);
      }
      const acknowledged = new Map<string, number[]>(sandboxes.map((id) => [id, []]));
      let crashed = false;
      const writer = async (sandbox: string, cardId: number) => {
        for (let n = 0; !crashed; n += 1) {
          try {
            const res = await call(first, 'POST', '/sim/api/charges', sandbox, { cardId, merchant: `Load ${n}`, amountCents: 100 + n });
            if (res.status === 201) acknowledged.get(sandbox)!.push(res.body.charge!.id);
          } catch {
            return;
          }
        }
      };
      const writers: Array<Promise<void>> = [];
      for (const sandbox of sandboxes) {
        const cardId = (await call(first, 'GET', '/sim/api/cards', sandbox)).body.cards![0]!.id;
        for (let i = 0; i < 3; i += 1) writers.push(writer(sandbox, cardId));
      }
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await killed(first.child);
      crashed = true;
      await Promise.all(writers);
      for (const ids of acknowledged.values()) expect(ids.length).toBeGreaterThan(0);

      const second = await startServer(data.dir);
      servers.push(second);
      const listed = (await call(second, 'GET', '/sim/api/sandboxes')).body.sandboxes!.map((s) => s.id);
      expect(listed).toEqual(expect.arrayContaining(['default', ...sandboxes]));
      for (const sandbox of sandboxes) {
        expect((await call(second, 'GET', '/sim/api/health', sandbox)).body.sandbox).toBe(sandbox);
        const db = new BetterSqlite3(path.join(data.dir, 'sandboxes', `${sandbox}.sqlite`), { readonly: true });
        try {
          const stored = new Set(db.prepare('SELECT id FROM charges').pluck().all() as number[]);
          const lost = acknowledged.get(sandbox)!.filter((id) => !stored.has(id));
          expect(lost).toEqual([]);
        } finally {
          db.close();
        }
      }
    } finally {
      for (const server of servers) await killed(server.child);
      data.remove();
    }
  });
});
