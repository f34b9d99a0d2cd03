//! Lowering limits and floors: shares of the rated peers, ranked by a value. A limit lets at
//! most its share reach a tier (the first by the value; the rest fall to the tier below). A
//! floor makes at least its share end at a tier or below (the last by the value among those
//! above it are put down to it). Limits apply first, from the top tier down, each reading the
//! tiers above it as the limits left them; floors apply after every limit, from the highest
//! floor down, each reading the tiers above it as the limits and the higher floors left them.

use super::pool::member;
use super::Lowerer;
use crate::diagnostic::RatingProblem;
use crate::graph::*;
use crate::types::{Dim, Type};
use crate::value::Value;
use duibiao_syntax::ast::{self, CmpOp, Rounding, ShareBound, Ties};
use rust_decimal::Decimal;

/// The memo key of tier `name`'s verdict after its limit, before the floors below it.
fn limited_key(name: &str) -> String {
    format!("\u{1}limited:{name}")
}

/// The memo key of the floor at `level`: whether the unit is not put down by it.
fn floor_key(level: u32) -> String {
    format!("\u{1}floor:{level}")
}

/// What a limit and a floor share: the share, the value ranked, the rated peers counted
/// together over the kinds listed, the share of them rounded, and the ranking.
struct Shares {
    share: Decimal,
    by: NodeId,
    by_type: Type,
    counted: NodeId,
    rounded: NodeId,
    ranking: Rank,
}

impl<'a> Lowerer<'a> {
    /// Tier `idx`'s verdict: its verdict after its limit, and the floors below it.
    pub(super) fn tier(&mut self, kind: usize, idx: usize) -> Option<(NodeId, Type)> {
        let limited = self.tier_limited(kind, idx)?;
        let mut parts = vec![limited];
        let mut conditions = Vec::new();
        for (decl, level) in self.states[kind].floor_decls.clone() {
            if level as usize > idx {
                continue; // the floor puts units down to this tier or above it
            }
            let node = self.floor(kind, decl, level)?;
            let i = self.states[kind].floors.get(&level).copied()?;
            parts.push(node);
            conditions.push(self.rule_condition(kind, decl, node, i));
        }
        let st = &mut self.states[kind];
        let node = st.intern(Node::And(parts), Type::Bool);
        if let Some(t) = st.tiers[idx].as_mut() {
            t.node = node;
            t.conditions.extend(conditions);
        }
        Some((node, Type::Bool))
    }

    /// Tier `idx`'s verdict after its limit, before any floor: what a limit on the tier below
    /// and a floor read.
    fn tier_limited(&mut self, kind: usize, idx: usize) -> Option<NodeId> {
        let t = self.states[kind].tiers_decl[idx];
        let key = limited_key(&t.name.name);
        self.memoized(kind, &key, &t.name.name, t.name.span, |l| {
            let base = l.tier_base(kind, idx)?;
            let limit = l.states[kind].limit_decls.iter().find(|(_, t)| *t == idx);
            let Some(&(decl, _)) = limit else {
                return Some((base, Type::Bool));
            };
            let (i, node) = l.limit(kind, decl, idx, base)?;
            let condition = l.rule_condition(kind, decl, node, i);
            let st = &mut l.states[kind];
            let verdict = st.intern(Node::And(vec![base, condition.node]), Type::Bool);
            if let Some(t) = st.tiers[idx].as_mut() {
                t.node = verdict;
                t.conditions.push(condition);
            }
            Some((verdict, Type::Bool))
        })
        .map(|x| x.0)
    }

    /// The condition limit or floor `decl` (index `i` among the kind's limits) puts on a tier:
    /// node `node`.
    fn rule_condition(
        &self,
        kind: usize,
        decl: &ast::LimitDecl,
        node: NodeId,
        i: usize,
    ) -> Condition {
        let limit = &self.states[kind].limits[i];
        // A limit is labelled by its tier, a floor by its tier and those below (`无 及以下`), as
        // a guide's `or_below` is written.
        let (label, kind_of) = match decl.bound {
            ShareBound::AtMost => (decl.tier.name.clone(), ConditionKind::Limit(i)),
            ShareBound::AtLeast => (
                format!("{} 及以下", decl.tier.name),
                ConditionKind::Floor(i),
            ),
        };
        Condition {
            applies: None,
            label: Some(label),
            kind: kind_of,
            node,
            expr: limit.expr.clone(),
            inputs: Vec::new(),
            source: limit.source.clone(),
        }
    }

