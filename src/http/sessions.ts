// Server-side sessions: the cookie, and idle and absolute timeouts on the simulated clock.
import session from 'express-session';
import type { Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { notFound } from '../lib/errors';
import { summariseUserAgent } from '../lib/user-agent';
import type { FlashMessage } from '../types/express-session';
import { RealmSessionStore, type MergeOnSave } from './realm-session-store';
import { sessionUserKey } from './session-store';

export type SessionRealm = 'portal' | 'helpdesk';

export const SESSION_COOKIE = 'atwork.sid';
/** The help desk's realm has its own cookie, sent only to /helpdesk: the two realms never share a session. */
export const STAFF_SESSION_COOKIE = 'atwork.staff.sid';

const REALM_COOKIE_PATH: Record<SessionRealm, string> = { portal: '/', helpdesk: '/helpdesk' };

/**
 * The realm's cookie name and path, by whether the request came over HTTPS. Over HTTPS the portal's
 * cookie takes the `__Host-` prefix: the browser then keeps it only if it is Secure, has Path=/ and
 * no Domain, so no sibling host or plain-HTTP page can plant or shadow it. `__Host-` demands Path=/,
 * which would send the staff session ID with every portal request, where it has no business; the
 * staff cookie keeps Path=/helpdesk and takes `__Secure-`, which still means only an HTTPS answer
 * can set it.
 */
export function sessionCookie(realm: SessionRealm, secure: boolean): { name: string; path: string } {
  const name = realm === 'portal' ? SESSION_COOKIE : STAFF_SESSION_COOKIE;
  const prefix = !secure ? '' : realm === 'portal' ? '__Host-' : '__Secure-';
  return { name: `${prefix}${name}`, path: REALM_COOKIE_PATH[realm] };
}

export function sessionMiddleware(context: AppContext, realm: SessionRealm = 'portal', options: { mergeOnSave?: MergeOnSave } = {}): RequestHandler {
  // express-session fixes the cookie's name per middleware, so there is one for each scheme, and
  // each has a store view of its own (see RealmSessionStore for why they cannot share one).
  const overScheme = (secure: boolean) => {
    const cookie = sessionCookie(realm, secure);
    return session({
      name: cookie.name,
      secret: context.sessionSecret,
      store: new RealmSessionStore(context.sessionStore, context.clock, options.mergeOnSave),
      resave: false,
      saveUninitialized: false,
      // A browser-session cookie: the server decides when a session ends, on the simulated clock.
      cookie: { httpOnly: true, sameSite: 'lax', secure, path: cookie.path },
    });
  };
  const plain = overScheme(false);
  const secure = overScheme(true);
  return (req, res, next) => (req.secure ? secure : plain)(req, res, next);
}

/**
 * After a sign-out: expires the realm's cookie exactly as it was set (name, path, Secure), and asks
 * the browser to drop what it cached or stored for the site. Not "cookies": that clears every cookie
 * of the site, so a PA signing out would also end the help-desk session open in the same browser
 * (QA scripts drive both realms from one browser), and the other way round.
 */
export function forgetSessionInBrowser(req: Request, res: Response, realm: SessionRealm): void {
  const cookie = sessionCookie(realm, req.secure);
  res.clearCookie(cookie.name, { path: cookie.path, httpOnly: true, sameSite: 'lax', secure: req.secure });
  res.set('Clear-Site-Data', '"cache", "storage"');
}

/** How precisely the idle timeout counts: a session idle for 15 minutes may end up to a second early. */
const LAST_SEEN_PRECISION_MS = 1_000;

const ENDED_IDLE = 'Your session has ended after a period of inactivity. Please log in again.';
const ENDED_AT_LIMIT = 'Your session has ended. Please log in again.';

/** Ends a session that sat idle too long or lived too long, and starts a fresh one in its place. */
export function enforceSessionTimeouts(context: AppContext, realm: SessionRealm = 'portal'): RequestHandler {
  const { sessionIdleMs, sessionAbsoluteMs } = context.config.rules;
  return (req, _res, next) => {
    // express-session gives no session to a path outside its cookie's path (its check is
    // case-sensitive): such a path is no page of this realm.
    if (req.session === undefined) return next(notFound());
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
      // The browser sent a session the store no longer gives out: past its row's lifetime (a clock move
      // of hours), it went unused that long. Only looked up, so an unverified id can do no harm.
      const sid = presentedSessionId(req, sessionCookie(realm, req.secure).name);
      if (sid && context.sessionStore.signedInSessionTimedOut(sid)) addFlash(req, 'notice', ENDED_IDLE);
      // A session not stored yet: its clocks start when it is first saved (RealmSessionStore.set), so
      // an anonymous page that keeps nothing in it writes nothing.
      return next();
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
    // Signing in proves the password: sensitive changes need no second ask for a while.
    req.session.passwordProvenAtMs = now;
    req.session.browser = summariseUserAgent(req.get('user-agent'));
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
