//! The forest a plan is worked out on: its changes, logged so they can be undone, and its values,
//! computed again after changes for the units they affect.

use super::Mode;
use crate::eval::{evaluate, reevaluate_units, Context, Evaluation};
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Graph, NodeId};
use duibiao_compiler::Value;
use std::collections::{BTreeMap, HashSet};

/// The forest a plan is worked out on, its values, and what changed since they were computed.
pub(super) struct Work<'a> {
    graph: &'a Graph,
    pub(super) ctx: &'a Context,
    pub(super) mode: Mode,
    pub(super) tree: UnitTree,
    /// The values, current for every unit except those `dirty` can affect.
    pub(super) eval: Evaluation,
    /// Units whose inputs changed since their values were last computed.
    pub(super) dirty: Vec<usize>,
    /// Every input changed, with its value before, to undo changes in reverse order.
    pub(super) log: Vec<(usize, usize, Value)>,
}

impl<'a> Work<'a> {
    pub(super) fn new(graph: &'a Graph, ctx: &'a Context, tree: UnitTree, mode: Mode) -> Self {
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
    pub(super) fn input(&self, u: usize, slot: usize) -> Option<Value> {
        self.tree.units.get(u)?.inputs.get(slot)
    }

    /// Sets input `slot` of unit `u` to `v` (values are computed again by [`Work::refresh`]).
    pub(super) fn set(&mut self, u: usize, slot: usize, v: Value) {
        let Some(inputs) = self.tree.units.get_mut(u).map(|x| &mut x.inputs) else {
            return;
        };
        match inputs.get(slot) {
            Some(old) if old != v => {
                inputs.set(slot, v);
                self.log.push((u, slot, old));
                self.dirty.push(u);
            }
            _ => {}
        }
    }

    /// Undoes every change made since the log had `mark` entries.
    pub(super) fn undo(&mut self, mark: usize) {
        while self.log.len() > mark {
            let Some((u, slot, v)) = self.log.pop() else {
                return;
            };
            let unit = self.tree.units.get_mut(u);
            if unit.and_then(|x| x.inputs.set(slot, v)).is_some() {
                self.dirty.push(u);
            }
        }
    }

    /// The changes made since the log had `mark` entries: every input that now differs from
    /// its value then, in unit and slot order, with that value and its value now.
    pub(super) fn changes_since(&self, mark: usize) -> Vec<(usize, usize, Value, Value)> {
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
    pub(super) fn refresh(&mut self, scope: usize) {
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
                at = self.tree.units.get(c).and_then(|x| x.parent());
            }
        }
        order.sort_by_key(|&x| self.tree.position(x));
        reevaluate_units(self.graph, &self.tree, self.ctx, &mut self.eval, &order);
    }

    /// The value of node `n` of unit `u`.
    pub(super) fn value(&self, u: usize, n: NodeId) -> Value {
        self.eval.value(&self.tree, u, n)
    }

    /// Whether node `n` of unit `u` holds.
    pub(super) fn holds(&self, u: usize, n: NodeId) -> bool {
        self.value(u, n) == Value::Bool(true)
    }
}
