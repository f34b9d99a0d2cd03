//! From text to syntax tree: the pest grammar in `grammar/standard.pest`, then a walk over its
//! pairs that builds the typed tree of [`crate::ast`].

mod decls;
mod errors;
mod exprs;
mod guide;
mod hints;
mod literals;
mod rating;

use crate::ast::*;
use crate::error::{Expected, SyntaxError, SyntaxErrorKind};
use crate::prescan::{prescan, SourceLimits};
use errors::{convert_error, resume_after};
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../../../grammar/standard.pest"]
struct StdParser;

type P<'a> = Pair<'a, Rule>;

/// The children of a pair, without punctuation (named in the grammar only for error messages).
type Kids<'a> =
    std::iter::Peekable<std::iter::Filter<pest::iterators::Pairs<'a, Rule>, fn(&P<'a>) -> bool>>;

fn not_punctuation(p: &Pair<'_, Rule>) -> bool {
    !matches!(
        p.as_rule(),
        Rule::colon
            | Rule::comma
            | Rule::lparen
            | Rule::rparen
            | Rule::lbrace
            | Rule::rbrace
            | Rule::semi
    )
}

fn kids<'a>(p: P<'a>) -> Kids<'a> {
    let keep: fn(&P<'a>) -> bool = not_punctuation;
    p.into_inner().filter(keep).peekable()
}

/// Parses a whole `.std` file within the default [`SourceLimits`]. On failure, returns every
/// problem the scan before parsing found, or the first place the grammar could not go on.
pub fn parse(src: &str) -> Result<File, Vec<SyntaxError>> {
    parse_with(src, &SourceLimits::default())
}

/// As [`parse`], within `limits`.
pub fn parse_with(src: &str, limits: &SourceLimits) -> Result<File, Vec<SyntaxError>> {
    // The grammar is recursive; nesting is bounded by the scan before parsing, and the parse
    // runs on a stack large enough for that bound whatever thread calls it.
    stacker::grow(PARSE_STACK, || parse_on_stack(src, limits))
}

/// Stack for one parse: enough for the deepest nesting the scan before parsing lets through.
const PARSE_STACK: usize = 64 * 1024 * 1024;

fn parse_on_stack(src: &str, limits: &SourceLimits) -> Result<File, Vec<SyntaxError>> {
    let pre = prescan(src, limits);
    if !pre.is_empty() {
        return Err(pre);
    }
    let mut pairs = match StdParser::parse(Rule::file, src) {
        Ok(p) => p,
        Err(e) => return Err(resume_after(src, convert_error(src, 0, e))),
    };
    let file = pairs.next().ok_or_else(|| {
        vec![SyntaxError {
            kind: SyntaxErrorKind::Unexpected {
                expected: vec![Expected {
                    zh: "`standard` / `标准`".into(),
                    en: "`standard` / `标准`".into(),
                }],
                found: None,
                hint: None,
            },
            span: Span::new(0, 0),
        }]
    })?;
    let mut b = Builder { errors: Vec::new() };
    let ast = b.file(file);
    if b.errors.is_empty() {
        Ok(ast)
    } else {
        Err(b.errors)
    }
}

/// The span of a pair without the white space and comments that the grammar's implicit
/// separators let it swallow at its end.
fn span(p: &P) -> Span {
    let s = p.as_span();
    let mut text = s.as_str();
    loop {
        text = text.trim_end();
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        match comment_start(&text[line_start..]) {
            Some(c) => text = &text[..line_start + c],
            None => break,
        }
    }
    Span::new(s.start(), s.start() + text.len())
}

/// Where a `#` comment starts in one line, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    let (mut ascii, mut cjk) = (false, 0usize);
    for (i, c) in line.char_indices() {
        match c {
            '"' if cjk == 0 => ascii = !ascii,
            '“' if !ascii => cjk += 1,
            '”' if !ascii => cjk = cjk.saturating_sub(1),
            '#' if !ascii && cjk == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

struct Builder {
    errors: Vec<SyntaxError>,
}

impl Builder {
    fn err(&mut self, kind: SyntaxErrorKind, span: Span) {
        self.errors.push(SyntaxError { kind, span });
    }
}

/// Reads a quantity as a facts file may write it: `350`, `8.5`, `30%`, `-1%`, `350平方米`,
/// `15万元`. A minus sign directly before the digits negates it (what `duibiao` itself writes
/// for a negative percentage, so every value it prints reads back). Returns `None` when the text
/// is not exactly one quantity.
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => (true, rest),
        _ => (false, text),
    };
    let mut pairs = StdParser::parse(Rule::quantity, text).ok()?;
    let p = pairs.next()?;
    if p.as_str().len() != text.len() {
        return None;
    }
    let mut b = Builder { errors: Vec::new() };
    let mut q = b.quantity(p);
    if negative {
        q.number = -q.number;
    }
    b.errors.is_empty().then_some(q)
}

/// Whether `word` is exactly one keyword of the grammar.
#[cfg(test)]
pub(crate) fn is_keyword(word: &str) -> bool {
    StdParser::parse(Rule::keyword, word)
        .ok()
        .and_then(|mut p| p.next())
        .is_some_and(|p| p.as_str() == word)
}
