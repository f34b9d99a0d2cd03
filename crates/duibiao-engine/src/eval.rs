//! Evaluation of a compiled graph over a forest of units, bottom-up, in decimal arithmetic with
//! three-valued logic. The graph is only read; all state lives in [`Evaluation`].
//!
//! Nodes are evaluated in passes (the graph's strata): a rank needs the values of all its peers,
//! so it is computed in a pass after the one that computed them.

use crate::layout::Layout;
use crate::store::{Places, UnitValues};
use crate::tally::{self, Tally, TallyPlan};
use crate::tree::UnitTree;
use duibiao_compiler::graph::{
    Aggregate, Arith, Func, Graph, KindGraph, Node, NodeId, ParamValue, Peers, Rank,
};
use duibiao_compiler::Value;
use duibiao_syntax::ast::{CmpOp, Ties};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;

/// The values of every node for every unit, and of the whole forest's own rules.
///
/// The units' computed values live in one flat array, in bottom-up order (see `layout.rs` and
/// `store.rs`), beside each unit's running tallies of its sub-units (see `tally.rs`);
/// [`Evaluation::unit`] gives one unit's values.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Every unit's computed values, where the layout puts them.
    values: Vec<Value>,
    /// Every unit's tallies of its sub-units, where the layout puts them.
    tallies: Vec<Tally>,
    layout: Layout,
    plan: Plan,
    /// The program of the last evaluation's context, kept for the next one.
    program: Option<Program>,
    /// The values of [`Graph::overall`]'s nodes.
    pub overall: Vec<Value>,
}

/// Two evaluations are equal when they hold the same values (what is derived from the graph
/// and the context to compute them is not compared).
impl PartialEq for Evaluation {
    fn eq(&self, other: &Self) -> bool {
        self.layout == other.layout
            && self.values == other.values
            && self.tallies == other.tallies
            && self.overall == other.overall
    }
}

impl Evaluation {
    /// An evaluation of `tree` with every value unknown (nothing evaluated yet). A large forest's
    /// values are filled on rayon's pool: see [`Evaluation::with_parallel`] to keep to the calling
    /// thread.
    pub fn new(graph: &Graph, tree: &UnitTree) -> Self {
        Evaluation::with_parallel(graph, tree, true)
    }

    /// As [`Evaluation::new`]; with `parallel` false, entirely on the calling thread (rayon is not
    /// touched), whatever the forest's size.
    pub fn with_parallel(graph: &Graph, tree: &UnitTree, parallel: bool) -> Self {
        let plan = Plan::new(graph);
        let layout = Layout::new(
            tree,
            |k| plan.places.stored(k).len(),
            |k| plan.tallies.len(k),
        );
        // Hundreds of megabytes for a national forest: filled (and paged in) by every core.
        let parallel = parallel && tree.units.len() >= PARALLEL_FROM;
        let values = filled(Value::Unknown, layout.values_len(), parallel);
        let tallies = filled(Tally::default(), layout.tallies_len(), parallel);
        Evaluation {
            values,
            tallies,
            layout,
            plan,
            program: None,
            overall: vec![Value::Unknown; graph.overall.nodes.len()],
        }
    }

    /// The values of the nodes of unit `u` of `tree`, the forest evaluated (none for a unit
    /// not in it).
    pub fn unit<'e>(&'e self, tree: &'e UnitTree, u: usize) -> UnitValues<'e> {
        let (Some(unit), Some(p)) = (tree.units.get(u), self.layout.pos(u)) else {
            return UnitValues::none();
        };
        let stored = self.values.get(self.layout.values(p..p + 1)).unwrap_or(&[]);
        let fixed = self
            .program
            .as_ref()
            .map_or(&[][..], |p| p.fixed(unit.kind));
        self.plan
            .places
            .view(unit.kind, stored, &unit.inputs, fixed)
    }

    /// The value of node `n` of unit `u` of `tree`, the forest evaluated (unknown when there is
    /// none).
    pub fn value(&self, tree: &UnitTree, u: usize, n: NodeId) -> Value {
        self.unit(tree, u).get(n)
    }

    /// The parts an evaluation step works on, with the program for `ctx`.
    fn parts<'e>(&'e mut self, graph: &Graph, ctx: &Context) -> Parts<'e> {
        let Evaluation {
            values,
            tallies,
            layout,
            plan,
            program,
            overall,
        } = self;
        Parts {
            values,
            tallies,
            layout,
            plan,
            program: Program::cached(program, graph, &plan.places, ctx),
            overall,
        }
    }
}

/// `len` copies of `value`, written by every core when `parallel`.
fn filled<T: Copy + Send + Sync>(value: T, len: usize, parallel: bool) -> Vec<T> {
    if parallel {
        use rayon::prelude::*;
        let mut all = Vec::new();
        all.par_extend(rayon::iter::repeat_n(value, len));
        all
    } else {
        vec![value; len]
    }
}

/// An evaluation taken apart: what is written (values, tallies, the forest's own values) beside
/// what is only read.
struct Parts<'e> {
    values: &'e mut Vec<Value>,
    tallies: &'e mut Vec<Tally>,
    layout: &'e Layout,
    plan: &'e Plan,
    program: &'e Program,
    overall: &'e mut Vec<Value>,
}

/// What an evaluation derives from the graph once: which values are stored, where tallies go,
/// and the quota tables' rows.
#[derive(Debug, Clone)]
struct Plan {
    places: Places,
    tallies: TallyPlan,
    /// Per quota table: row index by unit id or name.
    quota_rows: Vec<HashMap<String, usize>>,
}

impl Plan {
    fn new(graph: &Graph) -> Self {
        let quota_rows = graph
            .quotas
            .iter()
            .map(|q| {
                q.rows
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.clone(), i))
                    .collect()
            })
            .collect();
        Plan {
            places: Places::new(graph),
            tallies: TallyPlan::new(graph),
            quota_rows,
        }
    }
}

/// Why a parameter has no value.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The standard leaves it open and nobody supplied it.
    NotSupplied,
    /// Its value depends on the date, and there is no evaluation date (`as_of`).
    NoDate,
    /// No period of its dated values covers the evaluation date.
    NotOn(#[schemars(with = "String", extend("format" = "date"))] chrono::NaiveDate),
}

/// A parameter without a value for this evaluation.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    thiserror::Error,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[non_exhaustive]
#[error("parameter `{name}` has no value{}", match why {
    Missing::NotSupplied => format!("; give it in the facts file's `params` or in the options' `params` (on the command line, `--param {name}=VALUE`)"),
    Missing::NoDate => "; it changes with the date, so give the evaluation date (`as_of`)".to_string(),
    Missing::NotOn(d) => format!(" on {d}"),
})]
pub struct MissingParam {
    /// The parameter.
    pub name: String,
    /// Its clause, if cited.
    pub clause: Option<String>,
    /// Why it has no value.
    pub why: Missing,
}

