import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database';
import { migrate, readMigrations } from '../../src/db/migrate';

describe('migrations', () => {
  it('apply in order to a fresh in-memory database and are recorded', () => {
    const db = openDatabase(':memory:');
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((m) => m.version)).toEqual([...files.map((m) => m.version)].sort((a, b) => a - b));

    expect(migrate(db)).toEqual(files.map((m) => m.name));

    const recorded = db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(recorded.map((r) => r.version)).toEqual(files.map((m) => m.version));
    expect(db.get<{ fk: number }>('PRAGMA foreign_key_check')).toBeUndefined();
    db.close();
  });

  it('apply nothing the second time', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('leave the database unchanged when one fails', () => {
    const db = openDatabase(':memory:');
    const broken = [{ version: 1, name: '0001_broken.sql', sql: 'CREATE TABLE a (x); CREATE TABLE a (x);' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.get("SELECT name FROM sqlite_master WHERE name = 'a'")).toBeUndefined();
    expect(db.all('SELECT * FROM schema_migrations')).toEqual([]);
    db.close();
  });

  it('open file databases in WAL mode with foreign keys on and a busy timeout', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atwork-wal-'));
    try {
      const db = openDatabase(path.join(dir, 'portal.sqlite'));
      expect(db.raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.raw.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.raw.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
