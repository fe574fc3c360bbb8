-- B12: the nation's summary adds up per-round and per-indicator rows (about 100,000 and 25,000 a
-- year for the whole country) instead of 14 million slots. Both are recounted from the slots of
-- what a batch touched, like the round counters.

-- Assigned slots not sent: with the round's due date this gives what is overdue on any day.
ALTER TABLE fig_round_counts ADD COLUMN missing int NOT NULL DEFAULT 0;

-- Per indicator: how many units have slots, how many have a standing review, and the sum over
-- those units of their average review score (on the indicator's own scale; the reading side
-- puts it on 1–5, which is linear, so sums stay sums).
CREATE TABLE fig_indicator_results (
    indicator_id    uuid PRIMARY KEY,
    units           int NOT NULL,
    reviewed_units  int NOT NULL,
    average_sum     numeric
);

-- Existing rows: the slots already kept give both (an installation updated in place).
UPDATE fig_round_counts c SET missing = (
    SELECT count(*) FROM fig_slots s WHERE s.indicator_id = c.indicator_id AND s.seq = c.seq
      AND s.assigned AND s.state IS DISTINCT FROM 'waiting' AND s.state IS DISTINCT FROM 'reviewed');
INSERT INTO fig_indicator_results (indicator_id, units, reviewed_units, average_sum)
SELECT indicator_id, count(*), count(average), sum(average)
FROM (SELECT indicator_id, unit_code, avg(review_score) FILTER (WHERE state = 'reviewed') AS average
      FROM fig_slots GROUP BY indicator_id, unit_code) u
GROUP BY indicator_id;

-- Rounds whose figures a batch changed, counted again by `ReportFigures.settle` a moment later
-- (once for many batches during a replay). `marks` exists so that marking takes the row's lock:
-- a settle that deletes the row then cannot lose a mark made by a transaction not yet committed.
CREATE TABLE fig_dirty_rounds (
    indicator_id  uuid NOT NULL,
    seq           int NOT NULL,
    marks         int NOT NULL DEFAULT 1,
    PRIMARY KEY (indicator_id, seq)
);

-- When each area's figures of a year last changed (B9): open pages are told to refresh.
CREATE TABLE fig_area_changes (
    area_code   int NOT NULL,
    year_be     int NOT NULL,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (area_code, year_be)
);
CREATE INDEX fig_area_changes_at ON fig_area_changes (changed_at);
