-- Indicator types (ประเภทตัวชี้วัด): a managed list; each says which scores are valid, so that
-- intake and review can check the scores they receive.
CREATE TABLE indicator_types (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,40}$'),
    name_th       text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 200),
    score_min     numeric NOT NULL,
    score_max     numeric NOT NULL,
    whole_numbers boolean NOT NULL DEFAULT false,
    sort_order    int NOT NULL DEFAULT 100,
    active        boolean NOT NULL DEFAULT true,
    CHECK (score_min < score_max)
);
INSERT INTO indicator_types (code, name_th, score_min, score_max, whole_numbers, sort_order) VALUES
    ('weighted_average_1_5', 'ค่าเฉลี่ยถ่วงน้ำหนัก (1 - 5)', 1, 5, false, 10),
    ('target_range_1_5', 'ค่าเฉลี่ยช่วงเป้าหมาย (1 - 5)', 1, 5, false, 20),
    ('percentage', 'ร้อยละ', 0, 100, false, 30),
    ('count', 'จำนวน', 0, 1000000000, true, 40),
    ('pass_fail', 'ผ่าน/ไม่ผ่าน (0 = ไม่ผ่าน, 1 = ผ่าน)', 0, 1, true, 50);

-- Indicators (ตัวชี้วัด): one fiscal year, one area office (the one that defines it). The
-- number (เลขตัวชี้วัด) is unique within its year and area.
CREATE TABLE indicators (
    id               uuid PRIMARY KEY,
    year_be          int NOT NULL REFERENCES fiscal_years (year_be),
    area_code        int NOT NULL,
    number           text NOT NULL CHECK (length(number) BETWEEN 1 AND 20),
    name_th          text NOT NULL CHECK (length(name_th) BETWEEN 1 AND 500),
    details          text NOT NULL DEFAULT '' CHECK (length(details) <= 5000),
    type_code        text NOT NULL REFERENCES indicator_types (code),
    weight           numeric(7, 2) NOT NULL CHECK (weight > 0 AND weight <= 100),
    d1               text NOT NULL DEFAULT '' CHECK (length(d1) <= 100),
    d2               text NOT NULL DEFAULT '' CHECK (length(d2) <= 100),
    d3               text NOT NULL DEFAULT '' CHECK (length(d3) <= 100),
    d4               text NOT NULL DEFAULT '' CHECK (length(d4) <= 100),
    workgroup_id     int,
    assessment_note  text NOT NULL DEFAULT '' CHECK (length(assessment_note) <= 200),
    criteria         text NOT NULL DEFAULT '' CHECK (length(criteria) <= 200),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'hidden')),
    round_mode       text NOT NULL CHECK (round_mode IN ('monthly', 'quarterly', 'half_year', 'once')),
    version          int NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (year_be, area_code, number)
);
CREATE INDEX indicators_list ON indicators (year_be, area_code, type_code, number);

-- Rounds (รอบ) of an indicator, made from its mode; each has its own switch and they open in
-- order. Dates: opening, due, and the cut-off after which reports stop by themselves.
CREATE TABLE rounds (
    indicator_id  uuid NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    seq           int NOT NULL CHECK (seq BETWEEN 1 AND 12),
    label_th      text NOT NULL,
    state         text NOT NULL DEFAULT 'not_opened' CHECK (state IN ('not_opened', 'open', 'closed')),
    opens_on      date,
    due_on        date,
    cutoff_on     date,
    PRIMARY KEY (indicator_id, seq),
    CHECK (opens_on IS NULL OR due_on IS NULL OR opens_on <= due_on),
    CHECK (due_on IS NULL OR cutoff_on IS NULL OR due_on <= cutoff_on)
);
