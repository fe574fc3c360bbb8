-- An extension lets one unit report in a round after its cut-off: until when, why, and who
-- granted it (B1). It goes with the unit's assignment.
CREATE TABLE round_extensions (
    indicator_id     uuid NOT NULL,
    seq              int NOT NULL,
    unit_code        int NOT NULL,
    until_on         date NOT NULL,
    reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    granted_by       text NOT NULL,
    granted_by_name  text NOT NULL,
    granted_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (indicator_id, seq, unit_code),
    FOREIGN KEY (indicator_id, seq, unit_code) REFERENCES assignments (indicator_id, seq, unit_code) ON DELETE CASCADE
);
