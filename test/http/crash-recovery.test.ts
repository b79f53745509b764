// A crash loses no acknowledged write and no sandbox: the real server, killed with SIGKILL in the
// middle of a write load, comes back on the same data directory with everything it acknowledged.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { TEST_SIM_TOKEN, temporaryDirectory } from '../helpers/test-app';

jest.setTimeout(120_000);

function killed(server: ServerProcess): Promise<unknown> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return Promise.resolve();
  server.child.kill('SIGKILL');
  return server.exited;
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

async function call(server: ServerProcess, method: string, url: string, sandbox?: string, body?: unknown): Promise<Answer> {
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
    const servers: ServerProcess[] = [];
    try {
      const first = await startServerProcess({ dataDir: data.dir, env: { LOG_LEVEL: 'warn' } });
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
      await killed(first);
      crashed = true;
      await Promise.all(writers);
      for (const ids of acknowledged.values()) expect(ids.length).toBeGreaterThan(0);

      const second = await startServerProcess({ dataDir: data.dir, env: { LOG_LEVEL: 'warn' } });
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
      for (const server of servers) await server.cleanUp();
      data.remove();
    }
  });
});
