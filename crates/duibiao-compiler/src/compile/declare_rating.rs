//! Declaring the rating rules of each kind: reasons not to rate, caps, limits and guides, with
//! their names and tiers checked.

use crate::diagnostic::{Diagnostic, DiagnosticKind, RatingProblem};
use crate::lower::Lowerer;
use duibiao_syntax::ast::{Decl, Ident};

/// Records each `unrated`, `cap`, `limit` and `guide` declaration with the kinds it applies to.
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
                    let Some(idx) = rated_tier(l, (k, &lim.tier), "a limit", Lowerer::unknown_tier)
                    else {
                        continue;
                    };
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
            Decl::Guide(g) => {
                for k in l.kinds_of(&g.kinds) {
                    let k = k as usize;
                    if let Some(idx) =
                        rated_tier(l, (k, &g.tier), "a guide", Lowerer::unknown_guided_tier)
                    {
                        l.declare_guide(k, g, idx);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The index of tier `tier` of `kind`, which `rule` (`a limit`, `a guide`) names; reported when
/// the kind has no tiers, or by `unknown` when it has not this one.
fn rated_tier<'a>(
    l: &mut Lowerer<'a>,
    (kind, tier): (usize, &Ident),
    rule: &str,
    unknown: fn(&mut Lowerer<'a>, usize, &Ident),
) -> Option<usize> {
    let st = &l.states[kind];
    if st.tier_names.is_empty() {
        let problem = RatingProblem::NoTiers {
            kind: st.name.clone(),
            rule: rule.into(),
        };
        l.diags.push(Diagnostic::new(
            DiagnosticKind::BadRating(problem),
            tier.span,
        ));
        return None;
    }
    let Some(idx) = st.tiers_decl.iter().position(|t| t.name.name == tier.name) else {
        unknown(l, kind, tier);
        return None;
    };
    l.refer(tier.span, st.tiers_decl[idx].name.span);
    Some(idx)
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
