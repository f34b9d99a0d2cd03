//! The compiler's driver: parse, collect declarations per kind, lower every rule, check what the
//! writer probably did not mean, and assemble the immutable [`Graph`].

use crate::analysis;
use crate::diagnostic::{Diagnostic, DiagnosticKind, Severity};
use crate::graph::*;
use crate::kinds::{self, Kinds};
use crate::lower::{self, KindState, Lowerer};
use crate::types::{Dim, Type};
use duibiao_syntax::ast::{self, Decl, SimpleType, Span, TypeExpr, UnitSuffix};
use indexmap::IndexMap;
use rust_decimal::Decimal;

/// The result of compiling a `.std` file: the graph when there are no errors, and every
/// diagnostic (errors and warnings) in source order.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The graph; `None` when any diagnostic is an error.
    pub graph: Option<Graph>,
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

/// Compiles the text of a `.std` file.
pub fn compile(src: &str) -> Compiled {
    let file = match duibiao_syntax::parse(src) {
        Ok(f) => f,
        Err(errors) => {
            return Compiled {
                graph: None,
                diagnostics: errors.into_iter().map(Diagnostic::from).collect(),
            }
        }
    };
    let mut diags = Vec::new();
    let kinds = kinds::collect(&file, &mut diags);
    let info = header(&file.header, &mut diags);
    let mut l = Lowerer {
        src,
        kinds: &kinds,
        states: kinds
            .decls
            .values()
            .map(|k| KindState::new(k.name.name.clone(), lower::source(&k.ann, k.span)))
            .collect(),
        params: IndexMap::new(),
        param_used: Vec::new(),
        poisoned: Default::default(),
        enums: Vec::new(),
        diags,
    };
    declare_params(&mut l, &file);
    declare(&mut l, &kinds, &file);
    for &k in &kinds.order {
        lower_kind(&mut l, k as usize);
    }
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
        Some(assemble(l, &kinds, info))
    };
    Compiled { graph, diagnostics }
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
fn resolve_type(l: &mut Lowerer, t: &TypeExpr) -> Type {
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

fn declare_params(l: &mut Lowerer, file: &ast::File) {
    for d in &file.decls {
        let Decl::Param(p) = d else { continue };
        let declared = p.ty.as_ref().map(|t| resolve_type(l, t));
        let value = p.value.as_ref().map(lower::literal);
        let ty = match (declared, value) {
            (Some(t), Some((_, vt))) => {
                let fits = match (t, vt) {
                    (Type::Num(a), Type::Num(b)) => a.unify(b).is_some(),
                    (a, b) => a == b,
                };
                if !fits {
                    let problem = format!(
                        "value does not fit its type: {}, found {}",
                        t.describe(&l.enums),
                        vt.describe(&l.enums)
                    );
                    l.diags.push(Diagnostic::new(
                        DiagnosticKind::BadParam {
                            name: p.name.name.clone(),
                            problem,
                        },
                        p.value.as_ref().map_or(p.span, |v| v.span()),
                    ));
                }
                t
            }
            (Some(t), None) => t,
            (None, Some((_, vt))) => vt,
            (None, None) => {
                l.diags.push(Diagnostic::new(
                    DiagnosticKind::BadParam {
                        name: p.name.name.clone(),
                        problem: "has neither a type nor a value".into(),
                    },
                    p.span,
                ));
                // Uses of the parameter are not reported again as unknown names.
                l.poisoned.insert(p.name.name.clone());
                continue;
            }
        };
        if let Some(first) = l.params.get(&p.name.name).map(|x| x.1) {
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
                    value: value.map(|v| v.0),
                    source: lower::source(&p.ann, p.span),
                },
                p.name.span,
            ),
        );
        l.param_used.push(false);
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
fn assemble(l: Lowerer, kinds: &Kinds, info: StandardInfo) -> Graph {
    let src = l.src;
    let text = |span: Span| src.get(span.start..span.end).unwrap_or("").to_string();
    let Lowerer {
        states,
        params,
        enums,
        ..
    } = l;
    let kinds_out = states
        .into_iter()
        .enumerate()
        .map(|(i, mut st)| {
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
                children: kinds.children[i].clone(),
                inputs: st.inputs,
                nodes: st.nodes,
                types: st.types,
                scorecard: st.scorecard,
                derived,
                groups,
                tiers,
                vetoes: st.vetoes.into_iter().filter_map(|(_, v)| v).collect(),
            }
        })
        .collect();
    Graph {
        info,
        kinds: kinds_out,
        params: params.into_values().map(|(p, _)| p).collect(),
        enums,
    }
}
