//! The declarations of a `.std` file: kinds, facts, parameters, derived values, requirements,
//! scorecards, tiers, vetoes, targets, quota tables, consequences and omitted clauses.

use super::{
    Annotation, CapDecl, Citation, DateLit, Expr, GuideDecl, Ident, LimitDecl, Literal, Quantity,
    RecordsDecl, ScoreDecl, Span, Text, UnratedDecl,
};
use serde::Serialize;

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
    /// `score 支部 = 考评 * 70% + 民主评议 * 30%`.
    Score(ScoreDecl),
    /// `unrated 支部 新成立: 条件`.
    Unrated(UnratedDecl),
    /// `cap 支部 逐级晋升: 上年星级 + 1 unless 破格`.
    Cap(CapDecl),
    /// `limit 支部 五星: 30% among all by (score) ties by_id round down`.
    Limit(LimitDecl),
    /// `records 支部 积分记录 { 日期: date … }`.
    Records(RecordsDecl),
    /// `guide 支部 五星: about 10% among all`.
    Guide(GuideDecl),
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
    /// `tier` / `等级`: a level of the kind's tiers, or none (`无`) below the lowest — last
    /// year's star, say.
    Tier,
    /// `text` / `文本`: a string kept for display (a record's reason), never read by a rule.
    Text,
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
    /// Its name, when the card's points are one part of a score computed by a formula.
    pub name: Option<Ident>,
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
