// A thin wrapper over better-sqlite3: all/get/run/tx with prepared statements cached by SQL text.
import BetterSqlite3 from 'better-sqlite3';

export type SqlParam = string | number | bigint | null | Buffer;
export type SqlParams = SqlParam[] | [Record<string, SqlParam>];

export interface RunResult {
  changes: number;
  lastId: number;
}

/**
 * A LIMIT written into the statement's text rather than bound. SQLite (3.53) plans a query with a
 * bound LIMIT's value, so a statement ending in `LIMIT ?` was parsed and planned again on every run
 * (a card's charges: 14.4 → 7.5 µs). Limits come from code; the check keeps anything else out of SQL.
 */
export function limitClause(count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) throw new Error(`A limit must be a whole number of rows, not ${count}.`);
  return `LIMIT ${count}`;
}

/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

type RowMaker = (values: unknown[]) => unknown;

/**
 * Rows are read as arrays (better-sqlite3's `raw()`) and made into objects by a function compiled
 * once per statement. better-sqlite3 builds each row object a property at a time, looking each
 * column name up again; an object literal of a fixed shape is made in one step. Measured on the
 * default scenario, replaying each page's reads: /cards (13 rows) 67 → 40 µs, a card 39 → 29 µs,
 * transactions 31 → 22 µs, home 29 → 25 µs. The rows are better-sqlite3's, key for key and in the
 * same order (test/unit/database.test.ts and test/http/fast-paths.test.ts compare them), except
 * that a column named __proto__ is kept, where better-sqlite3 drops it.
 */
function rowMaker(columns: string[]): RowMaker {
  // A quoted "__proto__" in a literal would set the prototype; as a computed key it is a column like any other.
  // Of two columns with one name the last wins, as in better-sqlite3's rows.
  const fields = columns.map((name, i) => `${name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)}: values[${i}]`);
  return new Function('values', `return { ${fields.join(', ')} };`) as RowMaker;
}

interface Reader {
  statement: BetterSqlite3.Statement;
  makeRow: RowMaker;
}

export class Database {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private readonly readers = new Map<string, Reader>();
  /** Why the connection was closed: what a request still running on it is told instead of a TypeError. */
  private closedBecause: Error | undefined;

  constructor(private connection: BetterSqlite3.Database) {}

  get raw(): BetterSqlite3.Database {
    return this.connection;
  }

  statement(sql: string): BetterSqlite3.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      this.assertOpen();
      prepared = this.raw.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  private reader(sql: string): Reader {
    let reader = this.readers.get(sql);
    if (!reader) {
      this.assertOpen();
      const statement = this.raw.prepare(sql).raw(true);
      reader = { statement, makeRow: rowMaker(statement.columns().map((column) => column.name)) };
      this.readers.set(sql, reader);
    }
    return reader;
  }

  all<Row>(sql: string, ...params: SqlParams): Row[] {
    const { statement, makeRow } = this.reader(sql);
    const rows = statement.all(...params) as unknown[][];
    for (let i = 0; i < rows.length; i += 1) (rows as unknown[])[i] = makeRow(rows[i]!);
    return rows as Row[];
  }

  get<Row>(sql: string, ...params: SqlParams): Row | undefined {
    const { statement, makeRow } = this.reader(sql);
    const values = statement.get(...params) as unknown[] | undefined;
    return values === undefined ? undefined : (makeRow(values) as Row);
  }

  run(sql: string, ...params: SqlParams): RunResult {
    const result = this.statement(sql).run(...params);
    return { changes: result.changes, lastId: Number(result.lastInsertRowid) };
  }

  /** Runs fn in a transaction (nested calls become savepoints); a throw rolls it back. */
  tx<T>(fn: () => T): T {
    this.assertOpen();
    return this.raw.transaction(fn)();
  }

  exec(sql: string): void {
    this.assertOpen();
    this.raw.exec(sql);
  }

  /**
   * Closes the connection, lets `replaceFile` put another database where its file was (a reset
   * copies a scenario's template into place), and opens that file. Everything holding this Database
   * (clock, outbox, session store, repositories) carries on with the new data; statements prepared on
   * the old connection are dropped. The file is opened again even when `replaceFile` fails.
   */
  reopen(replaceFile: (filename: string) => void): void {
    this.assertOpen();
    const filename = this.connection.name;
    if (this.connection.memory) throw new Error('An in-memory database has no file to replace.');
    this.statements.clear();
    this.readers.clear();
    this.connection.close();
    try {
      replaceFile(filename);
    } finally {
      this.connection = connect(filename);
    }
  }

  /**
   * Closes the connection. Statements are cached only while it is open, so any later call comes
   * through assertOpen and throws `reason` (an AppError with a stable code, such as a deleted
   * sandbox's) rather than better-sqlite3's "The database connection is not open".
   */
  close(reason?: Error): void {
    this.closedBecause ??= reason;
    this.statements.clear();
    this.readers.clear();
    if (this.raw.open) this.raw.close();
  }

  /** Throws why the connection closed (a deleted sandbox's reason), if it has. */
  assertOpen(): void {
    if (this.raw.open) return;
    throw this.closedBecause ?? new Error('The database connection is closed.');
  }
}

/** Opens (creating if needed) a database file, or ':memory:', with the pragmas every connection needs. */
export function openDatabase(filename: string): Database {
  return new Database(connect(filename));
}

function connect(filename: string): BetterSqlite3.Database {
  const raw = new BetterSqlite3(filename);
  if (filename !== ':memory:') raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // NORMAL is durable in WAL mode against a process crash; only an OS crash can lose the last commit.
  raw.pragma('synchronous = NORMAL');
  return raw;
}
