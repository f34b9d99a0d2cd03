//! What the command line's tests share: running the binary and reading what it printed.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root, where the tests run the binary.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
/// The haiyan standard.
pub const STD: &str = "standards/haiyan-2021.std";
/// Its demo facts.
pub const DEMO: &str = "standards/haiyan-2021/demo.json";

/// Runs the binary from the workspace root.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_duibiao"))
        .args(args)
        .current_dir(ROOT)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run duibiao {args:?}: {e}"))
}

/// Runs the binary from the workspace root with `input` on its standard input.
pub fn run_with_input(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_duibiao"))
        .args(args)
        .current_dir(ROOT)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run duibiao {args:?}: {e}"));
    let written = child.stdin.take().map(|mut s| s.write_all(input));
    let out = child.wait_with_output().unwrap();
    if let Some(Err(e)) = written {
        panic!(
            "duibiao {args:?} did not take its input ({e}): {}",
            stderr(&out)
        );
    }
    out
}

/// What the command printed on its standard output.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// What the command printed on its standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Asserts the exit code, showing both streams when it differs.
#[track_caller]
pub fn expect_code(o: &Output, want: i32, what: &str) {
    assert_eq!(
        code(o),
        want,
        "{what}: exit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        code(o),
        stdout(o),
        stderr(o)
    );
}

pub fn json(o: &Output, what: &str) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{what}: stdout is not JSON ({e}):\n{}", stdout(o)))
}

/// A fresh directory for one test's files.
pub fn temp_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("duibiao-cli-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}
