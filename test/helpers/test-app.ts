// A real simulator on real SQLite (each sandbox a file in the test's own data directory), with a
// frozen real clock under the simulated one, a cheap bcrypt cost and a captured log. Every page it
// renders is also rendered by stock EJS and must come out the same (./view-equivalence).
import fs from 'node:fs';
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { findScenario, loadScenario } from '../../seed/load-scenario';
import { loadConfig, type Config } from '../../src/config';
import { createContext, type AppContext } from '../../src/context';
import { createLogger } from '../../src/lib/logger';
import { createSimulator, type Simulator } from '../../src/simulator';
import { compareViewsWithStockEjs, takeViewDifferences } from './view-equivalence';

export const TEST_SIM_TOKEN = 'test-sim-token-0123456789abcdef';
export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef-0123456789';
/** Real time stands still in tests at this instant; only the simulated clock's offset moves. */
export const FROZEN_REAL_NOW = Date.parse('2026-03-02T09:00:00.000Z');

export interface TestApp {
  /** The simulator's request listener: routes by X-Sim-Sandbox or host to the sandbox's app. */
  app: RequestListener;
  /** The default sandbox's Express app. */
  expressApp: Express;
  context: AppContext;
  simulator: Simulator;
  /** Every log line the app wrote, raw. */
  logLines: string[];
  close(): void;
}

export interface TestAppOptions {
  scenario?: string;
  env?: Record<string, string>;
  /** Use this database file for the default sandbox instead of a fresh one in the data directory. */
  databaseFile?: string;
  /** Use this data directory (kept on close) instead of a fresh temporary one, to restart on it. */
  dataDir?: string;
  /** Real time under the simulated clock; frozen at FROZEN_REAL_NOW unless given. */
  realNowMs?: () => number;
}

export function testConfig(env: Record<string, string> = {}): Config {
  // Scenarios start at the frozen real time, so a reset or new sandbox is where a fresh test app is.
  return loadConfig({ BCRYPT_COST: '4', LOG_LEVEL: 'info', SCENARIO_EPOCH: new Date(FROZEN_REAL_NOW).toISOString(), ...env });
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  compareViewsWithStockEjs();
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'atwork-test-data-'));
  const config = testConfig({ DATA_DIR: dataDir, ...options.env });
  const realNowMs = options.realNowMs ?? (() => FROZEN_REAL_NOW);
  const context = createContext({
    config,
    logger: createLogger(config.logLevel, sink),
    sessionSecret: TEST_SESSION_SECRET,
    simToken: TEST_SIM_TOKEN,
    // A file rather than memory: a reset copies the scenario's template over the sandbox's file.
    databaseFile: options.databaseFile ?? path.join(dataDir, 'portal.sqlite'),
    realNowMs,
  });
  const scenario = options.scenario ?? 'default';
  if (scenario !== 'none') await loadScenario(context, findScenario(scenario)!);
  const simulator = createSimulator({ defaultContext: context, sessionSecret: TEST_SESSION_SECRET, simToken: TEST_SIM_TOKEN, realNowMs });
  return {
    app: simulator.handle,
    expressApp: simulator.sandboxes.defaultSandbox.app,
    context,
    simulator,
    logLines,
    close: () => {
      simulator.close();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      const differences = takeViewDifferences();
      if (differences.length > 0) throw new Error(`Pages rendered differently by stock EJS:\n${differences.join('\n')}`);
    },
  };
}

export function temporaryDirectory(prefix = 'atwork-test-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export interface ListeningTestApp {
  baseUrl: string;
  close(): Promise<void>;
}

/** Serves a test app on a free port of 127.0.0.1, for tests that run a real client in another process. */
export async function listenOnLocalhost(t: TestApp): Promise<ListeningTestApp> {
  const server = http.createServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
