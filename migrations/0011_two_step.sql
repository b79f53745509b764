-- 2-step verification at sign-in: each PA's channel, the company's requirement, the one-time codes
-- and the browsers a PA chose to trust.
-- NULL: 2-step is off. 'email' or 'sms' (to program_administrators.phone): codes go there.
ALTER TABLE program_administrators ADD COLUMN two_step_channel TEXT CHECK (two_step_channel IN ('email', 'sms'));
-- 1: every PA of the company must have 2-step on; one who has it off sets it up at sign-in.
ALTER TABLE companies ADD COLUMN require_two_step INTEGER NOT NULL DEFAULT 0 CHECK (require_two_step IN (0, 1));

-- One row per code sent. A code works once, until it expires, and only while it is the newest of
-- its kind for the PA: a resend supersedes the code before it.
CREATE TABLE two_step_codes (
  id INTEGER PRIMARY KEY,
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id),
  -- 'sign_in', or 'setup' (proving a channel before it is turned on).
  purpose TEXT NOT NULL CHECK (purpose IN ('sign_in', 'setup')),
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  -- HMAC-SHA256 of the code under the sandbox's secret: the table never holds a usable code.
  code_hash TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  superseded_at INTEGER
);
CREATE INDEX two_step_codes_by_pa ON two_step_codes (pa_id, purpose, id);

-- A browser a PA trusted at sign-in: its cookie names the row and carries a token stored here hashed.
CREATE TABLE trusted_devices (
  id INTEGER PRIMARY KEY,
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id),
  token_hash TEXT NOT NULL,
  -- The browser as its User-Agent named itself, for the PA to recognise it in the list.
  browser TEXT NOT NULL,
  trusted_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX trusted_devices_by_pa ON trusted_devices (pa_id, id);
