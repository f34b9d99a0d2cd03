//! The direct reader takes the plain units of a file and gives up on every other shape, and what
//! it stores is what the whole loader stores for the same unit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::super::Loader;
use crate::facts::FactsLimits;
use duibiao_compiler::graph::Graph;
use duibiao_compiler::Value;

/// A standard with a text fact, an enumeration, a count and points.
const STANDARD: &str = r#"
standard direct-test { title "直读" }
kind 镇 contains 村
kind 村
facts 村 {
  达标: bool "达标"
  户数: int "户数"
  档次: enum(一, 二, 三) "档次"
}
facts 镇 {
  备注: text "备注"
}
scorecard 村 total 20 {
  item 1 "甲" max 10
  item 2 "乙" max 10
}
"#;

/// The inputs of the unit `text` holds, when the direct reader takes it; checked against what
/// the loader stores for the same unit read through `serde_json`.
fn direct(graph: &Graph, text: &str) -> Option<Vec<Value>> {
    let mut loader = Loader::for_part(graph, &FactsLimits::default(), text);
    if !loader.read_direct(text) {
        assert!(loader.units.is_empty(), "{text}: a unit kept");
        assert!(loader.raw.id.is_none(), "{text}: its id kept");
        return None;
    }
    let (facts, problems) = crate::facts::load(
        graph,
        &format!(r#"{{"units": [{text}]}}"#),
        &Default::default(),
    );
    let codes =
        |errors: &[crate::facts::FactsError]| errors.iter().map(|e| e.code).collect::<Vec<_>>();
    assert_eq!(codes(&loader.in_units), codes(&problems), "{text}");
    let Some(unit) = loader.units.first() else {
        assert!(facts.tree.units.is_empty(), "{text}: not stored");
        return Some(Vec::new());
    };
    let read = facts.tree.units.first().expect("the unit loaded");
    assert_eq!((&*unit.id, unit.kind), (&*read.id, read.kind), "{text}");
    assert_eq!(unit.inputs, read.inputs, "{text}");
    Some(unit.inputs.iter().collect())
}

#[test]
fn a_plain_unit_is_read_into_its_inputs() {
    let graph = crate::testing::compiled(STANDARD);
    let got = direct(
        &graph,
        r#"{"id": "C1", "kind": "村", "scores": {"2": 7.50, "1": 10},
            "facts": {"户数": 120, "达标": true, "档次": "二"}}"#,
    )
    .expect("read directly");
    let slot = |key: &str| graph.kinds[1].input(key).unwrap();
    let d = |s: &str| Value::Num(s.parse().unwrap());
    assert_eq!(got[slot("户数")], d("120"));
    assert_eq!(got[slot("达标")], Value::Bool(true));
    assert_eq!(got[slot("档次")], Value::Enum(1));
    assert_eq!(got[slot("1")], d("10"));
    assert_eq!(got[slot("2")], d("7.5"));
    // Keys in another order than the unit before, `null`, and no `facts` at all.
    let mut loader = Loader::for_part(&graph, &FactsLimits::default(), "");
    for text in [
        r#"{"id": "C1", "kind": "村", "scores": {"1": 3, "2": 4}}"#,
        r#"{"id": "C2", "kind": "村", "scores": {"2": 5, "1": null}, "facts": null}"#,
    ] {
        assert!(loader.read_direct(text), "{text}");
    }
    let c2 = &loader.units[1].inputs;
    assert_eq!(c2.get(slot("2")), Some(d("5")));
    assert_eq!(c2.get(slot("1")), Some(Value::Unknown));
    // A unit with a problem the loader reports (an empty id) is still read, and reported.
    assert!(direct(&graph, r#"{"id": " ", "kind": "村"}"#).is_some());
}

#[test]
fn every_other_unit_is_left_to_the_loader() {
    let graph = crate::testing::compiled(STANDARD);
    let given_up = [
        // `facts` or `scores` before `kind`, or no kind at all.
        r#"{"id": "C1", "scores": {"1": 3}, "kind": "村"}"#,
        r#"{"id": "C1", "facts": {"达标": true}}"#,
        // A kind that is not one, or not a string.
        r#"{"id": "C1", "kind": "县", "scores": {"1": 3}}"#,
        r#"{"id": "C1", "kind": 3}"#,
        // A kind with text facts, when its `facts` are given.
        r#"{"id": "Z", "kind": "镇", "facts": {"备注": "有"}}"#,
        r#"{"id": "Z", "kind": "镇", "facts": null}"#,
        // A key that is no input, or an input twice.
        r#"{"id": "C1", "kind": "村", "scores": {"3": 1}}"#,
        r#"{"id": "C1", "kind": "村", "facts": {"户": 1}}"#,
        r#"{"id": "C1", "kind": "村", "scores": {"1": 1, "1": 2}}"#,
        r#"{"id": "C1", "kind": "村", "facts": {"达标": true, "达标": false}}"#,
        // A score key under `facts`, a fact under `scores`.
        r#"{"id": "C1", "kind": "村", "facts": {"1": 1}}"#,
        r#"{"id": "C1", "kind": "村", "scores": {"达标": true}}"#,
        // Values the input does not take: points out of range, a fraction of a count, a wrong
        // type, a level that is not one.
        r#"{"id": "C1", "kind": "村", "scores": {"1": 10.5}}"#,
        r#"{"id": "C1", "kind": "村", "scores": {"1": -1}}"#,
        r#"{"id": "C1", "kind": "村", "facts": {"户数": 1.5}}"#,
        r#"{"id": "C1", "kind": "村", "facts": {"达标": 1}}"#,
        r#"{"id": "C1", "kind": "村", "facts": {"档次": "四"}}"#,
        // Shapes the byte reader gives up on.
        r#"{"id": "C1", "kind": "村", "scores": {"1": 01}}"#,
        r#"{"id": "C\u0031", "kind": "村"}"#,
        r#"{"id": "C1", "kind": "村", "extra": 1}"#,
    ];
    for text in given_up {
        assert_eq!(direct(&graph, text), None, "{text} was read directly");
    }
    // What the reader takes as it is, a unit of a kind with text facts but without `facts`.
    assert!(direct(&graph, r#"{"id": "Z", "kind": "镇"}"#).is_some());
}

/// A key found where the last unit of its kind had it is taken without being looked up, but only
/// whole and written as it is: a longer key, an escaped one or one given twice is not.
#[test]
fn keys_where_the_last_unit_had_them_are_matched_whole() {
    let graph = crate::testing::compiled(STANDARD);
    let slot = |key: &str| graph.kinds[1].input(key).unwrap();
    let d = |s: &str| Some(Value::Num(s.parse().unwrap()));
    let mut loader = Loader::for_part(&graph, &FactsLimits::default(), "");
    for text in [
        r#"{"id": "C1", "kind": "村", "scores": {"1": 3, "2": 4}}"#,
        r#"{"id": "C2", "kind": "村", "scores": {"1": 5, "2": 6}}"#,
    ] {
        assert!(loader.read_direct(text), "{text}");
    }
    let c2 = &loader.units[1].inputs;
    assert_eq!((c2.get(slot("1")), c2.get(slot("2"))), (d("5"), d("6")));
    for text in [
        r#"{"id": "C3", "kind": "村", "scores": {"10": 5}}"#,
        r#"{"id": "C3", "kind": "村", "scores": {"\u0031": 5}}"#,
        r#"{"id": "C3", "kind": "村", "scores": {"1": 5, "1": 6}}"#,
        r#"{"id": "C3", "kind": "村", "scores": {"1": 5, "2": 6, "2": 7}}"#,
    ] {
        assert!(!loader.read_direct(text), "{text} was read directly");
    }
    assert!(loader.read_direct(r#"{"id": "C4", "kind": "村", "scores": {"2": 1, "1": 2}}"#));
    let c4 = &loader.units[2].inputs;
    assert_eq!((c4.get(slot("1")), c4.get(slot("2"))), (d("2"), d("1")));
}
