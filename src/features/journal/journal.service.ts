// The event journal: what happened in a sandbox, in order, for QA scripts to read and to wait on.
// Each feature records its events where it writes the thing itself, in the same transaction; the
// journal only reads them back and wakes the scripts waiting for one.
import { EventEmitter } from 'node:events';
import { firstMatch } from '../../lib/first-match';
import type { RequestHandler } from 'express';
import type { Database } from '../../db/database';
import { findJournalEvents, insertJournalEvent, latestJournalId, userIdsOf, type JournalEventRow, type JournalFilter } from './journal.repository';

export type JournalDetails = Record<string, string | number | boolean | null>;

export interface NewJournalEvent {
  at: number;
  type: string;
  actor: string;
  subject?: string | null;
  /** Never a secret: a script reads every event. */
  data?: JournalDetails;
}

export interface JournalEvent {
  id: number;
  at: string;
  type: string;
  actor: string;
  /** The user ID (a PA) or staff ID (help desk) the actor signs in with now; null for anyone else. */
  actorUserId: string | null;
  subject: string | null;
  subjectUserId: string | null;
  data: Record<string, unknown>;
}

/** The most events one read answers; a script pages on with `since`. */
export const MAX_JOURNAL_PAGE = 1000;

export function recordJournalEvent(db: Database, event: NewJournalEvent): void {
  insertJournalEvent(db, {
    at: event.at, type: event.type, actor: event.actor, subject: event.subject ?? null, data: JSON.stringify(event.data ?? {}),
  });
}

const PERSON_REF = /^(pa|staff):(\d+)$/;

/** Puts each actor's and subject's current user ID beside the reference the audit log keeps. */
function describe(db: Database, rows: JournalEventRow[]): JournalEvent[] {
  const paIds = new Set<number>();
  const staffIds = new Set<number>();
  for (const row of rows) {
    for (const ref of [row.actor, row.subject]) {
      const match = ref ? PERSON_REF.exec(ref) : null;
      if (match) (match[1] === 'pa' ? paIds : staffIds).add(Number(match[2]));
    }
  }
  const known = paIds.size + staffIds.size > 0 ? userIdsOf(db, [...paIds], [...staffIds]) : { pas: new Map(), staff: new Map() };
  const userIdOf = (ref: string | null): string | null => {
    const match = ref ? PERSON_REF.exec(ref) : null;
    if (!match) return null;
    return (match[1] === 'pa' ? known.pas : known.staff).get(Number(match[2])) ?? null;
  };
  return rows.map((row) => ({
    id: row.id,
    at: new Date(row.at).toISOString(),
    type: row.type,
    actor: row.actor,
    actorUserId: userIdOf(row.actor),
    subject: row.subject,
    subjectUserId: userIdOf(row.subject),
    data: JSON.parse(row.data) as Record<string, unknown>,
  }));
}

export interface JournalQuery extends Omit<JournalFilter, 'afterId'> {
  /** An event id: only later events. "now": only events recorded after this call. */
  since?: number | 'now' | undefined;
}

export class EventJournal {
  /** Emits 'changed' when a write that may have recorded events is done, so waiting readers look again. */
  private readonly events = new EventEmitter();
  /** Set once the sandbox closes: every wait, pending or new, ends with it at once. */
  private interruptedBy: Error | undefined;

  constructor(private readonly db: Database) {
    this.events.setMaxListeners(0);
  }

  /** The latest event's id (0 for none): what a script passes as `since` to see only what comes next. */
  lastId(): number {
    return latestJournalId(this.db);
  }

  list(query: JournalQuery, limit = MAX_JOURNAL_PAGE): JournalEvent[] {
    return describe(this.db, findJournalEvents(this.db, this.filter(query), limit));
  }

  /**
   * The first event matching the query: at once if one was recorded already, else as soon as one
   * is, or undefined at the timeout (or when the caller goes away).
   */
  waitFor(query: JournalQuery, timeoutMs: number, cancelled?: AbortSignal): Promise<JournalEvent | undefined> {
    if (this.interruptedBy) return Promise.reject(this.interruptedBy);
    const filter = this.filter(query);
    const first = () => describe(this.db, findJournalEvents(this.db, filter, 1))[0];
    const existing = first();
    if (existing) return Promise.resolve(existing);
    return firstMatch(this.events, 'changed', first, timeoutMs, cancelled);
  }

  /**
   * Wakes the waiting readers to look again. Called when a request has been answered (every event
   * is recorded by a request, its writes committed by then), so a reader never sees a row that a
   * rolled-back transaction takes away again. Free when nobody waits.
   */
  changed(): void {
    if (this.events.listenerCount('changed') > 0) this.events.emit('changed');
  }

  /** Middleware: wakes the waiting readers once each request has been answered. */
  wakeReadersAfterEachRequest(): RequestHandler {
    return (_req, res, next) => {
      res.once('close', () => this.changed());
      next();
    };
  }

  /** Ends every long poll now and refuses new ones with `error` (the sandbox is closing). */
  interruptWaits(error: Error): void {
    this.interruptedBy = error;
    this.endWaits(error);
  }

  /** Ends every long poll now with `error`, and lets new ones wait (the sandbox was reset under them). */
  endWaits(error: Error): void {
    this.events.emit('interrupted', error);
  }

  private filter(query: JournalQuery): JournalFilter {
    const { since, ...rest } = query;
    return { ...rest, afterId: since === 'now' ? this.lastId() : since ?? 0 };
  }
}
