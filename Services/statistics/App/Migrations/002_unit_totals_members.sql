-- unit_totals keeps its own record of each unit's kind and state, so it no longer reads
-- unit_directory (another projection, applied in an order it must not depend on).
CREATE TABLE unit_totals_members (
    code     int PRIMARY KEY,
    kind     text NOT NULL,
    active   boolean NOT NULL,
    version  int NOT NULL
);
INSERT INTO unit_totals_members (code, kind, active, version)
SELECT code, kind, active, version FROM unit_directory;
