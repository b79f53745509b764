// Scheduled delivery of reports: a PA subscribes a report daily, weekly or monthly, and as the
// simulated clock passes each due time the report is made for them (with their permissions and
// scope at that moment) and e-mailed, its CSV in the captured e-mail's data.
import type { AppContext } from '../../context';
import { AppError, notFound, type FieldErrors } from '../../lib/errors';
import { compose } from '../accounts/emails';
import { loadSignedInAdministrator, type SignedInAdministrator } from '../accounts/sign-in.service';
import { recordJournalEvent } from '../journal/journal.service';
import {
  advanceSubscription, deleteSubscription, dueSubscriptions, insertSubscription, subscriptionsOf,
  type Frequency, type ReportName, type SubscriptionRow,
} from './reports.repository';
import { REPORT_TITLES, csvHead, reportAccountNamed, reportCsvRecords, reportDeclineReasons, type ReportInput } from './reports.service';

export const FREQUENCIES: Record<Frequency, string> = { daily: 'Daily', weekly: 'Weekly (Mondays)', monthly: 'Monthly (the 1st)' };
const DAY_MS = 86_400_000;
/** A PA keeps at most this many subscriptions: each one is work at every due time. */
export const MAX_SUBSCRIPTIONS = 20;
/**
 * Rows of a report attached to its e-mail at most: the e-mail is written in one step, and a
 * 100,000-row CSV (9 MB) took 300 ms to store, holding up every sandbox. The count is of them all.
 */
export const MAX_ATTACHED_ROWS = 10_000;

/** What a declines subscription keeps of the report's filters; its dates are each period's. */
export interface SubscriptionFilters {
  account?: string | undefined;
  reason?: string | undefined;
}

/**
 * The due time after `at`: the next midnight UTC (daily), the next Monday's (weekly), the 1st of
 * the next month's (monthly). Due times sit on those boundaries, so each period is a whole day,
 * week or month and the next due time is the period's end.
 */
export function nextDueAfter(frequency: Frequency, at: number): number {
  const day = new Date(at);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  if (frequency === 'daily') return midnight + DAY_MS;
  if (frequency === 'weekly') return midnight + (((8 - day.getUTCDay()) % 7) || 7) * DAY_MS;
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1);
}

/** The start of the period that ends at a due time. */
function periodStart(frequency: Frequency, dueAt: number): number {
  if (frequency === 'daily') return dueAt - DAY_MS;
  if (frequency === 'weekly') return dueAt - 7 * DAY_MS;
  const due = new Date(dueAt);
  return Date.UTC(due.getUTCFullYear(), due.getUTCMonth() - 1, 1);
}

export interface SubscriptionView {
  id: number;
  report: ReportName;
  title: string;
  frequency: Frequency;
  frequencyLabel: string;
  filters: SubscriptionFilters;
  nextDueAt: string;
  lastDeliveredAt: string | null;
}

function toView(row: SubscriptionRow): SubscriptionView {
  return {
    id: row.id, report: row.report, title: REPORT_TITLES[row.report], frequency: row.frequency, frequencyLabel: FREQUENCIES[row.frequency],
    filters: JSON.parse(row.filters) as SubscriptionFilters, nextDueAt: new Date(row.next_due_at).toISOString(),
    lastDeliveredAt: row.last_delivered_at === null ? null : new Date(row.last_delivered_at).toISOString(),
  };
}

export function subscriptionsFor(context: AppContext, user: SignedInAdministrator): SubscriptionView[] {
  return subscriptionsOf(context.db, user.id).map(toView);
}

/**
 * A declines subscription's filters as the PA may set them: an account of their company within their
 * scope (by number, any case), a reason among the company's declines. Each field at fault is named.
 */
export function subscriptionFilters(context: AppContext, user: SignedInAdministrator, written: { account?: string | undefined; reason?: string | undefined }):
  { filters: SubscriptionFilters; errors: FieldErrors } {
  const filters: SubscriptionFilters = {};
  const errors: FieldErrors = {};
  if (written.account) {
    const account = reportAccountNamed(context, user, written.account);
    if (!account) errors.account = 'Choose a control account from the list.';
    else filters.account = account.number;
  }
  if (written.reason) {
    if (!reportDeclineReasons(context, user).includes(written.reason)) errors.reason = 'Choose a reason from the list.';
    else filters.reason = written.reason;
  }
  return { filters, errors };
}

/** Subscribes the PA; the filters were checked against their scope by the caller's parse. */
export function subscribe(context: AppContext, user: SignedInAdministrator, report: ReportName, frequency: Frequency, filters: SubscriptionFilters): SubscriptionView {
  const now = context.clock.nowMs();
  return context.db.tx(() => {
    if (subscriptionsOf(context.db, user.id).length >= MAX_SUBSCRIPTIONS) {
      throw new AppError(409, 'too_many_subscriptions', `You can keep at most ${MAX_SUBSCRIPTIONS} report subscriptions. Delete one first.`);
    }
    const kept = report === 'declines' ? filters : {};
    const id = insertSubscription(context.db, {
      pa_id: user.id, report, frequency, filters: JSON.stringify(kept), created_at: now, next_due_at: nextDueAfter(frequency, now),
    });
    return toView(subscriptionsOf(context.db, user.id).find((row) => row.id === id)!);
  });
}

