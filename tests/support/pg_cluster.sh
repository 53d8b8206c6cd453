#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: its own cluster in a folder, listening only
# on a Unix socket inside that folder, run by an unprivileged user (the Debian package's
# "postgres" when started as root). Database "gridgov"; role "gridgov_pw" with password
# "right-password" for the tests of password errors; every other local login is trusted.
#
#   pg_cluster.sh start DIR     creates (first time) and starts the server, and makes
#                               database gridgov anew
#   pg_cluster.sh resume DIR    starts a stopped server again, its databases as they were
#   pg_cluster.sh stop DIR      stops it (fast shutdown)
#   pg_cluster.sh url DIR       prints the connection URI of database gridgov
#
# The tests' server does not wait for the disk (fsync off): it is thrown away. For
# benchmarks, GRIDGOV_PG_DURABLE=1 at the first start keeps PostgreSQL's durable defaults
# (fsync, synchronous_commit, full_page_writes on).
set -euo pipefail
action=${1:?start, stop or url}
dir=$(mkdir -p "${2:?the cluster folder}" && cd "$2" && pwd)
bindir=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$bindir/initdb" ]; then
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
fi
if [ ! -x "$bindir/initdb" ]; then
    echo "pg_cluster.sh: PostgreSQL's server programs are missing (Debian: postgresql-15;" \
         ".ci/install-deps.sh installs them)" >&2
    exit 1
fi
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    as_owner=(runuser -u postgres --)
    chown postgres "$dir"
fi
cd "$dir"  # the caller's folder may be closed to the server's user
data=$dir/data
sock=$dir
url="postgresql:///gridgov?host=$sock"

case $action in
    url) echo "$url" ;;
    start)
        if [ ! -f "$data/PG_VERSION" ]; then
            "${as_owner[@]}" "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 \
                --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
                { cat "$dir/initdb.log" >&2; exit 1; }
            cat >>"$data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$sock'
max_connections = 200
EOF
            if [ "${GRIDGOV_PG_DURABLE:-0}" != 1 ]; then
                printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' \
                    >>"$data/postgresql.conf"
            fi
            # Password logins for one role, so that a wrong password can be tested.
            printf 'local all gridgov_pw scram-sha-256\nlocal all all trust\n' >"$data/pg_hba.conf"
        fi
        # A server left running by an interrupted run is used as it is.
        if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
            "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start \
                >/dev/null
        fi
        "$bindir/psql" -q -X -h "$sock" -U postgres -d postgres -v ON_ERROR_STOP=1 <<'EOF' >/dev/null
SET client_min_messages = warning;
DROP DATABASE IF EXISTS gridgov WITH (FORCE);
CREATE DATABASE gridgov;
SELECT 'CREATE ROLE gridgov_pw LOGIN SUPERUSER PASSWORD ''right-password''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gridgov_pw')\gexec
EOF
        echo "$url"
        ;;
    resume)
        "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start >/dev/null
        ;;
    stop)
        if [ -f "$data/postmaster.pid" ]; then
            "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
        fi
        ;;
    *) echo "pg_cluster.sh: unknown action $action" >&2; exit 2 ;;
esac
