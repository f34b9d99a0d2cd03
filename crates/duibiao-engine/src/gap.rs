//! Gap plans (问题清单 / 提升清单): what stands between a unit and a tier, and a set of changes to
//! facts and scores that gets it there.
//!
//! The plan is built by repair: evaluate, take the first condition of the target tier that does
//! not hold, find changes that make it hold, apply them, evaluate again. A condition is made to
//! hold by
//! - raising (or lowering) points: the points needed go to the parts with the most headroom first
//!   (ties in the scorecard's order), each part raised no further than needed;
//! - lifting sub-units, fewest changes first (ties in the facts' order), each by its own plan;
//! - setting a boolean fact (clearing a veto, supplying an unreported fact);
//! - setting a reported number to the threshold.
//!
//! Afterwards every points change that is not needed is dropped, so no single points change can be
//! removed without missing the target. Every plan is checked by evaluating it before it is
//! returned: a plan that does not reach the target is reported as unreachable, never as a plan.
//!
//! A plan costs what the unit's subtree costs, not the forest: the planner works on the unit's
//! subtree alone ([`crate::incremental::subtree`]), evaluated once, and after each change
//! evaluates again only the changed units and their ancestors up to the unit being planned (the
//! sub-unit a lift tries, or the unit itself); trying a sub-unit's lift is undone change by
//! change. When the last points changes are checked one by one, the unit's value is known from
//! how many of its sub-units each of its aggregates counts (as met, unknown or not), so the unit
//! itself — which may have many thousands of sub-units — is evaluated again only when what it
//! reads of those counts is new (see `Top`). Where units are ranked among peers (which a change
//! anywhere can move), the whole forest is evaluated again after every change instead.

use crate::change::{describe, Change};
use crate::eval::{bounded, evaluate, matches, members, reevaluate_units, Context, Evaluation};
use crate::incremental::subtree;
use crate::tally::Tally;
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Aggregate, Graph, InputOrigin, KindGraph, Node, NodeId};
use duibiao_compiler::{Dim, Type, Value};
use duibiao_syntax::ast::{AggOp, CmpOp};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Why a target cannot be reached, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Reason {
    /// `impossible`: the rules cannot be met with these units; `not_planned`: a condition the
    /// planner does not solve (a formula, a rank), which changes by hand may still meet.
    pub kind: ReasonKind,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// Whether a target is out of reach, or only out of the planner's reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// The rules cannot be met with these units.
    Impossible,
    /// The planner does not solve this kind of condition.
    NotPlanned,
}

impl Reason {
    fn new(zh: String, en: String) -> Self {
        Reason {
            kind: ReasonKind::Impossible,
            zh,
            en,
        }
    }

    fn not_planned(zh: String, en: String) -> Self {
        Reason {
            kind: ReasonKind::NotPlanned,
            zh,
            en,
        }
    }
}

/// A plan: the changes that make `unit` reach `target`, or why it cannot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Plan {
    /// Whether the changes reach the target.
    pub reachable: bool,
    /// The changes (提升清单), in the order they were found.
    pub changes: Vec<Change>,
    /// Why the target cannot be reached, when it cannot.
    pub reasons: Vec<Reason>,
}

/// One assignment: unit index, input slot, new value.
type Step = (usize, usize, Value);

/// Most repair rounds for one plan.
const MAX_ROUNDS: usize = 200;

struct Planner<'g> {
    graph: &'g Graph,
}

/// Plans the changes that make boolean node `node` of unit `u` hold.
pub fn plan(graph: &Graph, ctx: &Context, tree: &UnitTree, u: usize, node: NodeId) -> Plan {
    match subtree(graph, tree, u) {
        Some((sub, su)) => plan_in(graph, ctx, sub.into_owned(), su, node, Mode::Incremental),
        None => plan_in(graph, ctx, tree.clone(), u, node, Mode::Full),
    }
}

/// How the planner's forest is evaluated again after a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The changed units and their ancestors, up to the unit being planned.
    Incremental,
    /// The whole forest (units ranked among peers: a change can move any of them).
    Full,
}

/// [`plan`] on `tree` (the forest, or the unit's subtree), evaluated again after each change as
/// `mode` says.
fn plan_in(
    graph: &Graph,
    ctx: &Context,
    tree: UnitTree,
    u: usize,
    node: NodeId,
    mode: Mode,
) -> Plan {
    let planner = Planner { graph };
    let mut work = Work::new(graph, ctx, tree, mode);
    if let Err(reasons) = planner.reach(&mut work, u, node) {
        return Plan {
            reachable: false,
            changes: Vec::new(),
            reasons,
        };
    }
    planner.minimise(&mut work, u, node);
    // Every input that differs from the facts', in unit and slot order.
    let changes: Vec<Change> = work
        .changes_since(0)
        .into_iter()
        .filter_map(|(i, slot, old, new)| describe(graph, &work.tree, i, slot, old, new))
        .collect();
    // Check the plan as a whole before handing it out (one evaluation held at a time).
    let Work { tree, eval, .. } = work;
    drop(eval);
    if evaluate(graph, &tree, ctx).value(&tree, u, node) == Value::Bool(true) {
        Plan {
            reachable: true,
            changes,
            reasons: Vec::new(),
        }
    } else {
        Plan {
            reachable: false,
            changes: Vec::new(),
            reasons: vec![Reason::new(
                "没有找到能达到目标的改动".into(),
                "no set of changes reaching the target was found".into(),
            )],
        }
    }
}

/// The forest a plan is worked out on, its values, and what changed since they were computed.
struct Work<'a> {
    graph: &'a Graph,
    ctx: &'a Context,
    mode: Mode,
    tree: UnitTree,
    /// The values, current for every unit except those `dirty` can affect.
    eval: Evaluation,
    /// Units whose inputs changed since their values were last computed.
    dirty: Vec<usize>,
    /// Every input changed, with its value before, to undo changes in reverse order.
    log: Vec<(usize, usize, Value)>,
}

