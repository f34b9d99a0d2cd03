//! The harness end to end on a small forest: every step runs, the engine and the reference
//! agree, and the JSON line has the promised keys in order.

use duibiao_bench::{run, Options};

#[test]
fn five_hundred_units() {
    let opts = Options {
        runs: Some(1),
        updates: 200,
        threads: 2,
        ..Options::new(500)
    };
    let report = run(&opts).unwrap();
    assert_eq!(report.units, 500);
    assert_eq!(report.standards.len(), 6);
    assert_eq!(report.tiers.iter().sum::<usize>(), 500);
    assert!(report.engine_s > 0.0 && report.reference_s > 0.0 && report.update_s > 0.0);

    let line = report.json_line();
    let json: serde_json::Value = serde_json::from_str(&line).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "units",
            "engine_s",
            "reference_s",
            "zen_s",
            "engine_over_reference",
            "engine_1t_s",
            "single_thread_over_reference",
            "threads_speedup",
            "zen_over_engine",
            "full_over_incremental",
            "load_mb_s",
            "peak_rss_mb",
            "threads"
        ]
    );
    assert_eq!(json["units"], 500);
    assert_eq!(json["threads"], 2);
    assert!(json["zen_s"].is_null() && json["zen_over_engine"].is_null());
    for key in [
        "engine_s",
        "reference_s",
        "engine_over_reference",
        "engine_1t_s",
        "single_thread_over_reference",
        "threads_speedup",
        "full_over_incremental",
        "load_mb_s",
    ] {
        assert!(
            json[key].as_f64().is_some_and(|x| x > 0.0),
            "{key}: {}",
            json[key]
        );
    }
    assert!(report.table().contains("engine / reference"));
}

#[test]
fn zero_units_is_an_error() {
    assert!(run(&Options::new(0)).is_err());
}

#[test]
fn smaller_forests_are_timed_more_often() {
    let runs = |units| Options::new(units).runs();
    assert_eq!(runs(1_000), 20);
    assert_eq!(runs(10_000), 20);
    assert_eq!(runs(100_000), 10);
    assert_eq!(runs(1_000_000), 5);
    assert_eq!(runs(2_000_000), 5);
    let asked = Options {
        runs: Some(1),
        ..Options::new(10_000)
    };
    assert_eq!(asked.runs(), 1);
}
