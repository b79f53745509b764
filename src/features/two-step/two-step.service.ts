// 2-step verification at sign-in: after the right password, a one-time code sent to the PA's
// channel (e-mail or text) must be entered before a session exists.
import { createHmac, randomInt } from 'node:crypto';
import type { AppContext } from '../../context';
import type { PendingSignIn } from '../../types/express-session';
import { maskPhone, textablePhone } from '../../lib/phone-number';
import { recordFailedLogin } from '../accounts/accounts.repository';
import { twoStepCodeEmail } from '../accounts/emails';
import { paRef, recordAudit } from '../audit/audit.service';
import {
  consumeCode, findTwoStepAccount, insertCode, type CodePurpose, type TwoStepAccountRow, type TwoStepChannel,
} from './two-step.repository';

/** A code is good for 10 simulated minutes: long enough to read a text, short enough to be worth little. */
export const CODE_TTL_MS = 10 * 60_000;
/** The sign-in between password and code lapses after 20 minutes: the code's life plus time for resends. */
export const PENDING_SIGN_IN_MS = 20 * 60_000;
/** A new code at most once a minute, so resending cannot flood a phone or an inbox. */
export const RESEND_INTERVAL_MS = 60_000;
/** At most 5 new codes per sign-in; after that the PA starts again from the password. */
export const MAX_RESENDS = 5;
const CODE_DIGITS = 6;

/** Where codes for the PA go: the chosen channel, e-mail when a text could reach no phone. */
function deliveryChannel(account: TwoStepAccountRow): TwoStepChannel {
  return account.two_step_channel === 'sms' && textablePhone(account.phone) ? 'sms' : 'email';
}

/** Whether the PA's sign-in needs a code: 2-step is on, or the company requires it. */
export function needsSecondStep(context: AppContext, paId: number): boolean {
  const account = findTwoStepAccount(context.db, paId);
  return account !== undefined && (account.two_step_channel !== null || account.require_two_step === 1);
}

export function hashCode(context: AppContext, paId: number, code: string): string {
  return createHmac('sha256', context.sessionSecret).update(`two-step:${paId}:${code}`).digest('hex');
}

/** Sends a fresh code on the channel; the newest code is the only one that works. */
export function sendCode(context: AppContext, account: TwoStepAccountRow, channel: TwoStepChannel, purpose: CodePurpose, now: number, sourceIp: string | null): number {
  const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
  const expiresAt = now + CODE_TTL_MS;
  const codeId = insertCode(context.db, { paId: account.id, purpose, channel, codeHash: hashCode(context, account.id, code), now, expiresAt });
  if (channel === 'sms') {
    context.sms.send({
      to: textablePhone(account.phone)!, type: 'two_step_code', data: { code },
      text: `@Work: your verification code is ${code}. It expires in 10 minutes. Never share it.`,
    });
  } else {
    context.outbox.send(twoStepCodeEmail({ to: account.email, firstName: account.first_name, code, expiresAt }));
  }
  recordAudit(context.db, { at: now, actor: 'system', action: 'two_step.code_sent', subject: paRef(account.id), outcome: 'success', sourceIp,
    details: { channel, purpose } });
  return codeId;
}

/** After the right password: sends the first code and describes the sign-in waiting for it. */
export function startPendingSignIn(context: AppContext, paId: number, returnTo: string | undefined, sourceIp: string | null): PendingSignIn | undefined {
  const account = findTwoStepAccount(context.db, paId);
  if (!account) return undefined;
  const now = context.clock.nowMs();
  // Required but off: the PA sets it up now, proving the e-mail address on file with this code.
  const setup = account.two_step_channel === null;
  const channel = deliveryChannel(account);
  const codeId = sendCode(context, account, channel, 'sign_in', now, sourceIp);
  return { paId, codeId, channel, expiresAtMs: now + PENDING_SIGN_IN_MS, lastSentAtMs: now, resends: 0, returnTo, ...(setup ? { setup } : {}) };
}

/** The channel as the code page shows it: enough to recognise, too little to learn. */
export function maskedDestination(context: AppContext, pending: PendingSignIn): string {
  const account = findTwoStepAccount(context.db, pending.paId);
  if (!account) return '';
  if (pending.channel === 'sms') return maskPhone(textablePhone(account.phone) ?? '');
  const [local = '', domain = ''] = account.email.split('@');
  return `${local.slice(0, 1)}••••@${domain}`;
}

export type ResendOutcome = { ok: true; pending: PendingSignIn } | { ok: false; reason: 'too_soon'; waitSeconds: number } | { ok: false; reason: 'too_many' };

export function resendCode(context: AppContext, pending: PendingSignIn, sourceIp: string | null): ResendOutcome {
  const now = context.clock.nowMs();
  if (pending.resends >= MAX_RESENDS) return { ok: false, reason: 'too_many' };
  const wait = pending.lastSentAtMs + RESEND_INTERVAL_MS - now;
  if (wait > 0) return { ok: false, reason: 'too_soon', waitSeconds: Math.ceil(wait / 1000) };
  const account = findTwoStepAccount(context.db, pending.paId);
  if (!account) return { ok: false, reason: 'too_many' };
  const codeId = sendCode(context, account, pending.channel, 'sign_in', now, sourceIp);
  return { ok: true, pending: { ...pending, codeId, lastSentAtMs: now, resends: pending.resends + 1 } };
}

/** 'unavailable': the account stopped being active (suspended, say) while the code page was open. */
export type CodeOutcome = 'ok' | 'wrong' | 'locked' | 'unavailable';

/**
 * Checks a sign-in code. Wrong, expired, used and superseded codes are one answer; each counts as a
 * failed login, so 5 in a row lock the account exactly as 5 wrong passwords do.
 */
export function verifySignInCode(context: AppContext, pending: PendingSignIn, typed: string, sourceIp: string | null): CodeOutcome {
  const { db, config } = context;
  const now = context.clock.nowMs();
  const subject = paRef(pending.paId);
  if (consumeCode(db, { id: pending.codeId, paId: pending.paId, codeHash: hashCode(context, pending.paId, typed), now })) {
    recordAudit(db, { at: now, actor: subject, action: 'two_step.success', subject, outcome: 'success', sourceIp, details: { channel: pending.channel } });
    return 'ok';
  }
  const counted = recordFailedLogin(db, pending.paId, config.rules.maxFailedLogins, now);
  recordAudit(db, { at: now, actor: 'anonymous', action: 'two_step.failure', subject, outcome: 'failure', sourceIp,
    details: { failures: counted?.failed_login_count ?? null } });
  if (counted?.state === 'locked') {
    recordAudit(db, { at: now, actor: 'system', action: 'account.locked', subject, outcome: 'success', sourceIp, details: { failures: counted.failed_login_count } });
    context.sessionStore.destroyUserSessions(subject);
    return 'locked';
  }
  return counted ? 'wrong' : 'unavailable';
}
