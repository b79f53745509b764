// The outbox: every e-mail the portal "sends" is captured here instead of being delivered.
import { EventEmitter } from 'node:events';
import type { Database } from '../../db/database';
import type { Clock } from '../../lib/clock';
import { deleteAllMessages, findMessages, insertMessage, type OutboxFilter, type OutboxRow } from './outbox.repository';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What kind of e-mail this is ("welcome", "password_reset" …), for QA scripts to filter on. */
  type: string;
  /** Values a script would otherwise scrape from the body: access code, reset URL. */
  data?: Record<string, unknown>;
}

export interface CapturedEmail {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  type: string;
  data: Record<string, unknown>;
  sentAt: string;
}

function toCapturedEmail(row: OutboxRow): CapturedEmail {
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    sentAt: new Date(row.sent_at).toISOString(),
  };
}

export class Outbox {
  /** Emits 'sent' after each captured e-mail, so long-polling readers wake at once. */
  readonly events = new EventEmitter();
  /** Set once the sandbox closes: every wait, pending or new, ends with it at once. */
  private interruptedBy: Error | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.events.setMaxListeners(0);
  }

  send(email: OutgoingEmail): CapturedEmail {
    const row: Omit<OutboxRow, 'id'> = {
      to_address: email.to,
      subject: email.subject,
      text_body: email.text,
      html_body: email.html,
      type: email.type,
      data: JSON.stringify(email.data ?? {}),
      sent_at: this.clock.nowMs(),
    };
    const captured = toCapturedEmail({ id: insertMessage(this.db, row), ...row });
    this.events.emit('sent', captured);
    return captured;
  }

  list(filter: OutboxFilter = {}): CapturedEmail[] {
    return findMessages(this.db, filter).map(toCapturedEmail);
  }

  /**
   * The first e-mail matching the filter: at once if one was captured already, else as soon as one
   * is, or undefined at the timeout (or when the caller goes away).
   */
  waitFor(filter: OutboxFilter, timeoutMs: number, cancelled?: AbortSignal): Promise<CapturedEmail | undefined> {
    if (this.interruptedBy) return Promise.reject(this.interruptedBy);
    const existing = this.list(filter)[0];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.events.off('sent', onSent);
        this.events.off('interrupted', onInterrupted);
        cancelled?.removeEventListener('abort', onAbort);
      };
      const finish = (email: CapturedEmail | undefined) => {
        stop();
        resolve(email);
      };
      const onInterrupted = (error: Error) => {
        stop();
        reject(error);
      };
      const onSent = (email: CapturedEmail) => {
        const toMatches = !filter.to || email.to.toLowerCase() === filter.to.toLowerCase();
        if (toMatches && (!filter.type || email.type === filter.type)) finish(email);
      };
      const onAbort = () => finish(undefined);
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      this.events.on('sent', onSent);
      this.events.on('interrupted', onInterrupted);
      cancelled?.addEventListener('abort', onAbort);
    });
  }

  /**
   * Ends every long poll now and refuses new ones with `error` (the sandbox is being deleted, reset
   * or shut down): a waiting script hears at once instead of waiting out its timeout.
   */
  interruptWaits(error: Error): void {
    this.interruptedBy = error;
    this.endWaits(error);
  }

  /** Ends every long poll now with `error`, and lets new ones wait (the sandbox was reset under them). */
  endWaits(error: Error): void {
    this.events.emit('interrupted', error);
  }

  clear(): number {
    return deleteAllMessages(this.db);
  }
}
