-- Password-change requests (the manual's appendix 2, without paper): forgot, suspected leak,
-- stop sharing. Made without signing in; answered by administrators.
CREATE TABLE password_requests (
    id          uuid PRIMARY KEY,
    username    text NOT NULL,
    user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
    reason      text NOT NULL CHECK (reason IN ('forgot', 'leaked', 'stop_sharing')),
    note        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    handled_by  uuid REFERENCES users (id),
    handled_at  timestamptz
);
CREATE INDEX password_requests_open ON password_requests (created_at) WHERE handled_at IS NULL;
