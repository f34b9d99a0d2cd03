//! The nodes of the evaluation graph: what each computes and which nodes it reads.

use super::{KindId, NodeId};
use crate::value::Value;
use duibiao_syntax::ast::{AggOp, CmpOp};
use serde::Serialize;

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Arith {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `+` of a date and calendar months (`成立日期 + 1年`): the same day so many months later,
    /// or the month's last day when it has no such day (2024-02-29 + 1年 is 2025-02-28).
    AddMonths,
    /// `-` of calendar months from a date (`截止日期 - 6个月`), stepping back the same way.
    SubMonths,
}

/// Built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Func {
    /// Smallest argument.
    Min,
    /// Largest argument.
    Max,
    /// Round up to a whole number.
    Ceil,
    /// Round down to a whole number.
    Floor,
    /// Round half away from zero to `n` decimal places.
    Round,
    /// Absolute value.
    Abs,
}

/// One sub-unit kind an aggregate ranges over, with the nodes it reads in that kind's graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct AggTarget {
    /// The sub-unit kind.
    pub kind: KindId,
    /// The boolean node a sub-unit must satisfy to match (tier verdict and/or `where`), if any.
    pub filter: Option<NodeId>,
    /// The node summed by `sum`.
    pub value: Option<NodeId>,
}

/// An aggregate over sub-units.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Aggregate {
    /// The operator.
    pub op: AggOp,
    /// Direct children only, rather than all descendants of the kinds.
    pub direct: bool,
    /// The kinds ranged over.
    pub targets: Vec<AggTarget>,
    /// The value when there are no sub-units of these kinds (`ifnone`).
    pub if_none: Option<Value>,
}

/// A node of the evaluation graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    /// The unit's input in this slot.
    Input(usize),
    /// A constant.
    Const(Value),
    /// A parameter's value.
    Param(usize),
    /// Negation.
    Neg(NodeId),
    /// Arithmetic.
    Arith(Arith, NodeId, NodeId),
    /// Comparison.
    Compare(CmpOp, NodeId, NodeId),
    /// Conjunction (Kleene: false wins over unknown).
    And(Vec<NodeId>),
    /// Disjunction (Kleene: true wins over unknown).
    Or(Vec<NodeId>),
    /// Negation of a truth value.
    Not(NodeId),
    /// Conditional value.
    If(NodeId, NodeId, NodeId),
    /// A built-in function.
    Call(Func, Vec<NodeId>),
    /// Sum of points (unknown if any is unknown).
    Sum(Vec<NodeId>),
    /// An aggregate over sub-units.
    Aggregate(Aggregate),
    /// The evaluation date.
    AsOf,
    /// A quota table's value for the unit.
    Quota(usize),
    /// The unit's position among its peers by a value.
    Rank(Rank),
    /// How many peers the unit has, itself included (of its own kind, and of the kinds pooled
    /// with it).
    Peers(Peers, Vec<PoolMember>),
    /// How many peers (itself included) for which a condition holds: the node in the unit's own
    /// kind, and `among` in each kind pooled with it.
    PeersWhere(Peers, NodeId, Vec<PoolMember>),
    /// The value of the peer ranked at the place the second node gives (1 = first) among those
    /// the rank ranks: a limit's cut-off, the value of the last unit within its places.
    Cutoff(Rank, NodeId),
    /// A level of an ordered enumeration moved by a number of levels, kept between the lowest
    /// (0) and the highest (the `u32`).
    Shift(NodeId, NodeId, u32),
    /// In a record's filter, a fact of the record's owner (its parent): the input slot of that
    /// fact in each owner kind.
    OwnerInput(Vec<(KindId, u32)>),
}

/// Which units are peers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Peers {
    /// Same kind, same parent.
    Siblings,
    /// Same kind, anywhere in the forest.
    All,
    /// Same kind, same nearest ancestor of this kind.
    Within(KindId),
}

/// A kind whose units are peers of the unit's own kind too (`among 街镇 的 社区党支部、其他党支部`,
/// or a limit listing several kinds), with the nodes a rank or count reads in that kind's graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PoolMember {
    /// The kind.
    pub kind: KindId,
    /// The node of the value ranked (none for a count).
    pub value: Option<NodeId>,
    /// The node of the condition a peer of this kind must meet to be ranked or counted; `None`:
    /// every peer of the kind is.
    pub among: Option<NodeId>,
}

/// A rank among peers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Rank {
    /// The node of the value ranked.
    pub value: NodeId,
    /// Lowest first.
    pub ascending: bool,
    /// The peers.
    pub peers: Peers,
    /// How ties are ranked.
    pub ties: duibiao_syntax::ast::Ties,
    /// Only the peers for which this condition holds are ranked (the unit's place is counted
    /// among them as if it held for the unit too); `None`: every peer.
    pub among: Option<NodeId>,
    /// The other kinds ranked together with the unit's own, in the same list; empty: the unit's
    /// kind alone.
    pub pool: Vec<PoolMember>,
    /// Counted from the last (a floor's list): the order reversed, equal values by id included,
    /// so that place 1 is the unit a rank in the usual order puts last.
    pub from_last: bool,
    /// With shared ties, equal values count as ahead of the unit (its worst place among them):
    /// the place a floor keeps a unit by, which puts tied units down together.
    pub tied_ahead: bool,
}

/// Calls `$f` with the place of every node of the same kind `$node` reads (not nodes of
/// sub-unit kinds): `&NodeId` for a `&Node`, `&mut NodeId` for a `&mut Node`. The one list of
/// which nodes read which, for reading and for renumbering.
macro_rules! with_operands {
    ($node:expr, $f:expr) => {{
        let mut f = $f;
        match $node {
            Node::Input(_)
            | Node::Const(_)
            | Node::Param(_)
            | Node::Aggregate(_)
            | Node::AsOf
            | Node::Quota(_)
            | Node::OwnerInput(_)
            | Node::Peers(..) => {}
            Node::Rank(Rank { value, among, .. }) => {
                f(value);
                if let Some(a) = among {
                    f(a);
                }
            }
            Node::Neg(a) | Node::Not(a) => f(a),
            Node::PeersWhere(_, a, _) => f(a),
            Node::Cutoff(Rank { value, among, .. }, place) => {
                f(value);
                if let Some(a) = among {
                    f(a);
                }
                f(place);
            }
            Node::Arith(_, a, b) | Node::Compare(_, a, b) | Node::Shift(a, b, _) => {
                f(a);
                f(b);
            }
            Node::If(c, a, b) => {
                f(c);
                f(a);
                f(b);
            }
            Node::And(xs) | Node::Or(xs) | Node::Call(_, xs) | Node::Sum(xs) => {
                for x in xs {
                    f(x);
                }
            }
        }
    }};
}

impl Node {
    /// Replaces every node of the same kind this node reads (not nodes of sub-unit kinds) by
    /// `f` of it.
    pub fn map_operands(&mut self, mut f: impl FnMut(NodeId) -> NodeId) {
        with_operands!(self, |x: &mut NodeId| *x = f(*x))
    }

    /// Calls `f` with every node of the same kind this node reads (not nodes of sub-unit kinds).
    pub fn for_each_operand(&self, mut f: impl FnMut(NodeId)) {
        with_operands!(self, |x: &NodeId| f(*x))
    }
}
