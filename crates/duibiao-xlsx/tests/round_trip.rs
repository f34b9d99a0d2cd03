//! JSON → workbook → JSON gives the same facts: for every facts file bundled with the
//! repository that loads cleanly, and for generated facts of every standard. The same facts
//! give the same document (see `common::normal`) and the same outcome, unit for unit; and the
//! same input gives the same bytes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use duibiao::{Detail, Options, Standard};
use proptest::prelude::*;

/// The facts of `json` through a workbook and back: the document read from the workbook, after
/// checking that the workbook is written the same twice and loads without a problem.
fn through_workbook(s: &Standard, json: &str) -> serde_json::Value {
    let book = duibiao_xlsx::facts_to_workbook(s, Some("facts.json"), json).unwrap();
    let again = duibiao_xlsx::facts_to_workbook(s, Some("facts.json"), json).unwrap();
    assert!(book == again, "the same facts gave two different workbooks");
    let (text, problems) = duibiao_xlsx::workbook_to_json(s, Some("facts.xlsx"), &book);
    assert!(problems.is_empty(), "{problems:#?}");
    serde_json::from_str(&text).unwrap()
}

/// Two facts documents hold the same facts: the same normal document, the same outcome (every
/// unit's, with its conditions, in the order of ids).
fn assert_same(s: &Standard, before: &str, after: &serde_json::Value, what: &str) {
    let original: serde_json::Value = serde_json::from_str(before).unwrap();
    assert_eq!(
        normal(&original),
        normal(after),
        "{what}: the documents differ"
    );
    let opts = Options::new().detail(Detail::Conditions);
    let outcome = |text: &str| {
        let (facts, problems) = s.load_facts(text);
        assert!(problems.is_empty(), "{what}: {problems:#?}");
        s.evaluate(&facts, &opts).map(|mut o| {
            o.units.sort_by(|a, b| a.id.cmp(&b.id));
            o
        })
    };
    assert_eq!(
        outcome(before),
        outcome(&after.to_string()),
        "{what}: the outcomes differ"
    );
}

#[test]
fn every_bundled_facts_file_that_loads_cleanly_comes_back_the_same() {
    let mut done = Vec::new();
    let mut passed_over = Vec::new();
    for (path, s) in bundled() {
        let json = std::fs::read_to_string(&path).unwrap();
        let shown = path
            .strip_prefix(root())
            .unwrap_or(&path)
            .display()
            .to_string();
        if !s.load_facts(&json).1.is_empty() {
            // Files of mistakes on purpose: they cannot be written (facts_to_workbook says why).
            passed_over.push(shown);
            continue;
        }
        let back = through_workbook(&s, &json);
        assert_same(&s, &json, &back, &shown);
        done.push(shown);
    }
    println!(
        "round trip: {} files; with problems, passed over: {passed_over:?}",
        done.len()
    );
    assert!(
        done.len() >= 100,
        "only {} facts files found: {done:?}",
        done.len()
    );
    for dir in ["standards/", "docs/tutorial/", "tests/scenarios/"] {
        assert!(
            done.iter().any(|d| d.starts_with(dir)),
            "nothing from {dir}"
        );
    }
}

#[test]
fn facts_with_problems_are_not_written() {
    let s = open("docs/tutorial/mulin-2024.std");
    let json = std::fs::read_to_string(root().join("docs/tutorial/facts-errors.json")).unwrap();
    let e = duibiao_xlsx::facts_to_workbook(&s, Some("facts-errors.json"), &json).unwrap_err();
    assert!(e.iter().any(|p| p.code == "F0012"), "{e:#?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Generated facts of every bundled standard (values missing, vetoes, records, dated
    /// parameters: what `duibiao gen` makes) come back the same.
    #[test]
    fn generated_facts_come_back_the_same(seed in any::<u64>(), units in 1usize..40) {
        for name in ["haiyan-2021", "zhuji-2018", "jiaxing-2016", "quality-2020", "shengzhou-2015", "chunjiang-365"] {
            let s = open(&format!("standards/{name}.std"));
            let mut json = Vec::new();
            let shape = duibiao::generate::Shape::default();
            duibiao::generate::write_forest(&s, units, seed, &shape, &mut json).unwrap();
            let json = String::from_utf8(json).unwrap();
            let back = through_workbook(&s, &json);
            assert_same(&s, &json, &back, name);
        }
    }
}

/// A percentage typed into a cell formatted as a percentage is kept as a fraction (85% as
/// 0.85); it is read as the percentage the cell shows, the same as `85` or the text `85%`.
#[test]
fn a_percentage_is_read_as_its_cell_shows_it() {
    use V::*;
    let s = Standard::compile(
        "p.std",
        "standard p { title \"到会率\" }\nkind 社区\nfacts 社区 { 到会率: percent }\n\
         tiers 社区 {\n  达标 { 到会率 >= 85% }\n}\n",
    )
    .unwrap();
    let bytes = workbook(&[(
        "社区",
        vec![
            vec![S("编号"), S("名称"), S("到会率")],
            vec![S("S1"), S("格式为百分比"), P(0.85, "0%")],
            vec![S("S2"), S("自定格式"), P(0.905, "0.0%")],
            vec![S("S3"), S("百分点"), N(85.0)],
            vec![S("S4"), S("文本"), S("85%")],
            vec![S("S5"), S("低于"), P(0.8, "0.00%")],
        ],
    )]);
    let (text, problems) = duibiao_xlsx::workbook_to_json(&s, Some("p.xlsx"), &bytes);
    assert!(problems.is_empty(), "{problems:#?}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let read: Vec<String> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["facts"]["到会率"].to_string())
        .collect();
    assert_eq!(read, ["\"85%\"", "\"90.5%\"", "85", "\"85%\"", "\"80%\""]);
    let (facts, problems) = s.load_facts(&text);
    assert!(problems.is_empty(), "{problems:#?}");
    let outcome = s.evaluate(&facts, &Options::new()).unwrap();
    let tiers: Vec<Option<&str>> = outcome.units.iter().map(|u| u.tier.as_deref()).collect();
    assert_eq!(
        tiers,
        [Some("达标"), Some("达标"), Some("达标"), Some("达标"), None]
    );
}
