//! Incremental re-evaluation gives exactly what a full evaluation gives: random sequences of
//! changes to random units of random forests, compared after every change; and it re-evaluates
//! only the changed unit and its ancestors where nothing is ranked.

use duibiao::Standard;
use duibiao_tests::standard;
use proptest::prelude::*;
use std::sync::OnceLock;

fn haiyan() -> &'static Standard {
    static S: OnceLock<Standard> = OnceLock::new();
    S.get_or_init(|| standard("haiyan-2021"))
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
        let (mut reference, _) = s.load_facts(&facts);
        let mut live = s.live(loaded, &[], None).unwrap_or_else(|e| panic!("{e:?}"));
        for (pu, pk, pv) in changes {
            let units = &live.tree().units;
            let u = &units[(pu % units.len() as u64) as usize];
            let kind = &s.graph().kinds[u.kind as usize];
            let input = &kind.inputs[(pk % kind.inputs.len() as u64) as usize];
            let max = match input.origin {
                duibiao::graph::InputOrigin::Points { max } => Some(max),
                _ => None,
            };
            let assignment = format!("{}.{}={}", u.id, input.key, value_for(max, pv));
            live.assign(&assignment).unwrap_or_else(|e| panic!("{assignment}: {e:?}"));
            s.set(&mut reference, &assignment).unwrap_or_else(|e| panic!("{assignment}: {e:?}"));
            let full = s.evaluate_with(&reference, &[], true).unwrap_or_else(|e| panic!("{e:?}"));
            for expected in &full.units {
                let got = live.unit_outcome(&expected.id, true);
                prop_assert_eq!(got.as_ref(), Some(expected), "after {}", assignment);
            }
        }
    }
}

#[test]
fn a_change_touches_only_the_unit_and_its_ancestors() {
    let s = haiyan();
    let (loaded, _) = s.load_facts(&duibiao_tests::read("standards/haiyan-2021/demo.json"));
    let mut live = s
        .live(loaded, &[], None)
        .unwrap_or_else(|e| panic!("{e:?}"));
    // XQ34 → SQ3 → JD: three units, out of eighteen.
    let (change, evaluated) = live
        .assign("XQ34.13.3=10")
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (change.from.clone(), change.to.clone()),
        (serde_json::json!(6), serde_json::json!(10))
    );
    assert_eq!(evaluated, 3);
    let (_, again) = live
        .assign("XQ34.13.3=10")
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(again, 0, "setting the same value evaluates nothing");
    assert!(
        live.assign("XQ34.13.3=11").is_err(),
        "points beyond the maximum are refused"
    );
}
