// The simulator console's guard: a person pastes the simulator token once at /sim/login, and their
// portal session is marked as the console's. Everything else under /sim requires that mark.
import type { Request, RequestHandler } from 'express';
import type session from 'express-session';
import { simulatorAccess } from '../../http/access';
import { wantsJson } from '../../http/errors';
import { sessionUserKey } from '../../http/session-store';
import { AppError } from '../../lib/errors';


/** Every console route but the sign-in form: pages send a stranger to /sim/login, anything else is refused. */
export const consoleSignedIn: RequestHandler = simulatorAccess((req, res, next) => {
  if (req.session?.simConsole === true) return next();
  if (wantsJson(req) || req.method !== 'GET') {
    return next(new AppError(401, 'unauthenticated', 'Sign in to the simulator console with the simulator token first.'));
  }
  res.redirect('/sim/login');
});

/** What of the old session survives a new session ID: a portal sign-in in the same browser, if asked. */
type Carried = Partial<Pick<session.SessionData, 'startedAtMs' | 'lastSeenAtMs'>> & { passport?: unknown };

/**
 * Gives the console a fresh session ID (after the token is pasted, after a reset, after the clock
 * jumped past the session's timeouts) with the console mark set and its timeouts counting from now.
 */
export function renewConsoleSession(req: Request, now: number, carry: Carried, done: (err?: unknown) => void): void {
  req.session.regenerate((err) => {
    if (err) return done(err);
    if (carry.passport !== undefined) (req.session as unknown as { passport: unknown }).passport = carry.passport;
    req.session.simConsole = true;
    req.session.startedAtMs = carry.startedAtMs ?? now;
    req.session.lastSeenAtMs = now;
    done();
  });
}

/** The portal sign-in this session holds (passport's record), to carry across a new session ID. */
export function portalSignIn(req: Request): Carried {
  const current = req.session as unknown as { passport?: unknown; startedAtMs?: number; lastSeenAtMs?: number };
  if (sessionUserKey(req.session) === null || current.passport === undefined) return {};
  return { passport: current.passport, startedAtMs: current.startedAtMs, lastSeenAtMs: current.lastSeenAtMs };
}

/**
 * After the console moved the clock, the session it arrived on may have outlived its idle or
 * absolute timeout in simulated time. The console stays open (the person just moved the clock), but
 * a portal sign-in in the same session ends exactly as the timeout would have ended it.
 * Calls back with whether such a sign-in ended.
 */
export function keepConsoleSessionAfterClockMove(
  req: Request, now: number, timeouts: { sessionIdleMs: number; sessionAbsoluteMs: number }, done: (err: unknown, endedSignIn: boolean) => void,
): void {
  const startedAt = req.session.startedAtMs ?? now;
  const lastSeen = req.session.lastSeenAtMs ?? startedAt;
  const expired = now - lastSeen > timeouts.sessionIdleMs || now - startedAt > timeouts.sessionAbsoluteMs;
  if (!expired) {
    req.session.lastSeenAtMs = now;
    return done(null, false);
  }
  const wasSignedIn = sessionUserKey(req.session) !== null;
  renewConsoleSession(req, now, {}, (err) => done(err, wasSignedIn));
}
