// The PA's own open sessions (ASVS 7.5.1, 7.5.2): each with its start, last use and browser, each
// endable, and "sign out everywhere else". A session is named on the page by a handle, an HMAC of
// its ID under the sandbox's session secret: the page never shows a session ID, and a handle means
// nothing outside the PA's own sessions, so no one can end (or learn of) another PA's session.
import crypto from 'node:crypto';
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { paRef, recordAudit } from '../audit/audit.service';
import { minute } from './profile.service';

export interface OwnSession {
  handle: string;
  started: string;
  lastUsed: string;
  browser: string;
  current: boolean;
}

/** 128 bits of the HMAC: unguessable, and short enough for a form's action. */
const HANDLE_BYTES = 16;

function sessionHandle(context: AppContext, sid: string): string {
  return crypto.createHmac('sha256', context.sessionSecret).update(`session-handle:${sid}`).digest().subarray(0, HANDLE_BYTES).toString('base64url');
}

/** The PA's sessions still open on the simulated clock (neither idle nor past their lifetime), newest use first. */
function openSessions(context: AppContext, paId: number, now: number) {
  const { sessionIdleMs, sessionAbsoluteMs } = context.config.rules;
  return context.sessionStore.userSessions(paRef(paId))
    .map(({ sid, data }) => ({ sid, startedAt: data.startedAtMs ?? now, lastSeenAt: data.lastSeenAtMs ?? data.startedAtMs ?? now, browser: data.browser }))
    .filter((s) => now - s.lastSeenAt <= sessionIdleMs && now - s.startedAt <= sessionAbsoluteMs);
}

export function ownSessions(context: AppContext, paId: number, currentSid: string, now: number): OwnSession[] {
  return openSessions(context, paId, now)
    // This request's session is in use right now, whatever its stored row last said.
    .map((s) => (s.sid === currentSid ? { ...s, lastSeenAt: now } : s))
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt || b.startedAt - a.startedAt)
    .map((s) => ({
      handle: sessionHandle(context, s.sid),
      started: minute(s.startedAt),
      lastUsed: minute(s.lastSeenAt),
      browser: s.browser ?? 'An unknown browser',
      current: s.sid === currentSid,
    }));
}

/** Ends one of the PA's other sessions by its handle; this session ends by logging out instead. */
export function endOwnSession(context: AppContext, paId: number, handle: string, currentSid: string, sourceIp: string | null): void {
  const now = context.clock.nowMs();
  const target = openSessions(context, paId, now).find((s) => sessionHandle(context, s.sid) === handle);
  if (!target) throw notFound('There is no such open session of yours.');
  if (target.sid === currentSid) throw new AppError(409, 'current_session', 'That is this session: to end it, log out.');
  if (!context.sessionStore.destroyUserSession(paRef(paId), target.sid)) throw notFound('There is no such open session of yours.');
  recordAudit(context.db, { at: now, actor: paRef(paId), action: 'session.ended', subject: paRef(paId), outcome: 'success', sourceIp,
    details: { browser: target.browser ?? null } });
}

/** Signs the PA out everywhere but here; returns how many sessions ended. */
export function endOtherOwnSessions(context: AppContext, paId: number, currentSid: string, sourceIp: string | null): number {
  const ended = context.sessionStore.destroyUserSessions(paRef(paId), currentSid);
  recordAudit(context.db, { at: context.clock.nowMs(), actor: paRef(paId), action: 'session.ended_others', subject: paRef(paId), outcome: 'success', sourceIp,
    details: { ended } });
  return ended;
}
