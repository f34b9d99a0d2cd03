//! The rating rules of a kind in the evaluation graph: a score computed by a formula, units
//! assessed but not rated, caps on the tier a unit may reach, and limits on how many units reach
//! a tier.

use crate::graph::{NodeId, Source};
use duibiao_syntax::ast::Rounding;
use rust_decimal::Decimal;
use serde::Serialize;

/// The unit's score computed by a formula (`score 支部 = …`) instead of the sum of its card.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreRule {
    /// The formula's node.
    pub node: NodeId,
    /// The formula as written.
    pub expr: String,
    /// Description and citation.
    pub source: Source,
}

/// A reason a unit is assessed but not rated (`unrated 支部 新成立: …`).
#[derive(Debug, Clone, Serialize)]
pub struct Unrated {
    /// Its name.
    pub name: String,
    /// The node: true when the unit is not rated.
    pub node: NodeId,
    /// The condition as written.
    pub expr: String,
    /// Description and citation.
    pub source: Source,
}

/// The highest tier a unit may reach (`cap 支部 逐级晋升: 上年星级 + 1 unless 破格`).
#[derive(Debug, Clone, Serialize)]
pub struct Cap {
    /// Its name.
    pub name: String,
    /// The node of the highest level allowed, a level of the kind's tier scale.
    pub level: NodeId,
    /// The node telling whether the cap applies (after `when`/`unless`); `None`: always.
    pub applies: Option<NodeId>,
    /// The level expression as written.
    pub expr: String,
    /// The `when …` or `unless …` part as written, if any.
    pub condition: Option<String>,
    /// Description and citation.
    pub source: Source,
}

/// At most a share of the rated peers reach a tier, the first by a value (`limit 支部 五星: 30%
/// among all by (score) ties by_id round down`); the others fall to the tier below.
#[derive(Debug, Clone, Serialize)]
pub struct Limit {
    /// The tier limited (index into the kind's tiers).
    pub tier: usize,
    /// The share of the rated peers that may reach it (30% is 0.3).
    pub share: Decimal,
    /// How the share of the peers is made a whole number.
    pub rounding: Rounding,
    /// The node of the value units are ordered by.
    pub by: NodeId,
    /// The node of the unit's place among the candidates (1 = first).
    pub rank: NodeId,
    /// The node of the number of rated peers.
    pub peers: NodeId,
    /// The node of the number of places: the share of the rated peers, rounded.
    pub places: NodeId,
    /// The node of the cut-off: the value of the last candidate within the places (unknown when
    /// there are no places, or fewer candidates than places).
    pub cutoff: NodeId,
    /// The value's expression as written.
    pub expr: String,
    /// Description and citation.
    pub source: Source,
}
