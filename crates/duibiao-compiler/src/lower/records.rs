//! Names in the filter of a kind of record (`where (…)`, `of (…)` over 积分记录): besides the
//! record's own fields and the parameters, its owner's facts (the branch's 成立日期), known before
//! any rule is evaluated. Its owner's derived values, requirements, tiers and score come after the
//! records are aggregated, and are reported.

use super::{Lowerer, Sym};
use crate::diagnostic::{Diagnostic, DiagnosticKind, RecordsProblem, TextProblem};
use crate::graph::*;
use crate::types::Type;
use duibiao_syntax::ast::{Ident, Span};

impl Lowerer<'_> {
    /// The owners of `kind` when it is a kind of record (none for a kind of unit).
    pub(super) fn owners(&self, kind: usize) -> &[KindId] {
        self.kinds.owners.get(kind).map_or(&[], Vec::as_slice)
    }

    /// `name` read in a record of `kind` as its owner's fact: `None` when no owner declares
    /// it (nor is it a text), `Some(None)` when it is reported, else its node.
    pub(super) fn owner_name(&mut self, kind: usize, id: &Ident) -> Option<Option<(NodeId, Type)>> {
        let owners = self.owners(kind).to_vec();
        if !owners
            .iter()
            .any(|&o| self.states[o as usize].symbols.contains_key(&id.name))
        {
            return None;
        }
        let record = self.states[kind].name.clone();
        let mut slots = Vec::new();
        let mut ty: Option<Type> = None;
        for o in owners {
            let o = o as usize;
            let owner = self.states[o].name.clone();
            let Some(&(sym, declared)) = self.states[o].symbols.get(&id.name) else {
                let problem = RecordsProblem::OwnerMissing {
                    name: id.name.clone(),
                    owner,
                    record,
                };
                return Some(self.records_error(problem, id.span));
            };
            self.refer(id.span, declared);
            let slot = match sym {
                Sym::Fact(slot) => slot,
                Sym::Text => {
                    let problem = TextProblem::Read {
                        name: id.name.clone(),
                        kind: owner,
                    };
                    self.err(DiagnosticKind::BadText(problem), id.span);
                    return Some(None);
                }
                other => {
                    let what = match other {
                        Sym::Derived(_) => "a derived value",
                        Sym::Requirement(_) => "a requirement",
                        Sym::Group(_) => "a requirement group",
                        Sym::Tier(_) => "a tier",
                        _ => "a scorecard",
                    };
                    let problem = RecordsProblem::OwnerRule {
                        name: id.name.clone(),
                        what: what.into(),
                        owner,
                    };
                    return Some(self.records_error(problem, id.span));
                }
            };
            self.states[o].input_used[slot] = true;
            let this = self.states[o].inputs[slot].ty;
            if ty.is_some_and(|t| t != this) {
                let problem = RecordsProblem::OwnerTypes {
                    name: id.name.clone(),
                    record,
                };
                return Some(self.records_error(problem, id.span));
            }
            ty = Some(this);
            slots.push((o as KindId, slot as u32));
        }
        let ty = ty?;
        Some(Some((
            self.states[kind].intern(Node::OwnerInput(slots), ty),
            ty,
        )))
    }

    /// `score` read in a record of `kind`: its owner's score, reported.
    pub(super) fn owner_score(&mut self, kind: usize, span: Span) {
        let owner = self
            .owners(kind)
            .first()
            .map(|&o| self.states[o as usize].name.clone())
            .unwrap_or_default();
        let problem = RecordsProblem::OwnerRule {
            name: self.text(span),
            what: "the score".into(),
            owner,
        };
        self.records_error(problem, span);
    }

    /// A text fact read by a rule of `kind`, reported.
    pub(super) fn text_read(&mut self, kind: usize, id: &Ident) {
        let problem = TextProblem::Read {
            name: id.name.clone(),
            kind: self.states[kind].name.clone(),
        };
        self.err(DiagnosticKind::BadText(problem), id.span);
    }

    fn records_error(&mut self, problem: RecordsProblem, span: Span) -> Option<(NodeId, Type)> {
        self.diags
            .push(Diagnostic::new(DiagnosticKind::BadRecords(problem), span));
        None
    }
}
