// The program's reports: declined charges, spend by control account and by month, open requests by
// age. Each is a page and a CSV; whatever grows with the data is read a chunk at a time, yielding to
// the event loop between chunks, so a big report never holds up another sandbox's requests.
import type { AppContext } from '../../context';
import { csvRecord, UTF8_BOM } from '../../lib/csv';
import { maskCardNumber } from '../cards/card-numbers';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { controlAccountsOf, type ControlAccountRow } from '../hierarchy/hierarchy.repository';
import { accountInScope } from '../hierarchy/scope';
import { overviewPage, type CursorValue, type OverviewRow } from '../transactions/overview.repository';
import { TRANSACTION_TYPES, type TransactionStatus } from '../transactions/transaction-types';
import { visibleScope } from '../transactions/transactions.service';
import { declineReasons, declinesPage, spendByAccount, type DeclineRow, type ReportName } from './reports.repository';

export const REPORT_PAGE_SIZE = 25;
/** Rows read per query while a report is generated whole: bounded memory, and a turn of the event loop between. */
const CHUNK = 1_000;
/** Spend covers this many calendar months, the current one included. */
export const SPEND_MONTHS = 12;
const DAY_MS = 86_400_000;

/** Lets other requests (of this sandbox or another) run before the next chunk. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const REPORT_TITLES: Record<ReportName, string> = {
  declines: 'Declined charges',
  spend: 'Spend by control account and month',
  open_requests: 'Open requests by age',
};

export interface DeclineFilters {
  /** Inclusive start and exclusive end, in ms. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  account?: { id: number; depth: number; number: string } | undefined;
  reason?: string | undefined;
}

/** The control accounts the PA may filter by: the company's, within their scope, by number. */
export function reportAccounts(context: AppContext, user: SignedInAdministrator): ControlAccountRow[] {
  return controlAccountsOf(context.db, user.companyId).filter((account) => accountInScope(user.scope, account.id));
}

/** The account a filter names by number (any case); undefined for another company's or one outside the scope, as for none. */
export function reportAccountNamed(context: AppContext, user: SignedInAdministrator, number: string) {
  const account = reportAccounts(context, user).find((candidate) => candidate.number.toUpperCase() === number.trim().toUpperCase());
  return account ? { id: account.id, depth: account.depth, number: account.number } : undefined;
}

export function reportDeclineReasons(context: AppContext, user: SignedInAdministrator): string[] {
  return declineReasons(context.db, user.companyId);
}

const declineQuery = (user: SignedInAdministrator, filters: DeclineFilters) => ({
  companyId: user.companyId, scope: user.scope, account: filters.account, reason: filters.reason, fromMs: filters.fromMs, toMs: filters.toMs,
});

/** One page of declines, newest first, and the cursor of the next page when there is one. */
export function declinesReport(context: AppContext, user: SignedInAdministrator, filters: DeclineFilters, after?: [number, number]) {
  const rows = declinesPage(context.db, { ...declineQuery(user, filters), cursor: after, limit: REPORT_PAGE_SIZE + 1 });
  const page = rows.slice(0, REPORT_PAGE_SIZE);
  const last = page.at(-1);
  return { rows: page, next: rows.length > REPORT_PAGE_SIZE && last ? ([last.at, last.id] as [number, number]) : undefined };
}

/** Every matching decline, newest first, a chunk at a time. */
export async function* declineChunks(context: AppContext, user: SignedInAdministrator, filters: DeclineFilters): AsyncGenerator<DeclineRow[]> {
  let cursor: [number, number] | undefined;
  for (;;) {
    const rows = declinesPage(context.db, { ...declineQuery(user, filters), cursor, limit: CHUNK });
    if (rows.length > 0) yield rows;
    if (rows.length < CHUNK) return;
    const last = rows.at(-1)!;
    cursor = [last.at, last.id];
    await yieldToEventLoop();
  }
}

export interface SpendReport {
  months: Array<{ month: string; charges: number; total_cents: number }>;
  accounts: Array<{ number: string; name: string; depth: number; charges: number; total_cents: number }>;
  /** Each month's spend of each control account that spent anything, months in order. */
  cells: Array<{ month: string; number: string; name: string; charges: number; total_cents: number }>;
}

/** The first instants of the last SPEND_MONTHS calendar months (UTC), oldest first, and the end of the last. */
function spendMonths(now: number): Array<{ month: string; fromMs: number; toMs: number }> {
  const today = new Date(now);
  return Array.from({ length: SPEND_MONTHS }, (_unused, i) => {
    const fromMs = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - (SPEND_MONTHS - 1 - i), 1);
    const toMs = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - (SPEND_MONTHS - 2 - i), 1);
    return { month: new Date(fromMs).toISOString().slice(0, 7), fromMs, toMs };
  });
}

/** Posted charges of the PA's cards by control account and by calendar month, the last 12 months to `now`; one month per query. */
export async function spendReport(context: AppContext, user: SignedInAdministrator, now: number): Promise<SpendReport> {
  const accounts = new Map(reportAccounts(context, user).map((account) => [account.id, account]));
  const byAccount = new Map<number | null, { charges: number; total_cents: number }>();
  const report: SpendReport = { months: [], accounts: [], cells: [] };
  for (const month of spendMonths(now)) {
    const sums = spendByAccount(context.db, user.companyId, user.scope, month.fromMs, Math.min(month.toMs, now + 1));
    report.months.push({ month: month.month, charges: sums.reduce((n, s) => n + s.charges, 0), total_cents: sums.reduce((n, s) => n + s.total_cents, 0) });
    for (const sum of sums) {
      const account = sum.control_account_id === null ? undefined : accounts.get(sum.control_account_id);
      report.cells.push({ month: month.month, number: account?.number ?? '', name: account?.name ?? 'No control account', charges: sum.charges, total_cents: sum.total_cents });
      const total = byAccount.get(sum.control_account_id) ?? { charges: 0, total_cents: 0 };
      byAccount.set(sum.control_account_id, { charges: total.charges + sum.charges, total_cents: total.total_cents + sum.total_cents });
    }
    await yieldToEventLoop();
  }
  report.accounts = [...byAccount].map(([id, total]) => {
    const account = id === null ? undefined : accounts.get(id);
    return { number: account?.number ?? '', name: account?.name ?? 'No control account', depth: account?.depth ?? 1, ...total };
  }).sort((a, b) => a.number.localeCompare(b.number));
  report.cells.sort((a, b) => a.month.localeCompare(b.month) || a.number.localeCompare(b.number));
  return report;
}

