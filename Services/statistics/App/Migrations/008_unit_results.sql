-- B12: per indicator and unit, what the annual summary and the matrix read (an area's summary
-- reads 14,300 of these instead of 57,200 slots; a matrix page of an indicator with 35,000
-- units reads its 100 units in order). Counted again from the slots with the round counters.
CREATE TABLE fig_unit_results (
    indicator_id  uuid NOT NULL,
    unit_code     int NOT NULL,
    -- In the matrix: assigned to a round or with a report in one.
    shown         boolean NOT NULL,
    assigned      int NOT NULL,
    sent          int NOT NULL,
    reviewed      int NOT NULL,
    late          int NOT NULL,
    missing       int NOT NULL,
    -- The due dates of the rounds missing, in order (rounds without one left out): what is
    -- overdue on a day is width_bucket(the day before, missing_due).
    missing_due   date[] NOT NULL,
    self_sum      numeric,
    review_sum    numeric,
    PRIMARY KEY (indicator_id, unit_code)
);

-- An installation updated in place: from the slots already kept.
INSERT INTO fig_unit_results (indicator_id, unit_code, shown, assigned, sent, reviewed, late, missing, missing_due, self_sum, review_sum)
SELECT s.indicator_id, s.unit_code, bool_or(s.assigned OR s.report_state IS NOT NULL),
       count(*) FILTER (WHERE s.assigned), count(*) FILTER (WHERE s.state IN ('waiting', 'reviewed')),
       count(*) FILTER (WHERE s.state = 'reviewed'), count(*) FILTER (WHERE s.state IN ('waiting', 'reviewed') AND s.late),
       count(*) FILTER (WHERE s.assigned AND s.state IS DISTINCT FROM 'waiting' AND s.state IS DISTINCT FROM 'reviewed'),
       coalesce(array_agg(r.due_on ORDER BY r.due_on) FILTER (WHERE s.assigned AND s.state IS DISTINCT FROM 'waiting' AND s.state IS DISTINCT FROM 'reviewed' AND r.due_on IS NOT NULL), '{}'),
       sum(s.self_score) FILTER (WHERE s.state IN ('waiting', 'reviewed')), sum(s.review_score) FILTER (WHERE s.state = 'reviewed')
FROM fig_slots s LEFT JOIN view_rounds r ON r.indicator_id = s.indicator_id AND r.seq = s.seq
GROUP BY s.indicator_id, s.unit_code;

-- An indicator's units are now those shown in its matrix.
UPDATE fig_indicator_results x SET units = (SELECT count(*) FROM fig_unit_results u WHERE u.indicator_id = x.indicator_id AND u.shown);
