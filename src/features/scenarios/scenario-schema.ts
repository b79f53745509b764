// The scenario format: one zod schema for the documents in scenarios/ and those a script loads. The
// TypeScript types are inferred from it, and its JSON Schema (scenarios/scenario.schema.json) is
// generated from it, so the file, the types and the validation cannot drift apart.
import { z } from 'zod';
import { PERMISSIONS, type Permission } from '../permissions/permissions';
import { E164_PHONE } from '../../lib/phone-number';
import { parseTrackingQuery } from '../../lib/tracking-number';
import { MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH, MESSAGE_TOPICS, type MessageTopic } from '../messages/message-topics';
import { CARD_TIERS } from '../cards/card-catalogue';
import { TRANSACTION_STATUSES, TRANSACTION_TYPES, type TransactionType } from '../transactions/transaction-types';

const PERMISSION_NAMES = Object.keys(PERMISSIONS) as [Permission, ...Permission[]];
const TRANSACTION_TYPE_NAMES = Object.keys(TRANSACTION_TYPES) as [TransactionType, ...TransactionType[]];
/** Ten years back is more than any history a test needs; it also keeps dates well inside the clock's range. */
const MAX_DAYS_AGO = 3_650;
const MAX_MINUTES_AGO = MAX_DAYS_AGO * 24 * 60;

const key = z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'Use letters, digits, ".", "_" or "-".')
  .meta({ description: 'How other entries of the document refer to this one.' });
const text = (max: number) => z.string().min(1).max(max);
const daysAgo = z.number().int().min(0).max(MAX_DAYS_AGO);
const minutesAgo = z.number().int().min(0).max(MAX_MINUTES_AGO);
const dollars = z.number().min(0).max(10_000_000).multipleOf(0.01);

export const companySeed = z.object({
  key,
  name: text(200),
  programNumber: text(40),
  maxCardLimitCents: z.number().int().min(0).max(1_000_000_000).meta({ description: 'The highest limit a card of the company may have.' }),
  requireTwoStep: z.boolean().optional()
    .meta({ description: 'Every PA of the company must use 2-step verification; one who has it off sets it up at sign-in. False when absent.' }),
  approvalRules: z.object({
    applications: z.boolean().optional()
      .meta({ description: 'Card applications wait for an approver (a PA holding cards.approve, never the one who made the application). False when absent: applications are submitted directly.' }),
    secondApproverAboveCents: z.number().int().min(0).max(1_000_000_000).optional()
      .meta({ description: 'An application, or a held change, for a limit above this needs a second, different approver. Absent: one approver is enough.' }),
    holdLimitChangesAboveCents: z.number().int().min(0).max(1_000_000_000).optional()
      .meta({ description: 'Maker-checker: a limit change to more than this waits for a second PA holding cards.approve before it is submitted. Absent: off.' }),
    holdCancellationsByNonPrimary: z.boolean().optional()
      .meta({ description: 'Maker-checker: a card cancellation by a non-primary PA waits for a second PA holding cards.approve. False when absent.' }),
  }).strict().optional().meta({ description: 'The company\'s approval rules; absent: none (every request is submitted directly).' }),
}).strict();

/** Control accounts below the company: a top-level one (no `parent`) is level 1. */
export const MAX_HIERARCHY_DEPTH = 4;

export const controlAccountSeed = z.object({
  key,
  company: key.meta({ description: 'The key of its company.' }),
  parent: key.optional().meta({ description: 'The key of the control account it sits under, of the same company; absent: directly under the company.' }),
  number: z.string().min(1).max(40).regex(/^[A-Za-z0-9-]+$/, 'Letters, digits and "-".').meta({ description: 'Its account number, unique in the company.' }),
  name: text(200),
}).strict().meta({ description: `A billing control account in the company's hierarchy, at most ${MAX_HIERARCHY_DEPTH} levels below the company.` });

export const programAdministratorSeed = z.object({
  userId: text(64).meta({ description: 'The user ID scripts log in with (for a pending PA: the one they choose at registration).' }),
  company: key.meta({ description: 'The key of the PA\'s company.' }),
  firstName: text(100),
  lastName: text(100),
  email: z.email().max(320),
  phone: z.string().regex(E164_PHONE, 'Use E.164: "+" and 8 to 15 digits, like +15555550142.').optional()
    .meta({ description: 'The phone on file, in E.164 ("+15555550142"): texts (sign-in codes, fraud notices) go to it. None when absent.' }),
  twoStep: z.enum(['email', 'sms']).optional()
    .meta({ description: '2-step verification at sign-in: codes by e-mail, or by text to `phone`. Off when absent.' }),
  primary: z.boolean(),
  state: z.enum(['pending', 'active', 'inactive', 'locked', 'suspended']),
  permissions: z.array(z.enum(PERMISSION_NAMES)).max(20),
  password: text(128),
  verificationPin: z.string().regex(/^\d{4,8}$/, 'Use 4 to 8 digits.'),
  verificationWord: z.string().min(3).max(40).regex(/^[\p{L}\p{N}-]+$/u, 'One word of letters, digits or hyphens.'),
  accessCode: z.string().regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'Like GPND-7K3M-Q9RT.').optional()
    .meta({ description: 'For a pending PA: the Access Code its Welcome e-mail carries; generated when absent.' }),
  lastLoginDaysAgo: daysAgo.optional().meta({ description: 'Days before the clock\'s start of the last successful login (or registration); 0 when absent.' }),
  scope: z.array(key).min(1).max(50).optional()
    .meta({ description: 'Keys of the control accounts whose subtrees the PA is limited to; absent: the whole company.' }),
}).strict();