impl MissingParam {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        let clause = self
            .clause
            .as_ref()
            .map(|c| format!("（{c}）"))
            .unwrap_or_default();
        match &self.why {
            Missing::NotSupplied => format!(
                "参数 `{}`{clause}没有值；请在数据文件的 `params` 或选项的 `params` 中提供（命令行用 `--param {}=值`）",
                self.name, self.name
            ),
            Missing::NoDate => format!(
                "参数 `{}`{clause}的值随日期变化，请提供评价日期（`as_of`）",
                self.name
            ),
            Missing::NotOn(d) => format!("参数 `{}`{clause}在 {d} 没有值", self.name),
        }
    }
}

/// What an evaluation needs besides the facts: parameter values and the evaluation date, and
/// whether a large forest may be evaluated in parallel.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// The value of every parameter ([`Value::Unknown`] for dated values not in force).
    pub params: Vec<Value>,
    /// The evaluation date (`as_of`).
    pub date: Option<chrono::NaiveDate>,
    /// Parameters without a value, rules reading them unknown: dated values not in force on the
    /// evaluation date, and values supplied but unusable for parameters the standard gives a
    /// value of its own (a facts file's wrong value counts as missing, never as that value).
    pub unresolved: Vec<MissingParam>,
    /// Whether a large forest (4,096 units or more) may be evaluated on rayon's pool (the global
    /// one, or the one the caller runs in with `ThreadPool::install`); true from
    /// [`Context::new`]. When false, every evaluation with this context runs entirely on the
    /// calling thread and never touches rayon (for callers that own their threads, such as a
    /// binding in another language). The values are the same either way.
    pub parallel: bool,
}

impl Context {
    /// Resolves the parameter values on `date`: supplied values first, then the standard's own
    /// (dated values by the period containing `date`). Fails when a parameter the standard leaves
    /// open is not supplied, or supplied as [`Value::Unknown`] (a value that could not be used);
    /// a dated value not in force on `date`, and an unusable value of a parameter the standard
    /// gives a value of its own, leave the rules reading it unknown and are listed in
    /// [`Context::unresolved`].
    pub fn new(
        graph: &Graph,
        supplied: &[(usize, Value)],
        date: Option<chrono::NaiveDate>,
    ) -> Result<Context, Vec<MissingParam>> {
        let mut params = Vec::with_capacity(graph.params.len());
        let mut missing = Vec::new();
        let mut unresolved = Vec::new();
        for (i, p) in graph.params.iter().enumerate() {
            let given = supplied
                .iter()
                .rev()
                .find(|(j, _)| *j == i)
                .map(|(_, v)| *v);
            let resolved = match (given, &p.value) {
                // Given, but unusable (reported as it was read): missing, as any wrong value.
                (Some(Value::Unknown), _) => Err(Missing::NotSupplied),
                (Some(v), _) => Ok(v),
                (None, ParamValue::Fixed(v)) => Ok(*v),
                (None, ParamValue::Required) => Err(Missing::NotSupplied),
                (None, ParamValue::Dated(periods)) => match date {
                    None => Err(Missing::NoDate),
                    Some(d) => periods
                        .iter()
                        .find(|(from, to, _)| *from <= d && d <= *to)
                        .map(|(_, _, v)| *v)
                        .ok_or(Missing::NotOn(d)),
                },
            };
            match resolved {
                Ok(v) => params.push(v),
                Err(why) => {
                    params.push(Value::Unknown);
                    let m = MissingParam {
                        name: p.name.clone(),
                        clause: p.source.cite.as_ref().map(|c| c.clause.clone()),
                        why,
                    };
                    // Evaluation goes on without a value the standard would have given.
                    let has_own = !matches!(p.value, ParamValue::Required);
                    if m.why == Missing::NotSupplied && !has_own {
                        missing.push(m);
                    } else {
                        unresolved.push(m);
                    }
                }
            }
        }
        if missing.is_empty() {
            Ok(Context {
                params,
                date,
                unresolved,
                parallel: true,
            })
        } else {
            Err(missing)
        }
    }

    /// This context, allowed to evaluate in parallel or not (see [`Context::parallel`]).
    pub fn with_parallel(self, parallel: bool) -> Context {
        Context { parallel, ..self }
    }
}

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

/// Evaluates a single-pass graph in parallel: independent subtrees (each of at most a 64th of
/// the forest, and at most [`SUBTREE`] units) on rayon's pool, each bottom-up on one thread,
/// then the units above them in order. Gives the whole forest's tally of every key (see
/// [`Evaluator::forest`]), each root counted by the thread that evaluated it, while its values
/// are at hand.
fn evaluate_in_parallel(
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

/// `d` without trailing zeros, as `Decimal::normalize` gives it. A whole number and a small
/// fraction not ending in 0, the common cases, already are; a small one ending in 0 (a sum of
/// points such as `4.5 + 5.5`) is stripped on its 32-bit mantissa.
fn normal(d: Decimal) -> Decimal {
    let u = d.unpack();
    if u.scale == 0 || (u.hi | u.mid == 0 && !u.lo.is_multiple_of(10)) {
        d
    } else if u.hi | u.mid == 0 {
        let (mut lo, mut scale) = (u.lo, u.scale);
        while scale > 0 && lo.is_multiple_of(10) {
            lo /= 10;
            scale -= 1;
        }
        Decimal::from_parts(lo, 0, 0, u.negative, scale)
    } else {
        d.normalize()
    }
}

/// Powers of ten whose product with a 32-bit mantissa fits in 64 bits.
const POW10: [u64; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// How two decimals compare: as integers at the larger scale when both mantissas fit in 32 bits,
/// have the same sign and scales at most 9 apart (the common case: points against a threshold),
/// else by rust_decimal.
fn cmp_num(x: Decimal, y: Decimal) -> Ordering {
    let (a, b) = (x.unpack(), y.unpack());
    if a.hi | a.mid | b.hi | b.mid == 0 && a.negative == b.negative {
        let up = |m: u32, by: u32| POW10.get(by as usize).map(|p| u64::from(m) * p);
        let (am, bm) = if a.scale >= b.scale {
            (Some(u64::from(a.lo)), up(b.lo, a.scale - b.scale))
        } else {
            (up(a.lo, b.scale - a.scale), Some(u64::from(b.lo)))
        };
        if let (Some(am), Some(bm)) = (am, bm) {
            return if a.negative { bm.cmp(&am) } else { am.cmp(&bm) };
        }
    }
    x.cmp(&y)
}

fn get(vals: &[Value], id: u32) -> Value {
    vals.get(id as usize).copied().unwrap_or(Value::Unknown)
}

/// What every evaluation step reads and none writes: where units' values and tallies are, the
/// forest (with its inputs), and the values the same for every unit of a kind.
#[derive(Clone, Copy)]
struct Sources<'x> {
    layout: &'x Layout,
    tree: &'x UnitTree,
    places: &'x Places,
    program: &'x Program,
}

/// The values and tallies of the units an evaluation step reads: a block of positions before
/// the ones being written, and the block after them.
struct Others<'x> {
    src: Sources<'x>,
    /// The first position of the block before.
    from: usize,
    /// The positions being written: the block before ends at the first, the block after starts
    /// at the end.
    hole: Range<usize>,
    before: (&'x [Value], &'x [Tally]),
    after: (&'x [Value], &'x [Tally]),
    /// Where the blocks start in the flat arrays (values, tallies).
    before_at: (usize, usize),
    after_at: (usize, usize),
}