impl<'a> Work<'a> {
    fn new(graph: &'a Graph, ctx: &'a Context, tree: UnitTree, mode: Mode) -> Self {
        let eval = evaluate(graph, &tree, ctx);
        Work {
            graph,
            ctx,
            mode,
            tree,
            eval,
            dirty: Vec::new(),
            log: Vec::new(),
        }
    }

    /// Input `slot` of unit `u`.
    fn input(&self, u: usize, slot: usize) -> Option<Value> {
        self.tree.units.get(u)?.inputs.get(slot).copied()
    }

    /// Sets input `slot` of unit `u` to `v` (values are computed again by [`Work::refresh`]).
    fn set(&mut self, u: usize, slot: usize, v: Value) {
        let Some(x) = self
            .tree
            .units
            .get_mut(u)
            .and_then(|x| x.inputs.get_mut(slot))
        else {
            return;
        };
        if *x != v {
            self.log.push((u, slot, *x));
            *x = v;
            self.dirty.push(u);
        }
    }

    /// Undoes every change made since the log had `mark` entries.
    fn undo(&mut self, mark: usize) {
        while self.log.len() > mark {
            let Some((u, slot, v)) = self.log.pop() else {
                return;
            };
            if let Some(x) = self
                .tree
                .units
                .get_mut(u)
                .and_then(|x| x.inputs.get_mut(slot))
            {
                *x = v;
                self.dirty.push(u);
            }
        }
    }

    /// The changes made since the log had `mark` entries: every input that now differs from
    /// its value then, in unit and slot order, with that value and its value now.
    fn changes_since(&self, mark: usize) -> Vec<(usize, usize, Value, Value)> {
        let mut first: BTreeMap<(usize, usize), Value> = BTreeMap::new();
        for &(u, slot, old) in self.log.get(mark..).unwrap_or(&[]) {
            first.entry((u, slot)).or_insert(old);
        }
        first
            .into_iter()
            .filter_map(|((u, slot), old)| {
                let now = self.input(u, slot)?;
                (now != old).then_some((u, slot, old, now))
            })
            .collect()
    }

    /// Computes again the values of the changed units and of their ancestors up to `scope`
    /// (every unit, in [`Mode::Full`]): afterwards the values of `scope` and of every unit below
    /// it are current. (Changes are only ever made below the unit being planned, so the units
    /// above it are left as they were, to be computed again once the changes are undone or
    /// planned for.)
    fn refresh(&mut self, scope: usize) {
        if self.dirty.is_empty() {
            return;
        }
        if self.mode == Mode::Full {
            self.dirty.clear();
            self.eval = evaluate(self.graph, &self.tree, self.ctx);
            return;
        }
        let mut seen = HashSet::new();
        let mut order = Vec::new();
        for d in std::mem::take(&mut self.dirty) {
            let mut at = Some(d);
            while let Some(c) = at {
                if !seen.insert(c) {
                    break;
                }
                order.push(c);
                if c == scope {
                    break;
                }
                at = self.tree.units.get(c).and_then(|x| x.parent);
            }
        }
        order.sort_by_key(|&x| self.tree.position(x));
        reevaluate_units(self.graph, &self.tree, self.ctx, &mut self.eval, &order);
    }

    /// The value of node `n` of unit `u`.
    fn value(&self, u: usize, n: NodeId) -> Value {
        self.eval.value(&self.tree, u, n)
    }

    /// Whether node `n` of unit `u` holds.
    fn holds(&self, u: usize, n: NodeId) -> bool {
        self.value(u, n) == Value::Bool(true)
    }
}

/// Whether the unit a plan is for still reaches its target when one change is undone, known
/// from the counts of its aggregates where possible.
///
/// A unit's values depend on its own inputs and, through its aggregates, on how many of the
/// sub-units each counts are met, unknown or not (where no aggregate sums a value): for given
/// inputs, the same counts give the same values. Undoing a change below the unit moves only the
/// counts of the units from the changed one up to the unit's child, which are evaluated again.
/// Counts stand for what the unit reads of them: an aggregate's value (and the range a count or
/// share can still take), or, where it is only compared with a constant or a parameter, the
/// comparisons' results (a share of 30.2 % or of 30.1 % is the same where only `>= 30%` reads
/// it). The unit itself, which may have many thousands of sub-units, is evaluated again only
/// for what it reads that was not seen before.
struct Top {
    u: usize,
    /// The unit's aggregates, each with the comparisons reading it (operator, whether the
    /// aggregate is on the left, the other side's value) when nothing else reads it.
    aggs: Vec<(NodeId, Option<Vec<Comparison>>)>,
    /// For each, how many of its members there are, how many are met and how many unknown,
    /// with the changes kept so far.
    counts: Vec<[i64; 3]>,
    /// What the unit reads of `counts`.
    reads: Vec<Vec<Value>>,
    /// Whether the target holds, by what the unit reads, with the unit's inputs as they are.
    seen: HashMap<Vec<Vec<Value>>, bool>,
}

impl Top {
    /// The counts of unit `u` in `work` (current below `u`), when they tell its values: its node
    /// `n` is the target.
    fn new(graph: &Graph, work: &Work, u: usize, n: NodeId) -> Option<Top> {
        if work.mode != Mode::Incremental {
            return None;
        }
        let kg = graph.kinds.get(work.tree.units.get(u)?.kind as usize)?;
        let mut aggs = Vec::new();
        let mut counts = Vec::new();
        for (a, node) in kg.nodes.iter().enumerate() {
            let Node::Aggregate(agg) = node else {
                continue;
            };
            if agg.targets.iter().any(|t| t.value.is_some()) {
                return None;
            }
            let a = a as NodeId;
            let mut c = [0i64; 3];
            for (s, t) in members(agg, Some(u), &work.tree) {
                add(&mut c, matches(agg, t, s, &work.tree, &work.eval), 1);
            }
            aggs.push((a, compared(kg, work.ctx, a, n)));
            counts.push(c);
        }
        let mut top = Top {
            u,
            aggs,
            counts,
            reads: Vec::new(),
            seen: HashMap::new(),
        };
        top.reads = top.read(kg, &top.counts);
        Some(top)
    }

