//! Micro-benchmarks: compiling each standard, loading a forest's facts (also in MB/s), evaluating
#![allow(clippy::panic)] // A benchmark without its inputs has nothing to measure: stop loudly.
//! one unit, evaluating a forest, and an incremental update of one score in a forest. Run with
//! `cargo bench -p duibiao`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use duibiao::generate::{write_forest, Shape};
use duibiao::{Assignment, Options, Standard};
use std::hint::black_box;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_default()
}

fn haiyan() -> Standard {
    let rel = "standards/haiyan-2021.std";
    Standard::compile(rel, &read(rel)).unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)))
}

/// A generated haiyan-2021 forest of `n` units, as facts-file text.
fn forest(std: &Standard, n: usize) -> String {
    let mut out = Vec::new();
    write_forest(std, n, 7, &Shape::default(), &mut out).unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(out).unwrap_or_default()
}

fn compile(c: &mut Criterion) {
    for slug in [
        "haiyan-2021",
        "jiaxing-2016",
        "zhuji-2018",
        "quality-2020",
        "chunjiang-365",
        "shengzhou-2015",
    ] {
        let rel = format!("standards/{slug}.std");
        let src = read(&rel);
        c.bench_function(&format!("compile {slug}"), |b| {
            b.iter(|| black_box(Standard::compile(&rel, black_box(&src)).is_ok()))
        });
    }
}

fn evaluate(c: &mut Criterion) {
    let std = haiyan();
    let (one, _) = std.load_facts(r#"{"units": [{"id": "XQ", "kind": "小区", "scores": {"11.1": 10, "11.2": 8, "12.1": 9, "12.2": 10, "13.1": 5, "13.2": 4, "13.3": 9, "14": 18, "15.1": 9, "15.2": 10}, "facts": {"一票否决": false}}]}"#);
    let options = Options::new();
    c.bench_function("evaluate one unit", |b| {
        b.iter(|| black_box(std.evaluate(&one, &options).is_ok()))
    });
    let text = forest(&std, 10_000);
    let (facts, _) = std.load_facts(&text);
    // Reported in MB/s too. A value that only serde_json reads exactly (here an array where a
    // truth value is expected, in the last unit) makes the loader read the file a second time.
    let mut load = c.benchmark_group("load");
    load.throughput(Throughput::Bytes(text.len() as u64));
    load.bench_function("10k units", |b| {
        b.iter(|| black_box(std.load_facts(black_box(&text)).0.len()))
    });
    let facts_at = "\"facts\": {";
    let exact = match text.rfind(facts_at) {
        Some(at) => {
            let (head, rest) = (&text[..at], &text[at + facts_at.len()..]);
            let sep = if rest.starts_with('}') { "" } else { ", " };
            format!("{head}{facts_at}\"一票否决\": [1]{sep}{rest}")
        }
        None => text.clone(),
    };
    load.bench_function("10k units, read twice", |b| {
        b.iter(|| black_box(std.load_facts(black_box(&exact)).1.len()))
    });
    load.finish();
    c.bench_function("evaluate 10k units (values)", |b| {
        b.iter_batched(
            || facts.clone(),
            |f| black_box(std.live(f, &options).is_ok()),
            BatchSize::LargeInput,
        )
    });
}

fn incremental(c: &mut Criterion) {
    let std = haiyan();
    let (facts, _) = std.load_facts(&forest(&std, 10_000));
    let Ok(mut live) = std.live(facts, &Options::new()) else {
        return;
    };
    // A 小区 deep in the forest; its score toggles between two values.
    let id = (0..live.places())
        .rev()
        .filter_map(|i| live.summary_at(i))
        .find(|u| u.kind == "小区")
        .map(|u| u.id)
        .unwrap_or_default();
    let mut high = false;
    c.bench_function("incremental update in 10k units", |b| {
        b.iter(|| {
            high = !high;
            let a = Assignment::Text(format!("{id}.11.1={}", if high { 10 } else { 2 }));
            black_box(live.assign(&a).is_ok())
        })
    });
}

criterion_group!(benches, compile, evaluate, incremental);
criterion_main!(benches);
