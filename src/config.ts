// Reads the environment once into a typed, validated Config; nothing else reads process.env.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const trustProxy = z
  .string()
  .transform((value): boolean | number | string => {
    if (value === 'true') return true;
    if (value === 'false' || value === '') return false;
    if (/^\d+$/.test(value)) return Number(value);
    return value; // e.g. "loopback" or a comma-separated list of addresses
  });

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  SIM_TOKEN: z.string().min(16, 'SIM_TOKEN must be at least 16 characters').optional(),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  TRUST_PROXY: trustProxy.default(false),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(15),
  MAX_SANDBOXES: z.coerce.number().int().min(0).default(50),
  SANDBOX_IDLE_MINUTES: z.coerce.number().positive().default(30),
  TEMPLATE_CACHE_SIZE: z.coerce.number().int().min(1).default(8),
  SCENARIO_EPOCH: z.iso.datetime({ offset: true }).default('2026-01-05T14:00:00.000Z'),
  SCENARIOS_DIR: z.string().min(1).optional(),
  INACTIVITY_DAYS: z.coerce.number().int().positive().default(120),
  MAX_FAILED_LOGINS: z.coerce.number().int().positive().default(5),
  ACCESS_CODE_TTL_DAYS: z.coerce.number().int().positive().default(30),
  MAX_ACCESS_CODE_ATTEMPTS: z.coerce.number().int().positive().default(5),
  RESET_LINK_TTL_MINUTES: z.coerce.number().int().positive().default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().positive().default(8),
  SHARD_INDEX: z.coerce.number().int().min(0).default(0),
  SHARD_COUNT: z.coerce.number().int().min(1).max(64).default(1),
  INSTANCE_NAME: z.string().regex(/^[A-Za-z0-9._:@-]{1,64}$/, 'at most 64 letters, digits and . _ : @ -').optional(),
  SIM_BASE_DOMAIN: z.string().toLowerCase()
    .regex(/^(?=.{1,200}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'a domain name, like sim.example.com').optional(),
}).refine((e) => e.SHARD_INDEX < e.SHARD_COUNT, { path: ['SHARD_INDEX'], message: 'SHARD_INDEX must be below SHARD_COUNT' });

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The portal's rules (PRODUCT.md §1): defaults from the contract, each overridable. */
export interface PortalRules {
  /** A session unused this long ends: a walked-away desk must not stay signed in. */
  sessionIdleMs: number;
  /** No session lives longer than this, however busy: bounds the life of a stolen cookie. */
  sessionAbsoluteMs: number;
  /** An active user with no successful login (or registration) for this long becomes inactive. */
  inactivityMs: number;
  /** Consecutive wrong passwords that lock an account until the help desk unlocks it. */
  maxFailedLogins: number;
  /** How long a Welcome e-mail's access code stays usable. */
  accessCodeTtlMs: number;
  /** Wrong tries at first login that void the access code (a new one comes from the help desk). */
  maxAccessCodeAttempts: number;
  /** How long a password-reset link works: long enough to read an e-mail, short enough to limit theft. */
  resetLinkTtlMs: number;
  /** A password, e-mail or 2-step change asks for the password again once the last proof is older than this. */
  recentProofMs: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  simToken: string | undefined;
  sessionSecret: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  trustProxy: boolean | number | string;
  /** bcrypt work factor for every password and verification secret; tests lower it to 4. */
  bcryptCost: number;
  /** Attempts per client address per minute on each sign-in form, before lockout rules apply. */
  authRateLimitPerMinute: number;
  /** Sandboxes QA runs may have open at once, besides the default one. */
  maxSandboxes: number;
  /** A sandbox unused this long (real time) is closed and its file removed. */
  sandboxIdleMs: number;
  /** Scenario templates kept on disk, least recently used dropped first: each new seed builds one. */
  templateCacheSize: number;
  /** The simulated instant every scenario is built at, and where a new or reset sandbox starts. */
  scenarioEpochMs: number;
  /** A folder of scenario documents (*.json) read at start, usable like the built-in scenarios. */
  scenariosDir: string | undefined;
  /**
   * This process's place among the processes behind one balancer: it holds the sandboxes whose id
   * hashes to `index` (see lib/shards.ts). One process alone is shard 0 of 1 and holds every id.
   */
  shard: { index: number; count: number };
  /** The name GET /sim/api/health gives, so a script sees which process answered. */
  instanceName: string;
  /** Besides <id>.localhost, sandboxes are reached at <id>.<baseDomain> (and the default at <baseDomain>). */
  baseDomain: string | undefined;
  rules: PortalRules;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    simToken: e.SIM_TOKEN,
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    bcryptCost: e.BCRYPT_COST,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    maxSandboxes: e.MAX_SANDBOXES,
    sandboxIdleMs: e.SANDBOX_IDLE_MINUTES * MINUTE_MS,
    templateCacheSize: e.TEMPLATE_CACHE_SIZE,
    scenarioEpochMs: Date.parse(e.SCENARIO_EPOCH),
    scenariosDir: e.SCENARIOS_DIR === undefined ? undefined : path.resolve(e.SCENARIOS_DIR),
    shard: { index: e.SHARD_INDEX, count: e.SHARD_COUNT },
    instanceName: e.INSTANCE_NAME ?? `${os.hostname()}:${e.PORT}`,
    baseDomain: e.SIM_BASE_DOMAIN,
    rules: {
      sessionIdleMs: e.SESSION_IDLE_MINUTES * MINUTE_MS,
      sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * HOUR_MS,
      inactivityMs: e.INACTIVITY_DAYS * DAY_MS,
      maxFailedLogins: e.MAX_FAILED_LOGINS,
      accessCodeTtlMs: e.ACCESS_CODE_TTL_DAYS * DAY_MS,
      maxAccessCodeAttempts: e.MAX_ACCESS_CODE_ATTEMPTS,
      resetLinkTtlMs: e.RESET_LINK_TTL_MINUTES * MINUTE_MS,
      recentProofMs: 15 * MINUTE_MS,
    },
  };
}