impl<'x> Others<'x> {
    /// Reads `before` (the values and tallies of positions `from..hole.start`) and `after`
    /// (those of the positions from `hole.end` on).
    fn new(
        src: Sources<'x>,
        (from, before_v, before_t): (usize, &'x [Value], &'x [Tally]),
        hole: Range<usize>,
        after: (&'x [Value], &'x [Tally]),
    ) -> Self {
        let layout = src.layout;
        let next = hole.end.min(layout.len());
        Others {
            src,
            from,
            hole,
            before: (before_v, before_t),
            after,
            before_at: (layout.values(0..from).end, layout.tallies(0..from).end),
            after_at: (layout.values(0..next).end, layout.tallies(0..next).end),
        }
    }

    /// Unit `u`'s values (its computed ones unknown when it is not readable here).
    fn values(&self, u: usize) -> UnitValues<'x> {
        let Some(unit) = self.src.tree.units.get(u) else {
            return UnitValues::none();
        };
        let blocks = (self.before.0, self.after.0);
        let at = (self.before_at.0, self.after_at.0);
        let stored = self.find(u, blocks, at, |ps| self.src.layout.values(ps));
        let fixed = self.src.program.fixed(unit.kind);
        self.src.places.view(unit.kind, stored, &unit.inputs, fixed)
    }

    /// Unit `u`'s tallies (none for a unit not readable here).
    fn tallies(&self, u: usize) -> &'x [Tally] {
        let blocks = (self.before.1, self.after.1);
        let at = (self.before_at.1, self.after_at.1);
        self.find(u, blocks, at, |ps| self.src.layout.tallies(ps))
    }

    /// Unit `u`'s part of the block before or after the hole (starting at `at` in the flat
    /// array), where `range` places positions in the flat array.
    fn find<T>(
        &self,
        u: usize,
        (before, after): (&'x [T], &'x [T]),
        (before_at, after_at): (usize, usize),
        range: impl Fn(Range<usize>) -> Range<usize>,
    ) -> &'x [T] {
        let (block, at, p) = match self.src.layout.pos(u) {
            Some(p) if self.from <= p && p < self.hole.start => (before, before_at, p),
            Some(p) if p >= self.hole.end => (after, after_at, p),
            _ => return &[],
        };
        let r = range(p..p + 1);
        block.get(r.start - at..r.end - at).unwrap_or(&[])
    }

    /// The units without a parent.
    fn roots(&self) -> &'x [usize] {
        self.src.layout.roots()
    }
}

/// What node evaluation needs to know about the unit (or the whole forest) being evaluated.
struct Frame<'x> {
    /// Its kind graph's index: a kind, or the number of kinds for the whole forest's graph.
    graph_index: usize,
    kind: &'x KindGraph,
    /// The unit (`None`: the whole forest).
    unit: Option<usize>,
    /// The unit's tallies of its sub-units.
    tallies: &'x [Tally],
}

/// How to evaluate a unit of each kind once the parameters and the date are known: the values
/// every unit of the kind starts from, where its inputs go, and the nodes left to compute.
#[derive(Debug, Clone)]
struct Program {
    /// The parameter values and the date it was made for.
    params: Vec<Value>,
    date: Option<chrono::NaiveDate>,
    kinds: Vec<KindProgram>,
}

#[derive(Debug, Clone)]
struct KindProgram {
    /// Constants, parameters and the date in their nodes; unknown in every other node.
    start: Vec<Value>,
    /// From a unit's inputs (by slot) into its row (by node).
    inputs: Moves,
    /// Per pass, the nodes computed from others.
    passes: Vec<Vec<NodeId>>,
    /// Per pass, from a unit's row (by node) into its stored block (by offset).
    stores: Vec<Moves>,
    /// From a unit's stored block (by offset) back into its row (by node): what earlier passes
    /// computed, for a later one.
    restore: Moves,
}

/// Which values go where from one block of values to another: one span when the places run side
/// by side in both (as they do in the compiler's canonical node order: inputs by slot first,
/// each pass's computed nodes together), else place by place.
#[derive(Debug, Clone)]
enum Moves {
    /// `len` values from `from..` to `to..`.
    Span { to: usize, from: usize, len: usize },
    /// Each place written, and the place read.
    Pairs(Vec<(u32, u32)>),
}

impl Moves {
    /// The moves of the pairs (place written, place read).
    fn new(pairs: Vec<(u32, u32)>) -> Self {
        match pairs.first() {
            Some(&(to, from)) if (0..).zip(&pairs).all(|(i, &p)| p == (to + i, from + i)) => {
                Moves::Span {
                    to: to as usize,
                    from: from as usize,
                    len: pairs.len(),
                }
            }
            _ => Moves::Pairs(pairs),
        }
    }

    /// Copies the values from `from` into `to` (unknown for a place `from` does not have).
    fn apply(&self, to: &mut [Value], from: &[Value]) {
        match self {
            Moves::Span {
                to: t,
                from: f,
                len,
            } => match (to.get_mut(*t..t + len), from.get(*f..f + len)) {
                (Some(to), Some(from)) => to.copy_from_slice(from),
                (Some(to), None) => {
                    for (i, slot) in (*f..).zip(to) {
                        *slot = from.get(i).copied().unwrap_or(Value::Unknown);
                    }
                }
                (None, _) => {}
            },
            Moves::Pairs(pairs) => {
                for &(t, f) in pairs {
                    if let Some(slot) = to.get_mut(t as usize) {
                        *slot = from.get(f as usize).copied().unwrap_or(Value::Unknown);
                    }
                }
            }
        }
    }
}

