//! Evaluating again after a change with the tallies kept by delta: a unit evaluated again that
//! shows its parent something new has its old part of the parent's tallies taken away and its new
//! part added, so that a parent with many children reads only the ones that changed, and a unit
//! that shows nothing new leaves everything above it as it was. Counts come back exactly; a kind
//! whose tallies hold a decimal sum is tallied again from all its children instead (see
//! `TallyPlan::by_delta`).

use super::evaluation::Parts;
use super::evaluator::Evaluator;
use super::{Context, Evaluation};
use crate::inputs::Inputs;
use crate::layout::Layout;
use crate::store::{Kept, Places};
use crate::tally::{Tally, TallyPlan};
use crate::tree::UnitTree;
use duibiao_compiler::graph::Graph;
use duibiao_compiler::Value;
use std::ops::Range;

/// Whether a change to `graph`'s units can be evaluated again by delta: every kind is evaluated
/// in one pass (nothing is ranked among peers), so a unit's part of its parent's tallies is final
/// once the unit has been evaluated.
pub(crate) fn by_delta(graph: &Graph) -> bool {
    graph.kinds.iter().all(|k| k.strata.len() <= 1)
}

/// What the units of a change were before it: the changed unit's inputs, and the tallies and
/// stored values of each unit the change reaches, kept just before it is first touched (its
/// tallies moved or itself evaluated again). Kept from one change to the next so that its buffers
/// are allocated once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Before {
    /// Per unit of the change's order: where its tallies and its values are in the buffers
    /// below, once kept.
    kept: Vec<Option<(Range<usize>, Range<usize>)>>,
    tallies: Vec<Tally>,
    values: Vec<Kept>,
    /// The changed unit and its inputs before the change.
    changed: usize,
    inputs: Inputs,
}

impl Before {
    /// Starts a change to unit `changed`, whose inputs are `inputs` before it: call it before
    /// the change, then [`reevaluate_by_delta`] after it.
    pub(crate) fn start(&mut self, changed: usize, inputs: &Inputs) {
        self.changed = changed;
        self.inputs.clone_from(inputs);
        self.kept.clear();
        self.tallies.clear();
        self.values.clear();
    }

    /// Keeps the tallies and values of the `i`th unit of the order, at position `p`, unless
    /// they are kept already.
    fn keep(
        &mut self,
        i: usize,
        p: usize,
        layout: &Layout,
        (values, tallies): (&[Kept], &[Tally]),
    ) {
        if self.kept.get(i).is_some_and(Option::is_some) {
            return;
        }
        let t = tallies.get(layout.tallies(p..p + 1)).unwrap_or(&[]);
        let v = values.get(layout.values(p..p + 1)).unwrap_or(&[]);
        let tr = self.tallies.len()..self.tallies.len() + t.len();
        let vr = self.values.len()..self.values.len() + v.len();
        self.tallies.extend_from_slice(t);
        self.values.extend_from_slice(v);
        if let Some(slot) = self.kept.get_mut(i) {
            *slot = Some((tr, vr));
        }
    }

    /// The tallies and values the `i`th unit of the order had before the change, when kept.
    fn of(&self, i: usize) -> Option<(&[Tally], &[Kept])> {
        let (tr, vr) = self.kept.get(i)?.as_ref()?;
        Some((self.tallies.get(tr.clone())?, self.values.get(vr.clone())?))
    }

    /// The inputs unit `u` had before the change.
    fn inputs<'a>(&'a self, u: usize, now: &'a Inputs) -> &'a Inputs {
        if u == self.changed {
            &self.inputs
        } else {
            now
        }
    }
}