    /// What the unit reads of `counts`, aggregate by aggregate.
    fn read(&self, kg: &KindGraph, counts: &[[i64; 3]]) -> Vec<Vec<Value>> {
        self.aggs
            .iter()
            .zip(counts)
            .map(|(&(a, ref cmps), c)| {
                let Some(Node::Aggregate(agg)) = kg.nodes.get(a as usize) else {
                    return Vec::new();
                };
                let mut t = Tally::default();
                let n = |x: i64| u64::try_from(x).unwrap_or(0);
                (t.members, t.matched, t.open) = (n(c[0]), n(c[1]), n(c[2]));
                match cmps {
                    Some(cmps) => cmps
                        .iter()
                        .map(|&(op, left, other)| compared_value(agg, &t, op, left, other))
                        .collect(),
                    None => {
                        let (lo, hi) = t
                            .range(agg.op)
                            .map_or((Value::Unknown, Value::Unknown), |(lo, hi)| {
                                (Value::Num(lo), Value::Num(hi))
                            });
                        vec![t.value(agg), lo, hi]
                    }
                }
            })
            .collect()
    }

    /// How the units of `chain` (below the unit) stand in the unit's aggregates they are
    /// members of: (aggregate, verdict).
    fn standing(&self, kg: &KindGraph, work: &Work, chain: &[usize]) -> Vec<(usize, Value)> {
        let mut out = Vec::new();
        for &s in chain {
            let Some(unit) = work.tree.units.get(s) else {
                continue;
            };
            for (a, &(n, _)) in self.aggs.iter().enumerate() {
                let Some(Node::Aggregate(agg)) = kg.nodes.get(n as usize) else {
                    continue;
                };
                if agg.direct && unit.parent != Some(self.u) {
                    continue;
                }
                if let Some(t) = agg.targets.iter().position(|t| t.kind == unit.kind) {
                    out.push((a, matches(agg, t, s, &work.tree, &work.eval)));
                }
            }
        }
        out
    }

    /// Sets input `slot` of unit `i` back to `before` and keeps it so if node `n` of the unit
    /// still holds; otherwise puts the input back. Whether it was kept.
    fn undo_if_unneeded(
        &mut self,
        graph: &Graph,
        work: &mut Work,
        (i, slot, before): Step,
        n: NodeId,
    ) -> bool {
        let u = self.u;
        let Some(after) = work.input(i, slot) else {
            return false;
        };
        let Some(kg) = work
            .tree
            .units
            .get(u)
            .and_then(|x| graph.kinds.get(x.kind as usize))
        else {
            return false;
        };
        if i == u {
            // The unit's own input: it is evaluated again, and what was seen no longer holds.
            work.set(u, slot, before);
            work.refresh(u);
            if work.holds(u, n) {
                self.seen.clear();
                return true;
            }
            work.set(u, slot, after);
            work.refresh(u);
            return false;
        }
        // The units from `i` up to the unit's child.
        let mut chain = Vec::new();
        let mut at = Some(i);
        while let Some(c) = at.filter(|&c| c != u) {
            chain.push(c);
            at = work.tree.units.get(c).and_then(|x| x.parent);
        }
        let Some(&child) = chain.last().filter(|_| at == Some(u)) else {
            return false;
        };
        let old = self.standing(kg, work, &chain);
        work.set(i, slot, before);
        work.refresh(child);
        let new = self.standing(kg, work, &chain);
        let mut counts = self.counts.clone();
        for (a, v) in old {
            if let Some(c) = counts.get_mut(a) {
                add(c, v, -1);
            }
        }
        for (a, v) in new {
            if let Some(c) = counts.get_mut(a) {
                add(c, v, 1);
            }
        }
        let reads = self.read(kg, &counts);
        let holds = if reads == self.reads {
            // What the kept changes give, with which the target holds.
            true
        } else if let Some(&h) = self.seen.get(&reads) {
            h
        } else {
            work.dirty.push(u);
            work.refresh(u);
            let h = work.holds(u, n);
            self.seen.insert(reads.clone(), h);
            h
        };
        if holds {
            self.counts = counts;
            self.reads = reads;
        } else {
            work.set(i, slot, after);
            work.refresh(child);
        }
        holds
    }
}

/// A comparison reading an aggregate: its operator, whether the aggregate is on the left, and
/// the other side's value (a constant's or a parameter's).
type Comparison = (CmpOp, bool, Value);

/// Counts a member whose filter gives `v` (`by` = 1), or takes it off (`by` = -1): members,
/// met, unknown.
fn add(c: &mut [i64; 3], v: Value, by: i64) {
    c[0] += by;
    match v {
        Value::Bool(true) => c[1] += by,
        Value::Bool(false) => {}
        _ => c[2] += by,
    }
}

/// The comparisons reading aggregate `a` of `kind` (operator, whether the aggregate is on the
/// left, the other side's value), when they are all that reads it, each with a constant or a
/// parameter, and `a` is not the target `n` itself.
fn compared(kind: &KindGraph, ctx: &Context, a: NodeId, n: NodeId) -> Option<Vec<Comparison>> {
    if a == n {
        return None;
    }
    let fixed = |x: NodeId| match kind.nodes.get(x as usize) {
        Some(Node::Const(v)) => Some(*v),
        Some(Node::Param(p)) => Some(ctx.params.get(*p).copied().unwrap_or(Value::Unknown)),
        _ => None,
    };
    let mut out = Vec::new();
    for node in &kind.nodes {
        let mut reads = false;
        node.for_each_operand(|x| reads |= x == a);
        if !reads {
            continue;
        }
        match node {
            Node::Compare(op, l, r) if *l == a && *r != a => out.push((*op, true, fixed(*r)?)),
            Node::Compare(op, l, r) if *r == a && *l != a => out.push((*op, false, fixed(*l)?)),
            _ => return None,
        }
    }
    Some(out)
}