impl Program {
    fn new(graph: &Graph, places: &Places, ctx: &Context) -> Self {
        let kinds = (0..)
            .zip(&graph.kinds)
            .map(|(k, kg)| {
                let mut start = vec![Value::Unknown; kg.nodes.len()];
                let mut inputs = Vec::new();
                for (i, node) in kg.nodes.iter().enumerate() {
                    let fixed = match node {
                        Node::Const(v) => *v,
                        Node::Param(p) => ctx.params.get(*p).copied().unwrap_or(Value::Unknown),
                        Node::AsOf => ctx.date.map_or(Value::Unknown, Value::Date),
                        Node::Input(slot) => {
                            inputs.push((i as u32, *slot as u32));
                            Value::Unknown
                        }
                        _ => continue,
                    };
                    start[i] = fixed;
                }
                let (passes, stores) = kg
                    .strata
                    .iter()
                    .map(|nodes| {
                        let at = |&n: &NodeId| places.offset(k, n).map(|at| (n, at as u32));
                        let computed: Vec<(NodeId, u32)> = nodes.iter().filter_map(at).collect();
                        let stores = computed.iter().map(|&(n, at)| (at, n)).collect();
                        (
                            computed.iter().map(|&(n, _)| n).collect(),
                            Moves::new(stores),
                        )
                    })
                    .unzip();
                let restore = (0..)
                    .zip(places.stored(k))
                    .map(|(at, &n)| (n, at))
                    .collect();
                KindProgram {
                    start,
                    inputs: Moves::new(inputs),
                    passes,
                    stores,
                    restore: Moves::new(restore),
                }
            })
            .collect();
        Program {
            params: ctx.params.clone(),
            date: ctx.date,
            kinds,
        }
    }

    /// The program for `ctx` kept in `slot`, made again if it was made for another context.
    fn cached<'s>(
        slot: &'s mut Option<Program>,
        graph: &Graph,
        places: &Places,
        ctx: &Context,
    ) -> &'s Program {
        if slot
            .as_ref()
            .is_some_and(|p| p.params != ctx.params || p.date != ctx.date)
        {
            *slot = None;
        }
        slot.get_or_insert_with(|| Program::new(graph, places, ctx))
    }

    /// The values the same for every unit of `kind` (constants, parameters, the date), by node.
    fn fixed(&self, kind: u32) -> &[Value] {
        self.kinds
            .get(kind as usize)
            .map_or(&[], |k| k.start.as_slice())
    }
}

/// Peer groups of one kind under one scope: each unit's group, and each group's members.
struct Groups {
    of: HashMap<usize, usize>,
    members: Vec<Vec<usize>>,
}

struct Evaluator<'a> {
    graph: &'a Graph,
    tree: &'a UnitTree,
    ctx: &'a Context,
    plan: &'a Plan,
    program: &'a Program,
    groups: HashMap<(u32, Peers), Groups>,
    /// Per (kind, rank node, group): the ranks of the group's members, by unit.
    ranks: HashMap<(u32, u32, usize), HashMap<usize, Value>>,
    /// The whole forest's tally of every key (see [`Evaluator::forest`]).
    forest: std::cell::OnceCell<Vec<Tally>>,
    /// Per kind, rows of the values of every node of the units of that kind evaluated last (their
    /// computed ones are then stored); the fixed ones are filled in once.
    rows: Vec<Vec<Value>>,
}

impl<'a> Evaluator<'a> {
    fn new(
        graph: &'a Graph,
        tree: &'a UnitTree,
        ctx: &'a Context,
        plan: &'a Plan,
        program: &'a Program,
    ) -> Self {
        Evaluator {
            graph,
            tree,
            ctx,
            plan,
            program,
            groups: HashMap::new(),
            ranks: HashMap::new(),
            forest: std::cell::OnceCell::new(),
            rows: Vec::new(),
        }
    }

