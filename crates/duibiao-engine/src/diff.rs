//! Differences between two evaluations of the same standard (two years of the same tree, or a
//! before and after): units matched by id; which changed score, tier or target status, and which
//! conditions flipped.

use crate::eval::Evaluation;
use crate::outcome::{unit_outcome, Outcome, UnitOutcome, Verdict};
use crate::progress::Progress;
use crate::tree::{Unit, UnitTree};
use duibiao_compiler::graph::{Graph, KindGraph, NodeId};
use duibiao_compiler::Value;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What changed between two outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Diff {
    /// Units only in the second.
    pub added: Vec<UnitRef>,
    /// Units only in the first.
    pub removed: Vec<UnitRef>,
    /// Units in both whose score, tier, verdicts or conditions differ, in the second's order.
    pub changed: Vec<UnitDiff>,
    /// Targets whose status differs (when both sides have an evaluation date).
    pub targets: Vec<TargetDiff>,
}

/// A unit added or removed: its id, name and kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct UnitRef {
    /// The unit's id.
    pub id: String,
    /// Its name, when the facts give one.
    pub name: Option<String>,
    /// Its kind.
    pub kind: String,
}

impl UnitRef {
    fn of_outcome(u: &UnitOutcome) -> Self {
        UnitRef {
            id: u.id.to_string(),
            name: u.name.as_deref().map(str::to_owned),
            kind: u.kind.clone(),
        }
    }

    fn of_unit(graph: &Graph, u: &crate::tree::Unit) -> Self {
        UnitRef {
            id: u.id.to_string(),
            name: u.name.as_deref().map(str::to_owned),
            kind: graph
                .kinds
                .get(u.kind as usize)
                .map(|k| k.name.clone())
                .unwrap_or_default(),
        }
    }
}

/// How one unit changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct UnitDiff {
    /// The unit's id.
    pub id: String,
    /// Its name (in the second), when the facts give one.
    pub name: Option<String>,
    /// Its kind.
    pub kind: String,
    /// Score before and after (when it changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<(Option<String>, Option<String>)>,
    /// Tier reached before and after (when it changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<(Option<String>, Option<String>)>,
    /// Tier verdicts that changed: tier → (before, after).
    pub tiers: BTreeMap<String, (Verdict, Verdict)>,
    /// Conditions that flipped: `tier / condition`, `group` or `group / requirement` →
    /// (before, after).
    pub conditions: BTreeMap<String, (Verdict, Verdict)>,
}

/// A target whose status changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct TargetDiff {
    /// The target.
    pub name: String,
    /// Its due date.
    pub due: String,
    /// Status before (`None`: not due yet then).
    pub before: Option<Verdict>,
    /// Status after.
    pub after: Option<Verdict>,
}

/// Compares two outcomes (and, when given, their progress reports).
pub fn diff(before: &Outcome, after: &Outcome, progress: Option<(&Progress, &Progress)>) -> Diff {
    let old: BTreeMap<&str, _> = before.units.iter().map(|u| (u.id.as_str(), u)).collect();
    let new_ids: std::collections::BTreeSet<&str> =
        after.units.iter().map(|u| u.id.as_str()).collect();
    let mut changed = Vec::new();
    let mut added = Vec::new();
    for b in &after.units {
        match old.get(b.id.as_str()) {
            Some(a) => changed.extend(unit_diff(a, b)),
            None => added.push(UnitRef::of_outcome(b)),
        }
    }
    let removed = before
        .units
        .iter()
        .filter(|u| !new_ids.contains(u.id.as_str()))
        .map(UnitRef::of_outcome)
        .collect();
    Diff {
        added,
        removed,
        changed,
        targets: progress.map_or_else(Vec::new, |(a, b)| target_diffs(a, b)),
    }
}

/// Compares two evaluations of one standard's rules (each with its forest), units matched by
/// id: the same as [`diff`] of their outcomes without progress reports (no targets; see
/// [`target_diffs`]), without making the outcomes. A unit whose score and verdicts (of tiers, conditions, requirement groups and
/// requirements) are the same on both sides has nothing to report and is passed over; the
/// outcomes of the others are made one unit at a time, so that the memory it takes is the two
/// evaluations' and the differences', whatever the number of units.
pub fn diff_evaluations(
    graph: &Graph,
    (ta, ea): (&UnitTree, &Evaluation),
    (tb, eb): (&UnitTree, &Evaluation),
) -> Diff {
    let mut changed = Vec::new();
    let mut added = Vec::new();
    // Records are numbered by their place on their owner (`A#2`): a record added or removed
    // renumbers the ones after it, so they are compared through their owners' outcomes only.
    let record = |u: &Unit| {
        graph
            .kinds
            .get(u.kind as usize)
            .is_some_and(KindGraph::is_record)
    };
    for (ib, ub) in tb.units.iter().enumerate() {
        if record(ub) {
            continue;
        }
        let Some(ia) = ta.find(&ub.id) else {
            added.push(UnitRef::of_unit(graph, ub));
            continue;
        };
        if unchanged(graph, (ta, ea, ia), (tb, eb, ib)) {
            continue;
        }
        let a = unit_outcome(graph, ta, ea, ia, false);
        let b = unit_outcome(graph, tb, eb, ib, false);
        changed.extend(unit_diff(&a, &b));
    }
    let removed = ta
        .units
        .iter()
        .filter(|u| !record(u) && tb.find(&u.id).is_none())
        .map(|u| UnitRef::of_unit(graph, u))
        .collect();
    Diff {
        added,
        removed,
        changed,
        targets: Vec::new(),
    }
}

