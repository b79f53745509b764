// The sandboxes of one simulator process: the default one and those QA runs create, each with its
// own SQLite file, clock, outbox, sessions and faults. Requests choose theirs by the X-Sim-Sandbox
// header or by the host <id>.localhost; idle sandboxes are closed and their files removed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Express } from 'express';
import type { Config } from '../../config';
import { closeContext, createContext, DEFAULT_SANDBOX_ID, type AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { ScenarioTemplates } from './scenario-templates';

export interface Sandbox {
  id: string;
  context: AppContext;
  app: Express;
  scenario: string;
  createdAt: number;
  /** Real time of the last request, for closing idle sandboxes. */
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
const SANDBOX_HOST = /^([a-z0-9][a-z0-9-]{2,39})\.localhost(:\d+)?$/i;

export class SandboxRegistry {
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly directory: string;

  constructor(private readonly options: RegistryOptions, defaultContext: AppContext) {
    this.directory = path.join(options.config.dataDir, 'sandboxes');
    // Sandboxes do not outlive their process: files left by an earlier run are removed.
    fs.rmSync(this.directory, { recursive: true, force: true });
    const now = options.realNowMs();
    this.sandboxes.set(DEFAULT_SANDBOX_ID, {
      id: DEFAULT_SANDBOX_ID, context: defaultContext, app: options.appFor(defaultContext), scenario: 'default', createdAt: now, lastUsedAt: now,
    });
  }

  get defaultSandbox(): Sandbox {
    return this.sandboxes.get(DEFAULT_SANDBOX_ID)!;
  }

  /** The sandbox a request addresses, or undefined for an id that does not exist. */
  resolve(req: IncomingMessage): Sandbox | undefined {
    const header = req.headers['x-sim-sandbox'];
    const fromHeader = typeof header === 'string' && header.length > 0 ? header.toLowerCase() : undefined;
    const fromHost = SANDBOX_HOST.exec(req.headers.host ?? '')?.[1]?.toLowerCase();
    const id = fromHeader ?? fromHost ?? DEFAULT_SANDBOX_ID;
    const sandbox = this.sandboxes.get(id);
    if (sandbox) sandbox.lastUsedAt = this.options.realNowMs();
    return sandbox;
  }

  list(): Sandbox[] {
    return [...this.sandboxes.values()];
  }

  async create(scenario: string, seed?: number): Promise<Sandbox> {
    this.closeIdle();
    if (this.sandboxes.size - 1 >= this.options.config.maxSandboxes) {
      throw new AppError(429, 'too_many_sandboxes', `At most ${this.options.config.maxSandboxes} sandboxes can be open at once. Delete one first.`);
    }
    const template = await this.options.templates.template(scenario, seed);
    const id = `sb-${crypto.randomBytes(6).toString('hex')}`;
    fs.mkdirSync(this.directory, { recursive: true });
    const file = path.join(this.directory, `${id}.sqlite`);
    fs.copyFileSync(template.file, file);
    const context = createContext({
      config: this.options.config, logger: this.options.logger, sessionSecret: this.options.sessionSecret, simToken: this.options.simToken,
      databaseFile: file, sandboxId: id, realNowMs: this.options.realNowMs,
    });
    context.clock.restartAt(template.epochMs);
    const now = this.options.realNowMs();
    const sandbox: Sandbox = { id, context, app: this.options.appFor(context), scenario, createdAt: now, lastUsedAt: now };
    this.sandboxes.set(id, sandbox);
    return sandbox;
  }

  remove(id: string): boolean {
    if (id === DEFAULT_SANDBOX_ID || !SANDBOX_ID.test(id)) return false;
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return false;
    this.sandboxes.delete(id);
    closeContext(sandbox.context);
    const file = path.join(this.directory, `${id}.sqlite`);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
    return true;
  }

  /** Closes sandboxes nobody has used for the configured time; returns their ids. */
  closeIdle(): string[] {
    const cutoff = this.options.realNowMs() - this.options.config.sandboxIdleMs;
    const idle = this.list().filter((s) => s.id !== DEFAULT_SANDBOX_ID && s.lastUsedAt < cutoff).map((s) => s.id);
    for (const id of idle) this.remove(id);
    return idle;
  }

  closeAll(): void {
    for (const sandbox of this.list()) {
      if (sandbox.id === DEFAULT_SANDBOX_ID) closeContext(sandbox.context);
      else this.remove(sandbox.id);
    }
  }
}
