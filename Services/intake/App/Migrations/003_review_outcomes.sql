-- What review decided about each report (the review_outcomes projection, from review's
-- events): the last review or return and the report version it was for. It counts only while
-- the report is confirmed at that version: reviewed makes it "reviewed", returned makes it a
-- draft again (B2). A review for an older version (the school cancelled first) counts for nothing.
CREATE TABLE review_outcomes (
    report_id       uuid PRIMARY KEY,
    state           text NOT NULL CHECK (state IN ('reviewed', 'returned')),
    report_version  int NOT NULL,
    score           numeric,
    comment         text NOT NULL DEFAULT ''
);