/** Age buckets in calendar days since submission (weekends count): [from, to) in days. */
export const AGE_BUCKETS = [
  { id: 'under_1_day', label: 'Under 1 day', fromDays: 0, toDays: 1 },
  { id: '1_to_3_days', label: '1 to 3 days', fromDays: 1, toDays: 3 },
  { id: '3_to_7_days', label: '3 to 7 days', fromDays: 3, toDays: 7 },
  { id: 'over_7_days', label: '7 days or more', fromDays: 7, toDays: Infinity },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]['id'];

const OPEN_STATUSES: TransactionStatus[] = ['submitted', 'in_progress'];

export type OpenRequest = OverviewRow & { ageDays: number; bucket: AgeBucket };

function bucketOf(ageMs: number): AgeBucket {
  const days = ageMs / DAY_MS;
  return AGE_BUCKETS.find((bucket) => days >= bucket.fromDays && days < bucket.toDays)?.id ?? 'over_7_days';
}

/** Every open request the PA may see (as in Status Tracking), submitted ones then those in progress, oldest first, a chunk at a time. */
export async function* openRequestChunks(context: AppContext, user: SignedInAdministrator, now: number): AsyncGenerator<OpenRequest[]> {
  const scope = visibleScope(user);
  for (const status of OPEN_STATUSES) {
    let cursor: CursorValue[] | undefined;
    for (;;) {
      const rows = overviewPage(context.db, { scope, filter: { status }, sort: 'status', descending: false, cursor, limit: CHUNK });
      if (rows.length > 0) {
        yield rows.map((row) => ({ ...row, ageDays: Math.floor((now - row.submitted_at) / DAY_MS), bucket: bucketOf(now - row.submitted_at) }));
      }
      await yieldToEventLoop();
      if (rows.length < CHUNK) break;
      const last = rows.at(-1)!;
      cursor = [last.status, last.submitted_at, last.id];
    }
  }
}

/** How many open requests fall in each age bucket, by status, and the oldest few. */
export async function openRequestsReport(context: AppContext, user: SignedInAdministrator, now: number) {
  const buckets = AGE_BUCKETS.map((bucket) => ({ id: bucket.id, label: bucket.label, submitted: 0, in_progress: 0, total: 0 }));
  const oldest: OpenRequest[] = [];
  for await (const chunk of openRequestChunks(context, user, now)) {
    for (const row of chunk) {
      const bucket = buckets.find((b) => b.id === row.bucket)!;
      bucket[row.status === 'submitted' ? 'submitted' : 'in_progress'] += 1;
      bucket.total += 1;
    }
    oldest.push(...chunk.slice(0, REPORT_PAGE_SIZE));
  }
  oldest.sort((a, b) => a.submitted_at - b.submitted_at || a.id - b.id);
  return { buckets, oldest: oldest.slice(0, REPORT_PAGE_SIZE), total: buckets.reduce((n, b) => n + b.total, 0) };
}

const dollars = (cents: number) => (cents / 100).toFixed(2);

export const CSV_HEADERS: Record<ReportName, readonly string[]> = {
  declines: ['declined_at', 'card', 'cardmember', 'control_account', 'merchant', 'amount', 'reason'],
  spend: ['month', 'control_account', 'control_account_name', 'charges', 'amount'],
  open_requests: ['tracking_number', 'type', 'status', 'summary', 'submitted_at', 'age_days', 'age_bucket'],
};

export type ReportInput =
  | { report: 'declines'; filters: DeclineFilters }
  | { report: 'spend' }
  | { report: 'open_requests' };

/** The first line of a report's CSV: the byte order mark and the header. */
export const csvHead = (report: ReportName): string => `${UTF8_BOM}${CSV_HEADERS[report].join(',')}\r\n`;

/** A report's CSV records (each a line ending CRLF) after the header, a chunk at a time; `now` is the instant it is made for. */
export async function* reportCsvRecords(context: AppContext, user: SignedInAdministrator, input: ReportInput, now: number): AsyncGenerator<string[]> {
  if (input.report === 'declines') {
    for await (const rows of declineChunks(context, user, input.filters)) {
      yield rows.map((row) => csvRecord([new Date(row.at).toISOString(), maskCardNumber(row.card_number), row.cardmember_name,
        row.control_account_number ?? '', row.merchant, dollars(row.amount_cents), row.decline_reason]));
    }
  } else if (input.report === 'spend') {
    const spend = await spendReport(context, user, now);
    yield spend.cells.map((cell) => csvRecord([cell.month, cell.number, cell.name, String(cell.charges), dollars(cell.total_cents)]));
  } else {
    for await (const rows of openRequestChunks(context, user, now)) {
      yield rows.map((row) => csvRecord([row.tracking_number, row.type, row.status, row.summary, new Date(row.submitted_at).toISOString(),
        String(row.ageDays), row.bucket]));
    }
  }
}

export const transactionTypeLabel = (type: string): string => (TRANSACTION_TYPES as Record<string, string>)[type] ?? type;
