// Due work of card applications, done as the simulated clock moves: the Welcome e-mail to the
// employee once the back office has issued their card, and invitations whose link expired unused.
import type { AppContext } from '../../context';
import { companyName } from '../accounts/accounts.repository';
import { recordAudit } from '../audit/audit.service';
import { maskCardNumber } from '../cards/card-numbers';
import { rejectByHand } from '../transactions/lifecycle';
import { cardWelcomeEmail } from './application-emails';
import { expiredInvitations, insertStep, issuedWithoutWelcome, markWelcomeSent, setApplicationState } from './applications.repository';

/** Sends what is owed and expires what lapsed; returns how many applications it moved. */
export function settleApplications(context: AppContext, now: number): number {
  const { db, outbox } = context;
  let settled = 0;
  for (const issued of issuedWithoutWelcome(db)) {
    db.tx(() => {
      if (!markWelcomeSent(db, issued.id, now)) return;
      const masked = maskCardNumber(issued.card_number);
      insertStep(db, { application_id: issued.id, at: now, step: 'issued', actor: 'system', note: `Card ${masked} issued.` });
      if (issued.employee_email) {
        outbox.send(cardWelcomeEmail({ to: issued.employee_email, employeeName: issued.employee_name, companyName: companyName(db, issued.company_id),
          maskedCardNumber: masked, trackingNumber: issued.tracking_number }));
      }
      settled += 1;
    });
  }
  for (const lapsed of expiredInvitations(db, now)) {
    db.tx(() => {
      const at = lapsed.link_expires_at!;
      if (!setApplicationState(db, lapsed.id, ['invited'], 'expired', at)) return;
      rejectByHand(db, lapsed.transaction_id, 'system', 'The invitation expired before the employee completed the application.', at);
      insertStep(db, { application_id: lapsed.id, at, step: 'expired', actor: 'system', note: null });
      recordAudit(db, { at, actor: 'system', action: 'application.expired', subject: `application:${lapsed.tracking_number}`, outcome: 'success',
        details: { trackingNumber: lapsed.tracking_number } });
      settled += 1;
    });
  }
  return settled;
}
