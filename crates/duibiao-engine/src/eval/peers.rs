//! Nodes that read a unit's peers: its rank among them by a value (among all of them, or among
//! those for which a condition holds), how many there are, and how many of them a condition holds
//! for. Each is computed once per group of peers and node, in `O(n log n)` for a group of `n`.

use super::evaluator::{Evaluator, Others};
use super::ops::get;
use super::span::Span;
use duibiao_compiler::graph::{Peers, Rank};
use duibiao_compiler::Value;
use duibiao_syntax::ast::Ties;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Peer groups of one kind under one scope: each unit's group, and each group's members.
pub(super) struct Groups {
    of: HashMap<usize, usize>,
    members: Vec<Vec<usize>>,
}

/// One peer as a rank sees it: its value, and whether it is among those ranked.
#[derive(Clone, Copy)]
struct Peer {
    unit: usize,
    value: Value,
    ranked: Value,
}

impl<'a> Evaluator<'a> {
    /// The members of unit `u`'s group of `peers` (computing all groups of its kind on first
    /// use), with the group's index.
    pub(super) fn peer_group(&mut self, peers: Peers, u: usize) -> (usize, &[usize]) {
        let kind = self.tree.units[u].kind;
        let g = self.group(kind, peers, u);
        let members = self
            .groups
            .get(&(kind, peers))
            .and_then(|gs| gs.members.get(g))
            .map_or(&[][..], Vec::as_slice);
        (g, members)
    }

