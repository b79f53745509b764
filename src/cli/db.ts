// npm run db:migrate | db:seed [scenario] — database chores on the data directory from the command line.
import path from 'node:path';
import { findScenario, loadScenario, SCENARIOS } from '../../seed/load-scenario';
import { DATABASE_FILE } from '../boot';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { SimulatedClock } from '../lib/clock';

async function main(): Promise<void> {
  const [command, scenarioName = 'default'] = process.argv.slice(2);
  const config = loadConfig();
  const file = path.join(config.dataDir, DATABASE_FILE);
  const db = openDatabase(file);
  try {
    const applied = migrate(db);
    console.log(applied.length > 0 ? `Applied ${applied.join(', ')} to ${file}` : `${file} is up to date`);
    if (command === 'seed') {
      const scenario = findScenario(scenarioName);
      if (!scenario) throw new Error(`Unknown scenario "${scenarioName}"; choose one of ${Object.keys(SCENARIOS).join(', ')}`);
      const clock = new SimulatedClock(db);
      clock.restart();
      await loadScenario(db, scenario, { now: clock.nowMs(), bcryptCost: config.bcryptCost });
      console.log(`Seeded the "${scenario.name}" scenario`);
    } else if (command !== 'migrate') {
      throw new Error('Usage: db migrate | db seed [scenario]');
    }
  } finally {
    db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
