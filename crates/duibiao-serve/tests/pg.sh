#!/usr/bin/env bash
# The service's storage tests on a real PostgreSQL server: Debian's postgresql (installed when
# missing), a throwaway cluster in a temporary folder on a free loopback port (run as the
# `postgres` user when this runs as root, as initdb refuses root), and the tests that use
# DUIBIAO_TEST_POSTGRES run with DUIBIAO_REQUIRE_POSTGRES=1, so that they cannot skip. The cluster
# is stopped and removed afterwards. Called by .ci/run; reuses the debug build of the tests.
set -euo pipefail
cd "$(dirname "$0")/../../.."

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

dir="$(mktemp -d)"
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
stop() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT

as_owner "$bin/initdb" -D "$dir/data" -U duibiao --auth=trust -E UTF8 --no-locale >/dev/null
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir" start >/dev/null
echo "pg.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

DUIBIAO_TEST_POSTGRES="postgres://duibiao@127.0.0.1:$port/postgres" DUIBIAO_REQUIRE_POSTGRES=1 \
    cargo test --locked -p duibiao-serve --test store --test rounds
