// Server-side sessions: the cookie, and idle and absolute timeouts on the simulated clock.
import session from 'express-session';
import type { Request, RequestHandler } from 'express';
import type { AppContext } from '../context';
import type { FlashMessage } from '../types/express-session';
import { sessionUserKey } from './session-store';

export const SESSION_COOKIE = 'atwork.sid';
/** The help desk's realm has its own cookie, sent only to /helpdesk: the two realms never share a session. */
export const STAFF_SESSION_COOKIE = 'atwork.staff.sid';

export function sessionMiddleware(context: AppContext, realm: 'portal' | 'helpdesk' = 'portal'): RequestHandler {
  return session({
    name: realm === 'portal' ? SESSION_COOKIE : STAFF_SESSION_COOKIE,
    secret: context.sessionSecret,
    store: context.sessionStore,
    resave: false,
    saveUninitialized: false,
    // A browser-session cookie: the server decides when a session ends, on the simulated clock.
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', path: realm === 'portal' ? '/' : '/helpdesk' },
  });
}

/** How precisely the idle timeout counts: a session idle for 15 minutes may end up to a second early. */
const LAST_SEEN_PRECISION_MS = 1_000;

const ENDED_IDLE = 'Your session has ended after a period of inactivity. Please log in again.';
const ENDED_AT_LIMIT = 'Your session has ended. Please log in again.';

/** Ends a session that sat idle too long or lived too long, and starts a fresh one in its place. */
export function enforceSessionTimeouts(context: AppContext, realm: 'portal' | 'helpdesk' = 'portal'): RequestHandler {
  const { sessionIdleMs, sessionAbsoluteMs } = context.config.rules;
  const cookieName = realm === 'portal' ? SESSION_COOKIE : STAFF_SESSION_COOKIE;
  return (req, _res, next) => {
    const now = context.clock.nowMs();
    const current = req.session;
    const startedAt = current.startedAtMs;
    if (startedAt !== undefined) {
      const idleFor = now - (current.lastSeenAtMs ?? startedAt);
      const wentIdle = idleFor > sessionIdleMs;
      const expired = wentIdle || now - startedAt > sessionAbsoluteMs;
      if (expired) {
        const wasSignedIn = sessionUserKey(current) !== null;
        req.session.regenerate((err) => {
          if (err) return next(err);
          req.session.startedAtMs = now;
          req.session.lastSeenAtMs = now;
          if (wasSignedIn) addFlash(req, 'notice', wentIdle ? ENDED_IDLE : ENDED_AT_LIMIT);
          next();
        });
        return;
      }
    }
    if (startedAt === undefined) {
      current.startedAtMs = now;
      // The browser sent a session the store no longer gives out: past its row's lifetime (a clock move
      // of hours), it went unused that long. Only looked up, so an unverified id can do no harm.
      const sid = presentedSessionId(req, cookieName);
      if (sid && context.sessionStore.signedInSessionTimedOut(sid)) addFlash(req, 'notice', ENDED_IDLE);
    }
    // Recorded to the second: a busy page then reads its session without writing it back each time.
    if (current.lastSeenAtMs === undefined || now - current.lastSeenAtMs >= LAST_SEEN_PRECISION_MS) current.lastSeenAtMs = now;
    next();
  };
}

/** The session id in the request's cookie (express-session's "s:<id>.<signature>"), unverified. */
function presentedSessionId(req: Request, cookieName: string): string | undefined {
  for (const pair of req.headers.cookie?.split(';') ?? []) {
    const [name, value] = pair.trim().split('=', 2);
    if (name !== cookieName || !value) continue;
    try {
      return /^s:([^.]+)\./.exec(decodeURIComponent(value))?.[1];
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Signs the user in on a fresh session (passport regenerates the session ID) whose absolute
 * lifetime starts now, at sign-in.
 */
export function beginSignedInSession(req: Request, user: Express.User, now: number, done: (err?: unknown) => void): void {
  req.logIn(user, (err) => {
    if (err) return done(err);
    req.session.startedAtMs = now;
    req.session.lastSeenAtMs = now;
    done();
  });
}

export function addFlash(req: Request, kind: FlashMessage['kind'], message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, message }];
}

/** Hands the pending flash messages to the page about to render, once. */
export function takeFlash(req: Request): FlashMessage[] {
  const messages = req.session?.flash ?? [];
  if (messages.length > 0) delete req.session.flash;
  return messages;
}
