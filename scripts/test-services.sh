#!/usr/bin/env bash
# Starts the servers the tests of the scale-out backends use, on 127.0.0.1,
# and prints the environment that points the tests at them:
#
#   eval "$(scripts/test-services.sh)"
#
# PostgreSQL and Redis come from Debian's packages (.ci/run installs them:
# apt-get install postgresql redis-server). Variables already set are kept;
# a server that is not installed is reported on stderr and its tests skip,
# naming the variable. Idempotent: servers already running are reused.
set -uo pipefail
cd "$(dirname "$0")/.."
say() { echo "test-services: $*" >&2; }

# --- PostgreSQL ----------------------------------------------------------
if [ -z "${JOBTRENDS_TEST_POSTGRES:-}" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bindir" ]; then
    say "PostgreSQL is not installed (apt-get install postgresql): its tests will skip"
  elif [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null; then
    # root: Debian's own cluster, run by the postgres user.
    ver=$(basename "$(dirname "$bindir")")
    pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main"' | grep -q . ||
      pg_createcluster "$ver" main >/dev/null
    pg_ctlcluster "$ver" main start >/dev/null 2>&1 || true
    port=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" {print $3}')
    psqlp() { su postgres -c "psql -p $port -qtAX -c \"$1\"" ; }
    psqlp "SELECT 1 FROM pg_roles WHERE rolname = 'jobtrends'" | grep -q 1 ||
      psqlp "CREATE ROLE jobtrends LOGIN PASSWORD 'jobtrends'" >/dev/null
    psqlp "SELECT 1 FROM pg_database WHERE datname = 'jobtrends_test'" | grep -q 1 ||
      su postgres -c "createdb -p $port -O jobtrends jobtrends_test"
    echo "export JOBTRENDS_TEST_POSTGRES='postgres://jobtrends:jobtrends@127.0.0.1:$port/jobtrends_test?sslmode=disable'"
  else
    # not root: a private cluster of this user's, in .testservices/pg.
    data=$PWD/.testservices/pg port=55432
    if [ ! -f "$data/PG_VERSION" ]; then
      mkdir -p "$data"
      "$bindir/initdb" -D "$data" -U jobtrends --auth=trust >/dev/null
    fi
    "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1 ||
      "$bindir/pg_ctl" -D "$data" -l "$data/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data" start >/dev/null
    "$bindir/psql" -h 127.0.0.1 -p $port -U jobtrends -d postgres -qtAX \
      -c "SELECT 1 FROM pg_database WHERE datname = 'jobtrends_test'" | grep -q 1 ||
      "$bindir/createdb" -h 127.0.0.1 -p $port -U jobtrends jobtrends_test
    echo "export JOBTRENDS_TEST_POSTGRES='postgres://jobtrends@127.0.0.1:$port/jobtrends_test?sslmode=disable'"
  fi
fi

# --- Redis ---------------------------------------------------------------
if [ -z "${JOBTRENDS_TEST_REDIS:-}" ]; then
  if ! command -v redis-server >/dev/null; then
    say "Redis is not installed (apt-get install redis-server): its tests will skip"
  else
    port=6379
    redis-cli -h 127.0.0.1 -p $port ping >/dev/null 2>&1 ||
      redis-server --bind 127.0.0.1 --port $port --save '' --appendonly no --daemonize yes >/dev/null
    for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p $port ping >/dev/null 2>&1 && break; sleep 0.1; done
    echo "export JOBTRENDS_TEST_REDIS='redis://127.0.0.1:$port/0'"
  fi
fi
