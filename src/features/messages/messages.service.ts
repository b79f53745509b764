// Secure messages: a PA writes to the help desk in a thread that is a transaction with a tracking
// number; an agent answers (the PA is told by e-mail, without the answer); either side closes it.
// The help desk promises an answer within a business day of the simulated clock; a thread that
// waits longer is marked overdue and escalated to the supervisors.
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { addBusinessDays } from '../../lib/business-days';
import { parseTrackingQuery } from '../../lib/tracking-number';
import type { SignedInAdministrator } from '../accounts/sign-in.service';
import { paRef, recordAudit } from '../audit/audit.service';
import { escalateOverdueThread } from '../helpdesk/escalations.service';
import { staffRef, type SignedInStaff } from '../helpdesk/staff-auth.service';
import { recordJournalEvent } from '../journal/journal.service';
import { STORED_LINK_ORIGIN } from '../outbox/outbox.service';
import { advanceByHand, submitTransaction } from '../transactions/lifecycle';
import { STATUS_LABELS } from '../transactions/transaction-types';
import { messageReplyEmail } from './message-emails';
import { ANSWER_BUSINESS_DAYS, MESSAGE_TOPICS, type MessageTopic } from './message-topics';
import {
  closeThread, findThreadByTrackingNumber, insertMessage, insertThread, markOverdueThreads, messagesOf, openThreadCount, openThreads,
  recordAnswer, recordWriterMessage, threadsOf, trackingNumberOf, type ThreadView,
} from './messages.repository';

/** The threads a PA's list shows at most; the Status Tracking Overview pages through all of them. */
const THREAD_LIST_LIMIT = 100;
/** Open threads the help-desk inbox shows at most, the oldest first. */
const INBOX_LIMIT = 50;
const HOUR_MS = 3_600_000;

const NOT_FOUND_MESSAGE = 'We could not find a secure message with that tracking number.';
const minute = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ');

function age(now: number, since: number): string {
  const hours = Math.max(0, Math.floor((now - since) / HOUR_MS));
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;
}

/** A thread as a page shows it. */
function describe(thread: ThreadView, now: number) {
  return {
    ...thread,
    topicLabel: MESSAGE_TOPICS[thread.topic as MessageTopic] ?? thread.topic,
    statusLabel: thread.closed_at !== null ? 'Closed' : STATUS_LABELS[thread.status],
    open: thread.closed_at === null,
    overdue: thread.overdue_at !== null && thread.closed_at === null,
    awaitingAnswer: thread.answer_due_at !== null,
    lastActivity: minute(thread.last_activity_at),
    opened: minute(thread.opened_at),
    answerDue: thread.answer_due_at === null ? null : minute(thread.answer_due_at),
    age: age(now, thread.opened_at),
  };
}

export type DescribedThread = ReturnType<typeof describe>;

function withMessages(context: AppContext, thread: ThreadView, now: number) {
  return {
    thread: describe(thread, now),
    messages: messagesOf(context.db, thread.id).map((m) => ({ ...m, fromHelpDesk: m.author.startsWith('staff:'), when: minute(m.sent_at) })),
  };
}

function findByTyped(context: AppContext, typed: string): ThreadView | undefined {
  const parsed = parseTrackingQuery(typed.slice(0, 40));
  return parsed.kind === 'full' ? findThreadByTrackingNumber(context.db, parsed.trackingNumber) : undefined;
}

/** Only the PA's company; only their own threads unless they may see every request of it. */
function visibleTo(user: SignedInAdministrator, thread: ThreadView | undefined): thread is ThreadView {
  if (!thread || thread.company_id !== user.companyId) return false;
  return user.permissions.includes('transactions.view_all') || thread.pa_id === user.id;
}

/** A thread the PA may see; any other answers as one that does not exist. */
function visibleThread(context: AppContext, user: SignedInAdministrator, typed: string): ThreadView {
  const thread = findByTyped(context, typed);
  if (!visibleTo(user, thread)) throw notFound(NOT_FOUND_MESSAGE);
  return thread;
}

const closedError = () => new AppError(409, 'thread_closed', 'This conversation is closed. Write a new message if you need more help.');

/** The PA's threads (the company's, with transactions.view_all), the latest activity first. */
export function threadList(context: AppContext, user: SignedInAdministrator, now: number): DescribedThread[] {
  const scope = user.permissions.includes('transactions.view_all') ? { companyId: user.companyId } : { companyId: user.companyId, paId: user.id };
  return threadsOf(context.db, scope, THREAD_LIST_LIMIT).map((thread) => describe(thread, now));
}

export function threadForWriter(context: AppContext, user: SignedInAdministrator, typed: string, now: number) {
  return withMessages(context, visibleThread(context, user, typed), now);
}

export interface NewThread {
  subject: string;
  topic: MessageTopic;
  body: string;
}

/** Opens a thread: a transaction of its own, the first message, and the promise of an answer. */
export function startThread(context: AppContext, user: SignedInAdministrator, input: NewThread, now: number): string {
  const { db } = context;
  return db.tx(() => {
    const submitted = submitTransaction(context, {
      companyId: user.companyId, type: 'secure_message', submittedBy: paRef(user.id), submittedByPaId: user.id,
      summary: `Secure message: ${input.subject}`, details: { topic: input.topic },
    }, now);
    const threadId = insertThread(db, {
      transaction_id: submitted.id, company_id: user.companyId, pa_id: user.id, subject: input.subject, topic: input.topic,
      opened_at: now, last_activity_at: now, answer_due_at: addBusinessDays(now, ANSWER_BUSINESS_DAYS),
    });
    insertMessage(db, { threadId, author: paRef(user.id), body: input.body, at: now });
    recordJournalEvent(db, { at: now, type: 'message.sent', actor: paRef(user.id), subject: `transaction:${submitted.trackingNumber}`,
      data: { trackingNumber: submitted.trackingNumber, topic: input.topic, first: true } });
    return submitted.trackingNumber;
  });
}

