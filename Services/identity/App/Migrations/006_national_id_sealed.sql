-- National IDs are kept encrypted (AES-GCM) with a keyed hash (HMAC) to find equal ones; the
-- plaintext column stays only until identity has sealed the rows written before this
-- migration (at its next start), then holds NULL.
ALTER TABLE users ADD COLUMN national_id_sealed bytea;
ALTER TABLE users ADD COLUMN national_id_hash bytea;
ALTER TABLE users ALTER COLUMN national_id DROP NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_national_id_kept CHECK (national_id IS NOT NULL OR (national_id_sealed IS NOT NULL AND national_id_hash IS NOT NULL));
-- Registration takes any ID (it must not tell whether an ID is registered); administrators see
-- the duplicates, and only one account per person can be active.
DROP INDEX users_national_id;
CREATE INDEX users_national_id_hash ON users (national_id_hash);
CREATE UNIQUE INDEX users_national_id_active ON users (national_id_hash) WHERE status = 'active';
