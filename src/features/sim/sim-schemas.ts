// The inputs of every simulator control, validated once for both its faces: the JSON API at
// /sim/api and the console at /sim. The OpenAPI document's request schemas are generated from these
// (openapi-schemas.ts), so what the document promises is what the validation accepts.
import { z } from 'zod';
import { E164_PHONE } from '../../lib/phone-number';
import { isPermission } from '../permissions/permissions';
import { cardSeed, controlAccountSeed, transactionEventSeed, transactionSeed } from '../scenarios/scenario-schema';
import { historyProblems } from '../scenarios/scenario-validation';
import { SMS_TYPES } from '../sms/sms.service';

/** Scenarios a new sandbox can start from; `large` takes half a minute to build, so it is a reset. */
export const SANDBOX_SCENARIOS = ['default', 'empty'] as const;
export const FAULT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** The longest a long poll for mail may wait. */
export const MAX_WAIT_MS = 60_000;

const SEED = z.number({ error: 'The seed is a whole number.' }).int('The seed is a whole number.')
  .min(0, 'The seed is from 0 to 2147483647.').max(2 ** 31 - 1, 'The seed is from 0 to 2147483647.')
  .meta({ description: 'Seeds the generator of bulk data; the same seed gives the same data. 1 when absent.' });

/**
 * A string trimmed, then 1 to `max` characters. JSON Schema cannot trim, so the document states the
 * same rule as a pattern that allows white space around a non-blank middle.
 */
const trimmedText = (max: number, description: string) => z.string().trim().min(1, 'This cannot be blank.').max(max, `Use at most ${max} characters.`)
  .meta({ description: `${description} Trimmed, then 1 to ${max} characters.`, pattern: `^\\s*\\S(?:[\\s\\S]{0,${max - 2}}\\S)?\\s*$` });

/** A snapshot's name: also its file's, so no path can be made of it. */
export const snapshotName = z.string({ error: 'Give the snapshot a name.' })
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'Use 1 to 64 characters: a-z, 0-9, ".", "_" and "-", starting with a letter or digit.')
  .meta({ description: 'Names the snapshot within its sandbox; saving a name again replaces it.', examples: ['before-cancel'] });

export const snapshotInput = z.object({ name: snapshotName }).strict();

export const resetInput = z.object({
  scenario: z.string().max(64).default('default')
    .meta({ description: '`default`, `empty`, `large` or a loaded scenario; another name gets 400 `unknown_scenario`.' }),
  seed: SEED.optional(),
  snapshot: snapshotName.optional()
    .meta({ description: 'Restores this snapshot of the sandbox instead of a scenario (`POST /sim/api/snapshots`); not with `scenario`. An unknown one is 404 `unknown_snapshot`.' }),
}).strict()
  // The service refuses a snapshot with a scenario or a seed (the scenario's default hides whether one was sent).
  .meta({ description: 'A scenario (and seed), or a snapshot.', not: { required: ['snapshot'], anyOf: [{ required: ['scenario'] }, { required: ['seed'] }] } });

export const clockMove = z.union([
  z.object({
    advance: z.string().min(1, 'Give a duration, like "90m", "1d" or "P1D".').max(64, 'Use at most 64 characters.')
      .meta({ description: 'A duration: "90m", "121d", "1h30m", "P1DT2H" (units ms, s, m, h, d, w).', examples: ['121d'] }),
  }).strict(),
  z.object({
    set: z.iso.datetime({ offset: true }).meta({ description: 'An ISO-8601 instant with Z or an offset, not before now.' }),
  }).strict(),
], { error: 'Send { "advance": "121d" } or { "set": "<ISO-8601 time>" }.' }).meta({ description: 'Either `advance` or `set`, not both.' });

export const outboxFilter = z.object({
  to: z.string().max(320, 'Use at most 320 characters.').optional().meta({ description: 'Only e-mails to this address (any case).' }),
  type: z.string().max(64, 'Use at most 64 characters.').optional().meta({ description: 'Only e-mails of this type (`welcome`, `password_reset` …).' }),
});

