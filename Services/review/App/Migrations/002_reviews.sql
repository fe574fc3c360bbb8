-- The review that stands on a report, if any: a score (reviewed) or a return for revision with
-- a comment (returned, B2), for the report version the reviewer saw. Cancelling a review
-- deletes its row; the history (review_history) keeps every step with who and when.
CREATE TABLE reviews (
    report_id       uuid PRIMARY KEY,
    state           text NOT NULL CHECK (state IN ('reviewed', 'returned')),
    score           numeric,
    comment         text NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
    report_version  int NOT NULL,
    reviewer_id     text NOT NULL,
    reviewer_name   text NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'reviewed') = (score IS NOT NULL))
);

CREATE TABLE review_history (
    report_id   uuid NOT NULL,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    action      text NOT NULL,
    detail      text NOT NULL DEFAULT '',
    actor_name  text NOT NULL,
    -- The report version the step was for ("changed after review" compares with it).
    report_version  int NOT NULL
);
CREATE INDEX review_history_report ON review_history (report_id, at);
