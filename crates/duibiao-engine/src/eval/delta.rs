//! Evaluating again after a change with the tallies kept by delta: each changed unit's old part
//! of its parent's tallies is taken away before the change ([`withdraw`]), and its new part added
//! once it has been evaluated again ([`reevaluate_by_delta`]), so that a parent with many children
//! reads only the ones that changed. Counts come back exactly; a kind whose tallies hold a
//! decimal sum is tallied again from all its children instead (see `TallyPlan::by_delta`).

use super::evaluation::Parts;
use super::evaluator::Evaluator;
use super::{Context, Evaluation};
use crate::layout::Layout;
use crate::store::Places;
use crate::tally::{Tally, TallyPlan};
use crate::tree::UnitTree;
use duibiao_compiler::graph::Graph;
use duibiao_compiler::Value;

/// Whether a change to `graph`'s units can be evaluated again by delta: every kind is evaluated
/// in one pass (nothing is ranked among peers), so a unit's part of its parent's tallies is final
/// once the unit has been evaluated.
pub(crate) fn by_delta(graph: &Graph) -> bool {
    graph.kinds.iter().all(|k| k.strata.len() <= 1)
}

/// Takes the units of `order` out of their parents' tallies, as they stand before a change to
/// their inputs: call it before the change, then [`reevaluate_by_delta`] with the same `order`
/// after it. `order` lists descendants before ancestors and holds the parent of every unit it
/// holds (a changed unit and its ancestors); `graph` is evaluated by delta ([`by_delta`]).
pub(crate) fn withdraw(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    order: &[usize],
) {
    let Parts {
        values,
        tallies,
        layout,
        plan,
        program,
        ..
    } = eval.parts(graph, ctx);
    let parts = Sources {
        tree,
        layout,
        places: &plan.places,
        tallies: &plan.tallies,
        fixed: &|kind| program.fixed(kind),
    };
    // Ancestors first: a parent's part of its own parent is taken away while its tallies still
    // hold its children's old parts.
    for &u in order.iter().rev() {
        parts.move_to_parent(u, values, tallies, false);
    }
}

/// Evaluates again the units of `order` after a change, each kept-by-delta unit's tallies from
/// what [`withdraw`] left them and the new parts of its changed children, added as each child is
/// evaluated. Gives the values and tallies a full evaluation gives.
pub(crate) fn reevaluate_by_delta(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    order: &[usize],
) {
    let Parts {
        values,
        tallies,
        layout,
        plan,
        program,
        ..
    } = eval.parts(graph, ctx);
    let mut ev = Evaluator::new(graph, tree, ctx, plan, program);
    ev.by_delta = true;
    let parts = Sources {
        tree,
        layout,
        places: &plan.places,
        tallies: &plan.tallies,
        fixed: &|kind| program.fixed(kind),
    };
    for &u in order {
        let (Some(unit), Some(p)) = (tree.units.get(u), layout.pos(u)) else {
            continue;
        };
        ev.runs(
            0,
            std::iter::once((unit.kind, p..p + 1)),
            layout,
            values,
            tallies,
        );
        parts.move_to_parent(u, values, tallies, true);
    }
}

/// What moving a unit's part of its parent's tallies reads.
struct Sources<'a> {
    tree: &'a UnitTree,
    layout: &'a Layout,
    places: &'a Places,
    tallies: &'a TallyPlan,
    /// The values the same for every unit of a kind.
    fixed: &'a dyn Fn(u32) -> &'a [Value],
}

impl Sources<'_> {
    /// Adds unit `u`'s part to its parent's tallies (`add`), or takes it away, when the parent's
    /// kind is kept by delta.
    fn move_to_parent(&self, u: usize, values: &[Value], tallies: &mut [Tally], add: bool) {
        let units = &self.tree.units;
        let Some(unit) = units.get(u) else {
            return;
        };
        let Some(parent) = unit.parent.and_then(|p| units.get(p).map(|x| (p, x.kind))) else {
            return;
        };
        let (p, kind) = parent;
        if !self.tallies.by_delta(kind) {
            return;
        }
        let (Some(at), Some(up)) = (self.layout.pos(u), self.layout.pos(p)) else {
            return;
        };
        let (own, theirs) = (
            self.layout.tallies(at..at + 1),
            self.layout.tallies(up..up + 1),
        );
        // A child comes before its parent in the bottom-up order.
        if own.end > theirs.start {
            return;
        }
        let (below, above) = tallies.split_at_mut(theirs.start);
        let (Some(child_t), Some(parent_t)) = (below.get(own), above.get_mut(..theirs.len()))
        else {
            return;
        };
        let stored = values.get(self.layout.values(at..at + 1)).unwrap_or(&[]);
        let vals = self
            .places
            .view(unit.kind, stored, &unit.inputs, (self.fixed)(unit.kind));
        if add {
            self.tallies
                .add_child(kind, parent_t, unit.kind, child_t, &vals);
        } else {
            self.tallies
                .remove_child(kind, parent_t, unit.kind, child_t, &vals);
        }
    }
}
