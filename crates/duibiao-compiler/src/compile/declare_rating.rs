//! Declaring the rating rules of each kind: reasons not to rate, caps and limits, with their
//! names and tiers checked.

use crate::diagnostic::{Diagnostic, DiagnosticKind, RatingProblem};
use crate::lower::Lowerer;
use duibiao_syntax::ast::{Decl, Ident};

/// Records each `unrated`, `cap` and `limit` declaration with the kinds it applies to.
pub(super) fn declare_ratings<'a>(l: &mut Lowerer<'a>, decls: &'a [Decl]) {
    for d in decls {
        match d {
            Decl::Unrated(u) => {
                for k in l.kinds_of(&u.kinds) {
                    let k = k as usize;
                    let first = l.states[k]
                        .unrated
                        .iter()
                        .map(|(o, _)| &o.name)
                        .find(|n| n.name == u.name.name);
                    if !duplicate(l, k, first.cloned(), &u.name) {
                        l.states[k].unrated.push((u, None));
                    }
                }
            }
            Decl::Cap(c) => {
                for k in l.kinds_of(&c.kinds) {
                    let k = k as usize;
                    let first = l.states[k]
                        .caps
                        .iter()
                        .map(|(o, _)| &o.name)
                        .find(|n| n.name == c.name.name);
                    if !duplicate(l, k, first.cloned(), &c.name) {
                        l.states[k].caps.push((c, None));
                    }
                }
            }
            Decl::Limit(lim) => {
                for k in l.kinds_of(&lim.kinds) {
                    let k = k as usize;
                    let st = &l.states[k];
                    if st.tier_names.is_empty() {
                        let problem = RatingProblem::NoTiers {
                            kind: st.name.clone(),
                            rule: "a limit".into(),
                        };
                        l.diags.push(Diagnostic::new(
                            DiagnosticKind::BadRating(problem),
                            lim.tier.span,
                        ));
                        continue;
                    }
                    let Some(idx) = st
                        .tiers_decl
                        .iter()
                        .position(|t| t.name.name == lim.tier.name)
                    else {
                        l.unknown_tier(k, &lim.tier);
                        continue;
                    };
                    l.refer(lim.tier.span, st.tiers_decl[idx].name.span);
                    let st = &l.states[k];
                    if let Some((first, _)) = st.limit_decls.iter().find(|(_, t)| *t == idx) {
                        let problem = RatingProblem::LimitedTwice {
                            tier: lim.tier.name.clone(),
                            kind: st.name.clone(),
                        };
                        l.diags.push(Diagnostic {
                            kind: DiagnosticKind::BadRating(problem),
                            span: lim.tier.span,
                            related: vec![first.tier.span],
                            suggestion: None,
                        });
                        continue;
                    }
                    l.states[k].limit_decls.push((lim, idx));
                }
            }
            _ => {}
        }
    }
}

/// Reports `name` when a rule of the same sort in `kind` already has it (`first`); whether it
/// did.
fn duplicate(l: &mut Lowerer, kind: usize, first: Option<Ident>, name: &Ident) -> bool {
    let Some(first) = first else {
        return false;
    };
    let kname = l.states[kind].name.clone();
    l.diags.push(Diagnostic {
        kind: DiagnosticKind::DuplicateName {
            name: name.name.clone(),
            kind: kname,
        },
        span: name.span,
        related: vec![first.span],
        suggestion: None,
    });
    true
}
