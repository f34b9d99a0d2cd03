//! The limits a standard is compiled and its facts loaded within (issue 13, item 2): each has a
//! default, can be raised, and what goes beyond one is a coded problem naming the limit — never a
//! crash, never a memory that grows with a hostile input.

use duibiao::{Limits, Problem, Standard};
use duibiao_tests::unit_key;
use serde_json::json;

const SOURCE: &str = r#"
standard limits { title "limits" }
kind 街道 contains 社区
kind 社区
facts 社区 { 户数: int }
requirements 社区 基本 { 户数达标: 户数 >= 1 }
tiers 社区 { 达标 { 基本 } }
"#;

fn limited(limits: &Limits) -> Standard {
    Standard::compile_with("limits.std", SOURCE, limits)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)))
}

fn codes(problems: &[Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.code.as_str()).collect()
}

/// A street and `n` communities.
fn street(n: usize) -> String {
    let mut units = vec![json!({"id": "JD", "kind": "街道"})];
    units.extend((0..n).map(
        |i| json!({"id": format!("SQ{i}"), "kind": "社区", "parent": "JD", "facts": {"户数": 3}}),
    ));
    json!({ "units": units }).to_string()
}

#[test]
fn units_beyond_the_limit_are_left_out_with_one_problem() {
    let s = limited(&Limits::new().with("units", 4).unwrap());
    let (facts, problems) = s.load_facts(&street(10));
    assert_eq!(codes(&problems), ["F0018"]);
    assert_eq!(unit_key(&problems[0]), (None, Some("units")));
    assert!(
        problems[0]
            .message
            .en
            .contains("7 units beyond the limit `units` of 4"),
        "{}",
        problems[0].message.en
    );
    assert!(problems[0]
        .help
        .as_ref()
        .unwrap()
        .en
        .contains("--limit units="));
    let outcome = s.evaluate(&facts, &Default::default()).unwrap();
    let ids: Vec<&str> = outcome.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["JD", "SQ0", "SQ1", "SQ2"]);
    // Raised, they are all loaded.
    let raised = s.with_limits(&Limits::new().with("units", 11).unwrap());
    let (_, problems) = raised.load_facts(&street(10));
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn an_id_beyond_the_limit_leaves_its_unit_out() {
    let s = limited(&Limits::new().with("id_chars", 4).unwrap());
    let text = json!({"units": [
        {"id": "街道街道街道", "kind": "街道"},
        {"id": "SQ1", "kind": "社区", "parent": "街道街道街道", "facts": {"户数": 3}}
    ]})
    .to_string();
    let (facts, problems) = s.load_facts(&text);
    assert_eq!(codes(&problems), ["F0018", "F0006"]);
    assert_eq!(unit_key(&problems[0]), (None, Some("units[0].id")));
    // Counted in characters, not bytes; the message does not repeat the long id.
    assert!(problems[0].message.zh.contains("单位编号有 6 个字符"));
    assert!(!problems[0].message.zh.contains("街道街道"));
    assert_eq!(facts.len(), 1);
}

#[test]
fn a_name_beyond_the_limit_is_cut_and_reported() {
    let s = limited(&Limits::default());
    let long = "社".repeat(100_000);
    let text = json!({"units": [{"id": "JD", "kind": "街道", "name": long}]}).to_string();
    let (facts, problems) = s.load_facts(&text);
    assert_eq!(codes(&problems), ["F0018"]);
    assert_eq!(unit_key(&problems[0]), (Some("JD"), Some("name")));
    assert!(problems[0].message.en.contains("100000 characters"));
    let outcome = s.evaluate(&facts, &Default::default()).unwrap();
    assert_eq!(
        outcome.units[0].name.as_deref(),
        Some("社".repeat(1024).as_str())
    );
}

