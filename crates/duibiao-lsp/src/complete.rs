//! Completion and the outline: the keywords in both languages and the names in scope at the
//! cursor; the standard's declarations as a tree of document symbols.

use crate::document::Document;
use crate::symbols::{declarations, Declared, What};
use crate::Lang;
use duibiao_syntax::ast::Span;
use duibiao_syntax::keywords::KEYWORDS;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, DocumentSymbol, Position, Range,
    TextEdit,
};

/// What may be written at `pos`: the names in scope (those of the kinds the declaration at the
/// cursor is about, the parameters, quota tables, kinds and tiers), then the keywords, each in
/// both languages. Names come from the last text that parsed, so that they are offered while
/// the writer is in the middle of an edit.
pub fn completion(doc: &Document, pos: Position, lang: Lang) -> Vec<CompletionItem> {
    let offset = doc.offset(pos);
    let start = word_start(&doc.text, offset);
    let range = doc.range(Span::new(start, offset));
    let mut items: Vec<CompletionItem> = Vec::new();
    if let Some(file) = doc.last_parsed() {
        let ds = declarations(file);
        let scope = scope_at(&ds, offset);
        let wanted = wanted_after(&doc.text, start);
        if wanted == Some(What::Item) {
            return score_keys(&ds, &scope, range);
        }
        // One item per name, with the kinds of all its declarations (`标准型` is a tier of
        // several kinds).
        let mut names: Vec<(&Declared, Vec<&str>)> = Vec::new();
        for d in ds.iter().filter(|d| d.named && in_scope(d, &scope)) {
            // Scored entries are offered after `score`; a cap's or a reason's name is read by
            // nothing.
            let unread = matches!(d.what, What::Item | What::Part | What::Cap | What::Unrated);
            // A kind of record is a kind aggregates name.
            let what = match d.what {
                What::Records => What::Kind,
                w => w,
            };
            if unread || wanted.is_some_and(|w| w != what) {
                continue;
            }
            match names.iter_mut().find(|(n, _)| n.name == d.name) {
                Some((_, kinds)) => {
                    for k in &d.kinds {
                        if !kinds.contains(k) {
                            kinds.push(k);
                        }
                    }
                }
                None => names.push((d, d.kinds.clone())),
            }
        }
        for (d, kinds) in names {
            let mut detail = d.what.word(lang).to_string();
            if !kinds.is_empty() && d.what != What::Kind {
                detail.push_str(&format!(" · {}", kinds.join("、")));
            }
            let doc = d.doc.map(|t| t.value.clone());
            items.push(item(&d.name, kind_of(d.what), detail, "0", range, doc));
        }
    }
    for k in KEYWORDS {
        let zh = k.zh.first().copied().unwrap_or(k.en);
        let (first, second) = match lang {
            Lang::Zh => ("1", "2"),
            Lang::En => ("2", "1"),
        };
        for w in k.zh {
            items.push(item(
                w,
                CompletionItemKind::KEYWORD,
                k.en.to_string(),
                first,
                range,
                None,
            ));
        }
        items.push(item(
            k.en,
            CompletionItemKind::KEYWORD,
            zh.to_string(),
            second,
            range,
            None,
        ));
    }
    items
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    detail: String,
    group: &str,
    range: Range,
    doc: Option<String>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        documentation: doc.map(lsp_types::Documentation::String),
        sort_text: Some(format!("{group}{label}")),
        filter_text: Some(label.to_string()),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range,
            label.to_string(),
        ))),
        ..CompletionItem::default()
    }
}

/// Where the name being typed before `offset` starts.
fn word_start(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()
        .map_or(offset, |(i, _)| i)
}

/// After `score`: the keys of the scorecard entries of the kinds in scope (`6` for item 6,
/// `6.1` for its first part), in the scorecard's order, each with its title.
fn score_keys(ds: &[Declared], scope: &[&str], range: Range) -> Vec<CompletionItem> {
    ds.iter()
        .filter(|d| matches!(d.what, What::Item | What::Part) && in_scope(d, scope))
        .enumerate()
        .map(|(i, d)| {
            let (key, title) = d.name.split_once(' ').unwrap_or((&d.name, ""));
            let mut it = item(
                key,
                CompletionItemKind::ENUM_MEMBER,
                title.to_string(),
                "0",
                range,
                None,
            );
            it.sort_text = Some(format!("0{i:05}"));
            it
        })
        .collect()
}

