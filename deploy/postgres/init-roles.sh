#!/usr/bin/env bash
# Creates the kpi database and one login role per domain service, each allowed to create
# only its own schema. Idempotent. Used by deploy/kpi and by the PostgreSQL container
# (docker-entrypoint-initdb.d). Passwords come from KPI_<SERVICE>_DB_PASSWORD.
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER) of a superuser.
set -euo pipefail
db=${KPI_DB_NAME:-kpi}
psql -v ON_ERROR_STOP=1 -q -d postgres -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')
\gexec
SQL
for svc in identity catalogue intake review statistics; do
  var="KPI_$(echo "$svc" | tr a-z A-Z)_DB_PASSWORD"
  pw="${!var:?$var must be set}"
  psql -v ON_ERROR_STOP=1 -q -d "$db" -v role="$svc" -v pw="$pw" -v db="$db" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')
\gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'pw';
-- The role may create its own schema (the service migrates it at start) and nothing else.
GRANT CONNECT, CREATE ON DATABASE :"db" TO :"role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SQL
done
psql -v ON_ERROR_STOP=1 -q -d "$db" -c "REVOKE ALL ON DATABASE \"$db\" FROM PUBLIC"
