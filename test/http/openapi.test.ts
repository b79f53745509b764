// The simulator API against its OpenAPI document: the document is well formed, names every route,
// and every answer the real app gives, success or failure, matches the schema it documents.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import request from 'supertest';
import { OPENAPI_DOCUMENT as doc, type HttpMethod, type Operation, type Parameter, type Reference, type Response } from '../../src/features/sim/openapi';
import { simApiRouter } from '../../src/features/sim/sim.routes';
import { listRouteAccess } from '../../src/http/access';
import { projectPath } from '../../src/lib/project-root';
import { TEST_SIM_TOKEN, createTestApp, type TestApp } from '../helpers/test-app';

const DOC_ID = 'https://simulator.test/openapi.json';
const METHODS: HttpMethod[] = ['get', 'post', 'delete'];
const UNKNOWN_SANDBOX = 'sb-000000000000';

interface DocumentedOperation {
  method: HttpMethod;
  path: string;
  operation: Operation;
  /** "POST /sim/api/reset": how the tests name it. */
  name: string;
}

const operations: DocumentedOperation[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  METHODS.flatMap((method) => {
    const operation = item[method];
    return operation ? [{ method, path, operation, name: `${method.toUpperCase()} ${path}` }] : [];
  }));

function operationNamed(name: string): DocumentedOperation {
  const found = operations.find((op) => op.name === name);
  if (!found) throw new Error(`The document has no operation ${name}`);
  return found;
}

/** RFC 6901: a JSON pointer's reference tokens. */
const pointerToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const token of ref.slice(2).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** A response of an operation, following a $ref into components/responses, with its JSON pointer. */
function documentedResponse(op: DocumentedOperation, status: number): { response: Response; pointer: string } | undefined {
  const entry: Response | Reference | undefined = op.operation.responses[String(status)];
  if (!entry) return undefined;
  if ('$ref' in entry) return { response: resolvePointer(entry.$ref) as Response, pointer: entry.$ref };
  return { response: entry, pointer: `#/paths/${pointerToken(op.path)}/${op.method}/responses/${status}` };
}

// Strict about keywords; not about types and required properties, which narrowing schemas (a $ref
// with siblings) leave to the schema they refer to.
const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
addFormats(ajv);
// The document is the root the schemas' $refs resolve in; its OpenAPI fields are not JSON Schema.
for (const field of Object.keys(doc)) ajv.addKeyword(field);
ajv.addSchema(doc as object, DOC_ID);

const compiled = new Map<string, ValidateFunction>();
function validatorAt(pointer: string): ValidateFunction {
  let validate = compiled.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOC_ID}${pointer}` });
    compiled.set(pointer, validate);
  }
  return validate;
}

function responseValidator(op: DocumentedOperation, status: number): ValidateFunction | undefined {
  const found = documentedResponse(op, status);
  return found?.response.content?.['application/json'] ? validatorAt(`${found.pointer}/content/application~1json/schema`) : undefined;
}

function requestBodyValidator(op: DocumentedOperation): ValidateFunction | undefined {
  return op.operation.requestBody
    ? validatorAt(`#/paths/${pointerToken(op.path)}/${op.method}/requestBody/content/application~1json/schema`)
    : undefined;
}

