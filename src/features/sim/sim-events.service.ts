// Events a QA script makes happen: a fraud alert, a charge or a decline on a card.
import type { AppContext } from '../../context';
import { AppError, notFound } from '../../lib/errors';
import { paRef, recordAudit } from '../audit/audit.service';
import { findAdministratorByUserId } from '../accounts/accounts.repository';
import { accountNoticeEmail } from '../accounts/emails';
import { FRAUD_LINE_PHONE } from '../../http/locals';
import { textablePhone } from '../../lib/phone-number';
import { findCard, insertCharge } from '../cards/cards.repository';

/** Suspends a PA after a fraud alert: their sessions end and they are told whom to call. */
export function raiseFraudAlert(context: AppContext, userId: string): { userId: string; state: 'suspended' } {
  const { db, clock, outbox } = context;
  // A pending PA has no user ID yet: scripts know it by the one its persona will choose.
  const pa = findAdministratorByUserId(db, userId)
    ?? db.get<ReturnType<typeof findAdministratorByUserId> & object>('SELECT * FROM program_administrators WHERE persona_key = ?', userId);
  if (!pa) throw notFound(`There is no Program Administrator with the user ID "${userId}".`);
  if (pa.state === 'pending') throw new AppError(409, 'not_registered', 'A pending Program Administrator has no access to suspend.');
  const now = clock.nowMs();
  db.tx(() => {
    db.run("UPDATE program_administrators SET state = 'suspended', state_changed_at = ? WHERE id = ?", now, pa.id);
    recordAudit(db, { at: now, actor: 'simulator', action: 'simulator.fraud_alert', subject: paRef(pa.id), outcome: 'success', details: { previousState: pa.state } });
    outbox.send(accountNoticeEmail({
      to: pa.email, firstName: pa.first_name, subject: 'Access to your @Work User ID is restricted', type: 'fraud_alert',
      paragraphs: [`Because of a fraud alert, access to your @Work User ID is restricted. Please call our Fraud Protection line at ${FRAUD_LINE_PHONE}.`],
    }));
    // Also by text where there is a phone on file (seed 001: "notified by text or email").
    const phone = textablePhone(pa.phone);
    if (phone) {
      context.sms.send({ to: phone, type: 'fraud_notice', text: `@Work: because of a fraud alert, access to your User ID is restricted. Call Fraud Protection at ${FRAUD_LINE_PHONE}.` });
    }
  });
  context.sessionStore.destroyUserSessions(paRef(pa.id));
  return { userId: pa.user_id ?? userId, state: 'suspended' };
}

export interface NewCharge {
  cardId: number;
  merchant: string;
  amountCents: number;
  /** Why it was declined; a posted charge when absent. */
  declineReason?: string | undefined;
  /** Days before now; now when absent. */
  daysAgo?: number | undefined;
}

export function addCharge(context: AppContext, charge: NewCharge) {
  const card = findCard(context.db, charge.cardId);
  if (!card) throw notFound('There is no card with that id.');
  const at = context.clock.nowMs() - (charge.daysAgo ?? 0) * 86_400_000;
  const id = insertCharge(context.db, {
    card_id: card.id, merchant: charge.merchant, amount_cents: charge.amountCents, at,
    status: charge.declineReason ? 'declined' : 'posted', decline_reason: charge.declineReason ?? null, dispute_status: null,
  });
  return {
    id, cardId: card.id, merchant: charge.merchant, amountCents: charge.amountCents, status: charge.declineReason ? 'declined' : 'posted',
    declineReason: charge.declineReason ?? null, at: new Date(at).toISOString(),
  };
}

export function listCardsForScripts(context: AppContext, companyName?: string) {
  return context.db.all<{ id: number; company: string; controlAccount: string | null; cardmemberName: string; lastFive: string; tier: string; state: string; limitCents: number }>(
    `SELECT c.id, co.name AS company, ca.number AS controlAccount, c.cardmember_name AS cardmemberName, c.last_five AS lastFive, c.tier, c.state,
            c.limit_cents AS limitCents
       FROM cards c JOIN companies co ON co.id = c.company_id LEFT JOIN control_accounts ca ON ca.id = c.control_account_id
      WHERE (:company IS NULL OR co.name = :company COLLATE NOCASE)
      ORDER BY c.id LIMIT 1000`, { company: companyName ?? null });
}
