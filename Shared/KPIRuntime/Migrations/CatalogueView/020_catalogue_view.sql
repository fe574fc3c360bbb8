-- A service's own copy of what catalogue decides about reporting (the catalogue_view
-- projection, from catalogue's events): which indicators there are, their status, workgroup and
-- scores, their rounds with state and dates, which units report in each, the extensions, and
-- closed years. intake decides from these whether a unit may report, review whom a reviewer
-- may score. IF NOT EXISTS: intake had these tables as its own migration before they were shared.
CREATE TABLE IF NOT EXISTS view_indicators (
    id             uuid PRIMARY KEY,
    year_be        int NOT NULL,
    area_code      int NOT NULL,
    number         text NOT NULL,
    name_th        text NOT NULL,
    type_code      text NOT NULL,
    workgroup_id   int,
    status         text NOT NULL,
    score_min      numeric,
    score_max      numeric,
    whole_numbers  boolean,
    version        int NOT NULL
);
CREATE INDEX IF NOT EXISTS view_indicators_year_area ON view_indicators (year_be, area_code);

CREATE TABLE IF NOT EXISTS view_rounds (
    indicator_id  uuid NOT NULL,
    seq           int NOT NULL,
    label_th      text NOT NULL,
    state         text NOT NULL DEFAULT 'not_opened',
    opens_on      date,
    due_on        date,
    cutoff_on     date,
    PRIMARY KEY (indicator_id, seq)
);

CREATE TABLE IF NOT EXISTS view_assignments (
    indicator_id  uuid NOT NULL,
    seq           int NOT NULL,
    unit_code     int NOT NULL,
    PRIMARY KEY (indicator_id, seq, unit_code)
);
CREATE INDEX IF NOT EXISTS view_assignments_unit ON view_assignments (unit_code, indicator_id);

CREATE TABLE IF NOT EXISTS view_extensions (
    indicator_id  uuid NOT NULL,
    seq           int NOT NULL,
    unit_code     int NOT NULL,
    until_on      date NOT NULL,
    PRIMARY KEY (indicator_id, seq, unit_code)
);

CREATE TABLE IF NOT EXISTS view_closed_years (
    year_be    int NOT NULL,
    area_code  int NOT NULL,
    PRIMARY KEY (year_be, area_code)
);
