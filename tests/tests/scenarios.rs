//! Independent rating scenarios (issue 16): real star-rating notices encoded as a policy writer
//! would, in `tests/scenarios/ratings/<slug>.std`, each with cases in `<slug>/cases/` whose
//! expected files give every unit's score, tier and tier verdicts as the notice's text implies,
//! written before the scenarios were first run (see the folder's README).
//!
//! Every case is run by `duibiao test`'s runner and compared in full. Where duibiao's result
//! differs from the text, the difference is listed in `divergences.json` with the reason (the
//! language cannot express the rule, or its reasoning leaves a decided verdict unknown): the test
//! fails on any other difference, and on a listed one that no longer occurs (so the list is
//! updated when the language gains what was missing).

use duibiao::cases::{self, Expected};
use duibiao::Lang;
use duibiao_tests::{case_files, compile_file, read, root};
use serde_json::Value;
use std::collections::BTreeSet;

const DIR: &str = "tests/scenarios/ratings";

/// One difference: the case (`slug/name`), the path in its expected file, the expected and the
/// actual value (as JSON text).
type Difference = (String, String, String, String);

/// The differences `divergences.json` lists, each with its stated reason.
fn listed() -> BTreeSet<Difference> {
    let text = read(&format!("{DIR}/divergences.json"));
    let list: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    list.iter()
        .map(|d| {
            let field = |k: &str| d.get(k).unwrap_or_else(|| panic!("{d}: no `{k}`"));
            let why = field("why").as_str().unwrap_or_default();
            assert!(why.chars().count() > 20, "{d}: the reason is not stated");
            let text = |k: &str| field(k).as_str().unwrap_or_default().to_string();
            (
                text("case"),
                text("path"),
                field("expected").to_string(),
                field("actual").to_string(),
            )
        })
        .collect()
}

/// The notices: every `.std` file of the folder, by slug.
fn slugs() -> Vec<String> {
    let dir = root().join(DIR);
    let mut slugs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter_map(|n| n.strip_suffix(".std").map(String::from))
        .collect();
    slugs.sort();
    slugs
}

#[test]
fn rating_scenarios_come_out_as_their_notices_imply() {
    let slugs = slugs();
    assert!(slugs.len() >= 4, "only {} notices", slugs.len());
    let mut found = BTreeSet::new();
    let mut report = Vec::new();
    for slug in slugs {
        let std = compile_file(&format!("{DIR}/{slug}.std"));
        let folder = format!("{DIR}/{slug}/cases");
        let files = case_files(&folder);
        assert!(files.len() >= 2, "{slug}: only {} cases", files.len());
        for file in files {
            let name = file.trim_end_matches(".json");
            let expected_file = format!("{folder}/{name}.expected.json");
            let expected = Expected::parse(&expected_file, &read(&expected_file))
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                expected.complete_units(),
                "{expected_file}: `units` must list every unit's score, tier and tiers"
            );
            let facts = read(&format!("{folder}/{file}"));
            let run = cases::run(&std, name, Some(&file), &facts, &expected)
                .unwrap_or_else(|e| panic!("{slug}/{name}: {e:?}"));
            for m in &run.mismatches {
                let case = format!("{slug}/{name}");
                report.push(format!(
                    "{case}: {}",
                    cases::report::mismatch_text(m, Lang::En).trim_end()
                ));
                let value = |v: &Option<Value>| v.clone().unwrap_or(Value::Null).to_string();
                found.insert((case, m.path.clone(), value(&m.expected), value(&m.actual)));
            }
        }
    }
    let listed = listed();
    let new: Vec<_> = found.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&found).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "differences from the notices' texts not in divergences.json: {new:#?}\n\
         listed in divergences.json but no longer found: {gone:#?}\n\
         all differences:\n{}",
        report.join("\n")
    );
}

