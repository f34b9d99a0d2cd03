//! The engine's output types read back what they write: for every standard's demo facts, the
//! outcome with detail, the progress report, a diff and a gap plan are serialized, deserialized
//! into an equal value, and serialized again into the same text (the JSON protocol other
//! languages read is exactly what the types describe).

use duibiao::{
    Assignment, Change, Detail, Diff, Facts, GapReport, GuideReport, MissingParam, Options,
    Outcome, Progress, Standard, UnitOutcome, UnitSummary,
};
use duibiao_engine::gap::Plan;
use duibiao_tests::read;
use duibiao_tests::STANDARDS;
use serde_json::Value;

/// Serializes `$value` (of type `$ty`), reads it back, and checks that it is equal and writes the
/// same text; gives the text. (A macro: this crate names no serde traits.)
macro_rules! roundtrip {
    ($what:expr, $ty:ty, $value:expr) => {{
        let what: &str = &$what;
        let value: &$ty = $value;
        let text = serde_json::to_string(value).unwrap_or_else(|e| panic!("{what}: {e}"));
        let back: $ty =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}\n{text}"));
        assert_eq!(&back, value, "{what}: read back differs");
        let again = serde_json::to_string(&back).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(again, text, "{what}: written again differs");
        // Pretty text too, as the command line writes it.
        let pretty = serde_json::to_string_pretty(value).unwrap_or_else(|e| panic!("{what}: {e}"));
        let back: $ty = serde_json::from_str(&pretty).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(&back, value, "{what}: read back from pretty text differs");
        text
    }};
}

/// Loads facts that must load without problems.
fn load(s: &Standard, what: &str, text: &str) -> Facts {
    let (facts, errors) = s.load_facts(text);
    assert!(errors.is_empty(), "{what}: facts do not load: {errors:?}");
    facts
}

/// The facts file `text` with `changes` made to it, as a facts file writes them.
fn changed(s: &Standard, text: &str, changes: &[Change]) -> String {
    let mut facts: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    let units = facts["units"]
        .as_array_mut()
        .unwrap_or_else(|| panic!("no units"));
    for c in changes {
        let unit = units
            .iter_mut()
            .find(|u| u["id"] == c.unit.as_str())
            .unwrap_or_else(|| panic!("no unit {}", c.unit));
        // A scored part's key is a key of the kind's `scores`; any other is a fact.
        let kind = unit["kind"].as_str().unwrap_or_default().to_string();
        let template = s.template(&kind).unwrap_or_else(|e| panic!("{e}"));
        let field = if template["units"][0]["scores"].get(&c.key).is_some() {
            "scores"
        } else {
            "facts"
        };
        unit[field][&c.key] = c.to.clone();
    }
    facts.to_string()
}

#[test]
fn outcomes_progress_and_diffs_read_back_what_they_write() {
    // Units whose outcome the gap plans change, over all standards.
    let mut moved_units = 0;
    for slug in STANDARDS {
        let compiled = duibiao_tests::engine::standard(slug);
        let s = &compiled.standard;
        let text = read(&format!("standards/{slug}/demo.json"));
        let facts = load(s, slug, &text);
        let outcome = s
            .evaluate(&facts, &Options::new().detail(Detail::Members))
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        let text_out = roundtrip!(format!("{slug}: outcome"), Outcome, &outcome);
        // The text holds what the detail adds: conditions, comparisons, members.
        assert!(text_out.contains("\"conditions\""), "{slug}: {text_out}");
        for u in &outcome.units {
            roundtrip!(format!("{slug}: unit {}", u.id), UnitOutcome, u);
        }
        assert!(facts.as_of().is_some(), "{slug}: the demo has no as_of");
        // On the facts file's date.
        let progress = s
            .progress(&facts, &Options::new())
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        roundtrip!(format!("{slug}: progress"), Progress, &progress);
        let same = s
            .diff(&facts, &facts, &Options::new())
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        assert!(
            same.changed.is_empty(),
            "{slug}: the demo differs from itself"
        );
        roundtrip!(format!("{slug}: diff with itself"), Diff, &same);

        // Summaries, as a live session gives them.
        let live = s
            .live(load(s, slug, &text), &Options::new())
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        assert_eq!(live.len(), facts.len(), "{slug}");
        for u in 0..facts.len() {
            let summary = live
                .summary_at(u)
                .unwrap_or_else(|| panic!("{slug}: no summary of unit {u}"));
            roundtrip!(format!("{slug}: summary {u}"), UnitSummary, &summary);
        }

        // A gap plan to each unit's highest tier (the engine's, and the facade's report), and
        // the diff of the facts the plans change.
        let engine = compiled.load_clean(slug, &text);
        let ctx = compiled.context(&engine);
        let mut changes = Vec::new();
        for (u, unit) in engine.tree.units.iter().enumerate() {
            let kind = &compiled.graph().kinds[unit.kind as usize];
            let Some(top) = kind.tiers.last() else {
                continue;
            };
            let plan = duibiao_engine::gap::plan(compiled.graph(), &ctx, &engine.tree, u, top.node);
            roundtrip!(format!("{slug}: plan of {}", unit.id), Plan, &plan);
            let report = s
                .gap(&facts, &unit.id, &top.name, &Options::new())
                .unwrap_or_else(|e| panic!("{slug}: {}: {e:?}", unit.id));
            assert_eq!(
                (report.reachable, &report.changes, &report.reasons),
                (plan.reachable, &plan.changes, &plan.reasons),
                "{slug}: the facade's plan of {} is not the engine's",
                unit.id
            );
            roundtrip!(
                format!("{slug}: gap report of {}", unit.id),
                GapReport,
                &report
            );
            if plan.reachable && u % 3 == 0 {
                changes.extend(plan.changes);
            }
        }
        let after = load(s, slug, &changed(s, &text, &changes));
        let moved = s
            .diff(&facts, &after, &Options::new())
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        roundtrip!(format!("{slug}: diff after plans"), Diff, &moved);
        moved_units += moved.changed.len();
    }
    assert!(
        moved_units > 0,
        "no plan changed any outcome: the diffs were all empty"
    );
}

/// Guide distributions read back, their numbers exact and as ranges (the guide example's facts,
/// with a branch's item missing, then filled in).
#[test]
fn guide_reports_read_back_what_they_write() {
    let s = Standard::compile("guide-demo.std", &read("docs/tutorial/guide-demo.std"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let text = read("docs/tutorial/guide-demo.json");
    let mut live = s
        .live(load(&s, "guide-demo", &text), &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let ranges = roundtrip!("guides with ranges", Outcome, &live.outcome());
    assert!(ranges.contains("\"actual_share_bounds\""), "{ranges}");
    live.assign(&Assignment::Text("J.2=40".into()))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let exact = live.guides();
    assert_eq!(exact.len(), 4);
    for g in &exact {
        let text = roundtrip!(format!("guide {}", g.tier), GuideReport, g);
        assert!(!text.contains("_bounds"), "{text}");
    }
}

/// Every reason a parameter can lack a value reads back, dates included.
#[test]
fn missing_parameters_read_back_what_they_write() {
    for text in [
        r#"{"name":"年度目标","clause":"第三条","why":"not_supplied"}"#,
        r#"{"name":"年度目标","clause":null,"why":"no_date"}"#,
        r#"{"name":"年度目标","clause":null,"why":{"not_on":"2021-12-31"}}"#,
    ] {
        let m: MissingParam = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(roundtrip!(text, MissingParam, &m), text);
    }
}
