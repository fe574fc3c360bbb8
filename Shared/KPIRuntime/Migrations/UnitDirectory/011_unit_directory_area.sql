-- Every unit's area office (NULL for the nation, and for units known only from events written
-- before areas; the next event of such a unit brings it).
ALTER TABLE unit_directory ADD COLUMN area_code int;
CREATE INDEX unit_directory_area ON unit_directory (area_code, kind, code);
