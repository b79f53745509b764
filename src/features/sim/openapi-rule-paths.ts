// The rule builders of the simulator API in its OpenAPI document (openapi.ts takes these paths in):
// a company's approval rules, and a PA's report subscription.
import { object } from './openapi-components';
import { API, accepted, operation } from './openapi-operations';
import type { JsonSchema, OpenApiDocument } from './openapi-types';
import { approvalRulesInput, reportSubscriptionBuildInput } from './sim-schemas';

const cents = (description: string): JsonSchema => ({ type: ['integer', 'null'], minimum: 0, description });

const APPROVAL_RULES = object({
  applications: { type: 'boolean', description: 'Card applications wait for an approver holding cards.approve.' },
  secondApproverAboveCents: cents('Above this limit a second, different approver is needed; null: one is enough.'),
  holdLimitChangesAboveCents: cents('A limit change to more than this waits for a second PA; null: off.'),
  holdCancellationsByNonPrimary: { type: 'boolean', description: 'A cancellation by a non-primary PA waits for a second PA.' },
}, ['applications', 'secondApproverAboveCents', 'holdLimitChangesAboveCents', 'holdCancellationsByNonPrimary']);

const BUILT_SUBSCRIPTION = object({
  id: { type: 'integer', minimum: 1 },
  userId: { type: 'string', minLength: 1 },
  report: { type: 'string', enum: ['declines', 'spend', 'open_requests'] },
  title: { type: 'string' },
  frequency: { type: 'string', enum: ['daily', 'weekly', 'monthly'] },
  frequencyLabel: { type: 'string' },
  filters: object({ account: { type: 'string', description: 'The control account\'s number.' }, reason: { type: 'string' } }, [],
    'What a declines report is filtered by; empty for the others.'),
  nextDueAt: { type: 'string', format: 'date-time', description: 'When the clock (POST /sim/api/clock) passing it delivers the `scheduled_report` e-mail.' },
  lastDeliveredAt: { type: ['string', 'null'], format: 'date-time' },
}, ['id', 'userId', 'report', 'title', 'frequency', 'frequencyLabel', 'filters', 'nextDueAt', 'lastDeliveredAt'], 'A report subscription made by POST /sim/api/report-subscriptions.');

export const RULE_BUILDER_PATHS: OpenApiDocument['paths'] = {
  [`${API}/companies/{company}/approval-rules`]: {
    post: operation({
      operationId: 'setApprovalRules', summary: 'Replace a company\'s approval rules, as a scenario file\'s `approvalRules` sets them', tags: ['state'],
      description: 'The rules apply from the next request on: applications completed after it wait for approvers as they say, limit changes and cancellations are held for a second PA as they say. What the body leaves out or sets null is off. An audit event `simulator.approval_rules_set` is recorded. An unknown company is 404.',
      parameters: [{ name: 'company', in: 'path', required: true, description: 'The company\'s name (any case), program number or id.', schema: { type: 'string' } }],
      requestBody: { description: 'The rules, whole.', required: true, schema: accepted(approvalRulesInput) },
      success: { status: 200, description: 'Set.', schema: object({ company: { type: 'string' }, approvalRules: APPROVAL_RULES }, ['company', 'approvalRules']) },
      badRequest: ['invalid_input', 'bad_request'],
      notFound: ['not_found'],
    }),
  },
  [`${API}/report-subscriptions`]: {
    post: operation({
      operationId: 'createReportSubscription', summary: 'Subscribe a PA to a report, as the Reports page does', tags: ['state'],
      description: 'The same checks and first due time as the Reports page\'s form: moving the clock past `nextDueAt` e-mails the report (`scheduled_report`). An unknown PA is 404; one not active or without reports.view 409 `not_permitted`; a 21st subscription 409 `too_many_subscriptions`; an account outside the PA\'s scope, a reason the company\'s declines do not give, or either filter on another report than declines, 400 `invalid_input`.',
      requestBody: { description: 'The subscription.', required: true, schema: accepted(reportSubscriptionBuildInput) },
      success: { status: 201, description: 'Subscribed.', schema: BUILT_SUBSCRIPTION },
      badRequest: ['invalid_input'],
      notFound: ['not_found'],
      conflict: ['not_permitted', 'too_many_subscriptions'],
    }),
  },
};
