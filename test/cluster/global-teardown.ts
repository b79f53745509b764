// After the cluster's browser tests: the run's data directory (made in playwright.cluster.config.ts)
// is removed, as test/e2e/global-teardown.ts does for the main suite's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import removeRunData from '../e2e/global-teardown';

export default function removeClusterRunData(): void {
  removeRunData();
  const dir = process.env.E2E_CLUSTER_DATA_DIR;
  if (dir && path.dirname(dir) === os.tmpdir() && path.basename(dir).startsWith('atwork-e2e-cluster-')) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