export const smsFilter = z.object({
  to: z.string().max(40, 'Use at most 40 characters.').optional().meta({ description: 'Only texts to this number (E.164, like `+15555550142`; a North American number without `+1` is read as one).' }),
  type: z.enum(SMS_TYPES, { error: 'Choose two_step_code or fraud_notice.' }).optional().meta({ description: 'Only texts of this type.' }),
});

export const smsWait = smsFilter.extend({
  timeoutMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(10_000).meta({ description: 'How long to wait, in milliseconds.' }),
});

export const outboxWait = outboxFilter.extend({
  timeoutMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(10_000).meta({ description: 'How long to wait, in milliseconds.' }),
});

/** A control account as scripts name it: by its number, as GET /sim/api/control-accounts lists them. */
const controlAccountNumber = controlAccountSeed.shape.number;

/** A PA's scope: the control accounts whose subtrees they look after, or null for the whole company. */
const scopeNumbers = z.array(controlAccountNumber.meta({ description: 'A control account\'s number (any case).' })).min(1).max(50).nullable()
  .meta({ description: 'The numbers of the control accounts (any case) whose subtrees the PA is limited to; an account under another one listed adds nothing. null: the whole company. A number the company has no account of is 400 `unknown_control_account`.' });

const PRIMARY_WHOLE_COMPANY = 'The primary PA looks after the whole company: leave out scope, or send null.';

export const enrollmentInput = z.object({
  company: z.string().min(1).max(200).meta({ description: 'The company\'s name (any case), program number or id.' }),
  firstName: trimmedText(100, 'First name.'),
  lastName: trimmedText(100, 'Last name.'),
  email: z.email().max(320),
  phone: z.string().max(40).optional(),
  permissions: z.array(z.string().refine(isPermission, 'Unknown permission.').meta({ $ref: '#/components/schemas/Permission' }))
    .max(20).default(['cards.view']),
  primary: z.boolean().default(false).meta({ description: 'Enroll the company\'s primary PA; 409 if it has one.' }),
  verificationPin: z.string().regex(/^\d{4,8}$/, 'Use 4 to 8 digits.').optional().meta({ description: 'Generated (4 digits) when absent.' }),
  verificationWord: z.string().trim().min(3).max(40).regex(/^[\p{L}\p{N}-]+$/u, 'One word of letters, digits or hyphens.').optional()
    .meta({ description: 'One word of 3 to 40 letters, digits or hyphens (trimmed); one of a list when absent.', pattern: '^\\s*[\\p{L}\\p{N}-]{3,40}\\s*$' }),
  scope: scopeNumbers.optional().meta({ description: `${scopeNumbers.description} Absent: the whole company. Not for a primary PA.` }),
}).strict()
  .refine((enrollment) => !(enrollment.primary && enrollment.scope), { message: PRIMARY_WHOLE_COMPANY, path: ['scope'] })
  // The refinement above, as JSON Schema says it.
  .meta({ if: { properties: { primary: { const: true } }, required: ['primary'] }, then: { properties: { scope: { type: 'null' } } } });

export const controlAccountsFilter = z.object({
  company: z.string().min(1).max(200).optional().meta({ description: 'Only this company\'s control accounts (its name, any case, program number or id).' }),
});

export const cardsFilter = z.object({
  company: z.string().min(1).max(200).optional().meta({ description: 'Only this company\'s cards (its name, any case).' }),
});

export const fraudAlertInput = z.object({
  userId: z.string().min(1).max(64).meta({ description: 'A registered PA\'s user ID.' }),
}).strict();

export const chargeInput = z.object({
  cardId: z.number().int().positive().meta({ description: 'From GET /sim/api/cards.' }),
  merchant: trimmedText(100, 'Merchant name.'),
  amountCents: z.number().int().min(1).max(100_000_000),
  declineReason: trimmedText(200, 'Makes it a declined charge with this reason; a posted charge when absent.').optional(),
  daysAgo: z.number().int().min(0).max(365).optional().meta({ description: 'Days before the simulated now; now when absent.' }),
}).strict();

const wholeNumber = (label: string, min: number, max: number) => z.number({ error: `${label} must be a whole number from ${min} to ${max}.` })
  .int(`${label} must be a whole number from ${min} to ${max}.`)
  .min(min, `${label} must be a whole number from ${min} to ${max}.`).max(max, `${label} must be a whole number from ${min} to ${max}.`);

