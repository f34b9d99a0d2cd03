#!/usr/bin/env bash
# Builds the Python binding's wheel once, installs it into a fresh virtual environment and runs
# its tests (the conformance suite and the Python-side tests) with pytest, after `mypy --strict`
# of the package. What CI runs; works from a fresh clone with only Rust, python3 (3.9 or later)
# and pip. maturin, pytest and mypy come from PyPI.
#
# The wheel is built with cargo's dev profile by default, into the workspace's target/, so that
# after `cargo test --workspace` (as in CI) only the binding's own crate and PyO3 are compiled;
# DUIBIAO_PY_PROFILE=release builds it as a user's wheel is built (for bench.py). Time on this
# 2-core machine (busy with other builds): a release build from a fresh clone about 4.5 minutes;
# with target/ already holding the build, 25 seconds (the venv 15-20 s, the tests 6-9 s).
#
# Usage: bash bindings/python/run_tests.sh [PYTEST ARGS...]
# Environment: DUIBIAO_PY_VENV (where the venv goes; default target/python-venv),
#              DUIBIAO_PY_PROFILE (cargo profile of the wheel: dev, the default, or release),
#              PYTHON (default python3), CARGO_BUILD_JOBS as cargo takes it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
venv="${DUIBIAO_PY_VENV:-$root/target/python-venv}"
wheels="$root/target/python-wheels"

start=$(date +%s)
rm -rf "$venv" "$wheels"
if ! "$python" -m venv "$venv"; then
    # Debian's python3 makes virtual environments only with python3-venv installed.
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
        rm -rf "$venv"
        "$python" -m venv "$venv"
    else
        echo "run_tests.sh: '$python -m venv' failed: install python3-venv" >&2
        exit 1
    fi
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.7,<2" pytest mypy
echo "run_tests.sh: venv ready in $(( $(date +%s) - start ))s"

"$venv/bin/maturin" build --profile "${DUIBIAO_PY_PROFILE:-dev}" --locked --quiet -m "$here/Cargo.toml" -i "$venv/bin/python" -o "$wheels"
echo "run_tests.sh: wheel built in $(( $(date +%s) - start ))s: $(ls "$wheels")"

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheels"/duibiao-*.whl
# The package and its stubs type-check strictly (what a user's mypy sees through py.typed).
(cd "$here/python" && "$venv/bin/python" -m mypy --strict --no-incremental duibiao)
# Run from the tests' folder so that `import duibiao` finds the installed wheel, never the
# sources in bindings/python/python.
cd "$here/tests"
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
echo "run_tests.sh: done in $(( $(date +%s) - start ))s"
