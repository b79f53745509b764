-- Where each control account and each transaction sits in the hierarchy, level by level, so that
-- the Status Tracking Overview filtered by a control account (its whole subtree) reads one index
-- in time order: `account_level<d> = <the account>` for an account at depth d, never a sort.

-- The account's ancestors at each level, and itself at its own; NULL below its depth.
ALTER TABLE control_accounts ADD COLUMN level1_id INTEGER;
ALTER TABLE control_accounts ADD COLUMN level2_id INTEGER;
ALTER TABLE control_accounts ADD COLUMN level3_id INTEGER;
ALTER TABLE control_accounts ADD COLUMN level4_id INTEGER;

-- A parent is always written before its children, so its levels are known when a child is.
CREATE TRIGGER control_accounts_levels AFTER INSERT ON control_accounts BEGIN
  UPDATE control_accounts SET
    level1_id = CASE WHEN NEW.depth = 1 THEN NEW.id ELSE (SELECT level1_id FROM control_accounts WHERE id = NEW.parent_id) END,
    level2_id = CASE WHEN NEW.depth = 2 THEN NEW.id WHEN NEW.depth > 2 THEN (SELECT level2_id FROM control_accounts WHERE id = NEW.parent_id) END,
    level3_id = CASE WHEN NEW.depth = 3 THEN NEW.id WHEN NEW.depth > 3 THEN (SELECT level3_id FROM control_accounts WHERE id = NEW.parent_id) END,
    level4_id = CASE WHEN NEW.depth = 4 THEN NEW.id END
  WHERE id = NEW.id;
END;

-- Copies of the transaction's control account's levels. Derived, like control_account_id itself.
ALTER TABLE transactions ADD COLUMN account_level1 INTEGER;
ALTER TABLE transactions ADD COLUMN account_level2 INTEGER;
ALTER TABLE transactions ADD COLUMN account_level3 INTEGER;
ALTER TABLE transactions ADD COLUMN account_level4 INTEGER;

-- Bulk writers (the large generator) write the levels themselves; the trigger then does nothing.
CREATE TRIGGER transactions_account_levels_on_insert AFTER INSERT ON transactions
  WHEN NEW.control_account_id IS NOT NULL AND NEW.account_level1 IS NULL BEGIN
  UPDATE transactions SET (account_level1, account_level2, account_level3, account_level4) =
    (SELECT level1_id, level2_id, level3_id, level4_id FROM control_accounts WHERE id = NEW.control_account_id)
  WHERE id = NEW.id;
END;

CREATE TRIGGER transactions_account_levels_on_move AFTER UPDATE OF control_account_id ON transactions
  WHEN OLD.control_account_id IS NOT NEW.control_account_id BEGIN
  UPDATE transactions SET (account_level1, account_level2, account_level3, account_level4) =
    (SELECT level1_id, level2_id, level3_id, level4_id FROM control_accounts WHERE id = NEW.control_account_id)
  WHERE id = NEW.id;
END;

CREATE INDEX transactions_by_account_level1 ON transactions (account_level1, submitted_at, id) WHERE account_level1 IS NOT NULL;
CREATE INDEX transactions_by_account_level2 ON transactions (account_level2, submitted_at, id) WHERE account_level2 IS NOT NULL;
CREATE INDEX transactions_by_account_level3 ON transactions (account_level3, submitted_at, id) WHERE account_level3 IS NOT NULL;
CREATE INDEX transactions_by_account_level4 ON transactions (account_level4, submitted_at, id) WHERE account_level4 IS NOT NULL;
