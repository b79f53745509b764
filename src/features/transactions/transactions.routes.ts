// Status Tracking: search by tracking number, the overview, one transaction's history, CSV export.
import { once } from 'node:events';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { csvRecord, UTF8_BOM } from '../../lib/csv';
import { signedIn } from '../../http/access';
import { parseInput } from '../../http/validation';
import { formatCents } from '../../lib/money';
import type { CursorValue, OverviewFilter, OverviewRow } from './overview.repository';
import { OVERVIEW_SORTS, STATUS_LABELS, TRANSACTION_STATUSES, TRANSACTION_TYPES, type OverviewSort, type TransactionType } from './transaction-types';
import {
  exportRows, overviewAccountNamed, overviewAccounts, type ExportRow, searchTracking, transactionOverview, transactionWithHistory, visibleScope,
} from './transactions.service';

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface ParsedOverviewQuery {
  filter: OverviewFilter;
  sort: OverviewSort;
  descending: boolean;
  after?: unknown[] | undefined;
  before?: unknown[] | undefined;
  /** The filter and sort as they appear in links. */
  link: Record<string, string>;
  errors: Record<string, string>;
}

const single = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 200) : '');

function decodeCursor(text: string): unknown[] | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const encodeCursor = (cursor: CursorValue[]): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** A query parameter as text: the first 200 characters of a single value; anything else is blank. */
const queryText = z.unknown().transform(single);

/** A choice from a list, or nothing when blank. */
const choice = <Values extends readonly [string, ...string[]]>(values: Values, message: string) =>
  queryText.pipe(z.union([z.literal('').transform(() => undefined), z.enum(values)], { error: message })).optional();

/** A day as YYYY-MM-DD, read as the instant it starts (UTC), or nothing when blank. */
const day = queryText.pipe(z.union([
  z.literal('').transform(() => undefined),
  z.string().regex(DATE).transform((text) => Date.parse(`${text}T00:00:00.000Z`)).pipe(z.number().refine(Number.isFinite)),
], { error: 'Enter the date as YYYY-MM-DD.' })).optional();

const overviewFields = {
  status: choice(TRANSACTION_STATUSES, 'Choose a status from the list.'),
  type: choice(Object.keys(TRANSACTION_TYPES) as [TransactionType, ...TransactionType[]], 'Choose a type from the list.'),
  from: day,
  to: day,
};

/** The overview's filters, each field's problem named for the form. */
const overviewFilters = z.object(overviewFields).superRefine((query, ctx) => {
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'The end date must not be before the start date.' });
  }
});

/** The same filters with a field at fault left out, so the list still shows what the rest asks for. */
const usableFilters = z.object({
  status: overviewFields.status.catch(undefined),
  type: overviewFields.type.catch(undefined),
  from: overviewFields.from.catch(undefined),
  to: overviewFields.to.catch(undefined),
});

/** The overview's query, its control account (by number) resolved within the PA's scope. */
function parseOverviewQuery(context: AppContext, req: Request): ParsedOverviewQuery {
  const parsed = parseFilterQuery(req);
  const number = single(req.query.account).slice(0, 40);
  if (!number) return parsed;
  const account = overviewAccountNamed(context, req.user!, number);
  if (!account) return { ...parsed, errors: { ...parsed.errors, account: 'Choose a control account from the list.' } };
  return { ...parsed, filter: { ...parsed.filter, account }, link: { ...parsed.link, account: number } };
}

function parseFilterQuery(req: Request): ParsedOverviewQuery {
  const q = req.query;
  const checked = parseInput(overviewFilters, q);
  const errors = checked.ok ? {} : checked.errors;
  const usable = usableFilters.parse(q);
  const sortText = single(q.sort);
  const sort = (OVERVIEW_SORTS as readonly string[]).includes(sortText) ? (sortText as OverviewSort) : 'submitted';
  const descending = single(q.dir) !== 'asc';
  const filter: OverviewFilter = {};
  if (usable.status) filter.status = usable.status;
  if (usable.type) filter.type = usable.type;
  if (usable.from !== undefined) filter.fromMs = usable.from;
  if (usable.to !== undefined) filter.toMs = usable.to + DAY_MS;
  const link: Record<string, string> = {};
  if (filter.status) link.status = filter.status;
  if (filter.type) link.type = filter.type;
  if (filter.fromMs !== undefined) link.from = single(q.from);
  if (filter.toMs !== undefined) link.to = single(q.to);
  if (sort !== 'submitted') link.sort = sort;
  if (!descending) link.dir = 'asc';
  return { filter, sort, descending, after: decodeCursor(single(q.after)), before: decodeCursor(single(q.before)), link, errors };
}

const CSV_COLUMNS = ['tracking_number', 'type', 'status', 'summary', 'submitted_at', 'updated_at', 'submitted_by', 'rejection_reason'] as const;

