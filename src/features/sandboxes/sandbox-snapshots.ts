// Snapshots of one sandbox: copies of its whole SQLite file (data, clock, outbox, sessions), kept in a
// folder beside that file as <name>.sqlite with a small <name>.json record, so that they outlive a
// restart and go with the sandbox. The registry runs saves and restores of one sandbox one at a time.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../../db/database';
import { AppError } from '../../lib/errors';

/** Snapshots one sandbox may keep: a script that saves in a loop cannot fill the disk. */
export const MAX_SNAPSHOTS_PER_SANDBOX = 20;
export const SNAPSHOT_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface SnapshotSummary {
  name: string;
  /** The sandbox's simulated now when it was taken: a restore puts the clock back here. */
  simulatedAt: string;
  /** Real time it was taken. */
  takenAt: string;
}

interface SnapshotRecord {
  simulatedAtMs: number;
  takenAtMs: number;
}

export function unknownSnapshot(name: string): AppError {
  return new AppError(404, 'unknown_snapshot', `This sandbox has no snapshot named "${name}".`);
}

/** The folder of a sandbox's snapshots: beside its file, named after it. */
export function snapshotDirectoryOf(databaseFile: string): string {
  return `${databaseFile.replace(/\.sqlite$/, '')}.snapshots`;
}

/** Copies `from` to `to` on libuv's thread pool and flushes it there, so a crash leaves no torn copy. */
async function copyDurably(from: string, to: string): Promise<void> {
  await fs.promises.copyFile(from, to);
  const copy = await fs.promises.open(to, 'r+');
  try {
    await copy.sync();
  } finally {
    await copy.close();
  }
}

export class SandboxSnapshots {
  constructor(private readonly directory: string) {}

  list(): SnapshotSummary[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.directory);
    } catch {
      return [];
    }
    return names.filter((file) => file.endsWith('.json') && names.includes(`${file.slice(0, -'.json'.length)}.sqlite`))
      .map((file) => file.slice(0, -'.json'.length))
      .flatMap((name) => {
        const record = this.record(name);
        return record ? [{ name, simulatedAt: new Date(record.simulatedAtMs).toISOString(), takenAt: new Date(record.takenAtMs).toISOString() }] : [];
      })
      .sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.name.localeCompare(b.name));
  }

  /**
   * Saves the sandbox's file under `name`, replacing a snapshot of that name. The write-ahead log is
   * checkpointed into the file, then a second connection holds a read transaction while the file is
   * copied off the event loop: until it ends, SQLite checkpoints nothing into the file, so requests
   * writing meanwhile go to the log and the copy is the state at `simulatedAtMs`.
   */
  async save(db: Database, name: string, simulatedAtMs: number, takenAtMs: number): Promise<SnapshotSummary> {
    if (!this.record(name) && this.list().length >= MAX_SNAPSHOTS_PER_SANDBOX) {
      throw new AppError(429, 'too_many_snapshots', `A sandbox keeps at most ${MAX_SNAPSHOTS_PER_SANDBOX} snapshots. Delete one first.`);
    }
    const file = db.raw.name;
    const checkpoint = db.raw.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (checkpoint[0]?.busy) throw new AppError(503, 'sandbox_busy', 'The sandbox is busy; try the snapshot again.');
    const reader = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT count(*) FROM sqlite_schema').get();
      fs.mkdirSync(this.directory, { recursive: true });
      const target = this.fileOf(name);
      await copyDurably(file, `${target}.next`);
      fs.renameSync(`${target}.next`, target);
    } finally {
      fs.rmSync(`${this.fileOf(name)}.next`, { force: true });
      if (reader.inTransaction) reader.prepare('COMMIT').run();
      reader.close();
    }
    const record: SnapshotRecord = { simulatedAtMs, takenAtMs };
    // Written aside and renamed, so a crash leaves the old record or the new one, never half of one.
    const recordFile = this.recordFileOf(name);
    fs.writeFileSync(`${recordFile}.next`, JSON.stringify(record));
    fs.renameSync(`${recordFile}.next`, recordFile);
    return { name, simulatedAt: new Date(simulatedAtMs).toISOString(), takenAt: new Date(takenAtMs).toISOString() };
  }

  /** Copies the snapshot to `destination` off the event loop; the simulated instant it was taken at. */
  async copyTo(name: string, destination: string): Promise<number> {
    const record = this.record(name);
    if (!record) throw unknownSnapshot(name);
    await copyDurably(this.fileOf(name), destination);
    return record.simulatedAtMs;
  }

  remove(name: string): boolean {
    if (!this.record(name)) return false;
    fs.rmSync(this.recordFileOf(name), { force: true });
    fs.rmSync(this.fileOf(name), { force: true });
    return true;
  }

  private record(name: string): SnapshotRecord | undefined {
    if (!SNAPSHOT_NAME.test(name) || !fs.existsSync(this.fileOf(name))) return undefined;
    try {
      return JSON.parse(fs.readFileSync(this.recordFileOf(name), 'utf8')) as SnapshotRecord;
    } catch {
      return undefined;
    }
  }

  private fileOf(name: string): string {
    return path.join(this.directory, `${name}.sqlite`);
  }

  private recordFileOf(name: string): string {
    return path.join(this.directory, `${name}.json`);
  }
}
