//! Ranks and counts of peers, of the unit's own kind or of several kinds together (`rank (score)
//! among 街镇 of 社区党支部、其他党支部`), of every peer or of those meeting a condition (`where
//! (…)`). A limit listing several kinds ranks and counts them together the same way.

use super::Lowerer;
use crate::diagnostic::{DiagnosticKind, PeersProblem};
use crate::graph::*;
use crate::types::{Dim, Type};
use crate::value::Value;
use duibiao_syntax::ast::{self, Expr, Ident, Span};

impl<'a> Lowerer<'a> {
    /// `rank (…) among … [of …] [where (…)] ties …`.
    pub(super) fn rank_expr(&mut self, kind: usize, r: &ast::Rank) -> Option<(NodeId, Type)> {
        let peers = self.peers(kind, &r.scope);
        let others = self.pool_kinds(kind, &r.pool, &r.scope);
        let value = self.ranked_value(kind, &r.value);
        let filter = self.peer_filter(kind, r.filter.as_deref());
        let (peers, others, (value, ty), filter) = (peers?, others?, value?, filter?);
        let mut pool = Vec::with_capacity(others.len());
        for k in others {
            let v = self.pooled_value(kind, ty, k, &r.value);
            let f = self.peer_filter(k, r.filter.as_deref());
            pool.push(PoolMember {
                kind: k as KindId,
                value: Some(v?),
                among: f?,
            });
        }
        let node = Node::Rank(Rank {
            value,
            ascending: r.ascending,
            peers,
            ties: r.ties,
            among: filter,
            pool,
            from_last: false,
            tied_ahead: false,
        });
        let count = Type::Num(Dim::Count);
        Some((self.states[kind].intern(node, count), count))
    }

    /// `peers among … [of …] [where (…)]`.
    pub(super) fn peer_count(&mut self, kind: usize, p: &ast::PeerCount) -> Option<(NodeId, Type)> {
        let peers = self.peers(kind, &p.scope);
        let others = self.pool_kinds(kind, &p.pool, &p.scope);
        let filter = self.peer_filter(kind, p.filter.as_deref());
        let (peers, others, filter) = (peers?, others?, filter?);
        let mut pool = Vec::with_capacity(others.len());
        for k in others {
            let f = self.peer_filter(k, p.filter.as_deref());
            pool.push(PoolMember {
                kind: k as KindId,
                value: None,
                among: f?,
            });
        }
        let node = match filter {
            Some(f) => Node::PeersWhere(peers, f, pool),
            None => Node::Peers(peers, pool),
        };
        let count = Type::Num(Dim::Count);
        Some((self.states[kind].intern(node, count), count))
    }

    /// The kinds other than `kind` listed after `of` (none when nothing is listed); `None` when
    /// one is unknown or not within the peers, or `kind` is not listed.
    pub(super) fn pool_kinds(
        &mut self,
        kind: usize,
        listed: &[Ident],
        scope: &ast::Scope,
    ) -> Option<Vec<usize>> {
        if listed.is_empty() {
            return Some(Vec::new());
        }
        let ids = self.kinds_of(listed);
        if ids.len() != listed.len() {
            return None;
        }
        if !ids.contains(&(kind as KindId)) {
            let names: Vec<&str> = listed.iter().map(|k| k.name.as_str()).collect();
            let problem = PeersProblem::OwnKindMissing {
                kind: self.states[kind].name.clone(),
                listed: names.join("、"),
            };
            let span = Span::new(listed[0].span.start, listed[listed.len() - 1].span.end);
            self.err(DiagnosticKind::BadPeers(problem), span);
            return None;
        }
        self.others_within(kind, &ids, scope)
    }

    /// The kinds of `ids` other than `kind`, each once, in the order listed; `None` when one of
    /// them is not within the peers of `scope` (reported).
    pub(super) fn others_within(
        &mut self,
        kind: usize,
        ids: &[KindId],
        scope: &ast::Scope,
    ) -> Option<Vec<usize>> {
        let mut others: Vec<usize> = Vec::new();
        let mut ok = true;
        for &k in ids {
            let k = k as usize;
            if k != kind && !others.contains(&k) {
                ok &= self.peers(k, scope).is_some();
                others.push(k);
            }
        }
        ok.then_some(others)
    }

