-- The inbox is kept per projection, so one projection can be rebuilt by replaying events
-- without the others taking them for duplicates. Events recorded before this change count for
-- every projection of the service: the runtime copies them at start (projection '').
ALTER TABLE inbox ADD COLUMN projection text NOT NULL DEFAULT '';
ALTER TABLE inbox ALTER COLUMN projection DROP DEFAULT;
ALTER TABLE inbox DROP CONSTRAINT inbox_pkey;
ALTER TABLE inbox ADD PRIMARY KEY (projection, event_id);

-- The projections this service keeps. While one is rebuilt, the live consumer leaves it alone
-- (the rebuild replays the history and then catches up).
CREATE TABLE projections (
    name             text PRIMARY KEY,
    rebuilding_since timestamptz
);
