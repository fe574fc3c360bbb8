-- B3: the reminder schedule's memory, so that nothing is told twice. A report slot's steps
-- already issued: "before-7" (7 days before its due date), "after-1" (a day overdue),
-- "returned-2" (returned for revision at version 2).
CREATE TABLE reminder_log (
    indicator_id  uuid NOT NULL,
    seq           int NOT NULL,
    unit_code     int NOT NULL,
    step          text NOT NULL,
    issued_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (indicator_id, seq, unit_code, step)
);

-- The reviewers' digests per area, year and workgroup (0: indicators of no workgroup): how
-- many reports had been sent at the last digest and its day (at most one a day, and only when
-- reports were sent since; read from the round counters, not from millions of slots).
CREATE TABLE reminder_digests (
    area_code   int NOT NULL,
    year_be     int NOT NULL,
    workgroup   int NOT NULL,
    sent_total  bigint NOT NULL,
    issued_on   date NOT NULL,
    PRIMARY KEY (area_code, year_be, workgroup)
);
