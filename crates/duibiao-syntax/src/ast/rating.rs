//! The declarations of ratings: a score computed by a formula, units assessed but not rated,
//! caps on the tier a unit may reach, and limits on the share of units that reach a tier (at
//! most, `limit`) or end at it or below (at least, `floor`).

use super::{Annotation, Expr, Ident, Quantity, Scope, Span, Ties};
use serde::Serialize;

/// `score 支部 = 考评 * 70% + 民主评议 * 30%`: the unit's score, computed by a formula.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreDecl {
    /// The kinds scored by this formula.
    pub kinds: Vec<Ident>,
    /// The formula.
    pub expr: Expr,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// `unrated 支部 新成立: 条件`: units for which the condition holds are assessed but not rated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnratedDecl {
    /// The kinds it applies to.
    pub kinds: Vec<Ident>,
    /// Its name.
    pub name: Ident,
    /// When a unit is not rated.
    pub expr: Expr,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// Whether a cap's condition says when it applies or when it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapMode {
    /// `when …` (`仅当`): the cap applies only when the condition holds.
    When,
    /// `unless …` (`除非`): the cap applies unless the condition holds.
    Unless,
}

/// `cap 支部 逐级晋升: 上年星级 + 1 unless 破格`: the highest tier a unit may reach.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapDecl {
    /// The kinds it applies to.
    pub kinds: Vec<Ident>,
    /// Its name.
    pub name: Ident,
    /// The highest tier, a value of the kind's tier scale.
    pub expr: Expr,
    /// When it applies (`when`) or does not (`unless`).
    pub condition: Option<(CapMode, Expr)>,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// How a limit's share of the peers is made a whole number of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Down (`down` / `向下`): 30% of 7 is 2.
    Down,
    /// Up (`up` / `向上`): 30% of 7 is 3.
    Up,
    /// To the nearest, halves up (`nearest` / `四舍五入`): 30% of 5 is 2 (1.5 → 2).
    Nearest,
}

/// Which way a share of the peers bounds a tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareBound {
    /// `limit` (`限额`): at most the share reach the tier; the rest fall to the tier below.
    AtMost,
    /// `floor` (`比例下限`): at least the share end at the tier or below; the last by the value are
    /// put down to it.
    AtLeast,
}

/// `limit 支部 五星: 30% among all by (score) ties by_id round down`: at most that share of the
/// rated peers reach the tier, the first by the value; the rest fall to the tier below. Or
/// `floor 支部 无: 10% among all by (score) ties by_id round up`: at least that share end at the
/// tier or below, the last by the value put down to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LimitDecl {
    /// A limit (at most) or a floor (at least).
    pub bound: ShareBound,
    /// The kinds it applies to.
    pub kinds: Vec<Ident>,
    /// The tier limited; for a floor, the tier units are put down to (`无`, no tier, allowed).
    pub tier: Ident,
    /// The share of the rated peers that may reach it (a floor: that must end at it or below).
    pub share: Quantity,
    /// Who the peers are.
    pub scope: Scope,
    /// The value units are ordered by.
    pub by: Expr,
    /// Lower values first (by default higher values are).
    pub ascending: bool,
    /// How equal values are ordered.
    pub ties: Ties,
    /// How the share is made a whole number of units.
    pub rounding: Rounding,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}
