-- Units (หน่วยงาน): schools, the district office (74) and other units (76). Identified by code.
CREATE TABLE units (
    code        int PRIMARY KEY CHECK (code > 0),
    name_th     text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('school', 'district', 'other')),
    active      boolean NOT NULL DEFAULT true,
    version     int NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
