// A company's approval rules as data (issue 18): whether card applications wait for an approver,
// when a second approver is needed, and which risky changes wait for a second PA (maker-checker).
// The scenario format, the export and every approval decision read them through here.
import type { Database } from '../../db/database';

export interface ApprovalRules {
  /** Card applications wait for a PA holding cards.approve (never the PA who made them). */
  applications: boolean;
  /** A limit above this many cents needs two different approvers; null: one is enough. */
  secondApproverAboveCents: number | null;
  /** Maker-checker: a limit change to more than this waits for a second PA; null: off. */
  holdLimitChangesAboveCents: number | null;
  /** Maker-checker: a cancellation by a non-primary PA waits for a second PA. */
  holdCancellationsByNonPrimary: boolean;
}

export const NO_APPROVAL_RULES: ApprovalRules = {
  applications: false, secondApproverAboveCents: null, holdLimitChangesAboveCents: null, holdCancellationsByNonPrimary: false,
};

export interface ApprovalRulesRow {
  applications_need_approval: number;
  second_approver_above_cents: number | null;
  hold_limit_changes_above_cents: number | null;
  hold_cancellations_by_non_primary: number;
}

export const APPROVAL_RULE_COLUMNS = 'applications_need_approval, second_approver_above_cents, hold_limit_changes_above_cents, hold_cancellations_by_non_primary';

export function approvalRulesFrom(row: ApprovalRulesRow): ApprovalRules {
  return {
    applications: row.applications_need_approval === 1,
    secondApproverAboveCents: row.second_approver_above_cents,
    holdLimitChangesAboveCents: row.hold_limit_changes_above_cents,
    holdCancellationsByNonPrimary: row.hold_cancellations_by_non_primary === 1,
  };
}

/** The company's rules; a company that does not exist has none. */
export function approvalRulesOf(db: Database, companyId: number): ApprovalRules {
  const row = db.get<ApprovalRulesRow>(`SELECT ${APPROVAL_RULE_COLUMNS} FROM companies WHERE id = ?`, companyId);
  return row ? approvalRulesFrom(row) : NO_APPROVAL_RULES;
}

/** How many approvers a request for this limit needs under the rules. */
export function approversNeeded(rules: ApprovalRules, limitCents: number): 1 | 2 {
  return rules.secondApproverAboveCents !== null && limitCents > rules.secondApproverAboveCents ? 2 : 1;
}

/** The rules as the scenario format writes them: only what is set. */
export function approvalRulesForScenario(rules: ApprovalRules): Record<string, unknown> | undefined {
  const written = {
    ...(rules.applications ? { applications: true } : {}),
    ...(rules.secondApproverAboveCents !== null ? { secondApproverAboveCents: rules.secondApproverAboveCents } : {}),
    ...(rules.holdLimitChangesAboveCents !== null ? { holdLimitChangesAboveCents: rules.holdLimitChangesAboveCents } : {}),
    ...(rules.holdCancellationsByNonPrimary ? { holdCancellationsByNonPrimary: true } : {}),
  };
  return Object.keys(written).length > 0 ? written : undefined;
}

/** Replaces the company's rules whole; false when there is no such company. */
export function setApprovalRules(db: Database, companyId: number, rules: ApprovalRules): boolean {
  return db.run(
    `UPDATE companies SET applications_need_approval = ?, second_approver_above_cents = ?, hold_limit_changes_above_cents = ?,
       hold_cancellations_by_non_primary = ? WHERE id = ?`,
    rules.applications ? 1 : 0, rules.secondApproverAboveCents, rules.holdLimitChangesAboveCents, rules.holdCancellationsByNonPrimary ? 1 : 0, companyId).changes === 1;
}
