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
/// small whole numbers for numeric facts, or not reported.
fn value_for(input: &duibiao_compiler::graph::Input, r: u64) -> String {
    use duibiao_compiler::graph::InputOrigin;
    use duibiao_compiler::types::Type;
    let max = match input.origin {
        InputOrigin::Points { max } => Some(max),
        InputOrigin::Fact => None,
    };
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
        (None, _) => match input.ty {
            Type::Num(_) => format!("{}", r % 6),
            _ if r.is_multiple_of(2) => "true".into(),
            _ => "false".into(),
        },
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
            let assignment = Assignment::Text(format!("{}.{}={}", u.id, input.key, value_for(input, pv)));
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
    let ids: Vec<&str> = done.units.iter().map(|u| &*u.id).collect();
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

/// The units of `u`'s subtree in `tree`: `u` and its descendants.
fn subtree_size(tree: &duibiao_engine::UnitTree, u: usize) -> usize {
    let mut stack = vec![u];
    let mut n = 0;
    while let Some(x) = stack.pop() {
        n += 1;
        stack.extend(tree.units[x].children());
    }
    n
}

/// A unit of a standard that ranks nothing is evaluated (for `explain` and `gap`) on its subtree
/// alone: a forest of exactly its units with the unit as a root (the whole forest, borrowed, when
/// the subtree is at least half of it), where the unit has the values the whole forest gives
/// it. A standard that ranks a kind has no such forest for that kind's units and their
/// ancestors.
#[test]
fn a_unit_is_evaluated_on_its_subtree_alone() {
    use duibiao_engine::incremental::subtree;
    use std::borrow::Cow;
    let s = compiled();
    let demo = s.load_clean(
        "demo",
        &duibiao_tests::read("standards/haiyan-2021/demo.json"),
    );
    let (mut owned, mut borrowed) = (0, 0);
    for loaded in [s.generated(300, 9), demo] {
        let tree = &loaded.tree;
        let ctx = s.context(&loaded);
        let full = duibiao_engine::evaluate(s.graph(), tree, &ctx);
        for u in 0..tree.units.len() {
            let Some((sub, su)) = subtree(s.graph(), tree, u) else {
                panic!("haiyan-2021 ranks nothing: unit {}", tree.units[u].id);
            };
            let size = subtree_size(tree, u);
            match &sub {
                Cow::Borrowed(_) => {
                    assert!(size * 2 >= tree.units.len() && su == u, "{u}");
                    borrowed += 1;
                }
                Cow::Owned(t) => {
                    assert!(size * 2 < tree.units.len(), "{u}");
                    assert_eq!(t.units.len(), size, "{u}");
                    assert_eq!(t.units[su].id, tree.units[u].id);
                    assert_eq!(t.units[su].parent, None);
                    owned += 1;
                }
            }
            let alone = duibiao_engine::evaluate(s.graph(), &sub, &ctx);
            assert_eq!(alone.unit(&sub, su), full.unit(tree, u), "{u}");
        }
    }
    assert!(owned > 100 && borrowed > 0, "{owned} {borrowed}");
    // jiaxing-2016 ranks its 社区 among their siblings.
    let j = duibiao_tests::engine::standard("jiaxing-2016");
    let loaded = j.generated(100, 3);
    let t = &loaded.tree;
    for u in 0..t.units.len() {
        let kind = &j.graph().kinds[t.units[u].kind as usize].name;
        if kind == "社区" || kind == "街道" || kind == "区" {
            assert!(subtree(j.graph(), t, u).is_none(), "{kind} {u}");
        }
    }
}

/// A live evaluation answers for the units it holds and for no index beyond them.
#[test]
fn a_live_evaluation_answers_for_its_units_only() {
    let s = compiled();
    let loaded = s.generated(50, 4);
    let n = loaded.tree.units.len();
    let ctx = s.context(&loaded);
    let live =
        duibiao_engine::incremental::Live::new(std::sync::Arc::clone(&s.graph), loaded.tree, ctx);
    assert!(live.unit_summary_at(n - 1).is_some() && live.unit_outcome_at(n - 1, true).is_some());
    assert!(live.unit_summary_at(n).is_none() && live.unit_outcome_at(n, true).is_none());
}

/// What a forest shows of itself (`{:?}`, in test failures and snapshots) is the same from one
/// load to the next, though its id index hashes with a random seed: the index shows how many ids
/// it holds.
#[test]
fn a_forest_shows_the_same_text_each_time() {
    let s = compiled();
    let text = s.forest_text(40, 2, &Default::default());
    let (a, b) = (s.load_clean("a", &text), s.load_clean("b", &text));
    let shown = format!("{:?}", a.tree);
    assert_eq!(shown, format!("{:?}", b.tree));
    let index = format!("index: IdIndex {{ ids: {} }}", a.tree.units.len());
    assert!(shown.contains(&index), "{shown}");
}
