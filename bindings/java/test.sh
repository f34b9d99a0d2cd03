#!/usr/bin/env bash
# Tests the Java binding; CI runs it from any directory: `bash bindings/java/test.sh`.
#
#  1. installs Debian's junit5 (the JUnit 5 console launcher) when it is missing (and a JDK and
#     python3, which this kind of machine has);
#  2. builds the jar with build.sh (the native library from $TARGET, default target/debug);
#  3. compiles the tests (javac --release 8) and runs them with the console launcher, with
#     java.library.path left unset, so that the library is the jar's own copy (the path a user
#     who only adds the jar takes): JSON reader/writer, the whole conformance suite through the
#     raw protocol call (checked by conformance/check.py), the haiyan demo, errors, options,
#     16 threads sharing one Standard, closing, live sessions, forgotten handles;
#  4. runs SmallStackCheck in a JVM of its own with -Xss256k and the library on
#     java.library.path (the other way of finding it), and once more with the library named by
#     the system property duibiao.library.path;
#  5. runs the five-line examples of docs/java.md and docs/embedding.md: the first ```java block of each is extracted,
#     wrapped in `public class DocExample { public static void main(String[] args) { ... } }`
#     after `import cn.duibiao.*;`, compiled with --release 8 and run from the repository's root;
#     it must print SQ2's tier (标准型) with its explanation.
#
# 测试 Java 绑定：JUnit 5 测试（含一致性测试）、-Xss256k 下的检查、docs/java.md 中的示例。
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${TARGET:-target/debug}
case "$target" in /*) ;; *) target="$root/$target" ;; esac
launcher=/usr/share/java/junit-platform-console-standalone.jar

# What it needs from Debian: JUnit 5, and (present on this kind of machine) a JDK and python3.
missing=()
[ -f "$launcher" ] || missing+=(junit5)
command -v javac >/dev/null || missing+=(default-jdk-headless)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]} (Debian)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

start=$(date +%s)
TARGET="$target" bash "$here/build.sh"
jar="$here/build/duibiao.jar"
tests="$here/build/test-classes"
rm -rf "$tests" "$here/build/conformance"
mkdir -p "$tests"
javac --release 8 -encoding UTF-8 -nowarn -d "$tests" -cp "$jar:$launcher" "$here"/src/test/java/cn/duibiao/*.java

# 3. JUnit, the library unpacked from the jar (java.library.path unset).
cd "$here"
java -Dduibiao.root="$root" -Dduibiao.classpath="$jar:$tests" -Dduibiao.conformance.out="$here/build/conformance" -Dduibiao.expect.loaded=jar: \
    -jar "$launcher" --disable-banner --details=summary --fail-if-no-tests \
    --class-path "$jar:$tests" --scan-class-path "$tests" 2>&1 | tee "$here/build/junit.txt"
tail -30 "$here/build/junit.txt" | grep -q "0 tests failed" || { echo "test.sh: JUnit failed" >&2; exit 1; }

# 4. A small stack, the library from java.library.path.
java -Xss256k -Djava.library.path="$target" -Dduibiao.expect.loaded=java.library.path \
    -cp "$jar:$tests" cn.duibiao.SmallStackCheck "$root"

# The library named by the system property duibiao.library.path (the third way of finding it).
java -Dduibiao.library.path="$target/libduibiao_java.so" -Dduibiao.expect.loaded="$target/libduibiao_java.so" \
    -cp "$jar:$tests" cn.duibiao.SmallStackCheck "$root"

# 5. The five-line example of docs/java.md and of docs/embedding.md (the first ```java block of
# each), as a user copies it.
passed=0
for page in java embedding; do
    doc="$here/build/doc-example-$page"
    rm -rf "$doc" && mkdir -p "$doc"
    {
        echo "import cn.duibiao.*;"
        echo "public class DocExample { public static void main(String[] args) throws Exception {"
        awk '/^```java$/ {on = 1; next} on && /^```$/ {exit} on {print}' "$root/docs/$page.md"
        echo "} }"
    } > "$doc/DocExample.java"
    javac --release 8 -encoding UTF-8 -d "$doc" -cp "$jar" "$doc/DocExample.java"
    output=$(cd "$root" && java -cp "$jar:$doc" DocExample)
    echo "$output" | head -5
    echo "$output" | grep -qx "SQ2: 标准型" && echo "$output" | grep -q "^✗ 示范型" \
        || { echo "test.sh: the example of docs/$page.md did not print SQ2's tier and explanation" >&2; exit 1; }
    passed=$((passed + 1))
done
echo "doc examples: $passed passed, 0 failed"
echo "test.sh: Java binding tested in $(( $(date +%s) - start )) s"
