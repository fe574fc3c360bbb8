-- Figures roll up school → area → nation: units are counted per area office and kind. Units
-- counted before areas existed sit under area 0 (the nation) until their next event, which
-- identity sends for each of them when it places them in the tree.
ALTER TABLE unit_totals_members ADD COLUMN area_code int NOT NULL DEFAULT 0;
ALTER TABLE unit_totals ADD COLUMN area_code int NOT NULL DEFAULT 0;
ALTER TABLE unit_totals DROP CONSTRAINT unit_totals_pkey;
ALTER TABLE unit_totals ADD PRIMARY KEY (area_code, kind);
