// Scenario templates: each scenario and seed is built once, in a worker thread, into a file of its
// own under DATA_DIR/templates; a new or reset sandbox is a copy of that file. Templates are made at
// the scenario's start (SCENARIO_EPOCH unless it sets its own) and kept across restarts, named by a
// fingerprint of the code, settings and scenario document that make them, so a restart rebuilds
// only what changed. At most TEMPLATE_CACHE_SIZE are kept, the least recently used removed first.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { scenarioStartMs } from '../../../seed/load-scenario';
import type { ScenarioDefinition } from '../../../seed/scenario';
import type { Config } from '../../config';
import { readMigrations } from '../../db/migrate';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { projectPath } from '../../lib/project-root';
import { APP_VERSION } from '../../lib/version';
import type { ScenarioCatalog } from '../scenarios/scenario-catalog';

export interface ScenarioTemplate {
  scenario: string;
  seed: number;
  file: string;
  /** Simulated time at which the template's data was made: the scenario epoch. */
  epochMs: number;
}

/** What the worker is given: plain data only. */
export interface TemplateJob {
  config: Config;
  /** The scenario itself: one loaded through the API lives only in this thread's memory. */
  definition: ScenarioDefinition;
  scenario: string;
  seed: number;
  file: string;
}

export type TemplateWorkerMessage =
  | { type: 'progress'; message: string }
  | { type: 'built'; epochMs: number }
  | { type: 'failed'; message: string };

interface Entry {
  ready: Promise<ScenarioTemplate>;
  file: string;
  built: boolean;
  /** Copies of it under way: an entry being copied is never removed. */
  copying: number;
}

const DEFAULT_SEED = 1;
const TEMPLATE_FILE = /^([a-z][a-z0-9_]*)-(\d+)-([0-9a-f]{16})\.sqlite$/;

// Under tests and tsx the sources are TypeScript, which a worker thread runs through tsx's loader;
// compiled, the worker is plain JavaScript beside this file.
const RUNNING_TYPESCRIPT = path.extname(__filename) === '.ts';
const WORKER_FILE = path.join(__dirname, `template-worker${path.extname(__filename)}`);
const WORKER_EXEC_ARGV = RUNNING_TYPESCRIPT ? ['--require', require.resolve('tsx/cjs')] : [];

/**
 * Names what every template's content depends on: the app's version, the migrations, the seed code
 * and the worker that runs it, and the settings the seed reads (epoch, bcrypt cost, portal rules). A
 * change to any makes new templates; so does a change to a scenario's document (scenarioFingerprint).
 */
