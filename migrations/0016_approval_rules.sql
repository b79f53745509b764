-- A company's approval rules (issue 18), as data: whether card applications wait for an approver
-- (a PA holding cards.approve), above which limit a second approver is needed, and which risky
-- changes a second PA must approve before they are submitted (maker-checker). NULL or 0: off.
ALTER TABLE companies ADD COLUMN applications_need_approval INTEGER NOT NULL DEFAULT 0 CHECK (applications_need_approval IN (0, 1));
-- An application (or held change) for a limit above this many cents needs two different approvers.
ALTER TABLE companies ADD COLUMN second_approver_above_cents INTEGER CHECK (second_approver_above_cents >= 0);
-- A limit change to more than this many cents waits for a second PA's approval.
ALTER TABLE companies ADD COLUMN hold_limit_changes_above_cents INTEGER CHECK (hold_limit_changes_above_cents >= 0);
-- 1: a card cancellation by a non-primary PA waits for a second PA's approval.
ALTER TABLE companies ADD COLUMN hold_cancellations_by_non_primary INTEGER NOT NULL DEFAULT 0 CHECK (hold_cancellations_by_non_primary IN (0, 1));
