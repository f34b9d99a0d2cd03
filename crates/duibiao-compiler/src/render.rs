//! Rendering diagnostics for people: `file:line:col`, the code, the message in the chosen language
//! with the other beneath it, and the offending source line underlined.

use crate::diagnostic::{Diagnostic, Severity};
use duibiao_syntax::ast::Span;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use serde::Serialize;
use std::fmt;

/// The language of messages and explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 中文.
    #[default]
    Zh,
    /// English.
    En,
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(src.len());
    let mut line = 1;
    let mut col = 1;
    for (i, c) in src.char_indices() {
        if i >= byte {
            break;
        }
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

/// A diagnostic as JSON-ready data: code, severity, both messages, help, file, line, column, span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosticReport {
    /// The stable code.
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The message in Chinese.
    pub message_zh: String,
    /// The message in English.
    pub message_en: String,
    /// Help in Chinese.
    pub help_zh: Option<String>,
    /// Help in English.
    pub help_en: Option<String>,
    /// The file name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte span `[start, end)`.
    pub span: (usize, usize),
}

impl DiagnosticReport {
    /// Builds the report of `d` in file `file` with text `src`.
    pub fn new(d: &Diagnostic, file: &str, src: &str) -> Self {
        let (line, column) = line_col(src, d.span.start);
        let help = d.kind.help();
        DiagnosticReport {
            code: d.code(),
            severity: d.severity(),
            message_zh: d.kind.message_zh(),
            message_en: d.kind.to_string(),
            help_zh: help.as_ref().map(|h| h.0.clone()),
            help_en: help.map(|h| h.1),
            file: file.to_string(),
            line,
            column,
            span: (d.span.start, d.span.end),
        }
    }
}

/// Source text whose columns are counted in characters, as editors count them for Chinese text,
/// rather than in bytes.
struct CharColumns {
    name: String,
    text: String,
}

impl SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let column = if before == 0 {
            let start = span.offset().min(self.text.len());
            let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
            self.text
                .get(line_start..start)
                .map_or(0, |s| s.chars().count())
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

struct Shown<'a> {
    report: &'a DiagnosticReport,
    headline: String,
    help: Option<String>,
    src: CharColumns,
    span: Span,
    related: Option<Span>,
    lang: Lang,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline)
    }
}

impl std::error::Error for Shown<'_> {}

fn source_span(s: Span) -> SourceSpan {
    SourceSpan::new(s.start.into(), s.end.saturating_sub(s.start))
}

impl miette::Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{}:{}:{} {}",
            self.report.file, self.report.line, self.report.column, self.report.code
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.report.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(match self.lang {
                Lang::Zh => "此处".to_string(),
                Lang::En => "here".to_string(),
            }),
            source_span(self.span),
        )];
        if let Some(r) = self.related {
            labels.push(LabeledSpan::new_with_span(
                Some(match self.lang {
                    Lang::Zh => "首次声明于此".to_string(),
                    Lang::En => "first declared here".to_string(),
                }),
                source_span(r),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// Renders `d` for a terminal without colour: the location and code, the message in `lang` with
/// the other language beneath, the source line underlined, and the help text.
pub fn render(d: &Diagnostic, file: &str, src: &str, lang: Lang) -> String {
    let report = DiagnosticReport::new(d, file, src);
    let (first, second) = match lang {
        Lang::Zh => (&report.message_zh, &report.message_en),
        Lang::En => (&report.message_en, &report.message_zh),
    };
    let help = match lang {
        Lang::Zh => report.help_zh.clone(),
        Lang::En => report.help_en.clone(),
    };
    let len = src.len();
    let clamp = |s: Span| Span::new(s.start.min(len), s.end.min(len).max(s.start.min(len)));
    let shown = Shown {
        report: &report,
        headline: format!("{first}\n{second}"),
        help,
        src: CharColumns {
            name: file.to_string(),
            text: src.to_string(),
        },
        span: clamp(d.span),
        related: d.related.map(clamp),
        lang,
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_wrap_lines(false)
        .with_links(false);
    if handler.render_report(&mut out, &shown).is_err() {
        out = format!(
            "{}:{}:{} {}: {first}\n{second}\n",
            report.file, report.line, report.column, report.code
        );
    }
    out
}
