import { limitClause, openDatabase, type Database } from '../../src/db/database';

let db: Database;
beforeEach(() => {
  db = openDatabase(':memory:');
  db.exec(`CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, score REAL);
    INSERT INTO people (name, note, score) VALUES ('Ann', NULL, 1.5), ('Bé • Zoë', 'x"y', 2), ('Cy', '', 0);`);
});
afterEach(() => db.close());

describe('Database reads', () => {
  it('give each row as an object keyed by its column names, values and types kept', () => {
    expect(db.all('SELECT * FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'Ann', note: null, score: 1.5 },
      { id: 2, name: 'Bé • Zoë', note: 'x"y', score: 2 },
      { id: 3, name: 'Cy', note: '', score: 0 },
    ]);
    expect(db.get('SELECT name, score FROM people WHERE id = ?', 2)).toEqual({ name: 'Bé • Zoë', score: 2 });
    expect(db.get('SELECT * FROM people WHERE id = ?', 99)).toBeUndefined();
    expect(db.all('SELECT * FROM people WHERE id > ?', 99)).toEqual([]);
  });

  it('name columns as SQLite does, odd names and aliases included, the last of two equal names winning', () => {
    expect(db.get('SELECT count(*), max(id) AS "the \'top\' id", 1 AS "__proto__", 2 AS "a""b\\" FROM people')).toEqual(
      Object.fromEntries([['count(*)', 3], ["the 'top' id", 3], ['__proto__', 1], ['a"b\\', 2]]));
    const row = db.get<Record<string, unknown>>('SELECT 1 AS "__proto__"')!;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(db.get('SELECT a.id, b.id FROM people a JOIN people b ON b.id = a.id + 1 WHERE a.id = 1')).toEqual({ id: 2 });
  });

  it('make the rows better-sqlite3 makes, key for key and in its order, odd and repeated names included', () => {
    db.exec(`CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB, big INTEGER);
      INSERT INTO blobs (data, big) VALUES (x'00ff10', 9007199254740993), (NULL, -1);`);
    const queries = [
      'SELECT * FROM people ORDER BY id',
      'SELECT * FROM blobs ORDER BY id',
      'SELECT a.id, b.id, a.name, b.name FROM people a JOIN people b ON b.id = a.id + 1 ORDER BY a.id',
      'SELECT id AS b, name AS a, score AS b FROM people ORDER BY id',
      `SELECT 1 AS "0", 2 AS "10", 3 AS "2", 4 AS "", 5 AS "constructor", 6 AS "toString", 7 AS "hasOwnProperty", 8 AS "a b", 9 AS "é"`,
      `SELECT count(*), max(id) AS "the 'top' id", 2 AS "a""b\\", 3 AS "\u2028" FROM people`,
      'SELECT name FROM people WHERE id > 99',
    ];
    for (const sql of queries) {
      const stock = db.raw.prepare(sql).all();
      const mine = db.all(sql);
      expect([sql, mine]).toEqual([sql, stock]);
      expect([sql, mine.map((row) => Object.keys(row as object))]).toEqual([sql, stock.map((row) => Object.keys(row as object))]);
      expect([sql, db.get(sql)]).toEqual([sql, db.raw.prepare(sql).get()]);
    }
  });

  it('keep a column named __proto__ as data, where better-sqlite3 drops it, and every other column as it does', () => {
    const sql = 'SELECT 1 AS "__proto__", 2 AS a, 3 AS a';
    const stock = db.raw.prepare(sql).get() as Record<string, unknown>;
    const mine = db.get<Record<string, unknown>>(sql)!;
    expect(Object.hasOwn(stock, '__proto__')).toBe(false);
    expect(Object.hasOwn(mine, '__proto__')).toBe(true);
    const { ['__proto__']: kept, ...rest } = mine;
    expect(kept).toBe(1);
    expect(rest).toEqual(stock);
  });

  it('take named and positional parameters alike', () => {
    expect(db.all<{ id: number }>('SELECT id FROM people WHERE id >= :from ORDER BY id', { from: 2 }).map((r) => r.id)).toEqual([2, 3]);
    expect(db.all<{ id: number }>('SELECT id FROM people WHERE id IN (?, ?) ORDER BY id', 1, 3).map((r) => r.id)).toEqual([1, 3]);
  });

  it('read a statement that returns rows from a write as well', () => {
    expect(db.get('INSERT INTO people (name) VALUES (?) RETURNING id, name', 'Dee')).toEqual({ id: 4, name: 'Dee' });
  });

  it('write a limit into the statement only when it is a whole number of rows', () => {
    expect(db.all(`SELECT id FROM people ORDER BY id ${limitClause(2)}`)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(db.all(`SELECT id FROM people ${limitClause(0)}`)).toEqual([]);
    for (const bad of [-1, 1.5, NaN, Infinity, Number('2; DROP TABLE people')]) expect(() => limitClause(bad)).toThrow('whole number of rows');
  });
});
