//! The parallel driver: a large single-pass forest's independent subtrees evaluated on rayon's
//! pool, then the units above them in order.

use super::evaluation::Parts;
use super::evaluator::{Evaluator, Others};
use super::{reevaluate_units, Context, Evaluation, RUN};
use crate::tally::Tally;
use crate::tree::UnitTree;
use duibiao_compiler::graph::Graph;

/// Evaluates a single-pass graph in parallel: independent subtrees (each of at most a 64th of
/// the forest, and at most [`SUBTREE`] units) on rayon's pool, each bottom-up on one thread,
/// then the units above them in order. Gives the whole forest's tally of every key (see
/// [`Evaluator::forest`]), each root counted by the thread that evaluated it, while its values
/// are at hand.
pub(super) fn evaluate_in_parallel(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
) -> Vec<Tally> {
    use rayon::prelude::*;
    let Parts {
        values,
        tallies,
        layout,
        plan,
        program,
        ..
    } = eval.parts(graph, ctx);
    let grain = (layout.len() / 64).clamp(1, SUBTREE);
    let (subtrees, above) = layout.split(grain);
    // Each subtree's block of the flat arrays, split off in order; the blocks of the units above
    // are skipped here.
    let mut blocks = Vec::with_capacity(subtrees.len());
    let (mut rest_v, mut rest_t) = (values.as_mut_slice(), tallies.as_mut_slice());
    let mut at = 0;
    for ps in subtrees {
        let skip = (
            layout.values(at..ps.start).len(),
            layout.tallies(at..ps.start).len(),
        );
        let (v, t) = (&mut rest_v[skip.0..], &mut rest_t[skip.1..]);
        let (v, more_v) = v.split_at_mut(layout.values(ps.clone()).len());
        let (t, more_t) = t.split_at_mut(layout.tallies(ps.clone()).len());
        at = ps.end;
        blocks.push((ps, v, t));
        (rest_v, rest_t) = (more_v, more_t);
    }
    // Split as finely as rayon's stealing asks for: blocks differ in size, and jobs of many
    // blocks left one thread idle while the other finished the last (each job sets up an
    // evaluator, which costs little).
    let partials: Vec<Option<Vec<Tally>>> = blocks
        .into_par_iter()
        .map_init(
            || Evaluator::new(graph, tree, ctx, plan, program),
            |ev, (ps, v, t)| {
                for (kind, run) in layout.runs(ps.clone(), RUN) {
                    // The subtree's units before the run are done and read; the run is written.
                    let (vr, tr) = (
                        layout.values(ps.start..run.start),
                        layout.tallies(ps.start..run.start),
                    );
                    let (before_v, rest_v) = v.split_at_mut(vr.len());
                    let (before_t, rest_t) = t.split_at_mut(tr.len());
                    let own = &mut rest_v[..layout.values(run.clone()).len()];
                    let own_t = &mut rest_t[..layout.tallies(run.clone()).len()];
                    let done = Others::new(
                        ev.sources(layout),
                        (ps.start, before_v, before_t),
                        run.clone(),
                        (&[], &[]),
                    );
                    ev.run(kind, 0, layout.units(run), own, own_t, &done);
                }
                // The subtree's top unit, if it is a root of the forest.
                let top = ps.end.checked_sub(1)?;
                let u = *layout.units(top..ps.end).first()?;
                let unit = tree.units.get(u).filter(|unit| unit.parent.is_none())?;
                let (vr, tr) = (layout.values(ps.start..top), layout.tallies(ps.start..top));
                let stored = v.get(vr.len()..).unwrap_or(&[]);
                let fixed = program.fixed(unit.kind);
                let values = plan.places.view(unit.kind, stored, &unit.inputs, fixed);
                let mut forest = vec![Tally::default(); plan.tallies.keys().len()];
                let tallies = t.get(tr.len()..).unwrap_or(&[]);
                plan.tallies
                    .add_root(&mut forest, unit.kind, &values, tallies);
                Some(forest)
            },
        )
        .collect();
    let above: Vec<usize> = above
        .into_iter()
        .flat_map(|p| layout.units(p..p + 1))
        .copied()
        .collect();
    reevaluate_units(graph, tree, ctx, eval, &above);
    // In the order of the subtrees, then of the units above them.
    let mut forest = vec![Tally::default(); eval.plan.tallies.keys().len()];
    for partial in partials.iter().flatten() {
        for (total, t) in forest.iter_mut().zip(partial) {
            total.add(t);
        }
    }
    for &u in &above {
        let (Some(unit), Some(p)) = (tree.units.get(u), eval.layout.pos(u)) else {
            continue;
        };
        if unit.parent.is_none() {
            let tallies = eval
                .tallies
                .get(eval.layout.tallies(p..p + 1))
                .unwrap_or(&[]);
            let values = eval.unit(tree, u);
            eval.plan
                .tallies
                .add_root(&mut forest, unit.kind, &values, tallies);
        }
    }
    forest
}

/// The most units of one subtree evaluated on one thread by [`evaluate`].
const SUBTREE: usize = 16_384;
