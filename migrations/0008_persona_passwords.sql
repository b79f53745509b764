-- Passwords seeded personas set through the portal (first login, reset), kept in the clear so the
-- simulator can tell a QA script how to sign in as a persona after the change, as it already tells
-- the scenario's. Only rows with a persona_key ever get one: no other user's password is kept.
CREATE TABLE persona_passwords (
  pa_id INTEGER PRIMARY KEY REFERENCES program_administrators(id) ON DELETE CASCADE,
  password TEXT NOT NULL,
  set_at INTEGER NOT NULL
);
