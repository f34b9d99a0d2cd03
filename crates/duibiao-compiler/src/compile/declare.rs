//! Declarations before lowering: parameters (with their dated periods checked), quota tables,
//! and every kind's facts, rules, tiers, vetoes and consequences.

use super::declare_records::{check_rules_on_records, declare_facts, declare_records};
use super::{fits, resolve_type};
use crate::diagnostic::{Diagnostic, DiagnosticKind, PeriodProblem, QuotaProblem};
use crate::graph::*;
use crate::lower::{self, Lowerer, Sym};
use crate::value::Value;
use duibiao_syntax::ast::{self, Decl, Span};

fn bad_param(l: &mut Lowerer, name: &str, problem: String, span: Span) {
    l.diags.push(Diagnostic::new(
        DiagnosticKind::BadParam {
            name: name.to_string(),
            problem,
        },
        span,
    ));
}

/// Checks dated periods: in order, not overlapping, and with no gap between them or (when the
/// standard states its effective period) inside it.
fn check_periods(
    l: &mut Lowerer,
    name: &str,
    periods: &[(ast::DateLit, ast::DateLit, ast::Literal)],
    effective: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) {
    for (from, to, _) in periods {
        if to.date < from.date {
            l.diags.push(Diagnostic::new(
                DiagnosticKind::ReversedPeriod,
                Span::new(from.span.start, to.span.end),
            ));
        }
    }
    for w in periods.windows(2) {
        let (prev, next) = (&w[0], &w[1]);
        let span = Span::new(next.0.span.start, next.1.span.end);
        if next.0.date <= prev.1.date {
            l.diags.push(Diagnostic::new(
                DiagnosticKind::Periods {
                    name: name.to_string(),
                    problem: PeriodProblem::Overlap {
                        first: format!("{} .. {}", prev.0.date, prev.1.date),
                        second: format!("{} .. {}", next.0.date, next.1.date),
                    },
                },
                span,
            ));
        } else if prev.1.date.succ_opt() != Some(next.0.date) {
            l.diags.push(Diagnostic::new(
                DiagnosticKind::Periods {
                    name: name.to_string(),
                    problem: PeriodProblem::Gap {
                        after: prev.1.date.to_string(),
                        before: next.0.date.to_string(),
                    },
                },
                span,
            ));
        }
    }
    if let (Some((start, end)), Some(first), Some(last)) =
        (effective, periods.first(), periods.last())
    {
        if first.0.date > start {
            l.diags.push(Diagnostic::new(
                DiagnosticKind::Periods {
                    name: name.to_string(),
                    problem: PeriodProblem::Uncovered {
                        from: start.to_string(),
                        to: first.0.date.pred_opt().unwrap_or(start).to_string(),
                    },
                },
                first.0.span,
            ));
        }
        if last.1.date < end {
            l.diags.push(Diagnostic::new(
                DiagnosticKind::Periods {
                    name: name.to_string(),
                    problem: PeriodProblem::Uncovered {
                        from: last.1.date.succ_opt().unwrap_or(end).to_string(),
                        to: end.to_string(),
                    },
                },
                last.1.span,
            ));
        }
    }
}

