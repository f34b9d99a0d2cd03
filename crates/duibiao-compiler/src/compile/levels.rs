//! Level names that clash with a kind's other names: in `星级 >= 二星级`, `二星级` is read as the
//! tier (or fact, derived value, requirement, parameter) of that name, never as the level, so
//! each such name is reported once, where both are declared, and its uses are not reported again.

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::lower::{Lowerer, Sym};
use duibiao_syntax::ast::{self, Decl, Ident, TypeExpr};

/// Reports every level of an enumeration declared for a kind's fact or derived value whose name
/// the kind (or a parameter) also declares.
pub(super) fn check_level_names(l: &mut Lowerer, file: &ast::File) {
    for d in &file.decls {
        let (kinds, typed): (&[Ident], Vec<&TypeExpr>) = match d {
            Decl::Facts(f) => (&f.kinds, f.facts.iter().map(|x| &x.ty).collect()),
            Decl::Derive(dd) => (
                &dd.kinds,
                dd.values.iter().filter_map(|v| v.ty.as_ref()).collect(),
            ),
            _ => continue,
        };
        let levels = typed.into_iter().flat_map(|t| match t {
            TypeExpr::Enum(vs, _) => vs.as_slice(),
            TypeExpr::Simple(..) => &[],
        });
        let ks = kinds_known(l, kinds);
        for level in levels {
            for &k in &ks {
                clash(l, k, level);
            }
        }
    }
}

/// The kinds of `names` that are declared (unknown ones are reported elsewhere).
fn kinds_known(l: &Lowerer, names: &[Ident]) -> Vec<usize> {
    names
        .iter()
        .filter_map(|n| l.kinds.decls.get_index_of(&n.name))
        .collect()
}

/// Reports `level` if kind `k` or a parameter declares its name, once per kind and name.
fn clash(l: &mut Lowerer, k: usize, level: &Ident) {
    let other = match l.states[k].symbols.get(&level.name) {
        Some((sym, span)) => Some((what(*sym), *span)),
        None => l.params.get(&level.name).map(|(_, s)| ("parameter", *s)),
    };
    let Some((what, declared)) = other else {
        return;
    };
    if !l.clashes.insert((k, level.name.clone())) {
        return;
    }
    // The later of the two is underlined; the earlier is where the name was first declared.
    let (span, first) = if declared.start < level.span.start {
        (level.span, declared)
    } else {
        (declared, level.span)
    };
    l.diags.push(Diagnostic {
        kind: DiagnosticKind::LevelClash {
            name: level.name.clone(),
            kind: l.states[k].name.clone(),
            what: what.to_string(),
        },
        span,
        related: vec![first],
        suggestion: None,
    });
}

/// What a symbol is, in the words of [`DiagnosticKind::LevelClash`].
fn what(sym: Sym) -> &'static str {
    match sym {
        Sym::Fact(_) | Sym::Text => "fact",
        Sym::Derived(_) => "derived value",
        Sym::Requirement(_) | Sym::Group(_) => "requirement",
        Sym::Tier(_) => "tier",
        Sym::Card => "scorecard",
    }
}
