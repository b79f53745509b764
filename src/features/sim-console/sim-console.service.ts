// What the console adds to the simulator's controls for people: the clock's buttons, the outbox
// newest first, and form fields (always strings) turned into the controls' own input.
import type { CapturedEmail } from '../outbox/outbox.service';
import type { SimulatorControlService } from '../sim/sim-controls.service';
import type { CapturedSms } from '../sms/sms.service';

/** The clock buttons: the steps QA moves time by most (an hour, a business day, a code's life, past inactivity). */
export const CLOCK_STEPS = ['1h', '1d', '30d', '121d'] as const;

/** At most this many e-mails are listed, newest first; the API gives them all. */
export const OUTBOX_PAGE_SIZE = 200;

/** Captured e-mails, newest first, their links pointing at the reader's sandbox `origin`. */
export function recentEmails(controls: SimulatorControlService, filter: unknown, origin: string): { messages: CapturedEmail[]; total: number } {
  const all = controls.outbox(filter, origin);
  return { messages: all.slice(-OUTBOX_PAGE_SIZE).reverse(), total: all.length };
}

/** Captured texts, newest first, at most a page of them. */
export function recentTexts(controls: SimulatorControlService, filter: unknown): { messages: CapturedSms[]; total: number } {
  const all = controls.sms(filter);
  return { messages: all.slice(-OUTBOX_PAGE_SIZE).reverse(), total: all.length };
}

/** A form's text as the controls take it: trimmed, and absent when blank. */
function formValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

/** A number field: a number when it reads as one, else the text, so the schema says what is wrong with it. */
function formNumber(value: unknown): number | string | undefined {
  const text = formValue(value);
  if (text === undefined) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : text;
}

/** The filters of the outbox form, blank ones left out. */
export function outboxFilterFromForm(query: Record<string, unknown>) {
  return { to: formValue(query.to), type: formValue(query.type) };
}

/** The filters of the text-message form, blank ones left out. */
export function smsFilterFromForm(query: Record<string, unknown>) {
  return { to: formValue(query.to), type: formValue(query.type) };
}

/**
 * The lost-texts form's own field name for how many texts to lose: the route fault form has a
 * `times` field on the same page, and two fields may not share an id.
 */
export const SMS_FAULT_TIMES_FIELD = 'textsLost';

/**
 * A fault form as POST /sim/api/faults takes it: the lost-texts form (kind `sms_undelivered`) or
 * the route fault form, where a blank method is any method.
 */
export function faultFromForm(body: Record<string, unknown>) {
  if (body.kind === 'sms_undelivered') {
    return { kind: 'sms_undelivered', phone: formValue(body.phone) ?? '', times: formNumber(body[SMS_FAULT_TIMES_FIELD]) };
  }
  return {
    pattern: formValue(body.pattern) ?? '',
    method: formValue(body.method),
    latencyMs: formNumber(body.latencyMs),
    status: formNumber(body.status),
    probability: formNumber(body.probability),
    times: formNumber(body.times),
  };
}
