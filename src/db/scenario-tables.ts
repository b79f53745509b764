// Which tables hold a scenario's data, as opposed to the sandbox's bookkeeping (migrations, clock).
import type { Database } from './database';

const BOOKKEEPING_TABLES = new Set(['schema_migrations', 'sim_state']);

export function scenarioTables(db: Database): string[] {
  return db
    .all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .map((row) => row.name)
    .filter((name) => !BOOKKEEPING_TABLES.has(name));
}
