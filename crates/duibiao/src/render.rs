//! Problems rendered for people at a terminal: `file:line:col` and the code, the message in the
//! chosen language with the other beneath it, the source line underlined (and its related places,
//! such as a first declaration), and the help in the chosen language. The command line, and any
//! host that shows problems as text, use this one rendering.

use crate::problem::{Lines, Location, Problem, Severity};
use crate::Lang;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

/// Source text whose columns are counted in characters, as editors count them for Chinese text,
/// rather than in bytes. It borrows the text and its index of lines: a span is read from the
/// few lines around it, never from the start of the file, so that rendering many problems of
/// one file costs what the file's length costs.
struct CharColumns<'t> {
    name: String,
    text: &'t str,
    lines: &'t Lines<'t>,
}

impl SourceCode for CharColumns<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let end = span.offset().saturating_add(span.len());
        let (from, to, first_line) = self.lines.window(span.offset(), end, before, after);
        let window = self.text.get(from..to).ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let inner = window.read_span(&local, before, after)?;
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
            SourceSpan::new((inner.span().offset() + from).into(), inner.span().len()),
            inner.line() + first_line,
            column,
            // As miette counts them: every line from the start of the file.
            inner.line_count() + first_line,
        )))
    }
}

struct Shown<'a> {
    problem: &'a Problem,
    place: String,
    headline: String,
    help: Option<String>,
    src: CharColumns<'a>,
    span: SourceSpan,
    related: Vec<SourceSpan>,
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

impl miette::Diagnostic for Shown<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("{} {}", self.place, self.problem.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.problem.severity {
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
        let (zh, en) = duibiao_compiler::related_label(&self.problem.code);
        let (here, related) = match self.lang {
            Lang::Zh => ("此处", zh),
            Lang::En => ("here", en),
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(here.to_string()),
            self.span,
        )];
        for r in &self.related {
            labels.push(LabeledSpan::new_with_span(Some(related.to_string()), *r));
        }
        Some(Box::new(labels.into_iter()))
    }
}

/// The byte range of a source location, within a text of `len` bytes.
fn span_of(l: &Location, len: usize) -> Option<SourceSpan> {
    match l {
        Location::Source { start, end, .. } => {
            let start = (*start).min(len);
            let end = (*end).min(len).max(start);
            Some(SourceSpan::new(start.into(), end - start))
        }
        Location::Data { .. } => None,
    }
}

/// Renders a problem for a terminal without colour. With the source text of a problem located
/// in a `.std` file, the line is shown and underlined; otherwise the problem is one line: its
/// location, code and message in `lang`.
pub fn render(problem: &Problem, source: Option<&str>, lang: Lang) -> String {
    let lines = source.map(Lines::new);
    render_in(problem, source.zip(lines.as_ref()), lang)
}

/// [`render`], with the source's index of lines made once for all its problems.
fn render_in(problem: &Problem, source: Option<(&str, &Lines<'_>)>, lang: Lang) -> String {
    let (first, second) = match lang {
        Lang::Zh => (&problem.message.zh, &problem.message.en),
        Lang::En => (&problem.message.en, &problem.message.zh),
    };
    let place = problem
        .location
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    // A problem in data names its unit and key in its message: the line starts with the input
    // (a file's name); one in a `.std` file whose text is not at hand, with its place; a problem
    // with neither says what it is. The help follows, indented.
    let plain = || {
        let mut line = plain_line(problem, &place, lang);
        if let Some(help) = &problem.help {
            let word = match lang {
                Lang::Zh => "帮助：",
                Lang::En => "help: ",
            };
            line.push_str(&format!("  {word}{}\n", help.get(lang)));
        }
        line
    };
    let (Some((text, lines)), Some(loc @ Location::Source { file, .. })) =
        (source, &problem.location)
    else {
        return plain();
    };
    let Some(span) = span_of(loc, text.len()) else {
        return plain();
    };
    let shown = Shown {
        problem,
        place: place.clone(),
        headline: format!("{first}\n{second}"),
        help: problem.help.as_ref().map(|h| h.get(lang).to_string()),
        src: CharColumns {
            name: file.clone(),
            text,
            lines,
        },
        span,
        related: problem
            .related
            .iter()
            .filter_map(|r| span_of(r, text.len()))
            .collect(),
        lang,
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_wrap_lines(false)
        .with_links(false);
    if handler.render_report(&mut out, &shown).is_err() {
        return format!("{place} {}: {first}\n{second}\n", problem.code);
    }
    out
}

/// A problem on one line, without its source text: its input or place, code and message.
fn plain_line(problem: &Problem, place: &str, lang: Lang) -> String {
    match &problem.location {
        Some(Location::Data {
            input: Some(input),
            sheet: Some(sheet),
            cell,
            ..
        }) => format!(
            "{input} {sheet}!{}: {} {}\n",
            cell.as_deref().unwrap_or(""),
            problem.code,
            problem.message.get(lang)
        ),
        Some(Location::Data {
            input: Some(input), ..
        }) => format!("{input}: {} {}\n", problem.code, problem.message.get(lang)),
        Some(Location::Source { .. }) => {
            format!("{place}: {} {}\n", problem.code, problem.message.get(lang))
        }
        _ => {
            let (word, sep) = match (problem.severity, lang) {
                (Severity::Error, Lang::Zh) => ("错误", "："),
                (Severity::Warning, Lang::Zh) => ("警告", "："),
                (Severity::Error, Lang::En) => ("error", ": "),
                (Severity::Warning, Lang::En) => ("warning", ": "),
            };
            format!(
                "{word} {}{sep}{}\n",
                problem.code,
                problem.message.get(lang)
            )
        }
    }
}

/// Renders every problem, one after another (see [`render`]).
/// Problems shown with their source line are set apart by a blank line.
pub fn render_all(problems: &[Problem], source: Option<&str>, lang: Lang) -> String {
    let index = source.map(Lines::new);
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        let shown = render_in(p, source.zip(index.as_ref()), lang);
        if i > 0 && shown.lines().nth(1).is_some() {
            out.push('\n');
        }
        out.push_str(&shown);
    }
    out
}
