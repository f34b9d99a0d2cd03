//! The compiler's driver: parse, collect declarations per kind, lower every rule, check what the
//! writer probably did not mean, and assemble the immutable [`Graph`].

use crate::analysis;
use crate::diagnostic::{Diagnostic, DiagnosticKind, PeriodProblem, QuotaProblem, Severity};
use crate::graph::*;
use crate::kinds::{self, Kinds};
use crate::lower::{self, KindState, Lowerer};
use crate::order;
use crate::types::{Dim, Type};
use crate::value::Value;
use duibiao_syntax::ast::{self, Decl, SimpleType, Span, TypeExpr, UnitSuffix};
use duibiao_syntax::SourceLimits;
use indexmap::IndexMap;
use rust_decimal::Decimal;

/// The result of compiling a `.std` file: the graph when there are no errors, the fingerprint
/// when the file parses, and every diagnostic (errors and warnings) in source order.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The graph; `None` when any diagnostic is an error.
    pub graph: Option<Graph>,
    /// The standard's fingerprint (`sha256:…`, see [`crate::fingerprint`]); `None` when the file
    /// does not parse.
    pub fingerprint: Option<String>,
    /// All diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == Severity::Error)
    }
}

/// The name of the whole forest, the scope of `overall` targets.
pub const OVERALL: &str = "全域";

/// Compiles the text of a `.std` file within the default source limits.
pub fn compile(src: &str) -> Compiled {
    compile_with(src, &SourceLimits::default())
}

/// Compiles the text of a `.std` file within `limits` (a larger file is `E0007`, a deeper
/// nesting `E0006`).
pub fn compile_with(src: &str, limits: &SourceLimits) -> Compiled {
    let file = match duibiao_syntax::parse_with(src, limits) {
        Ok(f) => f,
        Err(errors) => {
            return Compiled {
                graph: None,
                fingerprint: None,
                diagnostics: errors.into_iter().map(Diagnostic::from).collect(),
            }
        }
    };
    let fingerprint = Some(crate::fingerprint::fingerprint(&file));
    let mut diags = Vec::new();
    let kinds = kinds::collect(&file, &mut diags);
    let info = header(&file.header, &mut diags);
    // Every kind, then the whole forest as a kind of its own (for `overall` targets), which
    // contains every kind.
    let every: Vec<KindId> = (0..kinds.decls.len() as KindId).collect();
    let mut states: Vec<KindState> = kinds
        .decls
        .values()
        .map(|k| KindState::new(k.name.name.clone(), lower::source(&k.ann, k.span)))
        .collect();
    states.push(KindState::new(OVERALL.to_string(), Source::default()));
    let mut reach_direct = kinds.children.clone();
    reach_direct.push(every.clone());
    let mut reach_all = kinds.descendants.clone();
    reach_all.push(every);
    let mut l = Lowerer {
        src,
        kinds: &kinds,
        states,
        params: IndexMap::new(),
        param_used: Vec::new(),
        quotas: IndexMap::new(),
        quota_used: Vec::new(),
        reach_direct,
        reach_all,
        poisoned: Default::default(),
        enums: Vec::new(),
        diags,
    };
    declare_params(&mut l, &file, info.effective);
    declare_quotas(&mut l, &kinds, &file);
    declare(&mut l, &kinds, &file);
    for &k in &kinds.order {
        lower_kind(&mut l, k as usize);
    }
    let targets = lower_targets(&mut l, &kinds, &file);
    let omitted = file
        .decls
        .iter()
        .filter_map(|d| match d {
            Decl::Omit(o) => Some(Omitted {
                clause: o.clause.value.clone(),
                reason: o.reason.value.clone(),
            }),
            _ => None,
        })
        .collect();
    // Warnings after errors are mostly echoes of the errors (a fact "unused" because the rule
    // using it did not compile): report them once the errors are fixed.
    if l.diags.iter().all(|d| d.severity() == Severity::Warning) {
        analysis::warn(&mut l);
    }
    let mut diagnostics = std::mem::take(&mut l.diags);
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    diagnostics.dedup();
    let failed = diagnostics.iter().any(|d| d.severity() == Severity::Error);
    let graph = if failed {
        None
    } else {
        Some(assemble(l, &kinds, info, targets, omitted))
    };
    Compiled {
        graph,
        fingerprint,
        diagnostics,
    }
}

