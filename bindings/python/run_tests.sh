#!/usr/bin/env bash
# Builds the Python binding's wheel once, installs it into a fresh virtual environment and runs
# its tests (the conformance suite and the Python-side tests) with pytest. What CI runs; works
# from a fresh clone with only Rust, python3 (3.9 or later) and pip. maturin and pytest come from
# PyPI.
#
# Usage: bash bindings/python/run_tests.sh [PYTEST ARGS...]
# Environment: DUIBIAO_PY_VENV (where the venv goes; default target/python-venv),
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
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1.7,<2" pytest
echo "run_tests.sh: venv ready in $(( $(date +%s) - start ))s"

"$venv/bin/maturin" build --release --quiet -m "$here/Cargo.toml" -i "$venv/bin/python" -o "$wheels"
echo "run_tests.sh: wheel built in $(( $(date +%s) - start ))s: $(ls "$wheels")"

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheels"/duibiao-*.whl
# Run from the tests' folder so that `import duibiao` finds the installed wheel, never the
# sources in bindings/python/python.
cd "$here/tests"
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
echo "run_tests.sh: done in $(( $(date +%s) - start ))s"
