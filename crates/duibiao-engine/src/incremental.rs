//! Incremental re-evaluation: an evaluated forest that takes changes to single facts or scores and
//! evaluates again only the units a change can affect — the unit, its ancestors (whose aggregates
//! read it) and, where the standard ranks units, the peers whose ranks it can move (and their
//! ancestors). The result is always the one a full evaluation would give.
//!
//! What one unit needs evaluated is its subtree: [`subtree`] cuts it out as a forest of its own,
//! so that explaining a unit or planning its gap costs what its subtree costs, not the forest.

use crate::change::{describe, parse_assignment, plain_at, resolve_at, Change};
use crate::eval::{
    by_delta, evaluate, evaluate_overall, reevaluate_by_delta, reevaluate_units, Before, Context,
    Evaluation,
};
use crate::facts::FactsError;
use crate::tree::{index, Unit, UnitTree};
use duibiao_compiler::graph::{Graph, KindGraph, Node};
use duibiao_compiler::Value;
use std::borrow::Cow;
use std::sync::Arc;

/// Whether a kind's rules rank its units among peers (which lie outside any one subtree).
pub(crate) fn ranks(kind: &KindGraph) -> bool {
    kind.nodes.iter().any(|n| peer_kinds(n).is_some())
}

/// The kinds whose units are peers in node `n` besides the node's own kind (those it pools),
/// when it reads peers at all.
fn peer_kinds(n: &Node) -> Option<impl Iterator<Item = usize> + '_> {
    let pool = match n {
        Node::Rank(r) | Node::Cutoff(r, _) => &r.pool,
        Node::Peers(_, pool) | Node::PeersWhere(_, _, pool) => pool,
        _ => return None,
    };
    Some(pool.iter().map(|m| m.kind as usize))
}

/// Per kind, the kinds whose units read the peers of that kind's units: a change to one of its
/// units can move their ranks and counts. A kind ranking its units reads its own; a kind ranking
/// several kinds together reads each of them.
fn readers(graph: &Graph) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); graph.kinds.len()];
    for (j, kg) in graph.kinds.iter().enumerate() {
        for n in &kg.nodes {
            let Some(pooled) = peer_kinds(n) else {
                continue;
            };
            for k in std::iter::once(j).chain(pooled) {
                if let Some(list) = out.get_mut(k) {
                    if !list.contains(&j) {
                        list.push(j);
                    }
                }
            }
        }
    }
    out
}

/// Whether a kind's rules read its units' owner's facts (a record's filter reading 成立日期).
fn reads_owner(kind: &KindGraph) -> bool {
    kind.nodes.iter().any(|n| matches!(n, Node::OwnerInput(_)))
}

/// A forest in which to evaluate unit `u` and its subtree (the unit and its descendants) alone,
/// with the index of `u` in it, when their values do not depend on any unit outside the subtree:
/// when none of them is of a kind ranked among peers (the peers can lie anywhere). It is the
/// subtree as a forest of its own, its units in their order (and so every unit's children in
/// theirs) and `u` without a parent; or, when the subtree is at least half the forest, the
/// forest itself, borrowed (copying most of a forest costs more than evaluating the rest of it).
/// Evaluating it gives every unit of the subtree the values an evaluation of the whole forest
/// gives it. `None` when a kind of the subtree ranks its units, or `u` is not in `tree`.
pub fn subtree<'t>(
    graph: &Graph,
    tree: &'t UnitTree,
    u: usize,
) -> Option<(Cow<'t, UnitTree>, usize)> {
    // The subtree is one block of the bottom-up order, ending with `u`.
    let shape = tree.shape();
    let p = tree.position(u)?;
    let block = p.checked_add(1)?.checked_sub(*shape.size.get(p)?)?..p + 1;
    let ranked: Vec<bool> = graph.kinds.iter().map(ranks).collect();
    let kinds = shape.kinds.get(block.clone())?;
    if kinds
        .iter()
        .any(|&k| ranked.get(k as usize).copied().unwrap_or(true))
    {
        return None;
    }
    if block.len().saturating_mul(2) >= tree.units.len() {
        return Some((Cow::Borrowed(tree), u));
    }
    // In the forest's order: a unit's new index is its place among the members.
    let mut members = shape.order.get(block)?.to_vec();
    members.sort_unstable();
    let at = |x: usize| members.binary_search(&x).ok();
    let units = members
        .iter()
        .map(|&m| {
            let x = &tree.units[m];
            Unit {
                id: x.id.clone(),
                name: x.name.clone(),
                kind: x.kind,
                parent: x.parent().filter(|_| m != u).and_then(at).map(index),
                children: Box::default(),
                inputs: x.inputs.clone(),
            }
        })
        .collect();
    let mut forest = UnitTree::new(units);
    forest.texts = Arc::clone(&tree.texts);
    Some((Cow::Owned(forest), at(u)?))
}

