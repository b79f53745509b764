// The sandboxes of one simulator process: the default one and those QA runs create, each with its
// own SQLite file, clock, outbox, sessions and faults. Requests choose theirs by the X-Sim-Sandbox
// header or by the host <id>.localhost (or <id>.<SIM_BASE_DOMAIN>). Behind a balancer, a process
// holds only the ids of its shard (lib/shards.ts) and makes no other. Sandboxes outlive a restart
// (their files and a small record beside each stay in DATA_DIR/sandboxes) until deleted or idle for
// SANDBOX_IDLE_MINUTES.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Express } from 'express';
import type { Config } from '../../config';
import { closeContext, createContext, type AppContext } from '../../context';
import { DEFAULT_SANDBOX_ID } from '../../lib/sandbox-id';
import { SandboxHosts } from '../../lib/sandbox-host';
import { holds } from '../../lib/shards';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { currentScenarioName } from '../sim/sim.repository';
import { SandboxSnapshots, snapshotDirectoryOf, unknownSnapshot, type SnapshotSummary } from './sandbox-snapshots';
import type { ScenarioTemplates } from './scenario-templates';

export interface Sandbox {
  id: string;
  /** The same object for the sandbox's whole life: a reset swaps the database file under it. */
  context: AppContext;
  app: Express;
  scenario: string;
  createdAt: number;
  /** Real time of the last request, for closing idle sandboxes. */
  lastUsedAt: number;
}

/** What is kept beside a sandbox's file, so that a restart knows it again. */
interface SandboxRecord {
  scenario: string;
  createdAt: number;
  lastUsedAt: number;
}

export interface RegistryOptions {
  config: Config;
  logger: Logger;
  sessionSecret: string;
  simToken: string;
  templates: ScenarioTemplates;
  /** Builds the app of a sandbox (createApp with the simulator's controls). */
  appFor: (context: AppContext) => Express;
  realNowMs: () => number;
}

const SANDBOX_ID = /^[a-z0-9][a-z0-9-]{2,39}$/;
const SANDBOX_FILE = /^(.+)\.sqlite$/;
const SNAPSHOT_FOLDER = /^(.+)\.snapshots$/;
/** lastUsedAt is written to disk at most this often per sandbox: a restart needs it to the minute, not the request. */
const LAST_USED_SAVE_INTERVAL_MS = 60_000;

export function unknownSandbox(): AppError {
  return new AppError(404, 'unknown_sandbox', 'There is no sandbox with that id: it was deleted, closed when idle, or never made.');
}

function wrongShard(id: string, config: Config): AppError {
  return new AppError(421, 'wrong_shard',
    `This simulator process is shard ${config.shard.index} of ${config.shard.count} and does not hold the id "${id}". Create sandboxes through the balancer, which sends each id to its shard.`);
}

const shuttingDown = () => new AppError(503, 'shutting_down', 'The simulator is shutting down.');

/** What a sandbox's data is replaced by: a copy written to the given file, and the simulated instant it resumes at. */
type Replacement = (destination: string) => Promise<{ epochMs: number; scenario?: string }>;

export class SandboxRegistry {
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly directory: string;
  /** Creations past the limit check and not yet open: they hold their place in MAX_SANDBOXES. */
  private reserved = 0;
  /** Ids being created and not yet open: a second creation with one of them is refused. */
  private readonly creating = new Set<string>();
  /** The last reset of each sandbox still under way: resets of one sandbox run one after another. */
  private readonly resets = new Map<string, Promise<unknown>>();
  private readonly savedLastUsedAt = new Map<string, number>();
  private closed = false;
  private readonly hosts: SandboxHosts;

  constructor(private readonly options: RegistryOptions, defaultContext: AppContext) {
    this.hosts = new SandboxHosts(options.config.baseDomain);
    this.directory = path.join(options.config.dataDir, 'sandboxes');
    fs.mkdirSync(this.directory, { recursive: true });
    const now = options.realNowMs();
    this.sandboxes.set(DEFAULT_SANDBOX_ID, {
      id: DEFAULT_SANDBOX_ID, context: defaultContext, app: options.appFor(defaultContext), scenario: currentScenarioName(defaultContext.db), createdAt: now, lastUsedAt: now,
    });
    this.reopenSavedSandboxes();
  }

