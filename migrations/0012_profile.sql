-- The profile's reads, each served by an index however large the audit log and the transactions grow.

-- A PA's sign-in history (the last sign-ins and failures): the audit log holds many other events
-- about the same PA, so the partial index keeps only these, newest last, for a backward walk.
CREATE INDEX audit_sign_ins_by_subject ON audit_events (subject, at, id)
  WHERE action IN ('login.success', 'login.failure');

-- The help desk's queue of open contact-change requests, oldest first: a handful among a million
-- transactions.
CREATE INDEX transactions_open_contact_changes ON transactions (submitted_at, id)
  WHERE type = 'contact_change_request' AND status = 'submitted';
