-- Reports (issue 18): declined charges across the program and spend by control account, read from
-- indexes at `large` scale, and the PAs' subscriptions to scheduled delivery.

-- A charge's company and place in the hierarchy, copied from its card as transactions copy theirs
-- (migrations 0014 and 0015), so that a company's declines read one index in time order and a
-- control account's subtree one range of its level's index, never a join over every card.
ALTER TABLE charges ADD COLUMN company_id INTEGER;
ALTER TABLE charges ADD COLUMN control_account_id INTEGER;
ALTER TABLE charges ADD COLUMN account_level1 INTEGER;
ALTER TABLE charges ADD COLUMN account_level2 INTEGER;
ALTER TABLE charges ADD COLUMN account_level3 INTEGER;
ALTER TABLE charges ADD COLUMN account_level4 INTEGER;

UPDATE charges SET (company_id, control_account_id) = (SELECT company_id, control_account_id FROM cards WHERE cards.id = charges.card_id);
UPDATE charges SET (account_level1, account_level2, account_level3, account_level4) =
  (SELECT level1_id, level2_id, level3_id, level4_id FROM control_accounts WHERE control_accounts.id = charges.control_account_id)
  WHERE control_account_id IS NOT NULL;

-- Bulk writers (the large generator) write these themselves; the trigger then does nothing.
CREATE TRIGGER charges_account_on_insert AFTER INSERT ON charges WHEN NEW.company_id IS NULL BEGIN
  UPDATE charges SET (company_id, control_account_id, account_level1, account_level2, account_level3, account_level4) =
    (SELECT c.company_id, c.control_account_id, a.level1_id, a.level2_id, a.level3_id, a.level4_id
       FROM cards c LEFT JOIN control_accounts a ON a.id = c.control_account_id WHERE c.id = NEW.card_id)
  WHERE id = NEW.id;
END;

-- A card moved to another control account takes its charges with it, as it takes its transactions.
CREATE TRIGGER charges_account_on_card_move AFTER UPDATE OF control_account_id ON cards
  WHEN OLD.control_account_id IS NOT NEW.control_account_id BEGIN
  UPDATE charges SET (control_account_id, account_level1, account_level2, account_level3, account_level4) =
    (SELECT NEW.control_account_id, level1_id, level2_id, level3_id, level4_id FROM control_accounts WHERE id = NEW.control_account_id)
  WHERE card_id = NEW.id;
END;

-- Declines newest first: the whole company, one reason, one subtree at each level.
CREATE INDEX charges_declined_by_company ON charges (company_id, at, id) WHERE status = 'declined';
CREATE INDEX charges_declined_by_reason ON charges (company_id, decline_reason, at, id) WHERE status = 'declined';
CREATE INDEX charges_declined_by_level1 ON charges (account_level1, at, id) WHERE status = 'declined';
CREATE INDEX charges_declined_by_level2 ON charges (account_level2, at, id) WHERE status = 'declined';
CREATE INDEX charges_declined_by_level3 ON charges (account_level3, at, id) WHERE status = 'declined';
CREATE INDEX charges_declined_by_level4 ON charges (account_level4, at, id) WHERE status = 'declined';
-- Spend: a month's posted charges of a company, everything the sums need in the index itself.
CREATE INDEX charges_posted_by_company ON charges (company_id, at, control_account_id, amount_cents) WHERE status = 'posted';

-- A PA's subscription to one report, with that report's filters (JSON), delivered by e-mail as the
-- simulated clock passes each due time.
CREATE TABLE report_subscriptions (
  id INTEGER PRIMARY KEY,
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id) ON DELETE CASCADE,
  report TEXT NOT NULL CHECK (report IN ('declines', 'spend', 'open_requests')),
  frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  filters TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  next_due_at INTEGER NOT NULL,
  last_delivered_at INTEGER
);
CREATE INDEX report_subscriptions_by_due ON report_subscriptions (next_due_at);
CREATE INDEX report_subscriptions_by_pa ON report_subscriptions (pa_id);
