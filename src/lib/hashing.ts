// bcrypt for every secret a person types: passwords, Verification PINs and words, access codes.
import bcrypt from 'bcrypt';

/** bcrypt ignores bytes past 72, so longer secrets are refused by the password policy instead. */
export const BCRYPT_MAX_BYTES = 72;

/** Verification words are compared without regard to case or surrounding spaces, as on the phone. */
export function normalizeVerificationWord(word: string): string {
  return word.trim().toLowerCase();
}

/** Hashes on libuv's thread pool, so a hash never blocks the event loop. */
export function hashSecret(secret: string, cost: number): Promise<string> {
  return bcrypt.hash(secret, cost);
}

export function secretMatches(secret: string, hash: string): Promise<boolean> {
  return bcrypt.compare(secret, hash);
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
