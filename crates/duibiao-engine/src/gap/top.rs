//! Checking the last points changes of a plan through the counts of the unit's aggregates, so
//! that a unit with many sub-units is evaluated again only for what it reads that is new.

use super::work::Work;
use super::{Mode, Step};
use crate::eval::{bounded, compare, matches, members, Context};
use crate::tally::Tally;
use duibiao_compiler::graph::{Aggregate, Graph, KindGraph, Node, NodeId};
use duibiao_compiler::Value;
use duibiao_syntax::ast::CmpOp;
use std::collections::HashMap;

/// Whether the unit a plan is for still reaches its target when one change is undone, known
/// from the counts of its aggregates where possible.
///
/// A unit's values depend on its own inputs and, through its aggregates, on how many of the
/// sub-units each counts are met, unknown or not (where no aggregate sums a value): for given
/// inputs, the same counts give the same values. Undoing a change below the unit moves only the
/// counts of the units from the changed one up to the unit's child, which are evaluated again.
/// Counts stand for what the unit reads of them: an aggregate's value (and the range a count or
/// share can still take), or, where it is only compared with a constant or a parameter, the
/// comparisons' results (a share of 30.2 % or of 30.1 % is the same where only `>= 30%` reads
/// it). The unit itself, which may have many thousands of sub-units, is evaluated again only
/// for what it reads that was not seen before.
pub(super) struct Top {
    u: usize,
    /// The unit's aggregates, each with the comparisons reading it (operator, whether the
    /// aggregate is on the left, the other side's value) when nothing else reads it.
    aggs: Vec<(NodeId, Option<Vec<Comparison>>)>,
    /// For each, how many of its members there are, how many are met and how many unknown,
    /// with the changes kept so far.
    counts: Vec<[i64; 3]>,
    /// What the unit reads of `counts`.
    reads: Vec<Vec<Value>>,
    /// Whether the target holds, by what the unit reads, with the unit's inputs as they are.
    seen: HashMap<Vec<Vec<Value>>, bool>,
}

impl Top {
    /// The counts of unit `u` in `work` (current below `u`), when they tell its values: its node
    /// `n` is the target.
    pub(super) fn new(graph: &Graph, work: &Work, u: usize, n: NodeId) -> Option<Top> {
        if work.mode != Mode::Incremental {
            return None;
        }
        let kg = graph.kinds.get(work.tree.units.get(u)?.kind as usize)?;
        let mut aggs = Vec::new();
        let mut counts = Vec::new();
        for (a, node) in kg.nodes.iter().enumerate() {
            let Node::Aggregate(agg) = node else {
                continue;
            };
            if agg.targets.iter().any(|t| t.value.is_some()) {
                return None;
            }
            let a = a as NodeId;
            let mut c = [0i64; 3];
            for (s, t) in members(agg, Some(u), &work.tree) {
                add(&mut c, matches(agg, t, s, &work.tree, &work.eval), 1);
            }
            aggs.push((a, compared(kg, work.ctx, a, n)));
            counts.push(c);
        }
        let mut top = Top {
            u,
            aggs,
            counts,
            reads: Vec::new(),
            seen: HashMap::new(),
        };
        top.reads = top.read(kg, &top.counts);
        Some(top)
    }

    /// What the unit reads of `counts`, aggregate by aggregate.
    fn read(&self, kg: &KindGraph, counts: &[[i64; 3]]) -> Vec<Vec<Value>> {
        self.aggs
            .iter()
            .zip(counts)
            .map(|(&(a, ref cmps), c)| {
                let Some(Node::Aggregate(agg)) = kg.nodes.get(a as usize) else {
                    return Vec::new();
                };
                let mut t = Tally::default();
                let n = |x: i64| u64::try_from(x).unwrap_or(0);
                (t.members, t.matched, t.open) = (n(c[0]), n(c[1]), n(c[2]));
                match cmps {
                    Some(cmps) => cmps
                        .iter()
                        .map(|&(op, left, other)| compared_value(agg, &t, op, left, other))
                        .collect(),
                    None => {
                        let (lo, hi) = t
                            .range(agg.op)
                            .map_or((Value::Unknown, Value::Unknown), |(lo, hi)| {
                                (Value::Num(lo), Value::Num(hi))
                            });
                        vec![t.value(agg), lo, hi]
                    }
                }
            })
            .collect()
    }

    /// How the units of `chain` (below the unit) stand in the unit's aggregates they are
    /// members of: (aggregate, verdict).
    fn standing(&self, kg: &KindGraph, work: &Work, chain: &[usize]) -> Vec<(usize, Value)> {
        let mut out = Vec::new();
        for &s in chain {
            let Some(unit) = work.tree.units.get(s) else {
                continue;
            };
            for (a, &(n, _)) in self.aggs.iter().enumerate() {
                let Some(Node::Aggregate(agg)) = kg.nodes.get(n as usize) else {
                    continue;
                };
                if agg.direct && unit.parent() != Some(self.u) {
                    continue;
                }
                if let Some(t) = agg.targets.iter().position(|t| t.kind == unit.kind) {
                    out.push((a, matches(agg, t, s, &work.tree, &work.eval)));
                }
            }
        }
        out
    }

