// The e-mail that tells a PA the help desk answered: the thread's subject and a link, never the answer itself.
import { compose } from '../accounts/emails';
import type { OutgoingEmail } from '../outbox/outbox.service';

export function messageReplyEmail(input: { to: string; firstName: string; subject: string; trackingNumber: string; threadUrl: string }): OutgoingEmail {
  return compose({
    to: input.to,
    subject: 'You have a reply from the @Work Help Desk', type: 'message_reply',
    greeting: `Dear ${input.firstName},`,
    paragraphs: [
      `The Help Desk answered your secure message "${input.subject}" (tracking number ${input.trackingNumber}).`,
      'For your security the answer is not in this e-mail: log in to @Work to read it.',
    ],
    link: { label: 'Read the answer', url: input.threadUrl },
    data: { trackingNumber: input.trackingNumber, threadUrl: input.threadUrl },
  });
}
