// `npm start` as an operator or a supervisor runs it: SIGTERM to npm must stop the server too.
import { answers, descendantsOf, isRunning, startServerProcess, type ServerProcess } from '../helpers/server-process';

/** The build (tsc) runs first, on a machine shared with other work: give it minutes. */
const BUILD_AND_START_MS = 240_000;
const STOP_LIMIT_MS = 5_000;

jest.setTimeout(BUILD_AND_START_MS + 60_000);

describe('npm start', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => { await server?.cleanUp(); });

  it('stops serving, and leaves no process behind, within 5 s of SIGTERM to npm', async () => {
    server = await startServerProcess({ command: ['npm', 'start', '--silent'], readyWithinMs: BUILD_AND_START_MS });
    const underNpm = descendantsOf(server.child.pid!);
    expect(underNpm.length).toBeGreaterThan(0);

    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const stillRunning = () => [server!.child.pid!, ...underNpm].filter(isRunning);
    while (stillRunning().length > 0 && Date.now() - signalledAt < STOP_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(stillRunning()).toEqual([]);
    expect(await answers(server.baseUrl)).toBe(false);
  });
});