/** Deletes one of the PA's own subscriptions; another's (or none) is a 404. */
export function unsubscribe(context: AppContext, user: SignedInAdministrator, id: number): void {
  if (!deleteSubscription(context.db, user.id, id)) throw notFound('We could not find that subscription.');
}

/** Deliveries in flight per sandbox, one after another: the clock's mover waits for them. */
const deliveries = new WeakMap<AppContext, Promise<number>>();

/**
 * Starts delivering every subscription due by `now` (in the background, in order) and says how many
 * were due. Cheap when none is: one read of an index.
 */
export function startDueDeliveries(context: AppContext, now: number): number {
  const due = dueSubscriptions(context.db, now).length;
  if (due === 0) return 0;
  const previous = deliveries.get(context) ?? Promise.resolve(0);
  const next = previous.then(() => deliverDue(context), () => deliverDue(context)).catch((err: unknown) => {
    context.logger.error({ err }, 'scheduled report delivery failed');
    return 0;
  });
  deliveries.set(context, next);
  return due;
}

/** Resolves when the deliveries started so far are done, with how many the last run sent. */
export function deliveriesSettled(context: AppContext): Promise<number> {
  return deliveries.get(context) ?? Promise.resolve(0);
}

/**
 * The latest due time not after `now`, and how many due times before it were passed over. When the
 * clock jumps past several, only the latest period is delivered: the report is of the portal's data
 * as it stands, and a year's jump would otherwise flood the outbox with 365 daily e-mails.
 */
function latestDue(row: SubscriptionRow, now: number): { dueAt: number; skipped: number } {
  let dueAt = row.next_due_at;
  let skipped = 0;
  for (let next = nextDueAfter(row.frequency, dueAt); next <= now; next = nextDueAfter(row.frequency, next)) {
    dueAt = next;
    skipped += 1;
  }
  return { dueAt, skipped };
}

async function deliverDue(context: AppContext): Promise<number> {
  const now = context.clock.nowMs();
  let sent = 0;
  for (const row of dueSubscriptions(context.db, now)) {
    if (await deliverOne(context, row, now)) sent += 1;
  }
  return sent;
}

function skip(context: AppContext, row: SubscriptionRow, dueAt: number, reason: string): false {
  context.db.tx(() => {
    if (!advanceSubscription(context.db, row.id, row.next_due_at, nextDueAfter(row.frequency, dueAt), null)) return;
    recordJournalEvent(context.db, {
      at: dueAt, type: 'report.skipped', actor: 'system', subject: `pa:${row.pa_id}`, data: { subscriptionId: row.id, report: row.report, reason },
    });
  });
  return false;
}

async function deliverOne(context: AppContext, row: SubscriptionRow, now: number): Promise<boolean> {
  const { dueAt, skipped } = latestDue(row, now);
  // Their rights as they stand now, read again as any request of theirs would.
  const user = loadSignedInAdministrator(context, row.pa_id);
  if (!user) return skip(context, row, dueAt, 'not_active');
  if (!user.permissions.includes('reports.view')) return skip(context, row, dueAt, 'no_permission');
  const filters = JSON.parse(row.filters) as SubscriptionFilters;
  const from = periodStart(row.frequency, dueAt);
  let input: ReportInput;
  if (row.report === 'declines') {
    const account = filters.account ? reportAccountNamed(context, user, filters.account) : undefined;
    if (filters.account && !account) return skip(context, row, dueAt, 'account_out_of_scope');
    input = { report: 'declines', filters: { fromMs: from, toMs: dueAt, account, reason: filters.reason } };
  } else {
    input = { report: row.report };
  }
  const attached: string[] = [csvHead(row.report)];
  let rows = 0;
  for await (const records of reportCsvRecords(context, user, input, dueAt)) {
    rows += records.length;
    if (attached.length <= MAX_ATTACHED_ROWS) attached.push(...records.slice(0, MAX_ATTACHED_ROWS + 1 - attached.length));
  }
  const truncated = rows > MAX_ATTACHED_ROWS;
  const csv = attached.join('');
  const title = REPORT_TITLES[row.report];
  const period = { from: new Date(from).toISOString(), to: new Date(dueAt).toISOString() };
  const email = compose({
    to: user.email,
    subject: 'Your scheduled @Work report', type: 'scheduled_report',
    greeting: `Dear ${user.firstName},`,
    paragraphs: [
      row.report === 'declines'
        ? `Your ${row.frequency} report "${title}" for ${period.from.slice(0, 10)} to ${period.to.slice(0, 10)} has ${rows} row(s); the CSV is attached.`
        : `Your ${row.frequency} report "${title}" as at ${period.to.slice(0, 16).replace('T', ' ')} UTC has ${rows} row(s); the CSV is attached.`,
      ...(truncated ? [`The first ${MAX_ATTACHED_ROWS.toLocaleString('en-US')} rows are attached; the whole report is on the Reports page.`] : []),
      'You can change or end this subscription on the Reports page of @Work.',
    ],
    data: { subscriptionId: row.id, report: row.report, frequency: row.frequency, period, filters, rows, truncated, skippedPeriods: skipped, csv },
  });
  // The due time decides: a delivery another run made meanwhile (or a deletion) leaves this one unsent.
  return context.db.tx(() => {
    if (!advanceSubscription(context.db, row.id, row.next_due_at, nextDueAfter(row.frequency, dueAt), now)) return false;
    context.outbox.send(email);
    return true;
  });
}
