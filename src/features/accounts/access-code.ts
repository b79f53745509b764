// Access codes: "XXXX-XXXX-XXXX" from an alphabet without look-alike characters. The first group
// is a public selector that finds the code's row; the other eight characters (40 random bits)
// are the secret, kept only as a bcrypt hash and tried at most a handful of times.
import crypto from 'node:crypto';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const SELECTOR_LENGTH = 4;
const VERIFIER_LENGTH = 8;

export interface AccessCodeParts {
  selector: string;
  verifier: string;
}

function randomCharacters(count: number): string {
  const bytes = crypto.randomBytes(count);
  // 256 is a multiple of 32, so taking each byte modulo 32 keeps every character equally likely.
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

export function generateAccessCode(): string {
  const raw = randomCharacters(SELECTOR_LENGTH + VERIFIER_LENGTH);
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** Reads a code as a person types it: any case, with or without spaces and dashes. */
export function parseAccessCode(typed: string): AccessCodeParts | undefined {
  // Check the characters before changing case: toUpperCase turns some non-ASCII letters ('ſ', 'ß')
  // into alphabet letters, which would let a different string pass for a code.
  const stripped = typed.replace(/[\s-]/g, '');
  if (stripped.length !== SELECTOR_LENGTH + VERIFIER_LENGTH) return undefined;
  if ([...stripped].some((ch) => !ALPHABET.includes(ch) && !ALPHABET.toLowerCase().includes(ch))) return undefined;
  const compact = stripped.toUpperCase();
  return { selector: compact.slice(0, SELECTOR_LENGTH), verifier: compact.slice(SELECTOR_LENGTH) };
}
