//! Hover, go to definition and find references: the name at the cursor, resolved as the compiler
//! resolved it ([`duibiao_compiler::index::Index`]), and what its declaration says.

use crate::document::Document;
use crate::symbols::{citation, declarations, Declared, What};
use crate::Lang;
use duibiao_compiler::graph::{Cite, Graph, KindGraph, Source};
use duibiao_compiler::{Dim, Type};
use duibiao_syntax::ast::Span;
use duibiao_syntax::keywords::KEYWORDS;
use lsp_types::{Hover, HoverContents, Location, MarkupContent, MarkupKind, Position, Url};

/// The name at `pos`: where it is written, and the declarations it stands for (one, or one per
/// kind when a rule shared by several kinds means a different declaration in each).
pub fn target_at(doc: &Document, pos: Position) -> Option<(Span, Vec<Span>)> {
    let file = doc.analysis.file.as_ref()?;
    let offset = doc.offset(pos);
    let index = &doc.analysis.index;
    let mut used = None;
    let mut declared = Vec::new();
    for r in index.used_at(offset) {
        used = Some(r.used);
        if !declared.contains(&r.declared) {
            declared.push(r.declared);
        }
    }
    if let Some(used) = used {
        declared.sort_by_key(|s| s.start);
        return Some((used, declared));
    }
    let ds = declarations(file);
    let d = ds
        .iter()
        .find(|d| pointable(d) && d.name_span.start <= offset && offset <= d.name_span.end)?;
    Some((d.name_span, vec![d.name_span]))
}

/// Whether a declaration says something when pointed at: a name rules can use, or the label
/// of a tier condition (with its description and clause).
fn pointable(d: &Declared) -> bool {
    d.named || d.what == What::Condition
}

/// Where the name at `pos` is declared.
pub fn definition(doc: &Document, uri: &Url, pos: Position) -> Vec<Location> {
    let Some((_, declared)) = target_at(doc, pos) else {
        return Vec::new();
    };
    declared
        .into_iter()
        .map(|s| Location::new(uri.clone(), doc.range(s)))
        .collect()
}

/// Every place the name at `pos` is used, and its declaration when `declaration` is asked for;
/// in source order.
pub fn references(doc: &Document, uri: &Url, pos: Position, declaration: bool) -> Vec<Location> {
    let Some((_, declared)) = target_at(doc, pos) else {
        return Vec::new();
    };
    let mut spans: Vec<Span> = Vec::new();
    for d in &declared {
        if declaration {
            spans.push(*d);
        }
        spans.extend(doc.analysis.index.uses_of(*d));
    }
    spans.sort_by_key(|s| (s.start, s.end));
    spans.dedup();
    spans
        .into_iter()
        .map(|s| Location::new(uri.clone(), doc.range(s)))
        .collect()
}

/// What the declaration of the name at `pos` says: what it is and of which kinds, its type and
/// unit, its points, its description, the clause it cites and the clause's words.
pub fn hover(doc: &Document, pos: Position, lang: Lang) -> Option<Hover> {
    let Some((used, declared)) = target_at(doc, pos) else {
        return keyword_hover(doc, pos, lang);
    };
    let file = doc.analysis.file.as_ref()?;
    let ds = declarations(file);
    let parts: Vec<String> = declared
        .iter()
        .filter_map(|s| {
            let i = ds.iter().position(|d| pointable(d) && d.name_span == *s)?;
            Some(describe(doc, &ds, i, lang))
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: Some(doc.range(used)),
    })
}

/// On a keyword: its spelling in the other language (`所有` is `all`), for a reader who knows
/// one set of keywords and meets the other.
fn keyword_hover(doc: &Document, pos: Position, lang: Lang) -> Option<Hover> {
    let offset = doc.offset(pos);
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let start = doc.text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = doc.text[offset..]
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(doc.text.len(), |(i, _)| offset + i);
    let word = &doc.text[start..end];
    let k = KEYWORDS
        .iter()
        .find(|k| k.en == word || k.zh.contains(&word))?;
    let zh = k.zh.join("` / `");
    let value = match lang {
        Lang::Zh => format!("**{word}** · 关键字：`{zh}` / `{}`", k.en),
        Lang::En => format!("**{word}** · keyword: `{}` / `{zh}`", k.en),
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(doc.range(Span::new(start, end))),
    })
}

