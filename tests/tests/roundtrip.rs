//! The engine's output types read back what they write: for every standard's demo facts, the
//! outcome with detail, the progress report, a diff and a gap plan are serialized, deserialized
//! into an equal value, and serialized again into the same text (the JSON protocol other
//! languages read is exactly what the types describe).

use duibiao::engine::gap::Plan;
use duibiao::{Diff, Facts, MissingParam, Outcome, Progress, Standard, UnitOutcome, UnitSummary};
use duibiao_tests::{read, standard};

/// Every standard of the repository.
const STANDARDS: [&str; 5] = [
    "chunjiang-365",
    "haiyan-2021",
    "jiaxing-2016",
    "quality-2020",
    "zhuji-2018",
];

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

fn demo(s: &Standard, slug: &str) -> Facts {
    let (facts, errors) = s.load_facts(&read(&format!("standards/{slug}/demo.json")));
    assert!(
        errors.is_empty(),
        "{slug}: demo facts do not load: {errors:?}"
    );
    facts
}

#[test]
fn outcomes_progress_and_diffs_read_back_what_they_write() {
    // Units whose outcome the gap plans change, over all standards.
    let mut moved_units = 0;
    for slug in STANDARDS {
        let s = standard(slug);
        let facts = demo(&s, slug);
        let outcome = s
            .evaluate_with(&facts, &[], true)
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        let text = roundtrip!(format!("{slug}: outcome"), Outcome, &outcome);
        // The text holds what the detail adds: conditions, comparisons, members.
        assert!(text.contains("\"conditions\""), "{slug}: {text}");
        for u in &outcome.units {
            roundtrip!(format!("{slug}: unit {}", u.id), UnitOutcome, u);
        }
        let as_of = facts
            .as_of
            .unwrap_or_else(|| panic!("{slug}: the demo has no as_of"));
        let progress = s
            .progress(&facts, &[], as_of)
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        roundtrip!(format!("{slug}: progress"), Progress, &progress);
        let same = s
            .diff(&facts, &facts, &[])
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        assert!(
            same.changed.is_empty(),
            "{slug}: the demo differs from itself"
        );
        roundtrip!(format!("{slug}: diff with itself"), Diff, &same);

        // Summaries, as a live session gives them.
        let live = s
            .live(demo(&s, slug), &[], facts.as_of)
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        for u in 0..facts.tree.units.len() {
            let summary = live
                .unit_summary_at(u)
                .unwrap_or_else(|| panic!("{slug}: no summary of unit {u}"));
            roundtrip!(format!("{slug}: summary {u}"), UnitSummary, &summary);
        }

        // A gap plan to each unit's highest tier, and the diff of the facts the plan changes.
        let ctx = duibiao::engine::Context::new(s.graph(), &facts.params, facts.as_of)
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        let mut after = demo(&s, slug);
        for (u, unit) in facts.tree.units.iter().enumerate() {
            let kind = &s.graph().kinds[unit.kind as usize];
            let Some(top) = kind.tiers.last() else {
                continue;
            };
            let plan = duibiao::engine::gap::plan(s.graph(), &ctx, &facts.tree, u, top.node);
            roundtrip!(format!("{slug}: plan of {}", unit.id), Plan, &plan);
            if plan.reachable && u % 3 == 0 {
                for c in &plan.changes {
                    let assignment = format!("{}.{}={}", c.unit, c.key, c.to);
                    s.set(&mut after, &assignment)
                        .unwrap_or_else(|e| panic!("{slug}: {assignment}: {e:?}"));
                }
            }
        }
        let moved = s
            .diff(&facts, &after, &[])
            .unwrap_or_else(|e| panic!("{slug}: {e:?}"));
        roundtrip!(format!("{slug}: diff after plans"), Diff, &moved);
        moved_units += moved.changed.len();
    }
    assert!(
        moved_units > 0,
        "no plan changed any outcome: the diffs were all empty"
    );
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
