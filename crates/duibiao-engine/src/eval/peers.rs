//! Nodes that read a unit's peers: its rank among them by a value (among all of them, or among
//! those for which a condition holds), how many there are, and how many of them a condition holds
//! for. Each is computed once per group of peers and node, in `O(n log n)` for a group of `n`.
//! Peers are of the unit's kind, and of the kinds a node pools with it (`among 街镇 of 社区党支部、
//! 其他党支部`, a limit listing several kinds), each read through its own nodes.

use super::evaluator::{Evaluator, Others};
use super::ops::get;
use super::span::Span;
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Peers, PoolMember, Rank};
use duibiao_compiler::Value;
use duibiao_syntax::ast::Ties;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Who a node's peers are: its scope, and the kinds pooled with the unit's own (with the nodes
/// read in each). A node pooling kinds has groups of its own (`node`); the others share those of
/// their kind and scope.
#[derive(Clone, Copy)]
pub(super) struct Who<'g> {
    /// The scope.
    pub(super) peers: Peers,
    /// The node reading the peers.
    pub(super) node: u32,
    /// The other kinds pooled with the unit's own.
    pub(super) pool: &'g [PoolMember],
}

impl<'g> Who<'g> {
    /// The peers node `node` of rank `r` reads.
    pub(super) fn of_rank(node: u32, r: &'g Rank) -> Self {
        Who {
            peers: r.peers,
            node,
            pool: &r.pool,
        }
    }

    /// The key of the groups: the kind and scope, and the node when it pools kinds.
    fn key(&self, kind: u32) -> GroupKey {
        let node = (!self.pool.is_empty()).then_some(self.node);
        (kind, self.peers, node)
    }

    /// Whether a unit of kind `k` is a peer of a unit of kind `kind`.
    fn counts(&self, kind: u32, k: u32) -> bool {
        k == kind || self.pool.iter().any(|m| m.kind == k)
    }

    /// The node of kind `k` that `pick` takes from its pool member (`own` for the unit's own
    /// kind `kind`): `None` when the kind reads none.
    fn node_of(
        &self,
        (kind, own): (u32, Option<u32>),
        k: u32,
        pick: fn(&PoolMember) -> Option<u32>,
    ) -> Option<u32> {
        if k == kind {
            return own;
        }
        self.pool.iter().find(|m| m.kind == k).and_then(pick)
    }
}

/// The key of a kind's groups of peers: the kind, the scope, and the node pooling kinds if any.
pub(super) type GroupKey = (u32, Peers, Option<u32>);

/// Peer groups of one kind under one scope: each unit's group, and each group's members.
pub(super) struct Groups {
    of: HashMap<usize, usize>,
    members: Vec<Vec<usize>>,
}

/// One peer as a rank sees it: its value, and whether it is among those ranked.
#[derive(Clone, Copy)]
pub(crate) struct Peer {
    /// The peer.
    pub(crate) unit: usize,
    /// Its value (of the node ranked in its kind).
    pub(crate) value: Value,
    /// Whether it is among those ranked (true, false or unknown).
    pub(crate) ranked: Value,
    /// When its value is unknown, the range it lies in, if it has one.
    pub(crate) span: Option<Span>,
}

impl<'a> Evaluator<'a> {
    /// The members of unit `u`'s group of peers `who` (computing all groups of its kind on first
    /// use), with the group's index.
    pub(super) fn peer_group(&mut self, who: Who, u: usize) -> (usize, &[usize]) {
        let kind = self.tree.units[u].kind;
        let g = self.group(kind, who, u);
        let members = self
            .groups
            .get(&who.key(kind))
            .and_then(|gs| gs.members.get(g))
            .map_or(&[][..], Vec::as_slice);
        (g, members)
    }

