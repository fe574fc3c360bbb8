-- The report_figures projection: every figure of the indicator list, the all-rounds matrix and
-- the annual summary, kept from catalogue's, intake's and review's events only.

-- Indicators as statistics needs them: what they are called, how they group (type, D1–D4,
-- workgroup), how much they weigh, their scale and their criteria levels ("[2] --> [3] --> [4]
-- --> [5]" gives {2,3,4,5}).
CREATE TABLE fig_indicators (
    id            uuid PRIMARY KEY,
    year_be       int NOT NULL,
    area_code     int NOT NULL,
    number        text NOT NULL,
    name_th       text NOT NULL,
    type_code     text NOT NULL,
    type_name_th  text NOT NULL DEFAULT '',
    weight        numeric NOT NULL,
    workgroup_id  int,
    status        text NOT NULL,
    d1            text NOT NULL DEFAULT '',
    d2            text NOT NULL DEFAULT '',
    d3            text NOT NULL DEFAULT '',
    d4            text NOT NULL DEFAULT '',
    criteria      text NOT NULL DEFAULT '',
    levels        numeric[] NOT NULL DEFAULT '{}',
    score_min     numeric,
    score_max     numeric,
    version       int NOT NULL
);
CREATE INDEX fig_indicators_year_area ON fig_indicators (year_be, area_code);

CREATE TABLE fig_rounds (
    indicator_id  uuid NOT NULL,
    seq           int NOT NULL,
    label_th      text NOT NULL,
    due_on        date,
    PRIMARY KEY (indicator_id, seq)
);

-- One row per report slot (indicator, round, unit): whether the unit is assigned, intake's
-- side of its report and review's side. A review counts only for the report version it was
-- given for while the report is confirmed at that version, as in intake and review; `state`
-- says what that makes the slot: NULL (nothing sent), draft, returned (B2), waiting (sent,
-- not reviewed) or reviewed.
CREATE TABLE fig_slots (
    indicator_id    uuid NOT NULL,
    seq             int NOT NULL,
    unit_code       int NOT NULL,
    assigned        boolean NOT NULL DEFAULT false,
    report_id       uuid,
    report_version  int NOT NULL DEFAULT 0,
    report_state    text CHECK (report_state IN ('draft', 'confirmed')),
    self_score      numeric,
    late            boolean NOT NULL DEFAULT false,
    confirmed_at    timestamptz,
    reporter        text,
    review_state    text CHECK (review_state IN ('reviewed', 'returned')),
    review_version  int,
    review_score    numeric,
    reviewer        text,
    reviewed_at     timestamptz,
    state           text GENERATED ALWAYS AS (
        CASE WHEN report_state = 'confirmed' AND review_state = 'reviewed' AND review_version = report_version THEN 'reviewed'
             WHEN report_state = 'confirmed' AND review_state = 'returned' AND review_version = report_version THEN 'returned'
             WHEN report_state = 'confirmed' THEN 'waiting'
             ELSE report_state END) STORED,
    PRIMARY KEY (indicator_id, seq, unit_code)
);
CREATE INDEX fig_slots_unit ON fig_slots (unit_code);

-- The counters of the indicator list (M6, B1), one row per round, recounted from fig_slots for
-- every round an applied batch touched: "[sent/reviewed/assigned] --- [self average, review
-- average]", and how many were sent on time and late.
CREATE TABLE fig_round_counts (
    indicator_id  uuid NOT NULL,
    seq           int NOT NULL,
    assigned      int NOT NULL,
    sent          int NOT NULL,
    reviewed      int NOT NULL,
    on_time       int NOT NULL,
    late          int NOT NULL,
    self_average  numeric,
    review_average numeric,
    PRIMARY KEY (indicator_id, seq)
);
