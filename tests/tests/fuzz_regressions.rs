//! The fuzz targets' checks on stable, without libFuzzer: `fuzz/src/lib.rs` (the functions the
//! targets call) is included by path and run over every input under `fuzz/regressions/<target>/`
//! (each one a crash the fuzzer found, minimised, kept once fixed) and over the seed corpora
//! `fuzz/corpus/<target>/`. Crashes found but not yet fixed wait under `fuzz/known/<target>/`,
//! run by an ignored test (`cargo test --test fuzz_regressions -- --ignored`) until their fix
//! moves them to `fuzz/regressions/`. See docs/reliability.md.

#[path = "../../fuzz/src/lib.rs"]
mod fuzz;

use std::path::Path;

/// Runs `target`'s check on every file of `dir` (none when it does not exist) whose size is at
/// most `max`; fails naming every file whose check panicked.
fn run_all(target: &str, dir: &Path, max: u64) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut paths: Vec<_> = entries
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .path()
        })
        .filter(|p| p.is_file() && p.metadata().map(|m| m.len() <= max).unwrap_or(false))
        .collect();
    paths.sort();
    let mut failed = Vec::new();
    for path in &paths {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let run = std::panic::catch_unwind(|| fuzz::check(target, &data));
        if run.is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "the {target} check fails on {} input(s):\n{}",
        failed.len(),
        failed.join("\n")
    );
    paths.len()
}

fn fuzz_dir() -> std::path::PathBuf {
    duibiao_tests::root().join("fuzz")
}

/// Every crash the fuzzer found, once fixed, stays fixed.
#[test]
fn regressions() {
    for target in fuzz::TARGETS {
        run_all(
            target,
            &fuzz_dir().join("regressions").join(target),
            u64::MAX,
        );
    }
}

/// The seeds pass the checks (so the checks hold on stable as under libFuzzer), and every target
/// has seeds. The largest facts files are left to the fuzzer: a debug build reads them slowly.
#[test]
fn seeds() {
    for target in fuzz::TARGETS {
        let n = run_all(target, &fuzz_dir().join("corpus").join(target), 16 * 1024);
        assert!(n > 0, "no seeds for {target}");
    }
}

/// Crashes found and not yet fixed (docs/reliability.md names each and where its fix belongs):
/// this fails until they are, and then their inputs move to `fuzz/regressions/`.
#[test]
#[ignore = "crashes found by fuzzing and not yet fixed: see docs/reliability.md"]
fn known() {
    for target in fuzz::TARGETS {
        run_all(target, &fuzz_dir().join("known").join(target), u64::MAX);
    }
}
