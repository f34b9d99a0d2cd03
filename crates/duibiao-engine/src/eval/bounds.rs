//! The range an unknown number still lies in: a scored part's between none and all of its points,
//! a formula's from its operands' ranges (see `span.rs`), an `if` on an unknown condition's
//! spanning both branches, a count, share or rank from the sub-units and peers known so far, and
//! a `sum` over sub-units from theirs. A fact without such a range (an unreported number) has
//! none, and neither has anything computed from it.

use super::ops::{bounded, from_tenths, tenths};
use super::span::Span;
use crate::store::UnitValues;
use duibiao_compiler::graph::{Aggregate, InputOrigin, KindGraph, Node, NodeId};
use duibiao_compiler::Value;
use duibiao_syntax::ast::{AggOp, CmpOp};
use rust_decimal::Decimal;

/// Where the ranges of one unit's nodes are read from: its values, and what lies beyond it.
pub(crate) trait Reader {
    /// The value of node `n` of the unit.
    fn value(&self, n: NodeId) -> Value;

    /// The range of aggregate or rank node `n` when its value is unknown.
    fn beyond(&mut self, n: NodeId, node: &Node) -> Option<Span>;
}

/// The range of node `n` of `kind`: its value when it is a known number, else the range its
/// operands give (`None` when it has none). Every node it reads comes before it, so the nodes it
/// needs are marked from `n` down, then their ranges computed up to `n`, without recursion.
pub(crate) fn span(kind: &KindGraph, n: NodeId, r: &mut impl Reader) -> Option<Span> {
    let [s] = spans(kind, [n], r);
    s
}

/// The ranges of nodes `ns` of `kind`, in one pass over the nodes they need (see [`span`]).
pub(crate) fn spans<const N: usize>(
    kind: &KindGraph,
    ns: [NodeId; N],
    r: &mut impl Reader,
) -> [Option<Span>; N] {
    let Some(last) = ns.iter().map(|&n| n as usize).max() else {
        return [None; N];
    };
    if kind.nodes.get(last).is_none() {
        return [None; N];
    }
    let mut needed = vec![false; last + 1];
    for &n in &ns {
        needed[n as usize] = true;
    }
    for (i, node) in kind.nodes.iter().enumerate().take(last + 1).rev() {
        if !needed[i] || !r.value(i as NodeId).is_unknown() {
            continue;
        }
        let mut mark = |x: NodeId| {
            if let Some(m) = needed.get_mut(x as usize) {
                *m = true;
            }
        };
        match node {
            Node::If(c, a, b) => match r.value(*c) {
                Value::Bool(true) => mark(*a),
                Value::Bool(false) => mark(*b),
                _ => {
                    mark(*a);
                    mark(*b);
                }
            },
            Node::Neg(_) | Node::Arith(..) | Node::Call(..) | Node::Sum(_) => {
                node.for_each_operand(&mut mark)
            }
            _ => {}
        }
    }
    let mut spans: Vec<Option<Span>> = vec![None; last + 1];
    for (i, node) in kind.nodes.iter().enumerate().take(last + 1) {
        if needed[i] {
            let s = own_span(kind, i as NodeId, node, &spans, r);
            spans[i] = s;
        }
    }
    ns.map(|n| spans.get(n as usize).copied().flatten())
}

/// The range of node `n` from the ranges of the nodes before it (`spans`).
fn own_span(
    kind: &KindGraph,
    n: NodeId,
    node: &Node,
    spans: &[Option<Span>],
    r: &mut impl Reader,
) -> Option<Span> {
    let v = r.value(n);
    if !v.is_unknown() {
        return Span::of(v);
    }
    let at = |x: &NodeId| spans.get(*x as usize).copied().flatten();
    match node {
        Node::Input(slot) => match kind.inputs.get(*slot)?.origin {
            InputOrigin::Points { max } => Some(Span {
                lo: Decimal::ZERO,
                hi: max,
            }),
            InputOrigin::Fact => None,
        },
        Node::Neg(a) => at(a).map(|s| -s),
        Node::Arith(op, a, b) => at(a)?.arith(*op, at(b)?),
        Node::If(c, a, b) => match r.value(*c) {
            Value::Bool(true) => at(a),
            Value::Bool(false) => at(b),
            _ => Some(at(a)?.hull(at(b)?)),
        },
        Node::Call(f, xs) => {
            let args: Option<Vec<Span>> = xs.iter().map(at).collect();
            Span::call(*f, &args?)
        }
        Node::Sum(xs) => Span::sum(xs.iter().map(at)),
        Node::Aggregate(_) | Node::Rank(_) | Node::PeersWhere(..) => r.beyond(n, node),
        _ => None,
    }
}