    /// What limit or floor `decl` of `kind` shares with the other: its share, its value, the
    /// rated peers counted over the kinds it lists, their share rounded, and the ranking of the
    /// units for which `among` (in each kind listed) holds.
    fn shares(
        &mut self,
        kind: usize,
        decl: &'a ast::LimitDecl,
        mut among: impl FnMut(&mut Self, usize) -> Option<NodeId>,
    ) -> Option<Shares> {
        let problem = match decl.bound {
            ShareBound::AtMost => RatingProblem::Share,
            ShareBound::AtLeast => RatingProblem::FloorShare,
        };
        let share = self.rating_share(&decl.share, problem)?;
        let (by, by_type) = self.ranked_value(kind, &decl.by)?;
        let peers = self.peers(kind, &decl.scope)?;
        let ids = self.kinds_of(&decl.kinds);
        let others = self.others_within(kind, &ids, &decl.scope)?;
        let own = among(self, kind)?;
        let (mut pool, mut rated_pool) = (Vec::new(), Vec::new());
        for k in others {
            let value = self.pooled_value(kind, by_type, k, &decl.by)?;
            let theirs = among(self, k)?;
            pool.push(member(k, Some(value), Some(theirs)));
            rated_pool.push((k, self.rated_node(k)));
        }
        let rated = self.rated_node(kind);
        let counted = self.rated_peers(kind, peers, rated, &rated_pool);
        let st = &mut self.states[kind];
        let count = Type::Num(Dim::Count);
        let share_node = st.intern(Node::Const(Value::Num(share)), Type::Num(Dim::Percent));
        let exact = st.intern(
            Node::Arith(Arith::Mul, share_node, counted),
            Type::Num(Dim::Number),
        );
        let rounded = match decl.rounding {
            Rounding::Down => st.intern(Node::Call(Func::Floor, vec![exact]), count),
            Rounding::Up => st.intern(Node::Call(Func::Ceil, vec![exact]), count),
            Rounding::Nearest => {
                let zero = st.intern(Node::Const(Value::Num(Decimal::ZERO)), count);
                st.intern(Node::Call(Func::Round, vec![exact, zero]), count)
            }
        };
        let ranking = Rank {
            value: by,
            ascending: decl.ascending,
            peers,
            ties: decl.ties,
            among: Some(own),
            pool,
            from_last: decl.bound == ShareBound::AtLeast,
            tied_ahead: false,
        };
        Some(Shares {
            share,
            by,
            by_type,
            counted,
            rounded,
            ranking,
        })
    }

