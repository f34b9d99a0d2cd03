//! The range an unknown value compared lies in, as outcomes show it when the comparison is
//! decided all the same (`至多 70分`): read from an evaluation, the same way the evaluation
//! computed it (see `eval/bounds.rs`).

use super::{show, Bounds};
use crate::eval::{members, span, sum_span, Evaluation, Reader, Span};
use crate::store::UnitValues;
use crate::tally::Tally;
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Graph, KindGraph, Node, NodeId};
use duibiao_compiler::{Lang, Type, Value};
use duibiao_syntax::ast::AggOp;

/// One unit's values in an evaluation, and its sub-units'.
struct Evaluated<'e> {
    graph: &'e Graph,
    tree: &'e UnitTree,
    eval: &'e Evaluation,
    unit: usize,
    values: UnitValues<'e>,
}

impl<'e> Evaluated<'e> {
    fn new(graph: &'e Graph, tree: &'e UnitTree, eval: &'e Evaluation, unit: usize) -> Self {
        Evaluated {
            graph,
            tree,
            eval,
            unit,
            values: eval.unit(tree, unit),
        }
    }

    /// The range of node `n` of the unit (of kind `kind`).
    fn span(&mut self, kind: &KindGraph, n: NodeId) -> Option<Span> {
        span(kind, n, self)
    }
}

impl Reader for Evaluated<'_> {
    fn value(&self, n: NodeId) -> Value {
        self.values.get(n)
    }

    fn beyond(&mut self, _: NodeId, node: &Node) -> Option<Span> {
        let Node::Aggregate(agg) = node else {
            // A rank's range needs every peer's value: explanations show the sub-units and
            // formulas a value depends on, not its peers.
            return None;
        };
        let (graph, tree, eval) = (self.graph, self.tree, self.eval);
        let subs = members(agg, Some(self.unit), tree);
        if agg.op == AggOp::Sum {
            return sum_span(
                agg,
                subs,
                |sub| eval.unit(tree, sub),
                |sub, n| {
                    let kind = graph.kinds.get(tree.units.get(sub)?.kind as usize)?;
                    Evaluated::new(graph, tree, eval, sub).span(kind, n)
                },
            );
        }
        let mut tally = Tally::default();
        for (sub, t) in subs {
            tally.count(agg.targets.get(t)?, &eval.unit(tree, sub));
        }
        let (lo, hi) = tally.range(agg.op)?;
        Some(Span { lo, hi })
    }
}

/// The range node `n` of unit `u` (of kind `kind`) lies in, shown as type `ty`, when its value
/// is unknown and it has one.
pub(super) fn bounds(
    graph: &Graph,
    (tree, eval): (&UnitTree, &Evaluation),
    (u, kind): (usize, &KindGraph),
    n: NodeId,
    ty: Type,
) -> Option<Bounds> {
    let mut unit = Evaluated::new(graph, tree, eval, u);
    if !unit.value(n).is_unknown() {
        return None;
    }
    let s = unit.span(kind, n)?;
    let shown = |v| show(graph, Value::Num(v), ty, Lang::En);
    Some(Bounds {
        least: shown(s.lo)?,
        most: shown(s.hi)?,
    })
}

/// The range node `n` of unit `u` lies in, when its value is unknown and it has one.
pub(super) fn value_span(
    graph: &Graph,
    (tree, eval): (&UnitTree, &Evaluation),
    u: usize,
    n: NodeId,
) -> Option<Span> {
    let kind = graph.kinds.get(tree.units.get(u)?.kind as usize)?;
    let mut unit = Evaluated::new(graph, tree, eval, u);
    if !unit.value(n).is_unknown() {
        return None;
    }
    unit.span(kind, n)
}
