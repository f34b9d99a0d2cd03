//! Gap plans (问题清单 / 提升清单): what stands between a unit and a tier, and a set of changes to
//! facts and scores that gets it there.
//!
//! The plan is built by repair: evaluate, take the first condition of the target tier that does
//! not hold, find changes that make it hold, apply them, evaluate again. A condition is made to
//! hold by
//! - raising (or lowering) points: the points needed go to the parts with the most headroom first
//!   (ties in the scorecard's order), each part raised no further than needed;
//! - lifting sub-units, fewest changes first (ties in the facts' order), each by its own plan;
//! - setting a boolean fact (clearing a veto, supplying an unreported fact);
//! - setting a reported number to the threshold.
//!
//! Afterwards every points change that is not needed is dropped, so no single points change can be
//! removed without missing the target. Every plan is checked by evaluating it before it is
//! returned: a plan that does not reach the target is reported as unreachable, never as a plan.
//!
//! A plan costs what the unit's subtree costs, not the forest: the planner works on the unit's
//! subtree alone ([`crate::incremental::subtree`]), evaluated once, and after each change
//! evaluates again only the changed units and their ancestors up to the unit being planned (the
//! sub-unit a lift tries, or the unit itself); trying a sub-unit's lift is undone change by
//! change. When the last points changes are checked one by one, the unit's value is known from
//! how many of its sub-units each of its aggregates counts (as met, unknown or not), so the unit
//! itself — which may have many thousands of sub-units — is evaluated again only when what it
//! reads of those counts is new (see `Top`). Where units are ranked among peers (which a change
//! anywhere can move), the whole forest is evaluated again after every change instead.

mod adjust;
mod lift;
mod linear;
mod plan;
mod records;
mod top;
mod work;

use crate::change::{describe, Change};
use crate::eval::{evaluate, Context};
use crate::incremental::subtree;
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Graph, NodeId};
use duibiao_compiler::Value;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use work::Work;

/// Why a target cannot be reached, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Reason {
    /// `impossible`: the rules cannot be met with these units; `not_planned`: a condition the
    /// planner does not solve (a formula, a rank), which changes by hand may still meet.
    pub kind: ReasonKind,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// Whether a target is out of reach, or only out of the planner's reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// The rules cannot be met with these units.
    Impossible,
    /// The planner does not solve this kind of condition.
    NotPlanned,
}

impl Reason {
    fn new(zh: String, en: String) -> Self {
        Reason {
            kind: ReasonKind::Impossible,
            zh,
            en,
        }
    }

    fn not_planned(zh: String, en: String) -> Self {
        Reason {
            kind: ReasonKind::NotPlanned,
            zh,
            en,
        }
    }
}

/// A plan: the changes that make `unit` reach `target`, or why it cannot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Plan {
    /// Whether the changes reach the target.
    pub reachable: bool,
    /// The changes (提升清单), in the order they were found.
    pub changes: Vec<Change>,
    /// Why the target cannot be reached, when it cannot.
    pub reasons: Vec<Reason>,
}

/// One assignment: unit index, input slot, new value.
type Step = (usize, usize, Value);

/// Most repair rounds for one plan.
const MAX_ROUNDS: usize = 200;

struct Planner<'g> {
    graph: &'g Graph,
}

/// Plans the changes that make boolean node `node` of unit `u` hold.
pub fn plan(graph: &Graph, ctx: &Context, tree: &UnitTree, u: usize, node: NodeId) -> Plan {
    match subtree(graph, tree, u) {
        Some((sub, su)) => plan_in(graph, ctx, sub.into_owned(), su, node, Mode::Incremental),
        None => plan_in(graph, ctx, tree.clone(), u, node, Mode::Full),
    }
}

/// How the planner's forest is evaluated again after a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The changed units and their ancestors, up to the unit being planned.
    Incremental,
    /// The whole forest (units ranked among peers: a change can move any of them).
    Full,
}

/// [`plan`] on `tree` (the forest, or the unit's subtree), evaluated again after each change as
/// `mode` says.
fn plan_in(
    graph: &Graph,
    ctx: &Context,
    tree: UnitTree,
    u: usize,
    node: NodeId,
    mode: Mode,
) -> Plan {
    let planner = Planner { graph };
    let mut work = Work::new(graph, ctx, tree, mode);
    if let Err(reasons) = planner.reach(&mut work, u, node) {
        return Plan {
            reachable: false,
            changes: Vec::new(),
            reasons,
        };
    }
    planner.minimise(&mut work, u, node);
    // Every input that differs from the facts', in unit and slot order.
    let changes: Vec<Change> = work
        .changes_since(0)
        .into_iter()
        .filter_map(|(i, slot, old, new)| describe(graph, &work.tree, i, slot, old, new))
        .collect();
    // Check the plan as a whole before handing it out (one evaluation held at a time).
    let Work { tree, eval, .. } = work;
    drop(eval);
    if evaluate(graph, &tree, ctx).value(&tree, u, node) == Value::Bool(true) {
        Plan {
            reachable: true,
            changes,
            reasons: Vec::new(),
        }
    } else {
        Plan {
            reachable: false,
            changes: Vec::new(),
            reasons: vec![Reason::new(
                "没有找到能达到目标的改动".into(),
                "no set of changes reaching the target was found".into(),
            )],
        }
    }
}

#[cfg(test)]
mod tests;
