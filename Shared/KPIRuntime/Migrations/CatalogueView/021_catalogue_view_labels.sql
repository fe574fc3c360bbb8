-- What statistics needs of an indicator besides what intake and review need: its weight, type
-- name, classification (D1–D4) and criteria levels ("[2] --> [3] --> [4] --> [5]" is {2,3,4,5}).
-- Empty in rows written from events older than the labels (a rebuild fills them).
ALTER TABLE view_indicators ADD COLUMN IF NOT EXISTS weight numeric NOT NULL DEFAULT 0;
ALTER TABLE view_indicators ADD COLUMN IF NOT EXISTS type_name_th text NOT NULL DEFAULT '';
ALTER TABLE view_indicators ADD COLUMN IF NOT EXISTS d1 text NOT NULL DEFAULT '';
ALTER TABLE view_indicators ADD COLUMN IF NOT EXISTS d2 text NOT NULL DEFAULT '';
ALTER TABLE view_indicators ADD COLUMN IF NOT EXISTS d3 text NOT NULL DEFAULT '';
ALTER TABLE view_indicators ADD COLUMN IF NOT EXISTS d4 text NOT NULL DEFAULT '';
ALTER TABLE view_indicators ADD COLUMN IF NOT EXISTS criteria text NOT NULL DEFAULT '';
ALTER TABLE view_indicators ADD COLUMN IF NOT EXISTS levels numeric[] NOT NULL DEFAULT '{}';
