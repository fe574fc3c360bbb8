-- A projection added to a service that has consumed before has missed the history its
-- consumer group already read: it is marked until a rebuild has replayed that history into it
-- (`<service> rebuild <name>`; `deploy/kpi start` runs it on the local stack; `kpi status` shows it).
ALTER TABLE projections ADD COLUMN needs_replay boolean NOT NULL DEFAULT false;
