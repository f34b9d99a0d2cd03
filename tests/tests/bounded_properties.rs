//! A verdict decided despite missing data never changes when the data is filled in: random
//! formulas over scored items (each between 0 and its points), truth values and an unbounded
//! number, some of them missing, compared and summed over sub-units; every way of filling the
//! missing values in keeps every decided requirement and every known derived value.

use duibiao::generate::Rng;
use duibiao::{Options, Outcome, Standard, Verdict};
use proptest::prelude::*;
use serde_json::{json, Value};

/// A formula in points: scores, constants, arithmetic (by numbers too), `min`, `max`, `abs`,
/// negation and `if` on a truth value.
fn points() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("score".to_string()),
        (1u32..=3).prop_map(|i| format!("score {i}")),
        (0u32..40).prop_map(|c| format!("{c}分")),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone(), 0usize..2)
                .prop_map(|(a, b, op)| { format!("({a} {} {b})", ["+", "-"][op]) }),
            (inner.clone(), number()).prop_map(|(a, n)| format!("({a} * {n})")),
            (inner.clone(), divisor()).prop_map(|(a, n)| format!("({a} / {n})")),
            (inner.clone(), inner.clone(), 0usize..2)
                .prop_map(|(a, b, f)| format!("{}({a}, {b})", ["min", "max"][f])),
            inner.clone().prop_map(|a| format!("abs({a})")),
            inner.clone().prop_map(|a| format!("(-{a})")),
            (truth(), inner.clone(), inner)
                .prop_map(|(c, a, b)| format!("(if {c} then {a} else {b})")),
        ]
    })
}

/// A number to multiply by: a constant (negative too) or the unbounded fact `x`.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (-3i32..4).prop_map(|c| format!("{c}")),
        Just("x".to_string())
    ]
}

/// A number to divide by: a positive constant or `x` (unknown when it is 0).
fn divisor() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..5).prop_map(|c| format!("{c}")),
        Just("x".to_string())
    ]
}

/// A truth value: a fact, or a score against a constant.
fn truth() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("b1".to_string()),
        Just("b2".to_string()),
        (1u32..=3, 0u32..20).prop_map(|(i, c)| format!("score {i} >= {c}")),
    ]
}

