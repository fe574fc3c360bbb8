-- review's copy of intake's reports (the report_status projection, from intake's events): where
-- each report stands as intake last said, at which version, its self score and its evidence
-- (descriptions and SHA-256, never the bytes). Review decides from these alone what is waiting
-- and refuses to score a report that is not confirmed at the version the reviewer saw.
CREATE TABLE report_status (
    report_id             uuid PRIMARY KEY,
    indicator_id          uuid NOT NULL,
    seq                   int NOT NULL,
    unit_code             int NOT NULL,
    area_code             int NOT NULL,
    year_be               int NOT NULL,
    state                 text NOT NULL CHECK (state IN ('draft', 'confirmed')),
    version               int NOT NULL,
    self_score            numeric,
    evidence_count        int NOT NULL DEFAULT 0,
    late                  boolean NOT NULL DEFAULT false,
    confirmed_at          timestamptz,
    -- The version of the school's last change (saved, evidence added or removed): a report
    -- whose content_version is above the version a review was given for changed after it (B4).
    content_version       int NOT NULL DEFAULT 0,
    UNIQUE (indicator_id, seq, unit_code)
);
CREATE INDEX report_status_waiting ON report_status (area_code, year_be, confirmed_at) WHERE state = 'confirmed';

CREATE TABLE report_evidence (
    report_id    uuid NOT NULL,
    slot         int NOT NULL,
    description  text NOT NULL,
    file_name    text NOT NULL,
    sha256       text NOT NULL,
    PRIMARY KEY (report_id, slot)
);
-- "possibly copied evidence": the same bytes from another unit for the same indicator.
CREATE INDEX report_evidence_sha ON report_evidence (sha256);
