// Trusted browsers: a PA who ticks "trust this device" after the right code skips the code on that
// browser for 30 simulated days, until the device is revoked. The cookie names a trusted_devices
// row and carries a random token (stored hashed), signed with the sandbox's secret.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AppContext } from '../../context';
import { paRef, recordAudit } from '../audit/audit.service';
import { findTrustedDevice, insertTrustedDevice } from './two-step.repository';

/** 30 simulated days: long enough not to nag, short enough that a forgotten browser stops counting. */
export const DEVICE_TRUST_MS = 30 * 24 * 60 * 60_000;
export const DEVICE_COOKIE = 'atwork.device';
const BROWSER_NAME_MAX = 200;

/** Over HTTPS the `__Host-` prefix: only a Secure answer for this exact host can set it. */
export const deviceCookieName = (secure: boolean): string => `${secure ? '__Host-' : ''}${DEVICE_COOKIE}`;

const sign = (context: AppContext, value: string) => createHmac('sha256', context.sessionSecret).update(`device:${value}`).digest('base64url');
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function presentedCookie(req: Request, name: string): string | undefined {
  for (const pair of req.headers.cookie?.split(';') ?? []) {
    const [key, value] = pair.trim().split('=', 2);
    if (key === name && value) return value;
  }
  return undefined;
}

/** Whether this browser carries a valid, unrevoked, unexpired trust for the PA. */
export function browserIsTrusted(context: AppContext, req: Request, paId: number, now: number): boolean {
  const match = /^(\d+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(presentedCookie(req, deviceCookieName(req.secure)) ?? '');
  if (!match) return false;
  const [, id = '', token = '', signature = ''] = match;
  if (!sameText(signature, sign(context, `${id}.${token}`))) return false;
  const device = findTrustedDevice(context.db, Number(id));
  return device !== undefined && device.pa_id === paId && device.revoked_at === null && device.expires_at > now
    && sameText(device.token_hash, hashToken(token));
}

/** Trusts this browser for the PA: a new row, and the cookie that names it. */
export function trustBrowser(context: AppContext, req: Request, res: Response, paId: number, now: number): void {
  const token = randomBytes(32).toString('base64url');
  const browser = (req.get('user-agent') ?? 'Unknown browser').slice(0, BROWSER_NAME_MAX);
  const id = insertTrustedDevice(context.db, { paId, tokenHash: hashToken(token), browser, now, expiresAt: now + DEVICE_TRUST_MS });
  const value = `${id}.${token}`;
  res.cookie(deviceCookieName(req.secure), `${value}.${sign(context, value)}`, {
    httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: DEVICE_TRUST_MS,
  });
  recordAudit(context.db, { at: now, actor: paRef(paId), action: 'device.trusted', subject: paRef(paId), outcome: 'success', sourceIp: req.ip ?? null,
    details: { deviceId: id } });
}
