// The atwork-sim command against a real simulator listening on an ephemeral port.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DAY_MS, TEST_SIM_TOKEN, createTestApp, listenOnLocalhost, temporaryDirectory, type ListeningTestApp, type TestApp } from '../helpers/test-app';

const CLI = path.resolve(__dirname, '../../bin/atwork-sim.js');
// Each run starts a Node process: a fraction of a second alone, more on a busy machine.
jest.setTimeout(30_000);

let t: TestApp;
let listening: ListeningTestApp;
let baseUrl: string;

beforeAll(async () => {
  t = await createTestApp({ env: { MAX_SANDBOXES: '3' } });
  listening = await listenOnLocalhost(t);
  baseUrl = listening.baseUrl;
});
afterAll(async () => {
  await listening.close();
  t.close();
});

interface Run { code: number; stdout: string; stderr: string }

/** Runs the CLI with only the environment given (plus PATH), never the developer's own SIM_TOKEN. */
function cli(args: string[], { env = {}, cwd = process.cwd() }: { env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The CLI pointed at the test simulator by its options. */
const sim = (...args: string[]) => cli([...args, '--url', baseUrl, '--token', TEST_SIM_TOKEN]);
const api = (method: string, apiPath: string, body?: unknown) => fetch(`${baseUrl}/sim/api${apiPath}`, {
  method, headers: { Authorization: `Bearer ${TEST_SIM_TOKEN}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
});

describe('usage', () => {
  it('prints help with exit 0, and usage on stderr with exit 2 for no command, an unknown command or option, or a missing argument', async () => {
    const help = await cli(['help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('Usage: atwork-sim <command>');
    expect(help.stdout).toContain('outbox wait --to X --type Y');
    const misuses = [[], ['bogus'], ['health', '--frob'], ['clock', 'advance'], ['clock', 'sideways', '1d'], ['sandbox'], ['sandbox', 'delete'],
      ['outbox', 'wait'], ['outbox', 'wait', '--type', 'welcome', '--timeout', 'soon'], ['reset', 'default', '--seed', 'x'], ['health', '--url']];
    const runs = await Promise.all(misuses.map((args) => cli(args, { env: { SIM_TOKEN: TEST_SIM_TOKEN, ATWORK_URL: baseUrl } })));
    runs.forEach((run, i) => {
      expect([misuses[i], run.code, run.stdout]).toEqual([misuses[i], 2, '']);
      expect(run.stderr).toMatch(/^atwork-sim: .+\n\nUsage: atwork-sim/);
    });
  });
});

describe('where the URL and token come from', () => {
  it('takes --url and --token', async () => {
    const run = await sim('health');
    expect(run).toEqual({ code: 0, stderr: '', stdout: 'ok  version 0.1.0  sandbox default  now 2026-03-02T09:00:00.000Z\n' });
  });

  it('takes ATWORK_URL and SIM_TOKEN from the environment', async () => {
    const run = await cli(['health', '--json'], { env: { ATWORK_URL: baseUrl, SIM_TOKEN: TEST_SIM_TOKEN } });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true,
      version: '0.1.0',
      now: '2026-03-02T09:00:00.000Z',
      sandbox: 'default',
      instance: { name: expect.any(String), shard: 0, shards: 1, pid: expect.any(Number) },
    });
  });

  it('reads the token from ./data/sim-token, or from $DATA_DIR/sim-token', async () => {
    const here = temporaryDirectory('atwork-cli-');
    const elsewhere = temporaryDirectory('atwork-cli-data-');
    try {
      fs.mkdirSync(path.join(here.dir, 'data'));
      fs.writeFileSync(path.join(here.dir, 'data', 'sim-token'), `${TEST_SIM_TOKEN}\n`);
      expect((await cli(['health'], { cwd: here.dir, env: { ATWORK_URL: baseUrl } })).code).toBe(0);

      fs.writeFileSync(path.join(elsewhere.dir, 'sim-token'), TEST_SIM_TOKEN);
      expect((await cli(['health'], { cwd: process.cwd(), env: { ATWORK_URL: baseUrl, DATA_DIR: elsewhere.dir } })).code).toBe(0);

      const none = await cli(['health'], { cwd: elsewhere.dir, env: { ATWORK_URL: baseUrl } });
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('No simulator token');
    } finally {
      here.remove();
      elsewhere.remove();
    }
  });

  it('prints the API\'s error code and message and exits 1 for a wrong token or an unreachable simulator', async () => {
    const wrong = await cli(['health', '--url', baseUrl, '--token', 'not-the-token']);
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toBe('atwork-sim: unauthorized: A valid simulator token is required: Authorization: Bearer <token>.\n');
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await cli(['health', '--url', `http://127.0.0.1:${port}`, '--token', TEST_SIM_TOKEN]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^atwork-sim: unreachable: Could not reach the simulator at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\.\n$/);
  });
});

describe('commands', () => {
  beforeEach(async () => {
    expect((await api('POST', '/reset', {})).status).toBe(200);
  });

  it('clock shows, advances and sets the simulated now', async () => {
    const start = t.context.clock.nowMs();
    expect(await sim('clock')).toEqual({ code: 0, stderr: '', stdout: `${new Date(start).toISOString()}\n` });
    const advanced = await sim('clock', 'advance', '1d');
    expect(advanced).toEqual({ code: 0, stderr: '', stdout: `${new Date(start + DAY_MS).toISOString()}\n` });
    expect(t.context.clock.nowMs()).toBe(start + DAY_MS);
    const target = new Date(start + 10 * DAY_MS).toISOString();
    expect(await sim('clock', 'set', target)).toEqual({ code: 0, stderr: '', stdout: `${target}\n` });
    expect(JSON.parse((await sim('clock', '--json')).stdout)).toEqual({ now: target });

    const bad = await sim('clock', 'advance', 'soon');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('atwork-sim: invalid_input: The request is not valid.\n  advance: Use a duration like "90m", "121d" or "P121D".\n');
    const backwards = await sim('clock', 'set', '2020-01-01T00:00:00Z');
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toMatch(/^atwork-sim: clock_backwards: /);
  });

  it('personas prints a table, or the JSON with --json', async () => {
    const run = await sim('personas');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^userId +password +role +company +state +PIN +word +access code$/);
    expect(lines).toHaveLength(17);
    expect(lines.find((line) => line.startsWith('globex.pending '))).toMatch(/^globex\.pending +Fresh-Start-Line-2026 +program_administrator +Globex Corporation +pending +8642 +sparrow +GPND-7K3M-Q9RT$/);
    expect(lines.find((line) => line.startsWith('agent.ava '))).toMatch(/^agent\.ava +Headset-Queue-2026 +agent +- +active +- +- +-$/);
    const json = JSON.parse((await sim('personas', '--json')).stdout);
    expect(json.personas.map((p: { userId: string }) => p.userId)).toContain('super.sam');
  });

  it('scenario load sends a document; a bad one exits 1 with every problem, an unreadable file 2', async () => {
    const dir = temporaryDirectory();
    try {
      const good = path.join(dir.dir, 'good.json');
      fs.writeFileSync(good, JSON.stringify({ name: 'from_cli', companies: [{ key: 'a', name: 'A Co', programNumber: 'A-1', maxCardLimitCents: 100 }] }));
      expect(await sim('scenario', 'load', good)).toEqual({ code: 0, stderr: '', stdout: 'loaded scenario from_cli\n' });
      expect(await sim('reset', 'from_cli')).toEqual({ code: 0, stderr: '', stdout: 'reset to from_cli: 0 personas\n' });
      const bad = path.join(dir.dir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify({ name: 'bad_one', cards: [{ key: 'c', company: 'a' }] }));
      const refused = await sim('scenario', 'load', bad);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^atwork-sim: invalid_scenario: The scenario is not valid\.\n {2}cards\[0\]\.cardmemberName: /);
      expect((await sim('scenario', 'load', path.join(dir.dir, 'missing.json'))).code).toBe(2);
    } finally {
      dir.remove();
    }
  });

  it('reset restores a scenario and reports it; an unknown one exits 1', async () => {
    expect((await api('POST', '/fraud-alerts', { userId: 'globex.viewer' })).status).toBe(200);
    expect(await sim('reset')).toEqual({ code: 0, stderr: '', stdout: 'reset to default: 16 personas\n' });
    const viewer = t.context.db.get<{ state: string }>("SELECT state FROM program_administrators WHERE user_id = 'globex.viewer'")!;
    expect(viewer.state).toBe('active');
    expect(await sim('reset', 'empty', '--seed', '7')).toEqual({ code: 0, stderr: '', stdout: 'reset to empty: 0 personas\n' });
    const unknown = await sim('reset', 'huge');
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'atwork-sim: unknown_scenario: There is no scenario named "huge".\n' });
  });

  it('outbox lists, filters, waits for and clears e-mails', async () => {
    const list = await sim('outbox');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^id +sent +type +to +subject\n1 +2026-03-02T09:00:00\.000Z +welcome +penny\.newman@globex\.example +Welcome to @Work: your Access Code\n2 +2026-03-02T09:00:00\.000Z +application_invitation +paula\.prospect@globex\.example +Globex Corporation invites you to apply for a Corporate Card\n$/);
    const filtered = JSON.parse((await sim('outbox', '--to', 'penny.newman@globex.example', '--type', 'welcome', '--json')).stdout);
    expect(filtered.messages).toHaveLength(1);
    expect(filtered.messages[0].data.accessCode).toBe('GPND-7K3M-Q9RT');
    expect((await sim('outbox', '--type', 'password_reset')).stdout).toBe('no e-mails\n');

    const existing = await sim('outbox', 'wait', '--to', 'penny.newman@globex.example', '--type', 'welcome');
    expect(existing.code).toBe(0);
    expect(existing.stdout).toContain('accessCode: GPND-7K3M-Q9RT\n');
    const waiting = sim('outbox', 'wait', '--type', 'later', '--timeout', '5000', '--json');
    setTimeout(() => t.context.outbox.send({ to: 'late@x.example', subject: 'Late', text: 'late', html: '<p>late</p>', type: 'later', data: { n: 1 } }), 300);
    const arrived = await waiting;
    expect(arrived.code).toBe(0);
    expect(JSON.parse(arrived.stdout).message).toMatchObject({ to: 'late@x.example', type: 'later', data: { n: 1 } });
    const timedOut = await sim('outbox', 'wait', '--type', 'never', '--timeout', '100');
    expect(timedOut).toEqual({ code: 1, stdout: '', stderr: 'atwork-sim: timeout: No matching e-mail arrived within 100 ms.\n' });

    expect(await sim('outbox', 'clear')).toEqual({ code: 0, stderr: '', stdout: 'deleted 3 e-mail(s)\n' });
    expect(t.context.outbox.list()).toEqual([]);
  });

  it('sandbox creates, lists, addresses with --sandbox and deletes sandboxes', async () => {
    const created = await sim('sandbox', 'create', 'empty');
    expect(created.code).toBe(0);
    const [, id, url] = /^(sb-[0-9a-f]{12}) {2}(\S+) {2}\(empty\)\n$/.exec(created.stdout) ?? [];
    expect(url).toBe(`http://${id}.localhost:${new URL(baseUrl).port}`);

    const list = await sim('sandbox', 'list');
    expect(list.stdout).toMatch(/^id +scenario +now +last used +url\n/);
    expect(list.stdout).toMatch(new RegExp(`\\n${id} +empty +2026-\\S+ +2026-\\S+ +${url}\\n`));
    expect((await sim('health', '--sandbox', id!)).stdout).toContain(`sandbox ${id}  `);
    expect((await sim('clock', 'advance', '2d', '--sandbox', id!)).code).toBe(0);
    const inSandbox = t.simulator.sandboxes.list().find((s) => s.id === id)!;
    expect(inSandbox.context.clock.nowMs() - t.context.clock.nowMs()).toBe(2 * DAY_MS);

    expect(await sim('sandbox', 'delete', id!)).toEqual({ code: 0, stderr: '', stdout: `deleted ${id}\n` });
    expect(await sim('sandbox', 'delete', id!)).toEqual({ code: 1, stdout: '', stderr: 'atwork-sim: not_found: There is no sandbox with that id.\n' });
    const gone = await sim('health', '--sandbox', id!);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^atwork-sim: unknown_sandbox: /);
    const json = JSON.parse((await sim('sandbox', 'create', '--json')).stdout);
    expect(json).toMatchObject({ scenario: 'default', header: { 'X-Sim-Sandbox': json.id } });
    expect((await sim('sandbox', 'delete', json.id)).code).toBe(0);
  });
});
