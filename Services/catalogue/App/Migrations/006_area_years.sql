-- A fiscal year is opened and closed by each area office for itself: a closed year keeps its
-- indicators visible, and nothing of them changes until the area opens it again.
CREATE TABLE area_years (
    year_be     int NOT NULL REFERENCES fiscal_years (year_be),
    area_code   int NOT NULL,
    closed_at   timestamptz,
    closed_by   text,
    PRIMARY KEY (year_be, area_code)
);
