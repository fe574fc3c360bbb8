-- Units form a tree: the nation (code 0, kind 'nation', no area), area offices (kind
-- 'district', their own code as area) and each area's schools and other units. Units stored
-- before this get their area at identity's next start (UnitStore.placeInTree), with events.
ALTER TABLE units DROP CONSTRAINT units_code_check;
ALTER TABLE units ADD CONSTRAINT units_code_check CHECK (code >= 0);
ALTER TABLE units DROP CONSTRAINT units_kind_check;
ALTER TABLE units ADD CONSTRAINT units_kind_check CHECK (kind IN ('school', 'district', 'other', 'nation'));
ALTER TABLE units ADD COLUMN area_code int REFERENCES units (code);
ALTER TABLE units ADD CONSTRAINT units_tree CHECK (
    (kind = 'nation' AND area_code IS NULL AND code = 0)
    OR (kind = 'district' AND (area_code = code OR area_code IS NULL))
    OR (kind IN ('school', 'other') AND area_code IS DISTINCT FROM code));
CREATE INDEX units_area ON units (area_code, kind, code);
