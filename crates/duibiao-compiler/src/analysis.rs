//! Checks on a lowered standard that find what the writer probably did not mean: facts and
//! parameters nothing reads, points that do not add up, tiers no unit can reach. Also the
//! dependency of each node on the unit's inputs, which outcomes use to name missing facts.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Unreachable};
use crate::graph::{Condition, ConditionKind, InputOrigin, Node, NodeId, PoolMember, Tier};
use crate::lower::{KindState, Lowerer};
use crate::value::Value;
use duibiao_syntax::ast::{AggOp, CmpOp, Span};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The input slots nodes read, directly or through other nodes of their kind, found node by node
/// on demand: each query walks once the nodes it reaches, so memory stays linear in the kind's
/// nodes (a list kept for every node took memory quadratic in a long chain of derived values).
pub(crate) struct InputDeps<'n> {
    nodes: &'n [Node],
    /// The query that last reached each node.
    seen: Vec<u32>,
    query: u32,
    stack: Vec<NodeId>,
}

impl<'n> InputDeps<'n> {
    pub(crate) fn new(nodes: &'n [Node]) -> Self {
        InputDeps {
            nodes,
            seen: vec![0; nodes.len()],
            query: 0,
            stack: Vec::new(),
        }
    }

    /// The sorted input slots node `n` reads.
    pub(crate) fn of(&mut self, n: NodeId) -> Vec<usize> {
        if self.query == u32::MAX {
            self.seen.fill(0);
            self.query = 0;
        }
        self.query += 1;
        let nodes = self.nodes;
        let mut out = Vec::new();
        self.stack.push(n);
        while let Some(x) = self.stack.pop() {
            let (Some(seen), Some(node)) = (self.seen.get_mut(x as usize), nodes.get(x as usize))
            else {
                continue;
            };
            if *seen == self.query {
                continue;
            }
            *seen = self.query;
            if let Node::Input(slot) = node {
                out.push(*slot);
            }
            node.for_each_operand(|o| self.stack.push(o));
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

pub(crate) fn warn(l: &mut Lowerer) {
    let mut out = Vec::new();
    for st in &l.states {
        for (slot, used) in st.input_used.iter().enumerate() {
            if !used && matches!(st.inputs[slot].origin, InputOrigin::Fact) {
                out.push(Diagnostic::new(
                    DiagnosticKind::UnusedFact {
                        name: st.inputs[slot].key.clone(),
                        kind: st.name.clone(),
                    },
                    st.fact_spans[slot],
                ));
            }
        }
        points_sums(st, &mut out);
        unreachable_tiers(st, &mut out);
    }
    for (i, used) in l.param_used.iter().enumerate() {
        if !used {
            if let Some((_, (p, span))) = l.params.get_index(i) {
                out.push(Diagnostic::new(
                    DiagnosticKind::UnusedParam(p.name.clone()),
                    *span,
                ));
            }
        }
    }
    l.diags.extend(out);
}

fn points_sums(st: &KindState, out: &mut Vec<Diagnostic>) {
    let (Some(card), Some(decl)) = (&st.scorecard, st.scorecard_decl) else {
        return;
    };
    for (item, idecl) in card.items.iter().zip(&decl.items) {
        if idecl.parts.is_empty() {
            continue;
        }
        let sum = checked_sum(item.parts.iter().map(|p| p.points));
        if sum != Some(item.max) {
            out.push(Diagnostic::new(
                DiagnosticKind::PartsSum {
                    item: item.number,
                    sum: shown_sum(sum, item.parts.iter().map(|p| p.points)),
                    max: item.max.to_string(),
                },
                idecl.span,
            ));
        }
    }
    let sum = checked_sum(card.items.iter().map(|i| i.max));
    if sum != Some(card.total) {
        out.push(Diagnostic::new(
            DiagnosticKind::ItemsSum {
                kind: st.name.clone(),
                sum: shown_sum(sum, card.items.iter().map(|i| i.max)),
                total: card.total.to_string(),
            },
            decl.total.span,
        ));
    }
}

/// The sum of points written in a scorecard, or `None` when it is beyond what a number holds
/// (each may be as large as any number).
fn checked_sum(mut points: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    points.try_fold(Decimal::ZERO, |sum, p| sum.checked_add(p))
}

/// A sum as a message shows it: its value, or the terms added when it cannot be held.
fn shown_sum(sum: Option<Decimal>, terms: impl Iterator<Item = Decimal>) -> String {
    match sum {
        Some(s) => s.normalize().to_string(),
        None => terms
            .map(|t| t.normalize().to_string())
            .collect::<Vec<_>>()
            .join(" + "),
    }
}

/// A range of values a node may take: bounds and whether each is included.
#[derive(Clone, Copy, Default)]
struct Range {
    lo: Option<(Decimal, bool)>,
    hi: Option<(Decimal, bool)>,
}

impl Range {
    fn between(lo: Decimal, hi: Option<Decimal>) -> Self {
        Range {
            lo: Some((lo, true)),
            hi: hi.map(|h| (h, true)),
        }
    }

    fn narrow(&mut self, op: CmpOp, c: Decimal) {
        let tighter_lo = |cur: Option<(Decimal, bool)>, new: (Decimal, bool)| match cur {
            Some(x) if x.0 > new.0 || (x.0 == new.0 && !x.1) => Some(x),
            _ => Some(new),
        };
        let tighter_hi = |cur: Option<(Decimal, bool)>, new: (Decimal, bool)| match cur {
            Some(x) if x.0 < new.0 || (x.0 == new.0 && !x.1) => Some(x),
            _ => Some(new),
        };
        match op {
            CmpOp::Ge => self.lo = tighter_lo(self.lo, (c, true)),
            CmpOp::Gt => self.lo = tighter_lo(self.lo, (c, false)),
            CmpOp::Le => self.hi = tighter_hi(self.hi, (c, true)),
            CmpOp::Lt => self.hi = tighter_hi(self.hi, (c, false)),
            CmpOp::Eq => {
                self.lo = tighter_lo(self.lo, (c, true));
                self.hi = tighter_hi(self.hi, (c, true));
            }
            CmpOp::Ne => {}
        }
    }

    fn is_empty(&self) -> bool {
        match (self.lo, self.hi) {
            (Some((l, li)), Some((h, hi))) => l > h || (l == h && !(li && hi)),
            _ => false,
        }
    }
}

/// What a kind's nodes can hold at most and at least, before any condition.
fn natural_range(st: &KindState, node: NodeId) -> Range {
    if let Some(card) = &st.scorecard {
        if card.node == node {
            // A total beyond what a number holds bounds nothing.
            let max = checked_sum(card.items.iter().map(|i| i.max));
            return Range::between(Decimal::ZERO, max);
        }
        if let Some(item) = card.items.iter().find(|i| i.node == node) {
            return Range::between(Decimal::ZERO, Some(item.max));
        }
    }
    match st.nodes.get(node as usize) {
        Some(Node::Input(slot)) => match st.inputs.get(*slot).map(|i| &i.origin) {
            Some(InputOrigin::Points { max }) => Range::between(Decimal::ZERO, Some(*max)),
            _ => Range::default(),
        },
        Some(Node::Aggregate(a)) if a.if_none.is_none() => match a.op {
            AggOp::Share => Range::between(Decimal::ZERO, Some(Decimal::ONE)),
            AggOp::Count => Range::between(Decimal::ZERO, None),
            _ => Range::default(),
        },
        _ => Range::default(),
    }
}

/// Collects, through conjunctions, the comparisons with constants and the truth values required.
fn collect(
    st: &KindState,
    node: NodeId,
    ranges: &mut HashMap<NodeId, Range>,
    truths: &mut HashMap<NodeId, bool>,
    contradiction: &mut bool,
) {
    let Some(n) = st.nodes.get(node as usize) else {
        return;
    };
    let constant = |id: NodeId| match st.nodes.get(id as usize) {
        Some(Node::Const(Value::Num(c))) => Some(*c),
        _ => None,
    };
    let mut require = |id: NodeId, value: bool, truths: &mut HashMap<NodeId, bool>| {
        if truths.insert(id, value) == Some(!value) {
            *contradiction = true;
        }
    };
    match n {
        Node::And(xs) => {
            for &x in xs {
                collect(st, x, ranges, truths, contradiction);
            }
        }
        Node::Not(x) => require(*x, false, truths),
        Node::Compare(op, a, b) => {
            require(node, true, truths);
            let (target, op, c) = match (constant(*a), constant(*b)) {
                (None, Some(c)) => (*a, *op, c),
                (Some(c), None) => (*b, op.flipped(), c),
                _ => return,
            };
            ranges
                .entry(target)
                .or_insert_with(|| natural_range(st, target))
                .narrow(op, c);
        }
        _ => require(node, true, truths),
    }
}

fn unreachable_tiers(st: &KindState, out: &mut Vec<Diagnostic>) {
    let tiers: Vec<Option<&Tier>> = st.tiers.iter().map(|t| t.as_ref()).collect();
    let mut unreachable = vec![false; tiers.len()];
    for (i, tier) in tiers.iter().enumerate() {
        let Some(tier) = tier else { continue };
        let mut reason = None;
        if tier.conditions.iter().any(|c| matches!(c.kind, ConditionKind::Prerequisite(p) if unreachable.get(p).copied().unwrap_or(false))) {
            reason = Some(Unreachable::Prerequisite);
        } else {
            let mut ranges = HashMap::new();
            let mut truths = HashMap::new();
            let mut contradiction = false;
            collect(st, tier.node, &mut ranges, &mut truths, &mut contradiction);
            let total = st.scorecard.as_ref().map(|c| c.node);
            let mut keys: Vec<&NodeId> = ranges.keys().collect();
            keys.sort();
            for k in keys {
                if ranges[k].is_empty() {
                    reason = Some(match (Some(*k) == total, ranges[k].lo, st.scorecard.as_ref()) {
                        (true, Some((lo, _)), Some(card)) if lo > card.total => {
                            Unreachable::ScoreAboveTotal {
                                need: lo.normalize().to_string(),
                                total: card.total.to_string(),
                            }
                        }
                        _ => Unreachable::Contradiction {
                            conditions: Vec::new(),
                            cites: Vec::new(),
                        },
                    });
                    break;
                }
            }
            if reason.is_none() && contradiction {
                reason = Some(Unreachable::Contradiction {
                    conditions: Vec::new(),
                    cites: Vec::new(),
                });
            }
        }
        let Some(mut reason) = reason else { continue };
        unreachable[i] = true;
        let mut related = Vec::new();
        if let Unreachable::Contradiction { conditions, cites } = &mut reason {
            for c in clashing(st, tier) {
                conditions.push(c.label.clone().unwrap_or_else(|| c.expr.clone()));
                if let Some(cite) = &c.source.cite {
                    if !cites.contains(&cite.clause) {
                        cites.push(cite.clause.clone());
                    }
                }
                related.push(Span::new(c.source.span.0, c.source.span.1));
            }
        }
        let mut d = Diagnostic::new(
            DiagnosticKind::UnreachableTier {
                tier: tier.name.clone(),
                kinds: vec![st.name.clone()],
                reason,
            },
            st.tiers_decl[i].name.span,
        );
        d.related = related;
        // One `tiers` block serving several kinds: the same tier, unreachable for the same
        // reason, is one warning naming every kind.
        let same = out.iter_mut().find(|o| {
            matches!((&o.kind, &d.kind), (
                DiagnosticKind::UnreachableTier { tier: a, reason: ra, .. },
                DiagnosticKind::UnreachableTier { tier: b, reason: rb, .. },
            ) if a == b && ra == rb)
                && o.span == d.span
                && o.related == d.related
        });
        match (same, d.kind) {
            (Some(o), DiagnosticKind::UnreachableTier { kinds, .. }) => {
                if let DiagnosticKind::UnreachableTier { kinds: known, .. } = &mut o.kind {
                    known.extend(kinds);
                }
            }
            (_, kind) => out.push(Diagnostic { kind, ..d }),
        }
    }
}

/// Whether conditions `nodes` cannot all hold at once, as far as comparisons with constants and
/// required truth values tell.
fn contradicts(st: &KindState, nodes: &[NodeId]) -> bool {
    let mut ranges = HashMap::new();
    let mut truths = HashMap::new();
    let mut contradiction = false;
    for &n in nodes {
        collect(st, n, &mut ranges, &mut truths, &mut contradiction);
    }
    contradiction || ranges.values().any(Range::is_empty)
}

/// The conditions of a contradictory tier that contradict each other: every condition that can
/// be left out with the rest still contradicting is left out, one at a time.
fn clashing<'t>(st: &KindState, tier: &'t Tier) -> Vec<&'t Condition> {
    let mut kept: Vec<&Condition> = tier.conditions.iter().collect();
    let mut i = 0;
    while i < kept.len() {
        let others: Vec<NodeId> = kept
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c.node)
            .collect();
        if contradicts(st, &others) {
            kept.remove(i);
        } else {
            i += 1;
        }
    }
    kept
}

