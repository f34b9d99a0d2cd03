//! The compiler's driver: parse, collect declarations per kind, lower every rule, check what the
//! writer probably did not mean, and assemble the immutable [`Graph`].

mod assemble;
mod declare;
mod declare_rating;
mod declare_records;
mod levels;
mod lower_kinds;

use crate::analysis;
use crate::diagnostic::{Diagnostic, DiagnosticKind, Severity};
use crate::graph::*;
use crate::kinds;
use crate::lower::{self, KindState, Lowerer};
use crate::types::{Dim, Type};
use duibiao_syntax::ast::{self, Decl, SimpleType, Span, TypeExpr};
use duibiao_syntax::SourceLimits;
use indexmap::IndexMap;

use crate::index::Index;
use assemble::assemble;
use declare::{declare, declare_params, declare_quotas};
use lower_kinds::{lower_kind, lower_targets, prepare_kind};

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
    analyze(src, limits).compiled
}

/// Compiles the text of a `.std` file within `limits`, keeping what tools that edit the file
/// need besides the result: its syntax tree and the [`Index`] of where each name is declared
/// and used.
pub fn analyze(src: &str, limits: &SourceLimits) -> Analysis {
    let file = match duibiao_syntax::parse_with(src, limits) {
        Ok(f) => f,
        Err(errors) => {
            return Analysis {
                compiled: Compiled {
                    graph: None,
                    fingerprint: None,
                    diagnostics: errors.into_iter().map(Diagnostic::from).collect(),
                },
                file: None,
                index: Index::default(),
            }
        }
    };
    let (compiled, index) = lower_file(src, &file);
    Analysis {
        compiled,
        file: Some(file),
        index,
    }
}

fn lower_file(src: &str, file: &ast::File) -> (Compiled, Index) {
    let fingerprint = Some(crate::fingerprint::fingerprint(file));
    let mut diags = Vec::new();
    let kinds = kinds::collect(file, &mut diags);
    let info = header(&file.header, &mut diags);
    // Every kind, then the whole forest as a kind of its own (for `overall` targets), which
    // contains every kind.
    let every: Vec<KindId> = (0..kinds.decls.len() as KindId).collect();
    let mut states: Vec<KindState> = kinds
        .decls
        .values()
        .map(|k| KindState::new(k.name.name.clone(), lower::source(k.ann, k.span)))
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
        clashes: Default::default(),
        aggregating: Vec::new(),
        enums: Vec::new(),
        diags,
        refs: Vec::new(),
    };
    for k in kinds.decls.values() {
        for c in k.contains {
            if let Some(d) = kinds.decls.get(&c.name) {
                l.refer(c.span, d.name.span);
            }
        }
    }
    declare_params(&mut l, file, info.effective);
    declare_quotas(&mut l, file);
    declare(&mut l, file);
    levels::check_level_names(&mut l, file);
    for &k in &kinds.order {
        prepare_kind(&mut l, k as usize);
    }
    for &k in &kinds.order {
        lower_kind(&mut l, k as usize);
    }
    let targets = lower_targets(&mut l, &kinds, file);
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
    let index = Index::of(&mut l);
    let mut diagnostics = std::mem::take(&mut l.diags);
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    diagnostics.dedup();
    let failed = diagnostics.iter().any(|d| d.severity() == Severity::Error);
    let graph = if failed {
        None
    } else {
        Some(assemble(l, &kinds, info, targets, omitted))
    };
    let compiled = Compiled {
        graph,
        fingerprint,
        diagnostics,
    };
    (compiled, index)
}

/// A compiled standard with what editing tools need: see [`analyze`].
#[derive(Debug, Clone)]
pub struct Analysis {
    /// What [`compile_with`] returns.
    pub compiled: Compiled,
    /// The syntax tree; `None` when the file does not parse.
    pub file: Option<ast::File>,
    /// Where each name is declared and used (empty when the file does not parse).
    pub index: Index,
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

/// The type of a written type, registering enumerations. A `tier` belongs to a kind: with
/// `kind`, that kind's tier scale (`None` when it has no tiers, which is reported); without, it
/// is reported. A `text` is no type of a value a rule computes with: it is reported (facts of
/// that type are declared apart, see `declare_records`).
pub(crate) fn resolve_type(l: &mut Lowerer, t: &TypeExpr, kind: Option<usize>) -> Option<Type> {
    if let TypeExpr::Simple(SimpleType::Tier, span) = t {
        return match kind {
            Some(k) => l.tier_scale(k, "a tier-typed value", *span),
            None => {
                let problem = crate::diagnostic::RatingProblem::TierOutsideKind;
                l.diags
                    .push(Diagnostic::new(DiagnosticKind::BadRating(problem), *span));
                None
            }
        };
    }
    if let TypeExpr::Simple(SimpleType::Text, span) = t {
        let what = match kind {
            Some(_) => "a derived value",
            None => "a parameter or a quota table",
        };
        let problem = crate::diagnostic::TextProblem::NotAFact { what: what.into() };
        l.diags
            .push(Diagnostic::new(DiagnosticKind::BadText(problem), *span));
        return None;
    }
    Some(match t {
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
            SimpleType::Date | SimpleType::Tier | SimpleType::Text => Type::Date,
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
    })
}

/// Whether a literal of type `lit` may be the value of something of type `declared`.
pub(crate) fn fits(declared: Type, lit: Type) -> bool {
    match (declared, lit) {
        (Type::Num(a), Type::Num(b)) => a.unify(b).is_some(),
        (a, b) => a == b,
    }
}
