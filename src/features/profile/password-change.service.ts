// Changing the password from the profile (ASVS 6.2.2, 6.2.3): the current password always, the same
// policy as registration and reset, and on success every other session of the PA ends and they get
// an e-mail notice. The route then gives this session a new ID.
import type { AppContext } from '../../context';
import type { FieldErrors } from '../../lib/errors';
import { hashSecret } from '../../lib/hashing';
import { paRef, recordAudit } from '../audit/audit.service';
import { companyName, findAdministratorById, rememberPersonaPassword } from '../accounts/accounts.repository';
import { personalWords } from '../accounts/common-passwords';
import { passwordChangedInProfileEmail } from '../accounts/emails';
import { passwordProblem } from '../accounts/password-policy';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { proveCurrentPassword } from './password-proof';
import { replacePassword } from './profile.repository';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export type PasswordChangeResult = { ok: true } | { ok: false; code: string; errors: FieldErrors };

export async function changePassword(
  context: AppContext, user: SignedInAdministrator, change: PasswordChange, sourceIp: string | null,
): Promise<PasswordChangeResult> {
  const { db, clock, outbox, config } = context;
  const row = findAdministratorById(db, user.id)!;
  const errors: FieldErrors = {};
  const problem = passwordProblem(change.newPassword, user.userId, personalWords([row.first_name, row.last_name, companyName(db, row.company_id)]));
  if (problem) errors.newPassword = problem;
  else if (change.newPassword === change.currentPassword) errors.newPassword = 'Choose a password other than your current one.';
  if (change.confirmPassword !== change.newPassword) errors.confirmPassword = 'The passwords do not match.';

  const proof = await proveCurrentPassword(context, user.id, change.currentPassword, sourceIp, { failure: 'password.change_failed', purpose: 'password_change' });
  if (!proof.ok) return { ok: false, code: 'wrong_password', errors: { currentPassword: 'That is not your current password.', ...errors } };
  if (Object.keys(errors).length > 0) return { ok: false, code: 'invalid_input', errors };

  const newHash = await hashSecret(change.newPassword, config.bcryptCost);
  const now = clock.nowMs();
  const changed = db.tx(() => {
    if (!replacePassword(db, user.id, proof.provenHash, newHash)) return false;
    rememberPersonaPassword(db, user.id, change.newPassword, now);
    recordAudit(db, { at: now, actor: paRef(user.id), action: 'password.changed', subject: paRef(user.id), outcome: 'success', sourceIp });
    outbox.send(passwordChangedInProfileEmail({ to: row.email, firstName: row.first_name }));
    return true;
  });
  // Another change got there first: the password proved a moment ago is no longer the current one.
  if (!changed) return { ok: false, code: 'wrong_password', errors: { currentPassword: 'That is not your current password.' } };
  return { ok: true };
}

/** After a change, every other session of the PA ends: a thief holding one is out. `keptSid` is this session under its new ID. */
export function endSessionsAfterPasswordChange(context: AppContext, paId: number, keptSid: string): number {
  return context.sessionStore.destroyUserSessions(paRef(paId), keptSid);
}