fn header(h: &ast::Header, diags: &mut Vec<Diagnostic>) -> StandardInfo {
    let t = |x: &Option<ast::Text>| x.as_ref().map(|t| t.value.clone());
    let effective = h.effective.map(|(a, b)| (a.date, b.date));
    if let Some((a, b)) = h.effective {
        if b.date < a.date {
            diags.push(Diagnostic::new(
                DiagnosticKind::ReversedPeriod,
                Span::new(a.span.start, b.span.end),
            ));
        }
    }
    StandardInfo {
        slug: h.slug.name.clone(),
        title: t(&h.title),
        issuer: t(&h.issuer),
        number: t(&h.number),
        source: t(&h.source),
        effective,
    }
}

/// The type of a written type, registering enumerations.
pub(crate) fn resolve_type(l: &mut Lowerer, t: &TypeExpr) -> Type {
    match t {
        TypeExpr::Simple(s, _) => match s {
            SimpleType::Bool => Type::Bool,
            SimpleType::Int => Type::Num(Dim::Count),
            SimpleType::Decimal => Type::Num(Dim::Number),
            SimpleType::Percent => Type::Num(Dim::Percent),
            SimpleType::Money => Type::Num(Dim::Money),
            SimpleType::Area => Type::Num(Dim::Area),
            SimpleType::Hours => Type::Num(Dim::Hours),
            SimpleType::Points => Type::Num(Dim::Points),
            SimpleType::Days => Type::Num(Dim::Days),
            SimpleType::Date => Type::Date,
        },
        TypeExpr::Enum(vs, _) => {
            let variants: Vec<String> = vs.iter().map(|v| v.name.clone()).collect();
            let mut seen: Vec<&str> = Vec::new();
            for v in vs {
                if seen.contains(&v.name.as_str()) {
                    l.diags.push(Diagnostic::new(
                        DiagnosticKind::DuplicateName {
                            name: v.name.clone(),
                            kind: variants.join("/"),
                        },
                        v.span,
                    ));
                }
                seen.push(&v.name);
            }
            let id = match l.enums.iter().position(|e| e.variants == variants) {
                Some(i) => i,
                None => {
                    l.enums.push(EnumDef { variants });
                    l.enums.len() - 1
                }
            };
            Type::Enum(id as u32)
        }
    }
}

/// Whether a literal of type `lit` may be the value of something of type `declared`.
pub(crate) fn fits(declared: Type, lit: Type) -> bool {
    match (declared, lit) {
        (Type::Num(a), Type::Num(b)) => a.unify(b).is_some(),
        (a, b) => a == b,
    }
}

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

