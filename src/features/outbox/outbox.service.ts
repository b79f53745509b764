// The outbox: every e-mail the portal "sends" is captured here instead of being delivered.
import { EventEmitter } from 'node:events';
import { firstMatch } from '../../lib/first-match';
import type { Database } from '../../db/database';
import type { Clock } from '../../lib/clock';
import { recordJournalEvent } from '../journal/journal.service';
import { deleteAllMessages, findMessageById, findMessages, insertMessage, type OutboxFilter, type OutboxRow } from './outbox.repository';

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

/**
 * The origin links in e-mails are written against. A sandbox's database is copied from a template
 * built for no sandbox in particular, and one sandbox is reached both through X-Sim-Sandbox and
 * through <id>.localhost, so a stored link names no real host: each reader gets the e-mail with the
 * origin of the sandbox it reads from. `.invalid` never resolves, should a link escape unrendered.
 */
export const STORED_LINK_ORIGIN = 'http://sandbox-origin.invalid';

// The origin is a loopback URL built by public-url.ts: nothing in it needs escaping in HTML or JSON.
function toCapturedEmail(row: OutboxRow, origin: string): CapturedEmail {
  const withOrigin = (stored: string) => stored.replaceAll(STORED_LINK_ORIGIN, origin);
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    text: withOrigin(row.text_body),
    html: withOrigin(row.html_body),
    type: row.type,
    data: JSON.parse(withOrigin(row.data)) as Record<string, unknown>,
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
    /** Where links point when the reader does not say which origin it reads from (in-process callers). */
    private readonly defaultOrigin: string,
  ) {
    this.events.setMaxListeners(0);
  }

  /** Captures an e-mail; links in it are written against STORED_LINK_ORIGIN. */
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
    // The journal names the e-mail, never its body or data: they hold access codes and reset links.
    const stored = this.db.tx(() => {
      const message = { id: insertMessage(this.db, row), ...row };
      recordJournalEvent(this.db, {
        at: row.sent_at, type: 'email.sent', actor: 'system', subject: `email:${email.to.toLowerCase()}`,
        data: { emailId: message.id, emailType: email.type, to: email.to },
      });
      return message;
    });
    this.events.emit('sent', stored);
    return toCapturedEmail(stored, this.defaultOrigin);
  }

  /** One captured e-mail by its id, its links pointing at `origin`. */
  find(id: number, origin = this.defaultOrigin): CapturedEmail | undefined {
    const row = findMessageById(this.db, id);
    return row ? toCapturedEmail(row, origin) : undefined;
  }

  /** Captured e-mails, their links pointing at `origin`. */
  list(filter: OutboxFilter = {}, origin = this.defaultOrigin): CapturedEmail[] {
    return findMessages(this.db, filter).map((row) => toCapturedEmail(row, origin));
  }

  /**
   * The first e-mail matching the filter: at once if one was captured already, else as soon as one
   * is, or undefined at the timeout (or when the caller goes away).
   */
  waitFor(filter: OutboxFilter, timeoutMs: number, cancelled?: AbortSignal, origin = this.defaultOrigin): Promise<CapturedEmail | undefined> {
    if (this.interruptedBy) return Promise.reject(this.interruptedBy);
    const existing = this.list(filter, origin)[0];
    if (existing) return Promise.resolve(existing);
    return firstMatch(this.events, 'sent', (stored: OutboxRow) => {
      const toMatches = !filter.to || stored.to_address.toLowerCase() === filter.to.toLowerCase();
      return toMatches && (!filter.type || stored.type === filter.type) ? toCapturedEmail(stored, origin) : undefined;
    }, timeoutMs, cancelled);
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