/// Groups every kind's nodes into evaluation passes. A rank needs its peers' values, which a
/// bottom-up pass has not computed yet for later units: it goes one pass after its value, and so
/// does everything depending on it, within the kind or through aggregates in containing kinds.
/// A rank or count of several kinds together goes one pass after the values it reads in each of
/// them, so the kinds' passes are settled again until none moves (the lowering rejects a cycle
/// through them, and at most one round per node could move one). `order` lists kinds with
/// contained kinds first.
pub(crate) fn strata(kinds: &[&[Node]], order: &[usize]) -> Vec<Vec<Vec<NodeId>>> {
    let mut level: Vec<Vec<usize>> = kinds.iter().map(|n| vec![0; n.len()]).collect();
    let rounds = kinds.iter().map(|k| k.len()).sum::<usize>() + 1;
    for _ in 0..rounds {
        let mut moved = false;
        for &k in order {
            for (i, node) in kinds[k].iter().enumerate() {
                let s = node_level(node, k, &level);
                if level[k][i] != s {
                    level[k][i] = s;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    level
        .iter()
        .map(|levels| {
            let passes = levels.iter().max().map_or(0, |m| m + 1);
            let mut out = vec![Vec::new(); passes];
            for (i, &s) in levels.iter().enumerate() {
                out[s].push(i as NodeId);
            }
            out
        })
        .collect()
}

/// A node read in another pass or kind: its kind and the node.
type Read = (usize, NodeId);

/// The pass of `node` of kind `k`, from the passes of the nodes it reads (`level`, per kind).
fn node_level(node: &Node, k: usize, level: &[Vec<usize>]) -> usize {
    let at = |kind: usize, n: NodeId| {
        level
            .get(kind)
            .and_then(|l| l.get(n as usize))
            .copied()
            .unwrap_or(0)
    };
    let mut s = 0usize;
    node.for_each_operand(|o| s = s.max(at(k, o)));
    // Peers' values (and whether they are among those ranked or counted) come from the pass
    // before, in each kind pooled; sub-units' values from the same pass.
    let (after, same): (Vec<Read>, Vec<Read>) = match node {
        Node::Rank(r) | Node::Cutoff(r, _) => {
            let own = std::iter::once(r.value).chain(r.among).map(|n| (k, n));
            (own.chain(pooled(&r.pool)).collect(), Vec::new())
        }
        Node::PeersWhere(_, n, pool) => {
            let own = std::iter::once((k, *n));
            (own.chain(pooled(pool)).collect(), Vec::new())
        }
        Node::Peers(_, pool) => (pooled(pool).collect(), Vec::new()),
        Node::Aggregate(a) => {
            let subs = a.targets.iter().flat_map(|t| {
                let nodes = t.filter.iter().chain(t.value.iter());
                nodes.map(move |n| (t.kind as usize, *n))
            });
            (Vec::new(), subs.collect())
        }
        _ => (Vec::new(), Vec::new()),
    };
    for (kind, n) in after {
        s = s.max(at(kind, n) + 1);
    }
    for (kind, n) in same {
        s = s.max(at(kind, n));
    }
    s
}

/// Each node the kinds of `pool` read, with its kind.
fn pooled(pool: &[PoolMember]) -> impl Iterator<Item = (usize, NodeId)> + '_ {
    pool.iter().flat_map(|m| {
        let nodes = m.value.iter().chain(m.among.iter());
        nodes.map(move |n| (m.kind as usize, *n))
    })
}

#[cfg(test)]
mod tests;
