-- Accounts: access codes for first login, password-reset links, and the audit log.

-- An access code is a public selector (to find the row) and a secret verifier, kept only as a bcrypt hash.
CREATE TABLE access_codes (
  id INTEGER PRIMARY KEY,
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id) ON DELETE CASCADE,
  selector TEXT NOT NULL,
  verifier_hash TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  used_at INTEGER,
  voided_at INTEGER
);
CREATE UNIQUE INDEX access_codes_live_selector ON access_codes (selector) WHERE used_at IS NULL AND voided_at IS NULL;
CREATE INDEX access_codes_by_pa ON access_codes (pa_id);

-- Reset links carry 256 random bits; only their SHA-256 is kept, so a database leak yields no link.
CREATE TABLE password_resets (
  id INTEGER PRIMARY KEY,
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX password_resets_by_pa ON password_resets (pa_id);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  -- Who acted: "pa:12", "staff:3", "system", "simulator" or "anonymous".
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  -- Whom it concerned, when known: "pa:12", "staff:3".
  subject TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
  source_ip TEXT,
  -- Non-secret context (the user ID typed, the reason) as JSON.
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_by_subject ON audit_events (subject, at);
CREATE INDEX audit_events_by_time ON audit_events (at);
