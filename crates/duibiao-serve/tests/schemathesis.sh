#!/usr/bin/env bash
# schemathesis (PyPI) against a live `duibiao serve`: the binary of the debug build the tests made
# (built here if missing), on the repository's standards with a fresh SQLite store, on a free
# loopback port; every check (`--checks all`), in all of schemathesis's phases, with the one
# setting of tests/schemathesis.toml (read it for why). Then the service is stopped with SIGTERM
# and must exit cleanly (graceful shutdown). Called by .ci/run. One worker: with two, Python 3.11's
# `ast.parse` (which Hypothesis calls to describe its strategies) fails now and then with
# "AST constructor recursion depth mismatch" (CPython gh-106905, a thread-safety bug of 3.11),
# an error of the tool, not of the service.
#
# Environment: DUIBIAO_ST_VENV (where schemathesis's virtual environment goes; default
# target/schemathesis-venv, made once and reused), DUIBIAO_ST_EXAMPLES (examples per operation,
# default 50).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$root"
venv="${DUIBIAO_ST_VENV:-$root/target/schemathesis-venv}"

if [ ! -x "$venv/bin/schemathesis" ]; then
    rm -rf "$venv"
    if ! python3 -m venv "$venv"; then
        # Debian's python3 makes virtual environments only with python3-venv installed.
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
        rm -rf "$venv"
        python3 -m venv "$venv"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi
[ -x target/debug/duibiao ] || cargo build --locked -p duibiao-cli

scratch="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
target/debug/duibiao serve --standards standards --addr "127.0.0.1:$port" \
    --db "$scratch/rounds.sqlite3" 2>"$scratch/serve.log" &
pid=$!
stop() {
    kill -TERM "$pid" 2>/dev/null || true
    rm -rf "$scratch"
}
trap stop EXIT

# From the scratch folder, where schemathesis leaves its cache (.schemathesis/).
(cd "$scratch" && "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run \
    "http://127.0.0.1:$port/openapi.json" --wait-for-schema 30 \
    --checks all --max-examples "${DUIBIAO_ST_EXAMPLES:-50}" --seed 1 --workers 1 \
    --no-color)

kill -TERM "$pid"
if ! wait "$pid"; then
    echo "schemathesis.sh: duibiao serve did not exit cleanly on SIGTERM" >&2
    cat "$scratch/serve.log" >&2
    exit 1
fi
grep -q "stopped" "$scratch/serve.log"
echo "schemathesis.sh: passed; duibiao serve stopped cleanly on SIGTERM"
