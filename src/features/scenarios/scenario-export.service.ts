// A sandbox's current state written as a scenario document, every time relative to its simulated
// now, so that a state reached by hand can be loaded and replayed. Exporting what export wrote, once
// loaded, gives the same document again. Secrets are stored hashed: only those the sandbox's own
// scenario seeded and the passwords personas set through the portal are known in clear.
import { approvalRulesForScenario, approvalRulesFrom } from '../approvals/approval-rules';
import type { ScenarioDefinition } from '../../../seed/scenario';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { textablePhone } from '../../lib/phone-number';
import {
  administratorsForExport, cardsForExport, controlAccountsForExport, chargesForExport, companiesForExport, eventsForExport, exportCounts, invitationsForExport,
  reportSubscriptionsForExport, staffForExport, threadMessagesForExport,
  threadsForExport, transactionsForExport,
} from './scenario-export.repository';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The format's own bounds (scenario-schema.ts): a larger state would not load again. */
const MAX_EXPORTED = { pas: 1_000, cards: 5_000, transactions: 5_000, maxCharges: 1_000 };
const MAX_DAYS_AGO = 3_650;
/** What export writes for a secret it does not know in clear; the document's description says so. */
export const UNKNOWN_SECRETS = { password: 'Unknown-Password-1', verificationPin: '0000', verificationWord: 'unknown' };

const daysAgo = (now: number, at: number) => Math.min(MAX_DAYS_AGO, Math.max(0, Math.round((now - at) / DAY_MS)));
const minutesAgo = (now: number, at: number) => Math.min(MAX_DAYS_AGO * 1_440, Math.max(0, Math.round((now - at) / MINUTE_MS)));
/** Node 20 has no Map.groupBy. */
function groupBy<T>(rows: T[], keyOf: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(keyOf(row));
    if (group) group.push(row);
    else groups.set(keyOf(row), [row]);
  }
  return groups;
}
const asKey = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'key';

