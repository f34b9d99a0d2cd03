//! A live evaluation keeps its units' tallies of their sub-units by delta (a changed sub-unit's
//! old part taken away, its new part added) where nothing is ranked, and evaluates every unit
//! again where something is: either way, after every change of a random sequence, its values and
//! its tallies are exactly those of a full evaluation of the changed forest. Every standard of
//! the repository (all, any, count, share, forest-wide sums, ranks and peers) and one written
//! here with every aggregate over sub-units at every level (a `sum` beside counts, `direct`
//! children, pooled kinds, filters on facts and on computed values), with values changed between
//! unknown and known both ways.

use duibiao_compiler::Value;
use duibiao_engine::incremental::Live;
use duibiao_engine::{evaluate, Facts};
use duibiao_tests::engine::{compile, standard, Compiled};
use duibiao_tests::STANDARDS;
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

/// Every aggregate over sub-units: a 社区 over its 小区 with counts alone (kept by delta), a 街道
/// over all levels with a `sum` of its 楼宇 beside them (tallied again from its children).
const AGGREGATES: &str = r#"
standard delta-test { title "增量汇总测试" }
kind 街道 contains 社区, 楼宇
kind 社区 contains 小区
kind 小区
kind 楼宇
facts 街道、社区、小区、楼宇 {
  达标: bool "达标"
  党员数: int "党员数"
}
derive 社区 {
  全部达标 = all 小区 where (达标)
  任一达标 = any 小区 where (达标)
  党员多数 = count 小区 where (党员数 >= 3)
  达标比例 = share 小区 where (达标)
}
derive 街道 {
  各级全部达标 = all 社区、小区、楼宇 where (达标)
  任一小区达标 = any 小区 where (达标)
  党员多数 = count 社区、楼宇 where (党员数 >= 3)
  达标比例 = share 小区、楼宇 where (达标) ifnone 100%
  楼宇党员合计 = sum 楼宇 of (党员数)
  直属达标数 = count direct 社区 where (达标)
  社区全部达标 = all 社区 where (全部达标)
}
"#;

fn aggregates() -> &'static Compiled {
    static S: OnceLock<Compiled> = OnceLock::new();
    S.get_or_init(|| compile("delta-test.std", AGGREGATES))
}

fn standards() -> &'static [Compiled] {
    static S: OnceLock<Vec<Compiled>> = OnceLock::new();
    S.get_or_init(|| STANDARDS.iter().map(|slug| standard(slug)).collect())
}

/// A random forest of `s` (8 to 47 units, `missing` percent of the values left out).
fn forest(s: &Compiled, seed: u64, missing: u64) -> Facts {
    let text = duibiao_tests::generate::forest(&s.standard, seed, missing).to_string();
    s.load_clean(s.standard.slug(), &text)
}

/// Applies `changes` (unit, input, value: as random numbers) one by one to a live evaluation of
/// `s`'s forest, and after each compares it, values and tallies, with a full evaluation of the
/// forest as changed. A change sets an input to unknown one time in four, else to the value some
/// unit of the same kind has for it (known or not): so values go from unknown to known, known to
/// unknown, and between known values.
fn follow(
    s: &Compiled,
    seed: u64,
    missing: u64,
    changes: &[(u64, u64, u64)],
) -> Result<(), TestCaseError> {
    let facts = forest(s, seed, missing);
    let ctx = s.context(&facts).with_parallel(false);
    let graph = s.graph();
    let mut live = Live::new(Arc::clone(&s.graph), facts.tree, ctx.clone());
    let slug = s.standard.slug();
    for &(pu, pk, pv) in changes {
        let tree = live.tree();
        let u = (pu % tree.units.len() as u64) as usize;
        let kind = tree.units[u].kind;
        let slots = graph.kinds[kind as usize].inputs.len();
        if slots == 0 {
            continue;
        }
        let slot = (pk % slots as u64) as usize;
        let held: Vec<Value> = tree
            .units
            .iter()
            .filter(|x| x.kind == kind)
            .filter_map(|x| x.inputs.get(slot))
            .collect();
        let v = match pv % 4 {
            0 => Value::Unknown,
            _ => held[(pv / 4 % held.len() as u64) as usize],
        };
        let before = tree.units[u].inputs.get(slot).unwrap();
        let affected = live.set(u, slot, v);
        prop_assert_eq!(affected == 0, before == v, "{}: unit {}", slug, u);
        prop_assert_eq!(affected, live.last_affected().len());
        let evaluated = live.last_evaluated();
        prop_assert!(evaluated <= affected && (affected == 0) == (evaluated == 0));
        let full = evaluate(graph, live.tree(), &ctx);
        prop_assert!(
            *live.evaluation() == full,
            "{}: unit {} input {} from {:?} to {:?}",
            slug,
            u,
            slot,
            before,
            v
        );
    }
    Ok(())
}

