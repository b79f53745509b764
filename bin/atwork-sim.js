#!/usr/bin/env node
// atwork-sim: the simulator API (/sim/api) from a shell. Plain Node 20, no dependencies.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const USAGE = `Usage: atwork-sim <command> [options]

Commands:
  health                                   is the simulator up: version, sandbox, simulated now
  reset [scenario] [--seed N]              restore default (the default), empty, large or a loaded scenario
  scenario load <file>                     load a scenario document (JSON); reset and sandbox create then take its name
  clock                                    show the simulated now
  clock advance <duration>                 move forward: 90m, 36h, 121d, P1DT2H
  clock set <ISO-8601>                     move forward to a moment
  personas [--json]                        seeded people with credentials and state
  outbox [--to X] [--type Y] [--json]      captured e-mails, oldest first
  outbox wait --to X --type Y [--timeout ms] [--json]
                                           the first matching e-mail, waiting for it if needed
  outbox clear                             forget every captured e-mail
  sandbox create [scenario] [--seed N]     a new isolated sandbox (default, empty or a loaded scenario)
  sandbox delete <id>                      close a sandbox
  sandbox list [--json]                    open sandboxes
  help                                     this text

Options:
  --url <url>        the simulator (env ATWORK_URL, else http://127.0.0.1:3000)
  --token <token>    the simulator token (env SIM_TOKEN, else $DATA_DIR/sim-token or ./data/sim-token)
  --sandbox <id>     act on this sandbox (sends X-Sim-Sandbox)
  --json             print the API's JSON as it came

Exit status: 0 done, 1 the simulator refused or could not be reached, 2 bad usage.
`;

const VALUE_OPTIONS = new Set(['url', 'token', 'sandbox', 'seed', 'to', 'type', 'timeout']);
const FLAG_OPTIONS = new Set(['json', 'help']);
/** How long an ordinary call may take; building the large scenario takes up to half a minute. */
const REQUEST_TIMEOUT_MS = 120_000;
/** What a long poll gets beyond its own timeout before the CLI gives up on the connection. */
const WAIT_MARGIN_MS = 10_000;
const DEFAULT_WAIT_MS = 10_000;

class UsageError extends Error {}
class ApiError extends Error {
  constructor(code, message, fields) {
    super(message);
    this.code = code;
    this.fields = fields;
  }
}

function parseArgs(argv) {
  const words = [];
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-' && !/^-\d/.test(arg)) throw new UsageError(`Unknown option ${arg}.`);
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (FLAG_OPTIONS.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value.`);
      options[name] = true;
    } else if (VALUE_OPTIONS.has(name)) {
      const value = eq === -1 ? argv[(i += 1)] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value.`);
      options[name] = value;
    } else {
      throw new UsageError(`Unknown option --${name}.`);
    }
  }
  return { words, options };
}

function readToken(options) {
  if (options.token) return options.token;
  if (process.env.SIM_TOKEN) return process.env.SIM_TOKEN;
  const file = path.join(process.env.DATA_DIR || 'data', 'sim-token');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    throw new UsageError(`No simulator token: pass --token, set SIM_TOKEN, or run where ${file} exists.`);
  }
}

function wholeNumber(text, name) {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number.`);
  return Number(text);
}

