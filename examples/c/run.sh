#!/usr/bin/env bash
# Builds examples/c/evaluate.c against duibiao's static C library (built by cargo beforehand, in
# TARGET, default target/debug) and runs it on the haiyan demo under valgrind: no error, no leak.
# Then runs the conformance suite through the C ABI (examples/c/conformance.c).
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${TARGET:-target/debug}"
out="$target/examples-c"
mkdir -p "$out"
libs="-lpthread -ldl -lm"
gcc -std=c11 -Wall -Wextra -Werror -O1 -g -Icrates/duibiao-c/include \
    examples/c/evaluate.c "$target/libduibiao_c.a" $libs -o "$out/evaluate"
gcc -std=c11 -Wall -Wextra -Werror -O1 -g -Icrates/duibiao-c/include \
    examples/c/conformance.c "$target/libduibiao_c.a" $libs -o "$out/conformance"
# The example on docs/embedding.md, as it stands on the page.
awk '/^```c$/{on=1; next} /^```$/{on=0} on' docs/embedding.md > "$out/doc_example_body.c"
gcc -std=c11 -Wall -Wextra -Werror -O1 -g -Icrates/duibiao-c/include -I"$out" \
    examples/c/doc_example.c "$target/libduibiao_c.a" $libs -o "$out/doc_example"
vg="valgrind --quiet --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
$vg "$out/evaluate" standards/haiyan-2021.std standards/haiyan-2021/demo.json > "$out/evaluate.out"
grep -q '"id":"SQ1"' "$out/evaluate.out"
$vg "$out/doc_example" standards/haiyan-2021.std standards/haiyan-2021/demo.json > "$out/doc_example.out"
grep -q '"call":"evaluate"' "$out/doc_example.out"
for f in conformance/*.json; do
    $vg "$out/conformance" "$f" > "$out/$(basename "$f" .json).responses"
done
python3 conformance/check.py conformance "$out"
