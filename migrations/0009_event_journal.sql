-- The event journal: what happened in the sandbox, in the order it was recorded, for QA scripts to
-- read and wait on. Each row is written in the same transaction as the thing it records (an audit
-- event, a transaction's status change, a captured e-mail, a clock move, a fault firing). Nothing
-- secret goes in: `data` holds only what a script may see (a tracking number, a status, an e-mail's type).
CREATE TABLE journal_events (
  id INTEGER PRIMARY KEY,
  -- Simulated time of what it records.
  at INTEGER NOT NULL,
  -- A stable name: "login.success", "transaction.completed", "email.sent", "clock.moved" …
  type TEXT NOT NULL,
  -- Who acted, as the audit log says it: "pa:12", "staff:3", "system", "simulator", "anonymous".
  actor TEXT NOT NULL,
  -- What it concerned, when known: "pa:12", "staff:3", "transaction:300100001", "email:<address>", "fault:<id>".
  subject TEXT,
  data TEXT NOT NULL DEFAULT '{}'
);
-- One index for each filter a script reads the journal by, each in journal order, so a filtered
-- read or a long poll's look for the next match never scans the whole journal.
CREATE INDEX journal_events_by_type ON journal_events (type, id);
CREATE INDEX journal_events_by_actor ON journal_events (actor, id);
CREATE INDEX journal_events_by_subject ON journal_events (subject, id) WHERE subject IS NOT NULL;
