//! Expressions and their pieces: quantities and literals, operators, aggregates over sub-units
//! and ranks among peers.

use super::{DateLit, Ident, Span};
use rust_decimal::Decimal;
use serde::Serialize;

/// The unit written after a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum UnitSuffix {
    /// No unit.
    None,
    /// `%`.
    Percent,
    /// `平方米`, `m2`, `m²`, `㎡`.
    SquareMetre,
    /// `元`.
    Yuan,
    /// `万元` (× 10 000 元).
    WanYuan,
    /// `学时`, `小时`.
    Hours,
    /// `分`.
    Points,
    /// `天`.
    Days,
    /// `年`: calendar years (× 12 calendar months).
    Years,
    /// `个月`: calendar months.
    Months,
    /// A counter word: `个`, `名`, `人`, `次`, `户`, `家`, `条`, `场`, `项`.
    Count,
}

/// A number with the unit it was written with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    /// The number as written (before scaling by the unit: `15万元` has 15).
    pub number: Decimal,
    /// The unit.
    pub unit: UnitSuffix,
    /// Where it was written.
    pub span: Span,
}

/// A literal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Literal {
    /// `true` / `是`, `false` / `否`.
    Bool(bool, Span),
    /// A date.
    Date(DateLit),
    /// A number with a unit.
    Quantity(Quantity),
}

impl Literal {
    /// Where it was written.
    pub fn span(&self) -> Span {
        match self {
            Literal::Bool(_, s) => *s,
            Literal::Date(d) => d.span,
            Literal::Quantity(q) => q.span,
        }
    }
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum BinOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`, `×`.
    Mul,
    /// `/`, `÷`.
    Div,
}

/// Comparison operators (Chinese words map onto these following 民法典 第1259条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CmpOp {
    /// `>=`, `≥`, `不少于`, `不低于`, `至少` …
    Ge,
    /// `>`, `超过`, `高于` …
    Gt,
    /// `<=`, `≤`, `不超过`, `至多` …
    Le,
    /// `<`, `低于`, `不满` …
    Lt,
    /// `==`, `=`, `等于`.
    Eq,
    /// `!=`, `≠`, `不等于`.
    Ne,
}

impl CmpOp {
    /// The same comparison with its sides swapped (`a >= b` is `b <= a`).
    pub fn flipped(self) -> CmpOp {
        match self {
            CmpOp::Ge => CmpOp::Le,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Lt => CmpOp::Gt,
            other => other,
        }
    }

    /// The opposite comparison (`not (a >= b)` is `a < b`).
    pub fn negated(self) -> CmpOp {
        match self {
            CmpOp::Ge => CmpOp::Lt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
        }
    }

    /// The operator in ASCII form.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Ge => ">=",
            CmpOp::Gt => ">",
            CmpOp::Le => "<=",
            CmpOp::Lt => "<",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }
}

/// Aggregate operators over sub-units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum AggOp {
    /// `all` / `所有`: every sub-unit matches (true when there are none).
    All,
    /// `any` / `任一`: at least one matches.
    Any,
    /// `count` / `数量`: how many match.
    Count,
    /// `share` / `比例`: the percentage that match (unknown when there are none, unless `ifnone`).
    Share,
    /// `sum` / `合计`: the sum of a value over the matching sub-units.
    Sum,
}

/// An aggregate over sub-units: `share 小区 at 示范型`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    /// The operator.
    pub op: AggOp,
    /// Only direct children (`direct`), rather than all descendants of the kinds.
    pub direct: bool,
    /// The sub-unit kinds aggregated over.
    pub kinds: Vec<Ident>,
    /// `at TIER`: sub-units that reached this tier.
    pub at: Option<Ident>,
    /// `where (…)`: sub-units meeting a condition.
    pub filter: Option<Box<Expr>>,
    /// `of (…)`: the value summed by `sum`.
    pub of: Option<Box<Expr>>,
    /// `ifnone LITERAL`: the value when there are no sub-units.
    pub if_none: Option<Literal>,
}

/// An expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The forms of expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    /// A literal.
    Literal(Literal),
    /// A name: fact, derived value, parameter, requirement, group, tier or enum value.
    Name(Ident),
    /// `score` (the total) or `score 6` / `score 6.1` (an item or part).
    Score(Option<(String, Span)>),
    /// A function call: `min`, `max`, `ceil`, `floor`, `round`, `abs` and their Chinese names.
    Call(Ident, Vec<Expr>),
    /// `-x`.
    Neg(Box<Expr>),
    /// `a + b` and the like.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a >= b` and the like.
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    /// `a and b and …`.
    And(Vec<Expr>),
    /// `a or b or …`.
    Or(Vec<Expr>),
    /// `not a`.
    Not(Box<Expr>),
    /// `if c then a else b`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// An aggregate over sub-units.
    Aggregate(Aggregate),
    /// `as_of` / `评价日期`: the evaluation date.
    AsOf,
    /// `rank (…) among …`: the unit's position among its peers.
    Rank(Rank),
    /// `peers among …`: how many peers the unit has, itself included.
    Peers(PeerCount),
}

/// `peers among 街镇 [of 社区党支部、其他党支部] [where (…)]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerCount {
    /// The peers.
    pub scope: Scope,
    /// `of KINDS`: the kinds counted together (empty: the unit's own kind).
    pub pool: Vec<Ident>,
    /// `where (…)`: only the peers meeting it are counted.
    pub filter: Option<Box<Expr>>,
}

/// Which units are a unit's peers for ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Scope {
    /// Units of the same kind with the same parent (`siblings` / `同级`).
    Siblings,
    /// All units of the same kind in the forest (`all` / `所有`).
    All,
    /// Units of the same kind under the same nearest ancestor of this kind.
    Within(Ident),
}

/// How equal values are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Ties {
    /// Equal values share the best position among them (1, 2, 2, 4).
    Shared,
    /// Equal values are ordered by unit id.
    ById,
}

/// A rank among peers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rank {
    /// The value ranked.
    pub value: Box<Expr>,
    /// Lowest first instead of highest first.
    pub ascending: bool,
    /// The peers.
    pub scope: Scope,
    /// `of KINDS`: the kinds ranked together in one list (empty: the unit's own kind).
    pub pool: Vec<Ident>,
    /// `where (…)`: only the peers meeting it are ranked (the unit's place is counted as if it
    /// met it too).
    pub filter: Option<Box<Expr>>,
    /// How ties are ranked.
    pub ties: Ties,
}
