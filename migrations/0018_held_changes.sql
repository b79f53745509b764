-- Changes held for a second program administrator (maker-checker, issue 18). Under the company's
-- approval rules, a limit change above its threshold, or a cancellation by a non-primary PA, is not
-- submitted when confirmed: it is kept here as it was confirmed until PAs holding cards.approve (never
-- its maker) approve it, and it is submitted then as the card request it is; or one of them rejects it
-- with a reason, or its maker withdraws it. Its own transaction (type held_change, a person moves it)
-- gives it a tracking number from the moment it is held.
CREATE TABLE held_changes (
  id INTEGER PRIMARY KEY,
  transaction_id INTEGER NOT NULL UNIQUE REFERENCES transactions(id),
  company_id INTEGER NOT NULL REFERENCES companies(id),
  card_id INTEGER NOT NULL REFERENCES cards(id),
  maker_pa_id INTEGER NOT NULL REFERENCES program_administrators(id),
  action TEXT NOT NULL CHECK (action IN ('limit', 'cancel')),
  -- The request in one line, as Status Tracking shows it once submitted.
  summary TEXT NOT NULL,
  -- The confirmed form's values, as JSON: what is submitted once it is approved.
  request TEXT NOT NULL,
  approvers_needed INTEGER NOT NULL CHECK (approvers_needed IN (1, 2)),
  state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'approved', 'rejected', 'withdrawn')),
  held_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by_pa_id INTEGER REFERENCES program_administrators(id),
  rejection_reason TEXT,
  -- The card request it became once approved.
  submitted_transaction_id INTEGER REFERENCES transactions(id)
);
CREATE INDEX held_changes_waiting ON held_changes (company_id, state, held_at);
CREATE INDEX held_changes_card ON held_changes (card_id);
CREATE INDEX held_changes_maker ON held_changes (maker_pa_id);
CREATE INDEX held_changes_decided_by ON held_changes (decided_by_pa_id) WHERE decided_by_pa_id IS NOT NULL;
CREATE INDEX held_changes_submitted ON held_changes (submitted_transaction_id) WHERE submitted_transaction_id IS NOT NULL;

-- Each approval of a held change: one per approver, so a second click, or a second approver who is
-- the first again, adds none.
CREATE TABLE held_change_approvals (
  held_change_id INTEGER NOT NULL REFERENCES held_changes(id),
  approver_pa_id INTEGER NOT NULL REFERENCES program_administrators(id),
  approved_at INTEGER NOT NULL,
  PRIMARY KEY (held_change_id, approver_pa_id)
) WITHOUT ROWID;
CREATE INDEX held_change_approvals_approver ON held_change_approvals (approver_pa_id);
