// The only place that listens: reads the config, opens the data, migrates, seeds, serves.
import { createApp } from './app';
import { bootDefaultSandbox } from './boot';
import { ConfigError, loadConfig } from './config';
import { closeContext } from './context';
import { createLogger } from './lib/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { context, generatedSimToken, seededScenario } = await bootDefaultSandbox(config, logger);
  if (seededScenario) console.log(`Seeded the "${seededScenario}" scenario into ${config.dataDir}`);
  if (generatedSimToken) {
    console.log(`Simulator API token (kept in ${config.dataDir}/sim-token): ${context.simToken}`);
  }

  const app = createApp(context);
  const server = app.listen(config.port, config.host, () => {
    console.log(`@Work Portal Simulator listening on http://${config.host}:${config.port}`);
  });
  server.on('error', (err) => {
    console.error(`Could not listen on ${config.host}:${config.port}: ${err.message}`);
    process.exit(1);
  });

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      closeContext(context);
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