export const staffSeed = z.object({
  staffId: text(64),
  name: text(200),
  email: z.email().max(320),
  role: z.enum(['agent', 'supervisor']),
  password: text(128),
}).strict();

export const chargeSeed = z.object({
  merchant: text(100),
  dollars: dollars.min(0.01),
  daysAgo,
  declined: text(200).optional().meta({ description: 'Makes it a declined charge, declined for this reason.' }),
}).strict();

export const cardSeed = z.object({
  key,
  company: key.meta({ description: 'The key of the card\'s company.' }),
  cardmemberName: text(100),
  tier: z.enum(['standard', 'premium', 'business', 'prepaid']),
  state: z.enum(['active', 'suspended', 'lost_stolen', 'cancelled'])
    .meta({ description: 'The state before any request in `history` runs; those requests may change it.' }),
  limitDollars: dollars,
  temporaryLimit: z.object({
    dollars,
    endsInDays: z.number().int().min(1).max(365).meta({ description: 'Days after the clock\'s start when it ends.' }),
  }).strict().optional(),
  openedDaysAgo: daysAgo,
  controlAccount: key.optional().meta({ description: 'The key of its control account; absent: the company\'s first top-level one (the company has none: no account).' }),
  charges: z.array(chargeSeed).max(1_000).default([]),
}).strict();

export const requestSeed = z.object({
  submittedBy: text(64).meta({ description: 'The user ID of a registered PA of the card\'s company.' }),
  card: key.meta({ description: 'The key of the card.' }),
  action: z.enum(['cancel', 'replace', 'suspend', 'reinstate', 'limit']),
  minutesAgo: minutesAgo.meta({ description: 'Minutes before the clock\'s start.' }),
  reason: text(64).optional(),
  delivery: z.enum(['standard', 'rush']).optional(),
  newLimitDollars: dollars.optional(),
}).strict().meta({ description: 'A request made through the portal\'s own rules before the clock\'s start; the clock\'s due work then carries it as far as it got.' });

export const transactionEventSeed = z.object({
  minutesAgo: minutesAgo.meta({ description: 'Minutes before the clock\'s start.' }),
  status: z.enum(TRANSACTION_STATUSES),
  actor: text(64).meta({ description: '`system`, `simulator`, a PA\'s user ID or `staff:<staff ID>`.' }),
  note: text(500).optional(),
}).strict();

export const transactionSeed = z.object({
  trackingNumber: z.string().regex(/^AW\d{10}$/, 'Like AW3001000010: "AW", 9 digits and a check digit.')
    .refine((written) => parseTrackingQuery(written).kind === 'full', 'The check digit is wrong.').optional()
    .meta({ description: 'Issued in order after every other when absent.' }),
  company: key.meta({ description: 'The key of its company.' }),
  type: z.enum(TRANSACTION_TYPE_NAMES),
  status: z.enum(TRANSACTION_STATUSES),
  submittedBy: text(64).meta({ description: 'A PA\'s user ID, `staff:<staff ID>` or `simulator`.' }),
  card: key.optional().meta({ description: 'The key of the card it is about.' }),
  summary: text(500),
  details: z.record(z.string(), z.unknown()).default({}),
  rejectionReason: text(500).optional().meta({ description: 'Why it was rejected; only with status `rejected`.' }),
  dueInMinutes: z.number().int().min(0).max(MAX_MINUTES_AGO).optional()
    .meta({ description: 'For a submitted or in-progress transaction the clock moves: minutes after the clock\'s start when it next moves it. Absent: the clock leaves it as it is.' }),
  events: z.array(transactionEventSeed).min(1).max(50)
    .meta({ description: 'Its status history, oldest first; the first is `submitted`, the last has its status.' }),
}).strict().meta({ description: 'A transaction recorded as it stands, in any status, with its history; the clock does not move it.' });

const threadMessageSeed = z.object({
  from: text(64).meta({ description: 'A registered PA of the writer\'s company (user ID) or `staff:<staff ID>`.' }),
  body: text(MAX_BODY_LENGTH),
  minutesAgo,
}).strict();

export const messageThreadSeed = z.object({
  trackingNumber: transactionSeed.shape.trackingNumber,
  submittedBy: text(64).meta({ description: 'The registered PA who wrote it; the thread is of their company.' }),
  subject: text(MAX_SUBJECT_LENGTH),
  topic: z.enum(Object.keys(MESSAGE_TOPICS) as [MessageTopic, ...MessageTopic[]]),
  closedMinutesAgo: minutesAgo.optional().meta({ description: 'When it was closed; absent: it is open.' }),
  messages: z.array(threadMessageSeed).min(1).max(200)
    .meta({ description: 'Oldest first; the first is the writer\'s. Its transaction\'s status follows: submitted, in progress once staff answered, completed once closed.' }),
}).strict().meta({ description: 'A secure-message thread with the help desk, and the transaction it is.' });

