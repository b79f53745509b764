// The transaction builder: a script records a transaction of any type in any status with its history
// in one call, in the shape of a scenario file's, and the clock carries on from there as it would
// with the portal's own request.
import type { AppContext } from '../../context';
import { addBusinessDays } from '../../lib/business-days';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { findAdministratorByUserId } from '../accounts/accounts.repository';
import { findCard } from '../cards/cards.repository';
import { actorResolver, insertSeededTransaction } from '../scenarios/seed-records';
import { PICKUP_DELAY_MS } from '../transactions/lifecycle';
import type { TransactionBuildInput } from './sim-schemas';
import { companyNamed } from './sim.repository';

const MINUTE_MS = 60_000;

/** A registered PA of the company, or help-desk staff; anyone else is 404, a PA of another company 409. */
function checkSubmitter(context: AppContext, companyId: number, submittedBy: string): void {
  const { db } = context;
  if (submittedBy.startsWith('staff:')) {
    const staffId = submittedBy.slice('staff:'.length);
    if (!db.get('SELECT 1 FROM staff_users WHERE staff_id = ?', staffId)) throw notFound(`There are no help-desk staff with the staff ID "${staffId}".`);
    return;
  }
  const pa = findAdministratorByUserId(db, submittedBy);
  if (!pa) throw notFound(`There is no registered Program Administrator with the user ID "${submittedBy}".`);
  if (pa.company_id !== companyId) throw new AppError(409, 'wrong_company', `${submittedBy} is not a Program Administrator of the transaction's company.`);
}

export function createTransaction(context: AppContext, input: TransactionBuildInput) {
  const { db, clock } = context;
  const company = companyNamed(db, input.company);
  if (!company) throw notFound(`There is no company "${input.company}".`);
  checkSubmitter(context, company.id, input.submittedBy);
  if (input.card !== undefined) {
    const card = findCard(db, input.card);
    if (!card) throw notFound('There is no card with that id.');
    if (card.company_id !== company.id) throw new AppError(409, 'wrong_company', 'The card is not of the transaction\'s company.');
  }
  const completion = context.transactions.completionOf(input.type);
  // Only the clock's own types may fall due: it refuses to move any other.
  if (input.dueInMinutes !== undefined && completion.kind !== 'handler') {
    throw badRequest('invalid_input', 'The request is not valid.', { dueInMinutes: `The clock does not move a ${input.type} transaction.` });
  }
  const now = clock.nowMs();
  const submittedAt = now - input.events[0]!.minutesAgo * MINUTE_MS;
  const lastAt = now - input.events.at(-1)!.minutesAgo * MINUTE_MS;
  let nextDueAt: number | null = null;
  if (completion.kind === 'handler' && (input.status === 'submitted' || input.status === 'in_progress')) {
    // Absent a chosen time, when the portal's own request would next move: picked up an hour after
    // submission, done after its business days; a time already past is due at the next move of the clock.
    if (input.dueInMinutes !== undefined) nextDueAt = now + input.dueInMinutes * MINUTE_MS;
    else if (input.status === 'submitted') nextDueAt = submittedAt + PICKUP_DELAY_MS;
    else nextDueAt = Math.max(addBusinessDays(submittedAt, completion.handler.businessDays(input.details)), lastAt + 1);
  }
  const { company: _named, card, dueInMinutes: _due, ...transaction } = input;
  const built = db.tx(() => insertSeededTransaction(db, { ...transaction, companyId: company.id, cardId: card ?? null, nextDueAt }, actorResolver(db), now));
  return {
    trackingNumber: built.trackingNumber, company: company.name, type: input.type, status: input.status, cardId: card ?? null,
    nextDueAt: nextDueAt === null ? null : new Date(nextDueAt).toISOString(),
  };
}
