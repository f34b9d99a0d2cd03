//! The rating rules of a kind in the evaluation graph: a score computed by a formula, units
//! assessed but not rated, caps on the tier a unit may reach, and limits on how many units reach
//! a tier (or floors on how many end at a tier or below).

use crate::graph::{NodeId, Source};
use duibiao_syntax::ast::{Rounding, ShareBound};
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
/// among all by (score) ties by_id round down`); the others fall to the tier below. Or, a floor:
/// at least a share of them end at a tier or below (`floor 支部 无: 10% among all by (score) ties
/// by_id round up`), the last by the value among those above it put down to it.
#[derive(Debug, Clone, Serialize)]
pub struct Limit {
    /// A limit (at most) or a floor (at least).
    pub bound: ShareBound,
    /// A limit's tier (index into the kind's tiers); a floor's level (0: no tier, `i + 1`: the
    /// kind's tier `i`).
    pub tier: usize,
    /// The share of the rated peers that may reach it (30% is 0.3); a floor's, that must end at
    /// its level or below.
    pub share: Decimal,
    /// How the share of the peers is made a whole number.
    pub rounding: Rounding,
    /// The node of the value units are ordered by.
    pub by: NodeId,
    /// The node of the unit's place among the candidates (1 = first; a floor's: 1 = last, among
    /// the units above its level).
    pub rank: NodeId,
    /// The node of the number of rated peers.
    pub peers: NodeId,
    /// The node of the number of places: the share of the rated peers, rounded (a floor's: the
    /// units it demands at its level or below).
    pub places: NodeId,
    /// The node of the cut-off: the value of the last candidate within the places (a floor's:
    /// of the last unit it puts down); unknown when there are no places, or fewer candidates.
    pub cutoff: NodeId,
    /// A floor's counts; `None` for a limit.
    pub floor: Option<FloorCount>,
    /// The value's expression as written.
    pub expr: String,
    /// Description and citation.
    pub source: Source,
}

/// What a floor counts besides a limit's numbers: the units already at its level or below, and
/// how many more it puts down.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FloorCount {
    /// The node of how many rated peers end at the floor's level or below without it.
    pub below: NodeId,
    /// The node of how many the floor puts down: the units it demands less those already at its
    /// level or below, none when they are enough.
    pub moved: NodeId,
}
