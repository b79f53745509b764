// SIGTERM to the real server: what is in flight is answered, long polls at once, and it exits.
import bcrypt from 'bcrypt';
import fs from 'node:fs';
import path from 'node:path';
import { findScenario, loadScenario } from '../../seed/load-scenario';
import { DATABASE_FILE } from '../../src/boot';
import { closeContext, createContext } from '../../src/context';
import { createLogger } from '../../src/lib/logger';
import { persona } from '../helpers/actors';
import { csrfTokenIn } from '../helpers/pages';
import { answers, startServerProcess, temporaryDataDir, type ServerProcess } from '../helpers/server-process';
import { TEST_SESSION_SECRET, TEST_SIM_TOKEN, testConfig } from '../helpers/test-app';

/** A cost at which one bcrypt comparison takes around a second: long enough to be caught mid-way. */
const SLOW_BCRYPT_COST = 13;
/** The most a shutdown may take, from SIGTERM to exit. */
const SHUTDOWN_LIMIT_MS = 5_000;

jest.setTimeout(120_000);

/**
 * A data directory seeded at a cheap cost, in which one persona's password hash is slow to check,
 * so the server starts quickly and that persona's sign-in is still in flight a moment later.
 */
async function dataDirWithASlowPassword(userId: string): Promise<string> {
  const dataDir = temporaryDataDir();
  const config = testConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const context = createContext({
    config, logger: createLogger('silent'), sessionSecret: TEST_SESSION_SECRET, simToken: TEST_SIM_TOKEN,
    databaseFile: path.join(dataDir, DATABASE_FILE),
  });
  try {
    await loadScenario(context, findScenario('default')!);
    const slowHash = await bcrypt.hash(persona(userId).password, SLOW_BCRYPT_COST);
    context.db.run('UPDATE program_administrators SET password_hash = ? WHERE user_id = ?', slowHash, userId);
  } finally {
    closeContext(context);
  }
  return dataDir;
}

describe('SIGTERM to the server', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => { await server?.cleanUp(); });

  it('answers a sign-in in flight in full, a long poll at once with 503, and exits within 5 s', async () => {
    const userId = 'globex.primary';
    const dataDir = await dataDirWithASlowPassword(userId);
    server = await startServerProcess({ dataDir });
    const { baseUrl } = server;
    try {
      const loginPage = await fetch(`${baseUrl}/login`);
      const cookie = loginPage.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const token = csrfTokenIn(await loginPage.text());

      const longPoll = fetch(`${baseUrl}/sim/api/outbox/wait?to=nobody@example.com&timeoutMs=30000`, {
        headers: { Authorization: `Bearer ${TEST_SIM_TOKEN}` },
      }).then(async (res) => ({ status: res.status, body: await res.json() as { error?: { code: string } }, at: Date.now() }));
      const signIn = fetch(`${baseUrl}/login`, {
        method: 'POST', redirect: 'manual',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, userId, password: persona(userId).password }).toString(),
      }).then(async (res) => ({ status: res.status, location: res.headers.get('location'), body: await res.text(), at: Date.now() }));

      // Both requests have reached the server: the sign-in is checking its slow hash.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signalledAt = Date.now();
      server.child.kill('SIGTERM');

      const [poll, signedIn, exit] = await Promise.all([longPoll, signIn, server.exited.then((e) => ({ ...e, at: Date.now() }))]);
      expect(poll.status).toBe(503);
      expect(poll.body.error?.code).toBe('shutting_down');
      expect(poll.at - signalledAt).toBeLessThan(1_000);
      // The sign-in was still checking the password when the signal came, and was answered in full.
      expect(signedIn.at).toBeGreaterThan(signalledAt);
      expect(signedIn.status).toBe(303);
      expect(signedIn.location).toBe('/home');
      expect(exit.code).toBe(0);
      expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_LIMIT_MS);
      expect(await answers(baseUrl)).toBe(false);
    } finally {
      await server.cleanUp();
      server = undefined;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers a reset waiting on a template build with 503 at once, rather than cutting it off at the drain limit', async () => {
    server = await startServerProcess();
    const { baseUrl } = server;
    // A seed never built before: its template is made in a worker thread, which takes a while.
    const reset = fetch(`${baseUrl}/sim/api/reset`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_SIM_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ scenario: 'large', seed: 7 }),
    }).then(async (res) => ({ status: res.status, body: await res.json() as { error?: { code: string } }, at: Date.now() }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const [answered, exit] = await Promise.all([reset, server.exited.then((e) => ({ ...e, at: Date.now() }))]);
    expect(answered.status).toBe(503);
    expect(answered.body.error?.code).toBe('shutting_down');
    expect(answered.at - signalledAt).toBeLessThan(1_000);
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(2_000);
  });

  it('exits within 5 s even when a request in flight would take half a minute', async () => {
    server = await startServerProcess();
    const { baseUrl } = server;
    const injected = await fetch(`${baseUrl}/sim/api/faults`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_SIM_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ pattern: '/help', latencyMs: 30_000 }),
    });
    expect(injected.status).toBe(201);
    const stuck = fetch(`${baseUrl}/help`).then((res) => res.status, () => 'cut off');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    const exitedAfterMs = Date.now() - signalledAt;
    expect(exitedAfterMs).toBeLessThan(SHUTDOWN_LIMIT_MS);
    expect(exit.signal).toBeNull();
    expect(await stuck).toBe('cut off');
  });
});
