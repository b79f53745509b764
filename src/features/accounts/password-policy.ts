// The password policy of PRODUCT.md §1: 12–64 characters, at most 72 bytes (bcrypt's limit; longer
// is refused, never silently truncated), not containing the user ID, not a common password.
import { BCRYPT_MAX_BYTES } from '../../lib/hashing';
import { isCommonPassword } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 64;

/** Returns what is wrong with the password, or undefined when it is acceptable. */
export function passwordProblem(password: string, userId: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (Buffer.byteLength(password, 'utf8') > BCRYPT_MAX_BYTES) {
    return `Use fewer special characters: the password may take at most ${BCRYPT_MAX_BYTES} bytes.`;
  }
  if (/\p{Cc}/u.test(password)) return 'Do not use control characters.';
  if (userId.length > 0 && password.toLowerCase().includes(userId.toLowerCase())) {
    return 'Do not include your User ID in your password.';
  }
  if (isCommonPassword(password)) return 'That password is too common. Choose one that is harder to guess.';
  return undefined;
}
