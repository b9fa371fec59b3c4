#!/bin/sh
# Install (when missing) and start PostgreSQL 15 from Debian on loopback, with a role that may
# create the test database. Idempotent. Prints DATABASE_URL=... on its last line. Needs root.
set -eu
PG_VER=15 PG_CLUSTER=main
DB_NAME=${DB_NAME:-academy} DB_USER=${DB_USER:-academy} DB_PASSWORD=${DB_PASSWORD:-academy}
export DEBIAN_FRONTEND=noninteractive
# initdb takes its locale from the environment; with LANG unset the cluster would be SQL_ASCII.
export LANG=C.UTF-8
if ! dpkg-query -W -f='${Status}' postgresql-$PG_VER 2>/dev/null | grep -q 'ok installed'; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends postgresql-$PG_VER postgresql-client-$PG_VER
fi
pg_lsclusters -h | grep -q "^$PG_VER $PG_CLUSTER " || pg_createcluster --locale=C.UTF-8 $PG_VER $PG_CLUSTER >/dev/null
# pg_ctlcluster status: 0 = running, 3 = stopped; start on a running cluster would exit 2.
pg_ctlcluster $PG_VER $PG_CLUSTER status >/dev/null 2>&1 || pg_ctlcluster $PG_VER $PG_CLUSTER start
cd /tmp
runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -v u="$DB_USER" -v p="$DB_PASSWORD" -v d="$DB_NAME" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'u', :'p')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'u')\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'d', :'u')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'d')\gexec
SQL
echo "DATABASE_URL=postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:5432/$DB_NAME"
