//! Evaluation of a compiled graph over a forest of units, bottom-up, in decimal arithmetic with
//! three-valued logic. The graph is only read; all state lives in [`Evaluation`].
//!
//! Nodes are evaluated in passes (the graph's strata): a rank needs the values of all its peers,
//! so it is computed in a pass after the one that computed them.

mod bounds;
mod by_cases;
mod calendar;
mod context;
mod delta;
mod evaluation;
mod evaluator;
mod ops;
mod parallel;
mod peers;
mod program;
mod reach;
mod reading;
mod span;

use crate::layout::Layout;
use crate::tally::{self, Tally};
use crate::tree::UnitTree;
pub(crate) use bounds::{span, sum_span, Reader};
pub use context::{Context, Missing, MissingParam};
pub(crate) use delta::{by_delta, reevaluate_by_delta, Before};
use duibiao_compiler::graph::{Aggregate, Graph};
use duibiao_compiler::Value;
pub use evaluation::Evaluation;
use evaluation::Parts;
use evaluator::{Evaluator, Frame, Others};
pub use ops::{and, or};
pub(crate) use ops::{bounded, compare};
use parallel::evaluate_in_parallel;
pub(crate) use peers::{place_range, Peer};
pub use span::Span;
use std::ops::Range;

/// Evaluates every unit of `tree`, descendants before ancestors, then the whole forest's rules.
///
/// Sub-units of one kind side by side (see `layout.rs`) are evaluated together, operator by
/// operator. Without ranks there is one pass, and a unit depends only on its descendants: a large
/// forest's independent subtrees are evaluated in parallel on rayon's pool (unless
/// [`Context::parallel`] is false), with the same result, value for value, as
/// [`evaluate_in_order`].
pub fn evaluate(graph: &Graph, tree: &UnitTree, ctx: &Context) -> Evaluation {
    let mut eval = Evaluation::with_parallel(graph, tree, ctx.parallel);
    let single_pass = graph.kinds.iter().all(|k| k.strata.len() <= 1);
    let forest = if ctx.parallel && single_pass && tree.units.len() >= PARALLEL_FROM {
        Some(evaluate_in_parallel(graph, tree, ctx, &mut eval))
    } else {
        evaluate_runs(graph, tree, ctx, &mut eval, |layout, pass| {
            // A later pass ranks units among their peers, which read one another's values:
            // one unit at a time, so that none is in the run being written.
            let most = if pass == 0 { RUN } else { 1 };
            Box::new(layout.runs(0..layout.len(), most))
        });
        None
    };
    overall(graph, tree, ctx, &mut eval, forest);
    eval
}

/// Evaluates every unit one by one, in the forest's bottom-up order, on the calling thread: the
/// reference for what [`evaluate`] computes by runs and in parallel. (Only a large forest's
/// unknown values are filled in on rayon's pool first, unless [`Context::parallel`] is false.)
pub fn evaluate_in_order(graph: &Graph, tree: &UnitTree, ctx: &Context) -> Evaluation {
    let mut eval = Evaluation::with_parallel(graph, tree, ctx.parallel);
    reevaluate(graph, tree, ctx, &mut eval, tree.bottom_up());
    eval
}

/// Forests smaller than this are evaluated on one thread (spreading them costs more than it saves).
const PARALLEL_FROM: usize = 4096;

/// The most units of one kind evaluated side by side, operator by operator.
const RUN: usize = 8;

/// The number of passes: the most strata any kind has.
fn passes(graph: &Graph) -> usize {
    graph
        .kinds
        .iter()
        .map(|k| k.strata.len())
        .max()
        .unwrap_or(0)
}

/// Evaluates again the units of `order` (listed descendants before ancestors), keeping every
/// other unit's values, then the whole forest's rules. Gives the same values as [`evaluate`]
/// when `order` holds every unit whose values can have changed.
pub fn reevaluate(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    order: &[usize],
) {
    reevaluate_units(graph, tree, ctx, eval, order);
    evaluate_overall(graph, tree, ctx, eval);
}

/// Evaluates again the units of `order` (descendants before ancestors), one by one, not the
/// whole forest's rules.
pub fn reevaluate_units(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    order: &[usize],
) {
    let units: Vec<(u32, Range<usize>)> = order
        .iter()
        .filter_map(|&u| {
            let (kind, p) = (tree.units.get(u)?.kind, eval.layout.pos(u)?);
            Some((kind, p..p + 1))
        })
        .collect();
    evaluate_runs(graph, tree, ctx, eval, |_, _| {
        Box::new(units.clone().into_iter())
    });
}

/// Runs of positions, each of units of one kind.
type Runs<'l> = Box<dyn Iterator<Item = (u32, Range<usize>)> + 'l>;

/// Evaluates, pass by pass on the calling thread, the runs `runs(layout, pass)` gives.
fn evaluate_runs(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    runs: impl for<'l> Fn(&'l Layout, usize) -> Runs<'l>,
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
    for pass in 0..passes(graph) {
        ev.runs(pass, runs(layout, pass), layout, values, tallies);
    }
}

/// Evaluates the whole forest's own rules (`overall` targets) from the units' values.
pub fn evaluate_overall(graph: &Graph, tree: &UnitTree, ctx: &Context, eval: &mut Evaluation) {
    overall(graph, tree, ctx, eval, None);
}

/// Evaluates the whole forest's own rules, with the whole forest's tallies when they are known
/// already.
fn overall(
    graph: &Graph,
    tree: &UnitTree,
    ctx: &Context,
    eval: &mut Evaluation,
    forest: Option<Vec<Tally>>,
) {
    let Parts {
        values,
        tallies,
        layout,
        plan,
        program,
        overall,
        ..
    } = eval.parts(graph, ctx);
    let mut ev = Evaluator::new(graph, tree, ctx, plan, program);
    if let Some(forest) = forest {
        ev.forest = std::cell::OnceCell::from(forest);
    }
    let end = layout.len()..layout.len();
    let all = Others::new(ev.sources(layout), (0, values, tallies), end, (&[], &[]));
    let none: &[Tally] = &[];
    let frame = |_| Frame {
        graph_index: graph.kinds.len(),
        kind: &graph.overall,
        unit: None,
        tallies: none,
    };
    let width = overall.len();
    for nodes in &graph.overall.strata {
        let nodes = nodes.iter().copied();
        ev.compute(&graph.overall, nodes, overall, width, &frame, &all);
    }
}

/// The sub-units an aggregate ranges over, with the index of the target they match. For the
/// whole forest (`unit` is `None`), every unit (`direct`: every root).
pub fn members(agg: &Aggregate, unit: Option<usize>, tree: &UnitTree) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut visit = |u: usize| {
        if let Some(t) = agg
            .targets
            .iter()
            .position(|t| t.kind == tree.units[u].kind)
        {
            out.push((u, t));
        }
    };
    match (unit, agg.direct) {
        (Some(u), true) => tree.units[u].children().for_each(&mut visit),
        (Some(u), false) => tree.for_each_descendant(u, visit),
        (None, true) => (0..tree.units.len())
            .filter(|&i| tree.units[i].parent.is_none())
            .for_each(visit),
        (None, false) => (0..tree.units.len()).for_each(visit),
    }
    out
}

/// Whether sub-unit `u` of `tree` matches target `t`'s filter.
pub fn matches(agg: &Aggregate, t: usize, u: usize, tree: &UnitTree, eval: &Evaluation) -> Value {
    agg.targets.get(t).map_or(Value::Unknown, |target| {
        tally::matches(target, &eval.unit(tree, u))
    })
}
