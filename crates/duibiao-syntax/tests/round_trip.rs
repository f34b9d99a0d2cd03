//! The canonical printer against the parser, in the syntax crate itself: every standard, every
//! `.std` file of the documentation and of the diagnostics corpus, and random expressions print
//! to text that parses back to the same tree (positions aside), and printing again changes
//! nothing. (`tests/tests/canonical.rs` checks the fingerprint and `duibiao fmt` on the same
//! random expressions.)

#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::round_trip::{expression, round_trip};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `.std` files under `dir`, in order of their paths.
fn std_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            std_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "std") {
            out.push(p);
        }
    }
}

/// Parses and round-trips each of `paths` that parses; returns how many did.
fn round_trip_files(paths: &[PathBuf]) -> usize {
    let mut parsed = 0;
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        if let Ok(file) = duibiao_syntax::parse(&text) {
            round_trip(&path.display().to_string(), &file);
            parsed += 1;
        }
    }
    parsed
}

#[test]
fn standards_round_trip() {
    let mut paths = Vec::new();
    std_files(&root().join("standards"), &mut paths);
    assert!(paths.len() >= 6, "{paths:?}");
    assert_eq!(
        round_trip_files(&paths),
        paths.len(),
        "every standard parses"
    );
}

#[test]
fn documentation_and_diagnostics_files_round_trip() {
    let mut docs = Vec::new();
    std_files(&root().join("docs"), &mut docs);
    let parsed = round_trip_files(&docs);
    assert!(parsed >= 3, "only {parsed} files under docs/ parse");
    let mut corpus = Vec::new();
    std_files(&root().join("tests/diagnostics"), &mut corpus);
    let parsed = round_trip_files(&corpus);
    assert!(parsed >= 30, "only {parsed} diagnostics files parse");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Random expressions that parse, in every place an expression stands (two unlabelled tier
    /// conditions in a row, an unlabelled one after a labelled one, call arguments, `when`), print to text that parses to the same tree.
    #[test]
    fn random_expressions_round_trip(a in expression(), b in expression()) {
        let src = format!(
            "standard p {{}}\nderive 小区 {{ x = f({a}, {b}) }}\n\
             tiers 小区 {{ 甲 {{ {a}; {b}; 乙: {a}; {b} }} }}\n\
             requirements 小区 基本 {{ r: {a} when {b} }}\n\
             consequence 奖 on 小区 when {a} amount {b} split 市级 50%\n"
        );
        if let Ok(file) = duibiao_syntax::parse(&src) {
            round_trip(&src, &file);
        }
    }
}

#[test]
fn random_expressions_mostly_parse() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = expression();
    let mut parsed = 0;
    for _ in 0..200 {
        let e = strategy
            .new_tree(&mut runner)
            .unwrap_or_else(|e| panic!("{e}"))
            .current();
        if duibiao_syntax::parse(&format!("standard p {{}}\nderive 小区 {{ x = {e} }}")).is_ok() {
            parsed += 1;
        }
    }
    assert!(
        parsed >= 60,
        "only {parsed} of 200 random expressions parse"
    );
}
