//! One shape for everything that can go wrong: compile diagnostics, facts-loading errors,
//! parameter errors, plan errors and protocol errors. A [`Problem`] has a stable code (listed in
//! `docs/error-codes.md` and in [`crate::codes::CODES`]), a severity, a message and help in
//! Chinese and English, and a location that is either a place in a `.std` file or a position in
//! the data (unit id, key, JSON pointer, and for spreadsheets a sheet and cell).

use crate::codes::Code;
use duibiao_compiler::diagnostic::Diagnostic;
use duibiao_compiler::render::line_col;
use duibiao_engine::facts::{FactsError, FactsErrorKind};
use duibiao_engine::MissingParam;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a problem is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something is probably not what was meant; the work went on.
    Warning,
    /// Something could not be used: a standard that does not compile, a value ignored, a call
    /// that failed.
    Error,
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Text {
    /// 中文.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A text from its Chinese and English forms.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Zh => &self.zh,
            crate::Lang::En => &self.en,
        }
    }
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Location {
    /// A place in a `.std` file.
    Source {
        /// The file name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters (as editors count Chinese text).
        column: usize,
        /// Byte offset where it starts.
        start: usize,
        /// Byte offset where it ends (exclusive).
        end: usize,
    },
    /// A position in data: a facts file, a request, a spreadsheet.
    Data {
        /// Which input: the facts file's name, `before`/`after` for a diff, `request`, or the
        /// argument of a command (`--param`, `--set`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        input: Option<String>,
        /// The unit's id, when the problem is in a unit.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        /// The key: a fact's name, a scored part (`6.1`), a parameter or a field.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
        /// A JSON pointer (RFC 6901) into the input, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pointer: Option<String>,
        /// A spreadsheet's sheet, when the input is a workbook.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sheet: Option<String>,
        /// A spreadsheet's cell (`F7`), when the input is a workbook.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cell: Option<String>,
    },
}

impl Location {
    /// A place in a `.std` file, from a byte range of its text. (Finding the line reads the text
    /// up to `start`: for many places in one text, [`Lines`] reads it once.)
    pub fn source(file: &str, text: &str, start: usize, end: usize) -> Self {
        let (line, column) = line_col(text, start);
        Location::source_at(file, (line, column), start, end)
    }

    /// A place in a `.std` file whose text `lines` indexes, from a byte range of the text: the
    /// same as [`Location::source`] of the text, without reading it again.
    pub(crate) fn source_in(file: &str, lines: &Lines, start: usize, end: usize) -> Self {
        Location::source_at(file, lines.line_col(start), start, end)
    }

    fn source_at(file: &str, (line, column): (usize, usize), start: usize, end: usize) -> Self {
        Location::Source {
            file: file.to_string(),
            line,
            column,
            start,
            end,
        }
    }

    /// A position in data: which input, and the unit and key when there are.
    pub fn data(input: Option<&str>, unit: Option<&str>, key: Option<&str>) -> Self {
        Location::Data {
            input: input.map(str::to_string),
            unit: unit.map(str::to_string),
            key: key.map(str::to_string),
            pointer: None,
            sheet: None,
            cell: None,
        }
    }

    /// The same position in a spreadsheet: its sheet and cell (`社区`, `F7`).
    pub fn with_cell(mut self, at_sheet: impl Into<String>, at_cell: impl Into<String>) -> Self {
        if let Location::Data { sheet, cell, .. } = &mut self {
            *sheet = Some(at_sheet.into());
            *cell = Some(at_cell.into());
        }
        self
    }

    /// The same position with a JSON pointer.
    pub fn with_pointer(mut self, at: impl Into<String>) -> Self {
        if let Location::Data { pointer, .. } = &mut self {
            *pointer = Some(at.into());
        }
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Source {
                file, line, column, ..
            } => write!(f, "{file}:{line}:{column}"),
            Location::Data {
                input,
                unit,
                key,
                pointer,
                sheet,
                cell,
            } => {
                let parts: Vec<String> = [
                    input.clone(),
                    sheet
                        .as_ref()
                        .map(|s| format!("{s}!{}", cell.as_deref().unwrap_or(""))),
                    unit.as_ref().map(|u| format!("unit `{u}`")),
                    key.as_ref().map(|k| format!("`{k}`")),
                    pointer
                        .as_ref()
                        .filter(|_| unit.is_none() && key.is_none())
                        .cloned(),
                ]
                .into_iter()
                .flatten()
                .collect();
                f.write_str(&parts.join(", "))
            }
        }
    }
}

