-- Card applications that wait for an approver (issue 18). Each is one card_application transaction,
-- recorded at invitation (so the inviting PA tracks it from the first step), plus a row here: the
-- invitation's single-use link (only its sha256 is kept), what the employee gave, the state, and who
-- it waits for. The transaction waits with next_due_at NULL until the last approval sets it due.
CREATE TABLE card_applications (
  id INTEGER PRIMARY KEY,
  transaction_id INTEGER NOT NULL UNIQUE REFERENCES transactions(id),
  company_id INTEGER NOT NULL REFERENCES companies(id),
  -- Who invited the employee, or who applied directly: never an approver of this application.
  invited_by_pa_id INTEGER NOT NULL REFERENCES program_administrators(id),
  employee_name TEXT NOT NULL,
  -- NULL for a PA's own application at /cards/apply (no invitation was sent).
  employee_email TEXT,
  control_account_id INTEGER REFERENCES control_accounts(id),
  tier TEXT NOT NULL,
  limit_cents INTEGER NOT NULL CHECK (limit_cents > 0),
  state TEXT NOT NULL CHECK (state IN ('invited', 'awaiting_approval', 'approved', 'rejected', 'cancelled', 'expired')),
  token_hash TEXT UNIQUE,
  invited_at INTEGER NOT NULL,
  link_expires_at INTEGER,
  submitted_at INTEGER,
  job_title TEXT,
  phone TEXT,
  -- Set by a reroute: only this approver may decide it now.
  assignee_pa_id INTEGER REFERENCES program_administrators(id),
  decided_at INTEGER,
  -- When the card_welcome e-mail went to the employee, once the card was issued.
  welcome_sent_at INTEGER
);
CREATE INDEX card_applications_company_state ON card_applications (company_id, state);
-- Due work looks for invitations whose link expired and issued cards whose welcome e-mail is owed.
CREATE INDEX card_applications_state ON card_applications (state, link_expires_at);
CREATE INDEX card_applications_invited_by ON card_applications (invited_by_pa_id);
CREATE INDEX card_applications_assignee ON card_applications (assignee_pa_id);
CREATE INDEX card_applications_account ON card_applications (control_account_id);

-- One approval per approver: the primary key lets the conditional write refuse a second by the same PA.
CREATE TABLE card_application_approvals (
  application_id INTEGER NOT NULL REFERENCES card_applications(id),
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id),
  at INTEGER NOT NULL,
  PRIMARY KEY (application_id, pa_id)
) WITHOUT ROWID;
CREATE INDEX card_application_approvals_pa ON card_application_approvals (pa_id);

-- Every step of an application, with its simulated time and actor, for Track Applications.
CREATE TABLE card_application_steps (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES card_applications(id),
  at INTEGER NOT NULL,
  step TEXT NOT NULL CHECK (step IN ('invited', 'applied', 'submitted', 'approved', 'rerouted', 'rejected', 'cancelled', 'expired', 'issued')),
  -- "pa:12", "employee", "system"
  actor TEXT NOT NULL,
  note TEXT
);
CREATE INDEX card_application_steps_application ON card_application_steps (application_id, id);
