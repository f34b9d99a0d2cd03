//! The reference on its own: the demo against the README's table, and the case files against
//! their `.expected.json` (written from the document's text).

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{reference, Row};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

/// `duibiao eval standards/haiyan-2021.std standards/haiyan-2021/demo.json`, from the README.
const DEMO: &[(&str, &str, Option<&str>)] = &[
    ("JD", "86", Some("标准型")),
    ("SQ1", "93", Some("示范型")),
    ("SQ2", "92", Some("标准型")),
    ("SQ3", "91", Some("标准型")),
    ("XQ11", "95", Some("示范型")),
    ("XQ12", "91", Some("示范型")),
    ("XQ13", "80", Some("标准型")),
    ("XQ21", "92.5", Some("标准型")),
    ("XQ22", "78", Some("标准型")),
    ("XQ31", "90", Some("示范型")),
    ("XQ32", "76.5", Some("标准型")),
    ("XQ33", "75", Some("标准型")),
    ("XQ34", "84", Some("标准型")),
    ("LY1", "94", Some("示范型")),
    ("LY2", "77", Some("标准型")),
    ("SC1", "88", Some("标准型")),
    ("ZZ1", "93", Some("示范型")),
    ("ZZ2", "70", None),
];

#[test]
fn demo_matches_the_readme() {
    let text = duibiao_tests::read("standards/haiyan-2021/demo.json");
    let rows = reference(&text);
    let got: Vec<(String, Option<Decimal>, Option<String>)> = rows
        .iter()
        .map(|r| (r.id.clone(), r.score, r.tier.clone()))
        .collect();
    let want: Vec<(String, Option<Decimal>, Option<String>)> = DEMO
        .iter()
        .map(|(id, s, t)| {
            (
                id.to_string(),
                Some(Decimal::from_str(s).unwrap()),
                t.map(str::to_string),
            )
        })
        .collect();
    assert_eq!(got, want);
    // The README's table has no unknown tiers: every verdict is decided.
    assert!(rows
        .iter()
        .all(|r| r.standard != "unknown" && r.demonstration != "unknown"));
}

/// Every case file: score, tier and both verdicts of every unit in its `.expected.json`.
#[test]
fn cases_match_their_expected_files() {
    let dir = duibiao_tests::root().join("standards/haiyan-2021/cases");
    let mut checked = 0;
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".expected.json"))
        .collect();
    names.sort();
    for name in names {
        let case = name.trim_end_matches(".expected.json");
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(&name)).unwrap()).unwrap();
        let rows = reference(&std::fs::read_to_string(dir.join(format!("{case}.json"))).unwrap());
        let units = expected["units"].as_object().unwrap();
        let mut loaded: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let mut listed: Vec<&str> = units.keys().map(String::as_str).collect();
        loaded.sort_unstable();
        listed.sort_unstable();
        assert_eq!(loaded, listed, "{case}: units loaded");
        for (id, want) in units {
            let r: &Row = rows.iter().find(|r| &r.id == id).unwrap();
            let score = want["score"]
                .as_str()
                .map(|s| Decimal::from_str(s).unwrap());
            assert_eq!(r.score, score, "{case} {id}: score");
            assert_eq!(
                r.tier.as_deref(),
                want["tier"].as_str(),
                "{case} {id}: tier"
            );
            assert_eq!(r.standard, want["tiers"]["标准型"], "{case} {id}: 标准型");
            assert_eq!(
                r.demonstration, want["tiers"]["示范型"],
                "{case} {id}: 示范型"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} units checked");
}
