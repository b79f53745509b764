// The simulator API (/sim/api) described as OpenAPI 3.1: served at GET /sim/api/openapi.json for
// tools, and the contract test/http/openapi.test.ts holds the API's real answers to.
import { APP_VERSION } from '../../lib/version';
import { ALL_PERMISSIONS } from '../permissions/permissions';

type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), with the keywords this document uses. */
export interface JsonSchema {
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  examples?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
}

export interface Reference {
  $ref: string;
}

export interface Parameter {
  name: string;
  in: 'query' | 'header' | 'path';
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface MediaType {
  schema: JsonSchema;
}

export interface RequestBody {
  description: string;
  required: boolean;
  content: Record<string, MediaType>;
}

export interface Header {
  description: string;
  schema: JsonSchema;
}

export interface Response {
  description: string;
  headers?: Record<string, Header>;
  content?: Record<string, MediaType>;
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters: Array<Parameter | Reference>;
  requestBody?: RequestBody;
  responses: Record<string, Response | Reference>;
}

export type HttpMethod = 'get' | 'post' | 'delete';
export type PathItem = Partial<Record<HttpMethod, Operation>>;

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string; description: string }>;
  security: Array<Record<string, string[]>>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, Response>;
    parameters: Record<string, Parameter>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; description: string }>;
  };
}

const API = '/sim/api';
const JSON_MEDIA = 'application/json';

const schema = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const response = (name: string): Reference => ({ $ref: `#/components/responses/${name}` });

function jsonResponse(description: string, body: JsonSchema, headers?: Record<string, Header>): Response {
  return { description, ...(headers ? { headers } : {}), content: { [JSON_MEDIA]: { schema: body } } };
}

/** The Error shape with its code narrowed to the ones a response can carry. */
function errorWithCode(codes: string[]): JsonSchema {
  return { $ref: '#/components/schemas/Error', properties: { error: { properties: { code: { enum: codes } } } } };
}

/** What each error code of a 400 or 409 means, for the response's description. */
const CODE_MEANINGS: Record<string, string> = {
  invalid_input: '`invalid_input`: the input is not valid; `fields` names each field at fault (`_` for the whole body).',
  malformed_body: '`malformed_body`: the body is not JSON.',
  unknown_scenario: '`unknown_scenario`: there is no scenario of that name.',
  clock_backwards: '`clock_backwards`: the clock only moves forward.',
  clock_out_of_range: '`clock_out_of_range`: the clock cannot move past the end of the year 2099.',
  bad_request: '`bad_request`: the address could not be read (a broken %-escape).',
  primary_exists: '`primary_exists`: the company already has a primary PA.',
  not_registered: '`not_registered`: a pending PA has no access to suspend.',
  default_sandbox: '`default_sandbox`: the default sandbox cannot be deleted; reset it instead.',
  sandbox_reset: '`sandbox_reset`: the sandbox was reset while the request waited.',
};

const meaning = (codes: string[]) => codes.map((code) => CODE_MEANINGS[code] ?? `\`${code}\``).join(' ');

/** A 400 that may be invalid_input (with fields) or one of the other codes. */
function badRequestBody(codes: string[]): JsonSchema {
  const others = codes.filter((code) => code !== 'invalid_input');
  if (!codes.includes('invalid_input')) return errorWithCode(others);
  return others.length === 0 ? schema('ValidationError') : { anyOf: [schema('ValidationError'), errorWithCode(others)] };
}

/** A string the API trims before checking it is 1..max characters long. */
function trimmedText(max: number, description: string): JsonSchema {
  return { type: 'string', pattern: `^\\s*\\S(?:[\\s\\S]{0,${max - 2}}\\S)?\\s*$`, description: `${description} Trimmed, then 1 to ${max} characters.` };
}

const object = (properties: Record<string, JsonSchema>, required: string[], description?: string): JsonSchema => ({
  type: 'object', ...(description ? { description } : {}), properties, required, additionalProperties: false,
});

const instant = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });
const count = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });
const SEED: JsonSchema = { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1, description: 'Seeds the generator of bulk data; the same seed gives the same data. 1 when absent.' };

interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { description: string; required: boolean; schema: JsonSchema };
  success: { status: 200 | 201; description: string; schema: JsonSchema };
  /** Codes of a 400 besides malformed_body, which every request with a body can get. */
  badRequest?: string[];
  /** Codes of a 404 besides unknown_sandbox, which every request can get. */
  notFound?: string[];
  timeout?: string;
  conflict?: string[];
  tooMany?: string;
}

/**
 * An operation with what every call shares: the sandbox header, the token (401), an unknown sandbox
 * (404), a failure on our side (500), and for a JSON body malformed_body (400), 413 and 415.
 */
function operation(spec: OperationSpec): Operation {
  const responses: Record<string, Response | Reference> = {
    [spec.success.status]: jsonResponse(spec.success.description, spec.success.schema),
  };
  const badRequest = [...(spec.badRequest ?? []), ...(spec.requestBody ? ['malformed_body'] : [])];
  if (badRequest.length > 0) {
    responses[400] = jsonResponse(meaning(badRequest), badRequestBody(badRequest));
  }
  responses[401] = response('Unauthorized');
  responses[404] = spec.notFound
    ? jsonResponse('No such thing (`not_found`), or no sandbox with the id in `X-Sim-Sandbox` or the host (`unknown_sandbox`).', errorWithCode([...spec.notFound, 'unknown_sandbox']))
    : response('UnknownSandbox');
  if (spec.timeout) responses[408] = jsonResponse(spec.timeout, errorWithCode(['timeout']));
  if (spec.conflict) responses[409] = jsonResponse(meaning(spec.conflict), errorWithCode(spec.conflict));
  if (spec.requestBody) {
    responses[413] = response('PayloadTooLarge');
    responses[415] = response('UnsupportedEncoding');
  }
  if (spec.tooMany) {
    responses[429] = jsonResponse(spec.tooMany, errorWithCode(['too_many_sandboxes']), {
      'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string', pattern: '^\\d+$' } },
    });
  }
  responses[500] = response('InternalError');
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    parameters: [{ $ref: '#/components/parameters/SandboxHeader' }, ...(spec.parameters ?? [])],
    ...(spec.requestBody
      ? { requestBody: { description: spec.requestBody.description, required: spec.requestBody.required, content: { [JSON_MEDIA]: { schema: spec.requestBody.schema } } } }
      : {}),
    responses,
  };
}

const query = (name: string, description: string, valueSchema: JsonSchema): Parameter => ({ name, in: 'query', required: false, description, schema: valueSchema });
const pathId = (description: string, valueSchema: JsonSchema): Parameter => ({ name: 'id', in: 'path', required: true, description, schema: valueSchema });

const OUTBOX_FILTERS: Parameter[] = [
  query('to', 'Only e-mails to this address (any case).', { type: 'string', maxLength: 320 }),
  query('type', 'Only e-mails of this type (`welcome`, `password_reset` …).', { type: 'string', maxLength: 64 }),
];

const PA_STATES = ['pending', 'active', 'inactive', 'locked', 'suspended'];
const STAFF_STATES = ['active', 'locked'];

