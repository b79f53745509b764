// Asking a signed-in PA for their password again: before a change of password, and before a change
// of e-mail once the last proof is older than the step-up window. A wrong answer is a form error and
// an audit event; it does not count toward the lockout, since the PA is already signed in.
import type { AppContext } from '../../context';
import { secretMatches } from '../../lib/hashing';
import { paRef, recordAudit, type AuditAction } from '../audit/audit.service';
import { passwordHashOf } from './profile.repository';

export type PasswordProof = { ok: true; provenHash: string } | { ok: false };

export async function proveCurrentPassword(
  context: AppContext, paId: number, password: string, sourceIp: string | null,
  audit: { success?: AuditAction; failure: AuditAction; purpose: string },
): Promise<PasswordProof> {
  const hash = passwordHashOf(context.db, paId);
  const matches = hash !== null && password.length > 0 && await secretMatches(password, hash);
  const now = context.clock.nowMs();
  const subject = paRef(paId);
  if (!matches) {
    recordAudit(context.db, { at: now, actor: subject, action: audit.failure, subject, outcome: 'failure', sourceIp, details: { purpose: audit.purpose, reason: 'wrong_password' } });
    return { ok: false };
  }
  if (audit.success) recordAudit(context.db, { at: now, actor: subject, action: audit.success, subject, outcome: 'success', sourceIp, details: { purpose: audit.purpose } });
  return { ok: true, provenHash: hash };
}
