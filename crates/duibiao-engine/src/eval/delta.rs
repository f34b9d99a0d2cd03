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

/// What the units of a change were before it, as [`withdraw`] found them: their tallies and
/// stored values (what their parents read of them), and the changed unit's inputs. Kept from one
/// change to the next so that its buffers are allocated once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Before {
    /// Per unit of the change's order: where its tallies and values start in the buffers below.
    at: Vec<(usize, usize)>,
    tallies: Vec<Tally>,
    values: Vec<Value>,
    /// The changed unit and its inputs before the change.
    changed: usize,
    inputs: Vec<Value>,
}

/// Takes the units of `order` out of their parents' tallies, as they stand before unit
/// `changed`'s inputs change, and keeps what they were in `before`: call it before the change,
/// then [`reevaluate_by_delta`] with the same `order` after it. `order` lists descendants before
/// ancestors and holds the parent of every unit it holds (a changed unit and its ancestors);
/// `graph` is evaluated by delta ([`by_delta`]).
pub(crate) fn withdraw(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    order: &[usize],
    (changed, before): (usize, &mut Before),
) {
    let Parts {
        values,
        tallies,
        layout,
        plan,
        program,
        ..
    } = eval.parts(graph, ctx);
    before.at.clear();
    before.tallies.clear();
    before.values.clear();
    for &u in order {
        before.at.push((before.tallies.len(), before.values.len()));
        if let Some(p) = layout.pos(u) {
            let t = tallies.get(layout.tallies(p..p + 1)).unwrap_or(&[]);
            let v = values.get(layout.values(p..p + 1)).unwrap_or(&[]);
            before.tallies.extend_from_slice(t);
            before.values.extend_from_slice(v);
        }
    }
    before.at.push((before.tallies.len(), before.values.len()));
    before.changed = changed;
    before.inputs.clear();
    if let Some(unit) = tree.units.get(changed) {
        before.inputs.extend_from_slice(&unit.inputs);
    }
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

/// Evaluates again, after a change, the units of `order` that can have changed, each
/// kept-by-delta unit's tallies from what [`withdraw`] left them and the parts of its children
/// in `order`, added back as each child is done. The changed unit and the units of `sources`
/// (records reading its facts) are evaluated again; a unit above them only when something it
/// reads of a child changed: the child's tallies, or a node an aggregate over it reads
/// ([`TallyPlan::reads_same`]). The others keep their values, and their tallies come back to
/// what they were. Gives the values and tallies a full evaluation gives; returns how many units
/// were evaluated again.
pub(crate) fn reevaluate_by_delta(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    order: &[usize],
    (sources, before): (&[usize], &Before),
) -> usize {
    let Parts {
        values,
        tallies,
        layout,
        plan,
        program,
        rows,
        ..
    } = eval.parts(graph, ctx);
    let mut ev = Evaluator::new(graph, tree, ctx, plan, program);
    ev.by_delta = true;
    ev.rows = std::mem::take(rows);
    let parts = Sources {
        tree,
        layout,
        places: &plan.places,
        tallies: &plan.tallies,
        fixed: &|kind| program.fixed(kind),
    };
    // Whether each unit of `order` is to be evaluated again.
    let mut stale: Vec<bool> = order
        .iter()
        .map(|u| *u == before.changed || sources.contains(u))
        .collect();
    let mut evaluated = 0;
    for (i, &u) in order.iter().enumerate() {
        let (Some(unit), Some(p)) = (tree.units.get(u), layout.pos(u)) else {
            continue;
        };
        if stale.get(i).copied().unwrap_or(true) {
            evaluated += 1;
            ev.runs(
                0,
                std::iter::once((unit.kind, p..p + 1)),
                layout,
                values,
                tallies,
            );
            if parts.moved(i, u, before, (values, tallies)) {
                // The parent reads something new of it: evaluated again in its turn.
                let up = unit.parent.and_then(|q| layout.pos(q));
                let at = up.and_then(|q| {
                    order
                        .binary_search_by_key(&Some(q), |&x| layout.pos(x))
                        .ok()
                });
                if let Some(s) = at.and_then(|j| stale.get_mut(j)) {
                    *s = true;
                }
            }
        }
        parts.move_to_parent(u, values, tallies, true);
    }
    *rows = std::mem::take(&mut ev.rows);
    evaluated
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
    /// Whether unit `u`, the `i`th of the change's order, shows its parent anything new after
    /// being evaluated again: its tallies, or a node aggregates over it read.
    fn moved(
        &self,
        i: usize,
        u: usize,
        before: &Before,
        (values, tallies): (&[Value], &[Tally]),
    ) -> bool {
        let (Some(unit), Some(p), Some(&(t0, v0)), Some(&(t1, v1))) = (
            self.tree.units.get(u),
            self.layout.pos(u),
            before.at.get(i),
            before.at.get(i + 1),
        ) else {
            return true;
        };
        let old_t = before.tallies.get(t0..t1).unwrap_or(&[]);
        if tallies.get(self.layout.tallies(p..p + 1)) != Some(old_t) {
            return true;
        }
        let stored = values.get(self.layout.values(p..p + 1)).unwrap_or(&[]);
        let old_v = before.values.get(v0..v1).unwrap_or(&[]);
        let fixed = (self.fixed)(unit.kind);
        let inputs = if u == before.changed {
            &before.inputs
        } else {
            &unit.inputs
        };
        let old = self.places.view(unit.kind, old_v, inputs, fixed);
        let new = self.places.view(unit.kind, stored, &unit.inputs, fixed);
        !self.tallies.reads_same(unit.kind, &old, &new)
    }

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
