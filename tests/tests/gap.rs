//! Gap plans are correct: on random forests, applying a plan's changes (as `--set` would) makes the
//! unit reach the target tier, and no single points change of the plan can be dropped.

use duibiao::{Assignment, Options, Standard, Verdict};
use duibiao_tests::generate::forest;
use duibiao_tests::{codes, standard};
use proptest::prelude::*;
use std::sync::OnceLock;

fn haiyan() -> &'static Standard {
    static S: OnceLock<Standard> = OnceLock::new();
    S.get_or_init(|| standard("haiyan-2021"))
}

/// The target tier's verdict for `unit` after loading `facts` and applying `sets`.
fn verdict_after(facts: &str, sets: &[String], unit: &str, tier: &str) -> Verdict {
    let s = haiyan();
    let (loaded, _) = s.load_facts(facts);
    let options = sets
        .iter()
        .fold(Options::new(), |o, a| o.set(Assignment::Text(a.clone())));
    let o = s
        .evaluate(&loaded, &options)
        .unwrap_or_else(|e| panic!("{sets:?}: {e:?}"));
    let u = o
        .units
        .iter()
        .find(|u| u.id == unit)
        .unwrap_or_else(|| panic!("{unit}"));
    u.tiers[tier]
}

fn assignment(c: &duibiao::Change, value: &serde_json::Value) -> String {
    format!("{}.{}={}", c.unit, c.key, value)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn plans_reach_their_target_and_their_points_are_minimal(seed: u64, pick: u64, which: u64) {
        let s = haiyan();
        let facts = forest(s, seed, 5).to_string();
        let (loaded, _) = s.load_facts(&facts);
        // A unit, and one of its kind's tiers (an outcome lists them all, lowest first).
        let now = s.evaluate(&loaded, &Options::new()).unwrap_or_else(|e| panic!("{e:?}"));
        let unit = &now.units[(pick % now.units.len() as u64) as usize];
        let tiers: Vec<&String> = unit.tiers.keys().collect();
        let tier = tiers[(which % tiers.len() as u64) as usize];
        let report = s.gap(&loaded, &unit.id, tier, &Options::new()).unwrap_or_else(|e| panic!("{e}"));
        if !report.reachable {
            prop_assert!(!report.reasons.is_empty(), "unreachable without a reason");
            return Ok(());
        }
        let sets: Vec<String> = report.changes.iter().map(|c| assignment(c, &c.to)).collect();
        prop_assert_eq!(verdict_after(&facts, &sets, &unit.id, tier), Verdict::Pass, "plan {:?}", sets);
        // Minimality: undoing any one points change misses the target.
        for (i, c) in report.changes.iter().enumerate() {
            let points = c.key.chars().all(|ch| ch.is_ascii_digit() || ch == '.');
            if !points {
                continue;
            }
            let mut fewer = sets.clone();
            fewer[i] = assignment(c, &c.from);
            prop_assert_ne!(verdict_after(&facts, &fewer, &unit.id, tier), Verdict::Pass, "change {} of {:?} is not needed", i, sets);
        }
    }
}

#[test]
fn a_community_short_of_its_share_lifts_the_closest_compound() {
    let s = haiyan();
    let facts = duibiao_tests::read("standards/haiyan-2021/demo.json");
    let (loaded, _) = s.load_facts(&facts);
    let r = s
        .gap(&loaded, "SQ3", "示范型", &Options::new())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.reachable);
    assert_eq!(r.current.as_deref(), Some("标准型"));
    // The one unmet condition: 1 of 4 小区 示范型 (25%) against 30%.
    let issues: Vec<(&str, Verdict)> = r
        .issues
        .iter()
        .map(|i| {
            (
                i.condition.label.as_deref().unwrap_or(""),
                i.condition.verdict,
            )
        })
        .collect();
    assert_eq!(issues, vec![("小区示范型比例", Verdict::Fail)]);
    // XQ34 (84 points) is the closest to 90: two parts with the most headroom are raised.
    let changes: Vec<String> = r.changes.iter().map(|c| assignment(c, &c.to)).collect();
    assert_eq!(changes, vec!["XQ34.12.1=9", "XQ34.13.3=10"]);
}

#[test]
fn unreachable_targets_say_why() {
    let s = haiyan();
    // A lone 小区 with a veto and 74 points can be lifted; a 社区 with no 小区 cannot reach
    // 示范型, whose share of 小区 is unknown with none.
    let facts = serde_json::json!({"units": [
        {"id": "SQ", "kind": "社区", "scores": {"6.1": 10, "6.2": 10, "7.1": 10, "7.2": 10, "8.1": 10, "8.2": 10, "9.1": 5, "9.2": 10, "10.1": 5, "10.2": 10, "10.3": 10},
         "facts": {"一票否决": false, "社会组织有效融入": true, "社会组织充分融入": true}}
    ]});
    let (loaded, _) = s.load_facts(&facts.to_string());
    let r = s
        .gap(&loaded, "SQ", "示范型", &Options::new())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!r.reachable);
    assert!(!r.reasons.is_empty());
    // No such tier, no such unit.
    let gap = |unit: &str, tier: &str| codes(s.gap(&loaded, unit, tier, &Options::new()));
    assert_eq!(gap("SQ", "金牌"), ["G0001"]);
    assert_eq!(gap("NOPE", "示范型"), ["F0015"]);
}

/// A plan's change of a scorecard item names it: by its part's text, by the item's description,
/// or, for an item of no parts and no description, by the item's title.
#[test]
fn a_change_names_the_item_it_scores() {
    let source = r#"standard named { title "命名" }
kind 小区
scorecard 小区 total 20 cite "附件" {
  item 1 "组织建设" max 10分
  item 2 "阵地建设" max 5分 "支部按期换届"
  item 3 "服务" max 5分 {
    part 1 "每周开放" 5分
  }
}
tiers 小区 { 达标 { score >= 20 } }
"#;
    let s = Standard::compile("named.std", source).unwrap_or_else(|e| panic!("{e}"));
    let (loaded, problems) = s.load_facts(
        r#"{"units": [{"id": "XQ", "kind": "小区", "scores": {"1": 0, "2": 0, "3.1": 0}}]}"#,
    );
    assert!(problems.is_empty(), "{problems:?}");
    let r = s
        .gap(&loaded, "XQ", "达标", &Options::new())
        .unwrap_or_else(|e| panic!("{e}"));
    let named: Vec<(&str, Option<&str>, Option<&str>)> = r
        .changes
        .iter()
        .map(|c| (c.key.as_str(), c.text.as_deref(), c.clause.as_deref()))
        .collect();
    assert_eq!(
        named,
        [
            ("1", Some("组织建设"), Some("附件 第1项")),
            ("2", Some("支部按期换届"), Some("附件 第2项")),
            ("3.1", Some("每周开放"), Some("附件 第3项")),
        ]
    );
}