export const faultInput = z.object({
  kind: z.literal('route', { error: 'Choose route or sms_undelivered.' }).optional().meta({ description: 'A fault on the portal\'s routes: the kind when absent.' }),
  pattern: z.string({ error: 'Give a path pattern, like /cards/*.' }).min(1, 'Give a path pattern, like /cards/*.').max(200, 'Use at most 200 characters.')
    .regex(/^\//, 'Start the pattern with "/", like /cards/*.')
    .meta({ description: 'A path pattern: `*` matches any run of characters ("/cards/*").' }),
  method: z.enum(FAULT_METHODS, { error: 'Choose a method, or any.' }).optional().meta({ description: 'Only this method; any when absent.' }),
  latencyMs: wholeNumber('Latency', 0, 30_000).optional(),
  status: wholeNumber('Status', 400, 599).optional().meta({ description: 'Answer with this status (after any latency).' }),
  probability: z.number({ error: 'Probability must be a number from 0 to 1.' }).min(0, 'Probability must be a number from 0 to 1.')
    .max(1, 'Probability must be a number from 0 to 1.').default(1),
  times: wholeNumber('Times', 1, 1_000_000).optional().meta({ description: 'Affected requests before it clears itself; unlimited when absent.' }),
}).strict()
  .refine((f) => f.latencyMs !== undefined || f.status !== undefined, { message: 'Give a latency, a status, or both.', path: ['latencyMs'] })
  // The refinement above, as JSON Schema says it.
  .meta({ description: 'Give `latencyMs`, `status`, or both.', anyOf: [{ required: ['latencyMs'] }, { required: ['status'] }] });

export const sandboxInput = z.object({
  scenario: z.string().max(64).refine((name) => name !== 'large', '`large` takes half a minute to build: reset a sandbox to it instead.').default('default')
    .meta({ description: '`default`, `empty` or a loaded scenario; another name gets 400 `invalid_input`.', not: { const: 'large' } }),
  seed: SEED.optional(),
  id: z.string({ error: 'Give the id as a string.' }).toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{2,39}$/, 'Use 3 to 40 letters, digits and "-", starting with a letter or digit.')
    .refine((id) => id !== 'default', 'The default sandbox has that id; choose another.').optional()
    .meta({
      description: 'The new sandbox\'s id (any case, read as lower case), also its host `<id>.localhost`; `sb-` and a random hex when absent. Never `default`; an open one is 409 `sandbox_exists`; behind a balancer, one another shard holds is 421 `wrong_shard` if asked of a process directly.',
      pattern: '^[a-zA-Z0-9][a-zA-Z0-9-]{2,39}$',
    }),
}).strict();

// The event journal's filters (GET /sim/api/events and its long poll).
export const eventsFilter = z.object({
  type: z.string().min(1, 'Give a type, like login.success or login.*.').max(64, 'Use at most 64 characters.')
    .regex(/^[a-z0-9_.]*\*?$/, 'A type like login.success, or a prefix ending in "*" like login.*.')
    .optional().meta({ description: 'Only events of this type; a prefix ending in `*` (`login.*`) matches every type that starts with it.' }),
  actor: z.string().min(1).max(64, 'Use at most 64 characters.').optional()
    .meta({ description: 'Only events by this actor, as the journal names it: `pa:12`, `staff:3`, `system`, `simulator`, `anonymous`.' }),
  subject: z.string().min(1).max(400, 'Use at most 400 characters.').optional()
    .meta({ description: 'Only events about this subject: `pa:12`, `staff:3`, `transaction:300100001`, `email:<address>`, `fault:<id>`.' }),
  since: z.string().regex(/^(now|\d{1,15})$/, 'An event id, or "now".')
    .transform((since) => (since === 'now' ? 'now' as const : Number(since))).optional()
    .meta({ description: 'An event id: only later events. `now`: only events recorded after the request arrives (every answer also gives `lastId`, the latest id so far).' }),
});

export const eventsWait = eventsFilter.extend({
  timeoutMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).default(10_000).meta({ description: 'How long to wait, in milliseconds.' }),
});

