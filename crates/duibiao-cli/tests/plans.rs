//! `gap`, `diff` and `--set` from the command line.
#![allow(clippy::panic)] // Test helpers fail the test by panicking.

mod common;

use common::{run as duibiao, run_with_input, DEMO, ROOT, STD};
use std::path::Path;

#[test]
fn gap_plan_applied_with_set_reaches_the_tier() {
    let out = duibiao(&[
        "gap",
        STD,
        DEMO,
        "SQ3",
        "--to",
        "示范型",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plan: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan["reachable"], true);
    let sets: Vec<String> = plan["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("no changes"))
        .iter()
        .map(|c| {
            format!(
                "{}.{}={}",
                c["unit"].as_str().unwrap_or(""),
                c["key"].as_str().unwrap_or(""),
                c["to"]
            )
        })
        .collect();
    assert!(!sets.is_empty());
    let mut args = vec!["eval", STD, DEMO, "--format", "json"];
    for s in &sets {
        args.push("--set");
        args.push(s);
    }
    let out = duibiao(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcome: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let sq3 = outcome["units"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["id"] == "SQ3"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(sq3["tier"], "示范型");
}

#[test]
fn gap_text_lists_issues_and_changes() {
    let out = duibiao(&["gap", STD, DEMO, "JD", "--to", "示范型"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("问题清单") && text.contains("提升清单") && text.contains("得分90分以上"),
        "{text}"
    );
    assert!(text.contains("--set JD."), "{text}");
}

#[test]
fn gap_errors_exit_1() {
    let out = duibiao(&["gap", STD, DEMO, "NOPE", "--to", "示范型"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE"));
    let out = duibiao(&["gap", STD, DEMO, "SQ3", "--to", "金牌"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("金牌"));
}

#[test]
fn bad_set_is_reported_and_exits_1_with_results() {
    let out = duibiao(&[
        "eval",
        STD,
        DEMO,
        "--set",
        "XQ34.12.1=99",
        "--set",
        "NOPE.1.1=3",
        "--set",
        "garbage",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("F0012") && err.contains("NOPE") && err.contains("garbage"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("XQ34"));
}

#[test]
fn diff_reports_changed_units() {
    let dir = std::env::temp_dir().join(format!("duibiao-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut facts: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join(DEMO)).unwrap_or_default(),
    )
    .unwrap_or_default();
    for u in facts["units"].as_array_mut().into_iter().flatten() {
        if u["id"] == "XQ34" {
            u["scores"]["12.1"] = serde_json::json!(9);
            u["scores"]["13.3"] = serde_json::json!(10);
        }
    }
    let after = dir.join("after.json");
    std::fs::write(&after, facts.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let out = duibiao(&[
        "diff",
        STD,
        DEMO,
        after.to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let ids: Vec<&str> = d["changed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["SQ3", "XQ34"]);
    assert_eq!(d["changed"][1]["score"], serde_json::json!(["84", "90"]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn live_reports_what_each_change_moves() {
    let out = run_with_input(
        &["live", STD, DEMO],
        b"XQ34.13.3=10\nXQ34.12.1=9\nXQ34.12.1=11\n",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("小区 XQ34: 88 标准型 → 90 示范型"), "{text}");
    assert!(text.contains("社区 SQ3: 91 标准型 → 91 示范型"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("F0012"));
    assert_eq!(out.status.code(), Some(1));
}
