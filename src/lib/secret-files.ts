// Secrets generated at first start and kept in the data directory, readable only by their owner.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Reads dataDir/name, or creates it with a random value; reports whether it was created. */
export function readOrCreateSecret(dataDir: string, name: string, bytes = 32): { value: string; created: boolean } {
  const file = path.join(dataDir, name);
  try {
    const value = fs.readFileSync(file, 'utf8').trim();
    if (value.length > 0) return { value, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const value = crypto.randomBytes(bytes).toString('base64url');
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return { value, created: true };
}
