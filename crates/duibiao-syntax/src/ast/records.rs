//! The declaration of dated records (积分制): entries a unit keeps through the period, each with
//! its own fields (a date, points, a reason), given in the facts file as a list on their owner.

use super::{Annotation, FactDecl, Ident, Span};
use serde::Serialize;

/// `records 支部 积分记录 "…" cite "…" { 日期: date  分值: points  事由: text }`: a kind of record
/// that units of the owner kinds keep, read by aggregates as their sub-units are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordsDecl {
    /// The kinds whose units keep these records.
    pub owners: Vec<Ident>,
    /// The record kind's name, the key of the list in the facts file.
    pub name: Ident,
    /// Description and citation.
    pub ann: Annotation,
    /// The fields of each record.
    pub fields: Vec<FactDecl>,
    /// The whole declaration.
    pub span: Span,
}