/// The value of a comparison of an aggregate whose members stand as `tally` says (on the left
/// when `left`) with a known `other` value, as the evaluation computes it: the values compared
/// when both are known; else, for a count or share with unknown members, decided when every
/// value it can still take gives the same answer.
fn compared_value(agg: &Aggregate, tally: &Tally, op: CmpOp, left: bool, other: Value) -> Value {
    let own = tally.value(agg);
    let (l, r) = if left { (own, other) } else { (other, own) };
    let ord = match (l, r) {
        (Value::Num(x), Value::Num(y)) => Some(x.cmp(&y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(&y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(&y)),
        (Value::Enum(x), Value::Enum(y)) => Some(x.cmp(&y)),
        (Value::Unknown, _) | (_, Value::Unknown) => None,
        _ => return Value::Unknown,
    };
    if let Some(ord) = ord {
        return Value::Bool(holds(op, ord));
    }
    // The other side, neither an aggregate nor a rank, has no range when it is unknown.
    let (Some(range), Some(v)) = (
        tally.range(agg.op).filter(|_| own.is_unknown()),
        other.as_num(),
    ) else {
        return Value::Unknown;
    };
    let (a, b) = if left {
        (range, (v, v))
    } else {
        ((v, v), range)
    };
    bounded(op, a, b)
}

/// Whether `op` holds of two values that compare as `ord`.
fn holds(op: CmpOp, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Ge => ord != Less,
        CmpOp::Gt => ord == Greater,
        CmpOp::Le => ord != Greater,
        CmpOp::Lt => ord == Less,
        CmpOp::Eq => ord == Equal,
        CmpOp::Ne => ord != Equal,
    }
}

impl<'g> Planner<'g> {
    fn kind(&self, tree: &UnitTree, u: usize) -> &'g KindGraph {
        &self.graph.kinds[tree.units[u].kind as usize]
    }

    /// The kinds an aggregate ranges over, as messages name them: `` `小区` ``, `` `楼宇`、`商圈` ``.
    fn sub_kinds(&self, agg: &Aggregate, sep: &str) -> String {
        let names: Vec<String> = agg
            .targets
            .iter()
            .filter_map(|t| self.graph.kinds.get(t.kind as usize))
            .map(|k| format!("`{}`", k.name))
            .collect();
        names.join(sep)
    }

    /// Repairs until node `n` of unit `u` holds.
    fn reach(&self, work: &mut Work, u: usize, n: NodeId) -> Result<(), Vec<Reason>> {
        for _ in 0..MAX_ROUNDS {
            work.refresh(u);
            if work.holds(u, n) {
                return Ok(());
            }
            let steps = self.make(work, u, n, true)?;
            if steps.is_empty() {
                return Err(vec![Reason::new(
                    "没有找到能达到目标的改动".into(),
                    "no change brings the target closer".into(),
                )]);
            }
            for (unit, slot, v) in steps {
                work.set(unit, slot, v);
            }
        }
        Err(vec![Reason::new(
            "改动步骤过多，没有找到计划".into(),
            "too many steps: no plan found".into(),
        )])
    }

    /// Drops every points change whose reversal still reaches the target, last first, until none
    /// can be dropped (undoing one change can make another unnecessary).
    fn minimise(&self, work: &mut Work, u: usize, n: NodeId) {
        work.refresh(u);
        let mut top = Top::new(self.graph, work, u, n);
        loop {
            let changed: Vec<(usize, usize, Value)> = work
                .changes_since(0)
                .into_iter()
                .filter(|&(i, slot, _, _)| {
                    matches!(
                        self.kind(&work.tree, i).inputs.get(slot).map(|s| &s.origin),
                        Some(InputOrigin::Points { .. })
                    )
                })
                .map(|(i, slot, before, _)| (i, slot, before))
                .collect();
            let mut dropped = false;
            for &(i, slot, before) in changed.iter().rev() {
                let gone = match top.as_mut() {
                    Some(top) => top.undo_if_unneeded(self.graph, work, (i, slot, before), n),
                    None => {
                        let Some(after) = work.input(i, slot) else {
                            continue;
                        };
                        work.set(i, slot, before);
                        work.refresh(u);
                        if work.holds(u, n) {
                            true
                        } else {
                            work.set(i, slot, after);
                            false
                        }
                    }
                };
                dropped |= gone;
            }
            if !dropped {
                return;
            }
        }
    }

    /// Steps that move node `n` of unit `u` towards `want` (true or false).
    fn make(
        &self,
        work: &mut Work,
        u: usize,
        n: NodeId,
        want: bool,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(&work.tree, u);
        let Some(node) = kg.nodes.get(n as usize) else {
            return Err(Vec::new());
        };
        match (node, want) {
            (Node::Input(slot), _) => Ok(vec![(u, *slot, Value::Bool(want))]),
            (Node::Not(x), _) => self.make(work, u, *x, !want),
            (Node::And(xs), true) | (Node::Or(xs), false) => {
                // The first part that does not yet have the wanted value.
                match xs.iter().find(|x| work.value(u, **x) != Value::Bool(want)) {
                    Some(x) => self.make(work, u, *x, want),
                    None => Ok(Vec::new()),
                }
            }
            (Node::Or(xs), true) | (Node::And(xs), false) => {
                // The cheapest part to turn; doing what a rule asks comes before escaping its
                // premise (`要求 when 前提` holds by doing the 要求, not by undoing the 前提).
                let mut best: Option<(bool, Vec<Step>)> = None;
                let mut why = Vec::new();
                for x in xs {
                    let escape = want && matches!(kg.nodes.get(*x as usize), Some(Node::Not(_)));
                    match self.make(work, u, *x, want) {
                        Ok(s)
                            if best
                                .as_ref()
                                .is_none_or(|(e, b)| (escape, s.len()) < (*e, b.len())) =>
                        {
                            best = Some((escape, s))
                        }
                        Ok(_) => {}
                        Err(r) => why.extend(r),
                    }
                }
                best.map(|b| b.1).ok_or(why)
            }
            (Node::Compare(op, a, b), _) => {
                let op = if want { *op } else { op.negated() };
                self.compare(work, u, op, *a, *b)
            }
            (Node::Aggregate(agg), _) if agg.op == AggOp::All && want => {
                self.lift(work, u, agg, usize::MAX)
            }
            (Node::Aggregate(agg), _) if agg.op == AggOp::Any && want => self.lift(work, u, agg, 1),
            _ => Err(vec![self.cannot(kg)]),
        }
    }

    fn cannot(&self, kg: &KindGraph) -> Reason {
        Reason::not_planned(
            format!("`{}` 的一项条件不能自动规划（它取决于计算公式、排名，或比较的两边都会变化），可以用 `--set` 手动尝试", kg.name),
            format!("a condition of `{}` is not planned automatically (it depends on a formula or a rank, or both sides of a comparison vary); try changes by hand with `--set`", kg.name),
        )
    }

    /// Steps that make `a op b` hold, adjusting `a` (or `b` when `a` is fixed).
    fn compare(
        &self,
        work: &mut Work,
        u: usize,
        op: CmpOp,
        a: NodeId,
        b: NodeId,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(&work.tree, u);
        let (va, vb) = (work.value(u, a), work.value(u, b));
        if let (Some(bound), true) = (vb.as_num(), adjustable(kg, a)) {
            return self.adjust(work, u, a, op, bound);
        }
        if let (Some(bound), true) = (va.as_num(), adjustable(kg, b)) {
            return self.adjust(work, u, b, op.flipped(), bound);
        }
        match (kg.nodes.get(a as usize), vb) {
            // A level or a date reported by the unit: set it to what is required.
            (Some(Node::Input(slot)), known)
                if !known.is_unknown() && matches!(op, CmpOp::Ge | CmpOp::Le | CmpOp::Eq) =>
            {
                Ok(vec![(u, *slot, known)])
            }
            _ => Err(vec![self.cannot(kg)]),
        }
    }

    /// Steps that make node `n` (points, a reported number, a count or share of sub-units)
    /// satisfy `n op bound`.
    fn adjust(
        &self,
        work: &mut Work,
        u: usize,
        n: NodeId,
        op: CmpOp,
        bound: Decimal,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(&work.tree, u);
        match kg.nodes.get(n as usize) {
            Some(Node::Aggregate(agg)) if matches!(agg.op, AggOp::Count | AggOp::Share) => {
                let m = members(agg, Some(u), &work.tree);
                if m.is_empty() && agg.op == AggOp::Share {
                    return Err(vec![Reason::new(
                        format!(
                            "`{}` 没有下级单位 {}，比例无法计算，这项条件不能达到",
                            kg.name,
                            self.sub_kinds(agg, "、")
                        ),
                        format!(
                            "`{}` has no sub-units of kind {}: the share cannot be computed, so the condition cannot be met",
                            kg.name,
                            self.sub_kinds(agg, " or ")
                        ),
                    )]);
                }
                let total = Decimal::from(m.len() as u64);
                let count_needed = match agg.op {
                    AggOp::Count => Some(bound),
                    _ => bound.checked_mul(total),
                };
                let need = match (op, count_needed) {
                    (_, None) => None,
                    (CmpOp::Ge | CmpOp::Eq, Some(c)) => Some(c.ceil()),
                    (CmpOp::Gt, Some(c)) => c.floor().checked_add(Decimal::ONE),
                    _ => return Err(vec![self.cannot(kg)]),
                };
                let Some(need) = need else {
                    return Err(vec![too_large(kg)]);
                };
                let matched = m
                    .iter()
                    .filter(|(s, t)| {
                        matches(agg, *t, *s, &work.tree, &work.eval) == Value::Bool(true)
                    })
                    .count();
                let Some(more) = need.checked_sub(Decimal::from(matched as u64)) else {
                    return Err(vec![too_large(kg)]);
                };
                if more <= Decimal::ZERO {
                    // Unknown members only: settle them.
                    return self.lift(work, u, agg, 1);
                }
                let more = more.to_string().parse::<usize>().unwrap_or(usize::MAX);
                self.lift(work, u, agg, more)
            }
            _ => {
                let inputs = points_inputs(kg, n);
                if inputs.is_empty() {
                    return Err(vec![self.cannot(kg)]);
                }
                let unit = &work.tree.units[u];
                let target = match op {
                    CmpOp::Ge | CmpOp::Eq | CmpOp::Le => Some(bound),
                    CmpOp::Gt | CmpOp::Ne => bound.checked_add(step(kg, n)),
                    CmpOp::Lt => bound.checked_sub(step(kg, n)),
                };
                let Some(target) = target else {
                    return Err(vec![too_large(kg)]);
                };
                self.distribute(kg, u, unit, &inputs, op, target)
            }
        }
    }

    /// Points (or a reported number) moved from `current` to `target`: gains go to the parts with
    /// the most headroom first, losses to the parts with the most points first.
    fn distribute(
        &self,
        kg: &KindGraph,
        u: usize,
        unit: &crate::tree::Unit,
        inputs: &[(usize, Option<Decimal>)],
        op: CmpOp,
        target: Decimal,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let current: Decimal = inputs
            .iter()
            .map(|&(s, _)| {
                unit.inputs
                    .get(s)
                    .and_then(|v| v.as_num())
                    .unwrap_or_default()
            })
            .sum();
        // Unreported parts count as 0 and are supplied by the plan.
        let now: Vec<(usize, Decimal, Option<Decimal>, bool)> = inputs
            .iter()
            .map(|&(s, max)| {
                let v = unit.inputs.get(s).copied().unwrap_or_default();
                (s, v.as_num().unwrap_or_default(), max, v.is_unknown())
            })
            .collect();
        // Only ever move towards the threshold: a sum already past it (once unreported parts are
        // supplied) needs no further points.
        let Some(mut delta) = target.checked_sub(current) else {
            return Err(vec![too_large(kg)]);
        };
        if (lower_is_fine(op) && delta > Decimal::ZERO)
            || (!lower_is_fine(op) && delta < Decimal::ZERO)
        {
            delta = Decimal::ZERO;
        }
        let raising = delta > Decimal::ZERO;
        // How far each part can move: up to its maximum, or down to 0.
        let mut room: Vec<(usize, Decimal, Decimal)> = now
            .iter()
            .map(|&(s, v, max, _)| {
                (
                    s,
                    v,
                    if raising {
                        max.map_or(delta, |m| m.checked_sub(v).unwrap_or(Decimal::MAX))
                    } else {
                        v
                    },
                )
            })
            .filter(|(_, _, r)| *r > Decimal::ZERO)
            .collect();
        // Most room first; ties keep the scorecard's order (a stable sort).
        room.sort_by_key(|r| std::cmp::Reverse(r.2));
        // A sum beyond what a number holds is more than any change needs.
        let available = room
            .iter()
            .try_fold(Decimal::ZERO, |a, r| a.checked_add(r.2))
            .unwrap_or(Decimal::MAX);
        if delta.abs() > available {
            let (need, have) = (delta.abs().normalize(), available.normalize());
            return Err(vec![Reason::new(
                format!(
                    "`{}` 需要再变动 {need} 分，但可变动的只有 {have} 分",
                    kg.name
                ),
                format!(
                    "`{}` needs {need} more points but only {have} can still be gained",
                    kg.name
                ),
            )]);
        }
        let mut steps: Vec<Step> = now
            .iter()
            .filter(|x| x.3)
            .map(|&(s, _, _, _)| (u, s, Value::Num(Decimal::ZERO)))
            .collect();
        for (s, v, r) in room {
            if delta.is_zero() {
                break;
            }
            let d = r.min(delta.abs());
            let new = if raising {
                v.checked_add(d)
            } else {
                v.checked_sub(d)
            };
            let Some(new) = new else {
                return Err(vec![too_large(kg)]);
            };
            steps.push((u, s, Value::Num(new.normalize())));
            delta = if raising { delta - d } else { delta + d };
        }
        Ok(steps)
    }

    /// Lifts up to `count` sub-units that do not match the aggregate's filter (unknown ones
    /// first, then those needing the fewest changes; ties in the facts' order) by their own plans.
    fn lift(
        &self,
        work: &mut Work,
        u: usize,
        agg: &Aggregate,
        count: usize,
    ) -> Result<Vec<Step>, Vec<Reason>> {
        let kg = self.kind(&work.tree, u);
        let mut candidates: Vec<(usize, Vec<Step>)> = Vec::new();
        let mut why = Vec::new();
        let open: Vec<(usize, usize)> = members(agg, Some(u), &work.tree)
            .into_iter()
            .filter(|(s, t)| matches(agg, *t, *s, &work.tree, &work.eval) != Value::Bool(true))
            .collect();
        for (s, t) in &open {
            let Some(filter) = agg.targets[*t].filter else {
                continue;
            };
            // The sub-unit's own plan, tried on the forest and undone: only its subtree changes,
            // and only it and its subtree are evaluated again.
            let mark = work.log.len();
            match self.reach(work, *s, filter) {
                Ok(()) => {
                    let steps = work.changes_since(mark).into_iter();
                    candidates.push((*s, steps.map(|(i, slot, _, v)| (i, slot, v)).collect()));
                }
                Err(r) => why.extend(r),
            }
            work.undo(mark);
            work.refresh(*s);
        }
        let needed = count.min(open.len());
        if candidates.len() < needed || (count != usize::MAX && candidates.len() < count) {
            let have = candidates.len();
            let want = if count == usize::MAX {
                open.len()
            } else {
                count
            };
            why.push(Reason::new(
                format!(
                    "`{}` 需要再有 {want} 个下级单位（{}）达标，但只有 {have} 个能够提升",
                    kg.name,
                    self.sub_kinds(agg, "、")
                ),
                format!(
                    "`{}` needs {want} more sub-units ({}) to qualify but only {have} can be lifted",
                    kg.name,
                    self.sub_kinds(agg, " or ")
                ),
            ));
            return Err(why);
        }
        // Fewest changes first; a stable sort keeps the facts' order among equals.
        candidates.sort_by_key(|(_, steps)| steps.len());
        Ok(candidates
            .into_iter()
            .take(needed)
            .flat_map(|(_, s)| s)
            .collect())
    }
}

