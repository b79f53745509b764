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

  it('take named and positional parameters alike', () => {
    expect(db.all<{ id: number }>('SELECT id FROM people WHERE id >= :from ORDER BY id', { from: 2 }).map((r) => r.id)).toEqual([2, 3]);
    expect(db.all<{ id: number }>('SELECT id FROM people WHERE id IN (?, ?) ORDER BY id', 1, 3).map((r) => r.id)).toEqual([1, 3]);
  });

  it('iterate rows as objects, and free the connection when the loop stops early', () => {
    const seen: unknown[] = [];
    for (const row of db.iterate<{ name: string }>('SELECT name FROM people ORDER BY id')) {
      seen.push(row);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([{ name: 'Ann' }, { name: 'Bé • Zoë' }]);
    expect(db.run('UPDATE people SET note = ? WHERE id = 1', 'after').changes).toBe(1);
    expect(db.get('SELECT note FROM people WHERE id = 1')).toEqual({ note: 'after' });
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
