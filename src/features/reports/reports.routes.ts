// Reports (reports.view): declined charges, spend by control account and month, open requests by
// age; each a page and a CSV, and the PA's subscriptions to scheduled delivery by e-mail.
import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { requirePermission } from '../../http/access';
import { addFlash } from '../../http/sessions';
import { parseInput } from '../../http/validation';
import { maskCardNumber } from '../cards/card-numbers';
import { badRequest, type FieldErrors } from '../../lib/errors';
import { formatCents } from '../../lib/money';
import type { Frequency, ReportName } from './reports.repository';
import {
  AGE_BUCKETS, REPORT_TITLES, csvHead, declinesReport, openRequestsReport, reportAccountNamed, reportAccounts, reportCsvRecords, reportDeclineReasons,
  spendReport, transactionTypeLabel, type DeclineFilters, type ReportInput,
} from './reports.service';
import { FREQUENCIES, subscribe, subscriptionFilters, subscriptionsFor, unsubscribe, type SubscriptionFilters } from './subscriptions.service';

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const single = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 200) : '');
const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const dayOf = (text: string): number | undefined => {
  if (!DATE.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00.000Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(text) ? ms : undefined;
};

interface ParsedDeclines {
  filters: DeclineFilters;
  /** The filters as they appear in links. */
  link: Record<string, string>;
  values: Record<string, string>;
  errors: FieldErrors;
  after?: [number, number] | undefined;
}

/** The declines report's filters from a query or a form, each field's problem named; a field at fault is left out. */
function parseDeclines(context: AppContext, req: Request, source: Record<string, unknown>): ParsedDeclines {
  const values = { from: single(source.from), to: single(source.to), account: single(source.account).slice(0, 40), reason: single(source.reason) };
  const errors: FieldErrors = {};
  const filters: DeclineFilters = {};
  const link: Record<string, string> = {};
  for (const field of ['from', 'to'] as const) {
    if (!values[field]) continue;
    const ms = dayOf(values[field]);
    if (ms === undefined) errors[field] = 'Enter the date as YYYY-MM-DD.';
    else { link[field] = values[field]; if (field === 'from') filters.fromMs = ms; else filters.toMs = ms + DAY_MS; }
  }
  if (filters.fromMs !== undefined && filters.toMs !== undefined && filters.fromMs >= filters.toMs) {
    errors.to = 'The end date must not be before the start date.';
    delete filters.toMs;
    delete link.to;
  }
  if (values.account) {
    const account = reportAccountNamed(context, req.user!, values.account);
    if (!account) errors.account = 'Choose a control account from the list.';
    else { filters.account = account; link.account = account.number; }
  }
  if (values.reason) {
    if (!reportDeclineReasons(context, req.user!).includes(values.reason)) errors.reason = 'Choose a reason from the list.';
    else { filters.reason = values.reason; link.reason = values.reason; }
  }
  return { filters, link, values, errors, after: decodeCursor(single(source.after)) };
}

function decodeCursor(text: string): [number, number] | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(value) && value.length === 2 && value.every(Number.isSafeInteger) ? (value as [number, number]) : undefined;
  } catch {
    return undefined;
  }
}

const encodeCursor = (cursor: [number, number]): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

const subscriptionForm = z.object({
  report: z.unknown().transform(single).pipe(z.enum(['declines', 'spend', 'open_requests'], { error: 'Choose a report from the list.' })),
  frequency: z.unknown().transform(single).pipe(z.enum(['daily', 'weekly', 'monthly'], { error: 'Choose how often from the list.' })),
});

/** Streams a report's CSV, waiting for the client to drain each chunk; stops if they leave. */
async function sendCsv(context: AppContext, req: Request, res: Response, name: string, input: ReportInput): Promise<void> {
  const now = context.clock.nowMs();
  res.status(200);
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${name}-${new Date(now).toISOString().slice(0, 10)}.csv"`);
  res.write(csvHead(input.report));
  for await (const records of reportCsvRecords(context, req.user!, input, now)) {
    if (res.destroyed) return;
    if (!res.write(records.join(''))) await once(res, 'drain');
  }
  res.end();
}

