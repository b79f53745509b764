// Rule builders: a script sets a company's approval rules, or subscribes a PA to a report, in one
// call; the rows left behind are those a scenario file's `approvalRules` and `reportSubscriptions` load.
import type { AppContext } from '../../context';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { findAdministratorByUserId, findSignedInAdministrator } from '../accounts/accounts.repository';
import { toSignedInAdministrator } from '../accounts/sign-in.service';
import { setApprovalRules, type ApprovalRules } from '../approvals/approval-rules';
import { recordAudit } from '../audit/audit.service';
import { subscribe, subscriptionFilters, type SubscriptionView } from '../reports/subscriptions.service';
import type { ApprovalRulesInput, ReportSubscriptionBuildInput } from './sim-schemas';
import { companyNamed } from './sim.repository';

/** Replaces the company's approval rules whole; what the input leaves out or sets null is off. */
export function setCompanyApprovalRules(context: AppContext, named: string, input: ApprovalRulesInput): { company: string; approvalRules: ApprovalRules } {
  const { db, clock } = context;
  const company = companyNamed(db, named);
  if (!company) throw notFound(`There is no company with the name, program number or id "${named}".`);
  const rules: ApprovalRules = {
    applications: input.applications ?? false,
    secondApproverAboveCents: input.secondApproverAboveCents ?? null,
    holdLimitChangesAboveCents: input.holdLimitChangesAboveCents ?? null,
    holdCancellationsByNonPrimary: input.holdCancellationsByNonPrimary ?? false,
  };
  db.tx(() => {
    setApprovalRules(db, company.id, rules);
    recordAudit(db, { at: clock.nowMs(), actor: 'simulator', action: 'simulator.approval_rules_set', outcome: 'success', details: { company: company.name, ...rules } });
  });
  return { company: company.name, approvalRules: rules };
}

/** Subscribes a PA to a report as the Reports page's form does: the same checks, the same first due time. */
export function createReportSubscription(context: AppContext, input: ReportSubscriptionBuildInput): SubscriptionView & { userId: string } {
  const row = findAdministratorByUserId(context.db, input.userId);
  const signedIn = row ? findSignedInAdministrator(context.db, row.id) : undefined;
  if (!row || !signedIn) throw notFound(`There is no registered Program Administrator with the user ID "${input.userId}".`);
  const subscriber = toSignedInAdministrator(signedIn);
  if (row.state !== 'active' || !subscriber.permissions.includes('reports.view')) {
    throw new AppError(409, 'not_permitted', `${input.userId} is not an active Program Administrator holding reports.view.`);
  }
  if (input.report !== 'declines' && (input.account !== undefined || input.reason !== undefined)) {
    throw badRequest('invalid_input', 'The request is not valid.', {
      ...(input.account !== undefined ? { account: 'Only a declines report is filtered by control account.' } : {}),
      ...(input.reason !== undefined ? { reason: 'Only a declines report is filtered by reason.' } : {}),
    });
  }
  const { filters, errors } = subscriptionFilters(context, subscriber, { account: input.account, reason: input.reason });
  if (Object.keys(errors).length > 0) throw badRequest('invalid_input', 'The request is not valid.', errors);
  return { userId: input.userId, ...subscribe(context, subscriber, input.report, input.frequency, filters) };
}
