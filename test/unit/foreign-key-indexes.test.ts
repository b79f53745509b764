import { openDatabase, type Database } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';

interface ForeignKey { table: string; columns: string[]; parent: string }

function foreignKeys(db: Database): ForeignKey[] {
  const tables = db.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  return tables.flatMap(({ name }) => {
    const rows = db.all<{ id: number; seq: number; table: string; from: string }>(`SELECT * FROM pragma_foreign_key_list(?)`, name);
    const byId = new Map<number, ForeignKey>();
    for (const row of [...rows].sort((a, b) => a.seq - b.seq)) {
      const key = byId.get(row.id) ?? { table: name, columns: [], parent: row.table };
      key.columns.push(row.from);
      byId.set(row.id, key);
    }
    return [...byId.values()];
  });
}

interface UsableIndex {
  columns: string[];
  /** A partial index's one condition, "<column> IS NOT NULL": it serves keys on that column. */
  notNullColumn?: string;
}

/**
 * The indexes SQLite can use to find a parent's child rows: full indexes, and partial ones that
 * leave out only rows whose key is NULL (a lookup `key = ?` never matches those anyway).
 */
function usableIndexes(db: Database, table: string): UsableIndex[] {
  const indexes = db.all<{ name: string; partial: number }>('SELECT name, partial FROM pragma_index_list(?)', table);
  const usable: UsableIndex[] = [];
  for (const index of indexes) {
    const columns = db.all<{ name: string }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', index.name).map((c) => c.name);
    if (index.partial === 0) {
      usable.push({ columns });
      continue;
    }
    const sql = db.get<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", index.name)!.sql;
    const notNull = /\bWHERE\s+"?(\w+)"?\s+IS\s+NOT\s+NULL\s*$/i.exec(sql.trim());
    if (notNull) usable.push({ columns, notNullColumn: notNull[1]! });
  }
  // An INTEGER PRIMARY KEY is the table's rowid: the table itself is the index.
  const primaryKey = db.all<{ name: string; type: string }>('SELECT name, type FROM pragma_table_info(?) WHERE pk > 0', table);
  if (primaryKey.length === 1 && primaryKey[0]!.type.toUpperCase() === 'INTEGER') usable.push({ columns: [primaryKey[0]!.name] });
  return usable;
}

function isCovered(key: ForeignKey, indexes: UsableIndex[]): boolean {
  return indexes.some(({ columns, notNullColumn }) => {
    const leading = columns.slice(0, key.columns.length);
    const leadsWithKey = leading.length === key.columns.length && key.columns.every((column) => leading.includes(column));
    return leadsWithKey && (notNullColumn === undefined || key.columns.includes(notNullColumn));
  });
}

describe('the schema', () => {
  it('has an index on every foreign key, so deleting a parent row never scans its child table', () => {
    const db = openDatabase(':memory:');
    try {
      migrate(db);
      const keys = foreignKeys(db);
      expect(keys.length).toBeGreaterThan(0);
      const unindexed = keys
        .filter((key) => !isCovered(key, usableIndexes(db, key.table)))
        .map((key) => `${key.table}(${key.columns.join(', ')}) → ${key.parent}`);
      expect(unindexed).toEqual([]);
    } finally {
      db.close();
    }
  });
});
