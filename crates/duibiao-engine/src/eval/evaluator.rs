//! The node interpreter: runs of units of one kind evaluated side by side, pass by pass, one
//! operator at a time across their rows, reading other units' values and tallies in place.

use super::bounds::compare_points;
use super::by_cases;
use super::context::Context;
use super::evaluation::Plan;
use super::ops::{and, arith, call, choose, compare, get, in_tenths, or, shift, sum};
use super::peers::{GroupKey, Groups};
use super::program::Program;
use crate::inputs::Inputs;
use crate::layout::Layout;
use crate::store::{Kept, Places, UnitValues};
use crate::tally::Tally;
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Arith, Graph, KindGraph, Node, NodeId};
use duibiao_compiler::Value;
use std::collections::HashMap;
use std::ops::Range;

/// What every evaluation step reads and none writes: where units' values and tallies are, the
/// forest (with its inputs), and the values the same for every unit of a kind.
#[derive(Clone, Copy)]
pub(super) struct Sources<'x> {
    layout: &'x Layout,
    tree: &'x UnitTree,
    places: &'x Places,
    program: &'x Program,
}

/// The values and tallies of the units an evaluation step reads: a block of positions before
/// the ones being written, and the block after them.
pub(super) struct Others<'x> {
    src: Sources<'x>,
    /// The first position of the block before.
    from: usize,
    /// The positions being written: the block before ends at the first, the block after starts
    /// at the end.
    hole: Range<usize>,
    before: (&'x [Kept], &'x [Tally]),
    after: (&'x [Kept], &'x [Tally]),
    /// Where the blocks start in the flat arrays (values, tallies).
    before_at: (usize, usize),
    after_at: (usize, usize),
}

impl<'x> Others<'x> {
    /// Reads `before` (the values and tallies of positions `from..hole.start`) and `after`
    /// (those of the positions from `hole.end` on).
    pub(super) fn new(
        src: Sources<'x>,
        (from, before_v, before_t): (usize, &'x [Kept], &'x [Tally]),
        hole: Range<usize>,
        after: (&'x [Kept], &'x [Tally]),
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
    pub(super) fn values(&self, u: usize) -> UnitValues<'x> {
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
    pub(super) fn tallies(&self, u: usize) -> &'x [Tally] {
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
    pub(super) fn roots(&self) -> &'x [usize] {
        self.src.layout.roots()
    }
}

/// What node evaluation needs to know about the unit (or the whole forest) being evaluated.
pub(super) struct Frame<'x> {
    /// Its kind graph's index: a kind, or the number of kinds for the whole forest's graph.
    pub(super) graph_index: usize,
    pub(super) kind: &'x KindGraph,
    /// The unit (`None`: the whole forest).
    pub(super) unit: Option<usize>,
    /// The unit's tallies of its sub-units.
    pub(super) tallies: &'x [Tally],
}

pub(super) struct Evaluator<'a> {
    pub(super) graph: &'a Graph,
    pub(super) tree: &'a UnitTree,
    pub(super) ctx: &'a Context,
    pub(super) plan: &'a Plan,
    program: &'a Program,
    pub(super) groups: HashMap<GroupKey, Groups>,
    /// Per (kind, rank node, group): the ranks of the group's members, by unit.
    pub(super) ranks: HashMap<(u32, u32, usize), HashMap<usize, Value>>,
    /// The whole forest's tally of every key (see [`Evaluator::forest`]).
    pub(super) forest: std::cell::OnceCell<Vec<Tally>>,
    /// Per kind, rows of the values of every node of the units of that kind evaluated last (their
    /// computed ones are then stored); the fixed ones are filled in once. An incremental change
    /// takes them from its evaluation and gives them back (`delta.rs`).
    pub(super) rows: Vec<Vec<Value>>,
    /// Whether the units' tallies are kept by the caller, by delta, for the kinds whose tallies
    /// can be (see `delta.rs`): they are then not tallied again from every child.
    pub(super) by_delta: bool,
}