    /// What the evaluation steps read, with the values and tallies placed by `layout`.
    fn sources(&self, layout: &'a Layout) -> Sources<'a> {
        Sources {
            layout,
            tree: self.tree,
            places: &self.plan.places,
            program: self.program,
        }
    }

    /// Evaluates pass `pass` of the runs of positions `runs` (each of units of one kind), in
    /// order, each reading every other unit's values and tallies in the flat arrays.
    fn runs(
        &mut self,
        pass: usize,
        runs: impl Iterator<Item = (u32, Range<usize>)>,
        layout: &Layout,
        values: &mut [Value],
        tallies: &mut [Tally],
    ) {
        for (kind, run) in runs {
            let (vr, tr) = (layout.values(run.clone()), layout.tallies(run.clone()));
            let (before_v, rest_v) = values.split_at_mut(vr.start);
            let (own, after_v) = rest_v.split_at_mut(vr.len());
            let (before_t, rest_t) = tallies.split_at_mut(tr.start);
            let (own_t, after_t) = rest_t.split_at_mut(tr.len());
            let sources = self.sources(layout);
            let hole = run.clone();
            let others = Others::new(sources, (0, before_v, before_t), hole, (after_v, after_t));
            self.run(kind, pass, layout.units(run), own, own_t, &others);
        }
    }

    /// Evaluates pass `pass` of `units`, all of kind `kind`, side by side: their tallies of
    /// their sub-units from their children's, then the pass's nodes operator by operator, and
    /// stores their computed values in `own` (and their tallies in `own_t`), one block per unit.
    fn run(
        &mut self,
        kind: u32,
        pass: usize,
        units: &[usize],
        own: &mut [Value],
        own_t: &mut [Tally],
        others: &Others,
    ) {
        let (graph, program, tree) = (self.graph, self.program, self.tree);
        let (Some(kg), Some(prog)) = (
            graph.kinds.get(kind as usize),
            program.kinds.get(kind as usize),
        ) else {
            return;
        };
        let stored = self.plan.places.stored(kind).len();
        let held = self.plan.tallies.len(kind);
        // Tallied again in every pass: a later pass can read what the children's later passes
        // computed.
        if held > 0 {
            let plan = &self.plan.tallies;
            for (&u, own_t) in units.iter().zip(rows_mut(own_t, held)) {
                own_t.fill(Tally::default());
                for &c in tree.units.get(u).map_or(&[][..], |x| &x.children) {
                    let child = tree.units[c].kind;
                    plan.add_child(kind, own_t, child, others.tallies(c), &others.values(c));
                }
            }
        }
        let Some(nodes) = prog.passes.get(pass) else {
            return;
        };
        // Every node's value at hand, one row per unit: the kind's fixed values, the unit's
        // inputs, and what earlier passes computed. What a row held for an earlier unit in the
        // nodes of this pass is overwritten before it is read (every node reads only nodes
        // before it), and the nodes of later passes are not read.
        let k = kind as usize;
        if self.rows.len() <= k {
            self.rows.resize_with(k + 1, Vec::new);
        }
        let mut rows = std::mem::take(&mut self.rows[k]);
        let width = prog.start.len();
        if rows.len() < units.len() * width {
            // One allocation of as many rows as this run has: an incremental change evaluates
            // one unit at a time, and a full evaluation's longer runs make it grow to the
            // longest (at most `RUN`) after a few runs.
            rows = prog.start.repeat(units.len());
        }
        let used = &mut rows[..units.len() * width];
        for (row, &u) in rows_mut(used, width).zip(units) {
            let inputs = tree.units.get(u).map_or(&[][..], |x| &x.inputs);
            prog.inputs.apply(row, inputs);
        }
        if pass > 0 {
            for (row, own) in rows_mut(used, width).zip(rows_mut(own, stored)) {
                prog.restore.apply(row, own);
            }
        }
        let frame = |i: usize| Frame {
            graph_index: k,
            kind: kg,
            unit: units.get(i).copied(),
            tallies: own_t.get(i * held..(i + 1) * held).unwrap_or(&[]),
        };
        self.compute(kg, nodes.iter().copied(), used, width, &frame, others);
        if let Some(store) = prog.stores.get(pass) {
            for (row, own) in rows_mut(used, width).zip(rows_mut(own, stored)) {
                store.apply(own, row);
            }
        }
        self.rows[k] = rows;
    }

    /// Evaluates `nodes` of kind graph `kind` in every row of `rows` (one row of `width` values
    /// per unit, `frame(i)` telling about the unit of row `i`), one node at a time across the
    /// rows: the operators here, everything reading beyond a row in [`Evaluator::reach`].
    fn compute<'f>(
        &mut self,
        kind: &KindGraph,
        nodes: impl IntoIterator<Item = NodeId>,
        rows: &mut [Value],
        width: usize,
        frame: &dyn Fn(usize) -> Frame<'f>,
        all: &Others,
    ) {
        for n in nodes {
            let Some(node) = kind.nodes.get(n as usize) else {
                continue;
            };
            match node {
                Node::Neg(a) => each(rows, width, n, |r: &[Value]| match get(r, *a) {
                    Value::Num(x) => Value::Num(-x),
                    _ => Value::Unknown,
                }),
                Node::Arith(op, a, b) => each(rows, width, n, |r: &[Value]| {
                    arith(*op, get(r, *a), get(r, *b))
                }),
                Node::And(xs) => each(rows, width, n, |r: &[Value]| {
                    and(xs.iter().map(|x| get(r, *x)))
                }),
                Node::Or(xs) => each(rows, width, n, |r: &[Value]| {
                    or(xs.iter().map(|x| get(r, *x)))
                }),
                Node::Not(a) => each(rows, width, n, |r: &[Value]| match get(r, *a) {
                    Value::Bool(b) => Value::Bool(!b),
                    _ => Value::Unknown,
                }),
                Node::If(c, a, b) => each(rows, width, n, |r: &[Value]| {
                    choose(get(r, *c), get(r, *a), get(r, *b))
                }),
                Node::Call(f, xs) => each(rows, width, n, |r: &[Value]| {
                    call(*f, xs.iter().map(|x| get(r, *x)))
                }),
                Node::Sum(xs) => each(rows, width, n, |r: &[Value]| {
                    in_tenths(r, xs).unwrap_or_else(|| sum(xs.iter().map(|x| get(r, *x))))
                }),
                Node::Compare(op, a, b) => {
                    // An unknown side can still be bounded only if it is a count, share or rank.
                    let bounded = |n: NodeId, v: Value| !v.is_unknown() || has_range(kind, n);
                    for (i, row) in rows_mut(rows, width).enumerate() {
                        let (x, y) = (get(row, *a), get(row, *b));
                        let v = if x.is_unknown() || y.is_unknown() {
                            if bounded(*a, x) && bounded(*b, y) {
                                self.compare_open(&frame(i), *op, (*a, *b), row, all)
                            } else {
                                Value::Unknown
                            }
                        } else {
                            compare(*op, x, y)
                        };
                        if let Some(slot) = row.get_mut(n as usize) {
                            *slot = v;
                        }
                    }
                }
                _ => {
                    for (i, row) in rows_mut(rows, width).enumerate() {
                        let v = self.reach(&frame(i), n, node, row, all);
                        if let Some(slot) = row.get_mut(n as usize) {
                            *slot = v;
                        }
                    }
                }
            }
        }
    }

    /// A comparison with an unknown side. A count or share with unknown members still lies
    /// between what the known members give and what all of them would: often enough to decide.
    #[inline(never)]
    fn compare_open(
        &mut self,
        frame: &Frame,
        op: CmpOp,
        (a, b): (u32, u32),
        own: &[Value],
        all: &Others,
    ) -> Value {
        match (
            self.range(frame, a, own, all),
            self.range(frame, b, own, all),
        ) {
            (Some(ra), Some(rb)) => bounded(op, ra, rb),
            _ => Value::Unknown,
        }
    }

    /// Evaluates a node that reads beyond the unit's own values: its inputs, the parameters,
    /// the date, quota tables, sub-units and peers.
    #[inline(never)]
    fn reach(&mut self, frame: &Frame, n: u32, node: &Node, own: &[Value], all: &Others) -> Value {
        let unit = frame.unit;
        match node {
            Node::Input(slot) => unit
                .and_then(|u| self.tree.units[u].inputs.get(*slot).copied())
                .unwrap_or(Value::Unknown),
            Node::Const(v) => *v,
            Node::Param(p) => self.ctx.params.get(*p).copied().unwrap_or(Value::Unknown),
            Node::AsOf => self.ctx.date.map_or(Value::Unknown, Value::Date),
            Node::Quota(q) => unit.map_or(Value::Unknown, |u| self.quota(*q, u)),
            Node::Aggregate(agg) => self.tally(frame, n, agg, all).value(agg),
            Node::Rank(r) => match unit {
                Some(u) => self.rank(n, r, u, own, all),
                None => Value::Unknown,
            },
            Node::Peers(p) => match unit {
                Some(u) => {
                    let k = self.tree.units[u].kind;
                    let g = self.group(k, *p, u);
                    let size = self
                        .groups
                        .get(&(k, *p))
                        .and_then(|gs| gs.members.get(g))
                        .map_or(0, Vec::len);
                    Value::Num(Decimal::from(size as u64))
                }
                None => Value::Unknown,
            },
            // Operators are evaluated by `node`.
            _ => Value::Unknown,
        }
    }

