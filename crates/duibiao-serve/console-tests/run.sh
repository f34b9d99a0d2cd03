#!/usr/bin/env bash
# The review console's tests (docs/console.md): its logic under node:test, then its journey in
# headless Chromium, with the debug binary
# the workspace's tests built (target/debug/duibiao; built here when it is missing). Installs
# only what is missing: playwright-core (npm ci, from package-lock.json), Debian's chromium and
# a Chinese font. The screenshots go to a scratch folder, or, with --update-screenshots, to
# docs/console/ (the ones committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

update=0
for a in "$@"; do
    case "$a" in
        --update-screenshots) update=1 ;;
        *) echo "usage: run.sh [--update-screenshots]" >&2; exit 2 ;;
    esac
done

missing=()
command -v chromium >/dev/null || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-wqy-microhei)
command -v node >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
    (cd "$here" && npm ci --no-audit --no-fund)
fi
binary="$repo/target/debug/duibiao"
if [ ! -x "$binary" ]; then
    (cd "$repo" && cargo build --locked -p duibiao-cli)
fi

if [ "$update" = 1 ]; then
    shots="$repo/docs/console"
else
    shots="$(mktemp -d)"
    trap 'rm -rf "$shots"' EXIT
fi
# The logic outside the browser, then the journey in it.
node --test "$here/logic.test.mjs"
node "$here/journey.mjs" "$binary" "$repo" "$shots"
