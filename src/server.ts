// The only place that listens: reads the config, opens the data, migrates, seeds, serves.
import type http from 'node:http';
import { bootDefaultSandbox } from './boot';
import { ConfigError, loadConfig } from './config';
import { createHttpServer } from './http/http-server';
import { AppError } from './lib/errors';
import { createLogger, type Logger } from './lib/logger';
import { createSimulator, type Simulator } from './simulator';

/** How often idle sandboxes are looked for. */
const IDLE_SWEEP_INTERVAL_MS = 60_000;
/**
 * On SIGTERM or SIGINT, requests already being handled get this long to finish before their
 * connections are cut. A sign-in checks its password in well under a second at the default cost.
 */
const SHUTDOWN_DRAIN_MS = 4_000;
/**
 * Whatever else happens, the process has exited this long after the signal: within the 5 s a
 * supervisor is promised, with room for the process itself to wind down.
 */
const SHUTDOWN_DEADLINE_MS = 4_500;

/**
 * Stops on SIGTERM or SIGINT without dropping work: no new connections, idle keep-alive ones
 * closed, long polls and requests waiting on a template build answered at once with 503
 * `shutting_down`, requests in flight finished (for up to SHUTDOWN_DRAIN_MS), then the databases closed. A second signal of the same kind kills at once.
 */
function stopGracefullyOnSignals(server: http.Server, simulator: Simulator, logger: Logger): void {
  let stopping = false;
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    // Once its answer is out, a keep-alive connection is idle: while stopping, close it rather than wait for the client.
    res.once('close', () => { if (stopping) setImmediate(() => server.closeIdleConnections()); });
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ signal }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    const drained = setTimeout(() => server.closeAllConnections(), SHUTDOWN_DRAIN_MS).unref();
    server.close(() => {
      clearTimeout(drained);
      simulator.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    const shuttingDown = new AppError(503, 'shutting_down', 'The simulator is shutting down. Try again once it is back.');
    for (const sandbox of simulator.sandboxes.list()) {
      sandbox.context.outbox.interruptWaits(shuttingDown);
      sandbox.context.sms.interruptWaits(shuttingDown);
      sandbox.context.journal.interruptWaits(shuttingDown);
    }
    // A reset or creation waiting on a template build (a minute for `large`) would hold the drain to
    // its end and then be cut off: stopping the builds answers it with 503 shutting_down now.
    simulator.templates.close();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

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
  stopGracefullyOnSignals(server, simulator, logger);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
