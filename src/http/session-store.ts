// An express-session store on the sandbox's own SQLite database. It records whose session each
// row is, so a lock, suspension or password reset can end all of a user's sessions at once, and
// it expires rows on the simulated clock. It starts no timers, so it never keeps a process alive.
import session from 'express-session';
import type { Database } from '../db/database';
import type { Clock } from '../lib/clock';

/** The session rules a row's life follows (Config's rules hold them). */
export interface SessionLimits {
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
}

/**
 * How long a row lives after its last write: the configured absolute lifetime. A session is valid
 * only while less than that has passed since it began, and every write comes after its beginning,
 * so a row still valid for the timeout middleware is never purged first, whatever the configured
 * limits; the middleware, not the row, decides when a session ends.
 */
export function sessionRowTtlMs(limits: SessionLimits): number {
  return limits.sessionAbsoluteMs;
}

/** Expired rows are purged on every Nth write rather than by a timer. */
const PURGE_EVERY_N_WRITES = 200;

type Callback = (err?: unknown) => void;

/** The user a session belongs to: a PA as passport serialised it ("pa:12"), or a staff member ("staff:3"). */
export function sessionUserKey(data: Partial<session.SessionData>): string | null {
  const user = (data as { passport?: { user?: unknown } }).passport?.user;
  if (typeof user === 'string') return user;
  return typeof data.staffUserId === 'number' ? `staff:${data.staffUserId}` : null;
}

export class SqliteSessionStore extends session.Store {
  private writesSincePurge = 0;
  private readonly rowTtlMs: number;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    limits: SessionLimits,
  ) {
    super();
    this.rowTtlMs = sessionRowTtlMs(limits);
  }

  override get(sid: string, callback: (err: unknown, data?: session.SessionData | null) => void): void {
    try {
      const row = this.db.get<{ data: string }>(
        'SELECT data FROM sessions WHERE sid = ? AND expires_at > ?', sid, this.clock.nowMs());
      callback(null, row ? (JSON.parse(row.data) as session.SessionData) : null);
    } catch (err) {
      callback(err);
    }
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    try {
      const now = this.clock.nowMs();
      this.db.run(
        `INSERT INTO sessions (sid, user_key, expires_at, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (sid) DO UPDATE SET user_key = excluded.user_key, expires_at = excluded.expires_at, data = excluded.data`,
        sid, sessionUserKey(data), now + this.rowTtlMs, JSON.stringify(data));
      this.purgeExpiredSometimes(now);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  /**
   * Writes nothing: a session's row expiry is refreshed whenever the session is saved, which the
   * timeout middleware does at least once a second while it is in use. A write per request would
   * make every page a database write.
   */
  override touch(_sid: string, _data: session.SessionData, callback?: Callback): void {
    callback?.();
  }

  override destroy(sid: string, callback?: Callback): void {
    try {
      this.db.run('DELETE FROM sessions WHERE sid = ?', sid);
      callback?.();
    } catch (err) {
      callback?.(err);
    }
  }

  /** Whether `sid` names a signed-in session that timed out on the clock (rather than one ended on purpose). */
  signedInSessionTimedOut(sid: string): boolean {
    return this.db.get('SELECT 1 FROM sessions WHERE sid = ? AND expires_at <= ? AND user_key IS NOT NULL', sid, this.clock.nowMs()) !== undefined;
  }

  /** Ends every session of one user, optionally keeping one (the session that made the change). */
  destroyUserSessions(userKey: string, exceptSid?: string): number {
    return this.db.run('DELETE FROM sessions WHERE user_key = ? AND sid IS NOT ?', userKey, exceptSid ?? null).changes;
  }

  /** One user's sessions still stored, with what each keeps: the profile lists them. */
  userSessions(userKey: string): Array<{ sid: string; data: session.SessionData }> {
    return this.db.all<{ sid: string; data: string }>(
      'SELECT sid, data FROM sessions WHERE user_key = ? AND expires_at > ?', userKey, this.clock.nowMs(),
    ).map((row) => ({ sid: row.sid, data: JSON.parse(row.data) as session.SessionData }));
  }

  /** Ends one session, only if it is this user's: false when it was not (or had ended already). */
  destroyUserSession(userKey: string, sid: string): boolean {
    return this.db.run('DELETE FROM sessions WHERE sid = ? AND user_key = ?', sid, userKey).changes === 1;
  }

  countUserSessions(userKey: string): number {
    return this.db.get<{ n: number }>(
      'SELECT count(*) AS n FROM sessions WHERE user_key = ? AND expires_at > ?', userKey, this.clock.nowMs(),
    )!.n;
  }

  private purgeExpiredSometimes(now: number): void {
    this.writesSincePurge += 1;
    if (this.writesSincePurge < PURGE_EVERY_N_WRITES) return;
    this.writesSincePurge = 0;
    this.db.run('DELETE FROM sessions WHERE expires_at <= ?', now);
  }
}
