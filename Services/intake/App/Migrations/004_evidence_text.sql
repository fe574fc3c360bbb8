-- The text of PDF evidence (poppler's pdftotext), one row per file content, so reviewers can
-- search what schools sent. Thai has no spaces between words, so matching is by substring:
-- ILIKE '%…%' served by trigram indexes (pg_trgm, a trusted extension the service may create).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE evidence_text (
    sha256        text PRIMARY KEY,
    text          text NOT NULL,
    extracted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_text_trgm ON evidence_text USING gin (text gin_trgm_ops);
CREATE INDEX evidence_description_trgm ON evidence USING gin (description gin_trgm_ops);