/** The document; `seeded` is the scenario the sandbox was loaded from, whose secrets are known in clear. */
export function exportScenario(context: AppContext, name: string, seeded: ScenarioDefinition | undefined): Record<string, unknown> {
  const { db } = context;
  const now = context.clock.nowMs();
  const counts = exportCounts(db);
  const over = (Object.keys(MAX_EXPORTED) as Array<keyof typeof MAX_EXPORTED>).filter((what) => counts[what] > MAX_EXPORTED[what]);
  if (over.length > 0) throw new AppError(409, 'too_large_to_export', `The sandbox holds more than a scenario document may (${over.join(', ')}).`);

  const companyKeys = new Map(companiesForExport(db).map((c) => [c.id, { key: asKey(c.program_number), row: c }]));
  const accounts = controlAccountsForExport(db);
  // An account's key is its number, unless two companies use the same number.
  const numberCounts = new Map<string, number>();
  for (const account of accounts) numberCounts.set(asKey(account.number), (numberCounts.get(asKey(account.number)) ?? 0) + 1);
  const accountKeys = new Map(accounts.map((account) => {
    const key = asKey(account.number);
    return [account.id, numberCounts.get(key) === 1 ? key : asKey(`${companyKeys.get(account.company_id)!.key}.${account.number}`)];
  }));
  const seededPas = new Map((seeded?.programAdministrators ?? []).map((pa) => [pa.userId, pa]));
  const seededStaff = new Map((seeded?.staff ?? []).map((s) => [s.staffId, s]));
  const pas = administratorsForExport(db);
  const userIds = new Map(pas.map((pa) => [pa.id, pa.user_id ?? pa.persona_key ?? `pa-${pa.id}`]));
  const staff = staffForExport(db);
  const staffIds = new Map(staff.map((s) => [s.id, s.staff_id]));
  const person = (stored: string): string => {
    const [kind, id] = stored.split(':');
    if (kind === 'pa') return userIds.get(Number(id)) ?? stored;
    if (kind === 'staff') return staffIds.has(Number(id)) ? `staff:${staffIds.get(Number(id))}` : stored;
    return stored;
  };
  const cards = cardsForExport(db);
  const cardKeys = new Map(cards.map((card, index) => [card.id, `card-${index + 1}`]));
  const charges = groupBy(chargesForExport(db), (charge) => charge.card_id);
  const events = groupBy(eventsForExport(db), (event) => event.transaction_id);
  const threadMessages = groupBy(threadMessagesForExport(db), (message) => message.thread_id);

  return {
    name,
    description: `Exported at ${new Date(now).toISOString()}. Secrets not known in clear (set outside the scenario and not kept for personas) are written as password "${UNKNOWN_SECRETS.password}", PIN "${UNKNOWN_SECRETS.verificationPin}" and word "${UNKNOWN_SECRETS.verificationWord}".`,
    clockStart: new Date(now).toISOString(),
    companies: [...companyKeys.values()].map(({ key, row }) => ({ key, name: row.name, programNumber: row.program_number, maxCardLimitCents: row.max_card_limit_cents,
      ...(row.require_two_step === 1 ? { requireTwoStep: true } : {}),
      ...withApprovalRules(approvalRulesForScenario(approvalRulesFrom(row))) })),
    controlAccounts: accounts.map((account) => ({
      key: accountKeys.get(account.id)!, company: companyKeys.get(account.company_id)!.key,
      ...(account.parent_id === null ? {} : { parent: accountKeys.get(account.parent_id)! }), number: account.number, name: account.name,
    })),
    programAdministrators: pas.map((pa) => {
      const userId = userIds.get(pa.id)!;
      const known = pa.persona_key === null ? undefined : seededPas.get(pa.persona_key);
      // The help desk may have written the phone for people to read: the scenario holds the number texts go to.
      const phone = textablePhone(pa.phone);
      return {
        userId, company: companyKeys.get(pa.company_id)!.key, firstName: pa.first_name, lastName: pa.last_name, email: pa.email,
        ...(phone === undefined ? {} : { phone }),
        ...(pa.two_step_channel === null ? {} : { twoStep: pa.two_step_channel }),
        primary: pa.is_primary === 1, state: pa.state, permissions: pa.permissions ? pa.permissions.split(',') : [],
        password: pa.portal_password ?? known?.password ?? UNKNOWN_SECRETS.password,
        verificationPin: known?.verificationPin ?? UNKNOWN_SECRETS.verificationPin,
        verificationWord: known?.verificationWord ?? UNKNOWN_SECRETS.verificationWord,
        ...(pa.state === 'pending' && known?.accessCode ? { accessCode: known.accessCode } : {}),
        ...(pa.state !== 'pending' && pa.last_login_at !== null ? { lastLoginDaysAgo: daysAgo(now, pa.last_login_at) } : {}),
        ...(pa.scope === null ? {} : { scope: pa.scope.split(',').map((id) => accountKeys.get(Number(id))!) }),
      };
    }),
    staff: staff.map((s) => ({ staffId: s.staff_id, name: s.name, email: s.email, role: s.role, password: seededStaff.get(s.staff_id)?.password ?? UNKNOWN_SECRETS.password })),
    cards: cards.map((card) => ({
      key: cardKeys.get(card.id)!, company: companyKeys.get(card.company_id)!.key, cardmemberName: card.cardmember_name, tier: card.tier, state: card.state,
      limitDollars: card.limit_cents / 100,
      ...(card.temp_limit_cents !== null && card.temp_limit_ends_at !== null && card.temp_limit_ends_at > now
        ? { temporaryLimit: { dollars: card.temp_limit_cents / 100, endsInDays: Math.max(1, Math.ceil((card.temp_limit_ends_at - now) / DAY_MS)) } }
        : {}),
      openedDaysAgo: daysAgo(now, card.opened_at),
      ...(card.control_account_id === null ? {} : { controlAccount: accountKeys.get(card.control_account_id)! }),
      charges: (charges.get(card.id) ?? []).map((charge) => ({
        merchant: charge.merchant, dollars: charge.amount_cents / 100, daysAgo: daysAgo(now, charge.at),
        ...(charge.status === 'declined' ? { declined: charge.decline_reason ?? 'Declined' } : {}),
      })),
    })),
    history: [],
    transactions: transactionsForExport(db).map((t) => ({
      trackingNumber: t.tracking_number, company: companyKeys.get(t.company_id)!.key, type: t.type, status: t.status, submittedBy: person(t.submitted_by),
      ...(t.card_id !== null && cardKeys.has(t.card_id) ? { card: cardKeys.get(t.card_id) } : {}),
      summary: t.summary, details: JSON.parse(t.details) as unknown,
      ...(t.rejection_reason !== null && t.status === 'rejected' ? { rejectionReason: t.rejection_reason } : {}),
      ...(t.next_due_at !== null ? { dueInMinutes: Math.max(0, Math.ceil((t.next_due_at - now) / MINUTE_MS)) } : {}),
      events: (events.get(t.id) ?? []).map((e) => ({ minutesAgo: minutesAgo(now, e.at), status: e.status, actor: person(e.actor), ...(e.note !== null ? { note: e.note } : {}) })),
    })),
    messageThreads: threadsForExport(db).map((thread) => ({
      trackingNumber: thread.tracking_number, submittedBy: userIds.get(thread.pa_id)!, subject: thread.subject, topic: thread.topic,
      ...(thread.closed_at !== null ? { closedMinutesAgo: minutesAgo(now, thread.closed_at) } : {}),
      messages: (threadMessages.get(thread.id) ?? []).map((m) => ({ from: person(m.author), body: m.body, minutesAgo: minutesAgo(now, m.sent_at) })),
    })),
    // The link's token is kept only hashed: a loaded invitation gets a new link, in the outbox as before.
    invitations: invitationsForExport(db).map((invitation) => ({
      invitedBy: invitation.invited_by ?? '', employeeName: invitation.employee_name, employeeEmail: invitation.employee_email,
      controlAccount: accountKeys.get(invitation.control_account_id)!, tier: invitation.tier, limitDollars: invitation.limit_cents / 100,
      invitedDaysAgo: Math.min(13, Math.floor((now - invitation.invited_at) / DAY_MS)),
    })),
    // A loaded subscription is next due at the first due time after the clock's start, as the one exported is.
    reportSubscriptions: reportSubscriptionsForExport(db).map((subscription) => {
      const filters = JSON.parse(subscription.filters) as { account?: string; reason?: string };
      const account = filters.account === undefined ? undefined
        : accounts.find((candidate) => candidate.company_id === subscription.company_id && candidate.number === filters.account);
      return {
        subscriber: subscription.user_id ?? '', report: subscription.report, frequency: subscription.frequency,
        ...(account ? { account: accountKeys.get(account.id)! } : {}), ...(filters.reason === undefined ? {} : { reason: filters.reason }),
      };
    }),
  };
}

function withApprovalRules(rules: Record<string, unknown> | undefined): { approvalRules?: Record<string, unknown> } {
  return rules ? { approvalRules: rules } : {};
}