  get defaultSandbox(): Sandbox {
    return this.sandboxes.get(DEFAULT_SANDBOX_ID)!;
  }

  /** The sandbox a request addresses, or undefined for an id that does not exist. */
  resolve(req: IncomingMessage): Sandbox | undefined {
    const header = req.headers['x-sim-sandbox'];
    const fromHeader = typeof header === 'string' && header.length > 0 ? header.toLowerCase() : undefined;
    const fromHost = this.hosts.idOf(req.headers.host ?? '');
    const id = fromHeader ?? fromHost ?? DEFAULT_SANDBOX_ID;
    const sandbox = this.sandboxes.get(id);
    if (sandbox) {
      sandbox.lastUsedAt = this.options.realNowMs();
      if (sandbox.id !== DEFAULT_SANDBOX_ID && sandbox.lastUsedAt - (this.savedLastUsedAt.get(id) ?? 0) >= LAST_USED_SAVE_INTERVAL_MS) this.saveRecord(sandbox);
    }
    return sandbox;
  }

  list(): Sandbox[] {
    return [...this.sandboxes.values()];
  }

  /** A new sandbox; `chosenId` (valid, lower case, not `default`) names it, or the registry does. */
  async create(scenario: string, seed?: number, chosenId?: string): Promise<Sandbox> {
    this.closeIdle();
    const { shard } = this.options.config;
    if (chosenId !== undefined && !holds(shard, chosenId)) throw wrongShard(chosenId, this.options.config);
    if (chosenId !== undefined && (this.sandboxes.has(chosenId) || this.creating.has(chosenId))) {
      throw new AppError(409, 'sandbox_exists', `A sandbox with the id "${chosenId}" is open already. Choose another id, or delete it first.`);
    }
    // The place is taken before the first await: creations running at once all count.
    if (this.sandboxes.size - 1 + this.reserved >= this.options.config.maxSandboxes) {
      throw new AppError(429, 'too_many_sandboxes', `At most ${this.options.config.maxSandboxes} sandboxes can be open at once. Delete one first.`);
    }
    this.reserved += 1;
    const id = chosenId ?? this.newId();
    this.creating.add(id);
    const file = this.fileOf(id);
    try {
      const template = await this.options.templates.copyTo(scenario, seed, `${file}.next`);
      if (this.closed) throw shuttingDown();
      fs.renameSync(`${file}.next`, file);
      const context = createContext({
        config: this.options.config, logger: this.options.logger, sessionSecret: this.options.sessionSecret, simToken: this.options.simToken,
        databaseFile: file, sandboxId: id, realNowMs: this.options.realNowMs,
      });
      context.clock.restartAt(template.epochMs);
      const now = this.options.realNowMs();
      const sandbox: Sandbox = { id, context, app: this.options.appFor(context), scenario: template.scenario, createdAt: now, lastUsedAt: now };
      this.sandboxes.set(id, sandbox);
      this.saveRecord(sandbox);
      return sandbox;
    } finally {
      this.reserved -= 1;
      this.creating.delete(id);
      fs.rmSync(`${file}.next`, { force: true });
    }
  }

  /** A fresh id of this process's shard: random ones are drawn until one hashes here (count tries on average). */
  private newId(): string {
    for (;;) {
      const id = `sb-${crypto.randomBytes(6).toString('hex')}`;
      if (holds(this.options.config.shard, id) && !this.sandboxes.has(id)) return id;
    }
  }

  /**
   * Restores a sandbox to a scenario: the template's file is copied beside the sandbox's off the
   * event loop, then, in one synchronous step, the sandbox's long polls end, its connection closes,
   * the copy takes the file's place and is opened. A sandbox deleted meanwhile answers unknown_sandbox.
   */
  reset(id: string, scenario: string, seed?: number): Promise<Sandbox> {
    return this.inTurn(id, (sandbox) => this.replaceData(sandbox, (next) => this.options.templates.copyTo(scenario, seed, next)));
  }