/// An evaluated forest kept up to date change by change. It holds its own reference to the
/// compiled graph, so that it can outlive whatever compiled it (a handle held by another language,
/// another thread).
#[derive(Debug, Clone)]
pub struct Live {
    graph: Arc<Graph>,
    ctx: Context,
    tree: UnitTree,
    eval: Evaluation,
    /// Per kind, the kinds whose rules read its units as peers (see [`readers`]).
    readers: Vec<Vec<usize>>,
    /// Per kind, whether its rules read their owner's facts (see [`reads_owner`]).
    owner_readers: Vec<bool>,
    /// Whether changes are evaluated again with the tallies kept by delta (see
    /// `eval/delta.rs`): when nothing is ranked among peers.
    by_delta: bool,
    /// The changed units as they were before the last change (buffers kept for the next).
    before: Before,
    /// How many units the last change evaluated again.
    evaluated: usize,
    /// The units the last change evaluated again.
    last: Vec<usize>,
    /// Whether the whole forest's own rules need evaluating again (done when asked for).
    overall_stale: bool,
}

impl Live {
    /// Evaluates `tree` in full (on rayon's pool for a large forest, unless `ctx.parallel` is
    /// false; changes are evaluated again on the calling thread).
    pub fn new(graph: Arc<Graph>, tree: UnitTree, ctx: Context) -> Self {
        let eval = evaluate(&graph, &tree, &ctx);
        let readers = readers(&graph);
        let owner_readers = graph.kinds.iter().map(reads_owner).collect();
        let by_delta = by_delta(&graph) && readers.iter().all(Vec::is_empty);
        Live {
            graph,
            ctx,
            tree,
            eval,
            readers,
            owner_readers,
            by_delta,
            before: Before::default(),
            evaluated: 0,
            last: Vec::new(),
            overall_stale: false,
        }
    }

    /// The compiled standard evaluated.
    pub fn graph(&self) -> &Arc<Graph> {
        &self.graph
    }

    /// The forest as it is now.
    pub fn tree(&self) -> &UnitTree {
        &self.tree
    }

    /// The values as they are now (the whole forest's own rules evaluated again if a change
    /// made them stale).
    pub fn evaluation(&mut self) -> &Evaluation {
        if self.overall_stale {
            evaluate_overall(&self.graph, &self.tree, &self.ctx, &mut self.eval);
            self.overall_stale = false;
        }
        &self.eval
    }

    /// The outcome of the unit with this id, as it is now.
    pub fn unit_outcome(&self, id: &str, detail: bool) -> Option<crate::outcome::UnitOutcome> {
        let u = self.tree.find(id)?;
        Some(crate::outcome::unit_outcome(
            &self.graph,
            &self.tree,
            &self.eval,
            u,
            detail,
        ))
    }

    /// Whether unit `u` is reported: it is in the forest and is no record (records are read
    /// by their owners' aggregates, never reported on their own).
    fn reported(&self, u: usize) -> bool {
        u < self.tree.units.len() && !crate::outcome::is_record(&self.graph, &self.tree, u)
    }

