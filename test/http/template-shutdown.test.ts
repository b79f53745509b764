// Stopping the simulator while a scenario template is being built ends the process cleanly and at
// once: the build runs in a worker thread that is stopped, whatever it was doing.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { temporaryDirectory } from '../helpers/test-app';

jest.setTimeout(60_000);

const PROJECT = path.join(__dirname, '..', '..');

describe('closing the scenario templates during a build', () => {
  it('stops the worker in the middle of hashing the personas, and the process exits cleanly', async () => {
    const data = temporaryDirectory();
    // A slow bcrypt cost keeps the worker hashing when it is stopped, three seconds in.
    const script = `
      const { ScenarioTemplates } = require('./src/features/sandboxes/scenario-templates.ts');
      const { loadConfig } = require('./src/config.ts');
      const { createLogger } = require('./src/lib/logger.ts');
      const { ScenarioCatalog } = require('./src/features/scenarios/scenario-catalog.ts');
      const dir = ${JSON.stringify(data.dir)};
      const templates = new ScenarioTemplates(dir + '/templates', loadConfig({ DATA_DIR: dir, BCRYPT_COST: '14' }), createLogger('silent'), new ScenarioCatalog(dir + '/scenarios'));
      templates.template('default').catch(() => undefined);
      setTimeout(() => { templates.close(); setTimeout(() => process.exit(0), 1000); }, 3000);
    `;
    try {
      const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
      expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    } finally {
      data.remove();
    }
  });
});
