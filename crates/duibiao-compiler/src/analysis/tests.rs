//! Evaluation passes: a rank comes one pass after the values it ranks, in its own kind and in
//! every kind pooled with it, settled again until no pass moves.

use super::strata;
use crate::graph::{Node, NodeId, Peers, PoolMember, Rank};
use crate::Value;
use duibiao_syntax::ast::Ties;

/// A rank of `value` in its own kind, pooled with `pool` (kind, value ranked).
fn rank(value: NodeId, pool: &[(u32, NodeId)]) -> Node {
    Node::Rank(Rank {
        value,
        ascending: false,
        peers: Peers::All,
        ties: Ties::Shared,
        among: None,
        pool: pool
            .iter()
            .map(|&(kind, value)| PoolMember {
                kind,
                value: Some(value),
                among: None,
            })
            .collect(),
        from_last: false,
        tied_ahead: false,
    })
}

/// A rank pooled with a kind settled later in the same round, whose value it ranks comes a pass
/// after that kind's own rank: the first kind's rank moves again in the next round, to the pass
/// after that value (two passes after the values ranked), and nothing else moves.
#[test]
fn a_pooled_rank_moves_with_the_values_of_a_kind_settled_after_it() {
    let first = [Node::Const(Value::Num(1.into())), rank(0, &[(1, 2)])];
    let second = [
        Node::Const(Value::Num(2.into())),
        rank(0, &[]),
        Node::Sum(vec![1]),
    ];
    let passes = strata(&[&first, &second], &[0, 1]);
    assert_eq!(passes[0], [vec![0], vec![], vec![1]]);
    assert_eq!(passes[1], [vec![0], vec![1, 2]]);
    // Settled in the other order, one round is enough: the same passes.
    assert_eq!(strata(&[&first, &second], &[1, 0]), passes);
}

/// A rank reads its peers' values from the pass before, and so does whatever reads it; a kind
/// without ranks is evaluated in one pass.
#[test]
fn a_rank_and_what_reads_it_come_a_pass_after_the_values() {
    let nodes = [
        Node::Const(Value::Num(1.into())),
        rank(0, &[]),
        Node::Sum(vec![0, 1]),
        Node::Sum(vec![0]),
    ];
    assert_eq!(strata(&[&nodes], &[0]), [[vec![0, 3], vec![1, 2]]]);
    let plain = [Node::Const(Value::Bool(true)), Node::Sum(vec![0])];
    assert_eq!(strata(&[&plain], &[0]), [[vec![0, 1]]]);
    assert_eq!(strata(&[&[]], &[0]), [Vec::<Vec<NodeId>>::new()]);
}
