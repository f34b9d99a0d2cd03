//! The evaluation: every unit's values and tallies in flat arrays laid out bottom-up, and what
//! is derived from the graph once to compute them.

use super::program::Program;
use super::{Context, PARALLEL_FROM};
use crate::layout::Layout;
use crate::store::{Kept, Places, UnitValues};
use crate::tally::{Tally, TallyPlan};
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Graph, NodeId};
use duibiao_compiler::Value;
use std::collections::HashMap;

/// The values of every node for every unit, and of the whole forest's own rules.
///
/// The units' computed values live in one flat array, in bottom-up order (see `layout.rs` and
/// `store.rs`), beside each unit's running tallies of its sub-units (see `tally.rs`);
/// [`Evaluation::unit`] gives one unit's values.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Every unit's computed values, where the layout puts them.
    values: Vec<Kept>,
    /// Every unit's tallies of its sub-units, where the layout puts them.
    pub(super) tallies: Vec<Tally>,
    pub(super) layout: Layout,
    pub(super) plan: Plan,
    /// The program of the last evaluation's context, kept for the next one.
    program: Option<Program>,
    /// Rows an incremental change evaluates its units in, per kind (see `Evaluator::rows`),
    /// kept from one change to the next with the program they start from.
    pub(super) rows: Vec<Vec<Value>>,
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
        let values = filled(Kept::UNKNOWN, layout.values_len(), parallel);
        let tallies = filled(Tally::default(), layout.tallies_len(), parallel);
        Evaluation {
            values,
            tallies,
            layout,
            plan,
            program: None,
            rows: Vec::new(),
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

    /// Reads a word of the inputs, the values and the tallies of each unit of `order` in `tree`,
    /// all before any of them is used. In a large forest each lies far from the others in
    /// memory: read one after another as a change evaluates the units, every read would wait for
    /// memory in turn; read here together, the memory fetches them side by side.
    pub(crate) fn warm(&self, tree: &UnitTree, order: &[usize]) {
        let mut seen = 0u64;
        for &u in order {
            if let Some(unit) = tree.units.get(u) {
                seen ^= unit.inputs.touch();
            }
            let Some((v, t)) = self.layout.pos(u).and_then(|p| self.layout.starts(p)) else {
                continue;
            };
            seen ^= self.values.get(v).map_or(0, |k| u64::from(k.touch()));
            seen ^= self.tallies.get(t).map_or(0, |x| x.members);
        }
        std::hint::black_box(seen);
    }

    /// The parts an evaluation step works on, with the program for `ctx`.
    pub(super) fn parts<'e>(&'e mut self, graph: &Graph, ctx: &Context) -> Parts<'e> {
        let Evaluation {
            values,
            tallies,
            layout,
            plan,
            program,
            rows,
            overall,
        } = self;
        if !program.as_ref().is_some_and(|p| p.made_for(ctx)) {
            // Rows start from the program's fixed values.
            rows.clear();
        }
        Parts {
            values,
            tallies,
            layout,
            plan,
            program: Program::cached(program, graph, &plan.places, ctx),
            rows,
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
pub(super) struct Parts<'e> {
    pub(super) values: &'e mut Vec<Kept>,
    pub(super) tallies: &'e mut Vec<Tally>,
    pub(super) layout: &'e Layout,
    pub(super) plan: &'e Plan,
    pub(super) program: &'e Program,
    pub(super) rows: &'e mut Vec<Vec<Value>>,
    pub(super) overall: &'e mut Vec<Value>,
}

/// What an evaluation derives from the graph once: which values are stored, where tallies go,
/// and the quota tables' rows.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) places: Places,
    pub(super) tallies: TallyPlan,
    /// Per quota table: row index by unit id or name.
    pub(super) quota_rows: Vec<HashMap<String, usize>>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{evaluate, Context};

    /// Two evaluations are equal only when their values, tallies and forest-wide values all
    /// are: each differing alone makes them unequal.
    #[test]
    fn evaluations_differ_when_any_of_their_values_does() {
        let (graph, facts) = crate::testing::demo("haiyan-2021");
        let ctx = Context::new(&graph, &facts.params, facts.as_of).unwrap();
        let eval = evaluate(&graph, &facts.tree, &ctx);
        assert_eq!(eval, eval.clone());

        let mut values = eval.clone();
        let known = values
            .values
            .iter()
            .position(|v| !v.get().is_unknown())
            .unwrap();
        values.values[known] = Kept::UNKNOWN;
        assert_ne!(values, eval);

        let mut tallies = eval.clone();
        let kept = tallies
            .tallies
            .iter()
            .position(|t| *t != Tally::default())
            .unwrap();
        tallies.tallies[kept] = Tally::default();
        assert_ne!(tallies, eval);

        let mut overall = eval.clone();
        overall.overall.push(Value::Bool(true));
        assert_ne!(overall, eval);
    }

    /// An evaluation made for one date (or parameter values) and evaluated again for another
    /// gives the values of an evaluation for the other (the program of fixed values is made
    /// again, not reused): on chunjiang-365, whose cards depend on the date and a parameter.
    #[test]
    fn an_evaluation_evaluated_again_for_another_context_is_that_contexts() {
        let (graph, facts) = crate::testing::demo("chunjiang-365");
        let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let early = Context::new(&graph, &facts.params, date("2000-01-01")).unwrap();
        let late = Context::new(&graph, &facts.params, facts.as_of).unwrap();
        let (tree, all) = (&facts.tree, facts.tree.bottom_up());
        let want = evaluate(&graph, tree, &late);
        assert_ne!(evaluate(&graph, tree, &early), want, "the date must matter");
        let mut again = evaluate(&graph, tree, &early);
        crate::eval::reevaluate(&graph, tree, &late, &mut again, all);
        assert_eq!(again, want);
        // The same date, another value of a parameter the cards read (逾期整改计红牌).
        let p = graph
            .params
            .iter()
            .position(|p| p.name == "逾期整改计红牌")
            .unwrap();
        let mut params = facts.params.clone();
        params.push((p, Value::Bool(false)));
        let lenient = Context::new(&graph, &params, facts.as_of).unwrap();
        let want = evaluate(&graph, tree, &lenient);
        assert_ne!(
            evaluate(&graph, tree, &late),
            want,
            "the parameter must matter"
        );
        let mut again = evaluate(&graph, tree, &late);
        crate::eval::reevaluate(&graph, tree, &lenient, &mut again, all);
        assert_eq!(again, want);
    }
}
