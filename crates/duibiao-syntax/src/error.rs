//! Syntax errors: what the parser could not read, and where.

use crate::ast::Span;
use serde::Serialize;

/// One syntax error. The compiler turns these into coded, bilingual diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    /// What went wrong.
    pub kind: SyntaxErrorKind,
    /// Where.
    pub span: Span,
}

/// The kinds of syntax error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SyntaxErrorKind {
    /// The text does not fit the grammar here.
    Unexpected {
        /// What could have come here, in words a policy writer knows.
        expected: Vec<Expected>,
        /// What was found instead (a short excerpt), or `None` at the end of the file.
        found: Option<String>,
        /// What the writer most likely meant, when the text around the error tells.
        hint: Option<Hint>,
    },
    /// Full-width punctuation that the language does not accept in this position.
    FullWidth {
        /// The character found.
        found: char,
        /// Its half-width form.
        ascii: &'static str,
    },
    /// A string that is not closed before the end of the line.
    UnclosedString,
    /// A header field written twice.
    DuplicateField(String),
    /// A date that is not a calendar date (`2021-02-30`).
    InvalidDate(String),
    /// A number too large or too precise to hold exactly.
    InvalidNumber(String),
    /// Brackets nested deeper than the limit.
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// More `if` expressions in one declaration than the limit.
    TooManyIfs {
        /// The limit.
        limit: usize,
    },
    /// An arithmetic chain (`a + b + …`) longer than the limit.
    TooLong {
        /// The limit, in terms.
        limit: usize,
    },
    /// The file is larger than the limit.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The file's size, in bytes.
        found: usize,
    },
}

/// A mistake recognised behind a syntax error, so that the message can say what is wrong and how
/// to write it rather than list what the grammar expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Hint {
    /// A keyword used as a name: where it is declared (`比例: percent`), as a label (`得分: …`)
    /// or as an operand (`比例 * 2`, `比例 >= 30%`).
    Keyword(String),
    /// Two comparisons in a row (`80 <= score < 90`).
    ChainedComparison {
        /// The condition as written.
        written: String,
        /// The first comparison, with the shared operand on the left (`score >= 80`).
        first: String,
        /// The second comparison (`score < 90`).
        second: String,
    },
    /// A derived value written with `:` (`比例: 工作者数 / 户数`) where `=` belongs.
    DerivedColon {
        /// The derived value's name.
        name: String,
        /// Its formula as written.
        expr: String,
        /// The colon as written (`:` or `：`).
        colon: char,
    },
}

/// Something that could have come where a syntax error is, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expected {
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}
