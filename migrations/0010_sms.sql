-- The text-message outbox: every text the portal "sends" (a sign-in code, a fraud notice) is
-- captured here instead of being delivered, as e-mails are in outbox_messages. A text goes to the
-- PA's `program_administrators.phone` (kept since 0001; NULL when there is no phone on file), read
-- as an E.164 number ("+15555550142"): `to_number` is always that form, so a filter matches however
-- the number was written on the account.
CREATE TABLE sms_messages (
  id INTEGER PRIMARY KEY,
  to_number TEXT NOT NULL,
  -- "two_step_code" or "fraud_notice", for QA scripts to filter on.
  type TEXT NOT NULL,
  text_body TEXT NOT NULL,
  -- Values a script would otherwise scrape from the text ({ "code": "123456" }).
  data TEXT NOT NULL DEFAULT '{}',
  sent_at INTEGER NOT NULL
);
-- One index per filter a script reads the outbox by, each in send order, for the list and the long poll.
CREATE INDEX sms_messages_by_number ON sms_messages (to_number, id);
CREATE INDEX sms_messages_by_type ON sms_messages (type, id);
