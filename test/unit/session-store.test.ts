import type session from 'express-session';
import { openDatabase } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { SqliteSessionStore, type SessionLimits } from '../../src/http/session-store';
import { SimulatedClock } from '../../src/lib/clock';

const HOUR_MS = 3_600_000;
/** The product's default rules: 15 idle minutes, 8 hours at most. */
const DEFAULT_LIMITS = { sessionIdleMs: 15 * 60_000, sessionAbsoluteMs: 8 * HOUR_MS };

function setUp(limits: SessionLimits = DEFAULT_LIMITS) {
  const db = openDatabase(':memory:');
  migrate(db);
  const clock = new SimulatedClock(db, () => Date.parse('2026-01-01T00:00:00Z'));
  return { db, clock, store: new SqliteSessionStore(db, clock, limits) };
}

const signedIn = (user: string) => ({ cookie: {}, passport: { user } }) as unknown as session.SessionData;

function read(store: SqliteSessionStore, sid: string): Promise<session.SessionData | null | undefined> {
  return new Promise((resolve, reject) => store.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
}

describe('SqliteSessionStore', () => {
  it('stores and reads a session, and records whose it is', async () => {
    const { db, store } = setUp();
    store.set('s1', signedIn('pa:1'));
    expect(await read(store, 's1')).toMatchObject({ passport: { user: 'pa:1' } });
    expect(db.get('SELECT user_key FROM sessions WHERE sid = ?', 's1')).toEqual({ user_key: 'pa:1' });
  });

  it("ends every session of one user with one statement, and nobody else's", async () => {
    const { store } = setUp();
    store.set('a', signedIn('pa:1'));
    store.set('b', signedIn('pa:1'));
    store.set('c', signedIn('pa:2'));
    expect(store.destroyUserSessions('pa:1')).toBe(2);
    expect(await read(store, 'a')).toBeNull();
    expect(await read(store, 'b')).toBeNull();
    expect(await read(store, 'c')).not.toBeNull();
  });

  it('can keep the session that made the change', () => {
    const { store } = setUp();
    store.set('mine', signedIn('pa:1'));
    store.set('other', signedIn('pa:1'));
    expect(store.destroyUserSessions('pa:1', 'mine')).toBe(1);
    expect(store.countUserSessions('pa:1')).toBe(1);
  });

  it('forgets a session once the simulated clock passes its lifetime', async () => {
    const { clock, store } = setUp();
    store.set('s1', signedIn('pa:1'));
    clock.advanceBy(9 * HOUR_MS);
    expect(await read(store, 's1')).toBeNull();
  });

  it('keeps a row as long as a configured absolute lifetime beyond 8 hours could keep its session', async () => {
    const { clock, store } = setUp({ sessionIdleMs: 600 * 60_000, sessionAbsoluteMs: 24 * HOUR_MS });
    store.set('s1', signedIn('pa:1'));
    clock.advanceBy(23 * HOUR_MS);
    expect(await read(store, 's1')).toMatchObject({ passport: { user: 'pa:1' } });
    clock.advanceBy(HOUR_MS + 1);
    expect(await read(store, 's1')).toBeNull();
  });
});
