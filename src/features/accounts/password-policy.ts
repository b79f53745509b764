// The password policy of PRODUCT.md §1: 12–64 characters, at most 72 bytes (bcrypt's limit; longer
// is refused, never silently truncated), not containing the user ID, not a common password (nor a
// common word dressed up with digits and symbols), not built on the user's or company's name.
import { BCRYPT_MAX_BYTES } from '../../lib/hashing';
import { commonness } from './common-passwords';


export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 64;

/**
 * Returns what is wrong with the password, or undefined when it is acceptable. `ownWords` are the
 * user's and their company's names (personalWords), which a guesser who knows them tries first.
 */
export function passwordProblem(password: string, userId: string, ownWords: readonly string[] = []): string | undefined {
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
  const common = commonness(password, ownWords);
  if (common === 'common') {
    return 'That password is too common, or a common word with numbers or symbols added. Choose one that is harder to guess, such as three or four unrelated words.';
  }
  if (common === 'personal') return 'Do not build your password on your own name or your company\'s name.';
  return undefined;
}
