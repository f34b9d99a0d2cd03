//! The Rust side of the Java binding's benchmark (`bindings/java/bench.sh`): the same prepared
//! evaluations the Java benchmark makes, through `Runtime::evaluate_text` (facts as JSON text in,
//! the response as JSON text out), so that the cost of crossing JNI and reading the response in
//! Java can be told apart from the engine's. Writes the generated facts it times (haiyan-2021,
//! `write_forest`, seed 7) to the directory given, for the Java side to read.
//!
//! Usage: `cargo run --release -p duibiao-java --example bench_rust -- DIR`
//! Prints one line per case: `rust CASE UNITS BYTES BEST_US`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao::protocol::Runtime;
use std::hint::black_box;
use std::time::Instant;

/// The time of one call, in microseconds: the best of `batches` batches of `per` calls each
/// (the best, not the median: on a shared machine the other load only ever adds time; many
/// short batches for the demo, so that some run without being interrupted on a loaded machine).
fn best_us(batches: usize, per: usize, mut f: impl FnMut() -> usize) -> f64 {
    for _ in 0..per.max(3) {
        black_box(f());
    }
    let times: Vec<f64> = (0..batches)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per {
                black_box(f());
            }
            t.elapsed().as_secs_f64() * 1e6 / per as f64
        })
        .collect();
    times.into_iter().fold(f64::INFINITY, f64::min)
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: bench_rust DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
    let source = std::fs::read_to_string(format!("{root}standards/haiyan-2021.std")).unwrap();
    let demo = std::fs::read_to_string(format!("{root}standards/haiyan-2021/demo.json")).unwrap();
    let standard = duibiao::Standard::compile("haiyan-2021.std", &source).unwrap();
    let rt = Runtime::new();
    let handle = rt.insert(standard.clone());

    let mut cases = vec![("demo", 18usize, demo)];
    for units in [1_000usize, 100_000] {
        let mut text = Vec::new();
        duibiao::generate::write_forest(&standard, units, 7, &Default::default(), &mut text)
            .unwrap();
        let text = String::from_utf8(text).unwrap();
        std::fs::write(dir.join(format!("facts-{units}.json")), &text).unwrap();
        cases.push(("generated", units, text));
    }
    for (name, units, facts) in &cases {
        let (batches, per) = match units {
            0..=100 => (201, 50),
            101..=10_000 => (11, 20),
            _ => (5, 1),
        };
        let us = best_us(batches, per, || rt.evaluate_text(handle, facts, None).len());
        println!("rust {name} {units} {} {us:.1}", facts.len());
    }
}
