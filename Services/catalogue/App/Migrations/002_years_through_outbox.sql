-- The first migration inserted the seed years directly, so no event told other services of
-- them. Years without an event are removed here and added again at start through the outbox
-- (no indicator refers to a year yet).
DELETE FROM fiscal_years f
WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.aggregate_id = 'year-' || f.year_be);