    /// The outcome of the unit at index `u` (in the facts' order), as it is now; `None` for a
    /// record.
    pub fn unit_outcome_at(&self, u: usize, detail: bool) -> Option<crate::outcome::UnitOutcome> {
        self.reported(u)
            .then(|| crate::outcome::unit_outcome(&self.graph, &self.tree, &self.eval, u, detail))
    }

    /// The summary of the unit at index `u` (in the facts' order), as it is now; `None` for a
    /// record.
    pub fn unit_summary_at(&self, u: usize) -> Option<crate::outcome::UnitSummary> {
        self.reported(u)
            .then(|| crate::outcome::unit_summary(&self.graph, &self.tree, &self.eval, u))
    }

    /// The summary of the unit at index `u`, read where it lives (what [`Live::unit_summary_at`]
    /// copies out); `None` for a record.
    pub fn summary_view_at(&self, u: usize) -> Option<crate::outcome::SummaryView<'_>> {
        crate::outcome::SummaryView::new(&self.graph, &self.tree, &self.eval, u)
    }

    /// The standard's guide distributions with their numbers, as they are now (they count the
    /// units' tiers, which no change leaves stale).
    pub fn guides(&self) -> Vec<crate::guides::GuideReport> {
        crate::guides::guides(&self.graph, &self.tree, &self.eval)
    }

    /// The evaluation context.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// Sets input `slot` of unit `u` to `v` and brings up to date what it can affect: the unit,
    /// its ancestors and, where units are ranked, their peers ([`Live::last_affected`]). Returns
    /// how many units that is (0 when nothing changed). Where nothing is ranked, a unit above
    /// the changed one is evaluated again only when something it reads of the units below
    /// changed, and is otherwise left as it was ([`Live::last_evaluated`]).
    pub fn set(&mut self, u: usize, slot: usize, v: Value) -> usize {
        let Some(old) = self.tree.units.get(u).and_then(|x| x.inputs.get(slot)) else {
            return 0;
        };
        if old == v {
            self.last.clear();
            self.evaluated = 0;
            return 0;
        }
        self.affected(u);
        self.eval.warm(&self.tree, &self.last);
        let (graph, ctx) = (&*self.graph, &self.ctx);
        if self.by_delta {
            // The unit's inputs before the change: its old part of its parent's tallies.
            if let Some(x) = self.tree.units.get(u) {
                self.before.start(u, &x.inputs);
            }
        }
        if let Some(x) = self.tree.units.get_mut(u) {
            x.inputs.set(slot, v);
        }
        self.evaluated = if self.by_delta {
            // The records reading the unit's facts changed with it.
            let last = &self.last;
            let records = last.get(..last.iter().position(|&x| x == u).unwrap_or(0));
            let sources = (records.unwrap_or(&[]), &mut self.before);
            reevaluate_by_delta(graph, &self.tree, ctx, &mut self.eval, last, sources)
        } else {
            reevaluate_units(graph, &self.tree, ctx, &mut self.eval, &self.last);
            self.last.len()
        };
        self.overall_stale = true;
        self.last.len()
    }

    /// The units the last change brought up to date, descendants before ancestors.
    pub fn last_affected(&self) -> &[usize] {
        &self.last
    }

    /// How many of [`Live::last_affected`] the last change evaluated again (the others read
    /// nothing that changed).
    pub fn last_evaluated(&self) -> usize {
        self.evaluated
    }

    /// Applies `UNIT.KEY=VALUE` (as `--set` takes it) and evaluates again what it can affect;
    /// returns what was set and how many units were evaluated again. [`Live::describe`] says the
    /// change in the standard's words.
    pub fn assign(&mut self, assignment: &str) -> Result<Applied, Box<FactsError>> {
        // The unit is the longest id before a `.` of `UNIT.KEY`: looked up, not searched for.
        let (target, raw) = assignment.split_once('=').unwrap_or((assignment, ""));
        let target = target.trim();
        let found = target
            .match_indices('.')
            .rev()
            .map(|(i, _)| &target[..i])
            .find_map(|id| self.tree.find(id).map(|u| (id, u)));
        let (u, slot, v) = match found {
            Some((id, u)) => {
                let (raw, key) = (raw.trim(), &target[id.len() + 1..]);
                // A plain number the input takes (most changes) is read without a JSON reader.
                match plain_at(&self.graph, &self.tree, u, key, raw) {
                    Some(found) => found,
                    None => {
                        let json = match raw.parse::<serde_json::Number>() {
                            Ok(n) => serde_json::Value::Number(n),
                            Err(_) => serde_json::from_str::<serde_json::Value>(raw)
                                .unwrap_or_else(|_| serde_json::Value::String(raw.to_string())),
                        };
                        resolve_at(&self.graph, &self.tree, u, key, &json)?
                    }
                }
            }
            None => parse_assignment(&self.graph, &self.tree, assignment)?,
        };
        let from = self.tree.units[u].inputs.get(slot).unwrap_or_default();
        let evaluated = self.set(u, slot, v);
        Ok(Applied {
            unit: u,
            slot,
            from,
            to: v,
            evaluated,
        })
    }

    /// The change `applied` made, in the standard's words: the unit's id, the input's key and
    /// its values as a facts file writes them.
    pub fn describe(&self, applied: &Applied) -> Option<Change> {
        let Applied {
            unit,
            slot,
            from,
            to,
            ..
        } = *applied;
        describe(&self.graph, &self.tree, unit, slot, from, to)
    }

    /// Sets `last` to the units a change to unit `u` can affect, descendants before
    /// ancestors.
    fn affected(&mut self, u: usize) {
        let mut out = std::mem::take(&mut self.last);
        out.clear();
        // Records whose filters read their owner's facts read the unit's.
        let units = &self.tree.units;
        let children = units.get(u).map_or(&[][..], |x| &x.children);
        out.extend(children.iter().map(|&c| c as usize).filter(|&c| {
            let kind = units[c].kind as usize;
            self.owner_readers.get(kind).copied().unwrap_or(false)
        }));
        if self.readers.iter().all(Vec::is_empty) {
            // Nothing read as a peer: the records (before their owner), then the unit and its
            // ancestors, each after its descendants.
            out.sort_unstable_by_key(|&x| self.tree.position(x));
            let mut cur = Some(u).filter(|&u| u < units.len());
            while let Some(c) = cur {
                out.push(c);
                cur = units[c].parent();
            }
            self.last = out;
            return;
        }
        let mut marked = std::collections::HashSet::new();
        let mut stack = std::mem::take(&mut out);
        stack.push(u);
        let mut done = vec![false; self.readers.len()];
        while let Some(x) = stack.pop() {
            // The unit and its ancestors.
            let mut cur = Some(x);
            while let Some(c) = cur {
                if !marked.insert(c) {
                    break;
                }
                out.push(c);
                let kind = self.tree.units[c].kind as usize;
                // A unit read as a peer moves the ranks and counts of the kinds reading it:
                // evaluate all their units again (peers are found by the ranking itself).
                for &j in self.readers.get(kind).map_or(&[][..], Vec::as_slice) {
                    if !done[j] {
                        done[j] = true;
                        let n = self.tree.units.len();
                        stack.extend((0..n).filter(|&o| self.tree.units[o].kind as usize == j));
                    }
                }
                cur = self.tree.units[c].parent();
            }
        }
        out.sort_by_key(|&x| self.tree.position(x));
        self.last = out;
    }
}

/// What [`Live::assign`] set: unit `unit`'s input `slot`, from `from` to `to`, and how many
/// units were evaluated again (0 when the value was already `to`). Saying it in the standard's
/// words (ids, keys, values written as a facts file writes them) costs more than evaluating the
/// change again: [`Live::describe`] does it when asked.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Applied {
    /// The unit's index in the forest.
    pub unit: usize,
    /// The input's slot in the unit's kind.
    pub slot: usize,
    /// The value before.
    pub from: Value,
    /// The value after.
    pub to: Value,
    /// How many units were evaluated again.
    pub evaluated: usize,
}
