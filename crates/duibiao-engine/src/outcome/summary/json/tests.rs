//! The summary's own JSON writer against `serde_json`: for every unit of every standard's demo
//! and cases, and for ids, names and kinds holding what JSON escapes, the bytes are those
//! `serde_json` writes for the view and for the owned [`crate::outcome::UnitSummary`].

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::SummaryView;
use crate::eval::{evaluate, Context};
use crate::facts::load;
use duibiao_compiler::graph::Graph;
use proptest::prelude::*;

/// Asserts that every unit of `facts` (a facts file of `graph`) is written as `serde_json`
/// writes it; returns how many units were compared.
fn assert_written_as_serde(graph: &Graph, facts: &str) -> usize {
    let (facts, _) = load(graph, facts, &Default::default());
    let Ok(ctx) = Context::new(graph, &facts.params, facts.as_of) else {
        return 0;
    };
    let eval = evaluate(graph, &facts.tree, &ctx);
    let mut compared = 0;
    for u in 0..facts.tree.units.len() {
        let Some(view) = SummaryView::new(graph, &facts.tree, &eval, u) else {
            continue;
        };
        let mut ours = Vec::new();
        view.write_json(&mut ours).unwrap();
        let theirs = serde_json::to_vec(&view).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
        let owned = serde_json::to_vec(&view.to_summary()).unwrap();
        assert_eq!(ours, owned);
        compared += 1;
    }
    compared
}

/// The standards and the rating scenarios, each with its facts files.
fn standards() -> Vec<(String, Vec<std::path::PathBuf>)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut out = Vec::new();
    for dir in ["standards", "tests/scenarios/ratings"] {
        let mut stds: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "std"))
            .collect();
        stds.sort();
        for std in stds {
            let folder = std.with_extension("");
            let mut files: Vec<_> = std::fs::read_dir(folder.join("cases"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| !p.to_string_lossy().ends_with(".expected.json"))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            files.extend(Some(folder.join("demo.json")).filter(|d| d.exists()));
            out.push((std::fs::read_to_string(&std).unwrap(), files));
        }
    }
    out
}

#[test]
fn every_standards_units_are_written_as_serde_json_writes_them() {
    let mut compared = 0;
    let mut seen = std::collections::BTreeSet::new();
    for (src, files) in standards() {
        let graph = duibiao_compiler::compile(&src).graph.unwrap();
        for f in files {
            compared += assert_written_as_serde(&graph, &std::fs::read_to_string(f).unwrap());
        }
        for k in &graph.kinds {
            seen.extend([
                ("veto", !k.vetoes.is_empty()),
                ("formula", k.score.is_some()),
                ("unrated", !k.unrated.is_empty()),
            ]);
        }
    }
    // Scores, totals, tiers of every verdict, `rated`, formulas and vetoes all occur among them.
    assert!(compared > 200, "{compared}");
    for what in ["veto", "formula", "unrated"] {
        assert!(seen.contains(&(what, true)), "no standard has a {what}");
    }
}

/// haiyan-2021, compiled once for every case below.
static HAIYAN: std::sync::LazyLock<Graph> = std::sync::LazyLock::new(|| {
    let src = include_str!("../../../../../../standards/haiyan-2021.std");
    duibiao_compiler::compile(src).graph.unwrap()
});

proptest! {
    /// Ids and names with quotes, backslashes, control characters and any other character.
    #[test]
    fn ids_and_names_are_escaped_as_serde_json_escapes_them(
        ids in proptest::collection::vec("[a-z\"\\\\\u{0}-\u{1f}\u{7f}é中😀]{1,6}", 1..6),
        name in proptest::option::of("[a-z\"\\\\\u{0}-\u{1f}中]{0,6}"),
    ) {
        let graph = &*HAIYAN;
        let mut units = vec![serde_json::json!({"id": "社区\"1", "kind": "社区", "name": name})];
        units.extend(ids.iter().enumerate().map(|(i, id)| {
            serde_json::json!({
                "id": format!("{id}{i}"),
                "name": name,
                "kind": "小区",
                "parent": "社区\"1",
                "scores": { "11.1": i, "11.2": 9.5 },
                "facts": { "一票否决": i == 1 },
            })
        }));
        let facts = serde_json::json!({ "units": units }).to_string();
        prop_assert_eq!(assert_written_as_serde(graph, &facts), ids.len() + 1);
    }
}

proptest! {
    /// A decimal is written as its `Display` writes it, between quotes: any mantissa of 96
    /// bits, any scale, either sign, zero and negative zero among them.
    #[test]
    fn decimals_are_written_as_they_display(
        lo in any::<u32>(),
        mid in prop_oneof![Just(0u32), any::<u32>()],
        hi in prop_oneof![Just(0u32), any::<u32>()],
        small in any::<bool>(),
        negative in any::<bool>(),
        scale in 0u32..=28,
    ) {
        let d = if small {
            rust_decimal::Decimal::from_parts(lo % 1000, 0, 0, negative, scale)
        } else {
            rust_decimal::Decimal::from_parts(lo, mid, hi, negative, scale)
        };
        let mut out = Vec::new();
        super::decimal_or_null(&mut out, Some(d)).unwrap();
        prop_assert_eq!(String::from_utf8(out).unwrap(), format!("\"{d}\""));
    }
}

#[test]
fn a_missing_decimal_is_null() {
    let mut out = Vec::new();
    super::decimal_or_null(&mut out, None).unwrap();
    assert_eq!(out, b"null");
}
