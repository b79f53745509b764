// A scenario's secure-message threads, written as they stand: the transaction each is, with the
// status history its messages imply, and the answer the help desk still owes, if any.
import type { Database } from '../../db/database';
import { addBusinessDays } from '../../lib/business-days';
import { formatTrackingNumber } from '../../lib/tracking-number';
import { actorResolver } from '../scenarios/seed-records';
import type { MessageThreadSeed } from '../scenarios/scenario-schema';
import { TRACKING_SEQUENCE_START } from '../transactions/lifecycle';
import { insertTransaction, insertTransactionEvent, nextSequenceValue } from '../transactions/transactions.repository';
import type { TransactionStatus } from '../transactions/transaction-types';
import { ANSWER_BUSINESS_DAYS } from './message-topics';
import { companyOfAdministrator, insertMessage, insertThread } from './messages.repository';

const MINUTE_MS = 60_000;

/** Writes the threads after the scenario's people and transactions. Call inside a db.tx. */
export function seedMessageThreads(db: Database, threads: MessageThreadSeed[], now: number): void {
  if (threads.length === 0) return;
  const resolve = actorResolver(db);
  const at = (minutesAgo: number) => now - minutesAgo * MINUTE_MS;
  const written = threads.flatMap((t) => (t.trackingNumber ? [Number(t.trackingNumber.slice(2, -1))] : []));
  if (written.length > 0) {
    db.run(`INSERT INTO sequences (name, value) VALUES ('tracking_number', ?)
            ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)`, Math.max(...written));
  }
  for (const thread of threads) {
    const writer = resolve(thread.submittedBy);
    const companyId = companyOfAdministrator(db, writer.paId!);
    const messages = thread.messages.map((m) => ({ author: resolve(m.from).actor, body: m.body, at: at(m.minutesAgo) }));
    const firstAnswer = messages.find((m) => m.author.startsWith('staff:'));
    const closedAt = thread.closedMinutesAgo === undefined ? null : at(thread.closedMinutesAgo);
    const lastAnswerIndex = messages.findLastIndex((m) => m.author.startsWith('staff:'));
    const waiting = messages[lastAnswerIndex + 1];
    const status: TransactionStatus = closedAt !== null ? 'completed' : firstAnswer ? 'in_progress' : 'submitted';
    const trackingNumber = thread.trackingNumber ?? formatTrackingNumber(nextSequenceValue(db, 'tracking_number', TRACKING_SEQUENCE_START));
    const lastActivity = closedAt ?? messages.at(-1)!.at;
    const transactionId = insertTransaction(db, {
      tracking_number: trackingNumber, company_id: companyId, type: 'secure_message', status, submitted_by: writer.actor, submitted_by_pa_id: writer.paId,
      card_id: null, charge_id: null, subject_pa_id: null, summary: `Secure message: ${thread.subject}`, details: JSON.stringify({ topic: thread.topic }),
      rejection_reason: null, submitted_at: messages[0]!.at, updated_at: lastActivity, next_due_at: null,
    });
    insertTransactionEvent(db, { transaction_id: transactionId, at: messages[0]!.at, status: 'submitted', actor: writer.actor, note: null });
    if (firstAnswer) insertTransactionEvent(db, { transaction_id: transactionId, at: firstAnswer.at, status: 'in_progress', actor: firstAnswer.author, note: 'Answered by the Help Desk.' });
    if (closedAt !== null) insertTransactionEvent(db, { transaction_id: transactionId, at: closedAt, status: 'completed', actor: writer.actor, note: 'Conversation closed.' });
    const threadId = insertThread(db, {
      transaction_id: transactionId, company_id: companyId, pa_id: writer.paId!, subject: thread.subject, topic: thread.topic,
      opened_at: messages[0]!.at, last_activity_at: lastActivity,
      answer_due_at: closedAt === null && waiting ? addBusinessDays(waiting.at, ANSWER_BUSINESS_DAYS) : null, closed_at: closedAt,
    });
    for (const message of messages) insertMessage(db, { threadId, author: message.author, body: message.body, at: message.at });
  }
}
