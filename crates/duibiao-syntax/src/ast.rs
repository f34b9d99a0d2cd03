//! The typed syntax tree. Every node keeps the byte span of the text it came from, so that the
//! compiler can point a policy writer at the exact clause of the `.std` file.

use rust_decimal::Decimal;
use serde::Serialize;

/// A byte range `start..end` in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    /// The name (may be Chinese).
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A string as written (quotes removed), with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// The text without its quotes.
    pub value: String,
    /// Where it was written, quotes included.
    pub span: Span,
}

/// A clause citation: `cite "附件2 第6项" text "…"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// Where in the document the rule comes from, e.g. `附件2 第6项`.
    pub clause: Text,
    /// The clause's own words, when given.
    pub text: Option<Text>,
}

/// What every rule may carry besides its logic: a description (usually the document's own
/// words) and a citation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Annotation {
    /// The description string written after the rule.
    pub doc: Option<Text>,
    /// The `cite` clause.
    pub cite: Option<Citation>,
}

/// A whole `.std` file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct File {
    /// The `standard` header.
    pub header: Header,
    /// The declarations, in source order.
    pub decls: Vec<Decl>,
}

/// The document header: slug, title, issuer, document number, effective period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// The standard's identifier, as facts files name it (`haiyan-2021`).
    pub slug: Ident,
    /// `title`.
    pub title: Option<Text>,
    /// `issuer`.
    pub issuer: Option<Text>,
    /// `number`: the document number (文号).
    pub number: Option<Text>,
    /// `source`: where the text was taken from.
    pub source: Option<Text>,
    /// `effective FROM .. TO`.
    pub effective: Option<(DateLit, DateLit)>,
    /// The header's span.
    pub span: Span,
}

/// A date as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateLit {
    /// The calendar date.
    pub date: chrono::NaiveDate,
    /// Where it was written.
    pub span: Span,
}

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Decl {
    /// `kind 街道 contains 社区`.
    Kind(KindDecl),
    /// `facts 社区 { … }`.
    Facts(FactsDecl),
    /// `param 名称: int = 1`.
    Param(ParamDecl),
    /// `derive 社区 { 名称 = 表达式 }`.
    Derive(DeriveDecl),
    /// `requirements 社区 名称 { … }`.
    Requirements(RequirementsDecl),
    /// `scorecard 社区 total 100 { … }`.
    Scorecard(ScorecardDecl),
    /// `tiers 社区 { … }`.
    Tiers(TiersDecl),
    /// `veto 社区 名称: 条件 blocks 示范型`.
    Veto(VetoDecl),
    /// `target 名称 on 街道 due 2016-12-31: 条件`.
    Target(TargetDecl),
    /// `quota 名称: int on 街道 { columns …; "城南街道": 1, 2, 2 }`.
    Quota(QuotaDecl),
    /// `consequence 名称 on 社区 when 条件 amount 20万元 split 市级 50%, 区级 50%`.
    Consequence(ConsequenceDecl),
    /// `omit "四、实施步骤" reason "…"`.
    Omit(OmitDecl),
}

/// Where a target is checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TargetScope {
    /// Once, over the whole forest (`overall` / `全域`).
    Overall,
    /// For every unit of these kinds.
    Kinds(Vec<Ident>),
}

/// When a target is due.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Due {
    /// On one date.
    Date(DateLit),
    /// On every date of a quota table's columns.
    Quota(Ident),
}

/// A dated target (目标), hard or soft (力争).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetDecl {
    /// Its name.
    pub name: Ident,
    /// Where it is checked.
    pub scope: TargetScope,
    /// When it is due.
    pub due: Due,
    /// A soft target (力争) is reported but never fails the plan.
    pub soft: bool,
    /// The condition that must hold by the due date.
    pub expr: Expr,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// A quota table (指标表): a value per unit and per due date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaDecl {
    /// Its name, used in rules like a parameter.
    pub name: Ident,
    /// The type of its values.
    pub ty: TypeExpr,
    /// The kind of the units it lists.
    pub kind: Ident,
    /// Description and citation.
    pub ann: Annotation,
    /// The due dates of its columns.
    pub columns: Vec<DateLit>,
    /// Its rows.
    pub rows: Vec<QuotaRow>,
    /// The whole declaration.
    pub span: Span,
}

/// One row of a quota table: a unit's id or name and one value per column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaRow {
    /// The unit's id or name.
    pub unit: Ident,
    /// One value per column.
    pub values: Vec<Literal>,
    /// The whole row.
    pub span: Span,
}

/// A consequence (兑现): an amount for units meeting a condition, split between payers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsequenceDecl {
    /// Its name.
    pub name: Ident,
    /// The kinds it applies to.
    pub kinds: Vec<Ident>,
    /// When it applies.
    pub when: Expr,
    /// The amount.
    pub amount: Expr,
    /// Who pays which share.
    pub split: Vec<(Ident, Quantity)>,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// A clause deliberately not encoded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OmitDecl {
    /// The clause.
    pub clause: Text,
    /// Why it is not encoded.
    pub reason: Text,
    /// The whole declaration.
    pub span: Span,
}

/// A unit kind and the kinds it directly contains.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindDecl {
    /// The kind's name.
    pub name: Ident,
    /// Kinds directly contained.
    pub contains: Vec<Ident>,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// A block of facts that units of the listed kinds report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactsDecl {
    /// The kinds that report these facts.
    pub kinds: Vec<Ident>,
    /// The facts.
    pub facts: Vec<FactDecl>,
    /// The whole block.
    pub span: Span,
}

