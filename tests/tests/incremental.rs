//! Incremental re-evaluation gives exactly what a full evaluation gives: random sequences of
//! changes to random units of random forests, compared after every change; and it re-evaluates
//! only the changed unit and its ancestors where nothing is ranked.

use duibiao::{Assignment, Detail, Options, Standard};
use duibiao_tests::engine::Compiled;
use proptest::prelude::*;
use std::sync::OnceLock;

/// haiyan-2021, with its graph (the points each scored part is worth).
fn compiled() -> &'static Compiled {
    static S: OnceLock<Compiled> = OnceLock::new();
    S.get_or_init(|| duibiao_tests::engine::standard("haiyan-2021"))
}

fn haiyan() -> &'static Standard {
    &compiled().standard
}

/// A random value for an input: points in halves within range (or beyond, rejected), bools,
/// or not reported.
fn value_for(max: Option<rust_decimal::Decimal>, r: u64) -> String {
    match (max, r % 5) {
        (_, 0) => "null".into(),
        (Some(m), _) => {
            let halves = (m * rust_decimal::Decimal::TWO)
                .trunc()
                .to_string()
                .parse::<u64>()
                .unwrap_or(0);
            let h = r % (halves + 1);
            format!(
                "{}",
                rust_decimal::Decimal::new(h as i64 * 5, 1).normalize()
            )
        }
        (None, _) => {
            if r.is_multiple_of(2) {
                "true".into()
            } else {
                "false".into()
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn live_updates_equal_full_evaluation(seed: u64, changes in proptest::collection::vec(any::<(u64, u64, u64)>(), 1..25)) {
        let s = haiyan();
        let facts = duibiao_tests::generate::forest(s, seed, 10).to_string();
        let (loaded, _) = s.load_facts(&facts);
        let (reference, _) = s.load_facts(&facts);
        let detail = Options::new().detail(Detail::Members);
        let mut live = s.live(loaded, &detail).unwrap_or_else(|e| panic!("{e:?}"));
        // The reference: the facts as loaded, with every change so far as a what-if assignment.
        let mut changed = detail.clone();
        for (pu, pk, pv) in changes {
            let u = live
                .summary_at((pu % live.len() as u64) as usize)
                .unwrap_or_else(|| panic!("no unit {pu}"));
            let kind = compiled().graph().kinds.iter().find(|k| k.name == u.kind).unwrap_or_else(|| panic!("{}", u.kind));
            let input = &kind.inputs[(pk % kind.inputs.len() as u64) as usize];
            let max = match input.origin {
                duibiao_compiler::graph::InputOrigin::Points { max } => Some(max),
                _ => None,
            };
            let assignment = Assignment::Text(format!("{}.{}={}", u.id, input.key, value_for(max, pv)));
            live.assign(&assignment).unwrap_or_else(|e| panic!("{assignment:?}: {e:?}"));
            changed = changed.set(assignment.clone());
            let full = s.evaluate(&reference, &changed).unwrap_or_else(|e| panic!("{assignment:?}: {e:?}"));
            for expected in &full.units {
                let got = live.unit(&expected.id);
                prop_assert_eq!(got.as_ref(), Some(expected), "after {:?}", assignment);
            }
        }
    }
}

#[test]
fn a_change_touches_only_the_unit_and_its_ancestors() {
    let s = haiyan();
    let (loaded, _) = s.load_facts(&duibiao_tests::read("standards/haiyan-2021/demo.json"));
    let mut live = s
        .live(loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let assignment = |text: &str| Assignment::Text(text.to_string());
    // XQ34 → SQ3 → JD: three units, out of eighteen.
    let done = live
        .assign(&assignment("XQ34.13.3=10"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (done.change.from.clone(), done.change.to.clone()),
        (serde_json::json!(6), serde_json::json!(10))
    );
    assert_eq!(done.evaluated, 3);
    let ids: Vec<&str> = done.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["XQ34", "SQ3", "JD"]);
    let again = live
        .assign(&assignment("XQ34.13.3=10"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        again.evaluated, 0,
        "setting the same value evaluates nothing"
    );
    assert!(
        live.assign(&assignment("XQ34.13.3=11")).is_err(),
        "points beyond the maximum are refused"
    );
}

/// An assignment that names a unit but no key (`SQ1=5`, `SQ1.=5`, `SQ1`) is malformed (F0002:
/// `UNIT.KEY=VALUE` expected), not a unit missing from the data; an id no unit has is F0015 and a
/// key the unit's kind does not have F0009.
#[test]
fn an_assignment_without_a_key_is_malformed() {
    let s = haiyan();
    let demo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../standards/haiyan-2021/demo.json"
    );
    let demo = std::fs::read_to_string(demo).unwrap();
    for (text, want) in [
        ("SQ1=5", &["F0002"][..]),
        ("SQ1.=5", &["F0002"]),
        (" SQ1. = 5", &["F0002"]),
        ("SQ1", &["F0002"]),
        ("SQ9.6.1=5", &["F0015"]),
        ("SQ1.99=5", &["F0009"]),
        ("SQ1.6.1=5", &[]),
    ] {
        let (mut facts, _) = s.load_facts(&demo);
        let problems = s.apply(&mut facts, &[Assignment::Text(text.into())]);
        let got: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(got, want, "{text}: {problems:?}");
    }
}