const schemas: Record<string, JsonSchema> = {
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
  }, ['ok', 'version', 'now', 'sandbox']),
  Persona: {
    ...object({
      userId: { type: 'string', minLength: 1, description: 'The user ID: the one chosen at first login once the PA registered (staff ID for help-desk staff); for a pending PA the one scripts choose at /register.' },
      password: { type: 'string', minLength: 1, description: 'The password that signs them in: the one last set through the portal (first login, reset), else the scenario\'s.' },
      passwordChangedAt: { type: ['string', 'null'], format: 'date-time', description: 'Simulated time the password was last set through the portal; null while it is the scenario\'s.' },
      email: { type: 'string', format: 'email' },
      verificationPin: { type: ['string', 'null'], pattern: '^\\d{4,8}$', description: 'A PA\'s Verification PIN; null for staff.' },
      verificationWord: { type: ['string', 'null'], minLength: 1, description: 'A PA\'s Verification Word; null for staff.' },
      accessCode: { type: ['string', 'null'], description: 'The seeded Access Code while the PA is pending; null afterwards and for staff.' },
      role: { type: 'string', enum: ['program_administrator', 'agent', 'supervisor'] },
      primary: { type: 'boolean', description: 'The primary PA of their company.' },
      company: { type: ['string', 'null'], description: 'The PA\'s company; null for staff.' },
      permissions: { type: 'array', items: schema('Permission'), description: 'Sorted; empty for staff.' },
      state: { type: 'string', enum: PA_STATES, description: 'The state right now.' },
    }, ['userId', 'password', 'passwordChangedAt', 'email', 'verificationPin', 'verificationWord', 'accessCode', 'role', 'primary', 'company', 'permissions', 'state'],
    'A seeded person with the credentials that sign them in and their state right now.'),
    if: { properties: { role: { const: 'program_administrator' } } },
    then: { properties: { company: { type: 'string' }, verificationPin: { type: 'string' }, verificationWord: { type: 'string' } } },
    else: {
      properties: {
        company: { type: 'null' }, verificationPin: { type: 'null' }, verificationWord: { type: 'null' }, accessCode: { type: 'null' },
        primary: { const: false }, permissions: { maxItems: 0 }, state: { enum: STAFF_STATES },
      },
    },
  },
  PersonaList: object({ personas: { type: 'array', items: schema('Persona') } }, ['personas']),
  ResetResult: object({
    scenario: { type: 'string', enum: ['default', 'empty', 'large'] },
    personas: { type: 'array', items: schema('Persona') },
  }, ['scenario', 'personas']),
  Clock: object({ now: instant('The simulated now.') }, ['now']),
  CapturedEmail: object({
    id: { type: 'integer', minimum: 1, description: 'Increasing in the order the e-mails were sent.' },
    to: { type: 'string', format: 'email' },
    subject: { type: 'string' },
    text: { type: 'string' },
    html: { type: 'string' },
    type: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', description: 'What kind of e-mail: `welcome`, `password_reset`, `password_reset_unavailable`, `password_changed`, `fraud_alert`, `reactivated`, `unlocked`, `user_id_reminder`, `permissions_changed`, `contact_updated` …' },
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
  Enrollment: object({
    paId: { type: 'integer', minimum: 1 },
    company: { type: 'string', description: 'The company\'s name.' },
    email: { type: 'string', format: 'email' },
    state: { const: 'pending' },
    permissions: { type: 'array', items: schema('Permission'), description: 'As sent.' },
    primary: { type: 'boolean' },
    verificationPin: { type: 'string', pattern: '^\\d{4,8}$' },
    verificationWord: { type: 'string', minLength: 1 },
    accessCode: { type: 'string', pattern: '^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$' },
    welcomeEmail: schema('WelcomeEmail'),
  }, ['paId', 'company', 'email', 'state', 'permissions', 'primary', 'verificationPin', 'verificationWord', 'accessCode', 'welcomeEmail'],
  'A new pending PA with what first login needs; the Welcome e-mail is in the outbox.'),
  FraudAlert: object({ userId: { type: 'string', minLength: 1 }, state: { const: 'suspended' } }, ['userId', 'state']),
  Card: object({
    id: { type: 'integer', minimum: 1 },
    company: { type: 'string' },
    cardmemberName: { type: 'string' },
    lastFive: { type: 'string', pattern: '^\\d{5}$' },
    tier: { type: 'string', enum: ['standard', 'premium', 'business', 'prepaid'] },
    state: { type: 'string', enum: ['active', 'suspended', 'lost_stolen', 'cancelled'] },
    limitCents: { type: 'integer', minimum: 1 },
  }, ['id', 'company', 'cardmemberName', 'lastFive', 'tier', 'state', 'limitCents']),
  CardList: object({ cards: { type: 'array', items: schema('Card'), maxItems: 1000 } }, ['cards']),
  Charge: object({
    id: { type: 'integer', minimum: 1 },
    cardId: { type: 'integer', minimum: 1 },
    merchant: { type: 'string', minLength: 1 },
    amountCents: { type: 'integer', minimum: 1 },
    status: { type: 'string', enum: ['posted', 'declined'] },
    declineReason: { type: ['string', 'null'], description: 'Why it was declined; null for a posted charge.' },
    at: instant('Simulated time of the charge.'),
  }, ['id', 'cardId', 'merchant', 'amountCents', 'status', 'declineReason', 'at']),
  Fault: object({
    id: { type: 'string', pattern: '^f-[0-9a-f]{8}$' },
    pattern: { type: 'string', pattern: '^/', description: 'Path pattern; `*` matches any run of characters.' },
    method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], description: 'Absent: any method.' },
    latencyMs: { type: 'integer', minimum: 0, maximum: 30_000 },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    probability: { type: 'number', minimum: 0, maximum: 1 },
    times: { type: 'integer', minimum: 1, description: 'Affected requests before the fault clears itself; absent: until cleared.' },
    hits: count('Requests it has affected so far.'),
  }, ['id', 'pattern', 'probability', 'hits'], 'Latency or an error status injected on the portal\'s routes (never on /sim).'),
  Sandbox: object({
    id: { type: 'string', pattern: '^(default|sb-[0-9a-f]{12})$' },
    scenario: { type: 'string', enum: ['default', 'empty'], description: 'The scenario it was created with.' },
    now: instant('The sandbox\'s simulated now.'),
    createdAt: instant('Real time of creation.'),
    lastUsedAt: instant('Real time of its last request; idle sandboxes are closed.'),
    header: object({ 'X-Sim-Sandbox': { type: 'string' } }, ['X-Sim-Sandbox'], 'The header that addresses it.'),
    url: { type: 'string', format: 'uri', pattern: '^https?://(default|sb-[0-9a-f]{12})\\.localhost(:\\d+)?$', description: 'Its own host: <id>.localhost on the port asked.' },
  }, ['id', 'scenario', 'now', 'createdAt', 'lastUsedAt', 'header']),
  CreatedSandbox: { $ref: '#/components/schemas/Sandbox', required: ['url'] },
  SandboxList: object({ sandboxes: { type: 'array', items: schema('Sandbox'), minItems: 1 } }, ['sandboxes']),
  OpenApi: {
    type: 'object', required: ['openapi', 'info', 'paths', 'components'],
    properties: { openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' }, info: { type: 'object' }, paths: { type: 'object' }, components: { type: 'object' } },
  },
};