function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)} [${e.schemaPath}]`).join('\n  ');
}

/** Every (operation, status) the tests saw answered and validated. */
const exercised = new Map<string, Set<number>>();

interface Call {
  /** The concrete URL, query included; the operation's path when absent. */
  url?: string;
  body?: unknown;
  /** A body sent as is, with its own headers, instead of JSON. */
  raw?: { payload: string; headers: Record<string, string> };
  sandbox?: string;
  token?: string | null;
  /** Refused for a reason the request schema cannot state (an unknown company, a duration we cannot read). */
  semantic?: boolean;
}

let t: TestApp;

/**
 * Calls an operation through the real app, expects the status, and holds the answer to the schema
 * the document gives for that status: an undocumented status or a mismatch fails with what differs.
 * A JSON body the API accepted must satisfy the documented request schema, and one it refused as
 * invalid_input must not, unless the reason is semantic.
 */
async function answer(name: string, status: number, call: Call = {}): Promise<request.Response> {
  const op = operationNamed(name);
  let req = request(t.app)[op.method](call.url ?? op.path);
  const token = call.token === undefined ? TEST_SIM_TOKEN : call.token;
  if (token !== null) req = req.set('Authorization', `Bearer ${token}`);
  if (call.sandbox) req = req.set('X-Sim-Sandbox', call.sandbox);
  if (call.raw) req = req.set(call.raw.headers).send(call.raw.payload);
  else if (call.body !== undefined) req = req.send(call.body as object);
  const res = await req;

  const label = `${name} (${call.url ?? op.path}${call.body !== undefined ? ` ${JSON.stringify(call.body).slice(0, 120)}` : ''})`;
  if (!documentedResponse(op, res.status)) throw new Error(`${label} answered ${res.status}, which the document does not list for it: ${res.text.slice(0, 300)}`);
  if (res.status !== status) throw new Error(`${label} answered ${res.status}, expected ${status}: ${res.text.slice(0, 300)}`);
  const validate = responseValidator(op, status);
  if (!validate) throw new Error(`${label}: the document gives no JSON schema for ${status}`);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  if (!validate(res.body)) {
    throw new Error(`${label} → ${status} does not match the document:\n  ${describeErrors(validate)}\n  body: ${JSON.stringify(res.body).slice(0, 600)}`);
  }

  const bodySchema = requestBodyValidator(op);
  if (bodySchema && call.body !== undefined && !call.raw) {
    const conforms = bodySchema(call.body);
    if (status < 300 && !conforms) {
      throw new Error(`${label} was accepted, but the documented request schema refuses it:\n  ${describeErrors(bodySchema)}`);
    }
    if ((res.body as { error?: { code?: string } }).error?.code === 'invalid_input' && !call.semantic && conforms) {
      throw new Error(`${label} was refused as invalid_input, but the documented request schema accepts it`);
    }
  }

  const statuses = exercised.get(name) ?? new Set<number>();
  statuses.add(status);
  exercised.set(name, statuses);
  return res;
}

const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');
const concretePath = (path: string) => path.replace(/\{\w+\}/g, 'x');

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1: every operation has a unique operationId, a summary and responses with a JSON schema', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of operations) {
      expect([op.name, op.operation.operationId]).toEqual([op.name, expect.stringMatching(/^[a-z][A-Za-z]+$/)]);
      expect([op.name, op.operation.summary]).toEqual([op.name, expect.any(String)]);
      const statuses = Object.keys(op.operation.responses);
      expect([op.name, statuses.some((status) => /^2\d\d$/.test(status))]).toEqual([op.name, true]);
      for (const status of statuses) {
        expect([op.name, status]).toEqual([op.name, expect.stringMatching(/^[1-5]\d\d$/)]);
        const { response } = documentedResponse(op, Number(status))!;
        expect([op.name, status, typeof response.description, Boolean(response.content?.['application/json']?.schema)])
          .toEqual([op.name, status, 'string', true]);
      }
    }
  });

  it('declares each path parameter, the optional X-Sim-Sandbox header on every operation, and the bearer token for all', () => {
    expect(doc.security).toEqual([{ simToken: [] }]);
    expect(doc.components.securitySchemes.simToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const op of operations) {
      const parameters = op.operation.parameters.map((p) => ('$ref' in p ? resolvePointer(p.$ref) as Parameter : p));
      expect([op.name, parameters.find((p) => p.name === 'X-Sim-Sandbox')]).toEqual([op.name, expect.objectContaining({ in: 'header', required: false })]);
      const templated = [...op.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = parameters.filter((p) => p.in === 'path').map((p) => p.name);
      expect([op.name, declared]).toEqual([op.name, templated]);
      for (const parameter of parameters.filter((p) => p.in === 'path')) expect(parameter.required).toBe(true);
      if (op.operation.requestBody) {
        expect([op.name, Object.keys(op.operation.requestBody.content)]).toEqual([op.name, ['application/json']]);
      }
    }
  });

  it('resolves every $ref', () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((ref) => resolvePointer(ref) === undefined)).toEqual([]);
  });

  it('holds schemas that are valid JSON Schema 2020-12 and compile in strict mode', () => {
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      expect([name, ajv.validateSchema(schema as object)]).toEqual([name, true]);
      expect(() => validatorAt(`#/components/schemas/${name}`)).not.toThrow();
    }
    for (const op of operations) {
      for (const status of Object.keys(op.operation.responses)) expect(responseValidator(op, Number(status))).toBeDefined();
      if (op.operation.requestBody) expect(requestBodyValidator(op)).toBeDefined();
    }
  });

  it('refuses a wrong shape: a missing property, an extra one, a bad date, an unknown state', () => {
    const persona = validatorAt('#/components/schemas/Persona');
    const good = {
      userId: 'globex.viewer', password: 'Quiet-Window-2026', passwordChangedAt: null, email: 'vera@globex.example', phone: '+15555550102', verificationPin: '1234', verificationWord: 'lamp',
      accessCode: null, role: 'program_administrator', primary: false, company: 'Globex Corporation', permissions: ['cards.view'], scope: null, state: 'active',
    };
    expect(persona(good)).toBe(true);
    const { state: _state, ...missing } = good;
    for (const bad of [missing, { ...good, extra: 1 }, { ...good, state: 'asleep' }, { ...good, email: 'nobody' }, { ...good, permissions: ['root'] },
      { ...good, role: 'agent' }]) {
      expect([bad, persona(bad)]).toEqual([bad, false]);
    }
    const clock = validatorAt('#/components/schemas/Clock');
    expect(clock({ now: '2026-03-02T09:00:00.000Z' })).toBe(true);
    expect(clock({ now: 'yesterday' })).toBe(false);
  });
});