pub(super) fn declare_params(
    l: &mut Lowerer,
    file: &ast::File,
    effective: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) {
    for d in &file.decls {
        let Decl::Param(p) = d else { continue };
        let name = p.name.name.as_str();
        let declared = match &p.ty {
            Some(t) => match resolve_type(l, t, None) {
                Some(ty) => Some(ty),
                // A type no parameter can have, reported: its uses are not reported again.
                None => {
                    l.poisoned.insert(p.name.name.clone());
                    continue;
                }
            },
            None => None,
        };
        let literals: Vec<&ast::Literal> = match &p.value {
            None => Vec::new(),
            Some(ast::ParamValue::Fixed(v)) => vec![v],
            Some(ast::ParamValue::Dated(ps)) => ps.iter().map(|x| &x.2).collect(),
        };
        let ty = match declared.or_else(|| literals.first().map(|v| lower::literal(v).1)) {
            Some(t) => t,
            None => {
                bad_param(l, name, "has neither a type nor a value".into(), p.span);
                // Uses of the parameter are not reported again as unknown names.
                l.poisoned.insert(p.name.name.clone());
                continue;
            }
        };
        for v in &literals {
            let vt = lower::literal(v).1;
            if !fits(ty, vt) {
                let problem = format!(
                    "value does not fit its type: {}, found {}",
                    ty.describe(&l.enums),
                    vt.describe(&l.enums)
                );
                bad_param(l, name, problem, v.span());
            }
        }
        let value = match &p.value {
            None => ParamValue::Required,
            Some(ast::ParamValue::Fixed(v)) => ParamValue::Fixed(l.literal_value(v).0),
            Some(ast::ParamValue::Dated(ps)) => {
                check_periods(l, name, ps, effective);
                ParamValue::Dated(
                    ps.iter()
                        .map(|(a, b, v)| (a.date, b.date, l.literal_value(v).0))
                        .collect(),
                )
            }
        };
        if let Some(first) = l.params.get(name).map(|x| x.1) {
            l.diags.push(Diagnostic {
                kind: DiagnosticKind::DuplicateName {
                    name: p.name.name.clone(),
                    kind: "param".into(),
                },
                span: p.name.span,
                related: vec![first],
                suggestion: None,
            });
            continue;
        }
        l.params.insert(
            p.name.name.clone(),
            (
                Param {
                    name: p.name.name.clone(),
                    ty,
                    value,
                    source: lower::source(&p.ann, p.span),
                },
                p.name.span,
            ),
        );
        l.param_used.push(false);
    }
}

pub(super) fn declare_quotas(l: &mut Lowerer, file: &ast::File) {
    for d in &file.decls {
        let Decl::Quota(q) = d else { continue };
        let name = q.name.name.clone();
        let Some(ty) = resolve_type(l, &q.ty, None) else {
            continue;
        };
        let Some(kind) = l.kinds_of(std::slice::from_ref(&q.kind)).pop() else {
            continue;
        };
        let bad = |l: &mut Lowerer, problem: QuotaProblem, span: Span| {
            l.diags.push(Diagnostic::new(
                DiagnosticKind::BadQuota {
                    name: name.clone(),
                    problem,
                },
                span,
            ));
        };
        if q.columns.windows(2).any(|w| w[1].date <= w[0].date) {
            let span = Span::new(
                q.columns.first().map_or(q.span.start, |c| c.span.start),
                q.columns.last().map_or(q.span.end, |c| c.span.end),
            );
            bad(l, QuotaProblem::ColumnOrder, span);
        }
        let mut rows: Vec<(String, Vec<Value>)> = Vec::new();
        for row in &q.rows {
            if rows.iter().any(|(r, _)| *r == row.unit.name) {
                bad(
                    l,
                    QuotaProblem::DuplicateRow(row.unit.name.clone()),
                    row.unit.span,
                );
                continue;
            }
            if row.values.len() != q.columns.len() {
                bad(
                    l,
                    QuotaProblem::RowLength {
                        row: row.unit.name.clone(),
                        found: row.values.len(),
                        columns: q.columns.len(),
                    },
                    row.span,
                );
            }
            let mut values = Vec::new();
            for v in &row.values {
                let (val, vt) = l.literal_value(v);
                if !fits(ty, vt) {
                    let problem = QuotaProblem::ValueType {
                        row: row.unit.name.clone(),
                        expected: ty.describe(&l.enums),
                        found: vt.describe(&l.enums),
                    };
                    bad(l, problem, v.span());
                }
                values.push(val);
            }
            rows.push((row.unit.name.clone(), values));
        }
        if let Some(first) = l
            .params
            .get(&name)
            .map(|p| p.1)
            .or_else(|| l.quotas.get(&name).map(|p| p.1))
        {
            l.diags.push(Diagnostic {
                kind: DiagnosticKind::DuplicateName {
                    name: name.clone(),
                    kind: "quota".into(),
                },
                span: q.name.span,
                related: vec![first],
                suggestion: None,
            });
            continue;
        }
        let quota = Quota {
            name: name.clone(),
            ty,
            kind,
            columns: q.columns.iter().map(|c| c.date).collect(),
            rows,
            source: lower::source(&q.ann, q.span),
        };
        l.quotas.insert(name, (quota, q.name.span));
        l.quota_used.push(false);
    }
}

