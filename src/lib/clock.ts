// The simulated clock: real time plus an offset that QA moves forward and the database keeps.
import type { Database } from '../db/database';
import { AppError } from './errors';

/**
 * The latest instant QA can move the clock to: the end of the year 2099. Simulated time keeps
 * running with real time after a move, so the bound sits far below the end of year 9999 (the last
 * instant an ISO-8601 date spells with 4 digits; past it dates read "+010000-…", which clients fail
 * to parse): nearly 8,000 years of real time stand between the two. Any test of expiries, billing
 * cycles or card validity fits well before 2100.
 */
export const LATEST_SIMULATED_MS = Date.parse('2099-12-31T23:59:59.999Z');

export interface Clock {
  /** Milliseconds since the epoch, on simulated time. */
  nowMs(): number;
  now(): Date;
}

export class SimulatedClock implements Clock {
  private offsetMs: number;

  constructor(
    private readonly db: Database,
    /** Where real time comes from; tests freeze it so that nothing moves unless they move it. */
    private readonly realNowMs: () => number = Date.now,
  ) {
    this.offsetMs = this.readOffset();
  }

  nowMs(): number {
    return this.realNowMs() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Moves simulated time forward; time never runs backwards, so past events stay in the past. */
  advanceBy(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new AppError(400, 'clock_backwards', 'The clock only moves forward.');
    }
    if (this.nowMs() + ms > LATEST_SIMULATED_MS) {
      throw new AppError(400, 'clock_out_of_range', 'The clock cannot move past the end of the year 2099.');
    }
    this.writeOffset(this.offsetMs + ms);
  }

  setTo(targetMs: number): void {
    this.advanceBy(targetMs - this.nowMs());
  }

  /** Back to real time: a scenario reset starts the sandbox's clock afresh. */
  restart(): void {
    this.writeOffset(0);
  }

  /** Puts simulated time at `epochMs` now: a sandbox restored from a template resumes at the template's moment. */
  restartAt(epochMs: number): void {
    this.writeOffset(epochMs - this.realNowMs());
  }

  private readOffset(): number {
    return this.db.get<{ clock_offset_ms: number }>('SELECT clock_offset_ms FROM sim_state WHERE id = 1')
      ?.clock_offset_ms ?? 0;
  }

  private writeOffset(offsetMs: number): void {
    this.db.run('UPDATE sim_state SET clock_offset_ms = ? WHERE id = 1', offsetMs);
    this.offsetMs = offsetMs;
  }
}
