// A PA's own 2-step settings: turning it on or changing the channel (after proving the channel with
// a code sent to it), turning it off, and the trusted browsers. Every change is audited and mailed.
import type { AppContext } from '../../context';
import { secretMatchesInConstantTime } from '../../lib/hashing';
import { maskPhone, textablePhone } from '../../lib/phone-number';
import { accountNoticeEmail } from '../accounts/emails';
import { paRef, recordAudit, type AuditAction } from '../audit/audit.service';
import {
  consumeCode, findTwoStepAccount, passwordHashOf, revokeAllTrustedDevices, revokeTrustedDevice, setTwoStepChannel,
  trustedDevicesOf, type TwoStepChannel,
} from './two-step.repository';
import { hashCode, sendCode } from './two-step.service';

export interface TwoStepSettings {
  channel: TwoStepChannel | null;
  required: boolean;
  /** The phone texts go to, masked; null with none on file. */
  phone: string | null;
  email: string;
  devices: Array<{ id: number; browser: string; trustedAt: number; expiresAt: number }>;
}

export function twoStepSettings(context: AppContext, paId: number, now: number): TwoStepSettings | undefined {
  const account = findTwoStepAccount(context.db, paId);
  if (!account) return undefined;
  const phone = textablePhone(account.phone);
  return {
    channel: account.two_step_channel,
    required: account.require_two_step === 1,
    phone: phone ? maskPhone(phone) : null,
    email: account.email,
    devices: trustedDevicesOf(context.db, paId, now).map((d) => ({ id: d.id, browser: d.browser, trustedAt: d.trusted_at, expiresAt: d.expires_at })),
  };
}

/** Checks a re-entered password (the step-up for sensitive changes). */
export function passwordIsRight(context: AppContext, paId: number, password: string): Promise<boolean> {
  return secretMatchesInConstantTime(password, passwordHashOf(context.db, paId), context.config.bcryptCost);
}

export type SetupStart = { ok: true; codeId: number } | { ok: false; reason: 'no_phone' };

/** Sends a code to the channel to be proved; nothing changes until it comes back. */
export function startChannelSetup(context: AppContext, paId: number, channel: TwoStepChannel, now: number, sourceIp: string | null): SetupStart {
  const account = findTwoStepAccount(context.db, paId)!;
  if (channel === 'sms' && !textablePhone(account.phone)) return { ok: false, reason: 'no_phone' };
  return { ok: true, codeId: sendCode(context, account, channel, 'setup', now, sourceIp) };
}

const CHANNEL_NAMES: Record<TwoStepChannel, string> = { email: 'e-mail', sms: 'text message' };

function noticeChange(context: AppContext, paId: number, action: AuditAction, actor: string, now: number, sourceIp: string | null, paragraph: string): void {
  const account = findTwoStepAccount(context.db, paId)!;
  recordAudit(context.db, { at: now, actor, action, subject: paRef(paId), outcome: 'success', sourceIp, details: { channel: account.two_step_channel } });
  context.outbox.send(accountNoticeEmail({
    to: account.email, firstName: account.first_name, subject: 'Your @Work 2-step verification changed', type: 'two_step_changed',
    paragraphs: [paragraph],
  }));
}

/** Turns 2-step on, or moves it to the channel, once the code sent there came back right. */
export function confirmChannel(context: AppContext, paId: number, setup: { codeId: number; channel: TwoStepChannel }, typed: string, now: number, sourceIp: string | null): boolean {
  if (!consumeCode(context.db, { id: setup.codeId, paId, codeHash: hashCode(context, paId, typed), now })) {
    recordAudit(context.db, { at: now, actor: paRef(paId), action: 'two_step.failure', subject: paRef(paId), outcome: 'failure', sourceIp, details: { purpose: 'setup' } });
    return false;
  }
  const before = findTwoStepAccount(context.db, paId)!.two_step_channel;
  setTwoStepChannel(context.db, paId, setup.channel);
  noticeChange(context, paId, before === null ? 'two_step.enabled' : 'two_step.changed', paRef(paId), now, sourceIp,
    `2-step verification for your @Work User ID is now on: sign-in codes go to you by ${CHANNEL_NAMES[setup.channel]}.`);
  return true;
}

/** A sign-in's right code, when the company required 2-step and it was off: it is on from now. */
export function enableAtSignIn(context: AppContext, paId: number, channel: TwoStepChannel, now: number, sourceIp: string | null): void {
  setTwoStepChannel(context.db, paId, channel);
  noticeChange(context, paId, 'two_step.enabled', paRef(paId), now, sourceIp,
    `Your company requires 2-step verification, and you set it up at sign-in: codes go to you by ${CHANNEL_NAMES[channel]}.`);
}

export type DisableOutcome = { ok: true } | { ok: false; reason: 'required' };

export function disableTwoStep(context: AppContext, paId: number, now: number, sourceIp: string | null): DisableOutcome {
  const account = findTwoStepAccount(context.db, paId)!;
  if (account.require_two_step === 1) return { ok: false, reason: 'required' };
  if (account.two_step_channel === null) return { ok: true };
  setTwoStepChannel(context.db, paId, null);
  revokeAllTrustedDevices(context.db, paId, now);
  noticeChange(context, paId, 'two_step.disabled', paRef(paId), now, sourceIp,
    '2-step verification for your @Work User ID was turned off: signing in now needs your password only.');
  return { ok: true };
}

export function revokeDevice(context: AppContext, paId: number, deviceId: number | 'all', now: number, sourceIp: string | null): number {
  const count = deviceId === 'all' ? revokeAllTrustedDevices(context.db, paId, now) : Number(revokeTrustedDevice(context.db, paId, deviceId, now));
  if (count > 0) {
    recordAudit(context.db, { at: now, actor: paRef(paId), action: 'device.revoked', subject: paRef(paId), outcome: 'success', sourceIp,
      details: { device: deviceId === 'all' ? 'all' : deviceId, count } });
  }
  return count;
}
