// One sign-in realm's view of the shared session store. express-session assigns `store.generate`
// (which builds each new session's cookie) on the store it is given, so two realms handed the same
// store object would both build cookies with the options of whichever middleware was made last: the
// staff cookie came out with the portal's Path=/. Each session middleware therefore gets a view of
// its own, while the rows stay in the one SQLite table (so a lock still ends all of a user's sessions).
import session from 'express-session';
import type { Clock } from '../lib/clock';
import type { SqliteSessionStore } from './session-store';

type Callback = (err?: unknown) => void;

/** Folds what another request saved meanwhile into the session about to be written over it. */
export type MergeOnSave = (stored: session.SessionData, saving: session.SessionData) => void;

export class RealmSessionStore extends session.Store {
  constructor(
    private readonly shared: SqliteSessionStore,
    private readonly clock: Clock,
    private readonly mergeOnSave?: MergeOnSave,
  ) {
    super();
  }

  override get(sid: string, callback: (err: unknown, data?: session.SessionData | null) => void): void {
    this.shared.get(sid, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    // A session is stored only once something is kept in it (a form's CSRF token, a sign-in), so its
    // idle and absolute clocks start here, at its first save, not on every anonymous request.
    const now = this.clock.nowMs();
    data.startedAtMs ??= now;
    data.lastSeenAtMs ??= now;
    const merge = this.mergeOnSave;
    if (!merge) return this.shared.set(sid, data, callback);
    this.shared.get(sid, (err, stored) => {
      if (err) return callback?.(err);
      if (stored) merge(stored, data);
      this.shared.set(sid, data, callback);
    });
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    this.shared.touch(sid, data, callback);
  }

  override destroy(sid: string, callback?: Callback): void {
    this.shared.destroy(sid, callback);
  }
}
