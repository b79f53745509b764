// The statements a repository function really runs, with their parameters: so a test can ask SQLite
// how it plans the repository's own SQL, not a copy of it that could drift.
import type { Database, SqlParams } from '../../src/db/database';

export interface RecordedStatement {
  sql: string;
  params: SqlParams;
}

/** Runs `use` with a view of `db` that records every read it makes; returns what was read. */
export function statementsOf(db: Database, use: (db: Database) => unknown): RecordedStatement[] {
  const recorded: RecordedStatement[] = [];
  const recording = new Proxy(db, {
    get(target, property, receiver) {
      if (property === 'all' || property === 'get') {
        return (sql: string, ...params: SqlParams) => {
          recorded.push({ sql, params });
          return target[property](sql, ...params);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  use(recording);
  return recorded;
}

/** The query plan of each statement `use` runs on `db`, one line of SQLite's EXPLAIN QUERY PLAN an entry. */
export function plansOf(db: Database, use: (db: Database) => unknown): string[][] {
  return statementsOf(db, use).map(({ sql, params }) =>
    db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params).map((row) => row.detail));
}

/** The plan of the one statement `use` runs; throws if it runs none or several. */
export function planOf(db: Database, use: (db: Database) => unknown): string[] {
  const plans = plansOf(db, use);
  if (plans.length !== 1) throw new Error(`expected one statement, the repository ran ${plans.length}`);
  return plans[0]!;
}