export type ResetInput = z.output<typeof resetInput>;
export type EnrollmentInput = z.output<typeof enrollmentInput>;
export type ChargeInput = z.output<typeof chargeInput>;
export const smsFaultInput = z.object({
  kind: z.literal('sms_undelivered'),
  phone: z.string({ error: 'Give a phone number in E.164, like +15555550142.' }).regex(E164_PHONE, 'Give a phone number in E.164, like +15555550142.')
    .meta({ description: 'Texts to this E.164 number vanish: neither delivered nor in the outbox.' }),
  times: wholeNumber('Times', 1, 1_000_000).optional().meta({ description: 'Texts swallowed before it clears itself; unlimited when absent.' }),
}).strict().meta({ description: 'Texts to one number never arrive ("I never got the code").' });

/** POST /sim/api/faults: a fault of either kind, on routes when `kind` is absent. */
export const anyFaultInput = z.discriminatedUnion('kind', [faultInput, smsFaultInput], { error: 'Choose the kind route or sms_undelivered.' });

export type FaultInput = z.output<typeof anyFaultInput>;
export type OutboxFilter = z.output<typeof outboxFilter>;

// State builders: a PA's state and permissions set in one call.
export const administratorStateInput = z.object({
  state: z.enum(['active', 'inactive', 'locked', 'suspended'], { error: 'Choose active, inactive, locked or suspended.' })
    .meta({ description: 'locked: the failed-login count at the limit; inactive: the last login past the inactivity period; suspended: as a fraud alert; active: as the help desk reactivates.' }),
}).strict();

export const administratorPermissionsInput = z.object({
  permissions: z.array(z.string().refine(isPermission, 'Unknown permission.').meta({ $ref: '#/components/schemas/Permission' })).max(20)
    .meta({ description: 'The PA\'s whole set of permissions afterwards.' }),
  scope: scopeNumbers.optional().meta({ description: `${scopeNumbers.description} Absent: as it is. For a primary PA only null (409 \`primary_scope\` otherwise).` }),
}).strict();

// State builders: a card or a transaction in any state, in the shape of a scenario file's entry.
const builtFor = z.string().min(1).max(200).meta({ description: 'The company\'s name (any case), program number or id; 404 when there is none.' });

export const cardBuildInput = z.object({
  company: builtFor,
  cardmemberName: cardSeed.shape.cardmemberName,
  tier: cardSeed.shape.tier,
  state: z.enum(['active', 'suspended', 'lost_stolen', 'cancelled']).default('active')
    .meta({ description: 'The card\'s state; for one not active, the completed request that put it there is recorded too. `active` when absent.' }),
  limitDollars: cardSeed.shape.limitDollars.meta({ description: 'Its limit in dollars; 409 `limit_above_maximum` above the program\'s maximum.' }),
  temporaryLimit: cardSeed.shape.temporaryLimit,
  controlAccount: controlAccountNumber.optional()
    .meta({ description: 'The number (any case) of the company\'s control account the card is in; absent: the company\'s first top-level account, where the portal opens a card nothing places (none if the company has no hierarchy). A number the company has no account of is 400 `unknown_control_account`.' }),
}).strict();

