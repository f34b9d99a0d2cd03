//! Nodes that read beyond the unit's own values: its inputs, the parameters, the date, quota
//! tables, sub-units' tallies and peers (see `peers.rs`).

use super::evaluator::{Evaluator, Frame, Others};
use super::peers::Who;
use crate::tally::Tally;
use duibiao_compiler::graph::{Aggregate, Node};
use duibiao_compiler::Value;
use rust_decimal::Decimal;

impl<'a> Evaluator<'a> {
    /// Evaluates a node that reads beyond the unit's own values: the parameters and the date
    /// (for the whole forest's rules; a unit's are in its row already), quota tables, sub-units
    /// and peers.
    #[inline(never)]
    pub(super) fn reach(
        &mut self,
        frame: &Frame,
        n: u32,
        node: &Node,
        own: &[Value],
        all: &Others,
    ) -> Value {
        let unit = frame.unit;
        match node {
            // A unit's inputs are in its row before any node is computed (the program's
            // `inputs`), and the whole forest has none: an input never gets here.
            Node::Const(v) => *v,
            Node::Param(p) => self.ctx.params.get(*p).copied().unwrap_or(Value::Unknown),
            Node::AsOf => self.ctx.date.map_or(Value::Unknown, Value::Date),
            Node::Quota(q) => unit.map_or(Value::Unknown, |u| self.quota(*q, u)),
            Node::Aggregate(agg) => self.tally(frame, n, agg, all).value(agg),
            Node::Rank(r) => match unit {
                Some(u) => self.rank(n, r, u, own, all),
                None => Value::Unknown,
            },
            Node::Peers(peers, pool) => match unit {
                Some(u) => {
                    let who = Who {
                        peers: *peers,
                        node: n,
                        pool,
                    };
                    Value::Num(Decimal::from(self.peer_group(who, u).1.len() as u64))
                }
                None => Value::Unknown,
            },
            Node::Cutoff(r, place) => match unit {
                Some(u) => self.cutoff(n, r, *place, u, own, all),
                None => Value::Unknown,
            },
            Node::PeersWhere(peers, c, pool) => match unit {
                Some(u) => {
                    let who = Who {
                        peers: *peers,
                        node: n,
                        pool,
                    };
                    self.peers_where((n, *c), who, u, own, all)
                }
                None => Value::Unknown,
            },
            Node::OwnerInput(slots) => unit.map_or(Value::Unknown, |u| self.owner_input(slots, u)),
            // Operators are evaluated by `compute`; inputs are in the rows already.
            _ => Value::Unknown,
        }
    }

    /// How the sub-units aggregate node `n` ranges over stand. Over all descendants: the
    /// unit's running tallies (for the whole forest, the roots' tallies and the roots
    /// themselves); over direct children (or the roots), counted one by one.
    pub(super) fn tally(&self, frame: &Frame, n: u32, agg: &Aggregate, all: &Others) -> Tally {
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
                .children()
                .for_each(|c| count(&mut total, c)),
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

    /// A fact of the owner (the parent) of record `u`: its input in the slot of the owner's kind.
    fn owner_input(&self, slots: &[(u32, u32)], u: usize) -> Value {
        let units = &self.tree.units;
        let owner = units
            .get(u)
            .and_then(|r| r.parent())
            .and_then(|p| units.get(p));
        owner
            .and_then(|o| {
                let (_, slot) = slots.iter().find(|(k, _)| *k == o.kind)?;
                o.inputs.get(*slot as usize)
            })
            .unwrap_or(Value::Unknown)
    }

    /// A quota table's value for unit `u` on the evaluation date (by id, else by name).
    fn quota(&self, q: usize, u: usize) -> Value {
        let (Some(table), Some(rows)) = (self.graph.quotas.get(q), self.plan.quota_rows.get(q))
        else {
            return Value::Unknown;
        };
        let unit = &self.tree.units[u];
        let row = rows
            .get(&*unit.id)
            .or_else(|| unit.name.as_deref().and_then(|n| rows.get(n)));
        row.and_then(|&r| table.rows.get(r))
            .and_then(|(_, values)| values.get(table.column(self.ctx.date)).copied())
            .unwrap_or(Value::Unknown)
    }
}
