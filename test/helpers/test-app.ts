// A real app on a real (in-memory or temporary-file) SQLite database, with a frozen real clock
// under the simulated one, a cheap bcrypt cost and a log captured in memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import { findScenario, loadScenario } from '../../seed/load-scenario';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { closeContext, createContext, type AppContext } from '../../src/context';
import { createLogger } from '../../src/lib/logger';

export const TEST_SIM_TOKEN = 'test-sim-token-0123456789abcdef';
export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef-0123456789';
/** Real time stands still in tests at this instant; only the simulated clock's offset moves. */
export const FROZEN_REAL_NOW = Date.parse('2026-03-02T09:00:00.000Z');

export interface TestApp {
  app: Express;
  context: AppContext;
  /** Every log line the app wrote, raw. */
  logLines: string[];
  close(): void;
}

export interface TestAppOptions {
  scenario?: string;
  env?: Record<string, string>;
  /** Use this database file instead of a fresh in-memory database. */
  databaseFile?: string;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ BCRYPT_COST: '4', LOG_LEVEL: 'info', DATA_DIR: os.tmpdir(), ...env });
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const config = testConfig(options.env);
  const context = createContext({
    config,
    logger: createLogger(config.logLevel, sink),
    sessionSecret: TEST_SESSION_SECRET,
    simToken: TEST_SIM_TOKEN,
    databaseFile: options.databaseFile ?? ':memory:',
    realNowMs: () => FROZEN_REAL_NOW,
  });
  const scenario = options.scenario ?? 'default';
  if (scenario !== 'none') {
    await loadScenario(context, findScenario(scenario)!);
  }
  return { app: createApp(context), context, logLines, close: () => closeContext(context) };
}

export function temporaryDirectory(prefix = 'atwork-test-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
