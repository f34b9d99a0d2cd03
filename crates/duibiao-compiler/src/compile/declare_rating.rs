//! Declaring the rating rules of each kind: reasons not to rate, caps, limits, floors and guides,
//! with their names and tiers checked.

use crate::diagnostic::{Diagnostic, DiagnosticKind, RatingProblem};
use crate::lower::{KindState, Lowerer, NO_TIER};
use duibiao_syntax::ast::{Decl, Ident, LimitDecl, ShareBound, Span};

/// Records each `unrated`, `cap`, `limit`, `floor` and `guide` declaration with the kinds it applies to.
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
            Decl::Limit(lim) if lim.bound == ShareBound::AtLeast => declare_floor(l, lim),
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
                        report(l, problem, &lim.tier, Some(first.tier.span));
                        continue;
                    }
                    let floor = st.floor_decls.iter().find(|(_, v)| *v as usize == idx + 1);
                    if let Some((first, _)) = floor {
                        let problem = floor_and_limit(st, lim);
                        report(l, problem, &lim.tier, Some(first.tier.span));
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

/// Declares floor `lim` in each kind it lists: on one of the kind's tiers or on `无` (no tier),
/// not on its highest tier (every unit is at it or below), nor on a tier with a limit or
/// another floor. The kind's floors are kept highest first (the order they apply in).
fn declare_floor<'a>(l: &mut Lowerer<'a>, lim: &'a LimitDecl) {
    for k in l.kinds_of(&lim.kinds) {
        let k = k as usize;
        let none = lim.tier.name == NO_TIER && !l.states[k].tier_names.is_empty();
        let level = if none {
            0
        } else {
            match rated_tier(l, (k, &lim.tier), "a floor", Lowerer::unknown_tier) {
                Some(idx) => idx as u32 + 1,
                None => continue,
            }
        };
        let st = &l.states[k];
        let problem = if level as usize == st.tier_names.len() {
            Some((
                RatingProblem::FloorOnTop {
                    tier: lim.tier.name.clone(),
                    kind: st.name.clone(),
                },
                None,
            ))
        } else if let Some((first, _)) = st.floor_decls.iter().find(|(_, v)| *v == level) {
            let problem = RatingProblem::FlooredTwice {
                tier: lim.tier.name.clone(),
                kind: st.name.clone(),
            };
            Some((problem, Some(first.tier.span)))
        } else {
            let limit = st.limit_decls.iter().find(|(_, t)| *t as u32 + 1 == level);
            limit.map(|(first, _)| (floor_and_limit(st, lim), Some(first.tier.span)))
        };
        if let Some((problem, first)) = problem {
            report(l, problem, &lim.tier, first);
            continue;
        }
        let floors = &mut l.states[k].floor_decls;
        let at = floors.partition_point(|(_, v)| *v > level);
        floors.insert(at, (lim, level));
    }
}

/// A limit and a floor on the same tier of the kind of `st`, the later one `lim`.
fn floor_and_limit(st: &KindState, lim: &LimitDecl) -> RatingProblem {
    RatingProblem::FloorAndLimit {
        tier: lim.tier.name.clone(),
        kind: st.name.clone(),
    }
}

/// Reports `problem` at tier `tier` of a rule, with where the rule it clashes with names its
/// tier (`first`), if it clashes with one.
fn report(l: &mut Lowerer, problem: RatingProblem, tier: &Ident, first: Option<Span>) {
    l.diags.push(Diagnostic {
        kind: DiagnosticKind::BadRating(problem),
        span: tier.span,
        related: first.into_iter().collect(),
        suggestion: None,
    });
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