/** The PA writes again in an open thread; an answer is promised within a business day of the first unanswered message. */
export function replyAsWriter(context: AppContext, user: SignedInAdministrator, typed: string, body: string, now: number): string {
  const { db } = context;
  const thread = visibleThread(context, user, typed);
  db.tx(() => {
    if (!recordWriterMessage(db, thread.id, now, addBusinessDays(now, ANSWER_BUSINESS_DAYS))) throw closedError();
    insertMessage(db, { threadId: thread.id, author: paRef(user.id), body, at: now });
    recordJournalEvent(db, { at: now, type: 'message.sent', actor: paRef(user.id), subject: `transaction:${thread.tracking_number}`,
      data: { trackingNumber: thread.tracking_number, topic: thread.topic, first: false } });
  });
  return thread.tracking_number;
}

/** Closes a thread: its transaction completes, whoever closes it. Call inside a db.tx. */
function close(context: AppContext, thread: ThreadView, actor: string, now: number): void {
  if (!closeThread(context.db, thread.id, now)) throw new AppError(409, 'thread_closed', 'This conversation is already closed.');
  const moved = advanceByHand(context.db, thread.transaction_id, 'in_progress', 'completed', actor, 'Conversation closed.', now)
    || advanceByHand(context.db, thread.transaction_id, 'submitted', 'completed', actor, 'Conversation closed.', now);
  if (!moved) throw new Error(`The transaction of secure message ${thread.tracking_number} was neither submitted nor in progress.`);
}

export function closeAsWriter(context: AppContext, user: SignedInAdministrator, typed: string, now: number): string {
  const thread = visibleThread(context, user, typed);
  context.db.tx(() => close(context, thread, paRef(user.id), now));
  return thread.tracking_number;
}

/** The help desk's inbox: open threads of every company, the oldest first, with how many are open. */
export function helpdeskInbox(context: AppContext, now: number) {
  return { threads: openThreads(context.db, INBOX_LIMIT).map((thread) => describe(thread, now)), openCount: openThreadCount(context.db) };
}

/** A thread as the help desk sees it: what it contains, and who wrote it; never an account secret. */
export function threadForStaff(context: AppContext, typed: string, now: number) {
  const thread = findByTyped(context, typed);
  if (!thread) throw notFound(NOT_FOUND_MESSAGE);
  return withMessages(context, thread, now);
}

/**
 * An agent answers: the thread no longer waits, its transaction is in progress, and the writer is
 * told by e-mail that an answer arrived. Messages are the company's own record, so answering needs
 * no caller verification.
 */
export function answerAsStaff(context: AppContext, staff: SignedInStaff, typed: string, body: string, sourceIp: string | null, now: number): string {
  const { db } = context;
  const thread = findByTyped(context, typed);
  if (!thread) throw notFound(NOT_FOUND_MESSAGE);
  const threadUrl = `${STORED_LINK_ORIGIN}/messages/${thread.tracking_number}`;
  db.tx(() => {
    if (!recordAnswer(db, thread.id, now)) throw new AppError(409, 'thread_closed', 'This conversation is closed; the PA can write a new message.');
    insertMessage(db, { threadId: thread.id, author: staffRef(staff.id), body, at: now });
    advanceByHand(db, thread.transaction_id, 'submitted', 'in_progress', staffRef(staff.id), 'Answered by the Help Desk.', now);
    recordJournalEvent(db, { at: now, type: 'message.replied', actor: staffRef(staff.id), subject: `transaction:${thread.tracking_number}`,
      data: { trackingNumber: thread.tracking_number } });
    recordAudit(db, { at: now, actor: staffRef(staff.id), action: 'helpdesk.message_answered', subject: paRef(thread.pa_id), outcome: 'success', sourceIp,
      details: { trackingNumber: thread.tracking_number } });
    context.outbox.send(messageReplyEmail({ to: thread.writer_email, firstName: thread.writer_first_name, subject: thread.subject, trackingNumber: thread.tracking_number, threadUrl }));
  });
  return thread.tracking_number;
}

export function closeAsStaff(context: AppContext, staff: SignedInStaff, typed: string, sourceIp: string | null, now: number): string {
  const thread = findByTyped(context, typed);
  if (!thread) throw notFound(NOT_FOUND_MESSAGE);
  context.db.tx(() => {
    close(context, thread, staffRef(staff.id), now);
    recordAudit(context.db, { at: now, actor: staffRef(staff.id), action: 'helpdesk.message_closed', subject: paRef(thread.pa_id), outcome: 'success', sourceIp,
      details: { trackingNumber: thread.tracking_number } });
  });
  return thread.tracking_number;
}

/**
 * Marks every thread whose promised answer time passed by `now` overdue, as of that moment, and
 * escalates it to the supervisors. The marking decides: a thread is escalated once per wait.
 */
export function escalateOverdueThreads(context: AppContext, now: number): number {
  const { db } = context;
  return db.tx(() => {
    const overdue = markOverdueThreads(db, now).sort((a, b) => a.overdue_at! - b.overdue_at! || a.id - b.id);
    for (const thread of overdue) {
      const trackingNumber = trackingNumberOf(db, thread.transaction_id);
      recordJournalEvent(db, { at: thread.overdue_at!, type: 'message.overdue', actor: 'system', subject: `transaction:${trackingNumber}`,
        data: { trackingNumber } });
      escalateOverdueThread(context, { threadId: thread.id, trackingNumber, companyId: thread.company_id, paId: thread.pa_id, overdueAt: thread.overdue_at! });
    }
    return overdue.length;
  });
}
