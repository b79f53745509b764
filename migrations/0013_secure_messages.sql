-- Secure messages between a PA and the help desk, and escalations the system raises itself.

-- A thread is a transaction of type secure_message: its tracking number, company and writer live there.
CREATE TABLE message_threads (
  id INTEGER PRIMARY KEY,
  transaction_id INTEGER NOT NULL UNIQUE REFERENCES transactions(id),
  company_id INTEGER NOT NULL REFERENCES companies(id),
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id),
  subject TEXT NOT NULL,
  topic TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  -- When the help desk promised to answer the PA's latest unanswered message; NULL while nothing waits.
  answer_due_at INTEGER,
  -- When that promise was broken and the thread escalated; cleared by the next answer.
  overdue_at INTEGER,
  closed_at INTEGER
);
CREATE INDEX message_threads_by_company ON message_threads (company_id, last_activity_at);
CREATE INDEX message_threads_by_pa ON message_threads (pa_id, last_activity_at);
CREATE INDEX message_threads_open ON message_threads (opened_at, id) WHERE closed_at IS NULL;
CREATE INDEX message_threads_answer_due ON message_threads (answer_due_at) WHERE answer_due_at IS NOT NULL AND overdue_at IS NULL;

CREATE TABLE thread_messages (
  id INTEGER PRIMARY KEY,
  thread_id INTEGER NOT NULL REFERENCES message_threads(id),
  -- "pa:12" or "staff:3".
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at INTEGER NOT NULL
);
CREATE INDEX thread_messages_by_thread ON thread_messages (thread_id, sent_at, id);

-- An escalation is raised by a staff member or, when a thread's answer time passes, by the system
-- (raised_by_staff_id NULL, thread_id set). SQLite cannot drop NOT NULL in place: the table is rebuilt.
CREATE TABLE escalations_rebuilt (
  id INTEGER PRIMARY KEY,
  pa_id INTEGER NOT NULL REFERENCES program_administrators(id),
  transaction_id INTEGER NOT NULL REFERENCES transactions(id),
  raised_by_staff_id INTEGER REFERENCES staff_users(id),
  thread_id INTEGER REFERENCES message_threads(id),
  note TEXT NOT NULL,
  raised_at INTEGER NOT NULL,
  resolved_by_staff_id INTEGER REFERENCES staff_users(id),
  resolution TEXT,
  resolved_at INTEGER,
  CHECK ((raised_by_staff_id IS NULL) <> (thread_id IS NULL))
);
INSERT INTO escalations_rebuilt (id, pa_id, transaction_id, raised_by_staff_id, note, raised_at, resolved_by_staff_id, resolution, resolved_at)
  SELECT id, pa_id, transaction_id, raised_by_staff_id, note, raised_at, resolved_by_staff_id, resolution, resolved_at FROM escalations;
DROP TABLE escalations;
ALTER TABLE escalations_rebuilt RENAME TO escalations;
CREATE INDEX escalations_open ON escalations (raised_at) WHERE resolved_at IS NULL;
CREATE INDEX escalations_by_pa ON escalations (pa_id);
CREATE INDEX escalations_by_transaction ON escalations (transaction_id);
CREATE INDEX escalations_by_raiser ON escalations (raised_by_staff_id) WHERE raised_by_staff_id IS NOT NULL;
CREATE INDEX escalations_by_thread ON escalations (thread_id) WHERE thread_id IS NOT NULL;
CREATE INDEX escalations_by_resolver ON escalations (resolved_by_staff_id) WHERE resolved_by_staff_id IS NOT NULL;
