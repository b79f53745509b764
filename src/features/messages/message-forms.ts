// The forms of secure messages: plain text only, limited in length, the same for a PA and an agent.
import { z } from 'zod';
import { MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH, MESSAGE_TOPICS, type MessageTopic } from './message-topics';

const LINE_FEED = 0x0a;
const TAB = 0x09;

/** Control characters have no place in plain text a person typed; a message keeps its line breaks and tabs. */
function hasControlCharacter(text: string, allowed: readonly number[] = []): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 || code === 0x7f) && !allowed.includes(code)) return true;
  }
  return false;
}

const typed = z.unknown().optional().transform((value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : ''));

export const messageBody = typed.pipe(z.string()
  .min(1, 'Write your message.')
  .max(MAX_BODY_LENGTH, `Keep the message to ${MAX_BODY_LENGTH} characters.`)
  .refine((text) => !hasControlCharacter(text, [LINE_FEED, TAB]), 'Use plain text only.'));

export const newThreadForm = z.object({
  subject: typed.pipe(z.string()
    .min(1, 'Enter a subject.')
    .max(MAX_SUBJECT_LENGTH, `Keep the subject to ${MAX_SUBJECT_LENGTH} characters.`)
    .refine((text) => !hasControlCharacter(text), 'Use plain text on one line.')),
  topic: typed.pipe(z.enum(Object.keys(MESSAGE_TOPICS) as [MessageTopic, ...MessageTopic[]], { error: 'Choose a topic from the list.' })),
  body: messageBody,
});

export const replyForm = z.object({ body: messageBody });

/** What the form showed when it was sent, to show it again with its errors. */
export function sentValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const sent = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((field) => [field, typeof sent[field] === 'string' ? (sent[field] as string).slice(0, MAX_BODY_LENGTH + 100) : '']));
}
