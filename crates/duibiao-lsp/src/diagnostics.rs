//! The compiler's diagnostics as the protocol's, in the client's language, and the quick fixes
//! for those the compiler knows how to fix: full-width punctuation (its half-width form), a
//! keyword used as a name (the name with `值` or `数` added, as the help says), a misspelt name
//! (the close declared name the compiler suggests).

use crate::document::Document;
use crate::Lang;
use duibiao_compiler::{related_label, Diagnostic, DiagnosticKind, Severity};
use duibiao_syntax::ast::Span;
use duibiao_syntax::Hint;
use lsp_types::{
    CodeAction, CodeActionKind, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, NumberOrString, Range, TextEdit, Url, WorkspaceEdit,
};
use std::collections::HashMap;

/// The protocol's diagnostics for a document, in `lang`, in the compiler's order.
pub fn diagnostics(doc: &Document, uri: &Url, lang: Lang) -> Vec<lsp_types::Diagnostic> {
    doc.analysis
        .compiled
        .diagnostics
        .iter()
        .map(|d| convert(doc, uri, d, lang))
        .collect()
}

/// One diagnostic: its code, its message and help in `lang`, its related places.
fn convert(doc: &Document, uri: &Url, d: &Diagnostic, lang: Lang) -> lsp_types::Diagnostic {
    let zh = lang == Lang::Zh;
    let mut message = if zh {
        d.kind.message_zh()
    } else {
        d.kind.to_string()
    };
    if let Some((hz, he)) = d.help() {
        message.push_str(&if zh {
            format!("\n帮助：{hz}")
        } else {
            format!("\nhelp: {he}")
        });
    }
    let (label_zh, label_en) = related_label(d.code());
    let label = if zh { label_zh } else { label_en };
    let related = (!d.related.is_empty()).then(|| {
        d.related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), doc.range(*r)),
                message: label.to_string(),
            })
            .collect()
    });
    let unused = matches!(
        d.kind,
        DiagnosticKind::UnusedFact { .. } | DiagnosticKind::UnusedParam(_)
    );
    lsp_types::Diagnostic {
        range: doc.range(d.span),
        severity: Some(match d.severity() {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code().to_string())),
        code_description: None,
        source: Some("duibiao".to_string()),
        message,
        related_information: related,
        tags: unused.then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// A fix: what to write over which span, and what the action is called in each language.
struct Fix {
    span: Span,
    text: String,
    title: (String, String),
    preferred: bool,
}

/// The fixes the compiler knows for diagnostic `d` of `text`.
fn fixes(text: &str, d: &Diagnostic) -> Vec<Fix> {
    let mut out = Vec::new();
    if let Some(s) = &d.suggestion {
        out.push(Fix {
            span: d.span,
            text: s.clone(),
            title: (format!("改为 `{s}`"), format!("Change to `{s}`")),
            preferred: true,
        });
    }
    match &d.kind {
        DiagnosticKind::FullWidth { found, ascii } if ascii.is_empty() => out.push(Fix {
            span: d.span,
            text: String::new(),
            title: (format!("删除 `{found}`"), format!("Delete `{found}`")),
            preferred: true,
        }),
        DiagnosticKind::FullWidth { found, ascii } => out.push(Fix {
            span: d.span,
            text: ascii.clone(),
            title: (
                format!("把 `{found}` 改为半角 `{ascii}`"),
                format!("Replace `{found}` with the half-width `{ascii}`"),
            ),
            preferred: true,
        }),
        DiagnosticKind::Syntax {
            hint: Some(Hint::Keyword(k)),
            ..
        } => {
            if let Some(span) = keyword_span(text, d.span, k) {
                for suffix in ["值", "数"] {
                    let name = format!("{k}{suffix}");
                    out.push(Fix {
                        span,
                        title: (
                            format!("把关键字 `{k}` 改名为 `{name}`"),
                            format!("Rename the keyword `{k}` to `{name}`"),
                        ),
                        text: name,
                        preferred: false,
                    });
                }
            }
        }
        _ => {}
    }
    out
}

/// Where keyword `k` stands in a syntax error at `span`: at its start (a keyword where a name
/// should be), or just before it (a keyword used as a label, `得分: …`, where the error is at
/// the colon).
fn keyword_span(text: &str, span: Span, k: &str) -> Option<Span> {
    if text.get(span.start..)?.starts_with(k) {
        return Some(Span::new(span.start, span.start + k.len()));
    }
    let before = text.get(..span.start)?.trim_end();
    before
        .strip_suffix(k)
        .map(|rest| Span::new(rest.len(), rest.len() + k.len()))
}

/// The quick fixes for the diagnostics of `doc` that touch `range`, each a workspace edit of the
/// document, titled in `lang`.
pub fn code_actions(doc: &Document, uri: &Url, range: Range, lang: Lang) -> Vec<CodeAction> {
    let wanted = doc.lines.span(&doc.text, range);
    let mut out = Vec::new();
    for d in &doc.analysis.compiled.diagnostics {
        if d.span.end < wanted.start || d.span.start > wanted.end {
            continue;
        }
        for fix in fixes(&doc.text, d) {
            let edit = TextEdit::new(doc.range(fix.span), fix.text);
            let changes = HashMap::from([(uri.clone(), vec![edit])]);
            out.push(CodeAction {
                title: match lang {
                    Lang::Zh => fix.title.0,
                    Lang::En => fix.title.1,
                },
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![convert(doc, uri, d, lang)]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                command: None,
                is_preferred: Some(fix.preferred),
                disabled: None,
                data: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::keyword_span;
    use duibiao_syntax::ast::Span;

    #[test]
    fn a_keyword_at_or_before_the_error() {
        let text = "facts 小区 { 数量: int }";
        let at = text.find("数量").unwrap_or(0);
        assert_eq!(
            keyword_span(text, Span::new(at, at + 7), "数量"),
            Some(Span::new(at, at + "数量".len()))
        );
        let text = "  得分: score >= 6";
        let colon = text.find(':').unwrap_or(0);
        assert_eq!(
            keyword_span(text, Span::new(colon, colon + 1), "得分"),
            Some(Span::new(2, 2 + "得分".len()))
        );
        assert_eq!(keyword_span(text, Span::new(0, 1), "数量"), None);
    }
}