    /// How the sub-units aggregate node `n` ranges over stand. Over all descendants: the
    /// unit's running tallies (for the whole forest, the roots' tallies and the roots
    /// themselves); over direct children (or the roots), counted one by one.
    fn tally(&self, frame: &Frame, n: u32, agg: &Aggregate, all: &Others) -> Tally {
        let mut total = Tally::default();
        let count = |total: &mut Tally, sub: usize| {
            let kind = self.tree.units[sub].kind;
            if let Some(t) = agg.targets.iter().find(|t| t.kind == kind) {
                total.count(t, &all.values(sub));
            }
        };
        let keys = self.plan.tallies.targets(frame.graph_index, n);
        match (frame.unit, agg.direct) {
            (Some(u), true) => self.tree.units[u]
                .children
                .iter()
                .for_each(|&c| count(&mut total, c)),
            (Some(u), false) => {
                let kind = self.tree.units[u].kind;
                for &key in keys.iter().flatten() {
                    if let Some(t) = self.plan.tallies.place(kind, key) {
                        if let Some(t) = frame.tallies.get(t) {
                            total.add(t);
                        }
                    }
                }
            }
            (None, true) => all.roots().iter().for_each(|&r| count(&mut total, r)),
            (None, false) => {
                let forest = self.forest(all);
                for &key in keys.iter().flatten() {
                    if let Some(t) = forest.get(key as usize) {
                        total.add(t);
                    }
                }
            }
        }
        total
    }

    /// The whole forest's tally of every key: each root counted, and its tallies added.
    /// Computed once, when the first forest-wide aggregate asks for it.
    fn forest(&self, all: &Others) -> &[Tally] {
        self.forest.get_or_init(|| {
            let plan = &self.plan.tallies;
            let mut forest = vec![Tally::default(); plan.keys().len()];
            for &root in all.roots() {
                let kind = self.tree.units[root].kind;
                plan.add_root(&mut forest, kind, &all.values(root), all.tallies(root));
            }
            forest
        })
    }

    /// The least and greatest value node `n` can take: its value when known; for a count or
    /// share with unknown members, the values with none and with all of them matching (see
    /// [`has_range`]).
    fn range(
        &mut self,
        frame: &Frame,
        n: u32,
        own: &[Value],
        all: &Others,
    ) -> Option<(Decimal, Decimal)> {
        if let Value::Num(v) = get(own, n) {
            return Some((v, v));
        }
        match frame.kind.nodes.get(n as usize) {
            Some(Node::Aggregate(agg)) => self.tally(frame, n, agg, all).range(agg.op),
            Some(Node::Rank(r)) => frame.unit.map(|u| self.rank_range(r, u, own, all)),
            _ => None,
        }
    }

    /// The best and worst rank unit `u` can have when some peers' values are unknown: ahead of
    /// it at least the known peers that are ahead, at most those and every unknown one.
    fn rank_range(
        &mut self,
        r: &Rank,
        u: usize,
        own: &[Value],
        all: &Others,
    ) -> (Decimal, Decimal) {
        let k = self.tree.units[u].kind;
        let g = self.group(k, r.peers, u);
        let members = self
            .groups
            .get(&(k, r.peers))
            .and_then(|gs| gs.members.get(g))
            .cloned()
            .unwrap_or_default();
        let mine = get(own, r.value);
        if mine.is_unknown() {
            return (Decimal::ONE, Decimal::from(members.len().max(1) as u64));
        }
        let (mut ahead, mut open) = (0u64, 0u64);
        for &m in members.iter().filter(|&&m| m != u) {
            let w = all.values(m).get(r.value);
            if w.is_unknown() {
                open += 1;
                continue;
            }
            let is_ahead = match order(w, mine, r.ascending) {
                Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => {
                    r.ties == Ties::ById && self.tree.units[m].id < self.tree.units[u].id
                }
                _ => false,
            };
            if is_ahead {
                ahead += 1;
            }
        }
        (Decimal::from(ahead + 1), Decimal::from(ahead + open + 1))
    }

    /// A quota table's value for unit `u` on the evaluation date (by id, else by name).
    fn quota(&self, q: usize, u: usize) -> Value {
        let (Some(table), Some(rows)) = (self.graph.quotas.get(q), self.plan.quota_rows.get(q))
        else {
            return Value::Unknown;
        };
        let unit = &self.tree.units[u];
        let row = rows
            .get(unit.id.as_str())
            .or_else(|| unit.name.as_deref().and_then(|n| rows.get(n)));
        row.and_then(|&r| table.rows.get(r))
            .and_then(|(_, values)| values.get(table.column(self.ctx.date)).copied())
            .unwrap_or(Value::Unknown)
    }

    /// The index of unit `u`'s peer group (computing all groups of its kind on first use).
    fn group(&mut self, kind: u32, peers: Peers, u: usize) -> usize {
        let tree = self.tree;
        let groups = self.groups.entry((kind, peers)).or_insert_with(|| {
            let mut by_key: HashMap<Option<usize>, usize> = HashMap::new();
            let mut g = Groups {
                of: HashMap::new(),
                members: Vec::new(),
            };
            for (i, unit) in tree
                .units
                .iter()
                .enumerate()
                .filter(|(_, x)| x.kind == kind)
            {
                let key = match peers {
                    Peers::All => None,
                    Peers::Siblings => unit.parent,
                    Peers::Within(anc) => {
                        let mut p = unit.parent;
                        while let Some(x) = p {
                            if tree.units[x].kind == anc {
                                break;
                            }
                            p = tree.units[x].parent;
                        }
                        p
                    }
                };
                let idx = *by_key.entry(key).or_insert_with(|| {
                    g.members.push(Vec::new());
                    g.members.len() - 1
                });
                g.members[idx].push(i);
                g.of.insert(i, idx);
            }
            g
        });
        groups.of.get(&u).copied().unwrap_or(0)
    }

    /// Unit `u`'s rank among its peers by node `r.value` (1 = best; unknown if any peer's value
    /// is unknown).
    fn rank(&mut self, n: u32, r: &Rank, u: usize, own: &[Value], all: &Others) -> Value {
        let k = self.tree.units[u].kind;
        let g = self.group(k, r.peers, u);
        if let Some(v) = self.ranks.get(&(k, n, g)).and_then(|m| m.get(&u)) {
            return *v;
        }
        let members = self
            .groups
            .get(&(k, r.peers))
            .and_then(|gs| gs.members.get(g))
            .cloned()
            .unwrap_or_default();
        let value_of = |m: usize| {
            if m == u {
                get(own, r.value)
            } else {
                all.values(m).get(r.value)
            }
        };
        let values: Vec<(usize, Value)> = members.iter().map(|&m| (m, value_of(m))).collect();
        let known = values.iter().all(|(_, v)| !v.is_unknown());
        let mut result = HashMap::new();
        for &(m, v) in &values {
            let rank = if known {
                let mut better = 0u64;
                for &(o, w) in &values {
                    let ord = order(w, v, r.ascending);
                    let ahead = match ord {
                        Some(Ordering::Greater) => true,
                        Some(Ordering::Equal) => {
                            r.ties == Ties::ById && self.tree.units[o].id < self.tree.units[m].id
                        }
                        _ => false,
                    };
                    if o != m && ahead {
                        better += 1;
                    }
                }
                Value::Num(Decimal::from(better + 1))
            } else {
                Value::Unknown
            };
            result.insert(m, rank);
        }
        let mine = result.get(&u).copied().unwrap_or(Value::Unknown);
        self.ranks.insert((k, n, g), result);
        mine
    }
}