/// Whether node `n` is something the plan can move: points, an item or total, a reported number,
/// or a count or share of sub-units.
fn adjustable(kg: &KindGraph, n: NodeId) -> bool {
    match kg.nodes.get(n as usize) {
        Some(Node::Aggregate(a)) => {
            matches!(a.op, AggOp::Count | AggOp::Share)
                && a.targets.iter().all(|t| t.filter.is_some())
        }
        _ => !points_inputs(kg, n).is_empty(),
    }
}

/// The inputs a points node sums (with their maxima), or a single reported number.
fn points_inputs(kg: &KindGraph, n: NodeId) -> Vec<(usize, Option<Decimal>)> {
    match kg.nodes.get(n as usize) {
        Some(Node::Input(slot)) => match kg.inputs.get(*slot) {
            Some(i) => match (&i.origin, i.ty) {
                (InputOrigin::Points { max }, _) => vec![(*slot, Some(*max))],
                (_, Type::Num(_)) => vec![(*slot, None)],
                _ => Vec::new(),
            },
            None => Vec::new(),
        },
        Some(Node::Sum(xs)) => {
            let parts: Vec<Vec<(usize, Option<Decimal>)>> =
                xs.iter().map(|x| points_inputs(kg, *x)).collect();
            if parts.iter().any(|p| p.is_empty()) {
                Vec::new()
            } else {
                parts.into_iter().flatten().collect()
            }
        }
        _ => Vec::new(),
    }
}