export const transactionBuildInput = z.object({
  company: builtFor,
  type: transactionSeed.shape.type,
  status: transactionSeed.shape.status,
  submittedBy: z.string().min(1).max(64).meta({ description: 'A registered PA\'s user ID (of the company) or `staff:<staff ID>`; 404 when there is none.' }),
  card: z.number().int().positive().optional().meta({ description: 'The id of the company\'s card it is about (as `GET /sim/api/cards` lists it).' }),
  summary: transactionSeed.shape.summary,
  details: transactionSeed.shape.details,
  rejectionReason: transactionSeed.shape.rejectionReason,
  dueInMinutes: z.number().int().min(0).max(525_600).optional()
    .meta({ description: 'For a submitted or in-progress transaction: minutes from now when the clock next moves it. Absent: when the portal\'s own request would next move (an hour after submission; then its business days).' }),
  events: z.array(transactionEventSeed.extend({
    minutesAgo: transactionEventSeed.shape.minutesAgo.meta({ description: 'Minutes before the simulated now.' }),
  })).min(1).max(50).meta({ description: 'Its status history, oldest first; the first is `submitted`, the last has its status.' }),
}).strict().superRefine((transaction, context) => {
  historyProblems(transaction, (path, message) => context.addIssue({ code: 'custom', path, message }));
});
export const applicationBuildInput = z.object({
  invitedBy: z.string().min(1).max(64).meta({ description: 'The user ID of an active PA holding cards.apply, who invites; 404 when no registered PA has it, 409 `not_permitted` when they may not invite.' }),
  employeeName: z.string().min(2).max(100).regex(/^[\p{L}\p{M} .'-]+$/u, 'Use letters, spaces, dots, hyphens and apostrophes.'),
  employeeEmail: z.email().max(320),
  controlAccount: controlAccountNumber.meta({ description: 'The number (any case) of a control account in the inviter\'s scope; any other is 400 `invalid_input` on `controlAccount`.' }),
  tier: cardSeed.shape.tier,
  limitDollars: cardSeed.shape.limitDollars.refine((value) => value > 0, 'A limit above zero.')
    .meta({ description: 'The proposed limit in dollars; above the program maximum is 400 `invalid_input` on `limitDollars`.' }),
  completed: z.boolean().default(false)
    .meta({ description: 'true: the employee completes the application at once (job title "Employee"), so it waits for an approver. false when absent: the link waits, unused.' }),
}).strict();

export type CardBuildInput = z.output<typeof cardBuildInput>;
export type ApplicationBuildInput = z.output<typeof applicationBuildInput>;
export type TransactionBuildInput = z.output<typeof transactionBuildInput>;

// Rule builders: a company's approval rules, and a PA's report subscription, set in one call.
const ruleCents = (description: string) => z.number({ error: 'A whole number of cents from 0 to 1000000000, or null.' })
  .int('A whole number of cents from 0 to 1000000000, or null.').min(0, 'A whole number of cents from 0 to 1000000000, or null.')
  .max(1_000_000_000, 'A whole number of cents from 0 to 1000000000, or null.').nullable().optional().meta({ description: `${description} null or absent: off.` });

export const approvalRulesInput = z.object({
  applications: z.boolean().nullable().optional()
    .meta({ description: 'Card applications wait for an approver holding cards.approve (never the PA who made them). null or absent: false.' }),
  secondApproverAboveCents: ruleCents('An application, or a held change, for a limit above this needs a second, different approver.'),
  holdLimitChangesAboveCents: ruleCents('Maker-checker: a limit change to more than this waits for a second PA holding cards.approve.'),
  holdCancellationsByNonPrimary: z.boolean().nullable().optional()
    .meta({ description: 'Maker-checker: a cancellation by a non-primary PA waits for a second PA holding cards.approve. null or absent: false.' }),
}).strict().meta({ description: 'The company\'s rules, whole: what is absent or null is cleared.' });

export const reportSubscriptionBuildInput = z.object({
  userId: z.string().min(1).max(64).meta({ description: 'A registered PA\'s user ID; 404 when there is none, 409 `not_permitted` when they are not active or lack reports.view.' }),
  report: z.enum(['declines', 'spend', 'open_requests'], { error: 'Choose a report from the list.' }),
  frequency: z.enum(['daily', 'weekly', 'monthly'], { error: 'Choose how often from the list.' })
    .meta({ description: 'First due at the next midnight UTC (daily), Monday (weekly) or 1st of the month (monthly) after the simulated now.' }),
  account: z.string().min(1).max(40).optional()
    .meta({ description: 'Declines only: the number (any case) of a control account of the PA\'s company within their scope; any other is 400 `invalid_input` on `account`.' }),
  reason: z.string().min(1).max(200).optional()
    .meta({ description: 'Declines only: a reason among the company\'s declined charges; any other is 400 `invalid_input` on `reason`.' }),
}).strict();

export type ApprovalRulesInput = z.output<typeof approvalRulesInput>;
export type ReportSubscriptionBuildInput = z.output<typeof reportSubscriptionBuildInput>;