fn changes() -> impl Strategy<Value = Vec<(u64, u64, u64)>> {
    proptest::collection::vec(any::<(u64, u64, u64)>(), 1..30)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_aggregate_follows_changes_exactly(seed: u64, missing in 0u64..40, changes in changes()) {
        follow(aggregates(), seed, missing, &changes)?;
    }

    #[test]
    fn every_standard_follows_changes_exactly(
        which in 0..STANDARDS.len(),
        seed: u64,
        missing in 0u64..40,
        changes in changes(),
    ) {
        follow(&standards()[which], seed, missing, &changes)?;
    }
}

/// A change to one 小区 brings up to date the 小区, its 社区 and its 街道 only, and their counts
/// follow it by delta: the 社区's counts of the 小区 that meet 达标 move by one each way. A change
/// nothing above reads (党员数 still at least 3) evaluates the 小区 alone, or the 社区 alone.
#[test]
fn a_change_moves_its_ancestors_counts_by_one() {
    let s = aggregates();
    let text = r#"{"units": [
        {"id": "J", "kind": "街道"},
        {"id": "S", "kind": "社区", "parent": "J", "facts": {"党员数": 5}},
        {"id": "X1", "kind": "小区", "parent": "S", "facts": {"达标": true, "党员数": 1}},
        {"id": "X2", "kind": "小区", "parent": "S", "facts": {"达标": false, "党员数": 5}},
        {"id": "L", "kind": "楼宇", "parent": "J", "facts": {"达标": true, "党员数": 4}}
    ]}"#;
    let facts = s.load_clean("delta", text);
    let ctx = s.context(&facts);
    let mut live = Live::new(Arc::clone(&s.graph), facts.tree, ctx);
    let graph = s.graph();
    let node = |kind: &str, name: &str| {
        let k = graph.kinds.iter().find(|k| k.name == kind).unwrap();
        k.derived.iter().find(|d| d.name == name).unwrap().node
    };
    let value = |live: &mut Live, id: &str, kind: &str, name: &str| {
        let u = live.tree().find(id).unwrap();
        let n = node(kind, name);
        let eval = live.evaluation().clone();
        eval.value(live.tree(), u, n)
    };
    let share = |live: &mut Live| value(live, "S", "社区", "达标比例");
    assert_eq!(
        share(&mut live),
        Value::Num(rust_decimal::Decimal::new(5, 1))
    );
    let x2 = live.tree().find("X2").unwrap();
    let slot = graph.kinds[live.tree().units[x2].kind as usize]
        .input("达标")
        .unwrap();
    assert_eq!(live.set(x2, slot, Value::Bool(true)), 3);
    let (s_at, j_at) = (
        live.tree().find("S").unwrap(),
        live.tree().find("J").unwrap(),
    );
    assert_eq!(live.last_affected(), [x2, s_at, j_at]);
    assert_eq!(live.last_evaluated(), 3, "the 社区 and the 街道 read 达标");
    // 党员数 from 5 to 6: still at least 3, which is all a 社区 reads of it.
    let members = graph.kinds[live.tree().units[x2].kind as usize]
        .input("党员数")
        .unwrap();
    assert_eq!(live.set(x2, members, Value::Num(6.into())), 3);
    assert_eq!(live.last_evaluated(), 1, "nothing the 社区 reads changed");
    assert_eq!(share(&mut live), Value::Num(rust_decimal::Decimal::ONE));
    assert_eq!(
        value(&mut live, "J", "街道", "各级全部达标"),
        Value::Unknown,
        "the 街道 and 社区 do not report 达标"
    );
    assert_eq!(live.set(x2, slot, Value::Unknown), 3);
    assert_eq!(share(&mut live), Value::Unknown);
    assert_eq!(
        value(&mut live, "J", "街道", "楼宇党员合计"),
        Value::Num(4.into())
    );
    // The 社区's own 党员数 from 5 to 6: its tallies of its 小区 are as they were, and the 街道
    // reads only whether it is at least 3.
    let own = graph.kinds[live.tree().units[s_at].kind as usize]
        .input("党员数")
        .unwrap();
    assert_eq!(live.set(s_at, own, Value::Num(6.into())), 2);
    assert_eq!(live.last_evaluated(), 1, "nothing the 街道 reads changed");
}
