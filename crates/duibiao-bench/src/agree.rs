//! Checking that the engine and another evaluator (the reference, the zen-engine peer) give
//! every unit the same tier.

use duibiao_compiler::{Graph, Value};
use duibiao_engine::UnitTree;
use duibiao_reference::haiyan;

/// The name of the highest tier unit `u` passes in `eval`, as the engine's outcome names it.
pub(super) fn engine_tier<'g>(
    graph: &'g Graph,
    tree: &UnitTree,
    eval: &duibiao_engine::Evaluation,
    u: usize,
) -> Option<&'g str> {
    let kg = graph.kinds.get(tree.units.get(u)?.kind as usize)?;
    let values = eval.unit(tree, u);
    kg.tiers
        .iter()
        .rev()
        .find(|t| values.get(t.node) == Value::Bool(true))
        .map(|t| t.name.as_str())
}

/// Checks that the engine and the reference give every unit the same tier; counts the tiers.
pub(super) fn agree(
    graph: &Graph,
    tree: &UnitTree,
    eval: &duibiao_engine::Evaluation,
    reference: &[haiyan::UnitResult<'_>],
) -> Result<[usize; 3], String> {
    if tree.units.len() != reference.len() {
        return Err(format!(
            "the engine and the reference disagree on the forest: the engine has {} units, the reference {}",
            tree.units.len(),
            reference.len()
        ));
    }
    let mut tiers = [0usize; 3];
    let mut wrong = Vec::new();
    for (u, (unit, r)) in tree.units.iter().zip(reference).enumerate() {
        if *unit.id != *r.id {
            return Err(format!(
                "the engine and the reference disagree on the order of units: unit {u} is `{}` to the engine, `{}` to the reference",
                unit.id, r.id
            ));
        }
        let e = engine_tier(graph, tree, eval, u);
        let re = r.tier.map(haiyan::Tier::name);
        if e != re {
            wrong.push(format!(
                "`{}` ({}): engine {}, reference {}",
                unit.id,
                r.kind.name(),
                e.unwrap_or("no tier"),
                re.unwrap_or("no tier")
            ));
        }
        tiers[match re {
            Some(t) if t == haiyan::Tier::Demonstration.name() => 0,
            Some(_) => 1,
            None => 2,
        }] += 1;
    }
    disagreement("the reference", &wrong, tree.units.len()).map(|()| tiers)
}

/// `Ok` when no unit's tier differs between the engine and `other`; else an error naming how
/// many differ and the first ten (`wrong`: one line per unit).
pub(super) fn disagreement(other: &str, wrong: &[String], units: usize) -> Result<(), String> {
    if wrong.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = wrong.iter().take(10).map(String::as_str).collect();
    Err(format!(
        "the engine and {other} disagree on the tier of {} of {units} units; first: {}",
        wrong.len(),
        shown.join("; ")
    ))
}
