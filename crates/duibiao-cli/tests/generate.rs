//! `duibiao gen`: synthetic forests for every bundled standard load without a single facts error
//! and evaluate, have exactly the units asked for, are reproducible from their seed, reach every
//! tier of haiyan-2021 at 2,000 units, and stream 200,000 units one a line (their speed is the benchmark
//! harness's to measure, not a test's); a generated file of 2 MB, read a chunk at a time, is reported
//! as it is read whole.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{run, ROOT};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

const HAIYAN: &str = "standards/haiyan-2021.std";

/// Runs the binary and requires exit code 0, showing stderr when it is not.
#[track_caller]
fn ok(args: &[&str]) -> Output {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "duibiao {args:?} failed\n--- stderr ---\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A fresh directory for one test's files.
fn temp_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("duibiao-gen-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every bundled standard, as a path relative to the root.
fn standards() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("standards"))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.ends_with(".std").then(|| format!("standards/{name}"))
        })
        .collect();
    out.sort();
    assert_eq!(out.len(), 6, "expected the six bundled standards: {out:?}");
    out
}

fn gen(std: &str, units: usize, seed: u64, extra: &[&str]) -> Vec<u8> {
    let (units, seed) = (units.to_string(), seed.to_string());
    let mut args = vec!["gen", std, "--units", &units, "--seed", &seed];
    args.extend_from_slice(extra);
    ok(&args).stdout
}

fn units(facts: &Value) -> &Vec<Value> {
    facts["units"]
        .as_array()
        .unwrap_or_else(|| panic!("no units list"))
}

