-- The transactional outbox and the idempotent-consumer inbox that every domain service keeps
-- in its own schema (unqualified names resolve through the role's search_path).

CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    event_id        uuid NOT NULL UNIQUE,
    topic           text NOT NULL,
    aggregate_id    text NOT NULL,
    event_type      text NOT NULL,
    subject         text,
    correlation_id  text,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at    timestamptz
);
-- The relay reads unpublished rows in id order; published rows are kept for republishing.
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE inbox (
    event_id        uuid PRIMARY KEY,
    event_type      text NOT NULL,
    source          text NOT NULL,
    topic           text NOT NULL,
    partition       int NOT NULL,
    "offset"        bigint NOT NULL,
    applied_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
