// The OpenAPI document's request schemas are the controls' own validation, generated, never a copy
// kept by hand beside it: what the document says a call accepts is what the simulator accepts.
import { z } from 'zod';
import { OPENAPI_DOCUMENT as doc, type Operation } from '../../src/features/sim/openapi';
import { scenarioDocument, scenarioExportQuery } from '../../src/features/scenarios/scenario-schema';
import * as inputs from '../../src/features/sim/sim-schemas';

const operations = Object.values(doc.paths).flatMap((item) => Object.values(item) as Operation[]);
const byId = (id: string) => operations.find((op) => op.operationId === id)!;
const generated = (schema: z.ZodType) => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
  return json;
};

describe('the OpenAPI document of the simulator API', () => {
  it.each([
    ['resetSandbox', inputs.resetInput], ['moveClock', inputs.clockMove], ['enrollProgramAdministrator', inputs.enrollmentInput],
    ['raiseFraudAlert', inputs.fraudAlertInput], ['addCharge', inputs.chargeInput], ['injectFault', inputs.anyFaultInput], ['createSandbox', inputs.sandboxInput],
    ['saveSnapshot', inputs.snapshotInput],
    ['setAdministratorState', inputs.administratorStateInput], ['setAdministratorPermissions', inputs.administratorPermissionsInput],
    ['createCard', inputs.cardBuildInput], ['createTransaction', inputs.transactionBuildInput], ['createApplication', inputs.applicationBuildInput],
    ['setApprovalRules', inputs.approvalRulesInput], ['createReportSubscription', inputs.reportSubscriptionBuildInput],
    ['loadScenario', scenarioDocument],
  ] as const)('describes the body of %s with the schema the controls validate it by', (operationId, schema) => {
    expect(byId(operationId).requestBody!.content['application/json']!.schema).toEqual(generated(schema));
  });

  it('describes every request body and query parameter it has from those schemas', () => {
    const bodies = operations.filter((op) => op.requestBody).map((op) => op.operationId).sort();
    expect(bodies).toEqual(['addCharge', 'createApplication', 'createCard', 'createReportSubscription', 'createSandbox', 'createTransaction', 'enrollProgramAdministrator', 'injectFault', 'loadScenario', 'moveClock', 'raiseFraudAlert', 'resetSandbox', 'saveSnapshot', 'setAdministratorPermissions', 'setAdministratorState', 'setApprovalRules']);
    const queryOf = (id: string) => byId(id).parameters.filter((p) => 'in' in p && p.in === 'query').map((p) => 'name' in p && [p.name, p.schema]);
    const fields = (schema: z.ZodObject) => Object.entries(generated(schema).properties as Record<string, { description?: string }>)
      .map(([name, { description: _description, ...rest }]) => [name, rest]);
    expect(queryOf('listOutbox')).toEqual(fields(inputs.outboxFilter));
    expect(queryOf('waitForEmail')).toEqual(fields(inputs.outboxWait));
    expect(queryOf('listCards')).toEqual(fields(inputs.cardsFilter));
    expect(queryOf('listControlAccounts')).toEqual(fields(inputs.controlAccountsFilter));
    expect(queryOf('listEvents')).toEqual(fields(inputs.eventsFilter));
    expect(queryOf('waitForEvent')).toEqual(fields(inputs.eventsWait));
    expect(queryOf('exportScenario')).toEqual(fields(scenarioExportQuery));
    expect(queryOf('listSms')).toEqual(fields(inputs.smsFilter));
    expect(queryOf('waitForSms')).toEqual(fields(inputs.smsWait));
  });

  it('says what the validation says of a fault: a pattern from "/", and latency, status or both', () => {
    // The route kind's schema: the body is one of the fault kinds.
    const fault = byId('injectFault').requestBody!.content['application/json']!.schema.oneOf![0]!;
    expect(fault.properties!.pattern!.pattern).toBe('^\\/');
    expect(fault.anyOf).toEqual([{ required: ['latencyMs'] }, { required: ['status'] }]);
    expect(inputs.faultInput.safeParse({ pattern: '/x' }).success).toBe(false);
    expect(inputs.faultInput.safeParse({ pattern: 'x', status: 500 }).success).toBe(false);
    expect(inputs.faultInput.safeParse({ pattern: '/x', status: 500 }).success).toBe(true);
  });
});