/// Something that went wrong, or may have: the one shape every call and binding reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Problem {
    /// The stable code (`E0104`, `F0012`, `P0003`, `A0004` …), listed in `docs/error-codes.md`.
    pub code: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: Text,
    /// How to fix it, when there is something to say.
    pub help: Option<Text>,
    /// Where it is.
    pub location: Option<Location>,
    /// Other places that explain it (the first declaration of a duplicate, for example).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
}

impl Problem {
    /// An error with code `code` and a message in both languages.
    pub fn error(code: Code, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Problem::new(code.as_str(), zh, en)
    }

    /// An error with a code of the compiler's or the loader's (`F0015` …) and a message in both
    /// languages.
    pub(crate) fn new(code: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Problem {
            code: code.to_string(),
            severity: Severity::Error,
            message: Text::new(zh, en),
            help: None,
            location: None,
            related: Vec::new(),
        }
    }

    /// The same problem with help in both languages.
    pub fn with_help(mut self, zh: impl Into<String>, en: impl Into<String>) -> Self {
        self.help = Some(Text::new(zh, en));
        self
    }

    /// The same problem at `location`.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Whether it is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The problem of a compile diagnostic in `file` with text `source`.
    pub fn of_diagnostic(d: &Diagnostic, file: &str, source: &str) -> Self {
        Problem::of_diagnostic_in(d, file, &Lines::new(source))
    }

    /// The problems of compile diagnostics in `file` with text `source`, in order: the text is
    /// read once for all their lines and columns, however many there are.
    pub(crate) fn of_diagnostics(ds: &[Diagnostic], file: &str, source: &str) -> Vec<Problem> {
        let lines = Lines::new(source);
        ds.iter()
            .map(|d| Problem::of_diagnostic_in(d, file, &lines))
            .collect()
    }

    /// The problem of a compile diagnostic in `file`, whose text `lines` indexes.
    fn of_diagnostic_in(d: &Diagnostic, file: &str, lines: &Lines) -> Self {
        let help = d.help().map(|(zh, en)| Text { zh, en });
        Problem {
            code: d.code().to_string(),
            severity: match d.severity() {
                duibiao_compiler::Severity::Error => Severity::Error,
                duibiao_compiler::Severity::Warning => Severity::Warning,
            },
            message: Text::new(d.kind.message_zh(), d.kind.to_string()),
            help,
            location: Some(Location::source_in(file, lines, d.span.start, d.span.end)),
            related: d
                .related
                .iter()
                .map(|r| Location::source_in(file, lines, r.start, r.end))
                .collect(),
        }
    }

    /// The problem of a facts-loading error in the input named `input`.
    pub fn of_facts_error(e: &FactsError, input: Option<&str>) -> Self {
        let help = match &e.kind {
            FactsErrorKind::OverLimit { limit, .. } => {
                let name = limit.name();
                Some(Text::new(
                    format!("如确需更大，可提高上限 `{name}`（命令行 `--limit {name}=…`）"),
                    format!("if it must be larger, raise the limit `{name}` (on the command line `--limit {name}=…`)"),
                ))
            }
            _ => None,
        };
        Problem {
            code: e.code.to_string(),
            severity: Severity::Error,
            message: Text::new(e.message_zh(), e.message_en()),
            help,
            location: Some(Location::data(input, e.unit.as_deref(), e.key.as_deref())),
            related: Vec::new(),
        }
    }

    /// The problem of a parameter the standard leaves open and nobody supplied.
    pub fn of_missing_param(m: &MissingParam) -> Self {
        Problem::error(Code::P0003, m.message_zh(), m.to_string()).at(Location::data(
            None,
            None,
            Some(&m.name),
        ))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(l) = &self.location {
            write!(f, "{l}: ")?;
        }
        write!(f, "{} {}", self.code, self.message.en)
    }
}

impl std::error::Error for Problem {}

/// Where the lines of a text start, read once: the line and column of any byte offset then cost
/// a search among the lines and a count of the characters of at most [`Lines::STEP`] bytes, not
/// a reading of the text up to the offset, so that the places of many problems in one file cost
/// what the file's length costs.
pub(crate) struct Lines<'t> {
    text: &'t [u8],
    /// The byte offset of each line's start (the first is 0).
    starts: Vec<usize>,
    /// How many characters start before each multiple of [`Lines::STEP`] (and in the whole
    /// text, last).
    chars: Vec<usize>,
}

