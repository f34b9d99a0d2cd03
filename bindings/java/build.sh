#!/usr/bin/env bash
# Builds the Java binding's jar, bindings/java/build/duibiao.jar, with javac and jar only (no
# Maven or Gradle): the classes compiled for Java 8 (`javac --release 8`) and the native library
# libduibiao_java.so inside, under /native/<os>-<arch>/, where cn.duibiao.Native unpacks it from
# when it is not on java.library.path.
#
# The native library comes from the cargo target directory: $TARGET (default target/debug,
# relative to the repository's root, so CI reuses the workspace build); when it is not there it
# is built (`cargo build -p duibiao-java`, with --release when $TARGET ends in `release`).
#
# 用 javac 和 jar 构建 bindings/java/build/duibiao.jar（类文件面向 Java 8，内含本机库）。
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${TARGET:-target/debug}
case "$target" in /*) ;; *) target="$root/$target" ;; esac
lib="$target/libduibiao_java.so"
if [ ! -f "$lib" ]; then
    profile=()
    case "$target" in *release) profile=(--release) ;; esac
    echo "build.sh: $lib is missing: cargo build -p duibiao-java ${profile[*]:-}" >&2
    (cd "$root" && CARGO_TARGET_DIR="$(dirname "$target")" cargo build -p duibiao-java "${profile[@]}")
fi

os=$(uname -s | tr '[:upper:]' '[:lower:]')
case "$os" in darwin) os=mac ;; esac
arch=$(uname -m)
case "$arch" in amd64) arch=x86_64 ;; arm64) arch=aarch64 ;; esac

out="$here/build"
rm -rf "$out/classes"
mkdir -p "$out/classes/native/$os-$arch"
javac --release 8 -Xlint:all -Xdoclint:all/protected -Werror -encoding UTF-8 -d "$out/classes" "$here"/src/main/java/cn/duibiao/*.java
cp "$lib" "$out/classes/native/$os-$arch/"
jar cf "$out/duibiao.jar" -C "$out/classes" .
echo "build.sh: $out/duibiao.jar ($(du -h "$out/duibiao.jar" | cut -f1), native library from $lib)"
