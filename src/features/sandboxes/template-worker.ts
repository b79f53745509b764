// Builds one scenario's template in a worker thread, so the event loop serving every sandbox never
// waits for it (the `large` scenario takes about 11 s of CPU). Given plain data, it writes the file.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { loadScenario, scenarioStartMs } from '../../../seed/load-scenario';
import { closeContext, createContext } from '../../context';
import { createLogger } from '../../lib/logger';
import type { TemplateJob, TemplateWorkerMessage } from './scenario-templates';

const post = (message: TemplateWorkerMessage) => parentPort!.postMessage(message);

async function buildTemplate(job: TemplateJob): Promise<void> {
  const building = `${job.file}.building`;
  fs.rmSync(building, { force: true });
  const context = createContext({
    config: job.config, logger: createLogger('silent'), sessionSecret: 'template', simToken: 'template', databaseFile: building,
    sandboxId: `template-${job.scenario}`,
    // Real time stands still at the epoch while the scenario loads, so every template is made at
    // that one instant however long it takes, and the same seed gives the same data.
    realNowMs: () => job.config.scenarioEpochMs,
  });
  const scenario = job.definition;
  try {
    await loadScenario(context, scenario, { seed: job.seed, progress: (message) => post({ type: 'progress', message }) });
    // Everything in the one file, ready to be copied. It stays in WAL mode, as every sandbox opens
    // it: a copy then opens without a write (turning WAL on would write and flush its header).
    context.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    closeContext(context);
  }
  fs.renameSync(building, job.file);
  post({ type: 'built', epochMs: scenarioStartMs(scenario, job.config) });
}

buildTemplate(workerData as TemplateJob).catch((err: unknown) => {
  post({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
});