    /// Sets input `slot` of unit `i` back to `before` and keeps it so if node `n` of the unit
    /// still holds; otherwise puts the input back. Whether it was kept.
    pub(super) fn undo_if_unneeded(
        &mut self,
        graph: &Graph,
        work: &mut Work,
        (i, slot, before): Step,
        n: NodeId,
    ) -> bool {
        let u = self.u;
        let Some(after) = work.input(i, slot) else {
            return false;
        };
        let Some(kg) = work
            .tree
            .units
            .get(u)
            .and_then(|x| graph.kinds.get(x.kind as usize))
        else {
            return false;
        };
        if i == u {
            // The unit's own input: it is evaluated again, and what was seen no longer holds.
            count_check(true);
            work.set(u, slot, before);
            work.refresh(u);
            if work.holds(u, n) {
                self.seen.clear();
                return true;
            }
            work.set(u, slot, after);
            work.refresh(u);
            return false;
        }
        // The units from `i` up to the unit's child.
        let mut chain = Vec::new();
        let mut at = Some(i);
        while let Some(c) = at.filter(|&c| c != u) {
            chain.push(c);
            at = work.tree.units.get(c).and_then(|x| x.parent());
        }
        let Some(&child) = chain.last().filter(|_| at == Some(u)) else {
            return false;
        };
        let old = self.standing(kg, work, &chain);
        work.set(i, slot, before);
        work.refresh(child);
        let new = self.standing(kg, work, &chain);
        let mut counts = self.counts.clone();
        for (a, v) in old {
            if let Some(c) = counts.get_mut(a) {
                add(c, v, -1);
            }
        }
        for (a, v) in new {
            if let Some(c) = counts.get_mut(a) {
                add(c, v, 1);
            }
        }
        let reads = self.read(kg, &counts);
        let known = if reads == self.reads {
            // What the kept changes give, with which the target holds.
            Some(true)
        } else {
            self.seen.get(&reads).copied()
        };
        count_check(known.is_none());
        let holds = if let Some(h) = known {
            h
        } else {
            work.dirty.push(u);
            work.refresh(u);
            let h = work.holds(u, n);
            self.seen.insert(reads.clone(), h);
            h
        };
        if holds {
            self.counts = counts;
            self.reads = reads;
        } else {
            work.set(i, slot, after);
            work.refresh(child);
        }
        holds
    }
}

#[cfg(test)]
thread_local! {
    /// How many changes [`Top::undo_if_unneeded`] checked, and for how many it evaluated the
    /// unit itself again, on this thread (tests: the cost of checking grows with what the unit
    /// reads that is new, not with every change).
    pub(super) static CHECKED: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
}

/// Counts a change checked, and whether the unit was evaluated again for it (tests only).
fn count_check(evaluated: bool) {
    #[cfg(test)]
    CHECKED.with(|c| {
        let (n, e) = c.get();
        c.set((n + 1, e + usize::from(evaluated)));
    });
    #[cfg(not(test))]
    let _ = evaluated;
}

/// A comparison reading an aggregate: its operator, whether the aggregate is on the left, and
/// the other side's value (a constant's or a parameter's).
type Comparison = (CmpOp, bool, Value);

/// Counts a member whose filter gives `v` (`by` = 1), or takes it off (`by` = -1): members,
/// met, unknown.
fn add(c: &mut [i64; 3], v: Value, by: i64) {
    c[0] += by;
    match v {
        Value::Bool(true) => c[1] += by,
        Value::Bool(false) => {}
        _ => c[2] += by,
    }
}

/// The comparisons reading aggregate `a` of `kind` (operator, whether the aggregate is on the
/// left, the other side's value), when they are all that reads it, each with a constant or a
/// parameter, and `a` is not the target `n` itself.
fn compared(kind: &KindGraph, ctx: &Context, a: NodeId, n: NodeId) -> Option<Vec<Comparison>> {
    if a == n {
        return None;
    }
    let fixed = |x: NodeId| match kind.nodes.get(x as usize) {
        Some(Node::Const(v)) => Some(*v),
        Some(Node::Param(p)) => Some(ctx.params.get(*p).copied().unwrap_or(Value::Unknown)),
        _ => None,
    };
    let mut out = Vec::new();
    for node in &kind.nodes {
        let mut reads = false;
        node.for_each_operand(|x| reads |= x == a);
        if !reads {
            continue;
        }
        match node {
            Node::Compare(op, l, r) if *l == a && *r != a => out.push((*op, true, fixed(*r)?)),
            Node::Compare(op, l, r) if *r == a && *l != a => out.push((*op, false, fixed(*l)?)),
            _ => return None,
        }
    }
    Some(out)
}

/// The value of a comparison of an aggregate whose members stand as `tally` says (on the left
/// when `left`) with a known `other` value, as the evaluation computes it: the values compared
/// when both are known; else, for a count or share with unknown members, decided when every
/// value it can still take gives the same answer.
pub(super) fn compared_value(
    agg: &Aggregate,
    tally: &Tally,
    op: CmpOp,
    left: bool,
    other: Value,
) -> Value {
    let own = tally.value(agg);
    if !own.is_unknown() && !other.is_unknown() {
        let (l, r) = if left { (own, other) } else { (other, own) };
        return compare(op, l, r);
    }
    // The aggregate is unknown, or the other side, which (neither an aggregate nor a rank) has
    // no range when it is unknown.
    let (Some(range), Some(v)) = (tally.range(agg.op), other.as_num()) else {
        return Value::Unknown;
    };
    let (a, b) = if left {
        (range, (v, v))
    } else {
        ((v, v), range)
    };
    bounded(op, a, b)
}