fn declare_params(
    l: &mut Lowerer,
    file: &ast::File,
    effective: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) {
    for d in &file.decls {
        let Decl::Param(p) = d else { continue };
        let name = p.name.name.as_str();
        let declared = p.ty.as_ref().map(|t| resolve_type(l, t));
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
                related: Some(first),
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

fn declare_quotas(l: &mut Lowerer, kinds: &Kinds, file: &ast::File) {
    for d in &file.decls {
        let Decl::Quota(q) = d else { continue };
        let name = q.name.name.clone();
        let ty = resolve_type(l, &q.ty);
        let Some(kind) = kinds.id(&q.kind.name) else {
            l.diags.push(Diagnostic::new(
                DiagnosticKind::UnknownKind(q.kind.name.clone()),
                q.kind.span,
            ));
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
                related: Some(first),
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

/// Lowers every target: per unit of its kinds, or once in the whole forest.
fn lower_targets(l: &mut Lowerer, kinds: &Kinds, file: &ast::File) -> Vec<Target> {
    let overall = kinds.decls.len();
    let mut targets = Vec::new();
    for d in &file.decls {
        let Decl::Target(t) = d else { continue };
        let (due, quota) = match &t.due {
            ast::Due::Date(d) => (vec![d.date], None),
            ast::Due::Quota(q) => match l.quotas.get_index_of(&q.name) {
                Some(i) => {
                    l.quota_used[i] = true;
                    (l.quotas[i].0.columns.clone(), Some(i))
                }
                None => {
                    l.diags.push(Diagnostic::new(
                        DiagnosticKind::UnknownQuota(q.name.clone()),
                        q.span,
                    ));
                    continue;
                }
            },
        };
        let scope = match &t.scope {
            ast::TargetScope::Overall => match l.boolean(overall, &t.expr) {
                Some((n, _)) => TargetScope::Overall(n),
                None => continue,
            },
            ast::TargetScope::Kinds(ks) => {
                let mut nodes = Vec::new();
                for k in kinds.resolve(ks, &mut l.diags) {
                    if let Some((n, _)) = l.boolean(k as usize, &t.expr) {
                        nodes.push((k, n));
                    }
                }
                TargetScope::Kinds(nodes)
            }
        };
        targets.push(Target {
            name: t.name.name.clone(),
            scope,
            due,
            quota,
            soft: t.soft,
            expr: l
                .src
                .get(t.expr.span.start..t.expr.span.end)
                .unwrap_or("")
                .to_string(),
            source: lower::source(&t.ann, t.span),
        });
    }
    targets
}

/// Lowers a consequence for one kind: its condition, its amount (money) and its split.
fn lower_consequence(l: &mut Lowerer, k: usize, c: &ast::ConsequenceDecl) {
    let when = l.boolean(k, &c.when);
    let amount = match l.expr(k, &c.amount, None) {
        Some((n, Type::Num(Dim::Money | Dim::Bare))) => Some(n),
        Some((_, t)) => {
            let found = t.describe(&l.enums);
            l.diags.push(Diagnostic::new(
                DiagnosticKind::WrongType {
                    expected: "money (元)".into(),
                    found,
                },
                c.amount.span,
            ));
            None
        }
        None => None,
    };
    let mut split = Vec::new();
    for (who, q) in &c.split {
        let (v, t) = l.quantity_value(q);
        match (v, t) {
            (Value::Num(n), Type::Num(Dim::Percent)) => split.push((who.name.clone(), n)),
            // Reported as a number that cannot be held.
            (Value::Unknown, Type::Num(Dim::Percent)) => {}
            (_, t) => {
                let found = t.describe(&l.enums);
                l.diags.push(Diagnostic::new(
                    DiagnosticKind::WrongType {
                        expected: "a percentage".into(),
                        found,
                    },
                    q.span,
                ));
            }
        }
    }
    // Shares may be as large as any number: their sum is checked, and shown however large.
    let sum = split
        .iter()
        .try_fold(Decimal::ZERO, |sum, s| sum.checked_add(s.1));
    if !c.split.is_empty() && split.len() == c.split.len() && sum != Some(Decimal::ONE) {
        let sum = match sum {
            Some(sum) => format!("{}%", crate::value::percent_text(sum, None)),
            None => split
                .iter()
                .map(|s| format!("{}%", crate::value::percent_text(s.1, None)))
                .collect::<Vec<_>>()
                .join(" + "),
        };
        l.diags.push(Diagnostic::new(
            DiagnosticKind::SplitSum {
                name: c.name.name.clone(),
                sum,
            },
            c.span,
        ));
    }
    if let (Some((when, _)), Some(amount)) = (when, amount) {
        l.states[k].consequences.push(Consequence {
            name: c.name.name.clone(),
            when,
            amount,
            split,
            source: lower::source(&c.ann, c.span),
        });
    }
}

/// Points written in a scorecard: a positive number, bare or in `分`.
fn points(l: &mut Lowerer, q: &ast::Quantity) -> Decimal {
    if !matches!(q.unit, UnitSuffix::None | UnitSuffix::Points) || q.number <= Decimal::ZERO {
        let text = l
            .src
            .get(q.span.start..q.span.end)
            .unwrap_or("")
            .to_string();
        l.diags
            .push(Diagnostic::new(DiagnosticKind::InvalidPoints(text), q.span));
    }
    q.number.normalize()
}

fn declare<'a>(l: &mut Lowerer<'a>, kinds: &Kinds, file: &'a ast::File) {
    let decls: &[Decl] = &file.decls;
    // Facts first, so that their input slots come before scored parts.
    for d in decls {
        if let Decl::Facts(f) = d {
            let ks = kinds.resolve(&f.kinds, &mut l.diags);
            for fact in &f.facts {
                let ty = resolve_type(l, &fact.ty);
                for &k in &ks {
                    let input = Input {
                        key: fact.name.name.clone(),
                        ty,
                        origin: InputOrigin::Fact,
                        source: lower::source(&fact.ann, fact.span),
                    };
                    l.declare_fact(k as usize, &fact.name, input);
                }
            }
        }
    }
    for d in decls {
        match d {
            Decl::Scorecard(s) => {
                for k in kinds.resolve(&s.kinds, &mut l.diags) {
                    let st = &mut l.states[k as usize];
                    if let Some(first) = st.scorecard_decl {
                        let kname = st.name.clone();
                        l.diags.push(Diagnostic {
                            kind: DiagnosticKind::Redeclared {
                                kind: kname,
                                what: "a scorecard".into(),
                            },
                            span: s.span,
                            related: Some(first.span),
                        });
                    } else {
                        st.scorecard_decl = Some(s);
                    }
                }
            }
            Decl::Derive(dd) => {
                for k in kinds.resolve(&dd.kinds, &mut l.diags) {
                    for v in &dd.values {
                        l.declare_derived(k as usize, v);
                    }
                }
            }
            Decl::Requirements(r) => {
                for k in kinds.resolve(&r.kinds, &mut l.diags) {
                    l.declare_group(k as usize, &r.group, None);
                }
            }
            Decl::Tiers(t) => {
                for k in kinds.resolve(&t.kinds, &mut l.diags) {
                    if let Some(first) = &l.states[k as usize].tiers_source {
                        let (start, end) = first.span;
                        let kname = l.states[k as usize].name.clone();
                        l.diags.push(Diagnostic {
                            kind: DiagnosticKind::Redeclared {
                                kind: kname,
                                what: "tiers".into(),
                            },
                            span: t.span,
                            related: Some(Span::new(start, end)),
                        });
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
            for k in kinds.resolve(&c.kinds, &mut l.diags) {
                l.states[k as usize].consequence_decls.push(c);
            }
        }
    }
    for d in decls {
        if let Decl::Veto(v) = d {
            for k in kinds.resolve(&v.kinds, &mut l.diags) {
                let k = k as usize;
                if let Some(first) = l.states[k]
                    .vetoes
                    .iter()
                    .find(|(o, _)| o.name.name == v.name.name)
                {
                    let related = Some(first.0.name.span);
                    let kname = l.states[k].name.clone();
                    l.diags.push(Diagnostic {
                        kind: DiagnosticKind::DuplicateName {
                            name: v.name.name.clone(),
                            kind: kname,
                        },
                        span: v.name.span,
                        related,
                    });
                    continue;
                }
                for b in &v.blocks {
                    if !l.states[k].tiers_decl.iter().any(|t| t.name.name == b.name) {
                        l.unknown_tier(k, b);
                    }
                }
                l.states[k].vetoes.push((v, None));
            }
        }
    }
}

/// Lowers one kind: scorecard, vetoes, then every named rule (used or not, so that all are
/// checked).
fn lower_kind(l: &mut Lowerer, k: usize) {
    if let Some(s) = l.states[k].scorecard_decl {
        lower_scorecard(l, k, s);
    }
    for v in 0..l.states[k].vetoes.len() {
        let decl = l.states[k].vetoes[v].0;
        if let Some((node, _)) = l.boolean(k, &decl.expr) {
            let blocks = decl
                .blocks
                .iter()
                .filter_map(|b| {
                    l.states[k]
                        .tiers_decl
                        .iter()
                        .position(|t| t.name.name == b.name)
                })
                .collect();
            let mut source = lower::source(&decl.ann, decl.span);
            if source.cite.is_none() {
                source.cite = l.states[k]
                    .tiers_source
                    .as_ref()
                    .and_then(|s| s.cite.clone());
            }
            l.states[k].vetoes[v].1 = Some(Veto {
                name: decl.name.name.clone(),
                node,
                blocks,
                source,
            });
        }
    }
    for c in l.states[k].consequence_decls.clone() {
        lower_consequence(l, k, c);
    }
    let names: Vec<ast::Ident> = l.states[k]
        .symbols
        .iter()
        .map(|(n, (_, span))| ast::Ident {
            name: n.clone(),
            span: *span,
        })
        .collect();
    for n in names {
        l.lower_symbol(k, &n);
    }
}

fn lower_scorecard(l: &mut Lowerer, k: usize, s: &ast::ScorecardDecl) {
    let total = points(l, &s.total);
    let card_cite = lower::cite(&s.ann);
    let mut items: Vec<Item> = Vec::new();
    for it in &s.items {
        let number = it.number.0;
        if items.iter().any(|i| i.number == number) {
            l.diags.push(Diagnostic::new(
                DiagnosticKind::Numbering {
                    what: "item".into(),
                    number,
                    expected: items.last().map_or(1, |i| i.number + 1),
                },
                it.number.1,
            ));
            continue;
        }
        let max = points(l, &it.max);
        let item_cite = lower::cite(&it.ann).or_else(|| {
            card_cite.as_ref().map(|c| Cite {
                clause: format!("{} 第{}项", c.clause, number),
                text: None,
            })
        });
        let mut item_source = Source::new(
            it.ann.doc.as_ref().map(|d| d.value.clone()),
            item_cite.clone(),
            it.span,
        );
        let mut parts = Vec::new();
        if it.parts.is_empty() {
            let key = number.to_string();
            let input = push_points_input(l, k, &key, max, item_source.clone());
            parts.push(Part {
                key,
                text: it
                    .ann
                    .doc
                    .as_ref()
                    .map(|d| d.value.clone())
                    .unwrap_or_default(),
                points: max,
                input,
                source: item_source.clone(),
            });
        }
        for (i, p) in it.parts.iter().enumerate() {
            let expected = i as u32 + 1;
            if p.number.0 != expected {
                l.diags.push(Diagnostic::new(
                    DiagnosticKind::Numbering {
                        what: "part".into(),
                        number: p.number.0,
                        expected,
                    },
                    p.number.1,
                ));
            }
            let pts = points(l, &p.points);
            let key = format!("{number}.{expected}");
            let cite = p.cite.as_ref().map(|c| Cite {
                clause: c.clause.value.clone(),
                text: c.text.as_ref().map(|t| t.value.clone()),
            });
            let psource = Source::new(
                Some(p.text.value.clone()),
                cite.or_else(|| item_cite.clone()),
                p.span,
            );
            let input = push_points_input(l, k, &key, pts, psource.clone());
            parts.push(Part {
                key,
                text: p.text.value.clone(),
                points: pts,
                input,
                source: psource,
            });
        }
        let node = if it.parts.is_empty() {
            l.states[k].intern(Node::Input(parts[0].input), Type::Num(Dim::Points))
        } else {
            let inputs: Vec<NodeId> = parts
                .iter()
                .map(|p| l.states[k].intern(Node::Input(p.input), Type::Num(Dim::Points)))
                .collect();
            l.states[k].intern(Node::Sum(inputs), Type::Num(Dim::Points))
        };
        if item_source.doc.is_none() {
            item_source.doc = Some(it.title.value.clone());
        }
        items.push(Item {
            number,
            title: it.title.value.clone(),
            max,
            node,
            parts,
            source: item_source,
        });
    }
    let item_nodes = items.iter().map(|i| i.node).collect();
    let node = l.states[k].intern(Node::Sum(item_nodes), Type::Num(Dim::Points));
    l.states[k].scorecard = Some(Scorecard {
        total,
        node,
        items,
        source: lower::source(&s.ann, s.span),
    });
}

fn push_points_input(l: &mut Lowerer, k: usize, key: &str, max: Decimal, source: Source) -> usize {
    let st = &mut l.states[k];
    st.inputs.push(Input {
        key: key.to_string(),
        ty: Type::Num(Dim::Points),
        origin: InputOrigin::Points { max },
        source,
    });
    st.input_used.push(true);
    st.inputs.len() - 1
}

/// Builds the immutable graph from the lowered kinds.
fn assemble(
    l: Lowerer,
    kinds: &Kinds,
    info: StandardInfo,
    targets: Vec<Target>,
    omitted: Vec<Omitted>,
) -> Graph {
    let src = l.src;
    let text = |span: Span| src.get(span.start..span.end).unwrap_or("").to_string();
    let mut order: Vec<usize> = kinds.order.iter().map(|&k| k as usize).collect();
    order.push(kinds.decls.len());
    let strata = analysis::strata(
        &l.states
            .iter()
            .map(|s| s.nodes.as_slice())
            .collect::<Vec<_>>(),
        &order,
    );
    let Lowerer {
        states,
        params,
        quotas,
        enums,
        reach_direct,
        ..
    } = l;
    let mut kinds_out: Vec<KindGraph> = states
        .into_iter()
        .zip(strata)
        .enumerate()
        .map(|(i, (mut st, strata))| {
            let deps = analysis::input_deps(&st.nodes);
            let mut tiers: Vec<Tier> = st.tiers.drain(..).flatten().collect();
            for t in &mut tiers {
                for c in &mut t.conditions {
                    c.inputs = deps[c.node as usize].clone();
                }
            }
            let mut groups = Vec::new();
            for (g, parent) in &st.groups {
                let node = st.lowered(&g.name.name).unwrap_or(0);
                let requirements = g
                    .members
                    .iter()
                    .filter_map(|m| match m {
                        ast::GroupMember::Requirement(r) => {
                            let node = st.lowered(&r.name.name)?;
                            Some(Condition {
                                label: Some(r.name.name.clone()),
                                kind: ConditionKind::Rule,
                                node,
                                expr: text(r.expr.span),
                                inputs: deps[node as usize].clone(),
                                applies: st.applies.get(&r.name.name).copied(),
                                source: lower::source(&r.ann, r.span),
                            })
                        }
                        ast::GroupMember::Group(_) => None,
                    })
                    .collect();
                groups.push(RequirementGroup {
                    name: g.name.name.clone(),
                    parent: *parent,
                    node,
                    requirements,
                    source: lower::source(&g.ann, g.span),
                });
            }
            let derived = st
                .derived
                .iter()
                .filter_map(|d| {
                    let (node, ty) = st.lowered_typed(&d.name.name)?;
                    Some(Named {
                        name: d.name.name.clone(),
                        node,
                        ty,
                        source: lower::source(&d.ann, d.span),
                    })
                })
                .collect();
            KindGraph {
                name: st.name.clone(),
                source: st.source.clone(),
                children: reach_direct.get(i).cloned().unwrap_or_default(),
                inputs: st.inputs,
                nodes: st.nodes,
                types: st.types,
                scorecard: st.scorecard,
                derived,
                groups,
                tiers,
                vetoes: st.vetoes.into_iter().filter_map(|(_, v)| v).collect(),
                consequences: st.consequences,
                strata,
            }
        })
        .collect();
    let overall = kinds_out.pop().unwrap_or_else(|| KindGraph::empty(OVERALL));
    let mut graph = Graph {
        info,
        kinds: kinds_out,
        params: params.into_values().map(|(p, _)| p).collect(),
        enums,
        quotas: quotas.into_values().map(|(q, _)| q).collect(),
        targets,
        overall,
        omitted,
    };
    order::canonical(&mut graph);
    graph
}
