//! Declaring facts (text facts apart) and the fields of dated records, and checking that no rule
//! is written for a kind of record.

use super::resolve_type;
use crate::diagnostic::{Diagnostic, DiagnosticKind, RecordsProblem};
use crate::graph::*;
use crate::lower::{self, Lowerer, Sym};
use duibiao_syntax::ast::{self, Decl, Ident, SimpleType, TypeExpr};

/// Declares `facts` for each kind of `kinds`: inputs, or text facts kept apart for display.
pub(super) fn declare_facts<'a>(l: &mut Lowerer<'a>, kinds: &[KindId], facts: &'a [ast::FactDecl]) {
    for fact in facts {
        for &k in kinds {
            let k = k as usize;
            if let TypeExpr::Simple(SimpleType::Text, _) = fact.ty {
                let before = l.diags.len();
                l.declare(k, &fact.name, Sym::Text);
                if l.diags.len() == before {
                    l.states[k].texts.push(TextField {
                        key: fact.name.name.clone(),
                        source: lower::source(&fact.ann, fact.span),
                    });
                }
                continue;
            }
            let Some(ty) = resolve_type(l, &fact.ty, Some(k)) else {
                continue;
            };
            let input = Input {
                key: fact.name.name.clone(),
                ty,
                origin: InputOrigin::Fact,
                source: lower::source(&fact.ann, fact.span),
            };
            l.declare_fact(k, &fact.name, input);
        }
    }
}

/// Declares the fields of every kind of record.
pub(super) fn declare_records<'a>(l: &mut Lowerer<'a>, decls: &'a [Decl]) {
    for d in decls {
        let Decl::Records(r) = d else { continue };
        let Some(k) = record_kind(l, r) else { continue };
        declare_facts(l, &[k], &r.fields);
    }
}

/// The kind of record a `records` declaration declares (none when its name was taken).
fn record_kind(l: &Lowerer, r: &ast::RecordsDecl) -> Option<KindId> {
    let (k, _, entry) = l.kinds.decls.get_full(&r.name.name)?;
    let own = entry.record.is_some_and(|d| std::ptr::eq(d, r));
    own.then_some(k as KindId)
}

/// Reports every rule written for a kind of record: records have only their fields.
pub(super) fn check_rules_on_records(l: &mut Lowerer, decls: &[Decl]) {
    for d in decls {
        let (rule, kinds): (&str, Vec<&Ident>) = match d {
            Decl::Facts(f) => ("facts", f.kinds.iter().collect()),
            Decl::Derive(x) => ("derive", x.kinds.iter().collect()),
            Decl::Requirements(x) => ("requirements", x.kinds.iter().collect()),
            Decl::Scorecard(x) => ("scorecard", x.kinds.iter().collect()),
            Decl::Tiers(x) => ("tiers", x.kinds.iter().collect()),
            Decl::Veto(x) => ("veto", x.kinds.iter().collect()),
            Decl::Target(ast::TargetDecl {
                scope: ast::TargetScope::Kinds(ks),
                ..
            }) => ("target", ks.iter().collect()),
            Decl::Quota(x) => ("quota", vec![&x.kind]),
            Decl::Consequence(x) => ("consequence", x.kinds.iter().collect()),
            Decl::Score(x) => ("score", x.kinds.iter().collect()),
            Decl::Unrated(x) => ("unrated", x.kinds.iter().collect()),
            Decl::Cap(x) => ("cap", x.kinds.iter().collect()),
            Decl::Limit(x) => ("limit", x.kinds.iter().collect()),
            _ => continue,
        };
        for k in kinds {
            let record = l.kinds.decls.get(&k.name).and_then(|e| e.record);
            if record.is_some() {
                let problem = RecordsProblem::RulesOnRecords {
                    record: k.name.clone(),
                    rule: rule.to_string(),
                };
                l.diags
                    .push(Diagnostic::new(DiagnosticKind::BadRecords(problem), k.span));
            }
        }
    }
}
