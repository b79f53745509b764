// The only place that listens: reads the config, opens the data, migrates, seeds, serves.
import { bootDefaultSandbox } from './boot';
import { ConfigError, loadConfig } from './config';
import { createHttpServer } from './http/http-server';
import { createLogger } from './lib/logger';
import { createSimulator } from './simulator';

/** How often idle sandboxes are looked for. */
const IDLE_SWEEP_INTERVAL_MS = 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { context, generatedSimToken, seededScenario, sessionSecret } = await bootDefaultSandbox(config, logger);
  if (seededScenario) console.log(`Seeded the "${seededScenario}" scenario into ${config.dataDir}`);
  if (generatedSimToken) {
    console.log(`Simulator API token (kept in ${config.dataDir}/sim-token): ${context.simToken}`);
  }

  const simulator = createSimulator({ defaultContext: context, sessionSecret, simToken: context.simToken });
  const server = createHttpServer(simulator.handle);
  server.listen(config.port, config.host, () => {
    console.log(`@Work Portal Simulator listening on http://${config.host}:${config.port}`);
    // Ready the default scenario's template in the background, so the first reset is quick too.
    simulator.templates.template('default').catch((err: unknown) => logger.error({ err: { message: String(err) } }, 'default template failed'));
  });
  server.on('error', (err) => {
    console.error(`Could not listen on ${config.host}:${config.port}: ${err.message}`);
    process.exit(1);
  });
  setInterval(() => simulator.sandboxes.closeIdle(), IDLE_SWEEP_INTERVAL_MS).unref();

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      simulator.close();
      process.exit(0);
    });
    server.closeAllConnections();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
