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
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A unit's values as they stand in a row, nothing beyond them.
    struct Row<'a>(&'a [Value]);

    impl Reader for Row<'_> {
        fn value(&self, n: NodeId) -> Value {
            self.0.get(n as usize).copied().unwrap_or(Value::Unknown)
        }

        fn beyond(&mut self, _: NodeId, _: &Node) -> Option<Span> {
            None
        }
    }

    fn kinds() -> &'static [KindGraph] {
        static KINDS: std::sync::OnceLock<Vec<KindGraph>> = std::sync::OnceLock::new();
        KINDS.get_or_init(|| {
            let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../standards");
            let mut kinds = Vec::new();
            for entry in std::fs::read_dir(root).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|x| x == "std") {
                    let src = std::fs::read_to_string(&path).unwrap();
                    let graph = duibiao_compiler::compile(&src).graph.unwrap();
                    kinds.extend(graph.kinds);
                }
            }
            kinds
        })
    }

    /// Numbers below `n` drawn from `seed` (xorshift), for rows of random values.
    fn draws(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut state = seed | 1;
        move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        }
    }

    proptest! {
        /// Wherever a comparison is decided from ranges of points, the ranges built node by node
        /// decide it the same: for every comparison of every kind of every standard, in rows of
        /// random values (unknown, points in tenths, other decimals, truth values; any mix, so
        /// that sums known and unknown, parts given and not, and what is not points all occur).
        #[test]
        fn comparisons_of_points_are_decided_as_ranges_decide_them(seed: u64) {
            let mut draw = draws(seed);
            for kind in kinds() {
                let row: Vec<Value> = kind
                    .nodes
                    .iter()
                    .map(|node| match (node, draw(10)) {
                        (Node::Const(v), _) => *v,
                        // Parts given in halves, or not; sums mostly left unknown, as they are
                        // when a part is not given.
                        (Node::Input(slot), d) => match kind.inputs[*slot].origin {
                            InputOrigin::Points { max } if d < 7 => {
                                let halves = (max * Decimal::TWO).trunc().mantissa() as u64;
                                Value::Num(Decimal::new(5 * draw(halves + 1) as i64, 1))
                            }
                            _ => Value::Unknown,
                        },
                        (Node::Sum(_), 0..=7) => Value::Unknown,
                        (_, 0..=3) => Value::Unknown,
                        (_, 4..=7) => Value::Num(Decimal::new(draw(2_000) as i64, draw(2) as u32)),
                        (_, 8) => Value::Num(Decimal::new(draw(2_000) as i64 - 1_000, 2)),
                        _ => Value::Bool(draw(2) == 0),
                    })
                    .collect();
                for node in &kind.nodes {
                    let Node::Compare(op, a, b) = node else {
                        continue;
                    };
                    let Some(fast) = compare_points(kind, *op, (*a, *b), &row) else {
                        continue;
                    };
                    let slow = match spans(kind, [*a, *b], &mut Row(&row)) {
                        [Some(x), Some(y)] => bounded(*op, (x.lo, x.hi), (y.lo, y.hi)),
                        _ => Value::Unknown,
                    };
                    prop_assert_eq!(fast, slow, "{} {:?}", kind.name, node);
                }
            }
        }
    }

    /// A unit's values as they stand in a row, every node whose value or range is read noted.
    struct Watch<'a> {
        row: &'a [Value],
        read: std::cell::RefCell<std::collections::BTreeSet<NodeId>>,
    }

    impl Reader for Watch<'_> {
        fn value(&self, n: NodeId) -> Value {
            self.read.borrow_mut().insert(n);
            self.row.get(n as usize).copied().unwrap_or(Value::Unknown)
        }

        fn beyond(&mut self, n: NodeId, _: &Node) -> Option<Span> {
            self.read.borrow_mut().insert(n);
            None
        }
    }

    /// The nodes the range of `n` may read, found by recursion (the oracle of the marking in
    /// [`spans`]): `n` itself; if its value is unknown, its operands, and of an `if` only the
    /// branch its known condition takes.
    fn may_read(kind: &KindGraph, n: NodeId, row: &[Value], out: &mut Vec<NodeId>) {
        out.push(n);
        if !row[n as usize].is_unknown() {
            return;
        }
        match &kind.nodes[n as usize] {
            Node::If(c, a, b) => {
                out.push(*c);
                match row[*c as usize] {
                    Value::Bool(true) => may_read(kind, *a, row, out),
                    Value::Bool(false) => may_read(kind, *b, row, out),
                    _ => {
                        may_read(kind, *a, row, out);
                        may_read(kind, *b, row, out);
                    }
                }
            }
            node @ (Node::Neg(_) | Node::Arith(..) | Node::Call(..) | Node::Sum(_)) => {
                node.for_each_operand(&mut |x| may_read(kind, x, row, out))
            }
            _ => {}
        }
    }

    proptest! {
        /// The range of a node reads only what it depends on: an `if` whose condition is known
        /// only the branch taken, a known value not its operands (for every node of every kind
        /// of every standard, in rows of unknowns, truth values and numbers).
        #[test]
        fn a_range_reads_only_the_nodes_it_depends_on(seed: u64) {
            let mut draw = draws(seed);
            for kind in kinds() {
                let row: Vec<Value> = kind
                    .nodes
                    .iter()
                    .map(|_| match draw(4) {
                        0 | 1 => Value::Unknown,
                        2 => Value::Bool(draw(2) == 0),
                        _ => Value::Num(Decimal::new(draw(100) as i64, 0)),
                    })
                    .collect();
                for n in 0..kind.nodes.len() as NodeId {
                    let mut watch = Watch { row: &row, read: Default::default() };
                    let _ = span(kind, n, &mut watch);
                    let mut allowed = Vec::new();
                    may_read(kind, n, &row, &mut allowed);
                    let read = watch.read.into_inner();
                    let beyond: Vec<_> = read.iter().filter(|x| !allowed.contains(x)).collect();
                    prop_assert!(beyond.is_empty(), "{} node {}: read {:?}", kind.name, n, beyond);
                }
            }
        }
    }

    /// A negated score, while unknown, lies between minus its most points and zero.
    #[test]
    fn a_negated_score_spans_minus_its_points_to_zero() {
        let src = r#"
standard neg-test { title "neg" }
kind 村
scorecard 村 total 10 {
  item 1 "综合" max 10分
}
tiers 村 {
  合格 "扣分少" {
    扣分少: -(score 1) >= -15
  }
}
"#;
        let graph = duibiao_compiler::compile(src).graph.unwrap();
        let kind = &graph.kinds[0];
        let neg = kind
            .nodes
            .iter()
            .position(|n| matches!(n, Node::Neg(_)))
            .expect("a negation") as NodeId;
        let row = vec![Value::Unknown; kind.nodes.len()];
        let s = span(kind, neg, &mut Row(&row)).expect("a range");
        assert_eq!((s.lo, s.hi), (Decimal::from(-10), Decimal::ZERO));
    }

    /// An `if` whose condition is known lies in the range of the branch it takes; one whose
    /// condition is unknown, in the range spanning both.
    #[test]
    fn an_if_spans_the_branch_its_condition_takes() {
        let src = r#"
standard if-test { title "if" }
kind 村
facts 村 {
  达标: bool
}
scorecard 村 total 10 {
  item 1 "综合" max 10分
}
tiers 村 {
  合格 "够" {
    够: (if 达标 then score 1 else 20) >= 5
  }
}
"#;
        let graph = duibiao_compiler::compile(src).graph.unwrap();
        let kind = &graph.kinds[0];
        let (at, cond) = kind
            .nodes
            .iter()
            .enumerate()
            .find_map(|(i, n)| match n {
                Node::If(c, _, _) => Some((i as NodeId, *c)),
                _ => None,
            })
            .expect("an if");
        // Constants stand in the row, as in an evaluation; everything else is unknown.
        let range = |c: Value| {
            let mut row: Vec<Value> = (kind.nodes.iter())
                .map(|n| match n {
                    Node::Const(v) => *v,
                    _ => Value::Unknown,
                })
                .collect();
            row[cond as usize] = c;
            span(kind, at, &mut Row(&row)).map(|s| (s.lo, s.hi))
        };
        let d = Decimal::from;
        assert_eq!(range(Value::Bool(true)), Some((d(0), d(10))));
        assert_eq!(range(Value::Bool(false)), Some((d(20), d(20))));
        assert_eq!(range(Value::Unknown), Some((d(0), d(20))));
    }

    /// The fast path decides what it is for: a score with a part not given against its
    /// threshold, in every kind of every standard with a scorecard (its other parts given,
    /// its sums not yet computed, constants as they stand).
    #[test]
    fn a_score_with_a_part_not_given_is_decided_from_points() {
        let mut decided = 0;
        for kind in kinds() {
            let mut first = true;
            let row: Vec<Value> = (kind.nodes.iter())
                .map(|node| match node {
                    Node::Const(v) => *v,
                    Node::Input(slot) => match kind.inputs[*slot].origin {
                        InputOrigin::Points { .. } if std::mem::take(&mut first) => Value::Unknown,
                        InputOrigin::Points { .. } => Value::Num(Decimal::ZERO),
                        InputOrigin::Fact => Value::Unknown,
                    },
                    _ => Value::Unknown,
                })
                .collect();
            for node in &kind.nodes {
                if let Node::Compare(op, a, b) = node {
                    let sides = [*a, *b].map(|x| &kind.nodes[x as usize]);
                    if let [Node::Sum(_), Node::Const(_)] = sides {
                        let fast = compare_points(kind, *op, (*a, *b), &row);
                        decided += usize::from(fast.is_some());
                    }
                }
            }
        }
        assert!(
            decided > 0,
            "no score against a threshold decided from points"
        );
    }
}
