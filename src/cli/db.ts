// npm run db:migrate | db:seed [scenario] — database chores on the data directory from the command line.
import path from 'node:path';
import { findScenario, loadScenario, SCENARIOS } from '../../seed/load-scenario';
import { DATABASE_FILE } from '../boot';
import { loadConfig } from '../config';
import { closeContext, createContext } from '../context';
import { createLogger } from '../lib/logger';

async function main(): Promise<void> {
  const [command, scenarioName = 'default'] = process.argv.slice(2);
  if (command !== 'migrate' && command !== 'seed') throw new Error('Usage: db migrate | db seed [scenario]');
  const scenario = findScenario(scenarioName);
  if (!scenario) throw new Error(`Unknown scenario "${scenarioName}"; choose one of ${Object.keys(SCENARIOS).join(', ')}`);
  const config = loadConfig();
  const file = path.join(config.dataDir, DATABASE_FILE);
  // Opening a context applies any pending migrations.
  const context = createContext({
    config, logger: createLogger('warn'), sessionSecret: 'unused-by-the-cli', simToken: 'unused-by-the-cli', databaseFile: file,
  });
  try {
    console.log(`${file} is migrated`);
    if (command === 'seed') {
      await loadScenario(context, scenario, { progress: (message) => console.log(`  ${message}`) });
      console.log(`Seeded the "${scenario.name}" scenario`);
    }
  } finally {
    closeContext(context);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
