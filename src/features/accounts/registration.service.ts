// First login: the PA proves who they are with the Verification PIN, Verification Word and the
// Access Code from the Welcome e-mail, then chooses a user ID and a password.
import type { AppContext } from '../../context';
import type { FieldErrors } from '../../lib/errors';
import { hashSecret, normalizeVerificationWord, secretMatches, secretMatchesInConstantTime } from '../../lib/hashing';
import { paRef, recordAudit } from '../audit/audit.service';
import { parseAccessCode } from './access-code';
import {
  companyName, completeRegistration, consumeAccessCode, rememberPersonaPassword, findAccessCode, findAdministratorById, findLiveAccessCode, findSignedInAdministrator,
  recordFailedAccessCodeAttempt, userIdTaken,
} from './accounts.repository';
import { personalWords } from './common-passwords';
import { passwordProblem } from './password-policy';
import { toSignedInAdministrator, type SignedInAdministrator } from './sign-in.service';

export const USER_ID_PATTERN = /^[A-Za-z0-9._-]{6,32}$/;

export interface FirstLoginProof {
  verificationPin: string;
  verificationWord: string;
  accessCode: string;
}

/** What a verified first login keeps in the session until the user ID and password are chosen. */
export interface VerifiedFirstLogin {
  paId: number;
  accessCodeId: number;
}

export type VerifyResult = { ok: true; verified: VerifiedFirstLogin } | { ok: false };

export async function verifyFirstLogin(context: AppContext, proof: FirstLoginProof, sourceIp: string | null): Promise<VerifyResult> {
  const { db, clock, config } = context;
  const parts = parseAccessCode(proof.accessCode);
  const code = parts ? findLiveAccessCode(db, parts.selector) : undefined;
  const pa = code ? findAdministratorById(db, code.pa_id) : undefined;
  if (!parts || !code || !pa) {
    // Spend the time three comparisons would, so a made-up code answers like a real one.
    await Promise.all([proof.accessCode, proof.verificationPin, proof.verificationWord].map((typed) =>
      secretMatchesInConstantTime(typed, null, config.bcryptCost)));
    recordAudit(db, { at: clock.nowMs(), actor: 'anonymous', action: 'registration.failure', outcome: 'failure', sourceIp, details: { reason: 'unknown_access_code' } });
    return { ok: false };
  }
  const [codeMatches, pinMatches, wordMatches] = await Promise.all([
    secretMatches(parts.verifier, code.verifier_hash),
    secretMatches(proof.verificationPin.trim(), pa.pin_hash),
    secretMatches(normalizeVerificationWord(proof.verificationWord), pa.word_hash),
  ]);
  const now = clock.nowMs();
  const subject = paRef(pa.id);
  const usable = code.expires_at > now && pa.state === 'pending';
  if (codeMatches && pinMatches && wordMatches && usable) {
    recordAudit(db, { at: now, actor: 'anonymous', action: 'registration.verified', subject, outcome: 'success', sourceIp });
    return { ok: true, verified: { paId: pa.id, accessCodeId: code.id } };
  }
  const counted = recordFailedAccessCodeAttempt(db, code.id, config.rules.maxAccessCodeAttempts, now);
  recordAudit(db, { at: now, actor: 'anonymous', action: 'registration.failure', subject, outcome: 'failure', sourceIp,
    details: { reason: usable ? 'mismatch' : 'access_code_expired', attempts: counted?.failed_attempts ?? null } });
  if (counted?.voided_at) {
    recordAudit(db, { at: now, actor: 'system', action: 'access_code.voided', subject, outcome: 'success', sourceIp, details: { reason: 'too_many_attempts' } });
  }
  return { ok: false };
}

export interface ChosenCredentials {
  userId: string;
  password: string;
  confirmPassword: string;
}

export type CompleteResult = { ok: true; user: SignedInAdministrator } | { ok: false; errors: FieldErrors; restart?: boolean };

/** What is wrong with the chosen user ID and password; `ownWords` are the user's and company's names. */
export function credentialProblems(credentials: ChosenCredentials, ownWords: readonly string[] = []): FieldErrors {
  const errors: FieldErrors = {};
  if (!USER_ID_PATTERN.test(credentials.userId)) {
    errors.userId = 'Use 6 to 32 letters, digits, dots, underscores or hyphens.';
  }
  const problem = passwordProblem(credentials.password, credentials.userId, ownWords);
  if (problem) errors.password = problem;
  if (credentials.confirmPassword !== credentials.password) errors.confirmPassword = 'The passwords do not match.';
  return errors;
}

const USER_ID_TAKEN = 'That User ID is not available. Choose another.';

/**
 * Every problem with the chosen credentials at once: a user ID someone already has, and a password
 * built on the PA's own name or company, included.
 */
export function chosenCredentialProblems(context: AppContext, paId: number, credentials: ChosenCredentials): FieldErrors {
  const pa = findAdministratorById(context.db, paId);
  const ownWords = pa ? personalWords([pa.first_name, pa.last_name, companyName(context.db, pa.company_id)]) : [];
  const errors = credentialProblems(credentials, ownWords);
  if (!errors.userId && userIdTaken(context.db, credentials.userId)) errors.userId = USER_ID_TAKEN;
  return errors;
}

export async function completeFirstLogin(
  context: AppContext, verified: VerifiedFirstLogin, credentials: ChosenCredentials, sourceIp: string | null,
): Promise<CompleteResult> {
  const { db, clock, config } = context;
  const errors = chosenCredentialProblems(context, verified.paId, credentials);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const passwordHash = await hashSecret(credentials.password, config.bcryptCost);
  const now = clock.nowMs();
  const code = findAccessCode(db, verified.accessCodeId);
  const taken: CompleteResult = { ok: false, errors: { userId: USER_ID_TAKEN } };
  try {
    return db.tx((): CompleteResult => {
      // The conditional write decides: of two requests racing with one code, exactly one gets past here.
      if (!code || code.pa_id !== verified.paId || !consumeAccessCode(db, code.id, now)) {
        return { ok: false, restart: true, errors: { accessCode: 'This Access Code has already been used or has expired. Call the Help Desk for a new one.' } };
      }
      // Someone may have taken the user ID while the password was hashing: undo the consumed code.
      if (userIdTaken(db, credentials.userId)) throw new UserIdTaken();
      if (!completeRegistration(db, verified.paId, credentials.userId, passwordHash, now)) {
        return { ok: false, restart: true, errors: { accessCode: 'This enrollment has already been completed.' } };
      }
      rememberPersonaPassword(db, verified.paId, credentials.password, now);
      recordAudit(db, { at: now, actor: paRef(verified.paId), action: 'registration.completed', subject: paRef(verified.paId),
        outcome: 'success', sourceIp, details: { userId: credentials.userId } });
      return { ok: true, user: toSignedInAdministrator(findSignedInAdministrator(db, verified.paId)!) };
    });
  } catch (err) {
    if (err instanceof UserIdTaken) return taken;
    throw err;
  }
}

/** Thrown inside the transaction to roll it back when the chosen user ID was just taken. */
class UserIdTaken extends Error {}
