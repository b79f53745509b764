// The answers of the simulator API as JSON Schema: the components every operation of the OpenAPI
// document refers to. They describe what the API sends; what it accepts is generated from the zod
// schemas that validate it (see openapi.ts).
import { ALL_PERMISSIONS } from '../permissions/permissions';
import type { JsonSchema } from './openapi-types';

export const schema = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const object = (properties: Record<string, JsonSchema>, required: string[], description?: string): JsonSchema => ({
  type: 'object', ...(description ? { description } : {}), properties, required, additionalProperties: false,
});

export const instant = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });
export const count = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });

const PA_STATES = ['pending', 'active', 'inactive', 'locked', 'suspended'];
const STAFF_STATES = ['active', 'locked'];
/** A control account's number, unique in its company (the scenario format's rule). */
const ACCOUNT_NUMBER: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9-]{1,40}$' };

export const COMPONENT_SCHEMAS: Record<string, JsonSchema> = {
  Error: object({
    error: object({
      code: { type: 'string', pattern: '^[a-z][a-z_]*$', description: 'Stable and machine-readable: assert on this, not on the message.' },
      message: { type: 'string', minLength: 1, description: 'For people.' },
      fields: {
        type: 'object', minProperties: 1, additionalProperties: { type: 'string' },
        description: 'What is wrong with each field, by its path in the input (`permissions.0`); `_` for the input as a whole.',
      },
    }, ['code', 'message']),
  }, ['error'], 'Every error the API answers: `{ error: { code, message, fields? } }`.'),
  ValidationError: {
    $ref: '#/components/schemas/Error',
    description: 'Bad input: `invalid_input` with a message per field.',
    properties: { error: { required: ['code', 'message', 'fields'], properties: { code: { const: 'invalid_input' } } } },
  },
  Permission: { type: 'string', enum: [...ALL_PERMISSIONS], description: 'A right a Program Administrator holds (docs/reference.md §2).' },
  Health: object({
    ok: { const: true },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+', description: 'The simulator\'s version (package.json).' },
    now: instant('The simulated now of the sandbox answering.'),
    sandbox: { type: 'string', minLength: 1, description: 'The sandbox answering: `default` or the id of a created one.' },
    instance: object({
      name: { type: 'string', minLength: 1, description: 'The process answering: INSTANCE_NAME, else `<host name>:<port>`.' },
      shard: { type: 'integer', minimum: 0, description: 'Its shard (SHARD_INDEX): it holds the sandboxes whose id hashes here, and shard 0 the default.' },
      shards: { type: 'integer', minimum: 1, description: 'How many shards the deployment has (SHARD_COUNT); 1 for a single process.' },
      pid: { type: 'integer', minimum: 1, description: 'Its operating-system process id.' },
    }, ['name', 'shard', 'shards', 'pid'], 'Which simulator process answered: behind a balancer, one of several.'),
  }, ['ok', 'version', 'now', 'sandbox', 'instance']),
  Persona: {
    ...object({
      userId: { type: 'string', minLength: 1, description: 'The user ID: the one chosen at first login once the PA registered (staff ID for help-desk staff); for a pending PA the one scripts choose at /register.' },
      password: { type: 'string', minLength: 1, description: 'The password that signs them in: the one last set through the portal (first login, reset), else the scenario\'s.' },
      passwordChangedAt: { type: ['string', 'null'], format: 'date-time', description: 'Simulated time the password was last set through the portal; null while it is the scenario\'s.' },
      email: { type: 'string', format: 'email' },
      phone: { type: ['string', 'null'], pattern: '^\\+\\d{8,15}$', description: 'The E.164 number a PA\'s texts go to; null with no phone on file, and for staff.' },
      twoStep: { type: ['string', 'null'], enum: ['email', 'sms', null], description: 'Where a PA\'s 2-step sign-in codes go (e-mail, or text to `phone`); null with 2-step off, and for staff.' },
      verificationPin: { type: ['string', 'null'], pattern: '^\\d{4,8}$', description: 'A PA\'s Verification PIN; null for staff.' },
      verificationWord: { type: ['string', 'null'], minLength: 1, description: 'A PA\'s Verification Word; null for staff.' },
      accessCode: { type: ['string', 'null'], description: 'The seeded Access Code while the PA is pending; null afterwards and for staff.' },
      role: { type: 'string', enum: ['program_administrator', 'agent', 'supervisor'] },
      primary: { type: 'boolean', description: 'The primary PA of their company.' },
      company: { type: ['string', 'null'], description: 'The PA\'s company; null for staff.' },
      permissions: { type: 'array', items: schema('Permission'), description: 'Sorted; empty for staff.' },
      scope: { type: ['array', 'null'], items: { type: 'string' },
        description: 'The numbers of the control accounts whose subtrees the PA is limited to, sorted; null: the whole company (and for staff).' },
      state: { type: 'string', enum: PA_STATES, description: 'The state right now.' },
    }, ['userId', 'password', 'passwordChangedAt', 'email', 'phone', 'verificationPin', 'verificationWord', 'accessCode', 'role', 'primary', 'company', 'permissions', 'scope', 'state'],
    'A seeded person with the credentials that sign them in and their state right now.'),
    if: { properties: { role: { const: 'program_administrator' } } },
    then: { properties: { company: { type: 'string' }, verificationPin: { type: 'string' }, verificationWord: { type: 'string' } } },
    else: {
      properties: {
        company: { type: 'null' }, phone: { type: 'null' }, verificationPin: { type: 'null' }, verificationWord: { type: 'null' }, accessCode: { type: 'null' },
        primary: { const: false }, permissions: { maxItems: 0 }, scope: { type: 'null' }, state: { enum: STAFF_STATES },
      },
    },
  },
  PersonaList: object({ personas: { type: 'array', items: schema('Persona') } }, ['personas']),
  ResetResult: object({
    scenario: { type: 'string', enum: ['default', 'empty', 'large'], description: 'After a restore, the scenario the snapshot\'s data came from.' },
    snapshot: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'The snapshot restored; absent after a reset to a scenario.' },
    personas: { type: 'array', items: schema('Persona') },
  }, ['scenario', 'personas']),
  Clock: object({ now: instant('The simulated now.') }, ['now']),
  CapturedEmail: object({
    id: { type: 'integer', minimum: 1, description: 'Increasing in the order the e-mails were sent.' },
    to: { type: 'string', format: 'email' },
    subject: { type: 'string' },
    text: { type: 'string' },
    html: { type: 'string' },
    type: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', description: 'What kind of e-mail: `welcome`, `password_reset`, `password_reset_unavailable`, `password_changed`, `password_changed_in_profile`, `fraud_alert`, `reactivated`, `unlocked`, `user_id_reminder`, `permissions_changed`, `contact_updated`, `contact_change_rejected` …' },
    data: {
      type: 'object',
      description: 'Values a script would otherwise scrape from the body.',
      properties: {
        accessCode: { type: 'string', description: 'Welcome e-mail.' },
        registerUrl: { type: 'string', format: 'uri', description: 'Welcome e-mail.' },
        resetUrl: { type: 'string', format: 'uri', description: 'Password reset e-mail.' },
        expiresAt: instant('When the code or link stops working.'),
      },
    },
    sentAt: instant('Simulated time of sending.'),
  }, ['id', 'to', 'subject', 'text', 'html', 'type', 'data', 'sentAt'], 'An e-mail the portal "sent", captured instead of delivered.'),
  WelcomeEmail: {
    $ref: '#/components/schemas/CapturedEmail',
    properties: { type: { const: 'welcome' }, data: { required: ['accessCode', 'registerUrl', 'expiresAt'] } },
  },
  MessageList: object({ messages: { type: 'array', items: schema('CapturedEmail') } }, ['messages']),
  CapturedSms: object({
    id: { type: 'integer', minimum: 1, description: 'Increasing in the order the texts were sent.' },
    to: { type: 'string', pattern: '^\\+\\d{8,15}$', description: 'The E.164 number it went to.' },
    type: { type: 'string', enum: ['two_step_code', 'fraud_notice'] },
    text: { type: 'string', minLength: 1 },
    data: {
      type: 'object',
      description: 'Values a script would otherwise scrape from the text.',
      properties: { code: { type: 'string', pattern: '^\\d{6}$', description: 'A sign-in code (`two_step_code`).' } },
    },
    sentAt: instant('Simulated time of sending.'),
  }, ['id', 'to', 'type', 'text', 'data', 'sentAt'], 'A text message the portal "sent", captured instead of delivered.'),
  SmsList: object({ messages: { type: 'array', items: schema('CapturedSms') } }, ['messages']),
  Enrollment: object({
    paId: { type: 'integer', minimum: 1 },
    company: { type: 'string', description: 'The company\'s name.' },
    email: { type: 'string', format: 'email' },
    state: { const: 'pending' },
    permissions: { type: 'array', items: schema('Permission'), description: 'As sent.' },
    primary: { type: 'boolean' },
    scope: schema('Scope'),
    verificationPin: { type: 'string', pattern: '^\\d{4,8}$' },
    verificationWord: { type: 'string', minLength: 1 },
    accessCode: { type: 'string', pattern: '^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$' },
    welcomeEmail: schema('WelcomeEmail'),
  }, ['paId', 'company', 'email', 'state', 'permissions', 'primary', 'scope', 'verificationPin', 'verificationWord', 'accessCode', 'welcomeEmail'],
  'A new pending PA with what first login needs; the Welcome e-mail is in the outbox.'),
  AdministratorState: object({
    userId: { type: 'string', minLength: 1 }, state: { type: 'string', enum: ['active', 'inactive', 'locked', 'suspended'] }, previousState: { type: 'string' },
  }, ['userId', 'state', 'previousState']),
  AdministratorPermissions: object({
    userId: { type: 'string', minLength: 1 },
    permissions: { type: 'array', items: { $ref: '#/components/schemas/Permission' } },
    added: { type: 'array', items: { $ref: '#/components/schemas/Permission' } },
    removed: { type: 'array', items: { $ref: '#/components/schemas/Permission' } },
    scope: schema('Scope'),
    trackingNumber: { type: 'string', pattern: '^AW\\d{10}$' },
  }, ['userId', 'permissions', 'added', 'removed', 'scope', 'trackingNumber']),
  BuiltCard: object({
    id: { type: 'integer', minimum: 1 }, company: { type: 'string' }, controlAccount: schema('CardControlAccount'), cardmemberName: { type: 'string' }, lastFive: { type: 'string', pattern: '^\\d{5}$' },
    tier: { type: 'string', enum: ['standard', 'premium', 'business', 'prepaid'] }, state: { type: 'string', enum: ['active', 'suspended', 'lost_stolen', 'cancelled'] },
    limitCents: { type: 'integer', minimum: 0 }, temporaryLimitCents: { type: ['integer', 'null'], minimum: 0 },
    temporaryLimitEndsAt: { type: ['string', 'null'], format: 'date-time' },
    trackingNumbers: { type: 'array', items: { type: 'string', pattern: '^AW\\d{10}$' }, minItems: 1, maxItems: 2,
      description: 'The application\'s, then for a card not active the request\'s that put it in its state.' },
  }, ['id', 'company', 'controlAccount', 'cardmemberName', 'lastFive', 'tier', 'state', 'limitCents', 'temporaryLimitCents', 'temporaryLimitEndsAt', 'trackingNumbers'],
  'A card built by POST /sim/api/cards.'),
  BuiltTransaction: object({
    trackingNumber: { type: 'string', pattern: '^AW\\d{10}$' }, company: { type: 'string' }, type: { type: 'string' }, status: { type: 'string' },
    cardId: { type: ['integer', 'null'] },
    nextDueAt: { type: ['string', 'null'], format: 'date-time', description: 'When the clock next moves it; null when it does not.' },
  }, ['trackingNumber', 'company', 'type', 'status', 'cardId', 'nextDueAt'], 'A transaction recorded by POST /sim/api/transactions.'),
  BuiltApplication: object({
    trackingNumber: { type: 'string', pattern: '^AW\\d{10}$' }, company: { type: 'string' },
    state: { type: 'string', enum: ['invited', 'awaiting_approval', 'approved'], description: '`approved` when the company\'s rules ask for no approver and the employee completed it.' },
    applyUrl: { type: ['string', 'null'], format: 'uri', description: 'The employee\'s single-use link, pointing at this sandbox; null once completed.' },
  }, ['trackingNumber', 'company', 'state', 'applyUrl'], 'A card application made by POST /sim/api/applications.'),
  FraudAlert: object({ userId: { type: 'string', minLength: 1 }, state: { const: 'suspended' } }, ['userId', 'state']),
  Card: object({
    id: { type: 'integer', minimum: 1 },
    company: { type: 'string' },
    controlAccount: schema('CardControlAccount'),
    cardmemberName: { type: 'string' },
    lastFive: { type: 'string', pattern: '^\\d{5}$' },
    tier: { type: 'string', enum: ['standard', 'premium', 'business', 'prepaid'] },
    state: { type: 'string', enum: ['active', 'suspended', 'lost_stolen', 'cancelled'] },
    limitCents: { type: 'integer', minimum: 1 },
  }, ['id', 'company', 'controlAccount', 'cardmemberName', 'lastFive', 'tier', 'state', 'limitCents']),
  CardList: object({ cards: { type: 'array', items: schema('Card'), maxItems: 1000 } }, ['cards']),
  CardControlAccount: { ...ACCOUNT_NUMBER, type: ['string', 'null'], description: 'The number of the card\'s control account; null when its company has no hierarchy.' },
  Scope: {
    type: ['array', 'null'], items: ACCOUNT_NUMBER, minItems: 1,
    description: 'The numbers of the control accounts whose subtrees the PA is limited to, sorted (none inside another); null: the whole company.',
  },
  ControlAccount: object({
    company: { type: 'string', description: 'The company\'s name.' },
    number: ACCOUNT_NUMBER,
    name: { type: 'string', minLength: 1 },
    parent: { ...ACCOUNT_NUMBER, type: ['string', 'null'], description: 'The number of the account it sits under; null: directly under the company.' },
    level: { type: 'integer', minimum: 1, maximum: 4, description: '1 for a top-level account.' },
  }, ['company', 'number', 'name', 'parent', 'level'], 'A billing control account of a company\'s hierarchy.'),
  ControlAccountList: object({ controlAccounts: { type: 'array', items: schema('ControlAccount') } }, ['controlAccounts']),
  Charge: object({
    id: { type: 'integer', minimum: 1 },
    cardId: { type: 'integer', minimum: 1 },
    merchant: { type: 'string', minLength: 1 },
    amountCents: { type: 'integer', minimum: 1 },
    status: { type: 'string', enum: ['posted', 'declined'] },
    declineReason: { type: ['string', 'null'], description: 'Why it was declined; null for a posted charge.' },
    at: instant('Simulated time of the charge.'),
  }, ['id', 'cardId', 'merchant', 'amountCents', 'status', 'declineReason', 'at']),
  Fault: { oneOf: [schema('RouteFault'), schema('SmsFault')], description: 'A fault of either kind; `kind` tells which.' },
  RouteFault: object({
    id: { type: 'string', pattern: '^f-[0-9a-f]{8}$' },
    kind: { type: 'string', const: 'route', description: 'A fault on the portal\'s routes.' },
    pattern: { type: 'string', pattern: '^/', description: 'Path pattern; `*` matches any run of characters.' },
    method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], description: 'Absent: any method.' },
    latencyMs: { type: 'integer', minimum: 0, maximum: 30_000 },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    probability: { type: 'number', minimum: 0, maximum: 1 },
    times: { type: 'integer', minimum: 1, description: 'Affected requests before the fault clears itself; absent: until cleared.' },
    hits: count('Requests it has affected so far.'),
  }, ['id', 'kind', 'pattern', 'probability', 'hits'], 'Latency or an error status injected on the portal\'s routes (never on /sim).'),
  SmsFault: object({
    id: { type: 'string', pattern: '^f-[0-9a-f]{8}$' },
    kind: { type: 'string', const: 'sms_undelivered', description: 'Texts to one number vanish.' },
    phone: { type: 'string', pattern: '^\\+\\d{8,15}$', description: 'The E.164 number whose texts vanish.' },
    times: { type: 'integer', minimum: 1, description: 'Texts swallowed before the fault clears itself; absent: until cleared.' },
    hits: count('Texts it has swallowed so far.'),
  }, ['id', 'kind', 'phone', 'hits'], 'Texts to one number that never arrive: not delivered, not in the outbox; the journal records `sms.undelivered`.'),
  Sandbox: object({
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{2,39}$', description: '`default`, `sb-` and 12 hex digits, or the id the script chose.' },
    scenario: { type: 'string', enum: ['default', 'empty'], description: 'The scenario it was created with.' },
    now: instant('The sandbox\'s simulated now.'),
    createdAt: instant('Real time of creation.'),
    lastUsedAt: instant('Real time of its last request; idle sandboxes are closed.'),
    header: object({ 'X-Sim-Sandbox': { type: 'string' } }, ['X-Sim-Sandbox'], 'The header that addresses it.'),
    url: { type: 'string', format: 'uri', pattern: '^https?://[a-z0-9][a-z0-9-]{2,39}\\.[a-z0-9.-]+(:\\d+)?$', description: 'Its own host: <id>.localhost, or <id>.<SIM_BASE_DOMAIN> when asked there, on the port asked.' },
  }, ['id', 'scenario', 'now', 'createdAt', 'lastUsedAt', 'header']),
  CreatedSandbox: { $ref: '#/components/schemas/Sandbox', required: ['url'] },
  SandboxList: object({ sandboxes: { type: 'array', items: schema('Sandbox'), minItems: 1 } }, ['sandboxes']),
  Snapshot: object({
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    simulatedAt: instant('The sandbox\'s simulated now when it was taken: a restore puts the clock back here.'),
    takenAt: instant('Real time it was taken.'),
  }, ['name', 'simulatedAt', 'takenAt'], 'A saved state of the sandbox: data, clock, outbox and sessions.'),
  SnapshotList: object({ snapshots: { type: 'array', items: schema('Snapshot'), maxItems: 20 } }, ['snapshots']),
  Event: object({
    id: { type: 'integer', minimum: 1, description: 'Increasing in the order events were recorded; 1 is the first since the scenario was loaded or reset.' },
    at: instant('Simulated time of what happened (work that fell due carries the moment it fell due).'),
    type: { type: 'string', pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$', description: 'Stable: `login.success`, `transaction.completed`, `email.sent`, `clock.moved`, `fault.fired` … (docs/reference.md §9).' },
    actor: { type: 'string', minLength: 1, description: '`pa:<id>`, `staff:<id>`, `system`, `simulator` or `anonymous`.' },
    actorUserId: { type: ['string', 'null'], description: 'The user ID (PA) or staff ID (help desk) the actor signs in with now; null for anyone else.' },
    subject: { type: ['string', 'null'], description: '`pa:<id>`, `staff:<id>`, `transaction:<tracking number>`, `email:<address>`, `fault:<id>`; null when none.' },
    subjectUserId: { type: ['string', 'null'], description: 'As actorUserId, for the subject.' },
    data: { type: 'object', description: 'Non-secret details: a tracking number, a status, an e-mail\'s type and recipient …; never a password, PIN, word, access code, token or session id.' },
  }, ['id', 'at', 'type', 'actor', 'actorUserId', 'subject', 'subjectUserId', 'data'], 'Something that happened in the sandbox, as the event journal records it.'),
  EventList: object({
    events: { type: 'array', items: schema('Event'), maxItems: 1000 },
    lastId: count('The latest event\'s id so far (0 for none): pass it as `since` to see only what comes next.'),
  }, ['events', 'lastId']),
  LoadedScenario: object({
    name: { type: 'string', description: 'The name reset and sandboxes now take.' },
    replaced: { type: 'boolean', description: 'Whether it took the place of a loaded scenario of that name.' },
  }, ['name', 'replaced']),
  ScenarioDocument: {
    type: 'object', required: ['name', 'clockStart', 'companies', 'programAdministrators', 'staff', 'cards', 'history', 'transactions'],
    description: 'As GET /sim/api/scenario.schema.json describes it in full.',
    properties: {
      name: { type: 'string' }, clockStart: { type: 'string', format: 'date-time' }, companies: { type: 'array' }, programAdministrators: { type: 'array' },
      staff: { type: 'array' }, cards: { type: 'array' }, history: { type: 'array' }, transactions: { type: 'array' },
    },
  },
  JsonSchemaDocument: {
    type: 'object', required: ['$schema', 'type', 'properties'],
    properties: { $schema: { const: 'https://json-schema.org/draft/2020-12/schema' }, type: { const: 'object' }, properties: { type: 'object' } },
  },
  OpenApi: {
    type: 'object', required: ['openapi', 'info', 'paths', 'components'],
    properties: { openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' }, info: { type: 'object' }, paths: { type: 'object' }, components: { type: 'object' } },
  },
};
