// Opens the default sandbox from the data directory: secrets, database, migrations, first seed.
import path from 'node:path';
import { findScenario, loadScenario } from '../seed/load-scenario';
import type { Config } from './config';
import { createContext, type AppContext } from './context';
import { currentScenarioName } from './features/sim/sim.repository';
import type { Logger } from './lib/logger';
import { readOrCreateSecret } from './lib/secret-files';

export const DATABASE_FILE = 'portal.sqlite';

export interface Boot {
  context: AppContext;
  /** Set when this start generated the simulator token, so the server can print it once. */
  generatedSimToken: boolean;
  seededScenario: string | null;
  sessionSecret: string;
}

export async function bootDefaultSandbox(config: Config, logger: Logger): Promise<Boot> {
  const sessionSecret = config.sessionSecret ?? readOrCreateSecret(config.dataDir, 'session-secret').value;
  const simToken = config.simToken ? { value: config.simToken, created: false } : readOrCreateSecret(config.dataDir, 'sim-token');
  const context = createContext({
    config,
    logger,
    sessionSecret,
    simToken: simToken.value,
    databaseFile: path.join(config.dataDir, DATABASE_FILE),
  });
  let seededScenario: string | null = null;
  if (currentScenarioName(context.db) === 'none') {
    // Like every new sandbox, the first one starts at the scenario epoch.
    await loadScenario(context, findScenario('default')!, { startAt: config.scenarioEpochMs });
    seededScenario = 'default';
  }
  return { context, generatedSimToken: simToken.created, seededScenario, sessionSecret };
}
