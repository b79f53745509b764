// Loads a scenario into a sandbox database, replacing everything it held (data, outbox, sessions).
import type { Database } from '../src/db/database';
import { hashSecret, normalizeVerificationWord } from '../src/lib/hashing';
import { DEFAULT_SCENARIO, EMPTY_SCENARIO } from './default-scenario';
import type { ScenarioDefinition } from './scenario';

const DAY_MS = 86_400_000;

export const SCENARIOS: Record<string, ScenarioDefinition> = {
  default: DEFAULT_SCENARIO,
  empty: EMPTY_SCENARIO,
};

export function findScenario(name: string): ScenarioDefinition | undefined {
  return Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
}

/** Tables that belong to the simulator's bookkeeping rather than to a scenario's data. */
const KEPT_TABLES = new Set(['schema_migrations', 'sim_state']);

function clearScenarioData(db: Database): void {
  const tables = db
    .all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .map((row) => row.name)
    .filter((name) => !KEPT_TABLES.has(name));
  // Foreign keys are checked at commit, so tables can be emptied in any order.
  db.exec('PRAGMA defer_foreign_keys = ON');
  for (const table of tables) db.exec(`DELETE FROM "${table}"`);
}

export interface LoadOptions {
  /** Simulated time the scenario starts at; seeded dates are relative to it. */
  now: number;
  bcryptCost: number;
}

export async function loadScenario(db: Database, scenario: ScenarioDefinition, options: LoadOptions): Promise<void> {
  const { now, bcryptCost } = options;
  // Hash before the transaction: the hashes run on the thread pool, the writes then take milliseconds.
  const paHashes = await Promise.all(
    scenario.programAdministrators.map(async (pa) => ({
      password: pa.state === 'pending' ? null : await hashSecret(pa.password, bcryptCost),
      pin: await hashSecret(pa.verificationPin, bcryptCost),
      word: await hashSecret(normalizeVerificationWord(pa.verificationWord), bcryptCost),
    })),
  );
  const staffHashes = await Promise.all(scenario.staff.map((staff) => hashSecret(staff.password, bcryptCost)));

  db.tx(() => {
    clearScenarioData(db);
    const companyIds = new Map<string, number>();
    for (const company of scenario.companies) {
      const { lastId } = db.run(
        'INSERT INTO companies (name, program_number, max_card_limit_cents) VALUES (?, ?, ?)',
        company.name, company.programNumber, company.maxCardLimitCents);
      companyIds.set(company.key, lastId);
    }
    scenario.programAdministrators.forEach((pa, index) => {
      const hashes = paHashes[index]!;
      const registered = pa.state !== 'pending';
      const lastLoginAt = registered ? now - (pa.lastLoginDaysAgo ?? 0) * DAY_MS : null;
      const { lastId } = db.run(
        `INSERT INTO program_administrators
           (company_id, persona_key, user_id, first_name, last_name, email, phone, is_primary, state,
            password_hash, pin_hash, word_hash, failed_login_count, enrolled_at, registered_at,
            last_login_at, state_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        companyIds.get(pa.company)!, pa.userId, registered ? pa.userId : null, pa.firstName, pa.lastName,
        pa.email, pa.phone, pa.primary ? 1 : 0, pa.state, hashes.password, hashes.pin, hashes.word,
        pa.state === 'locked' ? 5 : 0, lastLoginAt ?? now, lastLoginAt, lastLoginAt, now);
      for (const permission of pa.permissions) {
        db.run('INSERT INTO pa_permissions (pa_id, permission) VALUES (?, ?)', lastId, permission);
      }
    });
    scenario.staff.forEach((staff, index) => {
      db.run('INSERT INTO staff_users (staff_id, name, email, role, password_hash) VALUES (?, ?, ?, ?, ?)',
        staff.staffId, staff.name, staff.email, staff.role, staffHashes[index]!);
    });
    db.run('UPDATE sim_state SET scenario = ? WHERE id = 1', scenario.name);
  });
}