/// The hover text of declaration `ds[i]`.
fn describe(doc: &Document, ds: &[Declared], i: usize, lang: Lang) -> String {
    let d = &ds[i];
    let zh = lang == Lang::Zh;
    let mut head = format!("**{}** · {}", d.name, d.what.word(lang));
    if !d.kinds.is_empty() && d.what != What::Kind {
        let kinds = d.kinds.join("、");
        head.push_str(&if zh {
            format!("（{kinds}）")
        } else {
            format!(" ({kinds})")
        });
    }
    let mut lines = vec![head];
    let mut facts = Vec::new();
    let ty = doc.analysis.index.type_of(d.name_span);
    if let Some(t) = ty {
        let words = doc.analysis.index.describe(t, lang);
        facts.push(if zh {
            format!("类型：{words}")
        } else {
            format!("type: {words}")
        });
        if let Some(u) = unit(t, lang) {
            facts.push(if zh {
                format!("单位：{u}")
            } else {
                format!("unit: {u}")
            });
        }
    }
    if let Some(q) = d.points {
        let text = doc.text.get(q.span.start..q.span.end).unwrap_or("").trim();
        let label = match (d.what, zh) {
            (What::Scorecard, true) => "总分",
            (What::Scorecard, false) => "total",
            (What::Item, true) => "满分",
            (What::Item, false) => "max",
            (_, true) => "分值",
            (_, false) => "points",
        };
        facts.push(if zh {
            format!("{label}：{text}")
        } else {
            format!("{label}: {text}")
        });
    }
    if !facts.is_empty() {
        lines.push(facts.join(" · "));
    }
    if let Some(text) = d.doc {
        lines.push(text.value.clone());
    }
    let cite = compiled_cite(doc.analysis.compiled.graph.as_ref(), d.span).or_else(|| {
        citation(ds, i).map(|c| Cite {
            clause: c.clause.value.clone(),
            text: c.text.as_ref().map(|t| t.value.clone()),
        })
    });
    if let Some(c) = cite {
        lines.push(if zh {
            format!("依据：{}", c.clause)
        } else {
            format!("cites: {}", c.clause)
        });
        if let Some(t) = c.text {
            lines.push(format!("> {t}"));
        }
    }
    lines.join("\n\n")
}

/// The unit a type's values are in, when it has one.
fn unit(t: Type, lang: Lang) -> Option<&'static str> {
    let Type::Num(d) = t else { return None };
    Some(match (d, lang) {
        (Dim::Percent, _) => "%",
        (Dim::Money, _) => "元",
        (Dim::Area, Lang::Zh) => "平方米",
        (Dim::Area, Lang::En) => "m²",
        (Dim::Hours, Lang::Zh) => "学时",
        (Dim::Hours, Lang::En) => "hours",
        (Dim::Points, Lang::Zh) => "分",
        (Dim::Points, Lang::En) => "points",
        (Dim::Days, Lang::Zh) => "天",
        (Dim::Days, Lang::En) => "days",
        (Dim::Months, Lang::Zh) => "个月",
        (Dim::Months, Lang::En) => "months",
        _ => return None,
    })
}

/// The citation the compiler gave the rule declared at `span` (an item's is its scorecard's
/// clause with the item's number: `附件2 第6项`), when the standard compiled.
fn compiled_cite(graph: Option<&Graph>, span: Span) -> Option<Cite> {
    let graph = graph?;
    let at = (span.start, span.end);
    let mut sources: Vec<&Source> = Vec::new();
    for k in graph.kinds.iter().chain(std::iter::once(&graph.overall)) {
        kind_sources(k, &mut sources);
    }
    sources.extend(graph.params.iter().map(|p| &p.source));
    sources.extend(graph.targets.iter().map(|t| &t.source));
    sources.extend(graph.quotas.iter().map(|q| &q.source));
    sources
        .into_iter()
        .find(|s| s.span == at && s.cite.is_some())
        .and_then(|s| s.cite.clone())
}

fn kind_sources<'g>(k: &'g KindGraph, out: &mut Vec<&'g Source>) {
    out.push(&k.source);
    out.extend(k.inputs.iter().map(|i| &i.source));
    out.extend(k.derived.iter().map(|d| &d.source));
    for g in &k.groups {
        out.push(&g.source);
        out.extend(g.requirements.iter().map(|r| &r.source));
    }
    if let Some(card) = &k.scorecard {
        out.push(&card.source);
        for item in &card.items {
            out.push(&item.source);
            out.extend(item.parts.iter().map(|p| &p.source));
        }
    }
    for t in &k.tiers {
        out.push(&t.source);
        out.extend(t.conditions.iter().map(|c| &c.source));
    }
    out.extend(k.vetoes.iter().map(|v| &v.source));
    out.extend(k.consequences.iter().map(|c| &c.source));
}