/// Evaluates again, after a change, the units of `order` that can have changed: the changed unit
/// and the units of `sources` (records reading its facts), and a unit above them only when
/// something it reads of a child changed: the child's tallies, or a node an aggregate over it
/// reads ([`TallyPlan::reads_same`]); then the child's part of it moves from what it was to what
/// it is. The others, and their parents' tallies, are left as they are. `order` lists descendants
/// before ancestors, sorted by position, and holds the parent of every unit it holds; `graph` is
/// evaluated by delta ([`by_delta`]) and `before` was started on the changed unit
/// ([`Before::start`]). Gives the values and tallies a full evaluation gives; returns how many
/// units were evaluated again.
pub(crate) fn reevaluate_by_delta(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    order: &[usize],
    (sources, before): (&[usize], &mut Before),
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
    before.kept.clear();
    before.kept.resize(order.len(), None);
    // Whether each unit of `order` is to be evaluated again.
    let mut stale: Vec<bool> = order
        .iter()
        .map(|u| *u == before.changed || sources.contains(u))
        .collect();
    let mut evaluated = 0;
    for (i, &u) in order.iter().enumerate() {
        if !stale.get(i).copied().unwrap_or(false) {
            continue;
        }
        let (Some(unit), Some(p)) = (tree.units.get(u), layout.pos(u)) else {
            continue;
        };
        before.keep(i, p, layout, (values, tallies));
        evaluated += 1;
        ev.runs(
            0,
            std::iter::once((unit.kind, p..p + 1)),
            layout,
            values,
            tallies,
        );
        if !parts.moved(i, u, before, (values, tallies)) {
            continue;
        }
        // The parent reads something new of it: its part moves, and the parent is evaluated
        // again in its turn.
        let up = unit.parent().and_then(|q| layout.pos(q).map(|qp| (q, qp)));
        let at = up.and_then(|(_, qp)| {
            order
                .binary_search_by_key(&Some(qp), |&x| layout.pos(x))
                .ok()
                .map(|j| (j, qp))
        });
        if let Some((j, qp)) = at {
            before.keep(j, qp, layout, (values, tallies));
            if let Some(s) = stale.get_mut(j) {
                *s = true;
            }
        }
        parts.move_part(i, u, before, values, tallies);
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
        (values, tallies): (&[Kept], &[Tally]),
    ) -> bool {
        let (Some(unit), Some(p), Some((old_t, old_v))) =
            (self.tree.units.get(u), self.layout.pos(u), before.of(i))
        else {
            return true;
        };
        if tallies.get(self.layout.tallies(p..p + 1)) != Some(old_t) {
            return true;
        }
        let stored = values.get(self.layout.values(p..p + 1)).unwrap_or(&[]);
        let fixed = (self.fixed)(unit.kind);
        let inputs = before.inputs(u, &unit.inputs);
        let old = self.places.view(unit.kind, old_v, inputs, fixed);
        let new = self.places.view(unit.kind, stored, &unit.inputs, fixed);
        !self.tallies.reads_same(unit.kind, &old, &new)
    }

    /// Moves unit `u`'s part of its parent's tallies, when the parent's kind is kept by delta,
    /// from what it was before the change (`before`'s `i`th unit) to what it is now.
    fn move_part(
        &self,
        i: usize,
        u: usize,
        before: &Before,
        values: &[Kept],
        tallies: &mut [Tally],
    ) {
        let units = &self.tree.units;
        let Some(unit) = units.get(u) else {
            return;
        };
        let Some((p, kind)) = unit
            .parent()
            .and_then(|p| units.get(p).map(|x| (p, x.kind)))
        else {
            return;
        };
        let Some((old_t, old_v)) = before.of(i) else {
            return;
        };
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
        let fixed = (self.fixed)(unit.kind);
        let old = self
            .places
            .view(unit.kind, old_v, before.inputs(u, &unit.inputs), fixed);
        self.tallies
            .remove_child(kind, parent_t, unit.kind, old_t, &old);
        let stored = values.get(self.layout.values(at..at + 1)).unwrap_or(&[]);
        let new = self.places.view(unit.kind, stored, &unit.inputs, fixed);
        self.tallies
            .add_child(kind, parent_t, unit.kind, child_t, &new);
    }
}

#[cfg(test)]
mod tests {
    use super::by_delta;

    /// A standard ranking units among their peers needs a second pass, so its changes are not
    /// evaluated again by delta; one without ranks is.
    #[test]
    fn only_a_standard_without_ranks_is_evaluated_by_delta() {
        let standard = crate::testing::standard;
        assert!(by_delta(&standard("haiyan-2021")));
        assert!(!by_delta(&standard("zhuji-2018")));
        assert!(!by_delta(&standard("jiaxing-2016")));
    }
}
