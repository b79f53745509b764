-- How many cards each company has in each state, kept by triggers. The homepage's notice of
-- suspended cards reads one row here instead of counting hundreds of index entries on every view.
-- Derived data: never copied by a scenario reset, since the triggers keep it as cards are copied.

CREATE TABLE card_state_counts (
  company_id INTEGER NOT NULL,
  state TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (company_id, state)
) WITHOUT ROWID;

INSERT INTO card_state_counts (company_id, state, n)
  SELECT company_id, state, count(*) FROM cards GROUP BY company_id, state;

CREATE TRIGGER cards_counted_on_insert AFTER INSERT ON cards BEGIN
  INSERT INTO card_state_counts (company_id, state, n) VALUES (NEW.company_id, NEW.state, 1)
    ON CONFLICT (company_id, state) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER cards_counted_on_delete AFTER DELETE ON cards BEGIN
  UPDATE card_state_counts SET n = n - 1 WHERE company_id = OLD.company_id AND state = OLD.state;
END;

CREATE TRIGGER cards_counted_on_update AFTER UPDATE OF state, company_id ON cards
  WHEN OLD.state IS NOT NEW.state OR OLD.company_id IS NOT NEW.company_id BEGIN
  UPDATE card_state_counts SET n = n - 1 WHERE company_id = OLD.company_id AND state = OLD.state;
  INSERT INTO card_state_counts (company_id, state, n) VALUES (NEW.company_id, NEW.state, 1)
    ON CONFLICT (company_id, state) DO UPDATE SET n = n + 1;
END;