const requestBodies = {
  reset: object({
    scenario: { type: 'string', maxLength: 64, default: 'default', description: '`default`, `empty` or `large`; another name gets 400 `unknown_scenario`.' },
    seed: SEED,
  }, []),
  clock: {
    description: 'Either `advance` or `set`, not both.',
    oneOf: [
      object({ advance: { type: 'string', minLength: 1, maxLength: 64, description: 'A duration: "90m", "121d", "1h30m", "P1DT2H" (units ms, s, m, h, d, w).', examples: ['121d'] } }, ['advance']),
      object({ set: { type: 'string', format: 'date-time', description: 'An ISO-8601 instant with Z or an offset, not before now.' } }, ['set']),
    ],
  },
  enrollment: object({
    company: { type: 'string', minLength: 1, maxLength: 200, description: 'The company\'s name (any case), program number or id.' },
    firstName: trimmedText(100, 'First name.'),
    lastName: trimmedText(100, 'Last name.'),
    email: { type: 'string', format: 'email', maxLength: 320 },
    phone: { type: 'string', maxLength: 40 },
    permissions: { type: 'array', items: schema('Permission'), maxItems: 20, default: ['cards.view'] },
    primary: { type: 'boolean', default: false, description: 'Enroll the company\'s primary PA; 409 if it has one.' },
    verificationPin: { type: 'string', pattern: '^\\d{4,8}$', description: 'Generated (4 digits) when absent.' },
    verificationWord: { type: 'string', pattern: '^\\s*[\\p{L}\\p{N}-]{3,40}\\s*$', description: 'One word of 3 to 40 letters, digits or hyphens (trimmed); one of a list when absent.' },
  }, ['company', 'firstName', 'lastName', 'email']),
  fraudAlert: object({ userId: { type: 'string', minLength: 1, maxLength: 64, description: 'A registered PA\'s user ID.' } }, ['userId']),
  charge: object({
    cardId: { type: 'integer', minimum: 1, description: 'From GET /sim/api/cards.' },
    merchant: trimmedText(100, 'Merchant name.'),
    amountCents: { type: 'integer', minimum: 1, maximum: 100_000_000 },
    declineReason: trimmedText(200, 'Makes it a declined charge with this reason; a posted charge when absent.'),
    daysAgo: { type: 'integer', minimum: 0, maximum: 365, description: 'Days before the simulated now; now when absent.' },
  }, ['cardId', 'merchant', 'amountCents']),
  fault: {
    ...object({
      pattern: { type: 'string', minLength: 1, maxLength: 200, pattern: '^/', description: 'A path pattern: `*` matches any run of characters ("/cards/*").' },
      method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], description: 'Only this method; any when absent.' },
      latencyMs: { type: 'integer', minimum: 0, maximum: 30_000 },
      status: { type: 'integer', minimum: 400, maximum: 599, description: 'Answer with this status (after any latency).' },
      probability: { type: 'number', minimum: 0, maximum: 1, default: 1 },
      times: { type: 'integer', minimum: 1, maximum: 1_000_000, description: 'Affected requests before it clears itself; unlimited when absent.' },
    }, ['pattern']),
    description: 'Give `latencyMs`, `status`, or both.',
    anyOf: [{ required: ['latencyMs'] }, { required: ['status'] }],
  },
  sandbox: object({
    scenario: { type: 'string', enum: ['default', 'empty'], default: 'default' },
    seed: SEED,
  }, []),
};