export const invitationSeed = z.object({
  invitedBy: text(64).meta({ description: 'The user ID of a registered PA holding cards.apply; the invitation is of their company.' }),
  employeeName: text(100),
  employeeEmail: z.email().max(320),
  controlAccount: key.meta({ description: 'The key of a control account of the inviter\'s company, within their scope.' }),
  tier: z.enum(CARD_TIERS),
  limitDollars: dollars.refine((value) => value > 0, 'A limit above zero.'),
  invitedDaysAgo: z.number().int().min(0).max(13).default(0).meta({ description: 'Days before the clock\'s start; the link works 14 days from then.' }),
  token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, '16 to 128 letters, digits, "_" or "-".').optional()
    .meta({ description: 'The link\'s token, so a script knows `/apply/<token>` before reading the e-mail; random when absent.' }),
}).strict().meta({ description: 'An employee invited to apply for a card, the link not yet used: sent through the portal\'s own rules, e-mail in the outbox.' });

/** A PA keeps at most this many report subscriptions, as the Reports page allows (MAX_SUBSCRIPTIONS, subscriptions.service.ts). */
export const MAX_REPORT_SUBSCRIPTIONS_PER_PA = 20;

export const reportSubscriptionSeed = z.object({
  subscriber: text(64).meta({ description: 'The user ID of a registered PA holding reports.view; the report is made with their permissions and scope.' }),
  report: z.enum(['declines', 'spend', 'open_requests']),
  frequency: z.enum(['daily', 'weekly', 'monthly']).meta({ description: 'Due at the next midnight UTC, Monday or 1st of the month after the clock\'s start, then every period.' }),
  account: key.optional().meta({ description: 'Declines only: the key of a control account of the subscriber\'s company; the report is of its subtree (a delivery while it is outside their scope is skipped).' }),
  reason: text(200).optional().meta({ description: 'Declines only: only declines for this reason, as a declined charge of the company\'s cards gives it.' }),
}).strict().meta({ description: `A PA's subscription to scheduled delivery of a report by e-mail, as the Reports page makes one; at most ${MAX_REPORT_SUBSCRIPTIONS_PER_PA} per PA.` });

export const scenarioDocument = z.object({
  $schema: z.string().optional(),
  name: z.string().min(1).max(40).regex(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/, 'Lower-case letters and digits, words joined by "_".'),
  description: z.string().max(2_000).optional(),
  clockStart: z.iso.datetime({ offset: true }).optional()
    .meta({ description: 'The simulated time the scenario starts at; the simulator\'s SCENARIO_EPOCH when absent.' }),
  companies: z.array(companySeed).max(100).default([]),
  controlAccounts: z.array(controlAccountSeed).max(2_000).default([])
    .meta({ description: 'Each company\'s hierarchy; a parent is listed before its children.' }),
  programAdministrators: z.array(programAdministratorSeed).max(1_000).default([]),
  staff: z.array(staffSeed).max(100).default([]),
  cards: z.array(cardSeed).max(5_000).default([]),
  history: z.array(requestSeed).max(1_000).default([]),
  transactions: z.array(transactionSeed).max(5_000).default([]),
  messageThreads: z.array(messageThreadSeed).max(1_000).default([]),
  invitations: z.array(invitationSeed).max(1_000).default([]),
  reportSubscriptions: z.array(reportSubscriptionSeed).max(1_000).default([]),
}).strict().meta({ title: '@Work Portal Simulator scenario', description: 'A sandbox\'s starting state. Dates are relative to the clock\'s start.' });

/** GET /sim/api/scenario?name= — what to name the exported document. */
export const scenarioExportQuery = z.object({
  name: scenarioDocument.shape.name.optional().meta({ description: 'The document\'s name; the sandbox\'s scenario\'s when absent.' }),
});

export type CompanySeed = z.output<typeof companySeed>;
export type ControlAccountSeed = z.output<typeof controlAccountSeed>;
export type ProgramAdministratorSeed = z.output<typeof programAdministratorSeed>;
export type StaffSeed = z.output<typeof staffSeed>;
export type CardSeed = z.output<typeof cardSeed>;
export type RequestSeed = z.output<typeof requestSeed>;
export type TransactionSeed = z.output<typeof transactionSeed>;
export type MessageThreadSeed = z.output<typeof messageThreadSeed>;
export type InvitationSeed = z.output<typeof invitationSeed>;
export type ReportSubscriptionSeed = z.output<typeof reportSubscriptionSeed>;
export type ScenarioDocument = z.output<typeof scenarioDocument>;
export type PaState = ProgramAdministratorSeed['state'];

/** The JSON Schema of a scenario document, as published at /sim/api/scenario.schema.json and in scenarios/. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioDocument, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
