// What a secure message may be about, and the limits of what a person may write in one.

export const MESSAGE_TOPICS = {
  account_access: 'Account access',
  cards: 'Cards',
  charges_disputes: 'Charges and disputes',
  statements: 'Statements',
  permissions: 'Permissions',
  other: 'Other',
} as const;

export type MessageTopic = keyof typeof MESSAGE_TOPICS;

/** A subject fits on one line of the inbox. */
export const MAX_SUBJECT_LENGTH = 120;
/** A message is a letter, not a file: longer ones are a mistake or an attack. */
export const MAX_BODY_LENGTH = 4_000;
/** The help desk promises an answer within this many business days. */
export const ANSWER_BUSINESS_DAYS = 1;
