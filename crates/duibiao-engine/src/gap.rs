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

use crate::change::{describe, Change};
use crate::eval::{evaluate, matches, members, Context, Evaluation};
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Aggregate, Graph, InputOrigin, KindGraph, Node, NodeId};
use duibiao_compiler::{Dim, Type, Value};
use duibiao_syntax::ast::{AggOp, CmpOp};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

struct Planner<'a> {
    graph: &'a Graph,
    ctx: &'a Context,
}

/// Plans the changes that make boolean node `node` of unit `u` hold.
pub fn plan(graph: &Graph, ctx: &Context, tree: &UnitTree, u: usize, node: NodeId) -> Plan {
    let planner = Planner { graph, ctx };
    let mut work = tree.clone();
    match planner.reach(&mut work, u, node) {
        Ok(()) => {
            planner.minimise(tree, &mut work, u, node);
            let changes = diff(graph, tree, &work);
            // Check the plan as a whole before handing it out.
            let reached = planner.holds(&work, &evaluate(graph, &work, ctx), u, node);
            if reached {
                Plan {
                    reachable: true,
                    changes,
                    reasons: Vec::new(),
                }
            } else {
                drop(changes);
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
        Err(reasons) => Plan {
            reachable: false,
            changes: Vec::new(),
            reasons,
        },
    }
}

/// The changes between two versions of a tree, in unit and slot order.
fn diff(graph: &Graph, before: &UnitTree, after: &UnitTree) -> Vec<Change> {
    let mut out = Vec::new();
    for (u, (a, b)) in before.units.iter().zip(&after.units).enumerate() {
        for (slot, (x, y)) in a.inputs.iter().zip(&b.inputs).enumerate() {
            if x != y {
                out.extend(describe(graph, before, u, slot, *x, *y));
            }
        }
    }
    out
}

impl Planner<'_> {
    fn kind(&self, tree: &UnitTree, u: usize) -> &KindGraph {
        &self.graph.kinds[tree.units[u].kind as usize]
    }

    fn holds(&self, tree: &UnitTree, eval: &Evaluation, u: usize, n: NodeId) -> bool {
        eval.value(tree, u, n) == Value::Bool(true)
    }

    /// Repairs until node `n` of unit `u` holds.
    fn reach(&self, tree: &mut UnitTree, u: usize, n: NodeId) -> Result<(), Vec<Reason>> {
        for _ in 0..MAX_ROUNDS {
            let eval = evaluate(self.graph, tree, self.ctx);
            if self.holds(tree, &eval, u, n) {
                return Ok(());
            }
            let steps = self.make(tree, &eval, u, n, true)?;
            if steps.is_empty() {
                return Err(vec![Reason::new(
                    "没有找到能达到目标的改动".into(),
                    "no change brings the target closer".into(),
                )]);
            }
            for (unit, slot, v) in steps {
                if let Some(x) = tree
                    .units
                    .get_mut(unit)
                    .and_then(|x| x.inputs.get_mut(slot))
                {
                    *x = v;
                }
            }
        }
        Err(vec![Reason::new(
            "改动步骤过多，没有找到计划".into(),
            "too many steps: no plan found".into(),
        )])
    }

    /// Drops every points change whose reversal still reaches the target, last first, until none
    /// can be dropped (undoing one change can make another unnecessary).
    fn minimise(&self, original: &UnitTree, work: &mut UnitTree, u: usize, n: NodeId) {
        loop {
            let mut changed: Vec<(usize, usize)> = Vec::new();
            for (i, (a, b)) in original.units.iter().zip(&work.units).enumerate() {
                let kg = self.kind(original, i);
                for (slot, (x, y)) in a.inputs.iter().zip(&b.inputs).enumerate() {
                    if x != y
                        && matches!(
                            kg.inputs.get(slot).map(|s| &s.origin),
                            Some(InputOrigin::Points { .. })
                        )
                    {
                        changed.push((i, slot));
                    }
                }
            }
            let mut dropped = false;
            for &(i, slot) in changed.iter().rev() {
                let before = original.units[i].inputs[slot];
                let after = std::mem::replace(&mut work.units[i].inputs[slot], before);
                let eval = evaluate(self.graph, work, self.ctx);
                if self.holds(work, &eval, u, n) {
                    dropped = true;
                } else {
                    work.units[i].inputs[slot] = after;
                }
            }
            if !dropped {
                return;
            }
        }
    }

    /// Steps that move node `n` of unit `u` towards `want` (true or false).
    fn make(
        &self,
        tree: &UnitTree,
        eval: &Evaluation,
        u: usize,
        n: NodeId,
        want: bool,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(tree, u);
        let Some(node) = kg.nodes.get(n as usize) else {
            return Err(Vec::new());
        };
        let is = |x: NodeId| eval.value(tree, u, x);
        match (node, want) {
            (Node::Input(slot), _) => Ok(vec![(u, *slot, Value::Bool(want))]),
            (Node::Not(x), _) => self.make(tree, eval, u, *x, !want),
            (Node::And(xs), true) | (Node::Or(xs), false) => {
                // The first part that does not yet have the wanted value.
                match xs.iter().find(|x| is(**x) != Value::Bool(want)) {
                    Some(x) => self.make(tree, eval, u, *x, want),
                    None => Ok(Vec::new()),
                }
            }
            (Node::Or(xs), true) | (Node::And(xs), false) => {
                // The cheapest part to turn; doing what a rule asks comes before escaping its
                // premise (`要求 when 前提` holds by doing the 要求, not by undoing the 前提).
                let mut best: Option<(bool, Vec<Step>)> = None;
                let mut why = Vec::new();
                for x in xs {
                    let escape = want && matches!(kg.nodes.get(*x as usize), Some(Node::Not(_)));
                    match self.make(tree, eval, u, *x, want) {
                        Ok(s)
                            if best
                                .as_ref()
                                .is_none_or(|(e, b)| (escape, s.len()) < (*e, b.len())) =>
                        {
                            best = Some((escape, s))
                        }
                        Ok(_) => {}
                        Err(r) => why.extend(r),
                    }
                }
                best.map(|b| b.1).ok_or(why)
            }
            (Node::Compare(op, a, b), _) => {
                let op = if want { *op } else { op.negated() };
                self.compare(tree, eval, u, op, *a, *b)
            }
            (Node::Aggregate(agg), _) if agg.op == AggOp::All && want => {
                self.lift(tree, eval, u, agg, usize::MAX)
            }
            (Node::Aggregate(agg), _) if agg.op == AggOp::Any && want => {
                self.lift(tree, eval, u, agg, 1)
            }
            _ => Err(vec![self.cannot(kg)]),
        }
    }

    fn cannot(&self, kg: &KindGraph) -> Reason {
        Reason::not_planned(
            format!("`{}` 的一项条件不能自动规划（它取决于计算公式、排名，或比较的两边都会变化），可以用 `--set` 手动尝试", kg.name),
            format!("a condition of `{}` is not planned automatically (it depends on a formula or a rank, or both sides of a comparison vary); try changes by hand with `--set`", kg.name),
        )
    }

    /// Steps that make `a op b` hold, adjusting `a` (or `b` when `a` is fixed).
    fn compare(
        &self,
        tree: &UnitTree,
        eval: &Evaluation,
        u: usize,
        op: CmpOp,
        a: NodeId,
        b: NodeId,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(tree, u);
        let (va, vb) = (eval.value(tree, u, a), eval.value(tree, u, b));
        if let (Some(bound), true) = (vb.as_num(), adjustable(kg, a)) {
            return self.adjust(tree, eval, u, a, op, bound);
        }
        if let (Some(bound), true) = (va.as_num(), adjustable(kg, b)) {
            return self.adjust(tree, eval, u, b, op.flipped(), bound);
        }
        match (kg.nodes.get(a as usize), vb) {
            // A level or a date reported by the unit: set it to what is required.
            (Some(Node::Input(slot)), known)
                if !known.is_unknown() && matches!(op, CmpOp::Ge | CmpOp::Le | CmpOp::Eq) =>
            {
                Ok(vec![(u, *slot, known)])
            }
            _ => Err(vec![self.cannot(kg)]),
        }
    }

    /// Steps that make node `n` (points, a reported number, a count or share of sub-units)
    /// satisfy `n op bound`.
    fn adjust(
        &self,
        tree: &UnitTree,
        eval: &Evaluation,
        u: usize,
        n: NodeId,
        op: CmpOp,
        bound: Decimal,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(tree, u);
        match kg.nodes.get(n as usize) {
            Some(Node::Aggregate(agg)) if matches!(agg.op, AggOp::Count | AggOp::Share) => {
                let m = members(agg, Some(u), tree);
                if m.is_empty() && agg.op == AggOp::Share {
                    return Err(vec![Reason::new(
                        format!("`{}` 没有这类下级单位，比例无法计算，这项条件不能达到", kg.name),
                        format!("`{}` has no sub-units of this kind: the share cannot be computed, so the condition cannot be met", kg.name),
                    )]);
                }
                let total = Decimal::from(m.len() as u64);
                let count_needed = match agg.op {
                    AggOp::Count => bound,
                    _ => bound * total,
                };
                let need = match op {
                    CmpOp::Ge | CmpOp::Eq => count_needed.ceil(),
                    CmpOp::Gt => count_needed.floor() + Decimal::ONE,
                    _ => return Err(vec![self.cannot(kg)]),
                };
                let matched = m
                    .iter()
                    .filter(|(s, t)| matches(agg, *t, *s, tree, eval) == Value::Bool(true))
                    .count();
                let more = need - Decimal::from(matched as u64);
                if more <= Decimal::ZERO {
                    // Unknown members only: settle them.
                    return self.lift(tree, eval, u, agg, 1);
                }
                let more = more.to_string().parse::<usize>().unwrap_or(usize::MAX);
                self.lift(tree, eval, u, agg, more)
            }
            _ => {
                let inputs = points_inputs(kg, n);
                if inputs.is_empty() {
                    return Err(vec![self.cannot(kg)]);
                }
                let unit = &tree.units[u];
                let target = match op {
                    CmpOp::Ge | CmpOp::Eq => bound,
                    CmpOp::Gt => bound + step(kg, n),
                    CmpOp::Le => bound,
                    CmpOp::Lt => bound - step(kg, n),
                    CmpOp::Ne => bound + step(kg, n),
                };
                self.distribute(kg, u, unit, &inputs, op, target)
            }
        }
    }

    /// Points (or a reported number) moved from `current` to `target`: gains go to the parts with
    /// the most headroom first, losses to the parts with the most points first.
    fn distribute(
        &self,
        kg: &KindGraph,
        u: usize,
        unit: &crate::tree::Unit,
        inputs: &[(usize, Option<Decimal>)],
        op: CmpOp,
        target: Decimal,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let current: Decimal = inputs
            .iter()
            .map(|&(s, _)| {
                unit.inputs
                    .get(s)
                    .and_then(|v| v.as_num())
                    .unwrap_or_default()
            })
            .sum();
        // Unreported parts count as 0 and are supplied by the plan.
        let now: Vec<(usize, Decimal, Option<Decimal>, bool)> = inputs
            .iter()
            .map(|&(s, max)| {
                let v = unit.inputs.get(s).copied().unwrap_or_default();
                (s, v.as_num().unwrap_or_default(), max, v.is_unknown())
            })
            .collect();
        // Only ever move towards the threshold: a sum already past it (once unreported parts are
        // supplied) needs no further points.
        let mut delta = target - current;
        if (lower_is_fine(op) && delta > Decimal::ZERO)
            || (!lower_is_fine(op) && delta < Decimal::ZERO)
        {
            delta = Decimal::ZERO;
        }
        let raising = delta > Decimal::ZERO;
        // How far each part can move: up to its maximum, or down to 0.
        let mut room: Vec<(usize, Decimal, Decimal)> = now
            .iter()
            .map(|&(s, v, max, _)| {
                (
                    s,
                    v,
                    if raising {
                        max.map_or(delta, |m| m - v)
                    } else {
                        v
                    },
                )
            })
            .filter(|(_, _, r)| *r > Decimal::ZERO)
            .collect();
        // Most room first; ties keep the scorecard's order (a stable sort).
        room.sort_by_key(|r| std::cmp::Reverse(r.2));
        let available: Decimal = room.iter().map(|r| r.2).sum();
        if delta.abs() > available {
            let (need, have) = (delta.abs().normalize(), available.normalize());
            return Err(vec![Reason::new(
                format!(
                    "`{}` 需要再变动 {need} 分，但可变动的只有 {have} 分",
                    kg.name
                ),
                format!(
                    "`{}` needs {need} more points but only {have} can still be gained",
                    kg.name
                ),
            )]);
        }
        let mut steps: Vec<Step> = now
            .iter()
            .filter(|x| x.3)
            .map(|&(s, _, _, _)| (u, s, Value::Num(Decimal::ZERO)))
            .collect();
        for (s, v, r) in room {
            if delta.is_zero() {
                break;
            }
            let d = r.min(delta.abs());
            let new = if raising { v + d } else { v - d };
            steps.push((u, s, Value::Num(new.normalize())));
            delta = if raising { delta - d } else { delta + d };
        }
        Ok(steps)
    }

    /// Lifts up to `count` sub-units that do not match the aggregate's filter (unknown ones
    /// first, then those needing the fewest changes; ties in the facts' order) by their own plans.
    fn lift(
        &self,
        tree: &UnitTree,
        eval: &Evaluation,
        u: usize,
        agg: &Aggregate,
        count: usize,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(tree, u);
        let mut candidates: Vec<(usize, Vec<Step>)> = Vec::new();
        let mut why = Vec::new();
        let open: Vec<(usize, usize)> = members(agg, Some(u), tree)
            .into_iter()
            .filter(|(s, t)| matches(agg, *t, *s, tree, eval) != Value::Bool(true))
            .collect();
        for (s, t) in &open {
            let Some(filter) = agg.targets[*t].filter else {
                continue;
            };
            let mut scratch = tree.clone();
            match self.reach(&mut scratch, *s, filter) {
                Ok(()) => {
                    let steps: Vec<Step> = scratch
                        .units
                        .iter()
                        .enumerate()
                        .flat_map(|(i, x)| {
                            let before = &tree.units[i].inputs;
                            x.inputs
                                .iter()
                                .enumerate()
                                .filter(move |(slot, v)| before.get(*slot) != Some(v))
                                .map(move |(slot, v)| (i, slot, *v))
                        })
                        .collect();
                    candidates.push((*s, steps));
                }
                Err(r) => why.extend(r),
            }
        }
        let needed = count.min(open.len());
        if candidates.len() < needed || (count != usize::MAX && candidates.len() < count) {
            let have = candidates.len();
            let want = if count == usize::MAX {
                open.len()
            } else {
                count
            };
            why.push(Reason::new(
                format!(
                    "`{}` 需要再有 {want} 个下级单位达标，但只有 {have} 个能够提升",
                    kg.name
                ),
                format!(
                    "`{}` needs {want} more sub-units to qualify but only {have} can be lifted",
                    kg.name
                ),
            ));
            return Err(why);
        }
        // Fewest changes first; a stable sort keeps the facts' order among equals.
        candidates.sort_by_key(|(_, steps)| steps.len());
        Ok(candidates
            .into_iter()
            .take(needed)
            .flat_map(|(_, s)| s)
            .collect())
    }
}

/// Whether node `n` is something the plan can move: points, an item or total, a reported number,
/// or a count or share of sub-units.
fn adjustable(kg: &KindGraph, n: NodeId) -> bool {
    match kg.nodes.get(n as usize) {
        Some(Node::Aggregate(a)) => {
            matches!(a.op, AggOp::Count | AggOp::Share)
                && a.targets.iter().all(|t| t.filter.is_some())
        }
        _ => !points_inputs(kg, n).is_empty(),
    }
}

/// The inputs a points node sums (with their maxima), or a single reported number.
fn points_inputs(kg: &KindGraph, n: NodeId) -> Vec<(usize, Option<Decimal>)> {
    match kg.nodes.get(n as usize) {
        Some(Node::Input(slot)) => match kg.inputs.get(*slot) {
            Some(i) => match (&i.origin, i.ty) {
                (InputOrigin::Points { max }, _) => vec![(*slot, Some(*max))],
                (_, Type::Num(_)) => vec![(*slot, None)],
                _ => Vec::new(),
            },
            None => Vec::new(),
        },
        Some(Node::Sum(xs)) => {
            let parts: Vec<Vec<(usize, Option<Decimal>)>> =
                xs.iter().map(|x| points_inputs(kg, *x)).collect();
            if parts.iter().any(|p| p.is_empty()) {
                Vec::new()
            } else {
                parts.into_iter().flatten().collect()
            }
        }
        _ => Vec::new(),
    }
}

/// Whether `x op bound` is met by lowering `x` (`<=`, `<`) rather than raising it.
fn lower_is_fine(op: CmpOp) -> bool {
    matches!(op, CmpOp::Le | CmpOp::Lt)
}

/// The smallest step of a quantity, for strict comparisons: 1 for counts, 0.5 for points, 0.01
/// otherwise.
fn step(kg: &KindGraph, n: NodeId) -> Decimal {
    match kg.types.get(n as usize) {
        Some(Type::Num(Dim::Count)) => Decimal::ONE,
        Some(Type::Num(Dim::Points)) => Decimal::new(5, 1),
        _ => Decimal::new(1, 2),
    }
}