    /// The value a rank orders by, in `kind`: anything but a truth value.
    pub(super) fn ranked_value(&mut self, kind: usize, e: &Expr) -> Option<(NodeId, Type)> {
        let (value, ty) = self.expr(kind, e, None)?;
        if ty == Type::Bool {
            let found = self.describe(ty);
            let expected = "a quantity".to_string();
            self.err(DiagnosticKind::WrongType { expected, found }, e.span);
            return None;
        }
        Some((value, ty))
    }

    /// The value ranked, lowered for `other`, a kind ranked together with `kind`, where it has
    /// type `ty`: it must have the same type in both.
    pub(super) fn pooled_value(
        &mut self,
        kind: usize,
        ty: Type,
        other: usize,
        e: &Expr,
    ) -> Option<NodeId> {
        let (v, t) = self.expr(other, e, None)?;
        if t != ty {
            // Said the same way from either kind's rule (the kind declared first named first),
            // so that it is reported once.
            let ((a, ta), (b, tb)) = if kind < other {
                ((kind, ty), (other, t))
            } else {
                ((other, t), (kind, ty))
            };
            let problem = PeersProblem::TypesDiffer {
                kind: self.states[a].name.clone(),
                expected: self.describe(ta),
                other: self.states[b].name.clone(),
                found: self.describe(tb),
            };
            self.err(DiagnosticKind::BadPeers(problem), e.span);
            return None;
        }
        Some(v)
    }

    /// The `where (…)` condition of a rank or count, lowered for a peer of `kind`: `Some(None)`
    /// when there is none, `None` when it does not lower.
    fn peer_filter(&mut self, kind: usize, filter: Option<&Expr>) -> Option<Option<NodeId>> {
        match filter {
            None => Some(None),
            Some(f) => self.boolean(kind, f).map(|(n, _)| Some(n)),
        }
    }

    /// How many of the peers of `kind` (and of the kinds `pool` pools with it) are rated: those
    /// for which no reason not to rate holds. `rated` gives, for each kind, the node telling
    /// whether its unit is rated (`None`: every unit of the kind is).
    pub(super) fn rated_peers(
        &mut self,
        kind: usize,
        peers: Peers,
        rated: Option<NodeId>,
        pool: &[(usize, Option<NodeId>)],
    ) -> NodeId {
        let count = Type::Num(Dim::Count);
        if rated.is_none() && pool.iter().all(|(_, r)| r.is_none()) {
            let members = pool.iter().map(|&(k, _)| member(k, None, None)).collect();
            return self.states[kind].intern(Node::Peers(peers, members), count);
        }
        let mut all = |k: usize, r: Option<NodeId>| match r {
            Some(r) => r,
            None => self.states[k].intern(Node::Const(Value::Bool(true)), Type::Bool),
        };
        let own = all(kind, rated);
        let members = pool
            .iter()
            .map(|&(k, r)| member(k, None, Some(all(k, r))))
            .collect();
        self.states[kind].intern(Node::PeersWhere(peers, own, members), count)
    }

    /// The node telling whether a unit of `kind` is rated: no reason not to rate holds for it
    /// (`None`: the kind has none).
    pub(super) fn rated_node(&mut self, kind: usize) -> Option<NodeId> {
        let reasons: Vec<NodeId> = self.states[kind]
            .unrated
            .iter()
            .filter_map(|(_, u)| u.as_ref().map(|u| u.node))
            .collect();
        if reasons.is_empty() {
            return None;
        }
        let st = &mut self.states[kind];
        let any = st.intern(Node::Or(reasons), Type::Bool);
        Some(st.intern(Node::Not(any), Type::Bool))
    }
}

/// A kind pooled with the unit's own, with the nodes read in it.
pub(super) fn member(kind: usize, value: Option<NodeId>, among: Option<NodeId>) -> PoolMember {
    PoolMember {
        kind: kind as KindId,
        value,
        among,
    }
}
