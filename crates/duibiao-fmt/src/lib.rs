//! The formatter of duibiao standards (`duibiao fmt`): one layout for every `.std` file, keeping
//! what its writer chose.
//!
//! Kept as written: every keyword in its language (`单位` stays `单位`, `kind` stays `kind`),
//! names, strings (their full-width punctuation included), numbers with their units, dates,
//! comparison words, and every comment, where it was: a comment on a line of its own stays on a
//! line of its own before the same code, a comment at the end of a line stays at the end of it.
//!
//! Laid out anew: two spaces of indentation per level of braces; one declaration or member per
//! line; one blank line between sections (a change of declaration, or a declaration with a
//! block), at most one where the writer left blank lines; one space between tokens, none before
//! `,` `:` `;` `)` or after `(`; `：，（）` in code written half-width; no white space at the end
//! of a line, and one line break at the end of the file.
//!
//! The formatted text means the same standard: its fingerprint is the source's. Formatting it
//! again changes nothing.
//!
//! ```
//! let src = "标准 shili { 标题 \"示例\" }\n单位 社区   \"城市社区\"\n填报 社区{户数：整数 # 年末数\n}";
//! let formatted = duibiao_fmt::format(src).map_err(|e| format!("{e:?}"))?;
//! assert_eq!(
//!     formatted,
//!     "标准 shili {\n  标题 \"示例\"\n}\n\n单位 社区 \"城市社区\"\n\n填报 社区 {\n  户数: 整数 # 年末数\n}\n"
//! );
//! # Ok::<(), String>(())
//! ```

mod gap;
mod layout;
mod printer;

use duibiao_syntax::ast::Span;
use duibiao_syntax::{SourceLimits, SyntaxError, SyntaxErrorKind};
use pest::Parser as _;

mod grammar {
    /// The grammar of `grammar/standard.pest`, parsed into pairs that keep every token's span.
    #[derive(pest_derive::Parser)]
    #[grammar = "../../grammar/standard.pest"]
    pub(crate) struct Grammar;
}

use grammar::{Grammar, Rule};

/// Formats the text of a `.std` file within the default [`SourceLimits`]. A file that does not
/// parse is not formatted: its syntax errors are returned, as the compiler reports them.
pub fn format(source: &str) -> Result<String, Vec<SyntaxError>> {
    format_with(source, &SourceLimits::default())
}

/// As [`format`], within `limits`.
pub fn format_with(source: &str, limits: &SourceLimits) -> Result<String, Vec<SyntaxError>> {
    // The syntax tree's parser gives the diagnostics (and checks the limits); the parse tree
    // of the same grammar gives the tokens. Both recurse once per level of nesting, which the
    // limits bound, on a stack as large as the parser's.
    duibiao_syntax::parse_with(source, limits)?;
    stacker::grow(STACK, || {
        let file = Grammar::parse(Rule::file, source)
            .ok()
            .and_then(|mut pairs| pairs.next())
            .ok_or_else(|| vec![unparsed(source)])?;
        Ok(layout::file(file, printer::Printer::new(source)))
    })
}

/// The error of a text the syntax tree's parser reads and the parse tree's does not: never, as
/// both are the one grammar.
fn unparsed(source: &str) -> SyntaxError {
    SyntaxError {
        kind: SyntaxErrorKind::Unexpected {
            expected: Vec::new(),
            found: None,
            hint: None,
        },
        span: Span::new(0, source.len()),
    }
}

/// Stack for one format: as much as one parse takes.
const STACK: usize = 64 * 1024 * 1024;