#[test]
fn facts_beyond_the_size_limit_are_not_loaded() {
    let s = limited(&Limits::new().with("facts_bytes", 100).unwrap());
    let text = street(10);
    let (facts, problems) = s.load_facts(&text);
    assert_eq!(codes(&problems), ["F0018"]);
    assert!(problems[0]
        .message
        .en
        .contains(&format!("the facts are {} bytes", text.len())));
    assert!(facts.is_empty());
    // Read from a file, the size is known before reading.
    let dir = std::env::temp_dir().join(format!("duibiao-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("facts.json");
    std::fs::write(&path, &text).unwrap();
    let problems = s.limits().read_facts(&path).unwrap_err();
    assert_eq!(
        problems.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(),
        ["F0018"]
    );
    assert_eq!(
        Limits::new().read_facts(&path).map_err(|e| e.0),
        Ok(text.clone())
    );
    std::fs::remove_dir_all(&dir).unwrap();
    // The limit itself is within it: facts of exactly that many bytes load.
    let exact = limited(&Limits::new().with("facts_bytes", text.len()).unwrap());
    let (facts, problems) = exact.load_facts(&text);
    assert!(problems.is_empty() && !facts.is_empty(), "{problems:?}");
    let one_less = limited(&Limits::new().with("facts_bytes", text.len() - 1).unwrap());
    assert_eq!(codes(&one_less.load_facts(&text).1), ["F0018"]);
}

#[test]
fn a_source_beyond_the_size_limit_is_e0007() {
    let small = Limits::new().with("source_bytes", 100).unwrap();
    let e = Standard::compile_with("limits.std", SOURCE, &small).unwrap_err();
    assert_eq!(codes(&e.0), ["E0007"]);
    assert!(e.0[0]
        .message
        .en
        .contains("larger than the limit of 100 bytes"));
    let dir = std::env::temp_dir().join(format!("duibiao-source-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("limits.std");
    std::fs::write(&path, SOURCE).unwrap();
    let e = Standard::open_with(&path, &small).unwrap_err();
    assert_eq!(codes(&e.0), ["E0007"]);
    assert!(Standard::open_with(&path, &Limits::new()).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A requirement whose threshold is nested `depth` parentheses deep.
fn nested(depth: usize) -> String {
    let expr = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
    SOURCE.replace("户数 >= 1", &format!("户数 >= {expr}"))
}

#[test]
fn nesting_can_be_raised_up_to_its_ceiling() {
    let deep = nested(100);
    let e = Standard::compile("deep.std", &deep).unwrap_err();
    assert_eq!(codes(&e.0), ["E0006"]);
    assert!(e.0[0].help.as_ref().unwrap().en.contains("`nesting`"));
    let raised = Limits::new().with("nesting", 100).unwrap();
    assert!(Standard::compile_with("deep.std", &deep, &raised).is_ok());
    // Asked for more than the parse's stack holds, nesting stays at the ceiling, which compiles
    // (on a test thread's small stack too).
    let most = Limits::new().with("nesting", 100_000).unwrap();
    assert_eq!(most.nesting, Limits::MAX_NESTING);
    assert!(Standard::compile_with("deep.std", &nested(Limits::MAX_NESTING), &most).is_ok());
    let e =
        Standard::compile_with("deep.std", &nested(Limits::MAX_NESTING + 1), &most).unwrap_err();
    assert_eq!(codes(&e.0), ["E0006"]);
    assert!(e.0[0].message.en.contains("limit of 256"));
}

#[test]
fn limits_are_named_alike_everywhere() {
    let mut l = Limits::new();
    for (i, name) in Limits::NAMES.iter().enumerate() {
        l = l.with(name, i + 1).unwrap();
    }
    assert_eq!(
        serde_json::to_value(l).unwrap(),
        json!({"source_bytes": 1, "nesting": 2, "facts_bytes": 3, "units": 4, "id_chars": 5, "name_chars": 6})
    );
    assert!(Limits::new().with("rows", 1).is_none());
    // A protocol request may give some of them; the rest keep their defaults.
    let some: Limits = serde_json::from_value(json!({"units": 7})).unwrap();
    assert_eq!(some, Limits::new().with("units", 7).unwrap());
}
