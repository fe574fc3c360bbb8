-- Throttling that counts and decides in one statement (a row lock per key), so parallel
-- attempts cannot all pass a count. Keys: 'acct:<name>' (sign-in and password checks of one
-- account: a progressive delay, never a lock) and '<action>|<address>' (registration and
-- password requests from one address: a fixed window).
CREATE TABLE throttle (
    key               text PRIMARY KEY,
    attempts          int NOT NULL DEFAULT 0,
    window_started_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at   timestamptz NOT NULL DEFAULT '-infinity'
);
CREATE INDEX throttle_last_attempt ON throttle (last_attempt_at);
DROP TABLE sign_in_failures;
