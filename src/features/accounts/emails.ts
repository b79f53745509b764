// The e-mails of the account lifecycle, as text and HTML. Pure functions: the outbox captures them.
import { escapeHtml } from '../../lib/html';
import { HELP_DESK_PHONE } from '../../http/locals';
import type { OutgoingEmail } from '../outbox/outbox.service';

interface Paragraphs {
  to: string;
  subject: string;
  type: string;
  greeting: string;
  paragraphs: string[];
  /** A call to action shown as a link in HTML and as a bare URL in text. */
  link?: { label: string; url: string };
  data?: Record<string, unknown>;
}

const SIGN_OFF = `The @Work Program Administration team\nHelp Desk: ${HELP_DESK_PHONE}`;

/** An e-mail of paragraphs and at most one link, the same in text and HTML. */
export function compose(mail: Paragraphs): OutgoingEmail {
  const text = [
    mail.greeting, '',
    ...mail.paragraphs.flatMap((p) => [p, '']),
    ...(mail.link ? [`${mail.link.label}: ${mail.link.url}`, ''] : []),
    SIGN_OFF,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(mail.greeting)}</p>`,
    ...mail.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(mail.link ? [`<p><a href="${escapeHtml(mail.link.url)}">${escapeHtml(mail.link.label)}</a></p>`] : []),
    `<p>${escapeHtml(SIGN_OFF).replace('\n', '<br>')}</p>`,
  ].join('\n');
  return { to: mail.to, subject: mail.subject, type: mail.type, text, html, data: mail.data ?? {} };
}

export function welcomeEmail(input: {
  to: string; firstName: string; companyName: string; accessCode: string; registerUrl: string; expiresAt: number;
}): OutgoingEmail {
  const expires = new Date(input.expiresAt).toISOString().slice(0, 10);
  return compose({
    to: input.to,
    subject: 'Welcome to @Work: your Access Code',
    type: 'welcome',
    greeting: `Dear ${input.firstName},`,
    paragraphs: [
      `You have been enrolled as a Program Administrator for ${input.companyName} in @Work.`,
      `Your Access Code is: ${input.accessCode}`,
      `To complete your first login you need this Access Code together with the Verification PIN and Verification Word your company set up for you. The Access Code works once and expires on ${expires}.`,
    ],
    link: { label: 'Complete your first login', url: input.registerUrl },
    data: { accessCode: input.accessCode, registerUrl: input.registerUrl, expiresAt: new Date(input.expiresAt).toISOString() },
  });
}

export function passwordResetEmail(input: { to: string; firstName: string; resetUrl: string; expiresAt: number }): OutgoingEmail {
  return compose({
    to: input.to,
    subject: 'Reset your @Work password',
    type: 'password_reset',
    greeting: `Dear ${input.firstName},`,
    paragraphs: [
      'We received a request to reset the password for your @Work User ID.',
      'The link below works once and expires in 30 minutes. If you did not ask for this, you can ignore this e-mail; your password stays as it is.',
    ],
    link: { label: 'Reset your password', url: input.resetUrl },
    data: { resetUrl: input.resetUrl, expiresAt: new Date(input.expiresAt).toISOString() },
  });
}

export function passwordResetUnavailableEmail(input: { to: string; firstName: string }): OutgoingEmail {
  return compose({
    to: input.to,
    subject: 'About your @Work password reset request',
    type: 'password_reset_unavailable',
    greeting: `Dear ${input.firstName},`,
    paragraphs: [
      'We received a request to reset the password for your @Work User ID, but your User ID cannot be reset online in its current state.',
      `Please call the @Work Help Desk at ${HELP_DESK_PHONE}. After verifying your identity, they can help you get back in.`,
    ],
  });
}

export function passwordChangedEmail(input: { to: string; firstName: string }): OutgoingEmail {
  return compose({
    to: input.to,
    subject: 'Your @Work password was changed',
    type: 'password_changed',
    greeting: `Dear ${input.firstName},`,
    paragraphs: [
      'The password for your @Work User ID was just changed, and every other session was signed out.',
      `If you did not do this, call the @Work Help Desk at ${HELP_DESK_PHONE} right away.`,
    ],
  });
}

/** The PA changed their password on their profile: if it was not them, they call at once. */
export function passwordChangedInProfileEmail(input: { to: string; firstName: string }): OutgoingEmail {
  return compose({
    to: input.to,
    subject: 'Your @Work password was changed',
    type: 'password_changed_in_profile',
    greeting: `Dear ${input.firstName},`,
    paragraphs: [
      'The password for your @Work User ID was just changed from your profile, and your other sessions were signed out.',
      `If you did not do this, call the @Work Help Desk at ${HELP_DESK_PHONE} right away.`,
    ],
  });
}

/** A short notice about the account, sent after a help-desk action. */
export function accountNoticeEmail(input: { to: string; firstName: string; subject: string; type: string; paragraphs: string[] }): OutgoingEmail {
  return compose({
    to: input.to, subject: input.subject, type: input.type, greeting: `Dear ${input.firstName},`,
    paragraphs: [...input.paragraphs, `If you did not ask for this, call the @Work Help Desk at ${HELP_DESK_PHONE} right away.`],
  });
}

export function twoStepCodeEmail(input: { to: string; firstName: string; code: string; expiresAt: number }): OutgoingEmail {
  return compose({
    to: input.to,
    subject: 'Your @Work verification code',
    type: 'two_step_code',
    greeting: `Dear ${input.firstName},`,
    paragraphs: [
      `Your @Work verification code is: ${input.code}`,
      'It works once and expires in 10 minutes. @Work will never ask you for this code on the phone.',
    ],
    data: { code: input.code, expiresAt: new Date(input.expiresAt).toISOString() },
  });
}
