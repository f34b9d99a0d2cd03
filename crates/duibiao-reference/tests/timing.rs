//! Timing of the engine against the reference on a 100,000-unit forest. Ignored by default; run
//! `cargo test --release -p duibiao-reference --test timing -- --ignored --nocapture`.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use duibiao_reference::haiyan::{self, Forest};
use std::time::{Duration, Instant};

/// The best of `runs` timings of `f`.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        out = Some(r);
    }
    (best, out.unwrap())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

#[test]
#[ignore = "timing: run in release with --ignored --nocapture"]
fn hundred_thousand_units() {
    let runs = 5;
    let value = common::big_forest(100_000, 5);
    let text = value.to_string();
    let n = value["units"].as_array().unwrap().len();
    let std = common::standard();

    let (e_load, (facts, _)) = best(runs, || std.load_facts(&text));
    let (e_eval, outcome) = best(runs, || {
        std.evaluate(&facts, &duibiao::Options::new()).unwrap()
    });
    // The engine's values alone, without building the outcome: `duibiao_engine::evaluate` on the
    // engine's own forest of the same text.
    let engine = duibiao_tests::engine::standard("haiyan-2021");
    let forest_e = engine.load(&text).0;
    let ctx = engine.context(&forest_e);
    let (e_values, _) = best(runs, || {
        duibiao_engine::evaluate(engine.graph(), &forest_e.tree, &ctx)
    });
    let (r_load, forest) = best(runs, || Forest::from_json(&text).unwrap());
    let (r_eval, results) = best(runs, || haiyan::evaluate_forest(&forest, &forest.params));
    assert_eq!(outcome.units.len(), n);
    assert_eq!(results.len(), n);

    // The two agree on this forest too.
    let engine = common::engine(&text);
    let reference = common::reference(&text);
    common::assert_same("100k", &engine, &reference, "(100k forest)");

    println!("{n} units, {} bytes of JSON, best of {runs}", text.len());
    println!(
        "engine:    load_facts {:8.2} ms   evaluate {:8.2} ms   total {:8.2} ms",
        ms(e_load),
        ms(e_eval),
        ms(e_load + e_eval)
    );
    println!(
        "engine values only (duibiao_engine::evaluate): {:8.2} ms",
        ms(e_values)
    );
    println!(
        "reference: parse      {:8.2} ms   evaluate {:8.2} ms   total {:8.2} ms",
        ms(r_load),
        ms(r_eval),
        ms(r_load + r_eval)
    );
    println!(
        "engine / reference: evaluate {:.1}x (values only {:.1}x), total {:.1}x",
        e_eval.as_secs_f64() / r_eval.as_secs_f64(),
        e_values.as_secs_f64() / r_eval.as_secs_f64(),
        (e_load + e_eval).as_secs_f64() / (r_load + r_eval).as_secs_f64()
    );
}
