// Which tables hold a scenario's data, as opposed to the sandbox's bookkeeping (migrations, clock)
// and to data that triggers derive from other tables (copying it as well would count twice).
import type { Database } from './database';

const BOOKKEEPING_TABLES = new Set(['schema_migrations', 'sim_state']);
const DERIVED_TABLES = new Set(['card_state_counts']);

export function scenarioTables(db: Database): string[] {
  return db
    .all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .map((row) => row.name)
    .filter((name) => !BOOKKEEPING_TABLES.has(name) && !DERIVED_TABLES.has(name));
}