    /// What node `n` gives unit `u`, when it was computed for `u`'s group of `who` already
    /// (each of these nodes is computed for a whole group at once); else the key to keep the
    /// group's values under.
    fn cached(&mut self, n: u32, who: Who, u: usize) -> Result<Value, (u32, u32, usize)> {
        let k = self.tree.units[u].kind;
        let (g, _) = self.peer_group(who, u);
        match self.ranks.get(&(k, n, g)).and_then(|m| m.get(&u)) {
            Some(v) => Ok(*v),
            None => Err((k, n, g)),
        }
    }

    /// The index of unit `u`'s group of `who` (computing all groups of its kind on first use).
    fn group(&mut self, kind: u32, who: Who, u: usize) -> usize {
        let tree = self.tree;
        let groups = self.groups.entry(who.key(kind)).or_insert_with(|| {
            let mut by_key: HashMap<Option<usize>, usize> = HashMap::new();
            let mut g = Groups {
                of: HashMap::new(),
                members: Vec::new(),
            };
            for (i, _) in tree
                .units
                .iter()
                .enumerate()
                .filter(|(_, x)| who.counts(kind, x.kind))
            {
                let key = tree.peer_key(i, who.peers);
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

    /// Node `own` of unit `u` for `m == u` (from `mine`), else the node `pick` takes in `m`'s
    /// kind (`own` in `u`'s): `absent` when `own` is `None` or `m`'s kind reads none.
    fn peer_value(
        &self,
        (who, u, mine): (Who, usize, &dyn Fn(u32) -> Value),
        m: usize,
        own: Option<u32>,
        (pick, absent): (fn(&PoolMember) -> Option<u32>, Value),
        all: &Others,
    ) -> Value {
        let Some(own) = own else {
            return absent;
        };
        if m == u {
            return mine(own);
        }
        let (kind, k) = (self.tree.units[u].kind, self.tree.units[m].kind);
        match who.node_of((kind, Some(own)), k, pick) {
            Some(n) => all.values(m).get(n),
            None => absent,
        }
    }

    /// The peers of unit `u` as rank `r` (node `n`) sees them: each one's value and whether it
    /// is ranked (`u`'s own from `own`).
    fn peers_of(
        &mut self,
        (n, r): (u32, &Rank),
        u: usize,
        own: &dyn Fn(u32) -> Value,
        all: &Others,
    ) -> (usize, Vec<Peer>) {
        let who = Who::of_rank(n, r);
        let (g, members) = self.peer_group(who, u);
        let members = members.to_vec();
        let ctx = (who, u, own);
        let ranked = Value::Bool(true);
        let peers = members
            .iter()
            .map(|&m| Peer {
                unit: m,
                value: self.peer_value(ctx, m, Some(r.value), (|p| p.value, Value::Unknown), all),
                ranked: self.peer_value(ctx, m, r.among, (|p| p.among, ranked), all),
                span: None,
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
        let key = match self.cached(n, Who::of_rank(n, r), u) {
            Ok(v) => return v,
            Err(key) => key,
        };
        let (_, peers) = self.peers_of((n, r), u, &|n| get(own, n), all);
        let known = peers.iter().all(|p| match p.ranked {
            Value::Bool(true) => !p.value.is_unknown(),
            Value::Bool(false) => true,
            _ => false,
        });
        let mut result = HashMap::with_capacity(peers.len());
        if known {
            let tree = self.tree;
            let id = |p: &Peer| &*tree.units[p.unit].id;
            // The ranked peers, first to last (equal values by id).
            let mut ranked: Vec<&Peer> = peers
                .iter()
                .filter(|p| p.ranked == Value::Bool(true))
                .collect();
            ranked.sort_by(|a, b| {
                order(b.value, a.value, r)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| by_id(r, id(a), id(b)))
            });
            for p in &peers {
                let ahead = ranked
                    .partition_point(|o| order(o.value, p.value, r) == Some(Ordering::Greater));
                let tied_ahead = match r.ties {
                    Ties::Shared if r.tied_ahead => ranked[ahead..]
                        .iter()
                        .take_while(|o| order(o.value, p.value, r) == Some(Ordering::Equal))
                        .filter(|o| o.unit != p.unit)
                        .count(),
                    Ties::Shared => 0,
                    Ties::ById => ranked[ahead..].partition_point(|o| {
                        order(o.value, p.value, r) == Some(Ordering::Equal)
                            && by_id(r, id(o), id(p)) == Ordering::Less
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
        let key = match self.cached(n, Who::of_rank(n, r), u) {
            Ok(v) => return v,
            Err(key) => key,
        };
        let (_, peers) = self.peers_of((n, r), u, &|x| get(own, x), all);
        let mut ranked: Vec<Value> = Vec::with_capacity(peers.len());
        let mut known = true;
        for p in &peers {
            match p.ranked {
                Value::Bool(true) if !p.value.is_unknown() => ranked.push(p.value),
                Value::Bool(false) => {}
                _ => known = false,
            }
        }
        ranked.sort_by(|a, b| order(*b, *a, r).unwrap_or(Ordering::Equal));
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
    /// ranked) are unknown (see [`place_range`]).
    pub(super) fn rank_range(
        &mut self,
        (n, r): (u32, &Rank),
        (u, own_span): (usize, Option<Span>),
        own: &dyn Fn(u32) -> Value,
        all: &Others,
    ) -> Span {
        let (_, mut peers) = self.peers_of((n, r), u, own, all);
        // A peer's unknown value may still lie in a range that keeps it behind (or ahead).
        let who = Who::of_rank(n, r);
        let kind = self.tree.units[u].kind;
        for p in peers
            .iter_mut()
            .filter(|p| p.unit != u && p.value.is_unknown())
        {
            let k = self.tree.units[p.unit].kind;
            if let Some(node) = who.node_of((kind, Some(r.value)), k, |m| m.value) {
                p.span = self.peer_span(p.unit, node, all);
            }
        }
        place_range(r, self.tree, (u, own(r.value), own_span), &peers).0
    }

    /// How many of unit `u`'s peers (itself included) node `cond` (in `u`'s kind; the pool's
    /// `among` in the kinds pooled) holds for; unknown when it is unknown for one of them.
    /// Computed for the whole group at once.
    pub(super) fn peers_where(
        &mut self,
        (n, cond): (u32, u32),
        who: Who,
        u: usize,
        own: &[Value],
        all: &Others,
    ) -> Value {
        let key = match self.cached(n, who, u) {
            Ok(v) => return v,
            Err(key) => key,
        };
        let (holds, open, members) = self.count_peers(cond, who, u, &|x| get(own, x), all);
        let v = if open == 0 {
            Value::Num(Decimal::from(holds))
        } else {
            Value::Unknown
        };
        self.ranks
            .insert(key, members.iter().map(|&m| (m, v)).collect());
        v
    }

    /// The least and greatest number of unit `u`'s peers node `cond` can hold for (as
    /// [`Evaluator::peers_where`] counts them).
    pub(super) fn peers_where_range(
        &mut self,
        cond: u32,
        who: Who,
        u: usize,
        own: &dyn Fn(u32) -> Value,
        all: &Others,
    ) -> Span {
        let (holds, open, _) = self.count_peers(cond, who, u, own, all);
        Span {
            lo: Decimal::from(holds),
            hi: Decimal::from(holds + open),
        }
    }

    /// How many of unit `u`'s peers `cond` holds for, how many it is unknown for, and the peers.
    fn count_peers(
        &mut self,
        cond: u32,
        who: Who,
        u: usize,
        own: &dyn Fn(u32) -> Value,
        all: &Others,
    ) -> (u64, u64, Vec<usize>) {
        let members = self.peer_group(who, u).1.to_vec();
        let ctx = (who, u, own);
        let pick: (fn(&PoolMember) -> Option<u32>, Value) = (|p| p.among, Value::Bool(true));
        let (holds, open) =
            count_where(&members, |m| self.peer_value(ctx, m, Some(cond), pick, all));
        (holds, open, members)
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

/// The best and worst rank unit `u` can have among `peers` (itself among them) when some values,
/// or whether peers are ranked, are unknown: ahead of it at least the ranked peers ahead of it
/// whatever the unknown values are, at most every peer that may be ahead. `mine` is the unit's
/// value and, when unknown, the range it lies in; a peer's unknown value is bounded by its range
/// when it has one, else it may be anything. Also the peers whose missing data leaves the rank
/// open (none listed when the unit's own value is unknown: the missing data is its own).
pub(crate) fn place_range(
    r: &Rank,
    tree: &UnitTree,
    (u, mine, mine_span): (usize, Value, Option<Span>),
    peers: &[Peer],
) -> (Span, Vec<usize>) {
    let numeric = |v: Value| matches!(v, Value::Num(_));
    // A value as the least and most favourable values it can take (`None`: unbounded).
    let ends = |v: Value, span: Option<Span>, numbers: bool| -> (Option<Value>, Option<Value>) {
        match (v, span) {
            (Value::Unknown, Some(s)) if numbers => {
                let (lo, hi) = (Value::Num(s.lo), Value::Num(s.hi));
                if r.ascending != r.from_last {
                    (Some(hi), Some(lo))
                } else {
                    (Some(lo), Some(hi))
                }
            }
            (Value::Unknown, _) => (None, None),
            (w, _) => (Some(w), Some(w)),
        }
    };
    // Peers' ranges count only against a number (a range is of numbers).
    let numbers = !mine.is_unknown() && numeric(mine) || mine_span.is_some();
    let (my_worst, my_best) = ends(mine, mine_span, true);
    let (mut ahead, mut open, mut maybe) = (0u64, Vec::new(), 0u64);
    for p in peers.iter().filter(|p| p.unit != u) {
        if p.ranked == Value::Bool(false) {
            continue;
        }
        let (worst, best) = ends(p.value, p.span, numbers);
        let beats = |w: Option<Value>, v: Option<Value>| match (w, v) {
            (Some(w), Some(v)) => Some(is_ahead(r, tree, (p.unit, w), (u, v))),
            _ => None,
        };
        let surely = p.ranked == Value::Bool(true) && beats(worst, my_best) == Some(true);
        let possibly = beats(best, my_worst) != Some(false);
        if surely {
            ahead += 1;
        } else if possibly {
            maybe += 1;
            if p.value.is_unknown() || p.ranked.is_unknown() {
                open.push(p.unit);
            }
        }
    }
    if mine.is_unknown() {
        open.clear();
    }
    let span = Span {
        lo: Decimal::from(ahead + 1),
        hi: Decimal::from(ahead + maybe + 1),
    };
    (span, open)
}

/// Whether peer `m` with value `w` ranks ahead of unit `u` with value `v`.
fn is_ahead(r: &Rank, tree: &UnitTree, (m, w): (usize, Value), (u, v): (usize, Value)) -> bool {
    match order(w, v, r) {
        Some(Ordering::Greater) => true,
        Some(Ordering::Equal) => match r.ties {
            Ties::Shared => r.tied_ahead,
            Ties::ById => by_id(r, &tree.units[m].id, &tree.units[u].id) == Ordering::Less,
        },
        _ => false,
    }
}

/// How `w` compares with `v` in the order of rank `r`: `Greater` when `w` ranks ahead (higher
/// first, lower with `ascending`; the other way round counted from the last).
fn order(w: Value, v: Value, r: &Rank) -> Option<Ordering> {
    let o = match (w, v) {
        (Value::Num(a), Value::Num(b)) => a.cmp(&b),
        (Value::Date(a), Value::Date(b)) => a.cmp(&b),
        (Value::Enum(a), Value::Enum(b)) => a.cmp(&b),
        _ => return None,
    };
    Some(if r.ascending != r.from_last {
        o.reverse()
    } else {
        o
    })
}

/// How ids `a` and `b` of equal values compare in the order of rank `r`: `Less` when `a` ranks
/// ahead (the lower id first; the higher counted from the last).
fn by_id(r: &Rank, a: &str, b: &str) -> Ordering {
    if r.from_last {
        b.cmp(a)
    } else {
        a.cmp(b)
    }
}
