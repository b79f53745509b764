-- Cards, their charges, and transactions (every request, with its status tracking number and history).

CREATE TABLE cards (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(id),
  card_number TEXT NOT NULL UNIQUE,
  last_five TEXT NOT NULL,
  cardmember_name TEXT NOT NULL,
  -- Everything after the first name, so that "Adams" finds Alice Adams through an index.
  cardmember_surname TEXT GENERATED ALWAYS AS (substr(cardmember_name, instr(cardmember_name, ' ') + 1)) VIRTUAL,
  tier TEXT NOT NULL CHECK (tier IN ('standard', 'premium', 'business', 'prepaid')),
  state TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'lost_stolen', 'cancelled')),
  limit_cents INTEGER NOT NULL CHECK (limit_cents > 0),
  temp_limit_cents INTEGER,
  temp_limit_ends_at INTEGER,
  -- The card this one replaced (lost or stolen), if any.
  replaces_card_id INTEGER REFERENCES cards(id),
  opened_at INTEGER NOT NULL,
  expires_on TEXT NOT NULL,
  state_changed_at INTEGER NOT NULL
);
CREATE INDEX cards_by_company_name ON cards (company_id, cardmember_name COLLATE NOCASE, id);
CREATE INDEX cards_by_company_surname ON cards (company_id, cardmember_surname COLLATE NOCASE);
CREATE INDEX cards_by_company_last_five ON cards (company_id, last_five);
CREATE INDEX cards_by_company_state ON cards (company_id, state, cardmember_name COLLATE NOCASE, id);
CREATE INDEX cards_temp_limit_ending ON cards (temp_limit_ends_at) WHERE temp_limit_ends_at IS NOT NULL;

CREATE TABLE charges (
  id INTEGER PRIMARY KEY,
  card_id INTEGER NOT NULL REFERENCES cards(id),
  merchant TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('posted', 'declined')),
  decline_reason TEXT,
  dispute_status TEXT CHECK (dispute_status IN ('open', 'credited', 'denied'))
);
CREATE INDEX charges_by_card ON charges (card_id, status, at);

CREATE TABLE transactions (
  id INTEGER PRIMARY KEY,
  tracking_number TEXT NOT NULL UNIQUE,
  company_id INTEGER NOT NULL REFERENCES companies(id),
  type TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('submitted', 'in_progress', 'completed', 'rejected')),
  -- Who submitted it: "pa:12", "staff:3". A PA without transactions.view_all sees only their own.
  submitted_by TEXT NOT NULL,
  submitted_by_pa_id INTEGER REFERENCES program_administrators(id),
  card_id INTEGER REFERENCES cards(id),
  charge_id INTEGER REFERENCES charges(id),
  subject_pa_id INTEGER REFERENCES program_administrators(id),
  summary TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  rejection_reason TEXT,
  submitted_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- When the clock next moves this transaction along; NULL once it is final.
  next_due_at INTEGER
);
CREATE INDEX transactions_by_company_time ON transactions (company_id, submitted_at, id);
CREATE INDEX transactions_by_company_status ON transactions (company_id, status, submitted_at, id);
CREATE INDEX transactions_by_company_type ON transactions (company_id, type, submitted_at, id);
CREATE INDEX transactions_by_submitter_time ON transactions (submitted_by_pa_id, submitted_at, id);
CREATE INDEX transactions_by_submitter_status ON transactions (submitted_by_pa_id, status, submitted_at, id);
CREATE INDEX transactions_by_submitter_type ON transactions (submitted_by_pa_id, type, submitted_at, id);
CREATE INDEX transactions_by_card ON transactions (card_id, status) WHERE card_id IS NOT NULL;
CREATE INDEX transactions_by_subject ON transactions (subject_pa_id, submitted_at) WHERE subject_pa_id IS NOT NULL;
CREATE INDEX transactions_due ON transactions (next_due_at) WHERE next_due_at IS NOT NULL;

CREATE TABLE transaction_events (
  id INTEGER PRIMARY KEY,
  transaction_id INTEGER NOT NULL REFERENCES transactions(id),
  at INTEGER NOT NULL,
  status TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT
);
CREATE INDEX transaction_events_by_transaction ON transaction_events (transaction_id, at);

-- Sequences that a scenario reset restarts, so a reset sandbox issues the same numbers again.
CREATE TABLE sequences (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
