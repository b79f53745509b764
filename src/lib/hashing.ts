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