/// One fact: a named, typed input with its clause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactDecl {
    /// The fact's name, as facts files key it.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// A type as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeExpr {
    /// A built-in type.
    Simple(SimpleType, Span),
    /// An ordered enumeration, lowest first: `enum(一星级, 二星级, 三星级)`.
    Enum(Vec<Ident>, Span),
}

impl TypeExpr {
    /// Where the type was written.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Simple(_, s) | TypeExpr::Enum(_, s) => *s,
        }
    }
}

/// The built-in types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SimpleType {
    /// `bool` / `是否`.
    Bool,
    /// `int` / `整数`: a count.
    Int,
    /// `decimal` / `小数`: a plain number.
    Decimal,
    /// `percent` / `百分比`.
    Percent,
    /// `money` / `金额`, in 元.
    Money,
    /// `area` / `面积`, in m².
    Area,
    /// `hours` / `学时数`.
    Hours,
    /// `points` / `分值`.
    Points,
    /// `days` / `天数`.
    Days,
    /// `date` / `日期`.
    Date,
}

/// `param 名称: type = value "…" cite "…"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamDecl {
    /// The parameter's name.
    pub name: Ident,
    /// Its declared type, if written.
    pub ty: Option<TypeExpr>,
    /// Its value; `None` means the user must supply it.
    pub value: Option<ParamValue>,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// A parameter's value: one value, or values by period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ParamValue {
    /// One value for the whole effective period.
    Fixed(Literal),
    /// A value per period, `from ..= to`.
    Dated(Vec<(DateLit, DateLit, Literal)>),
}

/// `derive 社区 { 名称 = 表达式 … }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeriveDecl {
    /// The kinds these values are computed for.
    pub kinds: Vec<Ident>,
    /// The values.
    pub values: Vec<DerivedDecl>,
    /// The whole block.
    pub span: Span,
}

/// One derived value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DerivedDecl {
    /// Its name.
    pub name: Ident,
    /// Its declared type, if written (needed for levels: `卡: enum(绿牌, 黄牌, 红牌) = …`).
    pub ty: Option<TypeExpr>,
    /// Its formula.
    pub expr: Expr,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// A category of pass/fail requirements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementsDecl {
    /// The kinds the requirements apply to.
    pub kinds: Vec<Ident>,
    /// The category.
    pub group: Group,
}

/// A named group of requirements and nested groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The group's name; it reads as "all requirements of this group are met".
    pub name: Ident,
    /// Description and citation.
    pub ann: Annotation,
    /// Requirements and sub-groups, in order.
    pub members: Vec<GroupMember>,
    /// The whole group.
    pub span: Span,
}

/// A member of a requirement group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum GroupMember {
    /// A nested group.
    Group(Group),
    /// A requirement.
    Requirement(Box<RequirementDecl>),
}

/// One pass/fail requirement: `名称: 条件 "原文" cite "…"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementDecl {
    /// Its name.
    pub name: Ident,
    /// The condition that must hold.
    pub expr: Expr,
    /// `when …`: the requirement applies only when this holds.
    pub when: Option<Expr>,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

/// A scorecard: items with maximum points, each split into scored parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorecardDecl {
    /// The kinds scored by this card.
    pub kinds: Vec<Ident>,
    /// The declared total.
    pub total: Quantity,
    /// Description and citation (the citation prefixes each item's: `附件2` → `附件2 第6项`).
    pub ann: Annotation,
    /// The items.
    pub items: Vec<ItemDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// A scorecard item: `item 6 "标题" max 20 { part … }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDecl {
    /// The document's number for the item (序号).
    pub number: (u32, Span),
    /// The item's title (主要目标).
    pub title: Text,
    /// Its maximum points.
    pub max: Quantity,
    /// Description (参考内容 when scored as a whole) and citation.
    pub ann: Annotation,
    /// Its scored parts; empty when the item is scored as a whole.
    pub parts: Vec<PartDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// A scored part of an item: `part 1 "参考内容" 10分`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartDecl {
    /// Its position among the item's parts (1-based).
    pub number: (u32, Span),
    /// The clause text of the part.
    pub text: Text,
    /// Its points.
    pub points: Quantity,
    /// An explicit citation, if any.
    pub cite: Option<Citation>,
    /// The whole declaration.
    pub span: Span,
}

/// The ordered tiers of some kinds, lowest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TiersDecl {
    /// The kinds these tiers apply to.
    pub kinds: Vec<Ident>,
    /// Description and citation.
    pub ann: Annotation,
    /// The tiers, lowest first.
    pub tiers: Vec<TierDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// One tier: `示范型 requires 标准型 "…" { 条件 … }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierDecl {
    /// The tier's name.
    pub name: Ident,
    /// Tiers that must be reached first.
    pub requires: Vec<Ident>,
    /// Description and citation.
    pub ann: Annotation,
    /// Conditions, all of which must hold.
    pub conditions: Vec<ConditionDecl>,
    /// The whole declaration.
    pub span: Span,
}

/// A tier condition, optionally labelled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionDecl {
    /// Its label, if written.
    pub label: Option<Ident>,
    /// The condition.
    pub expr: Expr,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole condition.
    pub span: Span,
}

/// `veto 社区 名称: 条件 blocks 示范型`: when the condition holds, the listed tiers are blocked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VetoDecl {
    /// The kinds the veto applies to.
    pub kinds: Vec<Ident>,
    /// Its name.
    pub name: Ident,
    /// When it fires.
    pub expr: Expr,
    /// The tiers it blocks.
    pub blocks: Vec<Ident>,
    /// Description and citation.
    pub ann: Annotation,
    /// The whole declaration.
    pub span: Span,
}

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
    Peers(Scope),
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
    /// How ties are ranked.
    pub ties: Ties,
}