export const OPENAPI_DOCUMENT: OpenApiDocument = {
  openapi: '3.1.1',
  info: {
    title: '@Work Portal Simulator — simulator API',
    version: APP_VERSION,
    description: [
      'JSON controls for QA scripts (docs/reference.md §9): personas, reset, the simulated clock, the captured outbox, events, faults and sandboxes.',
      'Every call needs `Authorization: Bearer <token>` (`SIM_TOKEN`, or the token kept in `$DATA_DIR/sim-token`).',
      'A request addresses a sandbox by the `X-Sim-Sandbox` header or the host `<id>.localhost`; without either, the default sandbox.',
      'Errors are `{ error: { code, message, fields? } }`. Bodies are JSON of at most 64 kB; a request that carries a body it cannot read gets 400 `malformed_body`, 413 or 415, whatever the route.',
    ].join('\n\n'),
  },
  servers: [{ url: '/', description: 'The simulator serving this document (http://127.0.0.1:3000 by default).' }],
  security: [{ simToken: [] }],
  tags: [
    { name: 'simulator', description: 'The simulator itself.' },
    { name: 'state', description: 'Personas and scenario reset.' },
    { name: 'clock', description: 'The simulated clock.' },
    { name: 'outbox', description: 'Captured e-mails.' },
    { name: 'events', description: 'Things a script makes happen.' },
    { name: 'faults', description: 'Latency and errors injected on the portal.' },
    { name: 'sandboxes', description: 'Isolated copies of the whole simulator state.' },
  ],
  paths: {
    [`${API}/health`]: {
      get: operation({
        operationId: 'getHealth', summary: 'Liveness, version, simulated now and the sandbox answering', tags: ['simulator'],
        success: { status: 200, description: 'Alive.', schema: schema('Health') },
      }),
    },
    [`${API}/openapi.json`]: {
      get: operation({
        operationId: 'getOpenApiDocument', summary: 'This document', tags: ['simulator'],
        success: { status: 200, description: 'The OpenAPI 3.1 description of the simulator API.', schema: schema('OpenApi') },
      }),
    },
    [`${API}/personas`]: {
      get: operation({
        operationId: 'listPersonas', summary: 'Every seeded person with credentials and current state', tags: ['state'],
        success: { status: 200, description: 'The personas of the scenario loaded; none for `empty`.', schema: schema('PersonaList') },
      }),
    },
    [`${API}/reset`]: {
      post: operation({
        operationId: 'resetSandbox', summary: 'Restore the sandbox to a scenario: data, clock, outbox, sessions', tags: ['state'],
        description: 'The sandbox becomes a copy of the scenario\'s template, and its clock goes back to the scenario epoch (`SCENARIO_EPOCH`). The first reset to a scenario and seed builds the template.',
        requestBody: { description: 'The scenario (default `default`); no body is the same as `{}`.', required: false, schema: requestBodies.reset },
        success: { status: 200, description: 'Restored; the scenario\'s personas.', schema: schema('ResetResult') },
        badRequest: ['invalid_input', 'unknown_scenario'],
      }),
    },
    [`${API}/clock`]: {
      get: operation({
        operationId: 'getClock', summary: 'The simulated now', tags: ['clock'],
        success: { status: 200, description: 'The simulated now.', schema: schema('Clock') },
      }),
      post: operation({
        operationId: 'moveClock', summary: 'Move simulated time forward, then do the work that fell due', tags: ['clock'],
        description: 'Due work (request lifecycle, temporary limits ending, inactivity) is done before the answer. Time never runs backwards: `set` before now is 400 `clock_backwards`.',
        requestBody: { description: '`{ "advance": "121d" }` or `{ "set": "2026-07-01T08:30:00Z" }`.', required: true, schema: requestBodies.clock },
        success: { status: 200, description: 'The new simulated now.', schema: schema('Clock') },
        badRequest: ['invalid_input', 'clock_backwards', 'clock_out_of_range'],
      }),
    },
    [`${API}/outbox`]: {
      get: operation({
        operationId: 'listOutbox', summary: 'Captured e-mails, oldest first', tags: ['outbox'], parameters: OUTBOX_FILTERS,
        success: { status: 200, description: 'The e-mails matching the filters.', schema: schema('MessageList') },
        badRequest: ['invalid_input'],
      }),
      delete: operation({
        operationId: 'clearOutbox', summary: 'Forget every captured e-mail', tags: ['outbox'],
        success: { status: 200, description: 'How many were deleted.', schema: object({ deleted: count('E-mails deleted.') }, ['deleted']) },
      }),
    },
    [`${API}/outbox/wait`]: {
      get: operation({
        operationId: 'waitForEmail', summary: 'Long poll: the first matching e-mail, as soon as one exists', tags: ['outbox'],
        description: 'Answers at once with the oldest matching e-mail if there is one; otherwise with the first to arrive, or 408 at the timeout. A reset of the sandbox ends the wait at once with 409 `sandbox_reset`, a delete with 404 `unknown_sandbox`.',
        parameters: [...OUTBOX_FILTERS, query('timeoutMs', 'How long to wait, in milliseconds.', { type: 'integer', minimum: 0, maximum: 60_000, default: 10_000 })],
        success: { status: 200, description: 'The matching e-mail.', schema: object({ message: schema('CapturedEmail') }, ['message']) },
        badRequest: ['invalid_input'],
        timeout: 'No matching e-mail arrived within `timeoutMs`.',
        conflict: ['sandbox_reset'],
      }),
    },
    [`${API}/enrollments`]: {
      post: operation({
        operationId: 'enrollProgramAdministrator', summary: 'Enroll a new PA; the Welcome e-mail goes to the outbox', tags: ['events'],
        requestBody: { description: 'The new PA. An unknown company is 400 `invalid_input` on `company`.', required: true, schema: requestBodies.enrollment },
        success: { status: 201, description: 'Enrolled, pending first login.', schema: schema('Enrollment') },
        badRequest: ['invalid_input'],
        conflict: ['primary_exists'],
      }),
    },
    [`${API}/fraud-alerts`]: {
      post: operation({
        operationId: 'raiseFraudAlert', summary: 'Suspend a PA as a fraud alert would', tags: ['events'],
        description: 'The PA is suspended, their sessions end and a `fraud_alert` e-mail is sent. A user ID no registered PA holds (pending PAs have none yet, staff are not PAs) is 404.',
        requestBody: { description: 'Whom to suspend.', required: true, schema: requestBodies.fraudAlert },
        success: { status: 200, description: 'Suspended.', schema: schema('FraudAlert') },
        badRequest: ['invalid_input'],
        notFound: ['not_found'],
        conflict: ['not_registered'],
      }),
    },
    [`${API}/cards`]: {
      get: operation({
        operationId: 'listCards', summary: 'The cards scripts can add charges to', tags: ['events'],
        parameters: [query('company', 'Only this company\'s cards (its name, any case). Longer than 200 characters is cut.', { type: 'string' })],
        success: { status: 200, description: 'Up to 1,000 cards, by id.', schema: schema('CardList') },
      }),
    },
    [`${API}/charges`]: {
      post: operation({
        operationId: 'addCharge', summary: 'A posted charge, or a decline with declineReason, on a card', tags: ['events'],
        requestBody: { description: 'The charge.', required: true, schema: requestBodies.charge },
        success: { status: 201, description: 'Added.', schema: object({ charge: schema('Charge') }, ['charge']) },
        badRequest: ['invalid_input'],
        notFound: ['not_found'],
      }),
    },
    [`${API}/faults`]: {
      get: operation({
        operationId: 'listFaults', summary: 'The faults active in this sandbox', tags: ['faults'],
        success: { status: 200, description: 'Active faults.', schema: object({ faults: { type: 'array', items: schema('Fault') } }, ['faults']) },
      }),
      post: operation({
        operationId: 'injectFault', summary: 'Inject latency or an error status on matching routes', tags: ['faults'],
        requestBody: { description: 'The fault.', required: true, schema: requestBodies.fault },
        success: { status: 201, description: 'Injected.', schema: object({ fault: schema('Fault') }, ['fault']) },
        badRequest: ['invalid_input'],
      }),
      delete: operation({
        operationId: 'clearFaults', summary: 'Clear every fault', tags: ['faults'],
        success: { status: 200, description: 'How many were cleared.', schema: object({ cleared: count('Faults cleared.') }, ['cleared']) },
      }),
    },
    [`${API}/faults/{id}`]: {
      delete: operation({
        operationId: 'removeFault', summary: 'Clear one fault', tags: ['faults'],
        parameters: [pathId('The fault\'s id.', { type: 'string' })],
        success: { status: 200, description: 'Cleared.', schema: object({ cleared: { const: 1 } }, ['cleared']) },
        badRequest: ['bad_request'],
        notFound: ['not_found'],
      }),
    },
    [`${API}/sandboxes`]: {
      get: operation({
        operationId: 'listSandboxes', summary: 'Every open sandbox, the default one first', tags: ['sandboxes'],
        success: { status: 200, description: 'Open sandboxes.', schema: schema('SandboxList') },
      }),
      post: operation({
        operationId: 'createSandbox', summary: 'An isolated copy of a scenario: its own database, clock, outbox, sessions and faults', tags: ['sandboxes'],
        requestBody: { description: 'The scenario (default `default`); no body is the same as `{}`.', required: false, schema: requestBodies.sandbox },
        success: { status: 201, description: 'Created; address it by `header` or `url`.', schema: schema('CreatedSandbox') },
        badRequest: ['invalid_input'],
        tooMany: 'As many sandboxes as `MAX_SANDBOXES` are open already.',
      }),
    },
    [`${API}/sandboxes/{id}`]: {
      delete: operation({
        operationId: 'deleteSandbox', summary: 'Close a sandbox and remove its files', tags: ['sandboxes'],
        parameters: [pathId('The sandbox\'s id.', { type: 'string' })],
        success: { status: 200, description: 'Deleted.', schema: object({ deleted: { type: 'string', description: 'The id deleted.' } }, ['deleted']) },
        badRequest: ['bad_request'],
        notFound: ['not_found'],
        conflict: ['default_sandbox'],
      }),
    },
  },
  components: {
    schemas,
    responses: {
      Unauthorized: jsonResponse('No valid simulator token.', errorWithCode(['unauthorized']), {
        'WWW-Authenticate': { description: 'The scheme to use.', schema: { type: 'string', pattern: '^Bearer' } },
      }),
      UnknownSandbox: jsonResponse('No sandbox with the id in `X-Sim-Sandbox` or the host: deleted, closed when idle, or never made.', errorWithCode(['unknown_sandbox'])),
      PayloadTooLarge: jsonResponse('The body is larger than 64 kB.', errorWithCode(['payload_too_large'])),
      UnsupportedEncoding: jsonResponse('A body that is not JSON, or a Content-Encoding or charset the API does not accept.', errorWithCode(['unsupported_encoding', 'unsupported_media_type'])),
      InternalError: jsonResponse('Something went wrong on the simulator\'s side; never a stack trace.', errorWithCode(['internal_error'])),
    },
    parameters: {
      SandboxHeader: {
        name: 'X-Sim-Sandbox', in: 'header', required: false,
        description: 'The sandbox to address (any case); the default sandbox when absent. An id that is not open gets 404 `unknown_sandbox`.',
        schema: { type: 'string', examples: ['sb-3f9c2a1b7e4d'] },
      },
    },
    securitySchemes: {
      simToken: { type: 'http', scheme: 'bearer', description: '`SIM_TOKEN`, or the token generated at first start and kept in `$DATA_DIR/sim-token`.' },
    },
  },
};