#[test]
fn every_standard_gives_a_clean_forest_of_exactly_the_units_asked_that_evaluates() {
    let dir = temp_dir("clean");
    for std in standards() {
        let path = dir.join(std.replace('/', "_").replace(".std", ".json"));
        let path = path.to_str().unwrap();
        let o = ok(&["gen", &std, "--units", "300", "--seed", "7", "--out", path]);
        assert!(o.stdout.is_empty(), "{std}: --out also wrote to stdout");
        let facts: Value = serde_json::from_slice(&std::fs::read(path).unwrap())
            .unwrap_or_else(|e| panic!("{std}: not JSON: {e}"));
        assert_eq!(units(&facts).len(), 300, "{std}");
        let ids: BTreeSet<&str> = units(&facts)
            .iter()
            .map(|u| u["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), 300, "{std}: ids are not unique");
        for u in units(&facts) {
            if let Some(p) = u["parent"].as_str() {
                assert!(ids.contains(p), "{std}: {} has no parent {p}", u["id"]);
            }
        }
        // Exit 0: no facts error, every open parameter supplied.
        let e = ok(&["eval", &std, path, "--format", "json"]);
        let stderr = String::from_utf8_lossy(&e.stderr);
        assert!(
            stderr.trim().is_empty(),
            "{std}: eval complained:\n{stderr}"
        );
        let outcome: Value = serde_json::from_slice(&e.stdout).unwrap();
        assert_eq!(units(&outcome).len(), 300, "{std}");
        // The table form too.
        ok(&["eval", &std, path]);
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_another_forest() {
    for std in standards() {
        let a = gen(&std, 300, 7, &[]);
        let b = gen(&std, 300, 7, &[]);
        assert!(a == b, "{std}: seed 7 gave two different files");
        let c = gen(&std, 300, 8, &[]);
        assert!(a != c, "{std}: seeds 7 and 8 gave the same file");
    }
    // `--out` writes what stdout gets.
    let dir = temp_dir("same");
    let path = dir.join("h.json");
    ok(&[
        "gen",
        HAIYAN,
        "--units",
        "300",
        "--seed",
        "7",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&path).unwrap() == gen(HAIYAN, 300, 7, &[]));
}

#[test]
fn a_smaller_forest_is_the_start_of_a_larger_one() {
    let small: Value = serde_json::from_slice(&gen(HAIYAN, 150, 3, &[])).unwrap();
    let large: Value = serde_json::from_slice(&gen(HAIYAN, 400, 3, &[])).unwrap();
    assert_eq!(units(&small)[..], units(&large)[..150]);
}

#[test]
fn two_thousand_units_of_haiyan_reach_every_tier() {
    let dir = temp_dir("tiers");
    let path = dir.join("h.json");
    let path = path.to_str().unwrap();
    ok(&[
        "gen", HAIYAN, "--units", "2000", "--seed", "7", "--out", path,
    ]);
    let outcome: Value =
        serde_json::from_slice(&ok(&["eval", HAIYAN, path, "--format", "json"]).stdout).unwrap();
    let mut reached: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut tiers: BTreeSet<(String, String)> = BTreeSet::new();
    for u in units(&outcome) {
        let kind = u["kind"].as_str().unwrap().to_string();
        for t in u["tiers"].as_object().unwrap().keys() {
            tiers.insert((kind.clone(), t.clone()));
        }
        if let Some(t) = u["tier"].as_str() {
            *reached.entry((kind, t.to_string())).or_default() += 1;
        }
    }
    // Six kinds, two tiers each.
    assert_eq!(tiers.len(), 12, "{tiers:?}");
    let missing: Vec<_> = tiers.iter().filter(|t| !reached.contains_key(t)).collect();
    assert!(
        missing.is_empty(),
        "no unit at {missing:?}; reached {reached:?}"
    );
    // Some units fall short of every tier, some are unknown for missing values.
    let none = units(&outcome)
        .iter()
        .filter(|u| u["tier"].is_null())
        .count();
    assert!(none > 0);
}

#[test]
fn shape_missing_and_veto_do_what_they_say() {
    let out = gen(
        HAIYAN,
        1000,
        5,
        &[
            "--shape",
            "社区=2-3,小区=1-2",
            "--shape",
            "商务楼宇=0,商圈=0,社会组织=1-1",
            "--missing",
            "0",
            "--veto",
            "100",
        ],
    );
    let facts: Value = serde_json::from_slice(&out).unwrap();
    let us = units(&facts);
    assert_eq!(us.len(), 1000);
    let mut children: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let kind_of: BTreeMap<&str, &str> = us
        .iter()
        .map(|u| (u["id"].as_str().unwrap(), u["kind"].as_str().unwrap()))
        .collect();
    for u in us {
        // Nothing missing, every veto set.
        let kind = u["kind"].as_str().unwrap();
        let parts = match kind {
            "街道" | "社区" => 11,
            _ => 10,
        };
        if matches!(kind, "街道" | "社区" | "小区") {
            assert_eq!(u["scores"].as_object().unwrap().len(), parts, "{u}");
        }
        assert_eq!(u["facts"]["一票否决"], Value::Bool(true), "{u}");
        if let Some(p) = u["parent"].as_str() {
            *children
                .entry(p)
                .or_default()
                .entry(u["kind"].as_str().unwrap())
                .or_default() += 1;
        }
    }
    assert!(!kind_of.values().any(|k| *k == "商务楼宇" || *k == "商圈"));
    // Every parent but the last of each kind (the forest stops mid-tree) has its range.
    let last: BTreeMap<&str, &str> = us
        .iter()
        .map(|u| (u["kind"].as_str().unwrap(), u["id"].as_str().unwrap()))
        .collect();
    for (parent, kinds) in &children {
        if last.values().any(|l| l == parent) {
            continue;
        }
        for (kind, n) in kinds {
            let (lo, hi) = match *kind {
                "社区" => (2, 3),
                "小区" => (1, 2),
                "社会组织" => (1, 1),
                k => panic!("unexpected kind {k}"),
            };
            assert!(
                (lo..=hi).contains(n),
                "{parent} has {n} {kind}, expected {lo}-{hi}"
            );
        }
    }
}

#[test]
fn bad_shapes_are_refused_with_a_reason() {
    for (shape, says) in [
        ("公园=1-3", "unknown kind `公园`"),
        ("社区=5-2", "least number of children is above the most"),
        ("街道=1-2", "not contained by any kind"),
        ("社区", "expected `KIND=MIN-MAX`"),
    ] {
        let o = run(&["gen", HAIYAN, "--units", "10", "--shape", shape]);
        assert_eq!(o.status.code(), Some(1), "--shape {shape}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(says), "--shape {shape}: {stderr}");
        assert!(o.stdout.is_empty());
    }
    let o = run(&["gen", HAIYAN, "--units", "10", "--missing", "120"]);
    assert_eq!(o.status.code(), Some(1));
}

/// 200,000 units stream in well under a second even in a debug build (about 0.6 s here).
#[test]
fn two_hundred_thousand_units_of_haiyan() {
    let dir = temp_dir("big");
    let path = dir.join("big.json");
    ok(&[
        "gen",
        HAIYAN,
        "--units",
        "200000",
        "--seed",
        "1",
        "--out",
        path.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&path).unwrap();
    // One unit a line.
    let n = text
        .lines()
        .filter(|l| l.starts_with("  {\"id\": "))
        .count();
    assert_eq!(n, 200_000);
    assert!(text.ends_with("\n ]\n}\n"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A facts file of 1 MiB or more is loaded as it is read, a chunk at a time: its report is the
/// one of the same file loaded whole, which an unknown field on one unit makes the command do
/// (the chunked load gives way on any problem but those of linking parents); a missing parent
/// is reported by the chunked load itself.
#[test]
fn a_large_file_read_a_chunk_at_a_time_reports_as_one_read_whole() {
    let dir = temp_dir("chunks");
    let clean = dir.join("clean.json");
    ok(&[
        "gen",
        HAIYAN,
        "--units",
        "8000",
        "--seed",
        "3",
        "--out",
        clean.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&clean).unwrap();
    assert!(text.len() > 1 << 20, "{} bytes", text.len());
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let last = text.rfind("{\"id\": ").unwrap();
    let whole = write(
        "whole.json",
        format!("{}{{\"备注\": 1, {}", &text[..last], &text[last + 1..]),
    );
    let parent = text[last..].find("\"parent\": \"").unwrap() + last;
    let orphan = write(
        "orphan.json",
        format!(
            "{}\"parent\": \"无此单位-{}",
            &text[..parent],
            &text[parent + 11..]
        ),
    );
    let report = |path: &Path| -> Value {
        let o = run(&["eval", HAIYAN, path.to_str().unwrap(), "--format", "json"]);
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let (chunked, whole, orphan) = (report(&clean), report(&whole), report(&orphan));
    assert_eq!(chunked["problems"], Value::Array(vec![]));
    assert_eq!(units(&chunked).len(), 8000);
    assert_eq!(chunked["units"], whole["units"]);
    let codes = |r: &Value| -> Vec<String> {
        let problems = r["problems"].as_array().unwrap();
        problems.iter().map(|p| p["code"].to_string()).collect()
    };
    assert_eq!(codes(&whole), ["\"F0014\""]);
    assert_eq!(codes(&orphan), ["\"F0006\""]);
    assert!(orphan["problems"][0]["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("无此单位-"));
    let _ = std::fs::remove_dir_all(&dir);
}