/// What the keyword before the word being typed (which starts at `start`) asks for, when it
/// narrows it down: kinds after `facts`, `tiers`, `contains`, `on`, an aggregate's `count` …;
/// tiers after `at`, `requires` and `blocks`.
fn wanted_after(text: &str, start: usize) -> Option<What> {
    let before = text[..start].trim_end_matches([' ', '\t', '\u{3000}']);
    let word = &before[word_start(before, before.len())..];
    let k = KEYWORDS
        .iter()
        .find(|k| k.en == word || k.zh.contains(&word))?;
    match k.en {
        "contains" | "facts" | "derive" | "requirements" | "scorecard" | "tiers" | "veto"
        | "on" | "all" | "any" | "count" | "share" | "sum" | "direct" => Some(What::Kind),
        "at" | "requires" | "blocks" => Some(What::Tier),
        "score" => Some(What::Item),
        _ => None,
    }
}

/// The kinds of the top-level declaration around `offset`; empty outside any, or in one about
/// no kind (a parameter, an `overall` target), where every name may be meant.
fn scope_at<'f>(ds: &[Declared<'f>], offset: usize) -> Vec<&'f str> {
    ds.iter()
        .filter(|d| d.parent.is_none() && d.what != What::Standard)
        .find(|d| d.span.start <= offset && offset <= d.span.end)
        .map(|d| d.kinds.clone())
        .unwrap_or_default()
}

/// Whether `d` may be named in a rule of the kinds `scope`: names of those kinds, and what any
/// rule may name (parameters, quota tables, kinds, and tiers, which aggregates name).
fn in_scope(d: &Declared, scope: &[&str]) -> bool {
    scope.is_empty()
        || matches!(
            d.what,
            What::Param | What::Quota | What::Kind | What::Records | What::Tier
        )
        || d.kinds.iter().any(|k| scope.contains(k))
}

fn kind_of(what: What) -> CompletionItemKind {
    match what {
        What::Kind | What::Records => CompletionItemKind::CLASS,
        What::Fact => CompletionItemKind::FIELD,
        What::Param => CompletionItemKind::CONSTANT,
        What::Derived => CompletionItemKind::PROPERTY,
        What::Tier => CompletionItemKind::ENUM_MEMBER,
        What::Quota => CompletionItemKind::VARIABLE,
        What::Veto | What::Target => CompletionItemKind::EVENT,
        _ => CompletionItemKind::VALUE,
    }
}

/// The outline: every declaration, nested as the file nests them (blocks, then their facts,
/// items and parts, tiers and their labelled conditions, groups and their requirements).
pub fn outline(doc: &Document, lang: Lang) -> Vec<DocumentSymbol> {
    let Some(file) = &doc.analysis.file else {
        return Vec::new();
    };
    let ds = declarations(file);
    children(doc, &ds, None, lang)
}

fn children(
    doc: &Document,
    ds: &[Declared],
    parent: Option<usize>,
    lang: Lang,
) -> Vec<DocumentSymbol> {
    ds.iter()
        .enumerate()
        .filter(|(_, d)| d.parent == parent)
        .map(|(i, d)| {
            let kids = children(doc, ds, Some(i), lang);
            let detail = d
                .cite
                .map(|c| c.clause.value.clone())
                .or_else(|| Some(d.what.word(lang).to_string()));
            let name = match d.what {
                What::Facts | What::Derive | What::Scorecard | What::Tiers => {
                    format!("{} {}", d.what.word(lang), d.kinds.join("、"))
                }
                _ => d.name.clone(),
            };
            #[allow(deprecated)]
            DocumentSymbol {
                name,
                detail,
                kind: d.what.symbol_kind(),
                tags: None,
                deprecated: None,
                range: doc.range(d.span),
                selection_range: doc.range(d.name_span),
                children: (!kids.is_empty()).then_some(kids),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::word_start;

    #[test]
    fn what_a_keyword_asks_for() {
        use super::{wanted_after, What};
        let t = "  所辖全部标准型: all 社区 at 标";
        assert_eq!(wanted_after(t, t.len() - "标".len()), Some(What::Tier));
        assert_eq!(
            wanted_after(t, t.find("社区").unwrap_or(0)),
            Some(What::Kind)
        );
        assert_eq!(wanted_after("facts ", 6), Some(What::Kind));
        assert_eq!(wanted_after("得分 >= ", 9), None);
        assert_eq!(wanted_after("", 0), None);
    }

    #[test]
    fn the_word_being_typed() {
        let t = "score >= 一定量标准";
        assert_eq!(word_start(t, t.len()), t.find('一').unwrap_or(0));
        assert_eq!(word_start(t, 5), 0);
        assert_eq!(word_start(t, 6), 6);
        assert_eq!(word_start("", 0), 0);
    }
}
