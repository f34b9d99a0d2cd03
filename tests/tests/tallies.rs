//! Aggregates over sub-units, as the engine computes them (from running tallies passed up the
//! forest), against an independent oracle that walks every member one by one: on random forests
//! of every standard, for every aggregate of every unit and of the whole forest.

#![allow(clippy::panic)]

use duibiao::generate::Shape;
use duibiao_compiler::graph::{Aggregate, KindGraph, Node};
use duibiao_compiler::{Graph, Value};
use duibiao_engine::{Evaluation, UnitTree};
use duibiao_syntax::ast::AggOp;
use duibiao_tests::engine::standard;
use duibiao_tests::root;
use rust_decimal::Decimal;

/// The members of `agg` below `unit` (`None`: the whole forest), found by walking the tree.
fn walk(agg: &Aggregate, unit: Option<usize>, tree: &UnitTree) -> Vec<(usize, usize)> {
    let mut todo: Vec<usize> = match unit {
        Some(u) => tree.units[u].children().collect(),
        None => (0..tree.units.len())
            .filter(|&i| tree.units[i].parent.is_none())
            .collect(),
    };
    let mut out = Vec::new();
    while let Some(u) = todo.pop() {
        if let Some(t) = agg
            .targets
            .iter()
            .position(|t| t.kind == tree.units[u].kind)
        {
            out.push((u, t));
        }
        if !agg.direct {
            todo.extend(tree.units[u].children());
        }
    }
    out
}

/// The aggregate's value over `members`, one member at a time, in three-valued logic.
fn oracle(
    agg: &Aggregate,
    members: &[(usize, usize)],
    tree: &UnitTree,
    eval: &Evaluation,
) -> Value {
    if members.is_empty() {
        return agg.if_none.unwrap_or(match agg.op {
            AggOp::All => Value::Bool(true),
            AggOp::Any => Value::Bool(false),
            AggOp::Count | AggOp::Sum => Value::Num(Decimal::ZERO),
            AggOp::Share => Value::Unknown,
        });
    }
    let verdict = |&(u, t): &(usize, usize)| match agg.targets[t].filter {
        None => Value::Bool(true),
        Some(f) => eval.value(tree, u, f),
    };
    let verdicts: Vec<Value> = members.iter().map(verdict).collect();
    let (yes, no) = (Value::Bool(true), Value::Bool(false));
    let open = verdicts.iter().any(|v| *v != yes && *v != no);
    match agg.op {
        AggOp::All if verdicts.contains(&no) => no,
        AggOp::Any if verdicts.contains(&yes) => yes,
        _ if open => Value::Unknown,
        AggOp::All => yes,
        AggOp::Any => no,
        AggOp::Count | AggOp::Share => {
            let n = Decimal::from(verdicts.iter().filter(|v| **v == yes).count() as u64);
            if agg.op == AggOp::Count {
                Value::Num(n)
            } else {
                Value::Num(n / Decimal::from(members.len() as u64))
            }
        }
        AggOp::Sum => {
            let mut total = Decimal::ZERO;
            for (m, v) in members.iter().zip(&verdicts) {
                if *v != yes {
                    continue;
                }
                let value = agg.targets[m.1].value.map(|n| eval.value(tree, m.0, n));
                match value.and_then(Value::as_num) {
                    Some(x) => total += x,
                    None => return Value::Unknown,
                }
            }
            Value::Num(total.normalize())
        }
    }
}

fn aggregates(kind: &KindGraph) -> Vec<(u32, &Aggregate)> {
    (0..kind.nodes.len() as u32)
        .filter_map(|n| match &kind.nodes[n as usize] {
            Node::Aggregate(agg) => Some((n, agg)),
            _ => None,
        })
        .collect()
}

fn check(slug: &str, graph: &Graph, tree: &UnitTree, eval: &Evaluation) -> usize {
    let mut checked = 0;
    for (u, unit) in tree.units.iter().enumerate() {
        for (n, agg) in aggregates(&graph.kinds[unit.kind as usize]) {
            let want = oracle(agg, &walk(agg, Some(u), tree), tree, eval);
            assert_eq!(
                eval.value(tree, u, n),
                want,
                "{slug}: unit `{}`, node {n}",
                unit.id
            );
            checked += 1;
        }
    }
    for (n, agg) in aggregates(&graph.overall) {
        let want = oracle(agg, &walk(agg, None, tree), tree, eval);
        assert_eq!(
            eval.overall[n as usize], want,
            "{slug}: forest-wide node {n}"
        );
        checked += 1;
    }
    checked
}

#[test]
fn tallies_agree_with_a_walk_of_every_member() {
    let mut slugs: Vec<String> = std::fs::read_dir(root().join("standards"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".std").map(str::to_string)
        })
        .collect();
    slugs.sort();
    assert_eq!(slugs.len(), 6, "{slugs:?}");
    // The star rating (shengzhou-2015) counts no members: its score is a formula over the unit's
    // own facts and its limit ranks peers, so it alone has no tally to check.
    let mut without = Vec::new();
    for slug in &slugs {
        let s = standard(slug);
        let mut checked = 0;
        // Small forests are evaluated in order, large ones depth by depth in parallel.
        for (units, seed, missing) in [(40, 1, 0.02), (400, 2, 0.3), (400, 3, 0.02), (4500, 4, 0.1)]
        {
            let shape = Shape {
                missing,
                ..Shape::default()
            };
            let text = s.forest_text(units, seed, &shape);
            let facts = s.load_clean(slug, &text);
            let ctx = s.context(&facts);
            let eval = duibiao_engine::evaluate(s.graph(), &facts.tree, &ctx);
            checked += check(slug, s.graph(), &facts.tree, &eval);
        }
        if checked == 0 {
            without.push(slug.as_str());
        }
    }
    assert_eq!(without, ["shengzhou-2015"], "standards without aggregates");
}
