#!/usr/bin/env bash
# Builds and tests the VS Code extension from a fresh clone, then packages it as duibiao.vsix.
# Needs Node 18+ and the npm registry (nothing else from the network). Exits non-zero on any failure.
#
#   editors/vscode/test.sh                      # install, compile, test, package
#   editors/vscode/test.sh --update-snapshots   # after a deliberate change to the grammar or to a
#                                               # bundled standard: rewrite test/snap/*.snap
set -euo pipefail
cd "$(dirname "$0")"

update=false
case "${1:-}" in
  --update-snapshots) update=true ;;
  "") ;;
  *) echo "usage: $0 [--update-snapshots]" >&2; exit 2 ;;
esac

step() { printf '\n== %s\n' "$*"; }

step "npm ci"
npm ci --no-audit --no-fund

step "grammar is what grammar/standard.pest gives"
node scripts/build-grammar.mjs --check

step "type check and bundle the client"
npm run compile

step "unit tests, keyword tests, client against a stand-in server, snippets"
node --test test/unit.test.mjs test/keywords.test.mjs test/client.test.mjs test/snippets.test.mjs

step "grammar tests (vscode-tmgrammar-test)"
npx vscode-tmgrammar-test -g syntaxes/duibiao.tmLanguage.json 'test/cases/*.std'

step "snapshot tests over the bundled standards (vscode-tmgrammar-snap)"
# The standards are copied next to their committed snapshots (the copies are gitignored).
mkdir -p test/snap
rm -f test/snap/*.std
cp ../../standards/*.std test/snap/
for snap in test/snap/*.std.snap; do
  [ -e "$snap" ] || continue
  if [ ! -e "${snap%.snap}" ]; then
    if $update; then rm "$snap"; else echo "stale snapshot $snap: its standard is gone (run $0 --update-snapshots)" >&2; exit 1; fi
  fi
done
if $update; then
  npx vscode-tmgrammar-snap -g syntaxes/duibiao.tmLanguage.json --updateSnapshot 'test/snap/*.std'
else
  for std in test/snap/*.std; do
    if [ ! -e "$std.snap" ]; then echo "no snapshot for $std (run $0 --update-snapshots)" >&2; exit 1; fi
  done
  npx vscode-tmgrammar-snap -g syntaxes/duibiao.tmLanguage.json 'test/snap/*.std' || {
    echo "the highlighting of a bundled standard changed; if that is intended, run $0 --update-snapshots and commit test/snap/*.snap" >&2
    exit 1
  }
fi

step "package duibiao.vsix (@vscode/vsce)"
rm -f duibiao.vsix
npx vsce package --no-dependencies --out duibiao.vsix
# The package holds the bundled client and the grammar, and none of the sources or tests.
listing=$(npx vsce ls --no-dependencies)
for f in out/extension.js syntaxes/duibiao.tmLanguage.json language-configuration.json snippets/duibiao.code-snippets package.json README.md LICENSE; do
  grep -qx "$f" <<<"$listing" || { echo "duibiao.vsix lacks $f" >&2; exit 1; }
done
if grep -E '^(src|test|scripts|node_modules)/' <<<"$listing"; then echo "duibiao.vsix holds files it should not" >&2; exit 1; fi

step "the packaged (minified) client against the stand-in server"
node --test test/client.test.mjs

echo
echo "ok: $(pwd)/duibiao.vsix"
