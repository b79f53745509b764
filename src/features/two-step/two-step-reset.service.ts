// The help desk resetting a verified caller's 2-step: back to codes by e-mail (or off, when the
// company does not require it), every trusted browser revoked. A transaction like every desk action.
import type { AppContext } from '../../context';
import { caller, requireVerified, type ActionContext } from '../helpdesk/caller-verification.service';
import { fullName, record } from '../helpdesk/caller-actions.service';
import type { SubmittedTransaction } from '../transactions/lifecycle';
import { findTwoStepAccount, revokeAllTrustedDevices, setTwoStepChannel } from './two-step.repository';

export type ResetTo = 'email' | 'off';

export function resetTwoStep(context: AppContext, action: ActionContext, paId: number, to: ResetTo): SubmittedTransaction {
  requireVerified(context, action);
  const row = caller(context, paId);
  const account = findTwoStepAccount(context.db, paId)!;
  // A company that requires 2-step keeps it on: the reset then means codes by e-mail.
  const channel = to === 'off' && account.require_two_step === 0 ? null : 'email';
  const now = context.clock.nowMs();
  const outcome = channel === null ? 'turned off' : 'set to send codes by e-mail';
  return record(context, action, row, {
    type: 'two_step_reset', audit: 'helpdesk.two_step_reset', summary: `Reset 2-step verification of ${fullName(row)}: ${outcome}`,
    details: { channel },
    email: {
      subject: 'Your @Work 2-step verification was reset', type: 'two_step_reset',
      paragraphs: [`As you asked the Help Desk, 2-step verification for your @Work User ID was ${outcome}, and no device is trusted any more.`],
    },
  }, () => {
    setTwoStepChannel(context.db, paId, channel);
    revokeAllTrustedDevices(context.db, paId, now);
  });
}
