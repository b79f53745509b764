// How the OpenAPI document of the simulator API is put together: every operation's shared answers
// (the token, an unknown sandbox, bodies it cannot read), its error codes and what they mean, and
// request schemas generated from the zod schemas the controls validate with.
import { z } from 'zod';
import { MAX_LOADED_SCENARIOS, MAX_SCENARIO_BYTES } from '../scenarios/scenario-catalog';
import { schema } from './openapi-components';
import type { Header, JsonSchema, Operation, Parameter, Reference, Response } from './openapi-types';

export const API = '/sim/api';
export const JSON_MEDIA = 'application/json';

export const response = (name: string): Reference => ({ $ref: `#/components/responses/${name}` });

export function jsonResponse(description: string, body: JsonSchema, headers?: Record<string, Header>): Response {
  return { description, ...(headers ? { headers } : {}), content: { [JSON_MEDIA]: { schema: body } } };
}

/** The Error shape with its code narrowed to the ones a response can carry. */
export function errorWithCode(codes: string[]): JsonSchema {
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
  sandbox_exists: '`sandbox_exists`: a sandbox with that id is open, or being made.',
  invalid_scenario: '`invalid_scenario`: the document is not a valid scenario; `fields` names every problem by its JSON path (`cards[3].state`), references that do not resolve included.',
  built_in_scenario: '`built_in_scenario`: a built-in scenario (`default`, `empty`, `large`) cannot be replaced.',
  too_many_scenarios: `\`too_many_scenarios\`: ${MAX_LOADED_SCENARIOS} scenarios are loaded already.`,
  scenario_busy: '`scenario_busy`: another request is loading a scenario of that name.',
  too_large_to_export: '`too_large_to_export`: the sandbox holds more than a scenario document may (the `large` scenario).',
  unknown_control_account: '`unknown_control_account`: the company has no control account of a number given (`fields` names the field).',
  primary_scope: '`primary_scope`: a primary PA looks after the whole company; their scope cannot be narrowed.',
};

const meaning = (codes: string[]) => codes.map((code) => CODE_MEANINGS[code] ?? `\`${code}\``).join(' ');

/** A 400 that may be invalid_input (with fields) or one of the other codes. */
function badRequestBody(codes: string[]): JsonSchema {
  const others = codes.filter((code) => code !== 'invalid_input');
  if (!codes.includes('invalid_input')) return errorWithCode(others);
  return others.length === 0 ? schema('ValidationError') : { anyOf: [schema('ValidationError'), errorWithCode(others)] };
}


/** The operation of POST /sim/api/scenarios: its body may be larger, and a replacement answers 200. */
export function withLargerBody(op: Operation): Operation {
  const created = op.responses[201] as Response;
  return {
    ...op,
    responses: {
      ...op.responses,
      200: { ...created, description: 'Replaced a loaded scenario of that name.' },
      413: jsonResponse(`The body is larger than ${MAX_SCENARIO_BYTES / 1024 / 1024} MB.`, errorWithCode(['payload_too_large'])),
    },
  };
}

/** What a zod schema accepts, as JSON Schema 2020-12 (the dialect of OpenAPI 3.1). */
export function accepted(zodSchema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(zodSchema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema & { $schema?: string };
  return json;
}

/** Each field of a query schema as an optional query parameter, its description lifted out of its schema. */
export function queryParameters(zodSchema: z.ZodObject): Parameter[] {
  const properties = accepted(zodSchema).properties ?? {};
  return Object.entries(properties).map(([name, { description, ...valueSchema }]) => ({
    name, in: 'query', required: false, description: description ?? '', schema: valueSchema,
  }));
}

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
  /** What a 421 (a process of a sharded deployment that does not hold the id) means here. */
  misdirected?: string;
  tooMany?: string;
  /** The code of that 429; too_many_sandboxes unless given. */
  tooManyCode?: string;
}

/**
 * An operation with what every call shares: the sandbox header, the token (401), an unknown sandbox
 * (404), a failure on our side (500), and for a JSON body malformed_body (400), 413 and 415.
 */
export function operation(spec: OperationSpec): Operation {
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
  if (spec.misdirected) responses[421] = jsonResponse(spec.misdirected, errorWithCode(['wrong_shard']));
  if (spec.requestBody) {
    responses[413] = response('PayloadTooLarge');
    responses[415] = response('UnsupportedEncoding');
  }
  if (spec.tooMany) {
    responses[429] = jsonResponse(spec.tooMany, errorWithCode([spec.tooManyCode ?? 'too_many_sandboxes']), {
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

export const pathId = (description: string, valueSchema: JsonSchema): Parameter => ({ name: 'id', in: 'path', required: true, description, schema: valueSchema });