/// Whether node `n` of `kind`, when unknown, can still have a range of values
/// ([`Evaluator::range`]): an aggregate or a rank.
fn has_range(kind: &KindGraph, n: NodeId) -> bool {
    matches!(
        kind.nodes.get(n as usize),
        Some(Node::Aggregate(_) | Node::Rank(_))
    )
}

/// A comparison of two values known only to lie in ranges: decided when every pair of values
/// from the ranges gives the same answer.
pub(crate) fn bounded(
    op: CmpOp,
    (alo, ahi): (Decimal, Decimal),
    (blo, bhi): (Decimal, Decimal),
) -> Value {
    let decided = match op {
        CmpOp::Ge => (alo >= bhi)
            .then_some(true)
            .or((ahi < blo).then_some(false)),
        CmpOp::Gt => (alo > bhi)
            .then_some(true)
            .or((ahi <= blo).then_some(false)),
        CmpOp::Le => (ahi <= blo)
            .then_some(true)
            .or((alo > bhi).then_some(false)),
        CmpOp::Lt => (ahi < blo)
            .then_some(true)
            .or((alo >= bhi).then_some(false)),
        CmpOp::Eq | CmpOp::Ne => {
            let equal = if alo == ahi && blo == bhi && alo == blo {
                Some(true)
            } else if ahi < blo || bhi < alo {
                Some(false)
            } else {
                None
            };
            equal.map(|e| e == (op == CmpOp::Eq))
        }
    };
    decided.map_or(Value::Unknown, Value::Bool)
}

/// How `w` compares with `v` in rank order: `Greater` when `w` ranks ahead.
fn order(w: Value, v: Value, ascending: bool) -> Option<Ordering> {
    let o = match (w, v) {
        (Value::Num(a), Value::Num(b)) => a.cmp(&b),
        (Value::Date(a), Value::Date(b)) => a.cmp(&b),
        (Value::Enum(a), Value::Enum(b)) => a.cmp(&b),
        _ => return None,
    };
    Some(if ascending { o.reverse() } else { o })
}

/// The sum of nodes `xs` of `row` when every one is a known, non-negative number of at most one
/// decimal place below a few billion (points, in halves or tenths: the common case), added as
/// whole tenths; `None` otherwise. The same value as [`sum`] gives, already without trailing
/// zeros, for a fraction of rust_decimal's cost.
fn in_tenths(row: &[Value], xs: &[NodeId]) -> Option<Value> {
    let mut tenths = 0u64;
    for &x in xs {
        let Value::Num(d) = get(row, x) else {
            return None;
        };
        let u = d.unpack();
        if u.negative || u.hi | u.mid != 0 || u.scale > 1 {
            return None;
        }
        tenths = tenths.checked_add(u64::from(u.lo) * if u.scale == 0 { 10 } else { 1 })?;
    }
    let (m, scale) = if tenths.is_multiple_of(10) {
        (tenths / 10, 0)
    } else {
        (tenths, 1)
    };
    let m = u32::try_from(m).ok()?;
    Some(Value::Num(Decimal::from_parts(m, 0, 0, false, scale)))
}

/// The sum of numbers: unknown if any is unknown (or not a number), or if it overflows.
fn sum(mut xs: impl Iterator<Item = Value>) -> Value {
    let mut total = match xs.next() {
        Some(Value::Num(x)) => x,
        Some(_) => return Value::Unknown,
        None => Decimal::ZERO,
    };
    for x in xs {
        let Value::Num(x) = x else {
            return Value::Unknown;
        };
        match total.checked_add(x) {
            Some(t) => total = t,
            None => return Value::Unknown,
        }
    }
    Value::Num(normal(total))
}

/// `all` cut into rows of `width` values, front to back (a shorter rest left out; none when
/// `width` is 0). Unlike `chunks_exact_mut`, it does not divide to count the rows: runs are a few
/// units long, and a division per node and run cost more than most operators.
fn rows_mut<T>(all: &mut [T], width: usize) -> impl Iterator<Item = &mut [T]> {
    let mut rest = all;
    std::iter::from_fn(move || {
        if width == 0 {
            return None;
        }
        let (row, more) = std::mem::take(&mut rest).split_at_mut_checked(width)?;
        rest = more;
        Some(row)
    })
}

/// Sets node `n` of every row of `rows` (of `width` values each) to `f` of the row.
fn each(rows: &mut [Value], width: usize, n: NodeId, f: impl Fn(&[Value]) -> Value) {
    for row in rows_mut(rows, width) {
        let v = f(row);
        if let Some(slot) = row.get_mut(n as usize) {
            *slot = v;
        }
    }
}

/// `a` if `c` holds, `b` if not; when `c` is unknown, their common value if they have one.
fn choose(c: Value, a: Value, b: Value) -> Value {
    match c {
        Value::Bool(true) => a,
        Value::Bool(false) => b,
        _ if a == b => a,
        _ => Value::Unknown,
    }
}

