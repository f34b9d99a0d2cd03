//! Where a unit stands in a limit's or a floor's list: its place, the places and the peers
//! counted, and when peers' data is missing (`排第 1 至 3 名`), the places it can still take and
//! the peers whose missing data leaves its place open. Read from an evaluation, the same way the
//! evaluation bounds the rank (see `eval/peers.rs`).

use super::bounds::value_span;
use super::{show, Bounds, FloorDetail, LimitDetail};
use crate::eval::{place_range, Evaluation, Peer};
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Graph, KindGraph, Limit, Node, NodeId, Peers, Rank};
use duibiao_compiler::{Dim, Lang, Type, Value, NO_TIER};
use duibiao_syntax::ast::Rounding;
use std::borrow::Cow;

/// The numbers behind limit (or floor) `l` of kind `kg` for unit `u`.
pub(super) fn detail(
    graph: &Graph,
    (tree, eval): (&UnitTree, &Evaluation),
    (u, kg): (usize, &KindGraph),
    l: &Limit,
) -> LimitDetail {
    let vals = eval.unit(tree, u);
    let val = |n: NodeId| vals.get(n);
    let count = |n: NodeId| show(graph, val(n), Type::Num(Dim::Count), Lang::En);
    let by_type = kg.types.get(l.by as usize).copied().unwrap_or(Type::Bool);
    let (rank_range, open) = open_place(graph, (tree, eval), (u, kg), l.rank)
        .map_or((None, Vec::new()), |(b, o)| (Some(b), o));
    LimitDetail {
        value: show(graph, val(l.by), by_type, Lang::En),
        rank: count(l.rank),
        rank_range,
        open,
        places: count(l.places),
        peers: count(l.peers),
        product: val(l.peers)
            .as_num()
            .and_then(|p| p.checked_mul(l.share))
            .map(|x| x.normalize().to_string()),
        share: format!("{}%", duibiao_compiler::value::percent_text(l.share, None)),
        cutoff: show(graph, val(l.cutoff), by_type, Lang::En),
        rounding: Cow::Borrowed(match l.rounding {
            Rounding::Down => "down",
            Rounding::Up => "up",
            Rounding::Nearest => "nearest",
        }),
        floor: l.floor.map(|f| FloorDetail {
            level: match l.tier.checked_sub(1) {
                Some(i) => kg.tiers.get(i).map_or_else(String::new, |t| t.name.clone()),
                None => NO_TIER.to_string(),
            },
            below: count(f.below),
            moved: count(f.moved),
        }),
    }
}

/// The places unit `u` can still take by rank node `rank` of its kind `kg`, and the ids of the
/// peers whose missing data leaves the place open; `None` when its place is known.
pub(super) fn open_place(
    graph: &Graph,
    (tree, eval): (&UnitTree, &Evaluation),
    (u, kg): (usize, &KindGraph),
    rank: NodeId,
) -> Option<(Bounds, Vec<String>)> {
    let Some(Node::Rank(r)) = kg.nodes.get(rank as usize) else {
        return None;
    };
    let own = eval.unit(tree, u);
    if !own.get(rank).is_unknown() {
        return None;
    }
    let peers: Vec<Peer> = group(tree, r, u)
        .into_iter()
        .map(|m| peer(graph, (tree, eval), r, (u, m)))
        .collect();
    let mine = own.get(r.value);
    let mine_span = value_span(graph, (tree, eval), u, r.value);
    let (span, open) = place_range(r, tree, (u, mine, mine_span), &peers);
    let count = Type::Num(Dim::Count);
    let shown = |v| show(graph, Value::Num(v), count, Lang::En);
    let bounds = Bounds {
        least: shown(span.lo)?,
        most: shown(span.hi)?,
    };
    let ids = open.iter().map(|&m| tree.units[m].id.to_string()).collect();
    Some((bounds, ids))
}

/// Unit `u`'s peers for rank `r`, itself included: the units of its kind and of the kinds the
/// rank pools with it, under the same scope.
fn group(tree: &UnitTree, r: &Rank, u: usize) -> Vec<usize> {
    let kind = tree.units[u].kind;
    let counts = |m: usize| {
        let k = tree.units[m].kind;
        k == kind || r.pool.iter().any(|p| p.kind == k)
    };
    let key = tree.peer_key(u, r.peers);
    let mut out = Vec::new();
    let mut visit = |m: usize| {
        if counts(m) && tree.peer_key(m, r.peers) == key {
            out.push(m);
        }
    };
    match (r.peers, key) {
        (Peers::Siblings, Some(p)) => tree.units[p].children().for_each(&mut visit),
        (Peers::Within(_), Some(a)) => tree.for_each_descendant(a, visit),
        _ => (0..tree.units.len()).for_each(visit),
    }
    out
}

/// Peer `m` of unit `u` as rank `r` sees it: its value (with its range when unknown) and
/// whether it is ranked, read through the nodes of its own kind.
fn peer(
    graph: &Graph,
    (tree, eval): (&UnitTree, &Evaluation),
    r: &Rank,
    (u, m): (usize, usize),
) -> Peer {
    let vals = eval.unit(tree, m);
    let (value, among) = if tree.units[m].kind == tree.units[u].kind {
        (Some(r.value), r.among)
    } else {
        let member = r.pool.iter().find(|p| p.kind == tree.units[m].kind);
        (member.and_then(|p| p.value), member.and_then(|p| p.among))
    };
    Peer {
        unit: m,
        value: value.map_or(Value::Unknown, |n| vals.get(n)),
        ranked: among.map_or(Value::Bool(true), |n| vals.get(n)),
        span: value.and_then(|n| value_span(graph, (tree, eval), m, n)),
    }
}
