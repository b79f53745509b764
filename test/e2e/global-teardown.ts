// After the browser tests: the run's data directory (made in playwright.config.ts) is removed,
// so runs do not pile up copies of the portal's data in the temp folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function removeRunData(): void {
  const dir = process.env.E2E_DATA_DIR;
  // Only a directory this run made in the temp folder, never one a caller passed in elsewhere.
  if (dir && path.dirname(dir) === os.tmpdir() && path.basename(dir).startsWith('atwork-e2e-')) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
