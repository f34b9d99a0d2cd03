//! The zen-engine peer (issue 5): the haiyan-2021 rules as a GoRules decision graph, evaluated
//! by the `zen-engine` crate on the same forest.
//!
//! The peer is the package `peers/zen` of this repository, a cargo workspace of its own, so that
//! neither the default build nor `cargo test --workspace` ever compiles zen-engine. When asked
//! to ([`Options::zen`](crate::Options::zen)), the harness builds it with
//! `cargo build --release --locked --manifest-path peers/zen/Cargo.toml` into `peers/zen/target`
//! (cargo's progress goes to stderr), runs
//! `duibiao-zen-peer --facts FILE --runs R` on the generated forest's file and reads its one JSON line: the best time of its
//! full evaluation (`zen_s`; parsing and loading the decision are not timed) and one character
//! per unit for the tier it found, which must be the engine's for every unit.

use duibiao_compiler::Graph;
use duibiao_engine::UnitTree;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The peer's package: `peers/zen` of the repository this crate was built in.
pub fn peer_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../peers/zen");
    dir.canonicalize().unwrap_or(dir)
}

/// Builds the peer in release mode and returns the path of its binary. Fails when cargo cannot
/// be run or the build fails.
pub fn build(dir: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = dir.join("Cargo.toml");
    eprintln!(
        "duibiao-bench: building the zen-engine peer ({})…",
        manifest.display()
    );
    let mut build = Command::new(&cargo);
    // Under `cargo run`, this process has the variables cargo sets for the package it runs
    // (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR` …). Build scripts of the peer's dependencies (ring)
    // ask to be run again when those change, so passing them on would rebuild a large part of
    // the peer whenever the harness is started another way.
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("CARGO_PKG_")
            || matches!(
                &*k,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_MANIFEST_LINKS"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
                    | "CARGO_RUSTC_CURRENT_DIR"
                    | "OUT_DIR"
            )
        {
            build.env_remove(&key);
        }
    }
    let out = build
        .args(["build", "--release", "--locked"])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(dir.join("target"))
        .args(["--message-format", "json-render-diagnostics"])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", cargo.to_string_lossy()))?;
    if !out.status.success() {
        return Err(format!(
            "`cargo build --manifest-path {}` failed ({})",
            manifest.display(),
            out.status
        ));
    }
    // The JSON messages on stdout name the binary cargo built.
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "duibiao-zen-peer")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo built no `duibiao-zen-peer` binary".to_string())
}

/// Runs the peer on the facts file `file` (best of `runs`), checks that it gives every unit the
/// engine's tier and returns its time in seconds.
pub(crate) fn measure(
    binary: &Path,
    file: &Path,
    runs: usize,
    graph: &Graph,
    tree: &UnitTree,
    eval: &duibiao_engine::Evaluation,
) -> Result<f64, String> {
    let out = Command::new(binary)
        .arg("--facts")
        .arg(file)
        .arg("--runs")
        .arg(runs.to_string())
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output();
    let out = out.map_err(|e| format!("cannot run `{}`: {e}", binary.display()))?;
    if !out.status.success() {
        return Err(format!("the zen-engine peer failed ({})", out.status));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line: serde_json::Value = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| format!("the zen-engine peer printed no JSON line: {stdout}"))?;
    let zen_s = line["zen_s"]
        .as_f64()
        .ok_or("the zen-engine peer printed no `zen_s`")?;
    let tiers = line["tiers"]
        .as_str()
        .ok_or("the zen-engine peer printed no `tiers`")?;
    check(graph, tree, eval, tiers)?;
    Ok(zen_s)
}

/// `D` 示范型, `S` 标准型 only, `-` neither, as the peer writes them.
fn tier_char(tier: Option<&str>) -> char {
    match tier {
        Some("示范型") => 'D',
        Some(_) => 'S',
        None => '-',
    }
}

/// Checks the peer's tiers (one character per unit) against the engine's.
fn check(
    graph: &Graph,
    tree: &UnitTree,
    eval: &duibiao_engine::Evaluation,
    tiers: &str,
) -> Result<(), String> {
    let zen: Vec<char> = tiers.chars().collect();
    if zen.len() != tree.units.len() {
        return Err(format!(
            "the engine and the zen-engine peer disagree on the forest: the engine has {} units, the peer {}",
            tree.units.len(),
            zen.len()
        ));
    }
    let name = |c: char| match c {
        'D' => "示范型",
        'S' => "标准型",
        _ => "no tier",
    };
    let mut wrong = Vec::new();
    for (u, (unit, &z)) in tree.units.iter().zip(&zen).enumerate() {
        let e = tier_char(crate::agree::engine_tier(graph, tree, eval, u));
        if e != z {
            wrong.push(format!(
                "`{}`: engine {}, zen-engine {}",
                unit.id,
                name(e),
                name(z)
            ));
        }
    }
    crate::agree::disagreement("the zen-engine peer", &wrong, tree.units.len())
}
