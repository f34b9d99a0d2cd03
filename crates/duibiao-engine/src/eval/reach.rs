//! Nodes that read beyond the unit's own values: its inputs, the parameters, the date, quota
//! tables, sub-units' tallies and peers' ranks, and the range an unknown rank still lies in.

use super::evaluator::{Evaluator, Frame, Others};
use super::ops::get;
use super::span::Span;
use crate::tally::Tally;
use duibiao_compiler::graph::{Aggregate, Node, Peers, Rank};
use duibiao_compiler::Value;
use duibiao_syntax::ast::Ties;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Peer groups of one kind under one scope: each unit's group, and each group's members.
pub(super) struct Groups {
    of: HashMap<usize, usize>,
    members: Vec<Vec<usize>>,
}

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

    /// The best and worst rank unit `u` can have when some peers' values are unknown: ahead of
    /// it at least the known peers that are ahead, at most those and every unknown one.
    pub(super) fn rank_range(&mut self, r: &Rank, u: usize, mine: Value, all: &Others) -> Span {
        let k = self.tree.units[u].kind;
        let g = self.group(k, r.peers, u);
        let members = self
            .groups
            .get(&(k, r.peers))
            .and_then(|gs| gs.members.get(g))
            .cloned()
            .unwrap_or_default();
        if mine.is_unknown() {
            return Span {
                lo: Decimal::ONE,
                hi: Decimal::from(members.len().max(1) as u64),
            };
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
        Span {
            lo: Decimal::from(ahead + 1),
            hi: Decimal::from(ahead + open + 1),
        }
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