describe('the simulator API against its document', () => {
  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_SANDBOXES: '2' } });
  });
  afterAll(() => t.close());

  it('documents every route the simulator API registers, and no other', () => {
    const registered = listRouteAccess(simApiRouter(t.context, t.simulator))
      .flatMap((route) => route.methods.map((method) => ({ method, path: `/sim/api${route.path}`, access: route.access?.kind })));
    expect(registered.every((route) => route.access === 'simulator')).toBe(true);
    const served = registered.map((route) => `${route.method} ${route.path}`).sort();
    const documented = operations.map((op) => `${op.method.toUpperCase()} ${expressPath(op.path)}`).sort();
    expect(documented).toEqual(served);
    // And the app serves that router's routes under the simulator's guard.
    const inApp = new Set(listRouteAccess(t.expressApp.router).filter((route) => route.access?.kind === 'simulator')
      .flatMap((route) => route.methods.map((method) => `${method} /sim/api${route.path}`)));
    expect(served.filter((route) => !inApp.has(route))).toEqual([]);
  });

  it('serves the document at GET /sim/api/openapi.json, to token holders only', async () => {
    const res = await answer('GET /sim/api/openapi.json', 200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
    await answer('GET /sim/api/openapi.json', 401, { token: 'wrong-token' });
  });

  it('serves the scenario format\'s JSON Schema at GET /sim/api/scenario.schema.json, the file the repository holds', async () => {
    const res = await answer('GET /sim/api/scenario.schema.json', 200);
    expect(res.body).toEqual(JSON.parse(fs.readFileSync(projectPath('scenarios', 'scenario.schema.json'), 'utf8')));
  });

  it.each(operations.map((op) => [op.name]))('%s: 401 without the token, 404 for an unknown sandbox', async (name) => {
    const url = concretePath(operationNamed(name).path);
    const refused = await answer(name, 401, { url, token: null });
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);
    await answer(name, 404, { url, sandbox: UNKNOWN_SANDBOX });
  });

  // A scenario document has a larger limit of its own, held below.
  it.each(operations.filter((op) => op.operation.requestBody && op.name !== 'POST /sim/api/scenarios').map((op) => [op.name]))(
    '%s: 400 for a body that is not JSON, 413 past 64 kB, 415 for an encoding it does not accept', async (name) => {
      const json = { 'Content-Type': 'application/json' };
      expect((await answer(name, 400, { raw: { payload: '{"a":', headers: json } })).body.error.code).toBe('malformed_body');
      await answer(name, 413, { raw: { payload: JSON.stringify({ pad: 'x'.repeat(70_000) }), headers: json } });
      await answer(name, 415, { raw: { payload: '{}', headers: { 'Content-Type': 'application/json; charset=latin1' } } });
      await answer(name, 415, { raw: { payload: '{}', headers: { ...json, 'Content-Encoding': 'compress' } } });
    });

  it('GET /sim/api/health answers for the default sandbox', async () => {
    expect((await answer('GET /sim/api/health', 200)).body.sandbox).toBe('default');
  });

  it('GET /sim/api/personas lists the scenario\'s people; POST /sim/api/reset refuses bad input and unknown scenarios', async () => {
    expect((await answer('GET /sim/api/personas', 200)).body.personas).toHaveLength(16);
    expect((await answer('POST /sim/api/reset', 200, { body: { scenario: 'empty' } })).body.personas).toEqual([]);
    expect((await answer('GET /sim/api/personas', 200)).body.personas).toEqual([]);
    await answer('POST /sim/api/reset', 200, { body: { scenario: 'default', seed: 1 } });
    await answer('POST /sim/api/reset', 200);
    for (const body of [{ scenario: 42 }, { seed: 'x' }, { seed: -1 }, { extra: true }, [1, 2], { scenario: 'x'.repeat(65) }]) {
      await answer('POST /sim/api/reset', 400, { body });
    }
    expect((await answer('POST /sim/api/reset', 400, { body: { scenario: 'nope' } })).body.error.code).toBe('unknown_scenario');
  });

  it('GET /sim/api/clock reads, POST moves forward, and refuses backwards or unreadable times', async () => {
    const before = (await answer('GET /sim/api/clock', 200)).body.now as string;
    await answer('POST /sim/api/clock', 200, { body: { advance: '1d' } });
    await answer('POST /sim/api/clock', 200, { body: { advance: 'PT90M' } });
    await answer('POST /sim/api/clock', 200, { body: { set: '2030-01-01T00:00:00+02:00' } });
    expect((await answer('POST /sim/api/clock', 400, { body: { set: before } })).body.error.code).toBe('clock_backwards');
    for (const body of [{}, { advance: '' }, { advance: 5 }, { set: 'yesterday' }, { advance: '1d', set: '2031-01-01T00:00:00Z' }, { advance: '1d', extra: 1 }]) {
      await answer('POST /sim/api/clock', 400, { body });
    }
    await answer('POST /sim/api/clock', 400, { body: { advance: 'soon' }, semantic: true });
    await answer('POST /sim/api/reset', 200, { body: {} });
  });

  it('GET /sim/api/outbox filters and refuses repeated or long filters; DELETE empties it', async () => {
    const all = (await answer('GET /sim/api/outbox', 200)).body.messages;
    expect(all.length).toBeGreaterThan(0);
    await answer('GET /sim/api/outbox', 200, { url: '/sim/api/outbox?to=PENNY.NEWMAN@globex.example&type=welcome' });
    await answer('GET /sim/api/outbox', 400, { url: '/sim/api/outbox?to=a@b.example&to=c@d.example' });
    await answer('GET /sim/api/outbox', 400, { url: `/sim/api/outbox?type=${'x'.repeat(65)}` });
    expect((await answer('DELETE /sim/api/outbox', 200)).body.deleted).toBe(all.length);
    await answer('POST /sim/api/reset', 200, { body: {} });
  });

  it('GET /sim/api/outbox/wait finds mail, times out with 408, and refuses bad timeouts', async () => {
    const found = await answer('GET /sim/api/outbox/wait', 200, { url: '/sim/api/outbox/wait?type=welcome&timeoutMs=1000' });
    expect(found.body.message.data.accessCode).toBe('GPND-7K3M-Q9RT');
    expect((await answer('GET /sim/api/outbox/wait', 408, { url: '/sim/api/outbox/wait?type=nothing&timeoutMs=20' })).body.error.code).toBe('timeout');
    for (const query of ['timeoutMs=60001', 'timeoutMs=-1', 'timeoutMs=soon', 'to=a&to=b']) {
      await answer('GET /sim/api/outbox/wait', 400, { url: `/sim/api/outbox/wait?${query}` });
    }
  });

  it('GET /sim/api/outbox/wait ends with 409 sandbox_reset when the sandbox is reset under it', async () => {
    const waiting = answer('GET /sim/api/outbox/wait', 409, { url: '/sim/api/outbox/wait?type=nothing&timeoutMs=20000' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await request(t.app).post('/sim/api/reset').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({}).expect(200);
    expect((await waiting).body.error.code).toBe('sandbox_reset');
  });

  it('GET, DELETE /sim/api/sms and /sms/wait list, wait for, time out on and clear texts, and refuse bad filters', async () => {
    await request(t.app).post('/sim/api/fraud-alerts').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ userId: 'globex.viewer' }).expect(200);
    expect((await answer('GET /sim/api/sms', 200, { url: '/sim/api/sms?to=%2B15555550102&type=fraud_notice' })).body.messages).toHaveLength(1);
    await answer('GET /sim/api/sms/wait', 200, { url: '/sim/api/sms/wait?type=fraud_notice&timeoutMs=1000' });
    await answer('GET /sim/api/sms/wait', 408, { url: '/sim/api/sms/wait?type=two_step_code&timeoutMs=20' });
    for (const query of ['type=welcome', 'timeoutMs=60001', 'to=a&to=b']) await answer('GET /sim/api/sms/wait', 400, { url: `/sim/api/sms/wait?${query}` });
    for (const query of ['type=welcome', 'to=a&to=b']) await answer('GET /sim/api/sms', 400, { url: `/sim/api/sms?${query}` });
    const waiting = answer('GET /sim/api/sms/wait', 409, { url: '/sim/api/sms/wait?type=two_step_code&timeoutMs=20000' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await request(t.app).post('/sim/api/reset').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({}).expect(200);
    expect((await waiting).body.error.code).toBe('sandbox_reset');
    expect((await answer('DELETE /sim/api/sms', 200)).body).toEqual({ deleted: 0 });
    const fault = (await answer('POST /sim/api/faults', 201, { body: { kind: 'sms_undelivered', phone: '+15555550101', times: 1 } })).body.fault;
    expect(fault).toMatchObject({ kind: 'sms_undelivered', phone: '+15555550101', times: 1, hits: 0 });
    await answer('POST /sim/api/faults', 400, { body: { kind: 'sms_undelivered', phone: '555-0101' } });
    await answer('POST /sim/api/faults', 400, { body: { kind: 'lost_mail' } });
    expect((await answer('GET /sim/api/faults', 200)).body.faults).toEqual([fault]);
    await request(t.app).delete('/sim/api/faults').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).expect(200);
  });

  it('GET /sim/api/events lists the journal with its filters and refuses bad ones', async () => {
    await request(t.app).post('/sim/api/fraud-alerts').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ userId: 'globex.viewer' }).expect(200);
    await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance: '30d' }).expect(200);
    const all = (await answer('GET /sim/api/events', 200)).body.events;
    expect(all.length).toBeGreaterThan(3);
    await answer('GET /sim/api/events', 200, { url: '/sim/api/events?type=transaction.*&actor=system&since=1' });
    await answer('GET /sim/api/events', 200, { url: '/sim/api/events?subject=pa:1&since=now' });
    for (const query of ['type=Login', 'since=soon', 'actor=a&actor=b', `subject=${'x'.repeat(401)}`]) {
      await answer('GET /sim/api/events', 400, { url: `/sim/api/events?${query}` });
    }
    await answer('POST /sim/api/reset', 200, { body: {} });
  });

  it('GET /sim/api/events/wait finds an event, times out with 408, ends with 409 on a reset, and refuses bad input', async () => {
    await request(t.app).post('/sim/api/clock').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({ advance: '1m' }).expect(200);
    expect((await answer('GET /sim/api/events/wait', 200, { url: '/sim/api/events/wait?type=clock.*&timeoutMs=1000' })).body.event.type).toBe('clock.moved');
    expect((await answer('GET /sim/api/events/wait', 408, { url: '/sim/api/events/wait?type=nothing&timeoutMs=20' })).body.error.code).toBe('timeout');
    for (const query of ['timeoutMs=60001', 'timeoutMs=-1', 'since=-1', 'type=a&type=b']) {
      await answer('GET /sim/api/events/wait', 400, { url: `/sim/api/events/wait?${query}` });
    }
    const waiting = answer('GET /sim/api/events/wait', 409, { url: '/sim/api/events/wait?type=nothing&timeoutMs=20000' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await request(t.app).post('/sim/api/reset').set('Authorization', `Bearer ${TEST_SIM_TOKEN}`).send({}).expect(200);
    expect((await waiting).body.error.code).toBe('sandbox_reset');
  });

  it('POST /sim/api/enrollments enrolls, refuses each bad field, and a second primary with 409', async () => {
    const pa = { company: 'Globex Corporation', firstName: 'Quinn', lastName: 'Query', email: 'quinn@globex.example' };
    await answer('POST /sim/api/enrollments', 201, { body: pa });
    await answer('POST /sim/api/enrollments', 201, {
      body: { ...pa, company: 'initech llc', email: 'q2@initech.example', phone: '555-0100', permissions: ['cards.view', 'statements.view'], verificationPin: '24680', verificationWord: ' Ruby-2 ' },
    });
    for (const body of [{}, { ...pa, email: 'not-mail' }, { ...pa, permissions: ['root'] }, { ...pa, firstName: '   ' }, { ...pa, verificationPin: '12' },
      { ...pa, verificationWord: 'two words' }, { ...pa, primary: 'yes' }, { ...pa, extra: 1 }]) {
      await answer('POST /sim/api/enrollments', 400, { body });
    }
    await answer('POST /sim/api/enrollments', 400, { body: { ...pa, company: 'Nope Inc' }, semantic: true });
    expect((await answer('POST /sim/api/enrollments', 409, { body: { ...pa, primary: true } })).body.error.code).toBe('primary_exists');
    expect((await answer('POST /sim/api/enrollments', 201, { body: { ...pa, email: 'q3@globex.example', scope: ['glx-w-eng', 'GLX-W'] } })).body.scope).toEqual(['GLX-W']);
    expect((await answer('POST /sim/api/enrollments', 201, { body: { ...pa, email: 'q4@globex.example', scope: null } })).body.scope).toBeNull();
    expect((await answer('POST /sim/api/enrollments', 400, { body: { ...pa, scope: ['INI-01'] } })).body.error.code).toBe('unknown_control_account');
    for (const body of [{ ...pa, scope: [] }, { ...pa, scope: ['not a number'] }, { ...pa, scope: 'GLX-W' }, { ...pa, primary: true, scope: ['GLX-W'] }]) {
      await answer('POST /sim/api/enrollments', 400, { body });
    }
  });

  it('POST /sim/api/fraud-alerts suspends a registered PA, refuses a pending one and answers 404 for anyone else', async () => {
    await answer('POST /sim/api/fraud-alerts', 200, { body: { userId: 'globex.viewer' } });
    expect((await answer('POST /sim/api/fraud-alerts', 409, { body: { userId: 'globex.pending' } })).body.error.code).toBe('not_registered');
    for (const userId of ['nobody', 'agent.ava']) {
      expect((await answer('POST /sim/api/fraud-alerts', 404, { body: { userId } })).body.error.code).toBe('not_found');
    }
    for (const body of [{}, { userId: '' }, { userId: 7 }, { userId: 'x'.repeat(65) }]) await answer('POST /sim/api/fraud-alerts', 400, { body });
  });

  it('POST /sim/api/administrators/:userId/state and /permissions set a PA as the portal would leave them', async () => {
    const state = (userId: string) => `/sim/api/administrators/${userId}/state`;
    const perms = (userId: string) => `/sim/api/administrators/${userId}/permissions`;
    await answer('POST /sim/api/administrators/{userId}/state', 200, { url: state('globex.viewer'), body: { state: 'locked' } });
    expect((await answer('POST /sim/api/administrators/{userId}/state', 409, { url: state('globex.viewer'), body: { state: 'locked' } })).body.error.code).toBe('no_change');
    for (const userId of ['nobody', 'globex.pending']) {
      expect((await answer('POST /sim/api/administrators/{userId}/state', 404, { url: state(userId), body: { state: 'active' } })).body.error.code).toBe('not_found');
    }
    for (const body of [{}, { state: 'pending' }, { state: 'active', extra: 1 }]) await answer('POST /sim/api/administrators/{userId}/state', 400, { url: state('globex.viewer'), body });

    await answer('POST /sim/api/administrators/{userId}/permissions', 200, { url: perms('globex.canceller'), body: { permissions: ['cards.view'] } });
    expect((await answer('POST /sim/api/administrators/{userId}/permissions', 409, { url: perms('globex.canceller'), body: { permissions: ['cards.view'] } })).body.error.code).toBe('no_change');
    expect((await answer('POST /sim/api/administrators/{userId}/permissions', 409, { url: perms('globex.primary'), body: { permissions: [] } })).body.error.code).toBe('last_permission');
    expect((await answer('POST /sim/api/administrators/{userId}/permissions', 404, { url: perms('nobody'), body: { permissions: [] } })).body.error.code).toBe('not_found');
    for (const body of [{}, { permissions: ['root'] }, { permissions: 'cards.view' }]) await answer('POST /sim/api/administrators/{userId}/permissions', 400, { url: perms('globex.viewer'), body });
    const scoped = await answer('POST /sim/api/administrators/{userId}/permissions', 200, { url: perms('globex.canceller'), body: { permissions: ['cards.view'], scope: ['GLX-E'] } });
    expect(scoped.body).toMatchObject({ added: [], removed: [], scope: ['GLX-E'] });
    expect((await answer('POST /sim/api/administrators/{userId}/permissions', 400, { url: perms('globex.canceller'), body: { permissions: ['cards.view'], scope: ['NOPE-1'] } })).body.error.code)
      .toBe('unknown_control_account');
    expect((await answer('POST /sim/api/administrators/{userId}/permissions', 409, { url: perms('globex.primary'), body: { permissions: ['cards.view'], scope: ['GLX-E'] } })).body.error.code)
      .toBe('primary_scope');
    await answer('POST /sim/api/administrators/{userId}/permissions', 400, { url: perms('globex.canceller'), body: { permissions: ['cards.view'], scope: [] } });
  });

  it('POST /sim/api/cards builds a card in any state, as the portal records a new one', async () => {
    const card = { company: 'Globex Corporation', cardmemberName: 'Quinn Builder', tier: 'standard', limitDollars: 2500 };
    expect((await answer('POST /sim/api/cards', 201, { body: card })).body.trackingNumbers).toHaveLength(1);
    expect((await answer('POST /sim/api/cards', 201, { body: { ...card, state: 'lost_stolen', temporaryLimit: { dollars: 3000, endsInDays: 10 } } })).body.trackingNumbers).toHaveLength(2);
    expect((await answer('POST /sim/api/cards', 409, { body: card })).body.error.code).toBe('duplicate_card');
    expect((await answer('POST /sim/api/cards', 409, { body: { ...card, cardmemberName: 'Rich Builder', limitDollars: 9_999_999 } })).body.error.code).toBe('limit_above_maximum');
    expect((await answer('POST /sim/api/cards', 404, { body: { ...card, company: 'Nobody Inc' } })).body.error.code).toBe('not_found');
    for (const body of [{}, { ...card, state: 'frozen' }, { ...card, limitDollars: -1 }, { ...card, extra: 1 }, { ...card, controlAccount: 'GLX W' }]) {
      await answer('POST /sim/api/cards', 400, { body });
    }
    expect((await answer('POST /sim/api/cards', 201, { body: { ...card, cardmemberName: 'Wes Builder', controlAccount: 'glx-w-sls' } })).body.controlAccount).toBe('GLX-W-SLS');
    expect((await answer('POST /sim/api/cards', 400, { body: { ...card, cardmemberName: 'Wes Builder', controlAccount: 'INI-01' } })).body.error.code).toBe('unknown_control_account');
  });

  it('POST /sim/api/transactions records a transaction in any status with its history', async () => {
    const events = [{ minutesAgo: 120, status: 'submitted', actor: 'globex.primary' }, { minutesAgo: 60, status: 'in_progress', actor: 'system' }];
    const body = { company: 'Globex Corporation', type: 'card_application', status: 'in_progress', submittedBy: 'globex.primary', summary: 'New standard card for Ada Built', details: { cardmemberName: 'Ada Built', tier: 'standard', limitCents: 100_000 }, events };
    expect((await answer('POST /sim/api/transactions', 201, { body })).body.nextDueAt).not.toBeNull();
    const initechCard = (await answer('GET /sim/api/cards', 200, { url: '/sim/api/cards?company=Initech%20LLC' })).body.cards[0].id as number;
    expect((await answer('POST /sim/api/transactions', 409, { body: { ...body, card: initechCard } })).body.error.code).toBe('wrong_company');
    expect((await answer('POST /sim/api/transactions', 409, { body: { ...body, submittedBy: 'initech.primary' } })).body.error.code).toBe('wrong_company');
    for (const wrong of [{ company: 'Nobody Inc' }, { submittedBy: 'nobody' }, { submittedBy: 'staff:nobody' }, { card: 999_999 }]) {
      expect((await answer('POST /sim/api/transactions', 404, { body: { ...body, ...wrong } })).body.error.code).toBe('not_found');
    }
    for (const wrong of [{}, { ...body, events: [] }, { ...body, status: 'lost' }]) await answer('POST /sim/api/transactions', 400, { body: wrong });
    // A history the schema's shape allows but that contradicts itself, or falls due on a type the clock does not move.
    for (const wrong of [{ ...body, status: 'completed' }, { ...body, rejectionReason: 'No.' }, { ...body, type: 'escalation', dueInMinutes: 5 }]) {
      await answer('POST /sim/api/transactions', 400, { body: wrong, semantic: true });
    }
  });

  it('POST /sim/api/applications invites an employee as a PA would, and completes it for them when asked', async () => {
    const body = { invitedBy: 'globex.primary', employeeName: 'Ada Applicant', employeeEmail: 'ada.applicant@globex.example', controlAccount: 'glx-e-ops', tier: 'standard', limitDollars: 2500 };
    const invited = (await answer('POST /sim/api/applications', 201, { body })).body;
    expect(invited).toMatchObject({ company: 'Globex Corporation', state: 'invited', applyUrl: expect.stringMatching(/\/apply\/[\w-]+$/) });
    await request(t.app).get(new URL(invited.applyUrl as string).pathname).expect(200);
    expect((await answer('POST /sim/api/applications', 201, { body: { ...body, completed: true } })).body).toMatchObject({ state: 'awaiting_approval', applyUrl: null });
    expect((await answer('POST /sim/api/applications', 404, { body: { ...body, invitedBy: 'nobody' } })).body.error.code).toBe('not_found');
    expect((await answer('POST /sim/api/applications', 409, { body: { ...body, invitedBy: 'globex.approver' } })).body.error.code).toBe('not_permitted');
    for (const wrong of [{}, { ...body, tier: 'gold' }, { ...body, employeeEmail: 'nope' }]) await answer('POST /sim/api/applications', 400, { body: wrong });
    const outside = await answer('POST /sim/api/applications', 400, { body: { ...body, controlAccount: 'INI-01' }, semantic: true });
    expect(outside.body.error.fields).toEqual({ controlAccount: 'Choose a control account from the list.' });
    const tooMuch = await answer('POST /sim/api/applications', 400, { body: { ...body, limitDollars: 9_999_999 }, semantic: true });
    expect(Object.keys(tooMuch.body.error.fields)).toEqual(['limitDollars']);
  });

  it('POST /sim/api/companies/:company/approval-rules replaces a company\'s rules; POST /sim/api/report-subscriptions subscribes as the Reports page does', async () => {
    const rules = (company: string) => `/sim/api/companies/${company}/approval-rules`;
    const set = await answer('POST /sim/api/companies/{company}/approval-rules', 200, { url: rules('initech%20llc'), body: { holdLimitChangesAboveCents: 100_000, applications: null } });
    expect(set.body).toEqual({ company: 'Initech LLC', approvalRules: { applications: false, secondApproverAboveCents: null, holdLimitChangesAboveCents: 100_000, holdCancellationsByNonPrimary: false } });
    expect((await answer('POST /sim/api/companies/{company}/approval-rules', 404, { url: rules('Nowhere'), body: {} })).body.error.code).toBe('not_found');
    for (const body of [{ applications: 'yes' }, { holdLimitChangesAboveCents: -1 }, { secondApproverAboveCents: 1.5 }, { other: true }]) {
      await answer('POST /sim/api/companies/{company}/approval-rules', 400, { url: rules('Initech%20LLC'), body });
    }
    await answer('POST /sim/api/companies/{company}/approval-rules', 400, { url: rules('%E0'), body: {} });

    const reason = t.context.db.get<{ decline_reason: string }>("SELECT decline_reason FROM charges WHERE status = 'declined' AND company_id = 1 LIMIT 1")!.decline_reason;
    const body = { userId: 'globex.primary', report: 'declines', frequency: 'weekly', account: 'glx-e', reason };
    const made = (await answer('POST /sim/api/report-subscriptions', 201, { body })).body;
    expect(made).toMatchObject({ userId: 'globex.primary', report: 'declines', filters: { account: 'GLX-E', reason }, lastDeliveredAt: null });
    await answer('POST /sim/api/report-subscriptions', 201, { body: { userId: 'globex.primary', report: 'spend', frequency: 'daily' } });
    expect((await answer('POST /sim/api/report-subscriptions', 404, { body: { ...body, userId: 'nobody' } })).body.error.code).toBe('not_found');
    expect((await answer('POST /sim/api/report-subscriptions', 409, { body: { ...body, userId: 'globex.viewer' } })).body.error.code).toBe('not_permitted');
    for (const wrong of [{}, { ...body, report: 'payments' }, { ...body, frequency: 'hourly' }, { ...body, extra: 1 }]) await answer('POST /sim/api/report-subscriptions', 400, { body: wrong });
    const outside = await answer('POST /sim/api/report-subscriptions', 400, { body: { ...body, account: 'INI-01', reason: 'Never a reason' }, semantic: true });
    expect(outside.body.error.fields).toEqual({ account: 'Choose a control account from the list.', reason: 'Choose a reason from the list.' });
    const unfiltered = await answer('POST /sim/api/report-subscriptions', 400, { body: { ...body, report: 'spend' }, semantic: true });
    expect(Object.keys(unfiltered.body.error.fields)).toEqual(['account', 'reason']);
    for (let kept = 2; kept < 20; kept += 1) await answer('POST /sim/api/report-subscriptions', 201, { body: { userId: 'globex.primary', report: 'open_requests', frequency: 'monthly' } });
    expect((await answer('POST /sim/api/report-subscriptions', 409, { body })).body.error.code).toBe('too_many_subscriptions');
  });

  it('GET /sim/api/control-accounts lists each company\'s hierarchy, or one company\'s', async () => {
    const all = (await answer('GET /sim/api/control-accounts', 200)).body.controlAccounts as Array<{ company: string; number: string }>;
    expect(new Set(all.map((account) => account.company))).toEqual(new Set(['Globex Corporation', 'Initech LLC']));
    const initech = (await answer('GET /sim/api/control-accounts', 200, { url: '/sim/api/control-accounts?company=initech%20llc' })).body.controlAccounts;
    expect(initech).toEqual([{ company: 'Initech LLC', number: 'INI-01', name: 'Initech Main', parent: null, level: 1 }]);
    await answer('GET /sim/api/control-accounts', 400, { url: `/sim/api/control-accounts?company=${'x'.repeat(201)}` });
  });

  it('GET /sim/api/cards lists cards by company; POST /sim/api/charges adds charges and declines', async () => {
    const cards = (await answer('GET /sim/api/cards', 200)).body.cards as Array<{ id: number; company: string }>;
    const initech = (await answer('GET /sim/api/cards', 200, { url: '/sim/api/cards?company=INITECH%20LLC' })).body.cards as Array<{ company: string }>;
    expect(initech.length).toBeGreaterThan(0);
    expect(new Set(initech.map((card) => card.company))).toEqual(new Set(['Initech LLC']));
    const cardId = cards[0]!.id;
    expect((await answer('POST /sim/api/charges', 201, { body: { cardId, merchant: ' QA Merchant ', amountCents: 1234, daysAgo: 3 } })).body.charge.status).toBe('posted');
    expect((await answer('POST /sim/api/charges', 201, { body: { cardId, merchant: 'QA Decline', amountCents: 99, declineReason: 'Over limit' } })).body.charge.status).toBe('declined');
    await answer('POST /sim/api/charges', 404, { body: { cardId: 999_999, merchant: 'x', amountCents: 1 } });
    for (const body of [{ cardId, merchant: 'x', amountCents: -5 }, { cardId, merchant: '  ', amountCents: 1 }, { cardId: 0, merchant: 'x', amountCents: 1 },
      { cardId, merchant: 'x', amountCents: 1.5 }, { cardId, merchant: 'x', amountCents: 1, daysAgo: 366 }, { cardId, merchant: 'x', amountCents: 1, declineReason: ' ' }]) {
      await answer('POST /sim/api/charges', 400, { body });
    }
  });

  it('/sim/api/faults lists, injects, refuses bad specs and clears, one or all', async () => {
    expect((await answer('GET /sim/api/faults', 200)).body.faults).toEqual([]);
    const fault = (await answer('POST /sim/api/faults', 201, { body: { pattern: '/login', status: 503, times: 2, method: 'GET' } })).body.fault;
    await answer('POST /sim/api/faults', 201, { body: { pattern: '/help*', latencyMs: 10, probability: 0.5 } });
    expect((await answer('GET /sim/api/faults', 200)).body.faults).toHaveLength(2);
    for (const body of [{ pattern: 'login', status: 500 }, { pattern: '/x' }, { pattern: '/x', status: 200 }, { pattern: '/x', status: 500, probability: 2 },
      { pattern: '/x', latencyMs: 30_001 }, { pattern: '/x', status: 500, method: 'TRACE' }]) {
      await answer('POST /sim/api/faults', 400, { body });
    }
    expect((await answer('DELETE /sim/api/faults/{id}', 200, { url: `/sim/api/faults/${fault.id}` })).body).toEqual({ cleared: 1 });
    await answer('DELETE /sim/api/faults/{id}', 404, { url: `/sim/api/faults/${fault.id}` });
    await answer('DELETE /sim/api/faults/{id}', 400, { url: '/sim/api/faults/%E0' });
    expect((await answer('DELETE /sim/api/faults', 200)).body).toEqual({ cleared: 1 });
  });

  it('/sim/api/sandboxes creates up to the limit, lists, refuses bad input and deletes, never the default', async () => {
    const created = (await answer('POST /sim/api/sandboxes', 201, { body: { scenario: 'empty' } })).body;
    await answer('GET /sim/api/health', 200, { sandbox: created.id });
    await answer('GET /sim/api/personas', 200, { sandbox: created.id.toUpperCase() });
    const second = (await answer('POST /sim/api/sandboxes', 201)).body;
    expect((await answer('POST /sim/api/sandboxes', 429, { body: {} })).headers['retry-after']).toBe('60');
    expect((await answer('GET /sim/api/sandboxes', 200)).body.sandboxes).toHaveLength(3);
    // Which names are loaded is known only at run time, so refusing "huge" is a reason the schema cannot state.
    await answer('POST /sim/api/sandboxes', 400, { body: { scenario: 'huge' }, semantic: true });
    for (const body of [{ scenario: 'large' }, { seed: -1 }, { other: 1 }]) await answer('POST /sim/api/sandboxes', 400, { body });

    await answer('DELETE /sim/api/sandboxes/{id}', 200, { url: `/sim/api/sandboxes/${created.id}` });
    await answer('DELETE /sim/api/sandboxes/{id}', 404, { url: `/sim/api/sandboxes/${created.id}` });
    await answer('GET /sim/api/health', 404, { sandbox: created.id });
    expect((await answer('DELETE /sim/api/sandboxes/{id}', 409, { url: '/sim/api/sandboxes/default' })).body.error.code).toBe('default_sandbox');
    await answer('DELETE /sim/api/sandboxes/{id}', 400, { url: '/sim/api/sandboxes/%E0' });
    await answer('DELETE /sim/api/sandboxes/{id}', 200, { url: `/sim/api/sandboxes/${second.id}` });
  });

  it('/sim/api/sandboxes takes a chosen id in any case, and refuses a taken, bad or default one', async () => {
    expect((await answer('POST /sim/api/sandboxes', 201, { body: { id: 'Worker-1' } })).body.id).toBe('worker-1');
    expect((await answer('POST /sim/api/sandboxes', 409, { body: { id: 'WORKER-1' } })).body.error.code).toBe('sandbox_exists');
    for (const id of ['ab', '-abc', 'a_b_c', 'x'.repeat(41), 7]) await answer('POST /sim/api/sandboxes', 400, { body: { id } });
    expect((await answer('POST /sim/api/sandboxes', 400, { body: { id: 'Default' }, semantic: true })).body.error.fields).toHaveProperty('id');
    await answer('DELETE /sim/api/sandboxes/{id}', 200, { url: '/sim/api/sandboxes/worker-1' });
  });

  it('/sim/api/sandboxes on one shard of two refuses an id the other holds with 421 wrong_shard', async () => {
    const all = t;
    const shard = await createTestApp({ env: { SHARD_INDEX: '1', SHARD_COUNT: '2' } });
    t = shard;
    try {
      // CRC-32 of "abc-123" is even: shard 0's.
      expect((await answer('POST /sim/api/sandboxes', 421, { body: { id: 'abc-123' } })).body.error.code).toBe('wrong_shard');
      expect((await answer('GET /sim/api/health', 200)).body.instance).toMatchObject({ shard: 1, shards: 2 });
    } finally {
      t = all;
      shard.close();
    }
  });

  it('/sim/api/snapshots saves, lists, restores by reset, refuses bad names and deletes', async () => {
    expect((await answer('POST /sim/api/snapshots', 201, { body: { name: 'start' } })).body.snapshot.name).toBe('start');
    expect((await answer('GET /sim/api/snapshots', 200)).body.snapshots.map((s: { name: string }) => s.name)).toEqual(['start']);
    for (const body of [{}, { name: '' }, { name: 'Start' }, { name: '.x' }, { name: 'x'.repeat(65) }, { name: 'a/b' }, { name: 'a', extra: 1 }]) {
      await answer('POST /sim/api/snapshots', 400, { body });
    }
    expect((await answer('POST /sim/api/reset', 200, { body: { snapshot: 'start' } })).body).toMatchObject({ scenario: 'default', snapshot: 'start' });
    expect((await answer('POST /sim/api/reset', 404, { body: { snapshot: 'nope' } })).body.error.code).toBe('unknown_snapshot');
    for (const body of [{ snapshot: 'start', scenario: 'default' }, { snapshot: 'start', seed: 1 }, { snapshot: 'Bad' }]) await answer('POST /sim/api/reset', 400, { body });
    await answer('DELETE /sim/api/snapshots/{name}', 400, { url: '/sim/api/snapshots/%E0' });
    await answer('DELETE /sim/api/snapshots/{name}', 200, { url: '/sim/api/snapshots/start' });
    expect((await answer('DELETE /sim/api/snapshots/{name}', 404, { url: '/sim/api/snapshots/start' })).body.error.code).toBe('unknown_snapshot');
    for (let i = 0; i < 20; i += 1) await answer('POST /sim/api/snapshots', 201, { body: { name: `s${i}` } });
    expect((await answer('POST /sim/api/snapshots', 429, { body: { name: 'one-more' } })).body.error.code).toBe('too_many_snapshots');
    await answer('POST /sim/api/snapshots', 201, { body: { name: 's0' } });
  });

  it('POST /sim/api/scenarios loads a document (201, then 200 replacing it), refuses a bad one with every problem, and a built-in name', async () => {
    const json = { 'Content-Type': 'application/json' };
    const document = { name: 'openapi_small', companies: [{ key: 'acme', name: 'Acme', programNumber: 'ACM-1', maxCardLimitCents: 100_000 }] };
    expect((await answer('POST /sim/api/scenarios', 201, { body: document })).body).toEqual({ name: 'openapi_small', replaced: false });
    expect((await answer('POST /sim/api/scenarios', 200, { body: document })).body).toEqual({ name: 'openapi_small', replaced: true });
    const refused = await answer('POST /sim/api/scenarios', 400, { body: { ...document, cards: [{ key: 'c', company: 'nope' }] } });
    expect(refused.body.error.code).toBe('invalid_scenario');
    expect(Object.keys(refused.body.error.fields).sort()).toEqual(['cards[0].cardmemberName', 'cards[0].limitDollars', 'cards[0].openedDaysAgo', 'cards[0].state', 'cards[0].tier']);
    expect((await answer('POST /sim/api/scenarios', 409, { body: { ...document, name: 'default' } })).body.error.code).toBe('built_in_scenario');
    expect((await answer('POST /sim/api/scenarios', 400, { raw: { payload: '{"a":', headers: json } })).body.error.code).toBe('malformed_body');
    await answer('POST /sim/api/scenarios', 400, { raw: { payload: JSON.stringify({ pad: 'x'.repeat(70_000) }), headers: json } });
    await answer('POST /sim/api/scenarios', 413, { raw: { payload: JSON.stringify({ pad: 'x'.repeat(2_100_000) }), headers: json } });
    await answer('POST /sim/api/scenarios', 415, { raw: { payload: '{}', headers: { 'Content-Type': 'application/json; charset=latin1' } } });
  });

  it('GET /sim/api/scenario exports the sandbox as a scenario document; a bad name is 400, a state too large for the format 409', async () => {
    expect((await answer('GET /sim/api/scenario', 200, { url: '/sim/api/scenario?name=openapi_export' })).body.name).toBe('openapi_export');
    expect((await answer('GET /sim/api/scenario', 400, { url: '/sim/api/scenario?name=Not%20A%20Name' })).body.error.code).toBe('invalid_input');
    const { id } = (await answer('POST /sim/api/sandboxes', 201, { body: {} })).body;
    const crowded = t.simulator.sandboxes.list().find((sandbox) => sandbox.id === id)!.context;
    crowded.db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5001)
      INSERT INTO cards (company_id, card_number, last_five, cardmember_name, tier, state, limit_cents, opened_at, expires_on, state_changed_at)
      SELECT 1, 'X' || i, '00000', 'Many Cards', 'standard', 'active', 100, 0, '2030-01', 0 FROM n`);
    expect((await answer('GET /sim/api/scenario', 409, { sandbox: id })).body.error.code).toBe('too_large_to_export');
    await answer('DELETE /sim/api/sandboxes/{id}', 200, { url: `/sim/api/sandboxes/${id}` });
  });

  it('answers a failure on its side with 500 internal_error in the documented shape', async () => {
    const { id } = (await answer('POST /sim/api/sandboxes', 201, { body: {} })).body;
    const broken = t.simulator.sandboxes.list().find((sandbox) => sandbox.id === id)!.context;
    broken.db.exec('DROP TABLE outbox_messages');
    await answer('GET /sim/api/outbox', 500, { sandbox: id });
    await answer('DELETE /sim/api/outbox', 500, { sandbox: id });
    await answer('DELETE /sim/api/sandboxes/{id}', 200, { url: `/sim/api/sandboxes/${id}` });
  });

  it('has seen every documented status of every operation answered, but for the few no test can provoke', () => {
    // 500 is documented everywhere and provoked above on two operations.
    const unprovoked = new Set<string>();
    const missing = operations.flatMap((op) => Object.keys(op.operation.responses)
      .filter((status) => !exercised.get(op.name)?.has(Number(status)))
      .filter((status) => status !== '500' && !unprovoked.has(`${op.name} ${status}`))
      .map((status) => `${op.name} ${status}`));
    expect(missing).toEqual([]);
    for (const op of operations) {
      const seen = [...(exercised.get(op.name) ?? [])];
      expect([op.name, seen.some((s) => s < 300), seen.some((s) => s >= 400 && s < 500)]).toEqual([op.name, true, true]);
    }
  });
});