/// Whether unit `ia` of the first forest and unit `ib` of the second are of one kind with the
/// same score (to the digit) and the same verdict of every tier, condition, requirement group
/// and requirement: then [`unit_diff`] of their outcomes finds nothing.
fn unchanged(
    graph: &Graph,
    (ta, ea, ia): (&UnitTree, &Evaluation, usize),
    (tb, eb, ib): (&UnitTree, &Evaluation, usize),
) -> bool {
    let (Some(ua), Some(ub)) = (ta.units.get(ia), tb.units.get(ib)) else {
        return false;
    };
    let Some(kg) = graph
        .kinds
        .get(ua.kind as usize)
        .filter(|_| ua.kind == ub.kind)
    else {
        return false;
    };
    let (va, vb) = (ea.unit(ta, ia), eb.unit(tb, ib));
    let verdict = |n: NodeId| Verdict::of(va.get(n)) == Verdict::of(vb.get(n));
    let score = |n: NodeId| match (va.get(n), vb.get(n)) {
        // The same number written the same way (30 and 30.0 are equal numbers).
        (Value::Num(x), Value::Num(y)) => x.serialize() == y.serialize(),
        (x, y) => x == y,
    };
    kg.score_node().is_none_or(score)
        && kg
            .tiers
            .iter()
            .all(|t| verdict(t.node) && t.conditions.iter().all(|c| verdict(c.node)))
        && kg
            .groups
            .iter()
            .all(|g| verdict(g.node) && g.requirements.iter().all(|c| verdict(c.node)))
}

/// How one unit changed between two outcomes of it, if it did.
fn unit_diff(a: &UnitOutcome, b: &UnitOutcome) -> Option<UnitDiff> {
    let mut tiers = BTreeMap::new();
    for (t, vb) in &b.tiers {
        let va = a.tiers.get(t).copied().unwrap_or(Verdict::Unknown);
        if va != *vb {
            tiers.insert(t.clone(), (va, *vb));
        }
    }
    let mut conditions = BTreeMap::new();
    for (t, cs) in &b.conditions {
        for (i, c) in cs.iter().enumerate() {
            let label = c.label.clone().unwrap_or_else(|| c.expr.clone());
            let va = a
                .conditions
                .get(t)
                .and_then(|x| x.get(i))
                .map_or(Verdict::Unknown, |x| x.verdict);
            if va != c.verdict {
                conditions.insert(format!("{t} / {label}"), (va, c.verdict));
            }
        }
    }
    for g in &b.requirements {
        let Some(ga) = a.requirements.iter().find(|x| x.name == g.name) else {
            continue;
        };
        if ga.verdict != g.verdict {
            conditions.insert(g.name.clone(), (ga.verdict, g.verdict));
        }
        for (i, r) in g.requirements.iter().enumerate() {
            let label = r.label.clone().unwrap_or_else(|| r.expr.clone());
            let va = ga
                .requirements
                .get(i)
                .map_or(Verdict::Unknown, |x| x.verdict);
            if va != r.verdict {
                conditions.insert(format!("{} / {label}", g.name), (va, r.verdict));
            }
        }
    }
    let score = (a.score != b.score).then(|| (a.score.clone(), b.score.clone()));
    let tier = (a.tier != b.tier).then(|| (a.tier.clone(), b.tier.clone()));
    (score.is_some() || tier.is_some() || !tiers.is_empty() || !conditions.is_empty()).then(|| {
        UnitDiff {
            id: b.id.clone(),
            name: b.name.clone(),
            kind: b.kind.clone(),
            score,
            tier,
            tiers,
            conditions,
        }
    })
}

