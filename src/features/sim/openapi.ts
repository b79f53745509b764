// The simulator API (/sim/api) described as OpenAPI 3.1: served at GET /sim/api/openapi.json for
// tools, and the contract test/http/openapi.test.ts holds the API's real answers to. Request bodies
// and query parameters are generated from the zod schemas the controls validate with
// (sim-schemas.ts), so the document cannot promise what the validation refuses, or the reverse.
import { APP_VERSION } from '../../lib/version';
import { scenarioDocument, scenarioExportQuery } from '../scenarios/scenario-schema';
import { COMPONENT_SCHEMAS, count, object, schema } from './openapi-components';
import { API, accepted, errorWithCode, jsonResponse, operation, pathId, queryParameters, withLargerBody } from './openapi-operations';
import type { OpenApiDocument } from './openapi-types';
import { RULE_BUILDER_PATHS } from './openapi-rule-paths';
import {
  cardsFilter, chargeInput, clockMove, enrollmentInput, anyFaultInput, fraudAlertInput, outboxFilter, outboxWait, resetInput, sandboxInput, smsFilter, smsWait,
  snapshotInput,
} from './sim-schemas';
import { eventsFilter, eventsWait } from './sim-schemas';
import { administratorPermissionsInput, administratorStateInput, controlAccountsFilter } from './sim-schemas';
import { applicationBuildInput, cardBuildInput, transactionBuildInput } from './sim-schemas';

export type { HttpMethod, Operation, Parameter, Reference, Response } from './openapi-types';

const userIdParameter = { name: 'userId', in: 'path' as const, required: true, description: 'A registered PA\'s user ID.', schema: { type: 'string' as const } };

