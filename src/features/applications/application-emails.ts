// The e-mails of a card application: the employee's invitation, the Welcome to the issued card, and
// the decision told to the PA who invited. Pure functions: the outbox captures them.
import { compose } from '../accounts/emails';
import type { OutgoingEmail } from '../outbox/outbox.service';

export function applicationInvitationEmail(input: {
  to: string; employeeName: string; companyName: string; invitedBy: string; applyUrl: string; expiresAt: number; trackingNumber: string;
}): OutgoingEmail {
  const expires = new Date(input.expiresAt).toISOString().slice(0, 10);
  return compose({
    to: input.to,
    subject: `${input.companyName} invites you to apply for a Corporate Card`,
    type: 'application_invitation',
    greeting: `Dear ${input.employeeName},`,
    paragraphs: [
      `${input.invitedBy}, a Program Administrator of ${input.companyName}, invites you to apply for a Corporate Card.`,
      `The link below works once and expires on ${expires}. Your application's tracking number is ${input.trackingNumber}.`,
    ],
    link: { label: 'Complete your application', url: input.applyUrl },
    data: { applyUrl: input.applyUrl, expiresAt: new Date(input.expiresAt).toISOString(), trackingNumber: input.trackingNumber },
  });
}

export function cardWelcomeEmail(input: { to: string; employeeName: string; companyName: string; maskedCardNumber: string; trackingNumber: string }): OutgoingEmail {
  return compose({
    to: input.to,
    subject: 'Welcome to your Corporate Card',
    type: 'card_welcome',
    greeting: `Dear ${input.employeeName},`,
    paragraphs: [
      `Your ${input.companyName} Corporate Card ${input.maskedCardNumber} has been issued and is on its way to you.`,
      'Sign the back of the card as soon as it arrives. Your Program Administrator can answer any question about your limit.',
    ],
    data: { maskedCardNumber: input.maskedCardNumber, trackingNumber: input.trackingNumber },
  });
}

export type ApplicationDecision = 'approved' | 'rejected' | 'cancelled';

const DECISION_WORDS: Record<ApplicationDecision, string> = { approved: 'approved', rejected: 'rejected', cancelled: 'cancelled' };

export function applicationDecisionEmail(input: {
  to: string; firstName: string; employeeName: string; decision: ApplicationDecision; decidedBy: string; reason: string | null; trackingNumber: string;
}): OutgoingEmail {
  return compose({
    to: input.to,
    subject: `Card application ${input.trackingNumber} ${DECISION_WORDS[input.decision]}`,
    type: 'application_decision',
    greeting: `Dear ${input.firstName},`,
    paragraphs: [
      `The card application for ${input.employeeName} (${input.trackingNumber}) was ${DECISION_WORDS[input.decision]} by ${input.decidedBy}.`,
      ...(input.reason ? [`Reason: ${input.reason}`] : []),
      ...(input.decision === 'approved' ? ['The card is issued once the request completes; you can follow it in Status Tracking.'] : []),
    ],
    data: { trackingNumber: input.trackingNumber, decision: input.decision, reason: input.reason },
  });
}