/// The targets whose status differs between two progress reports, by name and due date.
pub fn target_diffs(pa: &Progress, pb: &Progress) -> Vec<TargetDiff> {
    let mut targets = Vec::new();
    let key = |t: &crate::progress::TargetProgress| (t.name.clone(), t.due.clone());
    let before: BTreeMap<_, _> = pa.targets.iter().map(|t| (key(t), t.status)).collect();
    let after: BTreeMap<_, _> = pb.targets.iter().map(|t| (key(t), t.status)).collect();
    let mut all: Vec<_> = before.keys().chain(after.keys()).cloned().collect();
    all.sort();
    all.dedup();
    for k in all {
        let (x, y) = (before.get(&k).copied(), after.get(&k).copied());
        if x != y {
            targets.push(TargetDiff {
                name: k.0,
                due: k.1,
                before: x,
                after: y,
            });
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{evaluate, Context};
    use crate::tree::Unit;

    /// A copy of `tree` with some inputs changed (cleared, flipped, set to 0) and some leaves
    /// left out, by `seed`.
    fn changed(tree: &UnitTree, seed: u64) -> UnitTree {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let kept: Vec<usize> = (0..tree.units.len())
            .filter(|&u| !tree.units[u].children.is_empty() || next() % 10 != 0)
            .collect();
        let units = kept
            .iter()
            .map(|&u| {
                let unit = &tree.units[u];
                let inputs = unit
                    .inputs
                    .iter()
                    .map(|v| match (next() % 8, v) {
                        (0, _) => Value::Unknown,
                        (1, Value::Bool(b)) => Value::Bool(!b),
                        (1, Value::Num(_)) => Value::Num(rust_decimal::Decimal::ZERO),
                        (2, Value::Num(n)) => Value::Num(n * rust_decimal::Decimal::TEN),
                        _ => v,
                    })
                    .collect();
                Unit {
                    inputs,
                    children: Box::default(),
                    parent: unit
                        .parent()
                        .and_then(|p| kept.binary_search(&p).ok())
                        .map(crate::tree::index),
                    ..unit.clone()
                }
            })
            .collect();
        UnitTree::new(units)
    }

    /// Comparing two evaluations unit by unit gives what comparing their outcomes gives, on
    /// every standard's demo, its cases and changed copies of them (units added, removed, and
    /// of another kind under the same id among them); an evaluation compared with itself makes
    /// no unit's outcome.
    #[test]
    fn evaluations_compare_as_their_outcomes() {
        let mut compared = 0;
        let mut differences = 0;
        for name in crate::testing::STANDARDS {
            let graph = crate::testing::standard(name);
            let mut forests = Vec::new();
            for f in crate::testing::facts_files(name) {
                let (facts, _) = crate::facts::load(
                    &graph,
                    &std::fs::read_to_string(f).unwrap(),
                    &Default::default(),
                );
                let Ok(ctx) = Context::new(&graph, &facts.params, facts.as_of) else {
                    continue;
                };
                forests.push((facts.tree, ctx));
            }
            let (demo, ctx) = forests[0].clone();
            for seed in 0..6 {
                forests.push((changed(&demo, seed), ctx.clone()));
            }
            // The same ids with other kinds: the demo's units in reverse order of kinds.
            let mut other = demo.units.clone();
            for u in other.iter_mut().filter(|u| u.children.is_empty()) {
                u.kind = (u.kind + 1) % graph.kinds.len() as u32;
                u.inputs = crate::Inputs::unknown(graph.kinds[u.kind as usize].inputs.len());
            }
            forests.push((UnitTree::new(other), ctx.clone()));
            let evals: Vec<_> = forests
                .iter()
                .map(|(t, c)| evaluate(&graph, t, c))
                .collect();
            for (i, (ta, ca)) in forests.iter().enumerate() {
                for (j, (tb, cb)) in forests.iter().enumerate() {
                    let (ea, eb) = (&evals[i], &evals[j]);
                    let oa = crate::outcome(&graph, "", ta, ea, ca, false);
                    let ob = crate::outcome(&graph, "", tb, eb, cb, true);
                    let want = diff(&oa, &ob, None);
                    // Every unit whose tier or score moved is among the changed ones.
                    for b in &ob.units {
                        let moved = oa
                            .units
                            .iter()
                            .find(|a| a.id == b.id)
                            .is_some_and(|a| (&a.tier, &a.score) != (&b.tier, &b.score));
                        let listed = want.changed.iter().any(|c| c.id == b.id);
                        assert!(!moved || listed, "{name}: {i} against {j}: {}", b.id);
                    }
                    let got = diff_evaluations(&graph, (ta, ea), (tb, eb));
                    assert_eq!(got, want, "{name}: {i} against {j}");
                    // Against itself, every unit is passed over without making its outcome.
                    for u in (0..ta.units.len()).filter(|_| i == j) {
                        let id = &ta.units[u].id;
                        assert!(
                            unchanged(&graph, (ta, ea, u), (tb, eb, u)),
                            "{name}: {i} {id}"
                        );
                    }
                    compared += 1;
                    differences += want.changed.len() + want.added.len() + want.removed.len();
                }
            }
        }
        assert!(
            compared > 100 && differences > 1000,
            "{compared} {differences}"
        );
    }
}
