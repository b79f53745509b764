// The text-message outbox: every text the portal "sends" is captured here instead of being
// delivered, as e-mails are in the outbox, unless an `sms_undelivered` fault swallows it.
import { EventEmitter } from 'node:events';
import type { Database } from '../../db/database';
import type { Clock } from '../../lib/clock';
import { firstMatch } from '../../lib/first-match';
import { textablePhone } from '../../lib/phone-number';
import type { FaultInjector } from '../faults/fault-injector';
import { recordJournalEvent } from '../journal/journal.service';
import { deleteAllSms, findSms, insertSms, type SmsFilter, type SmsRow } from './sms.repository';

/** What a text is for, for QA scripts to filter on. */
export const SMS_TYPES = ['two_step_code', 'fraud_notice'] as const;
export type SmsType = (typeof SMS_TYPES)[number];

export interface OutgoingSms {
  /** A phone on file: any form `textablePhone` reads. */
  to: string;
  type: SmsType;
  text: string;
  /** Values a script would otherwise scrape from the text: `{ code }` for a sign-in code. */
  data?: Record<string, unknown>;
}

export interface CapturedSms {
  id: number;
  /** E.164. */
  to: string;
  type: string;
  text: string;
  data: Record<string, unknown>;
  sentAt: string;
}

function toCapturedSms(row: SmsRow): CapturedSms {
  return {
    id: row.id, to: row.to_number, type: row.type, text: row.text_body,
    data: JSON.parse(row.data) as Record<string, unknown>, sentAt: new Date(row.sent_at).toISOString(),
  };
}

/** A filter's number in the form texts are stored under; one no text can reach matches nothing. */
function storedFilter(filter: SmsFilter): SmsFilter {
  return { ...filter, to: filter.to === undefined ? undefined : textablePhone(filter.to) ?? filter.to };
}

export class SmsOutbox {
  /** Emits 'sent' after each captured text, so long-polling readers wake at once. */
  readonly events = new EventEmitter();
  /** Set once the sandbox closes: every wait, pending or new, ends with it at once. */
  private interruptedBy: Error | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly faults: FaultInjector,
  ) {
    this.events.setMaxListeners(0);
  }

  /**
   * Captures a text, or returns undefined when an `sms_undelivered` fault on the number swallows it:
   * then it is in no outbox (as a text lost on the way), and only the journal says what happened.
   * Callers check the number with `textablePhone` first: one no text can reach is a programming error.
   */
  send(sms: OutgoingSms): CapturedSms | undefined {
    const to = textablePhone(sms.to);
    if (!to) throw new Error(`No text can be sent to "${sms.to}".`);
    const now = this.clock.nowMs();
    const swallowedBy = this.faults.swallowText(to);
    // The journal names the text, never its body or data: they hold sign-in codes.
    if (swallowedBy) {
      recordJournalEvent(this.db, {
        at: now, type: 'sms.undelivered', actor: 'system', subject: `sms:${to}`, data: { smsType: sms.type, to, faultId: swallowedBy.id },
      });
      return undefined;
    }
    const row: Omit<SmsRow, 'id'> = { to_number: to, type: sms.type, text_body: sms.text, data: JSON.stringify(sms.data ?? {}), sent_at: now };
    const stored = this.db.tx(() => {
      const message = { id: insertSms(this.db, row), ...row };
      recordJournalEvent(this.db, {
        at: now, type: 'sms.sent', actor: 'system', subject: `sms:${to}`, data: { smsId: message.id, smsType: sms.type, to },
      });
      return message;
    });
    this.events.emit('sent', stored);
    return toCapturedSms(stored);
  }

  /** Captured texts, oldest first; `to` may be written in any form `textablePhone` reads. */
  list(filter: SmsFilter = {}): CapturedSms[] {
    return findSms(this.db, storedFilter(filter)).map(toCapturedSms);
  }

  /**
   * The first text matching the filter: at once if one was captured already, else as soon as one
   * is, or undefined at the timeout (or when the caller goes away).
   */
  waitFor(filter: SmsFilter, timeoutMs: number, cancelled?: AbortSignal): Promise<CapturedSms | undefined> {
    if (this.interruptedBy) return Promise.reject(this.interruptedBy);
    const wanted = storedFilter(filter);
    const existing = findSms(this.db, wanted)[0];
    if (existing) return Promise.resolve(toCapturedSms(existing));
    return firstMatch(this.events, 'sent', (stored: SmsRow) =>
      (!wanted.to || stored.to_number === wanted.to) && (!wanted.type || stored.type === wanted.type) ? toCapturedSms(stored) : undefined,
    timeoutMs, cancelled);
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

  clear(): number {
    return deleteAllSms(this.db);
  }
}
