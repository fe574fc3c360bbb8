-- A service's own copy of identity's units, kept from unit events (never read across schemas).
CREATE TABLE unit_directory (
    code        int PRIMARY KEY,
    name_th     text NOT NULL,
    kind        text NOT NULL,
    active      boolean NOT NULL,
    version     int NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
