// Self-service password reset: a single-use link by e-mail, valid 30 minutes, for active users only.
import crypto from 'node:crypto';
import type { AppContext } from '../../context';
import type { FieldErrors } from '../../lib/errors';
import { hashSecret } from '../../lib/hashing';
import { paRef, recordAudit } from '../audit/audit.service';
import {
  companyName, consumePasswordReset, findAdministratorById, findAdministratorByUserId, findUsablePasswordReset, insertPasswordReset,
  rememberPersonaPassword,
  setPassword,
} from './accounts.repository';
import { passwordChangedEmail, passwordResetEmail, passwordResetUnavailableEmail } from './emails';
import { personalWords } from './common-passwords';
import { passwordProblem } from './password-policy';

const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export interface ResetRequest {
  userId: string;
  email: string;
}

/** Sends a link when the user ID and e-mail match an active account. The caller learns nothing either way. */
export function requestPasswordReset(context: AppContext, request: ResetRequest, baseUrl: string, sourceIp: string | null): void {
  const { db, clock, outbox, config } = context;
  const now = clock.nowMs();
  const pa = findAdministratorByUserId(db, request.userId);
  if (!pa || pa.email.toLowerCase() !== request.email.trim().toLowerCase()) {
    recordAudit(db, { at: now, actor: 'anonymous', action: 'password_reset.refused', subject: pa ? paRef(pa.id) : null, outcome: 'failure', sourceIp,
      details: { userId: request.userId, reason: pa ? 'email_mismatch' : 'unknown_user' } });
    return;
  }
  const subject = paRef(pa.id);
  if (pa.state !== 'active') {
    db.tx(() => {
      outbox.send(passwordResetUnavailableEmail({ to: pa.email, firstName: pa.first_name }));
      recordAudit(db, { at: now, actor: 'anonymous', action: 'password_reset.refused', subject, outcome: 'failure', sourceIp, details: { reason: pa.state } });
    });
    return;
  }
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = now + config.rules.resetLinkTtlMs;
  db.tx(() => {
    insertPasswordReset(db, pa.id, hashToken(token), now, expiresAt);
    outbox.send(passwordResetEmail({ to: pa.email, firstName: pa.first_name, resetUrl: `${baseUrl}/reset-password/${token}`, expiresAt }));
    recordAudit(db, { at: now, actor: 'anonymous', action: 'password_reset.requested', subject, outcome: 'success', sourceIp });
  });
}

/** The account a reset link is for, while the link is unused, unexpired and the account active. */
export function resetLinkHolder(context: AppContext, token: string): { paId: number; userId: string } | undefined {
  const reset = findUsablePasswordReset(context.db, hashToken(token), context.clock.nowMs());
  const pa = reset ? findAdministratorById(context.db, reset.pa_id) : undefined;
  return pa && pa.state === 'active' && pa.user_id ? { paId: pa.id, userId: pa.user_id } : undefined;
}

export type ResetResult = { ok: true } | { ok: false; errors: FieldErrors; linkUnusable?: boolean };

const UNUSABLE: ResetResult = { ok: false, linkUnusable: true, errors: {} };

export async function completePasswordReset(
  context: AppContext, token: string, password: string, confirmPassword: string, sourceIp: string | null,
): Promise<ResetResult> {
  const { db, clock, outbox, config } = context;
  const holder = resetLinkHolder(context, token);
  if (!holder) return UNUSABLE;
  const errors: FieldErrors = {};
  const holderRow = findAdministratorById(db, holder.paId)!;
  const problem = passwordProblem(password, holder.userId,
    personalWords([holderRow.first_name, holderRow.last_name, companyName(db, holderRow.company_id)]));
  if (problem) errors.password = problem;
  if (confirmPassword !== password) errors.confirmPassword = 'The passwords do not match.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const passwordHash = await hashSecret(password, config.bcryptCost);
  const now = clock.nowMs();
  const reset = findUsablePasswordReset(db, hashToken(token), now);
  const done = db.tx(() => {
    if (!reset || !consumePasswordReset(db, reset.id, now)) return false;
    // The account may have been locked or suspended since the link was sent: then nothing changes.
    if (!setPassword(db, reset.pa_id, passwordHash, now)) return false;
    rememberPersonaPassword(db, reset.pa_id, password, now);
    const pa = findAdministratorById(db, reset.pa_id)!;
    outbox.send(passwordChangedEmail({ to: pa.email, firstName: pa.first_name }));
    recordAudit(db, { at: now, actor: paRef(pa.id), action: 'password_reset.completed', subject: paRef(pa.id), outcome: 'success', sourceIp });
    return true;
  });
  if (!done) return UNUSABLE;
  // Every session of the user ends, so a thief holding one is out too.
  context.sessionStore.destroyUserSessions(paRef(holder.paId));
  return { ok: true };
}