export const OPENAPI_DOCUMENT: OpenApiDocument = {
  openapi: '3.1.1',
  info: {
    title: '@Work Portal Simulator — simulator API',
    version: APP_VERSION,
    description: [
      'JSON controls for QA scripts (docs/reference.md §9): personas, reset, the simulated clock, the captured e-mails and texts, events, faults and sandboxes.',
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
    { name: 'sms', description: 'Captured text messages.' },
    { name: 'events', description: 'Things a script makes happen.' },
    { name: 'journal', description: 'What happened in the sandbox: the event journal.' },
    { name: 'faults', description: 'Latency and errors injected on the portal.' },
    { name: 'sandboxes', description: 'Isolated copies of the whole simulator state.' },
    { name: 'snapshots', description: 'Saved states of one sandbox, to restore by reset.' },
    { name: 'scenarios', description: 'Scenario documents: the format of test data as code.' },
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
    [`${API}/scenario.schema.json`]: {
      get: operation({
        operationId: 'getScenarioSchema', summary: 'The JSON Schema of a scenario document', tags: ['scenarios'],
        description: 'Generated from the schema scenarios are checked with; the same as scenarios/scenario.schema.json in the repository.',
        success: { status: 200, description: 'A JSON Schema (draft 2020-12).', schema: schema('JsonSchemaDocument') },
      }),
    },
    [`${API}/scenarios`]: {
      post: withLargerBody(operation({
        operationId: 'loadScenario', summary: 'Load a scenario document, usable by reset and new sandboxes under its name', tags: ['scenarios'],
        description: 'Checked wholly before anything is written; kept in DATA_DIR across restarts. Loading a name again replaces that loaded scenario.',
        requestBody: { description: 'A scenario document (GET /sim/api/scenario.schema.json).', required: true, schema: accepted(scenarioDocument) },
        success: { status: 201, description: 'Loaded (200 when it replaced a loaded scenario of that name).', schema: schema('LoadedScenario') },
        badRequest: ['invalid_scenario'],
        conflict: ['built_in_scenario', 'too_many_scenarios', 'scenario_busy'],
      })),
    },
    [`${API}/scenario`]: {
      get: operation({
        operationId: 'exportScenario', summary: 'The sandbox\'s current state as a scenario document', tags: ['scenarios'],
        description: 'Times relative to the sandbox\'s simulated now (its `clockStart`); loading it and exporting again gives the same document.',
        parameters: queryParameters(scenarioExportQuery),
        success: { status: 200, description: 'A scenario document (GET /sim/api/scenario.schema.json).', schema: schema('ScenarioDocument') },
        badRequest: ['invalid_input'],
        conflict: ['too_large_to_export'],
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
        operationId: 'resetSandbox', summary: 'Restore the sandbox to a scenario or to a snapshot: data, clock, outbox, sessions', tags: ['state'],
        description: 'The sandbox becomes a copy of the scenario\'s template, and its clock goes back to the scenario epoch (`SCENARIO_EPOCH`). The first reset to a scenario and seed builds the template. With `snapshot`, it becomes the snapshot instead, its clock back at the snapshot\'s `simulatedAt`. Either way long polls end with 409 `sandbox_reset`, and the sandbox\'s snapshots stay.',
        requestBody: { description: 'The scenario (default `default`), or a snapshot; no body is the same as `{}`. A snapshot with a scenario or seed is 400 `invalid_input`.', required: false, schema: accepted(resetInput) },
        success: { status: 200, description: 'Restored; the personas now.', schema: schema('ResetResult') },
        badRequest: ['invalid_input', 'unknown_scenario'],
        notFound: ['unknown_snapshot'],
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
        requestBody: { description: '`{ "advance": "121d" }` or `{ "set": "2026-07-01T08:30:00Z" }`.', required: true, schema: accepted(clockMove) },
        success: { status: 200, description: 'The new simulated now.', schema: schema('Clock') },
        badRequest: ['invalid_input', 'clock_backwards', 'clock_out_of_range'],
      }),
    },
    [`${API}/outbox`]: {
      get: operation({
        operationId: 'listOutbox', summary: 'Captured e-mails, oldest first', tags: ['outbox'], parameters: queryParameters(outboxFilter),
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
        parameters: queryParameters(outboxWait),
        success: { status: 200, description: 'The matching e-mail.', schema: object({ message: schema('CapturedEmail') }, ['message']) },
        badRequest: ['invalid_input'],
        timeout: 'No matching e-mail arrived within `timeoutMs`.',
        conflict: ['sandbox_reset'],
      }),
    },
    [`${API}/sms`]: {
      get: operation({
        operationId: 'listSms', summary: 'Captured text messages, oldest first', tags: ['sms'], parameters: queryParameters(smsFilter),
        success: { status: 200, description: 'The texts matching the filters.', schema: schema('SmsList') },
        badRequest: ['invalid_input'],
      }),
      delete: operation({
        operationId: 'clearSms', summary: 'Forget every captured text message', tags: ['sms'],
        success: { status: 200, description: 'How many were deleted.', schema: object({ deleted: count('Texts deleted.') }, ['deleted']) },
      }),
    },
    [`${API}/sms/wait`]: {
      get: operation({
        operationId: 'waitForSms', summary: 'Long poll: the first matching text message, as soon as one exists', tags: ['sms'],
        description: 'Answers at once with the oldest matching text if there is one; otherwise with the first to arrive, or 408 at the timeout. A text an `sms_undelivered` fault swallowed never arrives. A reset of the sandbox ends the wait at once with 409 `sandbox_reset`, a delete with 404 `unknown_sandbox`.',
        parameters: queryParameters(smsWait),
        success: { status: 200, description: 'The matching text.', schema: object({ message: schema('CapturedSms') }, ['message']) },
        badRequest: ['invalid_input'],
        timeout: 'No matching text arrived within `timeoutMs`.',
        conflict: ['sandbox_reset'],
      }),
    },
    [`${API}/events`]: {
      get: operation({
        operationId: 'listEvents', summary: 'The event journal, in order: sign-ins, transactions, e-mails, help-desk actions, clock moves, faults fired', tags: ['journal'],
        description: 'At most 1000 events, the oldest first; page on with `since` set to the last id read.',
        parameters: queryParameters(eventsFilter),
        success: { status: 200, description: 'The matching events and the latest id so far.', schema: schema('EventList') },
        badRequest: ['invalid_input'],
      }),
    },
    [`${API}/events/wait`]: {
      get: operation({
        operationId: 'waitForEvent', summary: 'Long poll: the first matching event, as soon as it is recorded', tags: ['journal'],
        description: 'Answers at once with the first matching event after `since` if there is one; otherwise with the first to be recorded, or 408 at the timeout. A reset of the sandbox ends the wait at once with 409 `sandbox_reset`, a delete with 404 `unknown_sandbox`.',
        parameters: queryParameters(eventsWait),
        success: { status: 200, description: 'The matching event.', schema: object({ event: schema('Event') }, ['event']) },
        badRequest: ['invalid_input'],
        timeout: 'No matching event was recorded within `timeoutMs`.',
        conflict: ['sandbox_reset'],
      }),
    },
    [`${API}/enrollments`]: {
      post: operation({
        operationId: 'enrollProgramAdministrator', summary: 'Enroll a new PA; the Welcome e-mail goes to the outbox', tags: ['events'],
        description: 'With `scope`, the PA is limited to the subtrees of those control accounts from the start; the answer gives the scope as it stands (accounts inside another one listed dropped).',
        requestBody: { description: 'The new PA. An unknown company is 400 `invalid_input` on `company`; a scope naming an account the company does not have, 400 `unknown_control_account`.', required: true, schema: accepted(enrollmentInput) },
        success: { status: 201, description: 'Enrolled, pending first login.', schema: schema('Enrollment') },
        badRequest: ['invalid_input', 'unknown_control_account'],
        conflict: ['primary_exists'],
      }),
    },
    [`${API}/administrators/{userId}/state`]: {
      post: operation({
        operationId: 'setAdministratorState', summary: 'Set a PA\'s state as the portal or the help desk would leave it', tags: ['state'],
        description: 'locked: the failed-login count at the limit (`account.locked`); inactive: the last login past the inactivity period (`account.deactivated`); suspended: as POST /sim/api/fraud-alerts; active: count cleared and inactivity restarted. Their sessions end unless active. A user ID no registered PA holds is 404; the state they are already in is 409 `no_change`.',
        parameters: [userIdParameter],
        requestBody: { description: 'The state to leave them in.', required: true, schema: accepted(administratorStateInput) },
        success: { status: 200, description: 'Set.', schema: schema('AdministratorState') },
        badRequest: ['invalid_input'],
        notFound: ['not_found'],
        conflict: ['no_change'],
      }),
    },
    [`${API}/administrators/{userId}/permissions`]: {
      post: operation({
        operationId: 'setAdministratorPermissions', summary: 'Set a PA\'s permissions as the help desk\'s permission change does', tags: ['state'],
        description: 'A completed `permission_change` transaction, the `helpdesk.permissions_changed` audit event and a `permissions_changed` e-mail; their sessions see the new permissions, and the new scope if `scope` is given, at their next request. The same permissions and scope again are 409 `no_change`; none for a primary PA, 409 `last_permission`; a scope narrower than the company for a primary PA, 409 `primary_scope`; a scope naming an account the company does not have, 400 `unknown_control_account`.',
        parameters: [userIdParameter],
        requestBody: { description: 'The whole set of permissions afterwards, and the scope if it changes.', required: true, schema: accepted(administratorPermissionsInput) },
        success: { status: 200, description: 'Changed.', schema: schema('AdministratorPermissions') },
        badRequest: ['invalid_input', 'unknown_control_account'],
        notFound: ['not_found'],
        conflict: ['no_change', 'last_permission', 'primary_scope'],
      }),
    },
    [`${API}/fraud-alerts`]: {
      post: operation({
        operationId: 'raiseFraudAlert', summary: 'Suspend a PA as a fraud alert would', tags: ['events'],
        description: 'The PA is suspended, their sessions end and a `fraud_alert` e-mail is sent. A user ID no registered PA holds (pending PAs have none yet, staff are not PAs) is 404.',
        requestBody: { description: 'Whom to suspend.', required: true, schema: accepted(fraudAlertInput) },
        success: { status: 200, description: 'Suspended.', schema: schema('FraudAlert') },
        badRequest: ['invalid_input'],
        notFound: ['not_found'],
        conflict: ['not_registered'],
      }),
    },
    [`${API}/cards`]: {
      get: operation({
        operationId: 'listCards', summary: 'The cards scripts can add charges to', tags: ['events'],
        parameters: queryParameters(cardsFilter),
        success: { status: 200, description: 'Up to 1,000 cards, by id.', schema: schema('CardList') },
      }),
      post: operation({
        operationId: 'createCard', summary: 'A card in any state, recorded as the portal records a new card', tags: ['state'],
        description: 'A completed `card_application` transaction (submitted, in progress, completed at the simulated now) with the card attached; for a card not active, the completed `card_suspend`, `card_replace` (lost or stolen) or `card_cancel` that put it there. The card and its transactions are in `controlAccount`, or the company\'s first top-level account: PAs scoped elsewhere do not see them. An unknown company is 404; an account number the company does not have 400 `unknown_control_account`; a limit above the program maximum 409 `limit_above_maximum`; a second active card of the tier for the cardmember 409 `duplicate_card`.',
        requestBody: { description: 'The card.', required: true, schema: accepted(cardBuildInput) },
        success: { status: 201, description: 'Created.', schema: schema('BuiltCard') },
        badRequest: ['invalid_input', 'unknown_control_account'],
        notFound: ['not_found'],
        conflict: ['limit_above_maximum', 'duplicate_card'],
      }),
    },
    [`${API}/control-accounts`]: {
      get: operation({
        operationId: 'listControlAccounts', summary: 'Each company\'s control accounts: what a card\'s `controlAccount` and a PA\'s `scope` name', tags: ['events'],
        parameters: queryParameters(controlAccountsFilter),
        success: { status: 200, description: 'Every control account, by company, then number; none for a company there is not.', schema: schema('ControlAccountList') },
        badRequest: ['invalid_input'],
      }),
    },
    [`${API}/transactions`]: {
      post: operation({
        operationId: 'createTransaction', summary: 'A transaction of any type in any status, with its history, as a scenario file records one', tags: ['state'],
        description: 'Each event of its history is in the journal. A submitted or in-progress transaction of a type the clock moves falls due as the portal\'s own request would (or `dueInMinutes` from now). An unknown company, submitter or card is 404; a PA or card of another company 409 `wrong_company`.',
        requestBody: { description: 'The transaction.', required: true, schema: accepted(transactionBuildInput) },
        success: { status: 201, description: 'Recorded.', schema: schema('BuiltTransaction') },
        badRequest: ['invalid_input'],
        notFound: ['not_found'],
        conflict: ['wrong_company'],
      }),
    },
    [`${API}/applications`]: {
      post: operation({
        operationId: 'createApplication', summary: 'Invite an employee to apply for a card, as a PA would; optionally completed by the employee at once', tags: ['state'],
        description: 'The `application_invitation` e-mail goes to the outbox and the `card_application` transaction waits, with no due time, for the employee and then the approvers (as the company\'s rules say). An unknown inviter is 404; one who is not active or lacks cards.apply, 409 `not_permitted`; an account outside their scope or a limit above the program maximum, 400 `invalid_input`.',
        requestBody: { description: 'The invitation.', required: true, schema: accepted(applicationBuildInput) },
        success: { status: 201, description: 'Invited.', schema: schema('BuiltApplication') },
        badRequest: ['invalid_input'],
        notFound: ['not_found'],
        conflict: ['not_permitted'],
      }),
    },
    ...RULE_BUILDER_PATHS,
    [`${API}/charges`]: {
      post: operation({
        operationId: 'addCharge', summary: 'A posted charge, or a decline with declineReason, on a card', tags: ['events'],
        requestBody: { description: 'The charge.', required: true, schema: accepted(chargeInput) },
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
        operationId: 'injectFault', summary: 'Inject latency or an error status on matching routes, or lose the texts to one number', tags: ['faults'],
        requestBody: { description: 'The fault: on routes (`kind` absent or `route`), or `sms_undelivered`.', required: true, schema: accepted(anyFaultInput) },
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
        requestBody: { description: 'The scenario (default `default`) and optionally the id; no body is the same as `{}`.', required: false, schema: accepted(sandboxInput) },
        success: { status: 201, description: 'Created; address it by `header` or `url`.', schema: schema('CreatedSandbox') },
        badRequest: ['invalid_input'],
        conflict: ['sandbox_exists'],
        misdirected: 'This process is one shard of several and another holds the chosen `id`: create it through the balancer.',
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
    [`${API}/snapshots`]: {
      get: operation({
        operationId: 'listSnapshots', summary: 'This sandbox\'s snapshots, oldest first', tags: ['snapshots'],
        success: { status: 200, description: 'Its snapshots.', schema: schema('SnapshotList') },
      }),
      post: operation({
        operationId: 'saveSnapshot', summary: 'Save this sandbox\'s whole state under a name: data, clock, outbox, sessions', tags: ['snapshots'],
        description: 'Faults are not saved. Saving a name again replaces it; `POST /sim/api/reset { "snapshot": name }` brings it back. Snapshots stay across restarts and resets, and go when the sandbox is deleted or closed idle.',
        requestBody: { description: 'The snapshot\'s name.', required: true, schema: accepted(snapshotInput) },
        success: { status: 201, description: 'Saved.', schema: object({ snapshot: schema('Snapshot') }, ['snapshot']) },
        badRequest: ['invalid_input'],
        tooMany: 'The sandbox keeps 20 snapshots already; delete one, or save under one of their names.',
        tooManyCode: 'too_many_snapshots',
      }),
    },
    [`${API}/snapshots/{name}`]: {
      delete: operation({
        operationId: 'deleteSnapshot', summary: 'Forget one snapshot', tags: ['snapshots'],
        parameters: [{ name: 'name', in: 'path', required: true, description: 'The snapshot\'s name.', schema: { type: 'string' } }],
        success: { status: 200, description: 'Deleted.', schema: object({ deleted: { type: 'string', description: 'The name deleted.' } }, ['deleted']) },
        badRequest: ['bad_request'],
        notFound: ['unknown_snapshot'],
      }),
    },
  },
  components: {
    schemas: COMPONENT_SCHEMAS,
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
