import { openDatabase } from '../../src/db/database';
import { migrate } from '../../src/db/migrate';
import { LATEST_SIMULATED_MS, SimulatedClock } from '../../src/lib/clock';

const REAL_NOW = Date.parse('2026-01-01T00:00:00Z');

function freshDatabase() {
  const db = openDatabase(':memory:');
  migrate(db);
  return db;
}

describe('SimulatedClock', () => {
  it('follows real time until moved', () => {
    const clock = new SimulatedClock(freshDatabase(), () => REAL_NOW);
    expect(clock.nowMs()).toBe(REAL_NOW);
  });

  it('moves forward and keeps its offset in the database, so a restart keeps the simulated time', () => {
    const db = freshDatabase();
    new SimulatedClock(db, () => REAL_NOW).advanceBy(121 * 86_400_000);
    const afterRestart = new SimulatedClock(db, () => REAL_NOW);
    expect(afterRestart.now().toISOString()).toBe('2026-05-02T00:00:00.000Z');
  });

  it('sets an instant in the future and refuses one in the past', () => {
    const clock = new SimulatedClock(freshDatabase(), () => REAL_NOW);
    clock.setTo(Date.parse('2026-02-01T12:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-02-01T12:00:00.000Z');
    expect(() => clock.setTo(REAL_NOW)).toThrow(expect.objectContaining({ code: 'clock_backwards' }));
    expect(() => clock.advanceBy(-1)).toThrow(expect.objectContaining({ code: 'clock_backwards' }));
  });

  it('restarts at real time', () => {
    const clock = new SimulatedClock(freshDatabase(), () => REAL_NOW);
    clock.advanceBy(5_000);
    clock.restart();
    expect(clock.nowMs()).toBe(REAL_NOW);
  });
});

describe('SimulatedClock range', () => {
  it('moves up to the end of the year 2099 and refuses anything later', () => {
    const clock = new SimulatedClock(freshDatabase(), () => REAL_NOW);
    expect(() => clock.setTo(Date.parse('2100-01-01T00:00:00Z'))).toThrow(expect.objectContaining({ code: 'clock_out_of_range' }));
    expect(clock.nowMs()).toBe(REAL_NOW);
    clock.setTo(LATEST_SIMULATED_MS);
    expect(clock.now().toISOString()).toBe('2099-12-31T23:59:59.999Z');
    expect(() => clock.advanceBy(1)).toThrow(expect.objectContaining({ code: 'clock_out_of_range' }));
  });
});
