// Applies migrations/NNNN_name.sql in order, each in its own transaction, and records it.
import fs from 'node:fs';
import { projectPath } from '../lib/project-root';
import type { Database } from './database';

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(directory = projectPath('migrations')): Migration[] {
  return fs
    .readdirSync(directory)
    .filter((file) => MIGRATION_FILE.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file,
      sql: fs.readFileSync(`${directory}/${file}`, 'utf8'),
    }));
}

/** Returns the names of the migrations it applied (none when the database is current). */
export function migrate(db: Database, migrations = readMigrations()): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db.all<{ version: number }>('SELECT version FROM schema_migrations').map((row) => row.version),
  );
  const appliedNow: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    db.tx(() => {
      db.exec(migration.sql);
      // Wall-clock time on purpose: this records when the file changed, not simulated business time.
      db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        migration.version, migration.name, new Date().toISOString());
    });
    appliedNow.push(migration.name);
  }
  return appliedNow;
}
