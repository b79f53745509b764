// bcrypt for every secret a person types: passwords, Verification PINs and words, access codes.
import os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import bcrypt from 'bcrypt';

/** bcrypt ignores bytes past 72, so longer secrets are refused by the password policy instead. */
export const BCRYPT_MAX_BYTES = 72;

/** Verification words are compared without regard to case or surrounding spaces, as on the phone. */
export function normalizeVerificationWord(word: string): string {
  return word.trim().toLowerCase();
}

/**
 * bcrypt runs on libuv's thread pool, so it never blocks the event loop; but a storm of sign-ins
 * could still take every core. At most this many hashes run at once, so one core always stays
 * free for the pages; the rest wait their turn.
 */
const BCRYPT_CONCURRENCY = Math.max(1, os.availableParallelism() - 1);
let running = 0;
const waiting: Array<() => void> = [];

async function withBcryptSlot<T>(work: () => Promise<T>): Promise<T> {
  // A freed slot passes straight to the next in line, so the count never overshoots.
  if (running >= BCRYPT_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

export function hashSecret(secret: string, cost: number): Promise<string> {
  // In a worker thread (a scenario template being built) the hash runs in that thread: it blocks no
  // event loop there, and a worker stopped at shutdown then leaves no hash on the thread pool to call
  // back into it, which aborted the whole process (bcrypt's Napi::Error).
  if (!isMainThread) return Promise.resolve(bcrypt.hashSync(secret, cost));
  return withBcryptSlot(() => bcrypt.hash(secret, cost));
}

export function secretMatches(secret: string, hash: string): Promise<boolean> {
  return withBcryptSlot(() => bcrypt.compare(secret, hash));
}

const standInHashes = new Map<number, Promise<string>>();

/**
 * Compares a secret with a hash, or, when there is no hash (an unknown user, a made-up code),
 * with a stand-in hash of the same cost, so that both answers take the same time. Returns false then.
 */
export async function secretMatchesInConstantTime(secret: string, hash: string | null | undefined, cost: number): Promise<boolean> {
  if (hash) return secretMatches(secret, hash);
  let standIn = standInHashes.get(cost);
  if (!standIn) {
    standIn = hashSecret('stand-in-for-timing-only', cost);
    standInHashes.set(cost, standIn);
  }
  await secretMatches(secret, await standIn);
  return false;
}
