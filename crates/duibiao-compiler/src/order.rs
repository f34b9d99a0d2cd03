//! The canonical order of each kind's nodes: the unit's inputs first, by slot; then the values
//! the same for every unit (constants, parameters, the date); then the nodes computed from them,
//! pass by pass, each pass in the order lowering made them. Every node still reads only nodes
//! before it. An evaluator can then take a unit's inputs as one slice and put away what a pass
//! computed as one slice.

use crate::graph::{Graph, KindGraph, Node, NodeId, TargetScope};

/// Puts the nodes of every kind of `graph`, and of its whole-forest graph, in canonical order,
/// renumbering every reference to them.
pub(crate) fn canonical(graph: &mut Graph) {
    let kinds = graph.kinds.len();
    // Per kind graph (the kinds, then the whole forest's): each old node's new number.
    let renumber: Vec<Vec<NodeId>> = graph
        .kinds
        .iter()
        .chain([&graph.overall])
        .map(new_numbers)
        .collect();
    let at = |kind: usize, n: NodeId| {
        renumber
            .get(kind)
            .and_then(|r| r.get(n as usize))
            .copied()
            .unwrap_or(n)
    };
    for (k, kg) in graph
        .kinds
        .iter_mut()
        .chain([&mut graph.overall])
        .enumerate()
    {
        let own = |n: NodeId| at(k, n);
        let mut nodes: Vec<(NodeId, Node, crate::types::Type)> = kg
            .nodes
            .drain(..)
            .zip(kg.types.drain(..))
            .enumerate()
            .map(|(old, (mut node, ty))| {
                node.map_operands(own);
                let pool = match &mut node {
                    Node::Aggregate(agg) => {
                        for t in &mut agg.targets {
                            let sub = |n: NodeId| at(t.kind as usize, n);
                            t.filter = t.filter.map(sub);
                            t.value = t.value.map(sub);
                        }
                        None
                    }
                    Node::Rank(r) | Node::Cutoff(r, _) => Some(&mut r.pool),
                    Node::Peers(_, pool) | Node::PeersWhere(_, _, pool) => Some(pool),
                    _ => None,
                };
                for m in pool.into_iter().flatten() {
                    let theirs = |n: NodeId| at(m.kind as usize, n);
                    m.value = m.value.map(theirs);
                    m.among = m.among.map(theirs);
                }
                (own(old as NodeId), node, ty)
            })
            .collect();
        nodes.sort_by_key(|(new, _, _)| *new);
        (kg.nodes, kg.types) = nodes.into_iter().map(|(_, n, t)| (n, t)).unzip();
        renumber_references(kg, own);
    }
    for target in &mut graph.targets {
        match &mut target.scope {
            TargetScope::Overall(n) => *n = at(kinds, *n),
            TargetScope::Kinds(list) => {
                for (k, n) in list {
                    *n = at(*k as usize, *n);
                }
            }
        }
    }
}

/// The new number of each of `kind`'s nodes.
fn new_numbers(kind: &KindGraph) -> Vec<NodeId> {
    let pass: Vec<usize> = {
        let mut p = vec![0; kind.nodes.len()];
        for (s, nodes) in kind.strata.iter().enumerate() {
            for &n in nodes {
                if let Some(slot) = p.get_mut(n as usize) {
                    *slot = s;
                }
            }
        }
        p
    };
    let rank = |(old, node): (usize, &Node)| match node {
        Node::Input(slot) => (0, 0, *slot, old),
        Node::Const(_) | Node::Param(_) | Node::AsOf => (1, 0, 0, old),
        _ => (2, pass[old], 0, old),
    };
    let mut order: Vec<(usize, usize, usize, usize)> =
        kind.nodes.iter().enumerate().map(rank).collect();
    order.sort_unstable();
    let mut new = vec![0; kind.nodes.len()];
    for (i, &(_, _, _, old)) in order.iter().enumerate() {
        new[old] = i as NodeId;
    }
    new
}

/// Renumbers every reference to `kind`'s own nodes outside the nodes themselves.
fn renumber_references(kind: &mut KindGraph, own: impl Fn(NodeId) -> NodeId) {
    for stratum in &mut kind.strata {
        for n in stratum.iter_mut() {
            *n = own(*n);
        }
        stratum.sort_unstable();
    }
    if let Some(card) = &mut kind.scorecard {
        card.node = own(card.node);
        for item in &mut card.items {
            item.node = own(item.node);
        }
    }
    for d in &mut kind.derived {
        d.node = own(d.node);
    }
    if let Some(s) = &mut kind.score {
        s.node = own(s.node);
    }
    for u in &mut kind.unrated {
        u.node = own(u.node);
    }
    for c in &mut kind.caps {
        c.level = own(c.level);
        c.applies = c.applies.map(&own);
    }
    for l in &mut kind.limits {
        l.by = own(l.by);
        l.rank = own(l.rank);
        l.peers = own(l.peers);
        l.places = own(l.places);
        l.cutoff = own(l.cutoff);
        if let Some(f) = &mut l.floor {
            f.below = own(f.below);
            f.moved = own(f.moved);
        }
    }
    let conditions = kind
        .groups
        .iter_mut()
        .flat_map(|g| g.requirements.iter_mut())
        .chain(kind.tiers.iter_mut().flat_map(|t| t.conditions.iter_mut()));
    for c in conditions {
        c.node = own(c.node);
        c.applies = c.applies.map(&own);
    }
    for g in &mut kind.groups {
        g.node = own(g.node);
    }
    for t in &mut kind.tiers {
        t.node = own(t.node);
    }
    for v in &mut kind.vetoes {
        v.node = own(v.node);
    }
    for c in &mut kind.consequences {
        c.when = own(c.when);
        c.amount = own(c.amount);
    }
}
