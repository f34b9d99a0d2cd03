//! Floors below a tier are its conditions from the highest floor down, whatever order they are
//! written in: a unit is put down by the highest floor first, and its explanation says so.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::compile;
use duibiao_compiler::graph::ConditionKind;

/// The levels (0: no tier, `i + 1`: tier `i`) of the floors among the conditions of `社区`'s highest tier, in their order, for
/// floors written on the tiers `floors` in that order.
fn floor_levels(floors: &[&str]) -> Vec<usize> {
    let mut src = String::from(
        "standard f { title \"f\" }\nkind 街镇 contains 社区\nkind 社区\n\
         scorecard 社区 total 100 { item 1 \"综合\" max 100 }\n\
         tiers 社区 {\n  一星 { score >= 60 }\n  二星 requires 一星 { score >= 75 }\n  \
         五星 requires 二星 { score >= 90 }\n}\n",
    );
    for tier in floors {
        src.push_str(&format!(
            "floor 社区 {tier}: 10% among 街镇 by (score) ties by_id round up\n"
        ));
    }
    let compiled = compile(&src);
    let graph = compiled.graph.expect("compiles");
    let kind = graph.kinds.iter().find(|k| k.name == "社区").unwrap();
    let top = kind.tiers.last().unwrap();
    top.conditions
        .iter()
        .filter_map(|c| match c.kind {
            ConditionKind::Floor(i) => Some(kind.limits[i].tier),
            _ => None,
        })
        .collect()
}

#[test]
fn floors_are_conditions_from_the_highest_down() {
    assert_eq!(floor_levels(&["无", "一星", "二星"]), [2, 1, 0]);
    assert_eq!(floor_levels(&["二星", "无", "一星"]), [2, 1, 0]);
    assert_eq!(floor_levels(&["一星", "二星"]), [2, 1]);
}
