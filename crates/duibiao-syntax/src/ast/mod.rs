//! The typed syntax tree. Every node keeps the byte span of the text it came from, so that the
//! compiler can point a policy writer at the exact clause of the `.std` file.

mod decls;
mod expr;
mod guide;
mod rating;
mod records;

pub use decls::{
    ConditionDecl, ConsequenceDecl, Decl, DeriveDecl, DerivedDecl, Due, FactDecl, FactsDecl, Group,
    GroupMember, ItemDecl, KindDecl, OmitDecl, ParamDecl, ParamValue, PartDecl, QuotaDecl,
    QuotaRow, RequirementDecl, RequirementsDecl, ScorecardDecl, SimpleType, TargetDecl,
    TargetScope, TierDecl, TiersDecl, TypeExpr, VetoDecl,
};
pub use expr::{
    AggOp, Aggregate, BinOp, CmpOp, Expr, ExprKind, Literal, PeerCount, Quantity, Rank, Scope,
    Ties, UnitSuffix,
};
pub use guide::GuideDecl;
pub use rating::{CapDecl, CapMode, LimitDecl, Rounding, ScoreDecl, ShareBound, UnratedDecl};
pub use records::RecordsDecl;

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
