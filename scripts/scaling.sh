#!/usr/bin/env bash
# Scaling of gap, explain, diff, check and eval (issue 13: no path worse than linear).
#
#   scripts/scaling.sh            10^3, 10^4 and 10^5 units (or diagnostics)
#   scripts/scaling.sh --large    and 10^6 units (not diagnostics: a source may have 4 MiB); a few
#                                 minutes more, and about 1 GB of files in $TMPDIR
#
# 1. The in-process timings of tests/tests/scaling.rs (ignored by `cargo test`): each operation
#    at every size, best of a few runs; they fail when the cost per unit at the largest size is
#    more than 3 times the cost at the smallest.
# 2. The release command line on generated files, one run each under /usr/bin/time: wall and
#    CPU time and peak memory (maximum resident set size), as a Markdown table; the run fails
#    when the CPU time or the peak memory per unit at the largest size is more than 3 times
#    that at 10^4 units (at 10^3, starting the process and compiling the standard dominate), or
#    when explaining one street of the largest forest takes more memory than evaluating it.
#
# The results go to standard output; docs/performance.md (Scaling) records a run.
set -euo pipefail

cd "$(dirname "$0")/.."
large=0
for arg in "$@"; do
  case "$arg" in
    --large) large=1 ;;
    *) echo "usage: scripts/scaling.sh [--large]" >&2; exit 2 ;;
  esac
done
sizes=(1000 10000 100000)
if [ "$large" = 1 ]; then sizes+=(1000000); fi
if [ ! -x /usr/bin/time ]; then
  echo "scripts/scaling.sh needs GNU time (/usr/bin/time) for peak memory" >&2
  exit 2
fi

echo "## In process (tests/tests/scaling.rs)"
echo
SCALING_LARGE=$large cargo test --release -q -p duibiao-tests --test scaling -- \
  --ignored --nocapture --test-threads 1

cargo build --release -q -p duibiao-cli
bin=target/release/duibiao
std=standards/haiyan-2021.std
dir=$(mktemp -d "${TMPDIR:-/tmp}/duibiao-scaling.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# A standard with one kind and N facts, all but the first unused: N - 1 warnings.
unused_facts() {
  local n=$1
  {
    printf 'standard t {\n  title "t"\n}\nkind 小区\nfacts 小区 {\n'
    seq 0 $((n - 1)) | sed 's/.*/  事实&: bool/'
    printf '}\ntiers 小区 {\n  甲 { 条件: 事实0 }\n}\n'
  } > "$2"
}

# Runs a command under /usr/bin/time; writes "wall cpu peak_kb" to $dir/measured.
measure() {
  local out="$dir/time"
  /usr/bin/time -f '%e %U %S %M' -o "$out" "$@" > /dev/null 2> "$dir/stderr" || {
    echo "failed: $*" >&2
    cat "$dir/stderr" >&2
    exit 1
  }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$out" > "$dir/measured"
}

echo
echo "## Command line (release build, one run each)"
echo
echo "| operation | units | wall s | CPU s | µs CPU / unit | peak MB | KB / unit |"
echo "|---|---:|---:|---:|---:|---:|---:|"
results="$dir/results"
: > "$results"
for n in "${sizes[@]}"; do
  "$bin" gen "$std" --units "$n" --seed 7 --out "$dir/forest.json"
  "$bin" gen "$std" --units "$n" --seed 8 --out "$dir/other.json"
  "$bin" gen "$std" --units "$n" --seed 6 --shape "社区=$((n / 7))-$((n / 7))" --out "$dir/street.json"
  if [ "$n" -le 100000 ]; then unused_facts "$n" "$dir/unused.std"; fi
  run() {
    local op=$1
    shift
    measure "$@"
    read -r wall cpu kb < "$dir/measured"
    echo "$op $n $wall $cpu $kb" >> "$results"
    awk -v op="$op" -v n="$n" -v wall="$wall" -v cpu="$cpu" -v kb="$kb" 'BEGIN {
      printf "| %s | %d | %.2f | %.2f | %.1f | %.0f | %.2f |\n", op, n, wall, cpu, cpu * 1e6 / n, kb / 1024, kb / n
    }'
  }
  run eval "$bin" eval "$std" "$dir/forest.json" --format json
  run gap "$bin" gap "$std" "$dir/street.json" 街道-1 --to 示范型
  run explain "$bin" explain "$std" "$dir/street.json" 街道-1
  run explain1 "$bin" explain "$std" "$dir/forest.json" 街道-1
  run diff "$bin" diff "$std" "$dir/forest.json" "$dir/other.json"
  # A source may have 4 MiB: about 2×10^5 such facts.
  if [ "$n" -le 100000 ]; then
    run check "$bin" check "$dir/unused.std" --format json
  fi
done
echo
echo "eval: every unit of the default shape (streets of about 90 units), as JSON lines."
echo "gap, explain: street 1 of a forest that is one street (seed 6, 社区 = units / 7)."
echo "explain1: street 1 (about 90 units) of the default forest: loading the file dominates."
echo "diff: the default forest (seed 7) against another (seed 8) of the same size."
echo "check: a standard with as many facts as units, all but one unused, as JSON (every warning);"
echo "up to 10^5 (a source may have 4 MiB)."

# Per unit at each operation's largest size against 10^4 units: CPU time, and peak memory
# (explain1, whose unit stays the same size, is compared as a whole: it must cost no more than
# eval, within 10 %: both are mostly loading the file).
awk '
  {
    cpu[$1, $2] = $4; kb[$1, $2] = $5
    if ($2 > most[$1]) most[$1] = $2
  }
  END {
    bad = 0
    for (op in most) {
      n = most[op]
      if (op == "explain1" || n <= 10000) continue
      small = cpu[op, 10000] < 0.01 ? 0.01 : cpu[op, 10000]
      c = (cpu[op, n] / n) / (small / 10000)
      m = (kb[op, n] / n) / (kb[op, 10000] / 10000)
      printf "%s: per unit at %d against 10^4: CPU %.2fx, peak memory %.2fx\n", op, n, c, m
      if (c > 3 || m > 3) { bad = 1; print "  more than 3x: worse than linear" }
    }
    n = most["eval"]
    printf "explain1: peak memory at %d against eval'"'"'s: %.2fx\n", n, kb["explain1", n] / kb["eval", n]
    if (kb["explain1", n] > 1.1 * kb["eval", n]) {
      bad = 1; print "  explain of one street takes more memory than eval of every unit"
    }
    exit bad
  }' "$results"
