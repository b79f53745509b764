// Browser tests through a sharded simulator: deploy/cluster.js (what `npm run start:cluster` runs)
// with two processes behind HAProxy, on HTTP and, with a certificate made here, HTTPS. The browser
// flows of the main suite run through the balancer in parallel workers, each test in a sandbox of
// its own that lands on either shard; then a process is killed and comes back (test/cluster).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

const PORT = Number(process.env.E2E_CLUSTER_PORT ?? 3411);
const TLS_PORT = PORT + 32;
// The shared fixtures reach the simulator at E2E_PORT: here, the balancer.
process.env.E2E_PORT = String(PORT);
process.env.E2E_TLS_PORT = String(TLS_PORT);
process.env.E2E_CLUSTER_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'atwork-e2e-cluster-'));
const dataDir = process.env.E2E_CLUSTER_DATA_DIR;
const certificate = path.join(dataDir, 'balancer.pem');
if (!fs.existsSync(certificate)) {
  // A self-signed certificate for localhost and its sandboxes, key and certificate in one PEM file as HAProxy reads it.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,DNS:*.localhost', '-keyout', `${certificate}.key`, '-out', `${certificate}.crt`], { stdio: 'ignore' });
  fs.writeFileSync(certificate, fs.readFileSync(`${certificate}.crt`, 'utf8') + fs.readFileSync(`${certificate}.key`, 'utf8'), { mode: 0o600 });
}

const FLOWS = ['e2e/accounts.spec.ts', 'e2e/helpdesk.spec.ts', 'e2e/cards.spec.ts', 'cluster/routing.spec.ts'];

export default defineConfig({
  ...base,
  testDir: 'test',
  globalTeardown: './test/cluster/global-teardown.ts',
  workers: 2,
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  projects: [
    { name: 'through the balancer', testMatch: FLOWS },
    // Kills a process: only once nothing else runs against the cluster.
    { name: 'a process killed and restarted', testMatch: 'cluster/restart.spec.ts', dependencies: ['through the balancer'] },
  ],
  webServer: {
    command: 'node dist/deploy/cluster.js',
    url: `http://127.0.0.1:${PORT}/login`,
    reuseExistingServer: false,
    timeout: 90_000,
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      CLUSTER_SHARDS: '2',
      CLUSTER_FIRST_SHARD_PORT: String(PORT + 1),
      TLS_PORT: String(TLS_PORT),
      TLS_CERTIFICATE: certificate,
      // Long enough to see the balancer answer for a dead process before it is back.
      CLUSTER_RESTART_DELAY_MS: '5000',
      DATA_DIR: dataDir,
      SIM_TOKEN: process.env.E2E_SIM_TOKEN!,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      MAX_SANDBOXES: '100',
    },
  },
});