function client(options) {
  const base = (options.url || process.env.ATWORK_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(base)) throw new UsageError(`--url must be an http(s) address, not "${base}".`);
  const token = readToken(options);
  return async function call(method, apiPath, { body, query, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
    const url = new URL(`${base}/sim/api${apiPath}`);
    for (const [key, value] of Object.entries(query || {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (options.sandbox) headers['X-Sim-Sandbox'] = options.sandbox;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const reason = err && err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err.cause && err.cause.code) || err.message;
      throw new ApiError('unreachable', `Could not reach the simulator at ${base}: ${reason}.`);
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiError(`http_${res.status}`, `The answer from ${url.pathname} is not JSON (HTTP ${res.status}). Is ${base} the simulator?`);
    }
    if (!res.ok) {
      const error = (json && json.error) || {};
      throw new ApiError(error.code || `http_${res.status}`, error.message || `HTTP ${res.status}`, error.fields);
    }
    return json;
  };
}

/** Columns padded to their widest cell; a row is an array of strings. */
function table(header, rows) {
  const all = [header, ...rows].map((row) => row.map((cell) => (cell === null || cell === undefined || cell === '' ? '-' : String(cell))));
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

function printJson(value) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function print(line) {
  process.stdout.write(`${line}\n`);
}

function expectWords(words, min, max) {
  if (words.length < min || words.length > max) throw new UsageError(`Wrong number of arguments for "${words.slice(0, 2).join(' ')}".`);
}

function describeEmail(message) {
  const lines = [`to:      ${message.to}`, `type:    ${message.type}`, `subject: ${message.subject}`, `sent:    ${message.sentAt}`];
  for (const [key, value] of Object.entries(message.data || {})) lines.push(`${`${key}:`.padEnd(8)} ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return lines.join('\n');
}

async function run(argv) {
  const { words, options } = parseArgs(argv);
  const [command, sub] = words;
  if (!command || command === 'help' || options.help) {
    if (!command && !options.help) throw new UsageError('Give a command.');
    process.stdout.write(USAGE);
    return;
  }
  const json = Boolean(options.json);

  switch (command) {
    case 'health': {
      expectWords(words, 1, 1);
      const health = await client(options)('GET', '/health');
      if (json) return printJson(health);
      return print(`ok  version ${health.version}  sandbox ${health.sandbox}  now ${health.now}`);
    }
    case 'reset': {
      expectWords(words, 1, 2);
      const body = { scenario: sub || 'default', ...(options.seed !== undefined ? { seed: wholeNumber(options.seed, 'seed') } : {}) };
      const result = await client(options)('POST', '/reset', { body });
      if (json) return printJson(result);
      return print(`reset to ${result.scenario}: ${result.personas.length} personas`);
    }
    case 'clock': {
      const call = client(options);
      let state;
      if (sub === undefined) {
        state = await call('GET', '/clock');
      } else if (sub === 'advance') {
        expectWords(words, 3, 3);
        state = await call('POST', '/clock', { body: { advance: words[2] } });
      } else if (sub === 'set') {
        expectWords(words, 3, 3);
        state = await call('POST', '/clock', { body: { set: words[2] } });
      } else {
        throw new UsageError(`Unknown clock command "${sub}".`);
      }
      if (json) return printJson(state);
      return print(state.now);
    }
    case 'personas': {
      expectWords(words, 1, 1);
      const { personas } = await client(options)('GET', '/personas');
      if (json) return printJson({ personas });
      return print(table(['userId', 'password', 'role', 'company', 'state', 'PIN', 'word', 'access code'],
        personas.map((p) => [p.userId, p.password, p.role, p.company, p.state, p.verificationPin, p.verificationWord, p.accessCode])));
    }
    case 'outbox': {
      const call = client(options);
      if (sub === 'clear') {
        expectWords(words, 2, 2);
        const { deleted } = await call('DELETE', '/outbox');
        return json ? printJson({ deleted }) : print(`deleted ${deleted} e-mail(s)`);
      }
      if (sub === 'wait') {
        expectWords(words, 2, 2);
        if (!options.to && !options.type) throw new UsageError('outbox wait needs --to, --type or both.');
        const timeoutMs = options.timeout === undefined ? DEFAULT_WAIT_MS : wholeNumber(options.timeout, 'timeout');
        const { message } = await call('GET', '/outbox/wait', { query: { to: options.to, type: options.type, timeoutMs }, timeoutMs: timeoutMs + WAIT_MARGIN_MS });
        return json ? printJson({ message }) : print(describeEmail(message));
      }
      if (sub !== undefined) throw new UsageError(`Unknown outbox command "${sub}".`);
      const { messages } = await call('GET', '/outbox', { query: { to: options.to, type: options.type } });
      if (json) return printJson({ messages });
      if (messages.length === 0) return print('no e-mails');
      return print(table(['id', 'sent', 'type', 'to', 'subject'], messages.map((m) => [m.id, m.sentAt, m.type, m.to, m.subject])));
    }
    case 'scenario': {
      if (sub !== 'load') throw new UsageError(sub === undefined ? 'scenario needs load.' : `Unknown scenario command "${sub}".`);
      expectWords(words, 3, 3);
      let document;
      try {
        document = JSON.parse(fs.readFileSync(words[2], 'utf8'));
      } catch (err) {
        throw new UsageError(`Could not read ${words[2]} as JSON: ${err.message}`);
      }
      const loaded = await client(options)('POST', '/scenarios', { body: document });
      if (json) return printJson(loaded);
      return print(`${loaded.replaced ? 'replaced' : 'loaded'} scenario ${loaded.name}`);
    }
    case 'sandbox': {
      const call = client(options);
      if (sub === 'create') {
        expectWords(words, 2, 3);
        const body = { scenario: words[2] || 'default', ...(options.seed !== undefined ? { seed: wholeNumber(options.seed, 'seed') } : {}) };
        const sandbox = await call('POST', '/sandboxes', { body });
        return json ? printJson(sandbox) : print(`${sandbox.id}  ${sandbox.url}  (${sandbox.scenario})`);
      }
      if (sub === 'delete') {
        expectWords(words, 3, 3);
        const { deleted } = await call('DELETE', `/sandboxes/${encodeURIComponent(words[2])}`);
        return json ? printJson({ deleted }) : print(`deleted ${deleted}`);
      }
      if (sub === 'list') {
        expectWords(words, 2, 2);
        const { sandboxes } = await call('GET', '/sandboxes');
        if (json) return printJson({ sandboxes });
        return print(table(['id', 'scenario', 'now', 'last used', 'url'], sandboxes.map((s) => [s.id, s.scenario, s.now, s.lastUsedAt, s.url])));
      }
      throw new UsageError(sub === undefined ? 'sandbox needs create, delete or list.' : `Unknown sandbox command "${sub}".`);
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

run(process.argv.slice(2)).then(
  () => { process.exitCode = 0; },
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`atwork-sim: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof ApiError) {
      process.stderr.write(`atwork-sim: ${err.code}: ${err.message}\n`);
      for (const [field, message] of Object.entries(err.fields || {})) process.stderr.write(`  ${field}: ${message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`atwork-sim: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
