// Every `qa-example` block of docs/qa-guide.md, run against a real simulator on an ephemeral port the
// way a reader runs it: js blocks as an .mjs script under the guide's own preamble (which brings
// assert, BASE_URL and SIM_TOKEN; fetch is Node's), sh blocks in bash. Both in a child process, so
// what runs is exactly the text of the guide.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TEST_SIM_TOKEN, createTestApp, listenOnLocalhost, type ListeningTestApp, type TestApp } from '../helpers/test-app';

const ROOT = path.resolve(__dirname, '../..');
const GUIDE = fs.readFileSync(path.join(ROOT, 'docs/qa-guide.md'), 'utf8');
// npx and a real long poll make some blocks take seconds on a busy machine.
jest.setTimeout(60_000);

interface Example { language: 'js' | 'sh'; line: number; code: string }

function examples(markdown: string): Example[] {
  const found: Example[] = [];
  for (const match of markdown.matchAll(/^```(js|sh) qa-example\n([\s\S]*?)^```$/gm)) {
    found.push({ language: match[1] as Example['language'], line: markdown.slice(0, match.index).split('\n').length, code: match[2]! });
  }
  return found;
}

const EXAMPLES = examples(GUIDE);
const PREAMBLE = /^```js qa-preamble\n([\s\S]*?)^```$/m.exec(GUIDE)?.[1] ?? '';

let t: TestApp;
let listening: ListeningTestApp;
let baseUrl: string;

beforeAll(async () => {
  t = await createTestApp();
  listening = await listenOnLocalhost(t);
  baseUrl = listening.baseUrl;
});
afterAll(async () => {
  await listening.close();
  t.close();
});

/** Runs an example with BASE_URL and SIM_TOKEN in its environment, from the repository's root. */
function run(example: Example): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, args] = example.language === 'js'
    ? [process.execPath, ['--input-type=module', '--eval', `${PREAMBLE}\n${example.code}`]]
    : ['bash', ['-c', `set -euo pipefail\n${example.code}`]];
  return new Promise((resolve) => {
    execFile(file, args, {
      cwd: ROOT, timeout: 50_000, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, BASE_URL: baseUrl, SIM_TOKEN: TEST_SIM_TOKEN },
    }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
  });
}

describe('docs/qa-guide.md', () => {
  it('has runnable examples for Node fetch and for curl and the CLI, and the preamble the js ones need', () => {
    expect(PREAMBLE).toContain("import assert from 'node:assert';");
    expect(EXAMPLES.filter((e) => e.language === 'js').length).toBeGreaterThanOrEqual(4);
    expect(EXAMPLES.filter((e) => e.language === 'sh').length).toBeGreaterThanOrEqual(4);
    expect(EXAMPLES.some((e) => e.code.includes('/sim/api/outbox/wait'))).toBe(true);
    expect(EXAMPLES.some((e) => e.code.includes('npx atwork-sim'))).toBe(true);
  });

  it.each(EXAMPLES.map((e) => [`${e.language} example at line ${e.line}`, e] as const))('runs the %s', async (_name, example) => {
    const sandboxesBefore = t.simulator.sandboxes.list().length;
    const result = await run(example);
    if (result.code !== 0) throw new Error(`exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
    // An example cleans up after itself, as a test should.
    expect(t.simulator.sandboxes.list()).toHaveLength(sandboxesBefore);
  });
});
