-- Every foreign key gets an index on its child columns. Deleting a parent row makes SQLite look for
-- the rows that still point at it; without an index that is a scan of the whole child table for
-- each deleted row. A sandbox reset deletes every table: on the large scenario that scan cost 80 ms
-- per deleted charge and held the server for hours; with transactions (charge_id) indexed, all the
-- charges were deleted in 167 ms. Keys that are mostly NULL are indexed only where set: a lookup `key = ?`
-- never matches a NULL, so SQLite uses the smaller partial index all the same.
CREATE INDEX transactions_by_charge ON transactions (charge_id) WHERE charge_id IS NOT NULL;
CREATE INDEX cards_by_replaced_card ON cards (replaces_card_id) WHERE replaces_card_id IS NOT NULL;
CREATE INDEX escalations_by_pa ON escalations (pa_id);
CREATE INDEX escalations_by_transaction ON escalations (transaction_id);
CREATE INDEX escalations_by_raiser ON escalations (raised_by_staff_id);
CREATE INDEX escalations_by_resolver ON escalations (resolved_by_staff_id) WHERE resolved_by_staff_id IS NOT NULL;
