-- A card's requests still being processed: the card page asks for them on every view, and all but a
-- few of a million transactions are final, so this index stays a page or two however large the data.
CREATE INDEX transactions_open_by_card ON transactions (card_id, id)
  WHERE card_id IS NOT NULL AND status IN ('submitted', 'in_progress');
