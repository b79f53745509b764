-- The program hierarchy: each company is the root of a tree of control accounts (billing control
-- accounts, up to 4 levels below the company); every card belongs to one, and a PA may be limited
-- to one or more subtrees (no scope rows: the whole company).

CREATE TABLE control_accounts (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies(id),
  -- NULL: directly below the company.
  parent_id INTEGER REFERENCES control_accounts(id),
  number TEXT NOT NULL,
  name TEXT NOT NULL,
  depth INTEGER NOT NULL CHECK (depth BETWEEN 1 AND 4)
);
CREATE UNIQUE INDEX control_accounts_by_company_number ON control_accounts (company_id, number);
CREATE INDEX control_accounts_by_parent ON control_accounts (parent_id);

-- NULL only for cards written before the hierarchy existed; a scenario load gives every card one.
ALTER TABLE cards ADD COLUMN control_account_id INTEGER REFERENCES control_accounts(id);
CREATE INDEX cards_by_control_account ON cards (control_account_id) WHERE control_account_id IS NOT NULL;

-- The control account of the transaction's card, copied so that a scoped list filters one row at a
-- time without a join; NULL for a request about no card (the company's own business). Moving a card
-- moves its transactions with it. Derived, so no foreign key: the card's is the one kept.
ALTER TABLE transactions ADD COLUMN control_account_id INTEGER;

CREATE TABLE pa_scopes (
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id) ON DELETE CASCADE,
  control_account_id INTEGER NOT NULL REFERENCES control_accounts(id),
  PRIMARY KEY (pa_id, control_account_id)
) WITHOUT ROWID;
CREATE INDEX pa_scopes_by_control_account ON pa_scopes (control_account_id);
