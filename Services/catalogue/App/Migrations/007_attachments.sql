-- Documents of an indicator (เอกสารประกอบ): its description (คำอธิบายตัวชี้วัด), its assessment
-- tool (เครื่องมือประเมินระดับคุณภาพ), and up to 11 other files. The bytes are in the file store
-- under their SHA-256; a row taken off by the red bin keeps who removed it and when.
CREATE TABLE indicator_attachments (
    id            uuid PRIMARY KEY,
    indicator_id  uuid NOT NULL REFERENCES indicators (id),
    slot          text NOT NULL CHECK (slot IN ('description', 'tool', 'other')),
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
    content_kind  text NOT NULL,
    size          bigint NOT NULL CHECK (size >= 0),
    sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    added_by      text NOT NULL,
    added_at      timestamptz NOT NULL DEFAULT now(),
    removed_by    text,
    removed_at    timestamptz
);
CREATE INDEX indicator_attachments_live ON indicator_attachments (indicator_id, added_at) WHERE removed_at IS NULL;
CREATE INDEX indicator_attachments_sha ON indicator_attachments (sha256) WHERE removed_at IS NULL;
-- One description and one tool at a time.
CREATE UNIQUE INDEX indicator_attachments_one_per_slot ON indicator_attachments (indicator_id, slot)
    WHERE removed_at IS NULL AND slot <> 'other';
