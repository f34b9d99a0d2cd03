//! Progress against dated targets: every target due by a date, met or missed, with the numbers
//! per unit and overall. Each target is checked with the parameters and quota values in force on
//! its own due date; soft targets (力争) are reported and never count as missed.

use crate::eval::{evaluate, Context, MissingParam};
use crate::outcome::{comparison, Verdict};
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Graph, TargetScope};
use duibiao_compiler::Value;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Progress of a forest against a standard's targets on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Progress {
    /// The standard's slug.
    pub standard: String,
    /// The fingerprint of the compiled standard.
    pub fingerprint: String,
    /// The date progress is reported on.
    pub as_of: String,
    /// Every target due on or before `as_of`, by due date.
    pub targets: Vec<TargetProgress>,
    /// Whether every hard target due is met (soft targets do not count).
    pub all_hard_met: bool,
}

/// One target on one due date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct TargetProgress {
    /// The target's name.
    pub name: String,
    /// The due date.
    pub due: String,
    /// Soft (力争): reported, never missed.
    pub soft: bool,
    /// `pass` when met by every unit, `fail` when missed by any, else `unknown`.
    pub status: Verdict,
    /// The condition as written.
    pub expr: String,
    /// The description (the document's words).
    pub text: Option<String>,
    /// The clause citation.
    pub clause: Option<String>,
    /// One row per unit checked (one row without a unit for an `overall` target).
    pub rows: Vec<TargetRow>,
}

/// A target's result for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct TargetRow {
    /// The unit's id (`None` for the whole forest).
    pub unit: Option<String>,
    /// The unit's name.
    pub name: Option<String>,
    /// Met, missed or unknown.
    pub verdict: Verdict,
    /// The value reached, when the target is a comparison.
    pub actual: Option<String>,
    /// The comparison.
    pub op: Option<Cow<'static, str>>,
    /// The value required.
    pub required: Option<String>,
}

/// Checks every target due on or before `as_of` (a large forest evaluated on rayon's pool).
pub fn progress(
    graph: &Graph,
    fingerprint: &str,
    tree: &UnitTree,
    supplied: &[(usize, Value)],
    as_of: chrono::NaiveDate,
) -> Result<Progress, Vec<MissingParam>> {
    progress_with(graph, fingerprint, tree, supplied, as_of, true)
}

/// As [`progress`]; with `parallel` false, every evaluation runs on the calling thread and never
/// touches rayon (see [`Context::parallel`]).
pub fn progress_with(
    graph: &Graph,
    fingerprint: &str,
    tree: &UnitTree,
    supplied: &[(usize, Value)],
    as_of: chrono::NaiveDate,
    parallel: bool,
) -> Result<Progress, Vec<MissingParam>> {
    // One evaluation per due date, with the values in force on that date.
    let mut by_date = BTreeMap::new();
    for t in &graph.targets {
        for &d in t.due.iter().filter(|d| **d <= as_of) {
            if let std::collections::btree_map::Entry::Vacant(slot) = by_date.entry(d) {
                let ctx = Context::new(graph, supplied, Some(d))?.with_parallel(parallel);
                slot.insert(evaluate(graph, tree, &ctx));
            }
        }
    }
    let mut targets = Vec::new();
    for (&d, eval) in &by_date {
        for t in graph.targets.iter().filter(|t| t.due.contains(&d)) {
            let rows: Vec<TargetRow> = match &t.scope {
                TargetScope::Overall(node) => {
                    let overall =
                        |n: u32| eval.overall.get(n as usize).copied().unwrap_or_default();
                    let c = comparison(graph, &graph.overall, overall, *node);
                    vec![TargetRow {
                        unit: None,
                        name: None,
                        verdict: Verdict::of(
                            eval.overall
                                .get(*node as usize)
                                .copied()
                                .unwrap_or_default(),
                        ),
                        actual: c.actual,
                        op: c.op.map(Cow::Borrowed),
                        required: c.threshold,
                    }]
                }
                TargetScope::Kinds(nodes) => tree
                    .units
                    .iter()
                    .enumerate()
                    .filter_map(|(u, unit)| {
                        let &(_, node) = nodes.iter().find(|(k, _)| *k == unit.kind)?;
                        let kg = graph.kinds.get(unit.kind as usize)?;
                        let vals = eval.unit(tree, u);
                        let c = comparison(graph, kg, |n| vals.get(n), node);
                        Some(TargetRow {
                            unit: Some(unit.id.to_string()),
                            name: unit.name.as_deref().map(str::to_owned),
                            verdict: Verdict::of(vals.get(node)),
                            actual: c.actual,
                            op: c.op.map(Cow::Borrowed),
                            required: c.threshold,
                        })
                    })
                    .collect(),
            };
            // No unit of the target's kinds in the facts: nothing shows it is met.
            let status = if rows.iter().any(|r| r.verdict == Verdict::Fail) {
                Verdict::Fail
            } else if !rows.is_empty() && rows.iter().all(|r| r.verdict == Verdict::Pass) {
                Verdict::Pass
            } else {
                Verdict::Unknown
            };
            targets.push(TargetProgress {
                name: t.name.clone(),
                due: d.format("%Y-%m-%d").to_string(),
                soft: t.soft,
                status,
                expr: t.expr.clone(),
                text: t.source.doc.clone(),
                clause: t.source.cite.as_ref().map(|c| c.clause.clone()),
                rows,
            });
        }
    }
    let all_hard_met = targets.iter().all(|t| t.soft || t.status == Verdict::Pass);
    Ok(Progress {
        standard: graph.info.slug.clone(),
        fingerprint: fingerprint.to_string(),
        as_of: as_of.format("%Y-%m-%d").to_string(),
        targets,
        all_hard_met,
    })
}