/// Whether `x op bound` is met by lowering `x` (`<=`, `<`) rather than raising it.
fn lower_is_fine(op: CmpOp) -> bool {
    matches!(op, CmpOp::Le | CmpOp::Lt)
}

/// The smallest step of a quantity, for strict comparisons: 1 for counts, 0.5 for points, 0.01
/// otherwise.
fn step(kg: &KindGraph, n: NodeId) -> Decimal {
    match kg.types.get(n as usize) {
        Some(Type::Num(Dim::Count)) => Decimal::ONE,
        Some(Type::Num(Dim::Points)) => Decimal::new(5, 1),
        _ => Decimal::new(1, 2),
    }
}

/// Why a plan cannot be made when its numbers go beyond what a number holds.
fn too_large(kg: &KindGraph) -> Reason {
    Reason::new(
        format!("`{}` 的这项条件涉及的数值超出可表示的范围，无法计算提升清单", kg.name),
        format!(
            "the numbers of this condition of `{}` go beyond what a number holds: no plan can be computed",
            kg.name
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Unit;
    use duibiao_compiler::graph::ParamValue;

    /// The standards with demo facts, compiled, with their demo facts.
    fn standards() -> Vec<(&'static str, Graph, crate::facts::Facts)> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../standards");
        [
            "haiyan-2021",
            "chunjiang-365",
            "jiaxing-2016",
            "zhuji-2018",
            "quality-2020",
        ]
        .into_iter()
        .map(|name| {
            let src = std::fs::read_to_string(format!("{root}/{name}.std")).unwrap();
            let graph = duibiao_compiler::compile(&src).graph.unwrap();
            let demo = std::fs::read_to_string(format!("{root}/{name}/demo.json")).unwrap();
            let (facts, errors) = crate::facts::load(&graph, &demo, &Default::default());
            assert!(errors.is_empty(), "{name}: {errors:?}");
            (name, graph, facts)
        })
        .collect()
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    /// A random value of an input: points in halves up to the maximum, near the unit's quality
    /// (a share of the maximum, in percent); facts of every type; some missing.
    fn value(
        graph: &Graph,
        rng: &mut Rng,
        input: &duibiao_compiler::graph::Input,
        quality: u64,
        missing: u64,
    ) -> Value {
        if rng.chance(missing) {
            return Value::Unknown;
        }
        match (&input.origin, input.ty) {
            (InputOrigin::Points { max }, _) => {
                let halves = (max * Decimal::TWO).to_string().parse::<u64>().unwrap_or(0);
                let percent = (quality + rng.below(21)).saturating_sub(10).min(100);
                Value::Num(Decimal::from(halves * percent / 100) / Decimal::TWO)
            }
            (_, Type::Bool) => Value::Bool(rng.chance(quality)),
            (_, Type::Num(Dim::Percent)) => Value::Num(Decimal::new(rng.below(101) as i64, 2)),
            (_, Type::Num(Dim::Money)) => Value::Num(Decimal::from(rng.below(400) * 1000)),
            (_, Type::Num(_)) => {
                let most = if rng.chance(50) { 12 } else { 200 };
                Value::Num(Decimal::from(rng.below(most)))
            }
            (_, Type::Date) => chrono::NaiveDate::from_ymd_opt(2015, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(rng.below(365 * 9))))
                .map_or(Value::Unknown, Value::Date),
            (_, Type::Enum(e)) => {
                let n = graph
                    .enums
                    .get(e as usize)
                    .map_or(1, |x| x.variants.len() as u64);
                Value::Enum(rng.below(n) as u32)
            }
        }
    }

    /// A random forest of `graph`'s kinds: roots of every kind no other contains, each unit with
    /// up to `fanout` children of each kind it contains (the first few levels), `missing`
    /// percent of inputs missing, at most `most` units. Each root has a quality (`quality`, or
    /// drawn) that its units' points stay near.
    fn forest(
        graph: &Graph,
        seed: u64,
        (fanout, missing, most): (u64, u64, usize),
        quality: Option<u64>,
    ) -> UnitTree {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let contained: HashSet<u32> = graph
            .kinds
            .iter()
            .flat_map(|k| k.children.clone())
            .collect();
        let mut units: Vec<Unit> = Vec::new();
        let mut stack: Vec<(u32, Option<usize>, usize, u64)> = (0..graph.kinds.len() as u32)
            .filter(|k| !contained.contains(k))
            .map(|k| (k, None, 0, 0))
            .collect();
        while let Some((kind, parent, depth, above)) = stack.pop() {
            if units.len() >= most {
                break;
            }
            let kg = &graph.kinds[kind as usize];
            // Close to the parent's quality: strong units have strong sub-units.
            let quality = match parent {
                None => quality.unwrap_or_else(|| 65 + rng.below(34)),
                Some(_) => (above + rng.below(13)).saturating_sub(6),
            };
            let inputs = kg
                .inputs
                .iter()
                .map(|i| value(graph, &mut rng, i, quality, missing))
                .collect();
            let me = units.len();
            units.push(Unit {
                id: format!("u{me}"),
                name: None,
                kind,
                parent,
                children: Vec::new(),
                inputs,
            });
            if depth < 4 {
                for &c in &kg.children {
                    for _ in 0..rng.below(fanout + 1) {
                        stack.push((c, Some(me), depth + 1, quality));
                    }
                }
            }
        }
        UnitTree::new(units)
    }

    /// The evaluation context of a standard's demo facts (their date and parameters).
    fn context(graph: &Graph, facts: &crate::facts::Facts) -> Context {
        let mut supplied = facts.params.clone();
        for (i, p) in graph.params.iter().enumerate() {
            if matches!(p.value, ParamValue::Required) && !supplied.iter().any(|(j, _)| *j == i) {
                supplied.push((i, Value::Num(Decimal::from(3))));
            }
        }
        Context::new(graph, &supplied, facts.as_of).unwrap()
    }

    /// Every unit's plan for every tier of its kind, as the planner makes it, equals the plan
    /// made with the whole forest evaluated again after every change: planning on the unit's
    /// subtree, evaluating again only what a change affects, undoing tried lifts and checking
    /// the last changes through counts change no plan.
    #[test]
    fn plans_are_those_of_full_evaluations() {
        let mut planned = 0;
        let mut reachable = 0;
        for (name, graph, facts) in standards() {
            let ctx = context(&graph, &facts);
            let mut trees = vec![facts.tree.clone()];
            for seed in 0..12u64 {
                let (fanout, missing) = [(3, 0), (4, 5), (2, 15), (6, 2)][seed as usize % 4];
                trees.push(forest(&graph, seed, (fanout, missing, 120), None));
            }
            for tree in &trees {
                for u in 0..tree.units.len() {
                    let kg = &graph.kinds[tree.units[u].kind as usize];
                    for t in &kg.tiers {
                        let fast = plan(&graph, &ctx, tree, u, t.node);
                        let full = plan_in(&graph, &ctx, tree.clone(), u, t.node, Mode::Full);
                        assert_eq!(
                            fast, full,
                            "{name}: unit {} tier {}",
                            tree.units[u].id, t.name
                        );
                        planned += 1;
                        reachable += usize::from(fast.reachable && !fast.changes.is_empty());
                    }
                }
            }
        }
        assert!(
            planned > 1000 && reachable > 100,
            "{planned} plans, {reachable} with changes"
        );
    }

    /// Wide units (hundreds of sub-units, some unknown): the plans of the top units are those of
    /// full evaluations, through every way the last changes are checked (among them changes
    /// dropped because what the unit reads of its counts stays the same).
    #[test]
    fn plans_of_wide_units_are_those_of_full_evaluations() {
        let all = standards();
        let Some((_, graph, facts)) = all.iter().find(|(n, _, _)| *n == "haiyan-2021") else {
            panic!("haiyan-2021");
        };
        let ctx = context(graph, facts);
        // (quality, missing, fanout, seed): forests whose plans drop changes that way.
        for (q, missing, fanout, seed) in [
            (78, 6, 8, 1),
            (84, 6, 16, 1),
            (92, 0, 30, 1),
            (88, 6, 16, 2),
        ] {
            let tree = forest(graph, seed * 7 + q, (fanout, missing, 2000), Some(q));
            let u = tree.bottom_up().last().copied().unwrap();
            let kg = &graph.kinds[tree.units[u].kind as usize];
            for t in &kg.tiers {
                let fast = plan(graph, &ctx, &tree, u, t.node);
                let full = plan_in(graph, &ctx, tree.clone(), u, t.node, Mode::Full);
                assert_eq!(fast, full, "{q} {missing} {fanout} {seed}: tier {}", t.name);
            }
        }
    }

    /// The comparisons of counts and shares the planner works out from counts are the
    /// evaluation's, on every unit of random forests (with unknown members).
    #[test]
    fn comparisons_of_counts_are_the_evaluations() {
        let mut checked = 0;
        for (name, graph, facts) in standards() {
            let ctx = context(&graph, &facts);
            for seed in 0..8u64 {
                let missing = [0, 10, 30, 60][seed as usize % 4];
                let tree = forest(&graph, seed, (5, missing, 300), None);
                let eval = evaluate(&graph, &tree, &ctx);
                for u in 0..tree.units.len() {
                    let kg = &graph.kinds[tree.units[u].kind as usize];
                    for (a, node) in kg.nodes.iter().enumerate() {
                        let Node::Aggregate(agg) = node else { continue };
                        let a = a as NodeId;
                        let mut t = Tally::default();
                        for (s, i) in members(agg, Some(u), &tree) {
                            t.members += 1;
                            match matches(agg, i, s, &tree, &eval) {
                                Value::Bool(true) => t.matched += 1,
                                Value::Bool(false) => {}
                                _ => t.open += 1,
                            }
                        }
                        if agg.targets.iter().all(|x| x.value.is_none()) {
                            assert_eq!(t.value(agg), eval.value(&tree, u, a), "{name}");
                        }
                        for (c, other) in kg.nodes.iter().enumerate() {
                            let Node::Compare(op, l, r) = other else {
                                continue;
                            };
                            let (left, x) = match (*l == a, *r == a) {
                                (true, false) => (true, *r),
                                (false, true) => (false, *l),
                                _ => continue,
                            };
                            let v = match kg.nodes.get(x as usize) {
                                Some(Node::Const(v)) => *v,
                                Some(Node::Param(p)) => ctx.params[*p],
                                _ => continue,
                            };
                            let want = eval.value(&tree, u, c as NodeId);
                            assert_eq!(
                                compared_value(agg, &t, *op, left, v),
                                want,
                                "{name}: {}",
                                tree.units[u].id
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