    /// Records limit or floor `decl` of `kind` on its tier or level `tier`, its cut-off at place
    /// `places` (the places, or the units a floor puts down), and returns its index among the
    /// kind's limits with the node of the unit's place.
    fn record(
        &mut self,
        kind: usize,
        (decl, tier): (&'a ast::LimitDecl, usize),
        s: Shares,
        (places, floor): (NodeId, Option<FloorCount>),
    ) -> (usize, NodeId) {
        let st = &mut self.states[kind];
        let count = Type::Num(Dim::Count);
        let rank = st.intern(Node::Rank(s.ranking.clone()), count);
        let cutoff = st.intern(Node::Cutoff(s.ranking, places), s.by_type);
        let expr = self.text(decl.by.span);
        let source = self.rating_source(kind, &decl.ann, decl.span);
        let st = &mut self.states[kind];
        st.limits.push(Limit {
            bound: decl.bound,
            tier,
            share: s.share,
            rounding: decl.rounding,
            by: s.by,
            rank,
            peers: s.counted,
            places: s.rounded,
            cutoff,
            floor,
            expr,
            source,
        });
        (st.limits.len() - 1, rank)
    }

    /// Limit `decl` on tier `idx` of `kind`, whose base verdict is `base`: its index among the
    /// kind's limits, and the condition it puts on the tier — the unit is among the first
    /// `places` of the candidates by the value, or reaches a higher tier. The kinds the limit
    /// lists are ranked and counted together.
    fn limit(
        &mut self,
        kind: usize,
        decl: &'a ast::LimitDecl,
        idx: usize,
        base: NodeId,
    ) -> Option<(usize, NodeId)> {
        let (_, higher) = self.limit_candidate(kind, idx, base)?;
        let s = self.shares(kind, decl, |l, k| {
            // A kind without the tier is reported where its own limit is declared.
            let tiers = &l.states[k].tiers_decl;
            let i = tiers.iter().position(|t| t.name.name == decl.tier.name)?;
            let base_k = l.tier_base(k, i)?;
            l.limit_candidate(k, i, base_k).map(|c| c.0)
        })?;
        let places = s.rounded;
        let (i, rank) = self.record(kind, (decl, idx), s, (places, None));
        let st = &mut self.states[kind];
        let within = st.intern(Node::Compare(CmpOp::Le, rank, places), Type::Bool);
        let node = match higher {
            Some(h) => st.intern(Node::Or(vec![h, within]), Type::Bool),
            None => within,
        };
        Some((i, node))
    }

    /// Whether a unit of `kind` is a candidate for tier `idx`, whose base verdict is `base`: it
    /// meets the tier's other conditions and reaches no higher tier (which would take no place
    /// of this one; the higher tier as its limit left it); with the node of the tier above, if
    /// there is one.
    fn limit_candidate(
        &mut self,
        kind: usize,
        idx: usize,
        base: NodeId,
    ) -> Option<(NodeId, Option<NodeId>)> {
        let higher = match self.states[kind].tiers_decl.get(idx + 1) {
            Some(_) => Some(self.tier_limited(kind, idx + 1)?),
            None => None,
        };
        let st = &mut self.states[kind];
        let candidate = match higher {
            Some(h) => {
                let not_higher = st.intern(Node::Not(h), Type::Bool);
                st.intern(Node::And(vec![base, not_higher]), Type::Bool)
            }
            None => base,
        };
        Some((candidate, higher))
    }

    /// The condition floor `decl` of `kind` at `level` puts on each tier above it: the unit is
    /// not among the last of those above the level, by the value, that it puts down (as many as
    /// the units it demands at the level or below, less those already there). Lowered once.
    fn floor(&mut self, kind: usize, decl: &'a ast::LimitDecl, level: u32) -> Option<NodeId> {
        let key = floor_key(level);
        let span = decl.tier.span;
        let name = decl.tier.name.clone();
        self.memoized(kind, &key, &name, span, |l| {
            let s = l.shares(kind, decl, |l, k| {
                // A kind's own level of the tier (the kinds' tier lists may differ); a kind
                // without the tier is reported where its own floor is declared.
                let floors = &l.states[k].floor_decls;
                let &(_, level) = floors.iter().find(|(d, _)| std::ptr::eq(*d, decl))?;
                l.above(k, level)
            })?;
            let above = s.ranking.among?;
            let pool: Vec<PoolMember> = s
                .ranking
                .pool
                .iter()
                .map(|m| member(m.kind as usize, None, m.among))
                .collect();
            let st = &mut l.states[kind];
            let count = Type::Num(Dim::Count);
            let above_n = st.intern(Node::PeersWhere(s.ranking.peers, above, pool), count);
            let below = st.intern(Node::Arith(Arith::Sub, s.counted, above_n), count);
            let short = st.intern(Node::Arith(Arith::Sub, s.rounded, below), count);
            let zero = st.intern(Node::Const(Value::Num(Decimal::ZERO)), count);
            let moved = st.intern(Node::Call(Func::Max, vec![short, zero]), count);
            let floor = FloorCount { below, moved };
            // Kept: at least `counted - demanded` units stay above the level, and the unit is
            // among the first that many above it, counted from the top (tied units ahead of it
            // with shared ties, which go down together). The same as not being among the last
            // `moved`, but a place and a known count rather than two places that one missing
            // value moves together, so a missing value leaves the verdict open only where it
            // matters. Counted as if the unit were above the level (as a limit counts it as if
            // a candidate): a unit that is not above reaches no tier above the level whatever
            // this says, and a planner never tries to escape the floor by failing the tier.
            let keep = Rank {
                from_last: false,
                tied_ahead: decl.ties == Ties::Shared,
                ..s.ranking.clone()
            };
            let st = &mut l.states[kind];
            let kept = st.intern(Node::Arith(Arith::Sub, s.counted, s.rounded), count);
            let place = st.intern(Node::Rank(keep), count);
            let node = st.intern(Node::Compare(CmpOp::Le, place, kept), Type::Bool);
            let (i, _) = l.record(kind, (decl, level as usize), s, (moved, Some(floor)));
            let st = &mut l.states[kind];
            st.floors.insert(level, i);
            Some((node, Type::Bool))
        })
        .map(|x| x.0)
    }

    /// Whether a unit of `kind` ends above `level` before the floor at that level and those
    /// below it: it reaches a tier above the level as the limits and the higher floors left it.
    fn above(&mut self, kind: usize, level: u32) -> Option<NodeId> {
        let tiers = self.states[kind].tiers_decl.len();
        let mut reached = Vec::new();
        for idx in level as usize..tiers {
            let mut parts = vec![self.tier_limited(kind, idx)?];
            for (decl, l) in self.states[kind].floor_decls.clone() {
                if l > level && (l as usize) <= idx {
                    parts.push(self.floor(kind, decl, l)?);
                }
            }
            reached.push(self.states[kind].intern(Node::And(parts), Type::Bool));
        }
        Some(self.states[kind].intern(Node::Or(reached), Type::Bool))
    }
}
