-- Help desk: caller verification counters, escalations.

-- Wrong PIN and word given to the help desk, in a row; at five, only a supervisor can clear the block.
ALTER TABLE program_administrators ADD COLUMN failed_verifications INTEGER NOT NULL DEFAULT 0;
ALTER TABLE program_administrators ADD COLUMN verification_blocked_at INTEGER;

CREATE TABLE escalations (
  id INTEGER PRIMARY KEY,
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id),
  transaction_id INTEGER NOT NULL REFERENCES transactions(id),
  raised_by_staff_id INTEGER NOT NULL REFERENCES staff_users(id),
  note TEXT NOT NULL,
  raised_at INTEGER NOT NULL,
  resolved_by_staff_id INTEGER REFERENCES staff_users(id),
  resolution TEXT,
  resolved_at INTEGER
);
CREATE INDEX escalations_open ON escalations (raised_at) WHERE resolved_at IS NULL;