impl<'a> Evaluator<'a> {
    pub(super) fn new(
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
            by_delta: false,
        }
    }

    /// What the evaluation steps read, with the values and tallies placed by `layout`.
    pub(super) fn sources(&self, layout: &'a Layout) -> Sources<'a> {
        Sources {
            layout,
            tree: self.tree,
            places: &self.plan.places,
            program: self.program,
        }
    }

    /// Evaluates pass `pass` of the runs of positions `runs` (each of units of one kind), in
    /// order, each reading every other unit's values and tallies in the flat arrays.
    pub(super) fn runs(
        &mut self,
        pass: usize,
        runs: impl Iterator<Item = (u32, Range<usize>)>,
        layout: &Layout,
        values: &mut [Kept],
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
    pub(super) fn run(
        &mut self,
        kind: u32,
        pass: usize,
        units: &[usize],
        own: &mut [Kept],
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
        let plan = &self.plan.tallies;
        if held > 0 && !(self.by_delta && plan.by_delta(kind)) {
            for (&u, own_t) in units.iter().zip(rows_mut(own_t, held)) {
                own_t.fill(Tally::default());
                for c in tree.units.get(u).map_or(&[][..], |x| &x.children) {
                    let c = *c as usize;
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
        let none = Inputs::default();
        if let Some(moves) = prog.inputs.get(pass) {
            for (row, &u) in rows_mut(used, width).zip(units) {
                let inputs = tree.units.get(u).map_or(&none, |x| &x.inputs);
                moves.apply_inputs(row, inputs);
            }
        }
        if pass > 0 {
            for (row, own) in rows_mut(used, width).zip(rows_mut(own, stored)) {
                prog.restore.apply(row, own, Kept::get, Value::Unknown);
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
                store.apply(own, row, Kept::new, Kept::UNKNOWN);
            }
        }
        self.rows[k] = rows;
    }

    /// Evaluates `nodes` of kind graph `kind` in every row of `rows` (one row of `width` values
    /// per unit, `frame(i)` telling about the unit of row `i`), one node at a time across the
    /// rows: the operators here, everything reading beyond a row in [`Evaluator::reach`].
    pub(super) fn compute<'f>(
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
                // A sum or difference is as wide as its operands together, and an unknown
                // operand is wider than one value (a part's points are positive; a formula whose
                // range is one value has that value): only a product or quotient can settle.
                Node::Arith(
                    op @ (Arith::Add | Arith::Sub | Arith::AddMonths | Arith::SubMonths),
                    a,
                    b,
                ) => each(rows, width, n, |r: &[Value]| {
                    arith(*op, get(r, *a), get(r, *b))
                }),
                Node::Arith(op, a, b) => self.numeric(n, rows, width, frame, all, |r| {
                    arith(*op, get(r, *a), get(r, *b))
                }),
                Node::And(xs) => {
                    each(rows, width, n, |r: &[Value]| {
                        and(xs.iter().map(|x| get(r, *x)))
                    });
                    self.by_cases(kind, n, rows, width);
                }
                Node::Or(xs) => {
                    each(rows, width, n, |r: &[Value]| {
                        or(xs.iter().map(|x| get(r, *x)))
                    });
                    self.by_cases(kind, n, rows, width);
                }
                Node::Not(a) => each(rows, width, n, |r: &[Value]| match get(r, *a) {
                    Value::Bool(b) => Value::Bool(!b),
                    _ => Value::Unknown,
                }),
                Node::If(c, a, b) => self.numeric(n, rows, width, frame, all, |r| {
                    choose(get(r, *c), get(r, *a), get(r, *b))
                }),
                Node::Call(f, xs) => self.numeric(n, rows, width, frame, all, |r| {
                    call(*f, xs.iter().map(|x| get(r, *x)))
                }),
                Node::Shift(a, by, top) => each(rows, width, n, |r: &[Value]| {
                    shift(get(r, *a), get(r, *by), *top)
                }),
                Node::Sum(xs) => each(rows, width, n, |r: &[Value]| {
                    in_tenths(r, xs).unwrap_or_else(|| sum(xs.iter().map(|x| get(r, *x))))
                }),
                Node::Compare(op, a, b) => {
                    // An unknown side may still lie in a range that decides the comparison.
                    for (i, row) in rows_mut(rows, width).enumerate() {
                        let (x, y) = (get(row, *a), get(row, *b));
                        let v = if x.is_unknown() || y.is_unknown() {
                            compare_points(kind, *op, (*a, *b), row).unwrap_or_else(|| {
                                self.compare_open(&frame(i), *op, (*a, *b), row, all)
                            })
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
}

impl Evaluator<'_> {
    /// Decides connective `n` in every row of `rows` (of `width` values each) where it is
    /// unknown but does not depend on the missing facts with few values it reads (see
    /// [`by_cases`]).
    fn by_cases(&self, kind: &KindGraph, n: NodeId, rows: &mut [Value], width: usize) {
        for row in rows_mut(rows, width) {
            if get(row, n).is_unknown() {
                let v = by_cases::decide(self.graph, kind, n, row);
                if let Some(slot) = row.get_mut(n as usize) {
                    *slot = v;
                }
            }
        }
    }

    /// Sets node `n` of every row of `rows` (of `width` values each) to `f` of the row: a number
    /// (or a date) from its operands, of an operator that can settle (`if`, a function, a product
    /// or quotient). When they leave it unknown, it is the one value its range holds, if its range
    /// holds one.
    fn numeric<'f>(
        &mut self,
        n: NodeId,
        rows: &mut [Value],
        width: usize,
        frame: &dyn Fn(usize) -> Frame<'f>,
        all: &Others,
        f: impl Fn(&[Value]) -> Value,
    ) {
        for (i, row) in rows_mut(rows, width).enumerate() {
            let v = f(row);
            let Some(slot) = row.get_mut(n as usize) else {
                continue;
            };
            // Written before its range is read: the row may still hold an earlier unit's value.
            *slot = v;
            if v.is_unknown() {
                let settled = self.settle(&frame(i), n, row, all);
                if let Some(slot) = row.get_mut(n as usize) {
                    *slot = settled;
                }
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
