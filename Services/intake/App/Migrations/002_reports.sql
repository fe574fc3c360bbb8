-- A unit's report for one round of one indicator (M8/M9): its self-assessment, up to 10
-- pieces of evidence (a file and a description each), and where it stands: a draft, confirmed
-- (waiting for review), or reviewed. `version` grows with every change, so that two people of
-- one school never overwrite each other unawares.
CREATE TABLE reports (
    id             uuid PRIMARY KEY,
    indicator_id   uuid NOT NULL,
    seq            int NOT NULL,
    unit_code      int NOT NULL,
    area_code      int NOT NULL,
    year_be        int NOT NULL,
    state          text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'confirmed', 'reviewed')),
    self_score     numeric,
    version        int NOT NULL DEFAULT 1,
    confirmed_at   timestamptz,
    confirmed_by   text,
    late           boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (indicator_id, seq, unit_code)
);
CREATE INDEX reports_unit ON reports (unit_code, year_be);

-- The evidence a report holds now, one row per slot; the bytes are in the file store under
-- their SHA-256, removed only when no row refers to them.
CREATE TABLE evidence (
    report_id      uuid NOT NULL REFERENCES reports (id),
    slot           int NOT NULL CHECK (slot BETWEEN 1 AND 10),
    description    text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    file_name      text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    content_kind   text NOT NULL,
    size           bigint NOT NULL CHECK (size >= 0),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    added_by       text NOT NULL,
    added_by_name  text NOT NULL,
    added_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (report_id, slot)
);
CREATE INDEX evidence_sha ON evidence (sha256);

-- Every step of a report, with who and when (B4): saved, evidence added or removed,
-- confirmed, confirmation cancelled (and, with review, reviewed and returned).
CREATE TABLE report_history (
    report_id   uuid NOT NULL REFERENCES reports (id),
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    action      text NOT NULL,
    detail      text NOT NULL DEFAULT '',
    actor_id    text NOT NULL,
    actor_name  text NOT NULL
);
CREATE INDEX report_history_report ON report_history (report_id, at);