/// `a op b` (nodes of `kind`, valued in `row`, one of them unknown) when both are numbers of
/// points ([`points_span`]): decided from their ranges as [`spans`] and [`bounded`] decide it,
/// without building ranges node by node. Most comparisons with an unknown side are a score with a
/// part not given against its threshold. `None` when a side is anything else.
pub(crate) fn compare_points(
    kind: &KindGraph,
    op: CmpOp,
    (a, b): (NodeId, NodeId),
    row: &[Value],
) -> Option<Value> {
    let mut budget = POINTS_BUDGET;
    let (alo, ahi) = points_span(kind, a, row, &mut budget)?;
    let (blo, bhi) = points_span(kind, b, row, &mut budget)?;
    let d = from_tenths;
    Some(bounded(op, (d(alo)?, d(ahi)?), (d(blo)?, d(bhi)?)))
}

/// The most nodes [`points_span`] reads for one comparison (a derived sum may read another
/// twice, and that one another twice …).
const POINTS_BUDGET: u32 = 256;

/// The range of node `n` of `kind` valued in `row`, in whole tenths, when it is a number of
/// points: a known non-negative number of at most one decimal place, a scored part not given
/// (between none and all of its points), or a sum of such (a scorecard's items and score). The
/// range [`span`] gives (a sum of ranges of points added in tenths is their decimal sum, see
/// `Span::sum`). `None` for anything else, or when more than `budget` nodes would be read.
fn points_span(kind: &KindGraph, n: NodeId, row: &[Value], budget: &mut u32) -> Option<(u64, u64)> {
    *budget = budget.checked_sub(1)?;
    match row.get(n as usize)? {
        Value::Num(d) => return tenths(*d).map(|t| (t, t)),
        Value::Unknown => {}
        _ => return None,
    }
    match kind.nodes.get(n as usize)? {
        Node::Input(slot) => match kind.inputs.get(*slot)?.origin {
            InputOrigin::Points { max } => Some((0, tenths(max)?)),
            InputOrigin::Fact => None,
        },
        Node::Sum(xs) => {
            let (mut lo, mut hi) = (0u64, 0u64);
            for &x in xs {
                let (a, b) = points_span(kind, x, row, budget)?;
                lo = lo.checked_add(a)?;
                hi = hi.checked_add(b)?;
            }
            Some((lo, hi))
        }
        _ => None,
    }
}

/// The known number a numeric node takes whatever its unknown inputs are: its range's only
/// value, when its range has one (`x * 0`, `max(x, 900)` for `x` at most 900).
pub(crate) fn settled(kind: &KindGraph, n: NodeId, r: &mut impl Reader) -> Value {
    match span(kind, n, r) {
        Some(s) if s.lo == s.hi => Value::Num(s.lo),
        _ => Value::Unknown,
    }
}

/// The range of a `sum` over sub-units, built one sub-unit at a time. It also adds up the
/// greatest size of every value, so that no order of adding them (the tallies add sub-trees
/// first) can overflow when that sum does not.
pub(crate) struct SumSpan {
    span: Span,
    size: Decimal,
}

impl SumSpan {
    /// Over no sub-units yet.
    pub(crate) fn new() -> Self {
        SumSpan {
            span: Span::point(Decimal::ZERO),
            size: Decimal::ZERO,
        }
    }

    /// Adds a sub-unit whose filter is `filter` and whose value lies in `value()` (asked only
    /// when the filter does not fail): one that matches adds its value, one whose filter is
    /// unknown its value or nothing. `None` when the value has no range, or a sum overflows.
    pub(crate) fn add(
        &mut self,
        filter: Value,
        value: impl FnOnce() -> Option<Span>,
    ) -> Option<()> {
        let added = match filter {
            Value::Bool(false) => return Some(()),
            Value::Bool(true) => value()?,
            _ => value()?.hull(Span::point(Decimal::ZERO)),
        };
        self.size = self.size.checked_add(added.lo.abs().max(added.hi.abs()))?;
        self.span = self
            .span
            .arith(duibiao_compiler::graph::Arith::Add, added)?;
        Some(())
    }

    /// The range of the sum.
    pub(crate) fn span(self) -> Span {
        self.span
    }
}

/// The range of aggregate `agg` (a `sum`; `None` for other operators) over sub-units `subs`
/// (each with the index of the target it matches), with `values(sub)` a sub-unit's values and
/// `span(sub, node)` the range of one of its nodes.
pub(crate) fn sum_span<'v>(
    agg: &Aggregate,
    subs: impl IntoIterator<Item = (usize, usize)>,
    values: impl Fn(usize) -> UnitValues<'v>,
    mut span: impl FnMut(usize, NodeId) -> Option<Span>,
) -> Option<Span> {
    if agg.op != AggOp::Sum {
        return None;
    }
    let mut total = SumSpan::new();
    for (sub, t) in subs {
        let target = agg.targets.get(t)?;
        let node = target.value?;
        let vals = values(sub);
        total.add(crate::tally::matches(target, &vals), || {
            Span::of(vals.get(node)).or_else(|| span(sub, node))
        })?;
    }
    Some(total.span())
}

#[cfg(test)]
mod tests;
