-- Delivery state of each outbox row. A row whose send failed waits until next_attempt_at
-- (per-aggregate backoff) and holds back the later rows of its aggregate; a row that can never
-- be delivered (too large, rejected as invalid) is set aside with dead_at, visibly, instead of
-- being retried forever.
ALTER TABLE outbox
    ADD COLUMN attempts        int NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN last_error      text,
    ADD COLUMN dead_at         timestamptz;

DROP INDEX outbox_unpublished;
-- What the relay reads: unsent rows in id order, and per aggregate whether an earlier one waits.
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_pending_aggregate ON outbox (aggregate_id, id) WHERE published_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_dead ON outbox (id) WHERE dead_at IS NOT NULL;
