//! How the operations grow with their input: `gap`, `explain`, `diff`, `check` (compiling a
//! standard with as many diagnostics as units) and `eval`, timed in this process at 10^3, 10^4
//! and 10^5 units (and 10^6 with `SCALING_LARGE=1`), each the best of a few runs. The cost per
//! unit at the largest size must be within 3 times the cost per unit at the smallest: no path
//! worse than linear (issue 13).
//!
//! These tests measure time, which the tests CI runs must not depend on: they are ignored, and
//! run by `scripts/scaling.sh` (which also measures the command line's peak memory) or by hand:
//!
//! ```sh
//! cargo test --release -p duibiao-tests --test scaling -- --ignored --nocapture --test-threads 1
//! ```
//!
//! The forests are haiyan-2021's, drawn by `duibiao::generate`: for `gap` and `explain`, one
//! street holding every unit (`社区` per street: a seventh of the units, seed 6, whose street is
//! far from 示范型 and needs thousands of changes); for `diff` and `eval`, the default shape
//! (streets of about 90 units, seed 7 against seed 8 for `diff`). For `check`, a standard with one
//! kind and as many facts as units, all but one never used: one warning each (up to 10^5: a
//! source may have 4 MiB, about 2×10^5 such facts).

use duibiao::generate::{write_forest, Shape};
use duibiao::{Facts, Options, Standard};
use duibiao_tests::standard;
use std::time::{Duration, Instant};

/// The sizes measured.
fn sizes() -> Vec<usize> {
    let mut sizes = vec![1_000, 10_000, 100_000];
    if std::env::var("SCALING_LARGE").is_ok_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    sizes
}

/// A forest of `units` units of `s`, drawn from `seed`, with `social` 社区 per street (`None`:
/// the default shape), loaded.
fn forest(s: &Standard, units: usize, seed: u64, social: Option<usize>) -> Facts {
    let mut shape = Shape::default();
    if let Some(k) = social {
        shape.fanout.insert("社区".into(), (k as u32, k as u32));
    }
    let mut text = Vec::new();
    write_forest(s, units, seed, &shape, &mut text).unwrap();
    let (facts, problems) = s.load_facts(std::str::from_utf8(&text).unwrap());
    assert!(problems.is_empty(), "{problems:?}");
    facts
}

/// The least time of a few runs of `f` (at least two, and more while they last under a second
/// in all).
fn best(mut f: impl FnMut()) -> Duration {
    let mut least = Duration::MAX;
    let started = Instant::now();
    for run in 0.. {
        let t = Instant::now();
        f();
        least = least.min(t.elapsed());
        if run >= 1 && (run >= 4 || started.elapsed() > Duration::from_secs(1)) {
            break;
        }
    }
    least
}

/// Times `op` at every size (`run(units)` returns what to time), prints the cost per unit and
/// checks that it grows no more than 3 times from the smallest size to the largest.
fn scales(op: &str, run: impl FnMut(usize) -> Box<dyn FnMut()>) {
    scales_to(op, usize::MAX, run);
}

/// [`scales`] at the sizes up to `most`.
fn scales_to(op: &str, most: usize, mut run: impl FnMut(usize) -> Box<dyn FnMut()>) {
    let mut per_unit = Vec::new();
    for n in sizes().into_iter().filter(|&n| n <= most) {
        let mut f = run(n);
        let t = best(&mut *f);
        let us = t.as_secs_f64() * 1e6 / n as f64;
        println!(
            "{op:8} {n:>9} units {:>10.3} s {us:>8.2} µs/unit",
            t.as_secs_f64()
        );
        per_unit.push(us);
    }
    let (first, last) = (per_unit[0], per_unit[per_unit.len() - 1]);
    println!("{op:8} largest / smallest per unit: {:.2}", last / first);
    assert!(
        last <= 3.0 * first,
        "{op}: {last:.2} µs per unit at the largest size, {first:.2} at the smallest"
    );
}

#[test]
#[ignore = "measures time: run by scripts/scaling.sh"]
fn gap_of_a_street_is_linear_in_its_sub_units() {
    let s = standard("haiyan-2021");
    scales("gap", |n| {
        let facts = forest(&s, n, 6, Some(n / 7));
        let s = s.clone();
        Box::new(move || {
            let r = s.gap(&facts, "街道-1", "示范型", &Options::new()).unwrap();
            assert!(r.reachable && !r.changes.is_empty());
        })
    });
}

#[test]
#[ignore = "measures time: run by scripts/scaling.sh"]
fn explain_of_a_street_is_linear_in_its_sub_units() {
    let s = standard("haiyan-2021");
    scales("explain", |n| {
        let facts = forest(&s, n, 6, Some(n / 7));
        let s = s.clone();
        Box::new(move || {
            let e = s.explain(&facts, "街道-1", &Options::new()).unwrap();
            assert!(!e.text.is_empty());
        })
    });
}

#[test]
#[ignore = "measures time: run by scripts/scaling.sh"]
fn explain_of_one_street_costs_its_subtree_not_the_forest() {
    // Street 1 of the default shape has the same hundred-odd units whatever the forest's size:
    // its explanation should cost the same at every size.
    let s = standard("haiyan-2021");
    let mut times = Vec::new();
    for n in sizes() {
        let facts = forest(&s, n, 7, None);
        let t = best(|| {
            s.explain(&facts, "街道-1", &Options::new()).unwrap();
        });
        println!("explain1 {n:>9} units {:>10.6} s", t.as_secs_f64());
        times.push(t.as_secs_f64());
    }
    let (first, last) = (times[0], times[times.len() - 1]);
    assert!(
        last <= 3.0 * first,
        "{last} s at the largest size, {first} s at the smallest"
    );
}

#[test]
#[ignore = "measures time: run by scripts/scaling.sh"]
fn diff_is_linear() {
    let s = standard("haiyan-2021");
    scales("diff", |n| {
        let (a, b) = (forest(&s, n, 7, None), forest(&s, n, 8, None));
        let s = s.clone();
        Box::new(move || {
            let d = s.diff(&a, &b, &Options::new()).unwrap();
            assert!(!d.changed.is_empty());
        })
    });
}

#[test]
#[ignore = "measures time: run by scripts/scaling.sh"]
fn eval_is_linear() {
    let s = standard("haiyan-2021");
    scales("eval", |n| {
        let facts = forest(&s, n, 7, None);
        let s = s.clone();
        Box::new(move || {
            let o = s.evaluate(&facts, &Options::new()).unwrap();
            assert_eq!(o.units.len(), n);
        })
    });
}

/// A standard with one kind and `n` facts, of which only the first is used.
fn unused_facts(n: usize) -> String {
    let mut src = String::from("standard t {\n  title \"t\"\n}\nkind 小区\nfacts 小区 {\n");
    for i in 0..n {
        src.push_str(&format!("  事实{i}: bool\n"));
    }
    src.push_str("}\ntiers 小区 {\n  甲 { 条件: 事实0 }\n}\n");
    src
}

#[test]
#[ignore = "measures time: run by scripts/scaling.sh"]
fn check_is_linear_in_its_diagnostics() {
    scales_to("check", 100_000, |n| {
        let src = unused_facts(n);
        Box::new(move || {
            let s = Standard::compile("unused.std", &src).unwrap();
            assert_eq!(s.warnings().len(), n - 1);
            // Rendered as the command line prints them, each with its source line.
            let shown = duibiao::render::render_all(s.warnings(), Some(&src), duibiao::Lang::Zh);
            assert_eq!(shown.matches("W0001").count(), n - 1);
        })
    });
}
