// A thin wrapper over better-sqlite3: all/get/run/tx with prepared statements cached by SQL text.
import BetterSqlite3 from 'better-sqlite3';

export type SqlParam = string | number | bigint | null | Buffer;
export type SqlParams = SqlParam[] | [Record<string, SqlParam>];

export interface RunResult {
  changes: number;
  lastId: number;
}

/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

export class Database {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(readonly raw: BetterSqlite3.Database) {}

  statement(sql: string): BetterSqlite3.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.raw.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  all<Row>(sql: string, ...params: SqlParams): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  get<Row>(sql: string, ...params: SqlParams): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  run(sql: string, ...params: SqlParams): RunResult {
    const result = this.statement(sql).run(...params);
    return { changes: result.changes, lastId: Number(result.lastInsertRowid) };
  }

  /** Iterates rows one at a time, for exports that must not hold a whole result in memory. */
  iterate<Row>(sql: string, ...params: SqlParams): IterableIterator<Row> {
    return this.statement(sql).iterate(...params) as IterableIterator<Row>;
  }

  /** Runs fn in a transaction (nested calls become savepoints); a throw rolls it back. */
  tx<T>(fn: () => T): T {
    return this.raw.transaction(fn)();
  }

  exec(sql: string): void {
    this.raw.exec(sql);
  }

  close(): void {
    this.statements.clear();
    if (this.raw.open) this.raw.close();
  }
}

/** Opens (creating if needed) a database file, or ':memory:', with the pragmas every connection needs. */
export function openDatabase(filename: string): Database {
  const raw = new BetterSqlite3(filename);
  if (filename !== ':memory:') raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // NORMAL is durable in WAL mode against a process crash; only an OS crash can lose the last commit.
  raw.pragma('synchronous = NORMAL');
  return new Database(raw);
}
