//! The C ABI against the Rust facade, on the same prepared evaluation: the haiyan demo's facts
//! (JSON text) evaluated with a compiled standard, answered as the protocol's JSON text. Also
//! the cost of the JSON around an evaluation of 10^5 units: loading the facts, evaluating, and
//! writing the response. Run with `cargo bench -p duibiao-c`; the ratios are recorded in
//! docs/performance.md.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use duibiao::protocol::{write_evaluation, Runtime, Style};
use duibiao::{Detail, Options, Standard};
use std::ffi::{CStr, CString};
use std::hint::black_box;

fn read(rel: &str) -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../").to_string() + rel)
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn prepared(c: &mut Criterion) {
    let source = read("standards/haiyan-2021.std");
    let facts = read("standards/haiyan-2021/demo.json");
    let standard = Standard::compile("haiyan-2021.std", &source).unwrap();
    let options = Options::default();
    let mut g = c.benchmark_group("demo");
    // The facade, typed: load, evaluate, the outcome as values.
    g.bench_function("facade: evaluate (typed)", |b| {
        b.iter(|| {
            let (f, _) = standard.load_facts(black_box(&facts));
            black_box(standard.evaluate(&f, &options).unwrap().units.len())
        })
    });
    // The facade, as JSON: what the C ABI does, without crossing it.
    let rt = Runtime::new();
    let h = rt.call(&format!(
        "{{\"call\":\"compile\",\"source\":{}}}",
        serde_json::to_string(&source).unwrap()
    ));
    let handle = serde_json::from_str::<serde_json::Value>(&h).unwrap()["handle"]
        .as_u64()
        .unwrap();
    g.bench_function("facade: evaluate (JSON)", |b| {
        b.iter(|| black_box(rt.evaluate_text(handle, black_box(&facts), None).len()))
    });
    // The C ABI: C strings in and out, the response freed.
    let c_source = CString::new(source.clone()).unwrap();
    let c_facts = CString::new(facts.clone()).unwrap();
    let mut c_handle = 0u64;
    // SAFETY: valid NUL-terminated strings and a writable handle.
    let r = unsafe {
        duibiao_c::duibiao_compile(c"haiyan.std".as_ptr(), c_source.as_ptr(), &mut c_handle)
    };
    // SAFETY: handed out by duibiao_compile.
    unsafe { duibiao_c::duibiao_free(r) };
    g.bench_function("C ABI: duibiao_evaluate", |b| {
        b.iter(|| {
            // SAFETY: valid NUL-terminated strings; the response is freed once.
            unsafe {
                let r = duibiao_c::duibiao_evaluate(
                    c_handle,
                    black_box(c_facts.as_ptr()),
                    std::ptr::null(),
                );
                let n = CStr::from_ptr(r).to_bytes().len();
                duibiao_c::duibiao_free(r);
                black_box(n)
            }
        })
    });
    g.finish();
}

fn marshalling(c: &mut Criterion) {
    let standard =
        Standard::compile("haiyan-2021.std", &read("standards/haiyan-2021.std")).unwrap();
    let mut text = Vec::new();
    duibiao::generate::write_forest(&standard, 100_000, 7, &Default::default(), &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let (facts, _) = standard.load_facts(&text);
    let live = standard.live(facts.clone(), &Options::default()).unwrap();
    let mut g = c.benchmark_group("10^5 units");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("load the facts (JSON in)", |b| {
        b.iter(|| black_box(standard.load_facts(black_box(&text)).0.len()))
    });
    g.bench_function("evaluate (no JSON)", |b| {
        b.iter(|| {
            black_box(
                standard
                    .live(facts.clone(), &Options::default())
                    .unwrap()
                    .len(),
            )
        })
    });
    for detail in [Detail::Summary, Detail::Conditions] {
        g.bench_function(format!("write the response (JSON out, {detail:?})"), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(64 << 20);
                write_evaluation(&mut out, &live, Vec::new(), detail, Style::Compact).unwrap();
                black_box(out.len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, prepared, marshalling);
criterion_main!(benches);