    /// What node `n` gives unit `u`, when it was computed for `u`'s group of `peers` already
    /// (each of these nodes is computed for a whole group at once); else the key to keep the
    /// group's values under.
    fn cached(&mut self, n: u32, peers: Peers, u: usize) -> Result<Value, (u32, u32, usize)> {
        let k = self.tree.units[u].kind;
        let (g, _) = self.peer_group(peers, u);
        match self.ranks.get(&(k, n, g)).and_then(|m| m.get(&u)) {
            Some(v) => Ok(*v),
            None => Err((k, n, g)),
        }
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
            for (i, _) in tree
                .units
                .iter()
                .enumerate()
                .filter(|(_, x)| x.kind == kind)
            {
                let key = tree.peer_key(i, peers);
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

    /// The peers of unit `u` as rank `r` sees them: each one's value and whether it is ranked
    /// (`u`'s own from `own`).
    fn peers_of(
        &mut self,
        r: &Rank,
        u: usize,
        own: &dyn Fn(u32) -> Value,
        all: &Others,
    ) -> (usize, Vec<Peer>) {
        let (g, members) = self.peer_group(r.peers, u);
        let members = members.to_vec();
        let at = |m: usize, n: u32| {
            if m == u {
                own(n)
            } else {
                all.values(m).get(n)
            }
        };
        let peers = members
            .iter()
            .map(|&m| Peer {
                unit: m,
                value: at(m, r.value),
                ranked: r.among.map_or(Value::Bool(true), |a| at(m, a)),
            })
            .collect();
        (g, peers)
    }

    /// Unit `u`'s rank by node `r.value` among its peers that are ranked (1 = first; counted
    /// as if `u` were ranked too); unknown when a ranked peer's value, or whether a peer is
    /// ranked, is unknown. Computed for the whole group at once.
    pub(super) fn rank(
        &mut self,
        n: u32,
        r: &Rank,
        u: usize,
        own: &[Value],
        all: &Others,
    ) -> Value {
        let key = match self.cached(n, r.peers, u) {
            Ok(v) => return v,
            Err(key) => key,
        };
        let (_, peers) = self.peers_of(r, u, &|n| get(own, n), all);
        let known = peers.iter().all(|p| match p.ranked {
            Value::Bool(true) => !p.value.is_unknown(),
            Value::Bool(false) => true,
            _ => false,
        });
        let mut result = HashMap::with_capacity(peers.len());
        if known {
            let tree = self.tree;
            let id = |p: &Peer| tree.units[p.unit].id.as_str();
            // The ranked peers, first to last (equal values by id).
            let mut ranked: Vec<&Peer> = peers
                .iter()
                .filter(|p| p.ranked == Value::Bool(true))
                .collect();
            ranked.sort_by(|a, b| {
                order(b.value, a.value, r.ascending)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| id(a).cmp(id(b)))
            });
            for p in &peers {
                let ahead = ranked.partition_point(|o| {
                    order(o.value, p.value, r.ascending) == Some(Ordering::Greater)
                });
                let tied_ahead = match r.ties {
                    Ties::Shared => 0,
                    Ties::ById => ranked[ahead..].partition_point(|o| {
                        order(o.value, p.value, r.ascending) == Some(Ordering::Equal)
                            && id(o) < id(p)
                    }),
                };
                let rank = if p.value.is_unknown() {
                    Value::Unknown
                } else {
                    Value::Num(Decimal::from((ahead + tied_ahead + 1) as u64))
                };
                result.insert(p.unit, rank);
            }
        } else {
            result.extend(peers.iter().map(|p| (p.unit, Value::Unknown)));
        }
        let mine = result.get(&u).copied().unwrap_or(Value::Unknown);
        self.ranks.insert(key, result);
        mine
    }

    /// The value of the peer at place `place` (a node of `u`'s: 1 = first) among those rank `r`
    /// ranks: the cut-off of a limit. Unknown when a ranked peer's value, or whether a peer is
    /// ranked, is unknown, or when there is no such place. The same for the whole group (its
    /// places are counted over the group), computed once for it.
    pub(super) fn cutoff(
        &mut self,
        n: u32,
        r: &Rank,
        place: u32,
        u: usize,
        own: &[Value],
        all: &Others,
    ) -> Value {
        let key = match self.cached(n, r.peers, u) {
            Ok(v) => return v,
            Err(key) => key,
        };
        let (_, peers) = self.peers_of(r, u, &|x| get(own, x), all);
        let mut ranked: Vec<Value> = Vec::with_capacity(peers.len());
        let mut known = true;
        for p in &peers {
            match p.ranked {
                Value::Bool(true) if !p.value.is_unknown() => ranked.push(p.value),
                Value::Bool(false) => {}
                _ => known = false,
            }
        }
        ranked.sort_by(|a, b| order(*b, *a, r.ascending).unwrap_or(Ordering::Equal));
        let at = match get(own, place) {
            Value::Num(d) if known && d >= Decimal::ONE => d.to_usize(),
            _ => None,
        };
        let v = at
            .and_then(|i| ranked.get(i - 1).copied())
            .unwrap_or(Value::Unknown);
        self.ranks
            .insert(key, peers.iter().map(|p| (p.unit, v)).collect());
        v
    }

    /// The best and worst rank unit `u` can have when some peers' values (or whether they are
    /// ranked) are unknown: ahead of it at least the ranked peers known to be ahead, at most
    /// those and every one that might be.
    pub(super) fn rank_range(
        &mut self,
        r: &Rank,
        u: usize,
        own: &dyn Fn(u32) -> Value,
        all: &Others,
    ) -> Span {
        let (_, peers) = self.peers_of(r, u, own, all);
        let others = peers.iter().filter(|p| p.unit != u);
        let mine = own(r.value);
        if mine.is_unknown() {
            let possible = others.filter(|p| p.ranked != Value::Bool(false)).count();
            return Span {
                lo: Decimal::ONE,
                hi: Decimal::from(possible as u64 + 1),
            };
        }
        let (mut ahead, mut open) = (0u64, 0u64);
        for p in others {
            if p.ranked == Value::Bool(false) {
                continue;
            }
            if p.value.is_unknown() || p.ranked.is_unknown() {
                if p.value.is_unknown() || self.is_ahead(r, p.unit, p.value, u, mine) {
                    open += 1;
                }
                continue;
            }
            if self.is_ahead(r, p.unit, p.value, u, mine) {
                ahead += 1;
            }
        }
        Span {
            lo: Decimal::from(ahead + 1),
            hi: Decimal::from(ahead + open + 1),
        }
    }

    /// Whether peer `m` with value `w` ranks ahead of unit `u` with value `v`.
    fn is_ahead(&self, r: &Rank, m: usize, w: Value, u: usize, v: Value) -> bool {
        match order(w, v, r.ascending) {
            Some(Ordering::Greater) => true,
            Some(Ordering::Equal) => {
                r.ties == Ties::ById && self.tree.units[m].id < self.tree.units[u].id
            }
            _ => false,
        }
    }

    /// How many of unit `u`'s peers (itself included) node `cond` holds for; unknown when it is
    /// unknown for one of them. Computed for the whole group at once.
    pub(super) fn peers_where(
        &mut self,
        n: u32,
        (peers, cond): (Peers, u32),
        u: usize,
        own: &[Value],
        all: &Others,
    ) -> Value {
        let key = match self.cached(n, peers, u) {
            Ok(v) => return v,
            Err(key) => key,
        };
        let members = self.peer_group(peers, u).1.to_vec();
        let (holds, open) = count_where(&members, |m| {
            if m == u {
                get(own, cond)
            } else {
                all.values(m).get(cond)
            }
        });
        let v = if open == 0 {
            Value::Num(Decimal::from(holds))
        } else {
            Value::Unknown
        };
        self.ranks
            .insert(key, members.iter().map(|&m| (m, v)).collect());
        v
    }

    /// The least and greatest number of unit `u`'s peers node `cond` can hold for.
    pub(super) fn peers_where_range(
        &mut self,
        (peers, cond): (Peers, u32),
        u: usize,
        own: &dyn Fn(u32) -> Value,
        all: &Others,
    ) -> Span {
        let (_, members) = self.peer_group(peers, u);
        let members = members.to_vec();
        let (holds, open) = count_where(&members, |m| {
            if m == u {
                own(cond)
            } else {
                all.values(m).get(cond)
            }
        });
        Span {
            lo: Decimal::from(holds),
            hi: Decimal::from(holds + open),
        }
    }
}

/// How many of `members` `value` is true for, and how many it is unknown for.
fn count_where(members: &[usize], value: impl Fn(usize) -> Value) -> (u64, u64) {
    let (mut holds, mut open) = (0u64, 0u64);
    for &m in members {
        match value(m) {
            Value::Bool(true) => holds += 1,
            Value::Bool(false) => {}
            _ => open += 1,
        }
    }
    (holds, open)
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
