-- Which units report in which round (the gear ⚙️ of each round). A unit of the indicator's
-- area, active when assigned; the unit directory is catalogue's own copy of identity's units.
CREATE TABLE assignments (
    indicator_id  uuid NOT NULL,
    seq           int NOT NULL,
    unit_code     int NOT NULL,
    assigned_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (indicator_id, seq, unit_code),
    FOREIGN KEY (indicator_id, seq) REFERENCES rounds (indicator_id, seq) ON DELETE CASCADE
);
CREATE INDEX assignments_unit ON assignments (unit_code);

-- Units that have reported in a round: filled from intake's report events (the projection
-- comes with intake). A unit that has reported cannot be removed from its round.
CREATE TABLE reported_units (
    indicator_id  uuid NOT NULL,
    seq           int NOT NULL,
    unit_code     int NOT NULL,
    PRIMARY KEY (indicator_id, seq, unit_code)
);

-- How many units report in each round, kept with every change of its assignments, so the
-- list shows "ทั้งหมด" without counting thousands of rows per round.
ALTER TABLE rounds ADD COLUMN assigned_count int NOT NULL DEFAULT 0 CHECK (assigned_count >= 0);