  /** Brings a snapshot of the sandbox back, by the same swap as a reset; the clock resumes at the snapshot's instant. */
  restoreSnapshot(id: string, name: string): Promise<Sandbox> {
    return this.inTurn(id, (sandbox) => this.replaceData(sandbox, async (next) => ({ epochMs: await this.snapshotsOf(sandbox).copyTo(name, next) })));
  }

  /** Saves the sandbox's whole state under `name`, in turn with its resets and restores. */
  saveSnapshot(id: string, name: string): Promise<SnapshotSummary> {
    return this.inTurn(id, async (sandbox) => {
      try {
        return await this.snapshotsOf(sandbox).save(sandbox.context.db, name, sandbox.context.clock.nowMs(), this.options.realNowMs());
      } catch (err) {
        // Deleted while its file was copied: its folder went with it.
        if (this.sandboxes.get(id) !== sandbox) throw unknownSandbox();
        throw err;
      }
    });
  }

  snapshots(id: string): SnapshotSummary[] {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) throw unknownSandbox();
    return this.snapshotsOf(sandbox).list();
  }

  removeSnapshot(id: string, name: string): Promise<void> {
    return this.inTurn(id, async (sandbox) => {
      if (!this.snapshotsOf(sandbox).remove(name)) throw unknownSnapshot(name);
    });
  }

  private snapshotsOf(sandbox: Sandbox): SandboxSnapshots {
    return new SandboxSnapshots(snapshotDirectoryOf(sandbox.context.db.raw.name));
  }

  /** Runs `step` once every earlier reset, restore or snapshot of the sandbox has settled. */
  private inTurn<T>(id: string, step: (sandbox: Sandbox) => Promise<T>): Promise<T> {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return Promise.reject(unknownSandbox());
    const previous = this.resets.get(id) ?? Promise.resolve();
    const run = previous.then(() => {
      if (this.sandboxes.get(id) !== sandbox) throw unknownSandbox();
      return step(sandbox);
    });
    const settled = run.catch(() => undefined);
    this.resets.set(id, settled);
    void settled.then(() => {
      if (this.resets.get(id) === settled) this.resets.delete(id);
    });
    return run;
  }

  private async replaceData(sandbox: Sandbox, replacement: Replacement): Promise<Sandbox> {
    const next = `${sandbox.context.db.raw.name}.next`;
    try {
      const template = await replacement(next);
      if (this.sandboxes.get(sandbox.id) !== sandbox) throw unknownSandbox();
      const resetUnder = new AppError(409, 'sandbox_reset', 'The sandbox was reset while this request waited.');
      sandbox.context.outbox.endWaits(resetUnder);
      sandbox.context.sms.endWaits(resetUnder);
      sandbox.context.journal.endWaits(resetUnder);
      // Unlinking the old file frees all its blocks at once (about a second for `large` on a busy
      // disk): it is moved aside here and removed on the thread pool.
      const replaced = `${next}.old-${crypto.randomBytes(4).toString('hex')}`;
      sandbox.context.db.reopen((file) => {
        // A write-ahead log left beside the old file would be replayed into the new one.
        for (const suffix of ['-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
        fs.renameSync(file, replaced);
        try {
          fs.renameSync(next, file);
        } catch (err) {
          fs.renameSync(replaced, file);
          throw err;
        }
      });
      fs.promises.rm(replaced, { force: true }).catch(() => undefined);
      sandbox.context.clock.restartAt(template.epochMs);
      sandbox.scenario = template.scenario ?? currentScenarioName(sandbox.context.db);
      if (sandbox.id !== DEFAULT_SANDBOX_ID) this.saveRecord(sandbox);
      return sandbox;
    } finally {
      fs.rmSync(next, { force: true });
    }
  }

  remove(id: string): boolean {
    if (id === DEFAULT_SANDBOX_ID || !SANDBOX_ID.test(id)) return false;
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return false;
    this.sandboxes.delete(id);
    this.savedLastUsedAt.delete(id);
    closeContext(sandbox.context, unknownSandbox());
    this.removeFiles(id);
    return true;
  }

  /** Closes sandboxes nobody has used for the configured time; returns their ids. */
  closeIdle(): string[] {
    const cutoff = this.options.realNowMs() - this.options.config.sandboxIdleMs;
    const idle = this.list().filter((s) => s.id !== DEFAULT_SANDBOX_ID && s.lastUsedAt < cutoff).map((s) => s.id);
    for (const id of idle) this.remove(id);
    return idle;
  }

  /** Closes every sandbox and keeps its files: the next start opens them again. */
  closeAll(): void {
    this.closed = true;
    for (const sandbox of this.list()) {
      if (sandbox.id !== DEFAULT_SANDBOX_ID) this.saveRecord(sandbox);
      closeContext(sandbox.context, shuttingDown());
    }
    this.sandboxes.clear();
  }

  private fileOf(id: string): string {
    return path.join(this.directory, `${id}.sqlite`);
  }

  private removeFiles(id: string): void {
    const file = this.fileOf(id);
    for (const suffix of ['', '-wal', '-shm', '.json']) fs.rmSync(`${file}${suffix}`, { force: true });
    // Moved aside at once, so that a sandbox made again with this id starts with none; removed on the thread pool.
    const snapshots = snapshotDirectoryOf(file);
    const removed = `${snapshots}.old-${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.renameSync(snapshots, removed);
    } catch {
      return;
    }
    fs.promises.rm(removed, { recursive: true, force: true }).catch(() => undefined);
  }

  private saveRecord(sandbox: Sandbox): void {
    const record: SandboxRecord = { scenario: sandbox.scenario, createdAt: sandbox.createdAt, lastUsedAt: sandbox.lastUsedAt };
    // Written aside and renamed, so a crash leaves the old record or the new one, never half of one.
    const file = `${this.fileOf(sandbox.id)}.json`;
    fs.writeFileSync(`${file}.next`, JSON.stringify(record));
    fs.renameSync(`${file}.next`, file);
    this.savedLastUsedAt.set(sandbox.id, sandbox.lastUsedAt);
  }

  private readRecord(id: string): Partial<SandboxRecord> {
    try {
      return JSON.parse(fs.readFileSync(`${this.fileOf(id)}.json`, 'utf8')) as Partial<SandboxRecord>;
    } catch {
      return {};
    }
  }

  /**
   * Opens the sandboxes an earlier run left, and removes those idle too long and half-made files. A
   * record is at most LAST_USED_SAVE_INTERVAL_MS behind after a crash: a sandbox closes that much early.
   */
  private reopenSavedSandboxes(): void {
    const now = this.options.realNowMs();
    const names = fs.readdirSync(this.directory);
    for (const name of names) {
      const id = SANDBOX_FILE.exec(name)?.[1];
      if (name.endsWith('.next') || /\.next\.old-[0-9a-f]+$/.test(name) || (name.endsWith('.json') && !names.includes(name.slice(0, -'.json'.length)))) {
        fs.rmSync(path.join(this.directory, name), { force: true });
      }
      const snapshotsOf = SNAPSHOT_FOLDER.exec(name)?.[1];
      if (/\.snapshots\.old-[0-9a-f]+$/.test(name) || (snapshotsOf !== undefined && !names.includes(`${snapshotsOf}.sqlite`))) {
        fs.rmSync(path.join(this.directory, name), { recursive: true, force: true });
      }
      if (!id || !SANDBOX_ID.test(id) || id === DEFAULT_SANDBOX_ID) continue;
      const record = this.readRecord(id);
      // No record: the process died between the copy and its record, moments after the sandbox was made.
      const lastUsedAt = record.lastUsedAt ?? now;
      if (lastUsedAt < now - this.options.config.sandboxIdleMs) {
        this.removeFiles(id);
        continue;
      }
      const context = createContext({
        config: this.options.config, logger: this.options.logger, sessionSecret: this.options.sessionSecret, simToken: this.options.simToken,
        databaseFile: this.fileOf(id), sandboxId: id, realNowMs: this.options.realNowMs,
      });
      const sandbox: Sandbox = {
        id, context, app: this.options.appFor(context), scenario: record.scenario ?? currentScenarioName(context.db),
        createdAt: record.createdAt ?? now, lastUsedAt,
      };
      this.sandboxes.set(id, sandbox);
      this.savedLastUsedAt.set(id, lastUsedAt);
    }
  }
}