/// Kleene conjunction: false if any is false, else unknown if any is unknown, else true.
pub fn and(xs: impl Iterator<Item = Value>) -> Value {
    let mut unknown = false;
    for x in xs {
        match x {
            Value::Bool(false) => return Value::Bool(false),
            Value::Bool(true) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(true)
    }
}

/// Kleene disjunction: true if any is true, else unknown if any is unknown, else false.
pub fn or(xs: impl Iterator<Item = Value>) -> Value {
    let mut unknown = false;
    for x in xs {
        match x {
            Value::Bool(true) => return Value::Bool(true),
            Value::Bool(false) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(false)
    }
}

fn arith(op: Arith, a: Value, b: Value) -> Value {
    let r = match (a, b) {
        (Value::Num(x), Value::Num(y)) => match op {
            Arith::Add => x.checked_add(y),
            Arith::Sub => x.checked_sub(y),
            Arith::Mul => x.checked_mul(y),
            Arith::Div => x.checked_div(y),
        }
        .map(|n| Value::Num(normal(n))),
        (Value::Date(d), Value::Num(n)) | (Value::Num(n), Value::Date(d))
            if matches!(op, Arith::Add) || (op == Arith::Sub && matches!(a, Value::Date(_))) =>
        {
            let k = n.fract().is_zero().then(|| n.to_i64()).flatten();
            k.and_then(|k| chrono::Duration::try_days(if op == Arith::Sub { -k } else { k }))
                .and_then(|delta| d.checked_add_signed(delta))
                .map(Value::Date)
        }
        (Value::Date(x), Value::Date(y)) if op == Arith::Sub => {
            Some(Value::Num(Decimal::from((x - y).num_days())))
        }
        _ => None,
    };
    r.unwrap_or(Value::Unknown)
}

fn compare(op: CmpOp, a: Value, b: Value) -> Value {
    let ord = match (a, b) {
        (Value::Num(x), Value::Num(y)) => cmp_num(x, y),
        (Value::Date(x), Value::Date(y)) => x.cmp(&y),
        (Value::Enum(x), Value::Enum(y)) => x.cmp(&y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(&y),
        _ => return Value::Unknown,
    };
    Value::Bool(match op {
        CmpOp::Ge => ord != Ordering::Less,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
    })
}

fn call(f: Func, xs: impl Iterator<Item = Value>) -> Value {
    let mut nums = Vec::new();
    for x in xs {
        match x {
            Value::Num(n) => nums.push(n),
            _ => return Value::Unknown,
        }
    }
    let first = nums.first().copied();
    let r = match f {
        Func::Min => nums.iter().copied().min(),
        Func::Max => nums.iter().copied().max(),
        Func::Ceil => first.map(|n| n.ceil()),
        Func::Floor => first.map(|n| n.floor()),
        Func::Abs => first.map(|n| n.abs()),
        Func::Round => match (first, nums.get(1).and_then(|d| d.to_u32())) {
            (Some(n), Some(dp)) if dp <= 28 => {
                Some(n.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero))
            }
            _ => None,
        },
    };
    r.map(|n| Value::Num(normal(n))).unwrap_or(Value::Unknown)
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
        (Some(u), true) => tree.units[u].children.iter().for_each(|&c| visit(c)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decimal() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            // Points, thresholds and their sums: a few digits, a few decimal places.
            (-100_000i64..100_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
            (0u64..1 << 32, 0u32..12).prop_map(|(m, s)| Decimal::new(m as i64, s)),
            // Anything rust_decimal holds, large ones and long fractions included.
            (any::<u64>(), any::<u32>(), 0u32..29, any::<bool>()).prop_map(|(lo, hi, s, neg)| {
                Decimal::from_parts(lo as u32, (lo >> 32) as u32, hi, neg, s)
            }),
        ]
    }

    proptest! {
        #[test]
        fn comparisons_are_rust_decimals(x in decimal(), y in decimal()) {
            prop_assert_eq!(cmp_num(x, y), x.cmp(&y));
        }

        #[test]
        fn sums_in_tenths_are_rust_decimals(
            terms in proptest::collection::vec(
                prop_oneof![
                    // Points in halves and tenths, the fast path's case.
                    (0u32..2_000, 0u32..2).prop_map(|(m, s)| Value::Num(Decimal::new(m.into(), s))),
                    decimal().prop_map(Value::Num),
                    Just(Value::Unknown),
                    Just(Value::Bool(true)),
                ],
                0..6,
            ),
        ) {
            let xs: Vec<NodeId> = (0..terms.len() as NodeId).collect();
            let slow = sum(terms.iter().copied());
            if let Some(fast) = in_tenths(&terms, &xs) {
                prop_assert_eq!(fast, slow);
                // The same decimal, scale included: outcomes show it as it is.
                let (Value::Num(f), Value::Num(s)) = (fast, slow) else {
                    return Err(TestCaseError::fail("a sum in tenths is a number"));
                };
                prop_assert_eq!(f.to_string(), s.to_string());
            } else {
                // Left to rust_decimal only when some term is not points in tenths, or the sum
                // has a mantissa of more than 32 bits.
                let points = terms.iter().all(|t| matches!(t, Value::Num(d)
                    if d.is_sign_positive() && d.scale() <= 1 && d.mantissa() < 1 << 32));
                let small = matches!(slow, Value::Num(d) if d.mantissa() < 1 << 32);
                prop_assert!(!(points && small));
            }
        }

        #[test]
        fn normal_is_normalize(x in decimal()) {
            let (fast, slow) = (normal(x), x.normalize());
            prop_assert_eq!(fast, slow);
            prop_assert_eq!(fast.to_string(), slow.to_string());
        }
    }

    fn num(n: i64) -> Value {
        Value::Num(Decimal::from(n))
    }

    #[test]
    fn moves_side_by_side_are_one_span() {
        let moves = Moves::new(vec![(2, 0), (3, 1), (4, 2)]);
        assert!(matches!(
            moves,
            Moves::Span {
                to: 2,
                from: 0,
                len: 3
            }
        ));
        let mut to = vec![Value::Unknown; 5];
        moves.apply(&mut to, &[num(1), num(2), num(3)]);
        assert_eq!(to, [Value::Unknown, Value::Unknown, num(1), num(2), num(3)]);
        // A shorter source leaves the rest unknown.
        let mut to = vec![num(9); 5];
        moves.apply(&mut to, &[num(1)]);
        assert_eq!(to[2..], [num(1), Value::Unknown, Value::Unknown]);
    }

    #[test]
    fn rows_are_cut_front_to_back_and_a_short_rest_left_out() {
        let mut all: Vec<u32> = (0..7).collect();
        let rows: Vec<Vec<u32>> = rows_mut(&mut all, 3).map(|r| r.to_vec()).collect();
        assert_eq!(rows, [vec![0, 1, 2], vec![3, 4, 5]]);
        for row in rows_mut(&mut all, 2) {
            row[1] = 9;
        }
        assert_eq!(all, [0, 9, 2, 9, 4, 9, 6]);
        assert_eq!(rows_mut(&mut all, 0).count(), 0);
        assert_eq!(rows_mut(&mut all, 8).count(), 0);
        assert_eq!(rows_mut(&mut [] as &mut [u32], 2).count(), 0);
    }

    #[test]
    fn moves_apart_go_place_by_place() {
        let moves = Moves::new(vec![(0, 1), (2, 0), (5, 7)]);
        assert!(matches!(moves, Moves::Pairs(_)));
        let mut to = vec![Value::Unknown; 4];
        moves.apply(&mut to, &[num(1), num(2)]);
        assert_eq!(to, [num(2), Value::Unknown, num(1), Value::Unknown]);
    }
}
