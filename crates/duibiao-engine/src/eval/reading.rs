//! What the evaluator makes of an unknown number: the range it still lies in (see `bounds.rs`),
//! read from the unit's row, its tallies of its sub-units, the sub-units' own values and its
//! peers. A comparison with an unknown side is decided when every value in the ranges gives the
//! same answer; a formula whose range is one value has that value.

use super::bounds::{self, Reader};
use super::evaluator::{Evaluator, Frame, Others};
use super::members;
use super::ops::bounded;
use super::peers::Who;
use super::span::Span;
use duibiao_compiler::graph::{KindGraph, Node, NodeId};
use duibiao_compiler::Value;
use duibiao_syntax::ast::{AggOp, CmpOp};

/// One unit's values, as the evaluator reads them while it computes ranges.
struct Reading<'r, 'a, 'x> {
    ev: &'r mut Evaluator<'a>,
    frame: &'r Frame<'x>,
    own: &'r dyn Fn(NodeId) -> Value,
    all: &'r Others<'x>,
}

impl Reader for Reading<'_, '_, '_> {
    fn value(&self, n: NodeId) -> Value {
        (self.own)(n)
    }

    fn beyond(&mut self, n: NodeId, node: &Node) -> Option<Span> {
        match node {
            Node::Aggregate(agg) if agg.op == AggOp::Sum => {
                let (ev, all) = (&mut *self.ev, self.all);
                let subs = members(agg, self.frame.unit, ev.tree);
                let (graph, tree) = (ev.graph, ev.tree);
                bounds::sum_span(
                    agg,
                    subs,
                    |sub| all.values(sub),
                    |sub, node| {
                        let kind = tree.units.get(sub)?.kind;
                        let kg = graph.kinds.get(kind as usize)?;
                        let frame = Frame {
                            graph_index: kind as usize,
                            kind: kg,
                            unit: Some(sub),
                            tallies: all.tallies(sub),
                        };
                        let vals = all.values(sub);
                        ev.span_of(&frame, node, &|x| vals.get(x), all)
                    },
                )
            }
            Node::Aggregate(agg) => {
                let tally = self.ev.tally(self.frame, n, agg, self.all);
                let (lo, hi) = tally.range(agg.op)?;
                Some(Span { lo, hi })
            }
            Node::Rank(r) => {
                let u = self.frame.unit?;
                // The unit's own unknown value may lie in a range too.
                let mine = match (self.own)(r.value) {
                    Value::Unknown => bounds::span(self.frame.kind, r.value, self),
                    _ => None,
                };
                Some(self.ev.rank_range((n, r), (u, mine), self.own, self.all))
            }
            Node::PeersWhere(peers, c, pool) => {
                let u = self.frame.unit?;
                let who = Who {
                    peers: *peers,
                    node: n,
                    pool,
                };
                Some(self.ev.peers_where_range(*c, who, u, self.own, self.all))
            }
            _ => None,
        }
    }
}

impl<'a> Evaluator<'a> {
    /// The range of node `n` of unit `m`, another unit than the one being evaluated (a peer),
    /// read from its values.
    pub(super) fn peer_span(&mut self, m: usize, n: NodeId, all: &Others) -> Option<Span> {
        let graph = self.graph;
        let kind = self.tree.units.get(m)?.kind;
        let kg = graph.kinds.get(kind as usize)?;
        let frame = Frame {
            graph_index: kind as usize,
            kind: kg,
            unit: Some(m),
            tallies: all.tallies(m),
        };
        let vals = all.values(m);
        self.span_of(&frame, n, &|x| vals.get(x), all)
    }

    /// The range of node `n` of the unit of `frame`, whose values `own` gives.
    fn span_of(
        &mut self,
        frame: &Frame,
        n: NodeId,
        own: &dyn Fn(NodeId) -> Value,
        all: &Others,
    ) -> Option<Span> {
        let kind: &KindGraph = frame.kind;
        let mut r = Reading {
            ev: self,
            frame,
            own,
            all,
        };
        bounds::span(kind, n, &mut r)
    }

    /// A comparison with an unknown side: decided when every pair of values from the two sides'
    /// ranges gives the same answer (unknown when a side has no range).
    #[inline(never)]
    pub(super) fn compare_open(
        &mut self,
        frame: &Frame,
        op: CmpOp,
        (a, b): (NodeId, NodeId),
        row: &[Value],
        all: &Others,
    ) -> Value {
        self.reading(frame, row, all, |kind, r| {
            match bounds::spans(kind, [a, b], r) {
                [Some(ra), Some(rb)] => bounded(op, (ra.lo, ra.hi), (rb.lo, rb.hi)),
                _ => Value::Unknown,
            }
        })
    }

    /// The value of numeric node `n`, unknown from its operands, when its range has only one.
    #[inline(never)]
    pub(super) fn settle(
        &mut self,
        frame: &Frame,
        n: NodeId,
        row: &[Value],
        all: &Others,
    ) -> Value {
        self.reading(frame, row, all, |kind, r| bounds::settled(kind, n, r))
    }

    /// `f` of the kind of `frame` and a reading of the unit's values in `row`.
    fn reading<T>(
        &mut self,
        frame: &Frame,
        row: &[Value],
        all: &Others,
        f: impl FnOnce(&KindGraph, &mut Reading<'_, 'a, '_>) -> T,
    ) -> T {
        let own = |x: NodeId| super::ops::get(row, x);
        let kind: &KindGraph = frame.kind;
        let mut r = Reading {
            ev: self,
            frame,
            own: &own,
            all,
        };
        f(kind, &mut r)
    }
}
