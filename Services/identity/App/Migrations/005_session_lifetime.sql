-- A temporary password (an administrator's reset) works for 72 hours, and only to change it.
ALTER TABLE users ADD COLUMN temporary_password_expires_at timestamptz;
UPDATE users SET temporary_password_expires_at = now() + interval '72 hours' WHERE must_change_password;
-- Expired sessions are deleted by age; these find them.
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_created ON sessions (created_at);
