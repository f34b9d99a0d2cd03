//! Adjusting numeric nodes: points, items and totals, reported numbers, and counts and shares of
//! sub-units, moved just far enough to meet a bound.

use super::work::Work;
use super::{Planner, Reason, Step};
use crate::eval::{matches, members};
use duibiao_compiler::graph::{InputOrigin, KindGraph, Node, NodeId};
use duibiao_compiler::{Dim, Type, Value};
use duibiao_syntax::ast::{AggOp, CmpOp};
use rust_decimal::Decimal;

impl Planner<'_> {
    /// Steps that make node `n` (points, a reported number, a count or share of sub-units)
    /// satisfy `n op bound`.
    pub(super) fn adjust(
        &self,
        work: &mut Work,
        u: usize,
        n: NodeId,
        op: CmpOp,
        bound: Decimal,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(&work.tree, u);
        match kg.nodes.get(n as usize) {
            Some(Node::Aggregate(agg)) if matches!(agg.op, AggOp::Count | AggOp::Share) => {
                let m = members(agg, Some(u), &work.tree);
                if m.is_empty() && agg.op == AggOp::Share {
                    return Err(vec![Reason::new(
                        format!(
                            "`{}` 没有下级单位 {}，比例无法计算，这项条件不能达到",
                            kg.name,
                            self.sub_kinds(agg, "、")
                        ),
                        format!(
                            "`{}` has no sub-units of kind {}: the share cannot be computed, so the condition cannot be met",
                            kg.name,
                            self.sub_kinds(agg, " or ")
                        ),
                    )]);
                }
                let total = Decimal::from(m.len() as u64);
                let count_needed = match agg.op {
                    AggOp::Count => Some(bound),
                    _ => bound.checked_mul(total),
                };
                let need = match (op, count_needed) {
                    (_, None) => None,
                    (CmpOp::Ge | CmpOp::Eq, Some(c)) => Some(c.ceil()),
                    (CmpOp::Gt, Some(c)) => c.floor().checked_add(Decimal::ONE),
                    _ => return Err(vec![self.cannot(kg)]),
                };
                let Some(need) = need else {
                    return Err(vec![too_large(kg)]);
                };
                let matched = m
                    .iter()
                    .filter(|(s, t)| {
                        matches(agg, *t, *s, &work.tree, &work.eval) == Value::Bool(true)
                    })
                    .count();
                let Some(more) = need.checked_sub(Decimal::from(matched as u64)) else {
                    return Err(vec![too_large(kg)]);
                };
                if more <= Decimal::ZERO {
                    // Unknown members only: settle them.
                    return self.lift(work, u, agg, 1);
                }
                let more = more.to_string().parse::<usize>().unwrap_or(usize::MAX);
                self.lift(work, u, agg, more)
            }
            _ => {
                let inputs = points_inputs(kg, n);
                if inputs.is_empty() {
                    return Err(vec![self.cannot(kg)]);
                }
                let unit = &work.tree.units[u];
                let target = match op {
                    CmpOp::Ge | CmpOp::Eq | CmpOp::Le => Some(bound),
                    CmpOp::Gt | CmpOp::Ne => bound.checked_add(step(kg, n)),
                    CmpOp::Lt => bound.checked_sub(step(kg, n)),
                };
                let Some(target) = target else {
                    return Err(vec![too_large(kg)]);
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
        let Some(mut delta) = target.checked_sub(current) else {
            return Err(vec![too_large(kg)]);
        };
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
                        max.map_or(delta, |m| m.checked_sub(v).unwrap_or(Decimal::MAX))
                    } else {
                        v
                    },
                )
            })
            .filter(|(_, _, r)| *r > Decimal::ZERO)
            .collect();
        // Most room first; ties keep the scorecard's order (a stable sort).
        room.sort_by_key(|r| std::cmp::Reverse(r.2));
        // A sum beyond what a number holds is more than any change needs.
        let available = room
            .iter()
            .try_fold(Decimal::ZERO, |a, r| a.checked_add(r.2))
            .unwrap_or(Decimal::MAX);
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
            let new = if raising {
                v.checked_add(d)
            } else {
                v.checked_sub(d)
            };
            let Some(new) = new else {
                return Err(vec![too_large(kg)]);
            };
            steps.push((u, s, Value::Num(new.normalize())));
            delta = if raising { delta - d } else { delta + d };
        }
        Ok(steps)
    }
}

/// Whether node `n` is something the plan can move: points, an item or total, a reported number,
/// or a count or share of sub-units.
pub(super) fn adjustable(kg: &KindGraph, n: NodeId) -> bool {
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

/// Why a plan cannot be made when its numbers go beyond what a number holds.
fn too_large(kg: &KindGraph) -> Reason {
    Reason::new(
        format!("`{}` 的这项条件涉及的数值超出可表示的范围，无法计算提升清单", kg.name),
        format!(
            "the numbers of this condition of `{}` go beyond what a number holds: no plan can be computed",
            kg.name
        ),
    )
}
