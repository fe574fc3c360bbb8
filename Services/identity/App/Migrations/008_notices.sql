-- B3: each person's notices (การแจ้งเตือน), made from statistics' RemindersIssuedV1 for the
-- reporters of a unit or the reviewers of an area. One per person and reminder; read and
-- e-mailed states are the person's (a replay of the events adds nothing twice).
CREATE TABLE notices (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reminder_id     uuid NOT NULL,
    year_be         int NOT NULL,
    audience        text NOT NULL,
    items           jsonb NOT NULL,
    created_at      timestamptz NOT NULL,
    read_at         timestamptz,
    emailed_at      timestamptz,
    email_attempts  int NOT NULL DEFAULT 0,
    email_next_at   timestamptz,
    UNIQUE (user_id, reminder_id)
);
CREATE INDEX notices_user ON notices (user_id, created_at DESC);
CREATE INDEX notices_unread ON notices (user_id) WHERE read_at IS NULL;
-- What the mailer still has to send.
CREATE INDEX notices_to_mail ON notices (created_at) WHERE emailed_at IS NULL;