pub(super) fn declare<'a>(l: &mut Lowerer<'a>, file: &'a ast::File) {
    let decls: &[Decl] = &file.decls;
    // The names of each kind's tiers, which a `tier` fact needs (the first `tiers` block of a
    // kind: a second is reported below).
    for d in decls {
        if let Decl::Tiers(t) = d {
            for k in t
                .kinds
                .iter()
                .filter_map(|n| l.kinds.decls.get_index_of(&n.name))
            {
                let st = &mut l.states[k];
                if st.tier_names.is_empty() {
                    st.tier_names = t.tiers.iter().map(|x| x.name.name.clone()).collect();
                }
            }
        }
    }
    // Facts first, so that their input slots come before scored parts.
    for d in decls {
        if let Decl::Facts(f) = d {
            let ks = l.kinds_of(&f.kinds);
            declare_facts(l, &ks, &f.facts);
        }
    }
    declare_records(l, decls);
    check_rules_on_records(l, decls);
    for d in decls {
        match d {
            Decl::Scorecard(s) => {
                for k in l.kinds_of(&s.kinds) {
                    let st = &mut l.states[k as usize];
                    if let Some(first) = st.scorecard_decl {
                        redeclared(l, k as usize, "a scorecard", s.span, first.span);
                    } else {
                        st.scorecard_decl = Some(s);
                        if let Some(name) = &s.name {
                            l.declare(k as usize, name, Sym::Card);
                        }
                    }
                }
            }
            Decl::Score(s) => {
                for k in l.kinds_of(&s.kinds) {
                    let st = &mut l.states[k as usize];
                    match st.score_decl {
                        Some(first) => {
                            redeclared(l, k as usize, "a score formula", s.span, first.span)
                        }
                        None => st.score_decl = Some(s),
                    }
                }
            }
            Decl::Derive(dd) => {
                for k in l.kinds_of(&dd.kinds) {
                    for v in &dd.values {
                        l.declare_derived(k as usize, v);
                    }
                }
            }
            Decl::Requirements(r) => {
                for k in l.kinds_of(&r.kinds) {
                    l.declare_group(k as usize, &r.group, None);
                }
            }
            Decl::Tiers(t) => {
                for k in l.kinds_of(&t.kinds) {
                    if let Some(first) = &l.states[k as usize].tiers_source {
                        let (start, end) = first.span;
                        redeclared(l, k as usize, "tiers", t.span, Span::new(start, end));
                        continue;
                    }
                    l.states[k as usize].tiers_source = Some(lower::source(&t.ann, t.span));
                    for tier in &t.tiers {
                        l.declare_tier(k as usize, tier);
                    }
                }
            }
            _ => {}
        }
    }
    for d in decls {
        if let Decl::Consequence(c) = d {
            for k in l.kinds_of(&c.kinds) {
                l.states[k as usize].consequence_decls.push(c);
            }
        }
    }
    for d in decls {
        if let Decl::Veto(v) = d {
            for k in l.kinds_of(&v.kinds) {
                let k = k as usize;
                if let Some(first) = l.states[k]
                    .vetoes
                    .iter()
                    .find(|(o, _)| o.name.name == v.name.name)
                {
                    let related = vec![first.0.name.span];
                    let kname = l.states[k].name.clone();
                    l.diags.push(Diagnostic {
                        kind: DiagnosticKind::DuplicateName {
                            name: v.name.name.clone(),
                            kind: kname,
                        },
                        span: v.name.span,
                        related,
                        suggestion: None,
                    });
                    continue;
                }
                for b in &v.blocks {
                    let tier = l.states[k]
                        .tiers_decl
                        .iter()
                        .find(|t| t.name.name == b.name);
                    match tier.map(|t| t.name.span) {
                        Some(declared) => l.refer(b.span, declared),
                        None => l.unknown_tier(k, b),
                    }
                }
                l.states[k].vetoes.push((v, None));
            }
        }
    }
    super::declare_rating::declare_ratings(l, decls);
}

/// Reports a second `what` (`a scorecard`, `tiers`, `a score formula`) of kind `k` at `span`, the
/// first one being at `first`.
fn redeclared(l: &mut Lowerer, k: usize, what: &str, span: Span, first: Span) {
    let kind = l.states[k].name.clone();
    l.diags.push(Diagnostic {
        kind: DiagnosticKind::Redeclared {
            kind,
            what: what.into(),
        },
        span,
        related: vec![first],
        suggestion: None,
    });
}
