//! Lowering what a kind declares: targets, consequences, scorecards and their points, and every
//! named rule of each kind.

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::graph::*;
use crate::kinds::Kinds;
use crate::lower::{self, Lowerer};
use crate::types::{Dim, Type};
use crate::value::Value;
use duibiao_syntax::ast::{self, Decl, UnitSuffix};
use rust_decimal::Decimal;

/// Lowers every target: per unit of its kinds, or once in the whole forest.
pub(super) fn lower_targets(l: &mut Lowerer, kinds: &Kinds, file: &ast::File) -> Vec<Target> {
    let overall = kinds.decls.len();
    let mut targets = Vec::new();
    for d in &file.decls {
        let Decl::Target(t) = d else { continue };
        let (due, quota) = match &t.due {
            ast::Due::Date(d) => (vec![d.date], None),
            ast::Due::Quota(q) => match l.quotas.get_index_of(&q.name) {
                Some(i) => {
                    l.quota_used[i] = true;
                    l.refer(q.span, l.quotas[i].1);
                    (l.quotas[i].0.columns.clone(), Some(i))
                }
                None => {
                    let close =
                        crate::diagnostic::closest(&q.name, l.quotas.keys().map(String::as_str));
                    l.diags.push(
                        Diagnostic::new(DiagnosticKind::UnknownQuota(q.name.clone()), q.span)
                            .suggesting(close.map(str::to_string)),
                    );
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
                for k in l.kinds_of(ks) {
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

/// Lowers what a kind's rules read before any of its named rules: its scorecard, vetoes, score
/// formula, reasons not to rate and caps. Every kind is prepared before any kind's rules are
/// lowered: a rank of several kinds together reads the others' scores and tiers.
pub(super) fn prepare_kind(l: &mut Lowerer, k: usize) {
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
    l.lower_ratings(k);
}

/// Lowers one prepared kind's consequences, then every named rule (used or not, so that all are
/// checked).
pub(super) fn lower_kind(l: &mut Lowerer, k: usize) {
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
        // An item without a description of its own is described by its title (also where it
        // is one points input: a plan's change names it so).
        let item_source = Source::new(
            Some(
                it.ann
                    .doc
                    .as_ref()
                    .map_or(&it.title.value, |d| &d.value)
                    .clone(),
            ),
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