export function reportsRouter(context: AppContext): Router {
  const router = Router();
  const views = requirePermission('reports.view');

  const renderIndex = (req: Request, res: Response, status: number, extra: { values?: Record<string, string>; errors?: FieldErrors } = {}) => {
    res.status(status).render('reports/index', {
      title: 'Reports', reports: REPORT_TITLES, subscriptions: subscriptionsFor(context, req.user!),
      frequencies: Object.entries(FREQUENCIES), accounts: reportAccounts(context, req.user!), reasons: reportDeclineReasons(context, req.user!),
      values: extra.values ?? {}, errors: extra.errors ?? {},
    });
  };

  // GET /reports — the three reports and the PA's subscriptions to them.
  router.get('/reports', views, (req, res) => renderIndex(req, res, 200));

  // GET /reports/declines — declined charges across the program, newest first, by date, control account and reason.
  router.get('/reports/declines', views, (req, res) => {
    const query = parseDeclines(context, req, req.query);
    const result = declinesReport(context, req.user!, query.filters, query.after);
    const url = (extra: Record<string, string>) => `/reports/declines?${new URLSearchParams({ ...query.link, ...extra })}`;
    res.status(Object.keys(query.errors).length > 0 ? 400 : 200).render('reports/declines', {
      title: REPORT_TITLES.declines, values: query.values, errors: query.errors,
      accounts: reportAccounts(context, req.user!), reasons: reportDeclineReasons(context, req.user!),
      rows: result.rows.map((row) => ({ ...row, when: when(row.at), card: maskCardNumber(row.card_number), amount: formatCents(row.amount_cents) })),
      nextUrl: result.next ? url({ after: encodeCursor(result.next) }) : null,
      firstUrl: query.after ? url({}) : null,
      csvUrl: `/reports/declines.csv?${new URLSearchParams(query.link)}`,
    });
  });

  // GET /reports/declines.csv — the filtered declines as CSV, streamed a chunk at a time.
  router.get('/reports/declines.csv', views, async (req, res) => {
    const query = parseDeclines(context, req, req.query);
    if (Object.keys(query.errors).length > 0) throw badRequest('invalid_input', 'Please correct the filters.', query.errors);
    await sendCsv(context, req, res, 'declines', { report: 'declines', filters: query.filters });
  });

  // GET /reports/spend — posted charges by control account and by month, the last 12 months.
  router.get('/reports/spend', views, async (req, res) => {
    const spend = await spendReport(context, req.user!, context.clock.nowMs());
    res.render('reports/spend', {
      title: REPORT_TITLES.spend,
      months: spend.months.map((m) => ({ ...m, total: formatCents(m.total_cents) })),
      accounts: spend.accounts.map((a) => ({ ...a, total: formatCents(a.total_cents) })),
    });
  });

  // GET /reports/spend.csv — spend of each control account in each month, as CSV.
  router.get('/reports/spend.csv', views, (req, res) => sendCsv(context, req, res, 'spend', { report: 'spend' }));

  // GET /reports/open-requests — open requests (submitted, in progress) by age, as in Status Tracking.
  router.get('/reports/open-requests', views, async (req, res) => {
    const now = context.clock.nowMs();
    const report = await openRequestsReport(context, req.user!, now);
    res.render('reports/open-requests', {
      title: REPORT_TITLES.open_requests, buckets: report.buckets, total: report.total, bucketLabels: Object.fromEntries(AGE_BUCKETS.map((b) => [b.id, b.label])),
      oldest: report.oldest.map((row) => ({ ...row, typeLabel: transactionTypeLabel(row.type), submitted: when(row.submitted_at) })),
    });
  });

  // GET /reports/open-requests.csv — every open request with its age, as CSV.
  router.get('/reports/open-requests.csv', views, (req, res) => sendCsv(context, req, res, 'open-requests', { report: 'open_requests' }));

  // POST /reports/subscriptions — subscribe a report daily, weekly or monthly (a declines report with its account and reason).
  router.post('/reports/subscriptions', views, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { report: single(body.report), frequency: single(body.frequency), account: single(body.account), reason: single(body.reason) };
    const form = parseInput(subscriptionForm, body);
    const errors: FieldErrors = form.ok ? {} : { ...form.errors };
    let filters: SubscriptionFilters = {};
    if (form.ok && form.data.report === 'declines') {
      const declines = subscriptionFilters(context, req.user!, { account: values.account.slice(0, 40), reason: values.reason });
      Object.assign(errors, declines.errors);
      filters = declines.filters;
    }
    if (!form.ok || Object.keys(errors).length > 0) return renderIndex(req, res, 400, { values, errors });
    const made = subscribe(context, req.user!, form.data.report as ReportName, form.data.frequency as Frequency, filters);
    addFlash(req, 'notice', `Subscribed: ${made.title}, ${made.frequencyLabel.toLowerCase()}. The first e-mail is due ${made.nextDueAt.slice(0, 16).replace('T', ' ')} UTC.`);
    res.redirect(303, '/reports');
  });

  // POST /reports/subscriptions/:id/delete — end one of the PA's own subscriptions.
  router.post('/reports/subscriptions/:id/delete', views, (req, res) => {
    const id = Number(req.params.id);
    unsubscribe(context, req.user!, Number.isSafeInteger(id) ? id : -1);
    addFlash(req, 'notice', 'The subscription is deleted.');
    res.redirect(303, '/reports');
  });

  return router;
}