function csvLine(row: ExportRow): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string> = {
    tracking_number: row.tracking_number,
    type: row.type,
    status: row.status,
    summary: row.summary,
    submitted_at: new Date(row.submitted_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    submitted_by: row.submitter,
    rejection_reason: row.rejection_reason ?? '',
  };
  return csvRecord(CSV_COLUMNS.map((column) => values[column]));
}

function rowView<Row extends OverviewRow>(row: Row) {
  return {
    ...row,
    typeLabel: TRANSACTION_TYPES[row.type] ?? row.type,
    statusLabel: STATUS_LABELS[row.status],
    submitted: new Date(row.submitted_at).toISOString().slice(0, 16).replace('T', ' '),
    updated: new Date(row.updated_at).toISOString().slice(0, 16).replace('T', ' '),
  };
}

export function transactionsRouter(context: AppContext): Router {
  const router = Router();

  // GET /transactions — Status Tracking Overview: filter by status, type and dates; sort; page by keyset.
  router.get('/transactions', signedIn, (req, res) => {
    const query = parseOverviewQuery(context, req);
    const result = transactionOverview(context, req.user!, query);
    const url = (extra: Record<string, string>) => `/transactions?${new URLSearchParams({ ...query.link, ...extra })}`;
    const sortUrl = (sort: OverviewSort) => {
      const params = { ...query.link };
      delete params.sort;
      delete params.dir;
      if (sort !== 'submitted') params.sort = sort;
      if (query.sort === sort && query.descending) params.dir = 'asc';
      return `/transactions?${new URLSearchParams(params)}`;
    };
    res.status(Object.keys(query.errors).length > 0 ? 400 : 200).render('transactions/overview', {
      title: 'Status Tracking Overview',
      rows: result.rows.map(rowView),
      scopeAll: visibleScope(req.user!).submittedByPaId === undefined,
      query, errors: query.errors,
      values: { status: single(req.query.status), type: single(req.query.type), from: single(req.query.from), to: single(req.query.to), account: single(req.query.account) },
      accounts: overviewAccounts(context, req.user!),
      nextUrl: result.next ? url({ after: encodeCursor(result.next) }) : null,
      previousUrl: result.previous ? url({ before: encodeCursor(result.previous) }) : null,
      firstUrl: query.after || query.before ? url({}) : null,
      csvUrl: `/transactions.csv?${new URLSearchParams(query.link)}`,
      sortUrl, statuses: TRANSACTION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
      types: Object.entries(TRANSACTION_TYPES).map(([value, label]) => ({ value, label })),
    });
  });

  // GET /transactions.csv — the filtered overview as CSV, streamed a chunk at a time.
  router.get('/transactions.csv', signedIn, async (req, res) => {
    const query = parseOverviewQuery(context, req);
    res.status(200);
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="transactions-${new Date(context.clock.nowMs()).toISOString().slice(0, 10)}.csv"`);
    res.write(`${UTF8_BOM}${CSV_COLUMNS.join(',')}\r\n`);
    for (const chunk of exportRows(context, req.user!, query)) {
      if (!res.write(chunk.map(csvLine).join(''))) await once(res, 'drain');
      if (res.destroyed) return;
    }
    res.end();
  });

  // GET /transactions/search?q= — find by tracking number in any spelling; a partial number lists matches.
  router.get('/transactions/search', signedIn, (req, res) => {
    const typed = single(req.query.q).slice(0, 40);
    const outcome = typed ? searchTracking(context, req.user!, typed) : { kind: 'invalid' as const };
    if (outcome.kind === 'found') return res.redirect(303, `/transactions/${outcome.trackingNumber}`);
    const status = outcome.kind === 'matches' ? 200 : outcome.kind === 'not_found' ? 404 : 400;
    res.status(status).render('transactions/search', {
      title: 'Tracking number search', typed, outcome, rows: outcome.kind === 'matches' ? outcome.rows.map(rowView) : [],
    });
  });

  // GET /transactions/:trackingNumber — one transaction and every change of its status.
  router.get('/transactions/:trackingNumber', signedIn, (req, res) => {
    const { transaction, events } = transactionWithHistory(context, req.user!, String(req.params.trackingNumber));
    const details = JSON.parse(transaction.details) as Record<string, unknown>;
    res.render('transactions/detail', {
      title: `Transaction ${transaction.tracking_number}`,
      transaction: rowView(transaction),
      justSubmitted: req.query.submitted === '1',
      details, formatCents,
      events: events.map((event) => ({ ...event, statusLabel: STATUS_LABELS[event.status], when: new Date(event.at).toISOString().slice(0, 16).replace('T', ' ') })),
    });
  });

  return router;
}
