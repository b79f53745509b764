-- Foundation: simulator state, companies, program administrators, staff, sessions, outbox.
-- Every time is an INTEGER of milliseconds since the epoch on the simulated clock.

CREATE TABLE sim_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  scenario TEXT NOT NULL,
  clock_offset_ms INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sim_state (id, scenario, clock_offset_ms) VALUES (1, 'none', 0);

CREATE TABLE companies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  program_number TEXT NOT NULL UNIQUE,
  max_card_limit_cents INTEGER NOT NULL CHECK (max_card_limit_cents > 0)
);

CREATE TABLE program_administrators (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(id),
  -- The persona a scenario seeded this row from, so the simulator can list its known credentials.
  persona_key TEXT UNIQUE,
  user_id TEXT UNIQUE COLLATE NOCASE,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT,
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  state TEXT NOT NULL CHECK (state IN ('pending', 'active', 'inactive', 'locked', 'suspended')),
  password_hash TEXT,
  pin_hash TEXT NOT NULL,
  word_hash TEXT NOT NULL,
  failed_login_count INTEGER NOT NULL DEFAULT 0,
  enrolled_at INTEGER NOT NULL,
  registered_at INTEGER,
  last_login_at INTEGER,
  state_changed_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX program_administrators_one_primary ON program_administrators (company_id) WHERE is_primary = 1;
CREATE INDEX program_administrators_by_company ON program_administrators (company_id);

CREATE TABLE pa_permissions (
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id) ON DELETE CASCADE,
  permission TEXT NOT NULL,
  PRIMARY KEY (pa_id, permission)
) WITHOUT ROWID;

CREATE TABLE staff_users (
  id INTEGER PRIMARY KEY,
  staff_id TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor')),
  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'locked')),
  password_hash TEXT NOT NULL,
  failed_login_count INTEGER NOT NULL DEFAULT 0,
  last_login_at INTEGER
);

CREATE TABLE sessions (
  sid TEXT PRIMARY KEY,
  -- Who the session belongs to ("pa:12", "staff:3"), so all of one user's sessions end in one statement.
  user_key TEXT,
  expires_at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_key) WHERE user_key IS NOT NULL;
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE outbox_messages (
  id INTEGER PRIMARY KEY,
  to_address TEXT NOT NULL COLLATE NOCASE,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '{}',
  sent_at INTEGER NOT NULL
);
CREATE INDEX outbox_by_recipient ON outbox_messages (to_address, id);