export function templateFingerprint(config: Config): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify({ version: APP_VERSION, epoch: config.scenarioEpochMs, bcryptCost: config.bcryptCost, rules: config.rules }));
  for (const migration of readMigrations()) hash.update(migration.name).update(migration.sql);
  // The sources, whether this runs from them or from dist/: both make the same templates.
  const seedFiles = fs.readdirSync(projectPath('seed')).filter((name) => name.endsWith('.ts')).sort().map((name) => path.join('seed', name));
  for (const file of [...seedFiles, path.join('src', 'features', 'sandboxes', 'template-worker.ts')]) {
    hash.update(file).update(fs.readFileSync(projectPath(file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The fingerprint of one scenario's templates: the code's, and the scenario's document as it is now. */
export function scenarioFingerprint(codeFingerprint: string, scenario: ScenarioDefinition): string {
  return crypto.createHash('sha256').update(codeFingerprint).update(JSON.stringify(scenario)).digest('hex').slice(0, 16);
}

export class ScenarioTemplates {
  /** Built or being built, least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private readonly workers = new Set<Worker>();
  private readonly fingerprint: string;
  private closed = false;

  constructor(
    private readonly directory: string,
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly scenarios: ScenarioCatalog,
  ) {
    this.fingerprint = templateFingerprint(config);
    fs.mkdirSync(directory, { recursive: true });
    this.adoptSavedTemplates();
  }

  /** The template of a scenario and seed, built first if need be. */
  async template(scenarioName: string, seed = DEFAULT_SEED): Promise<ScenarioTemplate> {
    return this.entry(scenarioName, seed).ready;
  }

  /**
   * Copies the template to `destination` off the event loop (on libuv's thread pool), and flushes the
   * copy to disk there too: otherwise SQLite's first checkpoint on the event loop would wait for
   * hundreds of megabytes to be written (0.2–0.7 s for `large`), and a crash could leave a torn copy.
   */
  async copyTo(scenarioName: string, seed: number | undefined, destination: string): Promise<ScenarioTemplate> {
    const entry = this.entry(scenarioName, seed ?? DEFAULT_SEED);
    entry.copying += 1;
    try {
      const template = await entry.ready;
      await fs.promises.copyFile(template.file, destination);
      const copy = await fs.promises.open(destination, 'r+');
      try {
        await copy.sync();
      } finally {
        await copy.close();
      }
      return template;
    } finally {
      entry.copying -= 1;
    }
  }

  /** Stops every build under way, so that a shutdown never waits for one. */
  close(): void {
    this.closed = true;
    for (const worker of this.workers) void worker.terminate();
  }

  private entry(scenarioName: string, seed: number): Entry {
    // Named by the document's fingerprint too: a scenario loaded again with other content is another template.
    const scenario = this.scenarios.find(scenarioName);
    if (!scenario) throw new AppError(400, 'unknown_scenario', `There is no scenario named "${scenarioName}".`);
    const key = `${scenarioName}-${seed}-${scenarioFingerprint(this.fingerprint, scenario)}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      // Its file's time records the use, so that a restart knows which templates were used last.
      if (entry.built) fs.promises.utimes(entry.file, new Date(), new Date()).catch(() => undefined);
    } else {
      const file = path.join(this.directory, `${key}.sqlite`);
      const created: Entry = { file, built: false, copying: 0, ready: this.build(scenario, seed, file) };
      created.ready.then(() => {
        created.built = true;
        this.removeLeastRecentlyUsed();
      }, () => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      });
      entry = created;
    }
    this.entries.set(key, entry);
    return entry;
  }

  private build(definition: ScenarioDefinition, seed: number, file: string): Promise<ScenarioTemplate> {
    if (this.closed) return Promise.reject(new AppError(503, 'shutting_down', 'The simulator is shutting down.'));
    const scenario = definition.name;
    this.logger.info({ scenario, seed }, 'building scenario template');
    const job: TemplateJob = { config: this.config, definition, scenario, seed, file };
    const worker = new Worker(WORKER_FILE, { workerData: job, execArgv: WORKER_EXEC_ARGV });
    this.workers.add(worker);
    return new Promise((resolve, reject) => {
      worker.on('message', (message: TemplateWorkerMessage) => {
        if (message.type === 'progress') this.logger.info({ scenario, seed }, message.message);
        else if (message.type === 'built') resolve({ scenario, seed, file, epochMs: message.epochMs });
        else reject(new Error(`Building the ${scenario} template failed: ${message.message}`));
      });
      worker.on('error', reject);
      worker.on('exit', () => {
        this.workers.delete(worker);
        // Settled already unless the worker was stopped (a shutdown) or died.
        reject(new AppError(503, 'shutting_down', 'The scenario template was not finished: the simulator is shutting down.'));
      });
    });
  }

  private removeLeastRecentlyUsed(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.config.templateCacheSize) return;
      if (!entry.built || entry.copying > 0) continue;
      this.entries.delete(key);
      fs.rmSync(entry.file, { force: true });
    }
  }

  /** Takes up the templates an earlier run left with this fingerprint; removes every other file. */
  private adoptSavedTemplates(): void {
    const saved: Array<{ key: string; entry: Entry; usedAt: number }> = [];
    for (const name of fs.readdirSync(this.directory)) {
      const file = path.join(this.directory, name);
      const match = TEMPLATE_FILE.exec(name);
      const scenario = match ? this.scenarios.find(match[1]!) : undefined;
      if (!match || !scenario || match[3] !== scenarioFingerprint(this.fingerprint, scenario)) {
        fs.rmSync(file, { recursive: true, force: true });
        continue;
      }
      const template: ScenarioTemplate = { scenario: match[1]!, seed: Number(match[2]), file, epochMs: scenarioStartMs(scenario, this.config) };
      saved.push({
        key: `${template.scenario}-${template.seed}-${match[3]}`,
        entry: { file, built: true, copying: 0, ready: Promise.resolve(template) },
        usedAt: fs.statSync(file).mtimeMs,
      });
    }
    saved.sort((a, b) => a.usedAt - b.usedAt);
    for (const { key, entry } of saved) this.entries.set(key, entry);
    this.removeLeastRecentlyUsed();
  }
}