impl<'t> Lines<'t> {
    /// Bytes between two counts of characters.
    const STEP: usize = 256;

    /// The index of `text`.
    pub(crate) fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars = Vec::with_capacity(bytes.len() / Self::STEP + 2);
        let mut seen = 0;
        for block in bytes.chunks(Self::STEP) {
            chars.push(seen);
            seen += starting(block);
        }
        chars.push(seen);
        Lines {
            text: bytes,
            starts,
            chars,
        }
    }

    /// How many characters start before byte `at`.
    fn chars_before(&self, at: usize) -> usize {
        let block = at / Self::STEP;
        let from = block * Self::STEP;
        self.chars.get(block).copied().unwrap_or(0) + self.text.get(from..at).map_or(0, starting)
    }

    /// 1-based line and column (in characters) of byte offset `byte`, as
    /// [`duibiao_compiler::render::line_col`] gives them.
    pub(crate) fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = byte.min(self.text.len());
        // A line starts after every newline before `byte`.
        let line = self.starts.partition_point(|&s| s <= byte);
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let column = self
            .chars_before(byte)
            .saturating_sub(self.chars_before(start))
            + 1;
        (line, column)
    }
}

impl Lines<'_> {
    /// The bytes of the lines from `before` lines above the line of byte `start` to `after`
    /// lines below the line of byte `end` (and one more each way), with the 0-based number of
    /// its first line: `(from, to, first_line)`. Always on line starts, so on character
    /// boundaries.
    pub(crate) fn window(
        &self,
        start: usize,
        end: usize,
        before: usize,
        after: usize,
    ) -> (usize, usize, usize) {
        let line_of = |b: usize| self.starts.partition_point(|&s| s <= b).saturating_sub(1);
        let first = line_of(start).saturating_sub(before.saturating_add(1));
        let past = line_of(end).saturating_add(after).saturating_add(2);
        let from = self.starts.get(first).copied().unwrap_or(0);
        let to = self.starts.get(past).copied().unwrap_or(self.text.len());
        (from, to.max(from), first)
    }
}

/// How many characters start in `bytes` (of UTF-8 text): its bytes that do not continue a
/// character.
fn starting(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// An internal error (`A0008`): something duibiao holds to be impossible happened. `what` says
/// what was expected, in English.
pub fn internal(what: &str) -> Problem {
    internal_with(what, what)
}

/// An internal error (`A0008`) saying what happened in Chinese (`zh`) and in English (`en`).
pub(crate) fn internal_with(zh: &str, en: &str) -> Problem {
    Problem::error(
        Code::A0008,
        format!("内部错误：{zh}"),
        format!("internal error: {en}"),
    )
    .with_help(
        "这是 duibiao 的缺陷；请把请求和这条信息报告给维护者",
        "this is a bug in duibiao; please report the request and this message",
    )
}

/// One or more problems that stopped a call; every one of them, in the order found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// One problem.
    pub fn one(p: Problem) -> Self {
        Problems(vec![p])
    }

    /// The problems.
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    /// The problems rendered one a line in `lang`, each with its code and location.
    pub fn render(&self, lang: crate::Lang) -> String {
        self.0
            .iter()
            .map(|p| {
                let at = p
                    .location
                    .as_ref()
                    .map(|l| format!("{l}: "))
                    .unwrap_or_default();
                format!("{at}{} {}", p.code, p.message.get(lang))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl From<Problem> for Problems {
    fn from(p: Problem) -> Self {
        Problems::one(p)
    }
}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for p in &self.0 {
            if !first {
                f.write_str("\n")?;
            }
            first = false;
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The index gives every offset the line and column `line_col` gives it (offsets inside
        /// a character and beyond the end included).
        #[test]
        fn lines_give_line_col(
            text in proptest::collection::vec(
                prop_oneof![Just('\n'), Just('\r'), Just('a'), Just('事'), Just('，'), Just('😀')],
                0..700,
            ).prop_map(|cs| cs.into_iter().collect::<String>()),
            offsets in proptest::collection::vec(0usize..3000, 1..40),
        ) {
            let lines = Lines::new(&text);
            for at in offsets.into_iter().chain([0, text.len(), text.len() + 1]) {
                prop_assert_eq!(lines.line_col(at), line_col(&text, at), "{}", at);
            }
        }
    }

    #[test]
    fn lines_of_an_empty_text() {
        let lines = Lines::new("");
        assert_eq!(lines.line_col(0), (1, 1));
        assert_eq!(lines.line_col(5), (1, 1));
    }
}
