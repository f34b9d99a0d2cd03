//! Adjusting numeric nodes: points, items and totals, reported numbers, and counts and shares of
//! sub-units, moved just far enough to meet a bound.

use super::linear::{linear, Linear, Part};
use super::work::Work;
use super::{Planner, Reason, Step};
use crate::eval::{matches, members};
use duibiao_compiler::graph::{KindGraph, Node, NodeId};
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
                    _ => return Err(vec![self.cannot(kg, &[n])]),
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
                let Some(lin) = linear(kg, n) else {
                    return Err(vec![self.cannot(kg, &[n])]);
                };
                let unit = &work.tree.units[u];
                let target = match op {
                    CmpOp::Ge | CmpOp::Eq | CmpOp::Le => Some(bound),
                    CmpOp::Gt | CmpOp::Ne => bound.checked_add(step(kg, n)),
                    CmpOp::Lt => bound.checked_sub(step(kg, n)),
                };
                let Some(target) = target else {
                    return Err(vec![too_large(kg)]);
                };
                self.distribute(kg, u, unit, &lin, op, target)
            }
        }
    }

    /// A weighted sum of points (or reported numbers) moved from where it is to `target`: the
    /// parts that can move it furthest go first, each no further than needed; a part weighs in
    /// by its weight (`考评 * 70%` moves the value 0.7 a point) and one subtracted moves the value
    /// the other way (fewer 减分项 raise it).
    fn distribute(
        &self,
        kg: &KindGraph,
        u: usize,
        unit: &crate::tree::Unit,
        lin: &Linear,
        op: CmpOp,
        target: Decimal,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        // Unreported parts count as 0 and are supplied by the plan.
        let now: Vec<(Part, Decimal, bool)> = lin
            .parts
            .iter()
            .map(|p| {
                let v = unit.inputs.get(p.slot).unwrap_or_default();
                (*p, v.as_num().unwrap_or_default(), v.is_unknown())
            })
            .collect();
        let current = now.iter().try_fold(lin.constant, |a, (p, v, _)| {
            a.checked_add(p.weight.checked_mul(*v)?)
        });
        let Some(mut delta) = current.and_then(|c| target.checked_sub(c)) else {
            return Err(vec![too_large(kg)]);
        };
        // Only ever move towards the threshold: a value already past it (once unreported parts
        // are supplied) needs no further points.
        if (lower_is_fine(op) && delta > Decimal::ZERO)
            || (!lower_is_fine(op) && delta < Decimal::ZERO)
        {
            delta = Decimal::ZERO;
        }
        let raising = delta > Decimal::ZERO;
        // How far each part can move the value: its input up to its maximum (or without end for
        // a reported number) or down to 0, whichever way moves the value the right way.
        let mut room: Vec<(Part, Decimal, bool, Option<Decimal>, Decimal)> = now
            .iter()
            .map(|&(p, v, _)| {
                let up = raising == (p.weight > Decimal::ZERO);
                let input_room = match (up, p.max) {
                    (true, Some(m)) => Some(m.checked_sub(v).unwrap_or(Decimal::MAX)),
                    (true, None) => None,
                    (false, _) => Some(v),
                };
                let value_room = match input_room {
                    Some(r) => r.checked_mul(p.weight.abs()).unwrap_or(Decimal::MAX),
                    None => delta.abs(),
                };
                (p, v, up, input_room, value_room)
            })
            .filter(|r| r.4 > Decimal::ZERO)
            .collect();
        // Most room first; ties keep the scorecard's order (a stable sort).
        room.sort_by_key(|r| std::cmp::Reverse(r.4));
        // A sum beyond what a number holds is more than any change needs.
        let available = room
            .iter()
            .try_fold(Decimal::ZERO, |a, r| a.checked_add(r.4))
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
            .filter(|x| x.2)
            .map(|&(p, _, _)| (u, p.slot, Value::Num(Decimal::ZERO)))
            .collect();
        for (p, v, up, input_room, value_room) in room {
            if delta.is_zero() {
                break;
            }
            let d = value_room.min(delta.abs());
            // The input's move. Through a weight other than 1 it is rounded up to what assessors
            // write (whole counts, half points, else hundredths), so that the value moves at least
            // `d`; either way it stays within its room.
            let grain = match kg.inputs.get(p.slot).map(|i| i.ty) {
                _ if p.weight.abs() == Decimal::ONE => None,
                Some(Type::Num(Dim::Count)) => Some(Decimal::ONE),
                Some(Type::Num(Dim::Points)) => Some(Decimal::new(5, 1)),
                _ => Some(Decimal::new(1, 2)),
            };
            let dx = d.checked_div(p.weight.abs()).and_then(|x| match grain {
                Some(g) => x.checked_div(g).and_then(|x| x.ceil().checked_mul(g)),
                None => Some(x),
            });
            let Some(mut dx) = dx else {
                return Err(vec![too_large(kg)]);
            };
            if let Some(r) = input_room {
                dx = dx.min(r);
            }
            let new = if up {
                v.checked_add(dx)
            } else {
                v.checked_sub(dx)
            };
            let Some(new) = new else {
                return Err(vec![too_large(kg)]);
            };
            steps.push((u, p.slot, Value::Num(new.normalize())));
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
        _ => linear(kg, n).is_some(),
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