/// A requirement: two formulas compared, or a formula against a constant.
fn requirement() -> impl Strategy<Value = String> {
    let op = prop_oneof![
        Just(">="),
        Just(">"),
        Just("<="),
        Just("<"),
        Just("=="),
        Just("!=")
    ];
    prop_oneof![
        (points(), op.clone(), points()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
        (points(), op, -20i32..60).prop_map(|(a, o, c)| format!("{a} {o} {c}")),
    ]
}

/// A standard with `requirements` and `derived` values of the kind 小区, and over its units in a
/// 社区 the sums `sums` (formulas of a 小区) compared with constants.
fn standard(requirements: &[String], derived: &[String], sums: &[(String, u32)]) -> Standard {
    let mut src = String::from(
        "standard p { title \"p\" }\nkind 社区 contains 小区\nkind 小区\n\
         facts 小区 {\n  b1: bool\n  b2: bool\n  x: decimal\n}\n\
         scorecard 小区 total 35 {\n  item 1 \"一\" max 10分\n  item 2 \"二\" max 20分\n  item 3 \"三\" max 5分\n}\n",
    );
    src.push_str("derive 小区 {\n");
    for (i, d) in derived.iter().enumerate() {
        src.push_str(&format!("  d{i} = {d}\n"));
    }
    src.push_str("}\nrequirements 小区 own \"own\" {\n");
    for (i, r) in requirements.iter().enumerate() {
        src.push_str(&format!("  r{i}: {r}\n"));
    }
    src.push_str("}\nrequirements 社区 sums \"sums\" {\n");
    for (i, (f, c)) in sums.iter().enumerate() {
        let filter = if i % 2 == 1 { " where (b1)" } else { "" };
        src.push_str(&format!("  s{i}: sum 小区{filter} of ({f}) >= {c}\n"));
    }
    src.push_str("}\n");
    Standard::compile("p.std", &src).unwrap_or_else(|e| {
        panic!(
            "the generated standard does not compile:\n{src}\n{}",
            e.render(duibiao::Lang::En)
        )
    })
}

/// The points of item `i` (1 to 3): a half-point step from 0 to its maximum.
fn item_points(rng: &mut Rng, i: usize) -> Value {
    let max = [10, 20, 5][i - 1] * 2;
    json!(rng.below(max + 1) as f64 / 2.0)
}

/// One 小区's facts and scores: each value drawn by `draw`, or left out when `missing`.
fn unit(id: &str, rng: &mut Rng, missing: &[bool]) -> Value {
    let mut scores = serde_json::Map::new();
    for i in 1..=3 {
        if !missing[i - 1] {
            scores.insert(i.to_string(), item_points(rng, i));
        }
    }
    let mut facts = serde_json::Map::new();
    for (k, key) in ["b1", "b2", "x"].iter().enumerate() {
        if !missing[3 + k] {
            let v = match k {
                2 => json!(rng.below(9) as i64 - 4),
                _ => json!(rng.chance(50)),
            };
            facts.insert(key.to_string(), v);
        }
    }
    json!({"id": id, "kind": "小区", "parent": "P", "scores": scores, "facts": facts})
}

/// The requirements' verdicts and derived values of every unit, by unit.
type Results = Vec<(Vec<Verdict>, Vec<Option<String>>)>;

fn results(s: &Standard, units: &[Value]) -> Results {
    let mut all = vec![json!({"id": "P", "kind": "社区"})];
    all.extend(units.iter().cloned());
    let (facts, errors) = s.load_facts(&json!({ "units": all }).to_string());
    assert!(errors.is_empty(), "{errors:?}");
    let o: Outcome = s
        .evaluate(&facts, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    o.units
        .iter()
        .map(|u| {
            let verdicts = u
                .requirements
                .iter()
                .flat_map(|g| &g.requirements)
                .map(|r| r.verdict)
                .collect();
            (verdicts, u.derived.values().cloned().collect())
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn a_decided_verdict_never_changes_when_missing_values_are_filled(
        requirements in proptest::collection::vec(requirement(), 1..4),
        derived in proptest::collection::vec(points(), 0..3),
        sums in proptest::collection::vec((points(), 0u32..80), 0..3),
        missing in proptest::collection::vec(proptest::collection::vec(any::<bool>(), 6), 1..4),
        seed in any::<u64>(),
    ) {
        let s = standard(&requirements, &derived, &sums);
        let mut rng = Rng(seed);
        let ids: Vec<String> = (0..missing.len()).map(|i| format!("U{i}")).collect();
        let partial: Vec<Value> = ids
            .iter()
            .zip(&missing)
            .map(|(id, m)| unit(id, &mut rng, m))
            .collect();
        let before = results(&s, &partial);
        for _ in 0..8 {
            // Every missing value filled in, anywhere in its range.
            let filled: Vec<Value> = partial
                .iter()
                .zip(&ids)
                .map(|(u, id)| {
                    let mut full = unit(id, &mut rng, &[false; 6]);
                    for part in ["scores", "facts"] {
                        if let (Some(have), Some(to)) =
                            (u[part].as_object(), full[part].as_object_mut())
                        {
                            to.extend(have.clone());
                        }
                    }
                    full
                })
                .collect();
            let after = results(&s, &filled);
            for (u, ((v0, d0), (v1, d1))) in before.iter().zip(&after).enumerate() {
                for (r, (a, b)) in v0.iter().zip(v1).enumerate() {
                    prop_assert!(
                        *a == Verdict::Unknown || a == b,
                        "unit {u} requirement {r}: {a:?} became {b:?}\n{partial:?}\n{filled:?}"
                    );
                }
                for (d, (a, b)) in d0.iter().zip(d1).enumerate() {
                    prop_assert!(
                        a.is_none() || a == b,
                        "unit {u} derived {d}: {a:?} became {b:?}\n{partial:?}\n{filled:?}"
                    );
                }
            }
        }
    }
}