/// A cap that does not apply, with its level unknown (last year's star not given), is explained
/// by its rule and what it read: `至多 未知` read as a limit still in doubt.
#[test]
fn a_cap_not_applying_is_not_shown_as_an_unknown_limit() {
    let std = compile_file(&format!("{DIR}/pukou-2015.std"));
    let (facts, errors) = std.load_facts(&read(&format!("{DIR}/pukou-2015/cases/step.json")));
    assert!(errors.is_empty(), "{errors:?}");
    let options = duibiao::Options::new();
    let outcome = std
        .evaluate(&facts, &options)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let u09 = outcome.units.iter().find(|u| u.id == "U09").expect("U09");
    let text = duibiao::explain_text(u09, Lang::Zh);
    assert!(
        text.contains(
            "(读作降一级)：上年星级 - 1 when 一票否决（上年星级 未知，一票否决 否）（不适用）"
        ),
        "{text}"
    );
    assert!(
        !text.contains("至多 未知（上年星级 - 1 when 一票否决）"),
        "{text}"
    );
}

/// A cap whose condition and level read the same missing star: whatever last year's star was,
/// the cap leaves 四星 and below alone, so they are decided (each reading alone is unknown).
#[test]
fn a_missing_fact_read_twice_is_decided_when_every_value_agrees() {
    let source = r#"
standard r { title "r" }
kind 支部
facts 支部 { 上年星级: tier  表彰: bool }
scorecard 支部 total 100 { item 1 "整体" max 100 }
tiers 支部 { 一星 {} 二星 requires 一星 { score >= 70 } 四星 requires 二星 { score >= 90 } 五星 requires 四星 { score >= 95 } }
cap 支部 不晋级: 上年星级 when 上年星级 >= 四星
cap 支部 逐级: 上年星级 + 1 unless 表彰 or 上年星级 == 无
"#;
    let std = duibiao::Standard::compile("r.std", source).unwrap_or_else(|e| panic!("{e:?}"));
    let facts = r#"{"units": [
        {"id": "A", "kind": "支部", "scores": {"1": 96}, "facts": {"表彰": true}},
        {"id": "B", "kind": "支部", "scores": {"1": 96}, "facts": {"表彰": false}},
        {"id": "C", "kind": "支部", "scores": {"1": 96}, "facts": {}}
    ]}"#;
    let (facts, errors) = std.load_facts(facts);
    assert!(errors.is_empty(), "{errors:?}");
    let outcome = std
        .evaluate(&facts, &duibiao::Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let tiers = |id: &str| {
        let u = outcome.units.iter().find(|u| u.id == id).expect("unit");
        let v: Vec<String> = u.tiers.values().map(|v| format!("{v:?}")).collect();
        (u.tier.clone(), v.join(" "))
    };
    // With the honour only the first cap can stop it, and only at 四星 or above.
    assert_eq!(
        tiers("A"),
        (Some("四星".into()), "Pass Pass Pass Unknown".into())
    );
    // Without it, one step above any star (or no step from 无) is at least 二星.
    assert_eq!(
        tiers("B"),
        (Some("二星".into()), "Pass Pass Unknown Unknown".into())
    );
    // The honour unknown too: two missing facts tried together.
    assert_eq!(
        tiers("C"),
        (Some("二星".into()), "Pass Pass Unknown Unknown".into())
    );
}

/// A cap that does not apply, whose level is unknown and which reads no fact of the unit (its
/// level counts the sub-units, its condition is a parameter), is explained by its rule alone.
#[test]
fn a_cap_not_applying_that_reads_no_fact_is_shown_by_its_rule() {
    let source = r#"
standard r { title "r" }
param 严格: bool = false "严格"
kind 镇 contains 村
kind 村
facts 村 { 达标: bool }
tiers 镇 { 一星 {} 二星 requires 一星 {} }
cap 镇 看村: if (all 村 where (达标)) then 二星 else 一星 when 严格
"#;
    let facts = r#"{"units": [
        {"id": "Z", "kind": "镇"},
        {"id": "C1", "kind": "村", "parent": "Z", "facts": {"达标": true}},
        {"id": "C2", "kind": "村", "parent": "Z"}
    ]}"#;
    let outcome = duibiao_tests::outcome_of(source, facts);
    let z = outcome.units.iter().find(|u| u.id == "Z").expect("Z");
    assert_eq!(z.tier.as_deref(), Some("二星"));
    let text = duibiao::explain_text(z, Lang::Zh);
    let rule = "：if (all 村 where (达标)) then 二星 else 一星 when 严格";
    assert!(text.contains(&format!("{rule}（不适用）")), "{text}");
}
