#!/usr/bin/env bash
# The Java binding's benchmark: a prepared evaluation of the haiyan demo and of generated
# haiyan-2021 facts at 10^3 and 10^5 units, timed in Rust (Runtime::evaluate_text, the engine
# with its JSON in and out: examples/bench_rust.rs) and from Java (cn.duibiao.Bench: the native
# call alone, reading the response in Java, and Standard.evaluate in all), on a release build.
# Prints a table: per call, the best of several batches, and the marshalling share
# (Java's total less Rust's, over Java's total). Not part of CI; takes about two minutes.
# JAVA_OPTS (default -Xmx4g) is passed to the Java side, e.g. JAVA_OPTS="-Xmx4g -XX:+UseParallelGC".
#
# Java 绑定的基准：海盐示例与 10^3、10^5 个生成单位，Rust 与 Java 各计时一次，给出编组开销的占比。
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data="$here/build/bench"
mkdir -p "$data"
cd "$root"
cargo build --release -p duibiao-java --example bench_rust
TARGET=target/release bash "$here/build.sh" >/dev/null
tests="$here/build/bench-classes"
rm -rf "$tests" && mkdir -p "$tests"
javac --release 8 -encoding UTF-8 -nowarn -d "$tests" -cp "$here/build/duibiao.jar" "$here/src/test/java/cn/duibiao/Bench.java"
# Three rounds, Rust and Java alternating; each figure is the best of its rounds (the machine's
# other load only ever adds time).
cargo build -q --release -p duibiao-java --example bench_rust
rust="" java=""
for round in 1 2 3; do
    rust+=$("$root/target/release/examples/bench_rust" "$data")$'\n'
    java+=$(java ${JAVA_OPTS:--Xmx4g} -cp "$here/build/duibiao.jar:$tests" cn.duibiao.Bench "$root" "$data")$'\n'
done
best() { awk '{k = $2 " " $3; for (i = 4; i <= NF; i++) if (!(k SUBSEP i in m) || $i < m[k, i]) m[k, i] = $i; if (!(k in seen)) {seen[k] = 1; order[++n] = k; first[k] = $1; nf[k] = NF}}
    END {for (j = 1; j <= n; j++) {k = order[j]; line = first[k] " " k; for (i = 4; i <= nf[k]; i++) line = line " " m[k, i]; print line}}'; }
rust=$(echo -n "$rust" | best)
java=$(echo -n "$java" | best)
echo "$rust"
echo "$java"
echo
echo "| case | units | Rust evaluate_text | Java: native call | Java: read every unit | Java: Standard.evaluate | ratio to Rust (share of marshalling) | evaluate + units() | ratio (share) |"
echo "|---|---|---|---|---|---|---|---|---|"
paste <(echo "$rust") <(echo "$java") | awk '{
    r = $5; n = $9; rd = $10; t = $11; a = $12;
    printf "| %s | %s | %.1f µs | %.1f µs | %.1f µs | %.1f µs | %.2f× (%.0f %%) | %.1f µs | %.2f× (%.0f %%) |\n", $2, $3, r, n, rd, t, t / r, 100 * (t - r) / t, a, a / r, 100 * (a - r) / a
}'
