//! The limits a standard is compiled and its facts loaded within. Each has a default that every
//! real standard and facts file stays far below; whoever embeds the evaluator (or runs the
//! command line, with `--limit NAME=VALUE`) can raise it. What goes beyond a limit is a coded
//! problem — `E0007` (source size), `E0006` (nesting), `F0018` (facts size, units, id or name
//! length) — never a crash or an exhausted memory. The depth of the unit tree needs no limit:
//! kinds may not contain each other (`E0103`), so no tree is deeper than the standard's kinds.

use crate::codes::Code;
use crate::problem::{Location, Problem, Problems};
use duibiao_compiler::SourceLimits;
use duibiao_engine::facts::{FactsError, FactsErrorKind, FactsLimit, FactsLimits};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The limits a standard is compiled and its facts loaded within (see [`Limits::default`]).
/// In the protocol, the `limits` of a `compile` request: the fields given replace the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Limits {
    /// Largest `.std` text, in bytes (default 4 MiB): beyond it, `E0007`.
    pub source_bytes: usize,
    /// Deepest nesting of parentheses, and separately of braces, in a `.std` text (default 64,
    /// at most 256): beyond it, `E0006`.
    pub nesting: usize,
    /// Largest facts text, in bytes (default 2 GiB): beyond it, `F0018` and nothing is loaded.
    pub facts_bytes: usize,
    /// Most units in the facts (default 10,000,000): those beyond are left out, with one `F0018`.
    pub units: usize,
    /// Longest unit id, in characters (default 256): a unit with a longer one is left out, `F0018`.
    pub id_chars: usize,
    /// Longest unit name, in characters (default 1,024): a longer one is cut, `F0018`.
    pub name_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let (source, facts) = (SourceLimits::default(), FactsLimits::default());
        Limits {
            source_bytes: source.bytes,
            nesting: source.nesting,
            facts_bytes: facts.bytes,
            units: facts.units,
            id_chars: facts.id_chars,
            name_chars: facts.name_chars,
        }
    }
}

impl Limits {
    /// The limits' names, as every interface spells them.
    pub const NAMES: [&'static str; 6] = [
        "source_bytes",
        "nesting",
        "facts_bytes",
        "units",
        "id_chars",
        "name_chars",
    ];

    /// The most `nesting` may be raised to.
    pub const MAX_NESTING: usize = SourceLimits::MAX_NESTING;

    /// The defaults.
    pub fn new() -> Self {
        Limits::default()
    }

    /// These limits with the one named `name` (one of [`Limits::NAMES`]) set to `value`; `None`
    /// for another name. `nesting` is kept at most [`Limits::MAX_NESTING`].
    pub fn with(mut self, name: &str, value: usize) -> Option<Self> {
        let field = match name {
            "source_bytes" => &mut self.source_bytes,
            "nesting" => &mut self.nesting,
            "facts_bytes" => &mut self.facts_bytes,
            "units" => &mut self.units,
            "id_chars" => &mut self.id_chars,
            "name_chars" => &mut self.name_chars,
            _ => return None,
        };
        *field = value;
        self.nesting = self.nesting.min(Self::MAX_NESTING);
        Some(self)
    }

    /// The limits on a `.std` text.
    pub(crate) fn source(&self) -> SourceLimits {
        SourceLimits::default()
            .with_bytes(self.source_bytes)
            .with_nesting(self.nesting)
    }

    /// The limits on a facts text.
    pub(crate) fn facts(&self) -> FactsLimits {
        FactsLimits::default()
            .with(FactsLimit::Bytes, self.facts_bytes)
            .with(FactsLimit::Units, self.units)
            .with(FactsLimit::IdChars, self.id_chars)
            .with(FactsLimit::NameChars, self.name_chars)
    }

    /// Reads a `.std` file: `A0011` when it cannot be read, `E0007` when it is larger than
    /// `source_bytes` (known from its size, before it is read).
    pub fn read_source(&self, path: &std::path::Path) -> Result<String, Problems> {
        read_within(path, self.source_bytes, |found| {
            let kind = duibiao_compiler::DiagnosticKind::TooLarge {
                limit: self.source_bytes,
                found,
            };
            let diagnostic = duibiao_compiler::Diagnostic::new(kind, Default::default());
            Problem::of_diagnostics(&[diagnostic], &path.display().to_string(), "")
        })
    }

    /// Reads a facts file: `A0011` when it cannot be read, `F0018` when it is larger than
    /// `facts_bytes` (known from its size, before it is read).
    pub fn read_facts(&self, path: &std::path::Path) -> Result<String, Problems> {
        Limits::facts_text(path, self.read_facts_bytes(path)?)
    }

    /// The text of a facts file's bytes read by [`Limits::read_facts_bytes`]: `A0011` (naming
    /// `path`) when they are not UTF-8.
    pub fn facts_text(path: &std::path::Path, bytes: Vec<u8>) -> Result<String, Problems> {
        utf8(path, bytes)
    }

    /// Reads a facts file as bytes (a workbook, say), as [`Limits::read_facts`] reads it but
    /// without asking for UTF-8 text.
    pub fn read_facts_bytes(&self, path: &std::path::Path) -> Result<Vec<u8>, Problems> {
        read_bytes_within(path, self.facts_bytes, |found| {
            let kind = FactsErrorKind::OverLimit {
                limit: FactsLimit::Bytes,
                max: self.facts_bytes,
                found,
            };
            let name = path.display().to_string();
            vec![Problem::of_facts_error(
                &FactsError::new(None, None, kind),
                Some(&name),
            )]
        })
    }
}

/// Reads a UTF-8 text file of at most `max` bytes: `A0011` when it cannot be read or is not
/// UTF-8, the problems of `too_large(size)` when it is larger (nothing of it is read then).
fn read_within(
    path: &std::path::Path,
    max: usize,
    too_large: impl FnOnce(usize) -> Vec<Problem>,
) -> Result<String, Problems> {
    utf8(path, read_bytes_within(path, max, too_large)?)
}

/// `A0011` at `path`, saying what went wrong in both languages.
fn failed(path: &std::path::Path, zh: String, en: String) -> Problems {
    let name = path.display().to_string();
    Problems::one(Problem::error(Code::A0011, zh, en).at(Location::data(Some(&name), None, None)))
}

/// The text of the bytes read from `path`, or `A0011` when they are not UTF-8.
fn utf8(path: &std::path::Path, bytes: Vec<u8>) -> Result<String, Problems> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        failed(
            path,
            format!("不是 UTF-8 文本（第 {at} 字节无效）"),
            format!("not UTF-8 text (invalid byte at offset {at})"),
        )
    })
}

/// Reads a file of at most `max` bytes: `A0011` when it cannot be read, the problems of
/// `too_large(size)` when it is larger (nothing of it is read then).
fn read_bytes_within(
    path: &std::path::Path,
    max: usize,
    too_large: impl FnOnce(usize) -> Vec<Problem>,
) -> Result<Vec<u8>, Problems> {
    use std::io::Read as _;
    let unreadable = |e: std::io::Error| {
        failed(
            path,
            format!("无法读取：{}", io_zh(&e)),
            format!("cannot read it: {e}"),
        )
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > max as u64 {
        return Err(Problems(too_large(
            usize::try_from(size).unwrap_or(usize::MAX),
        )));
    }
    // A file that grows while it is read (a pipe, a device) is read up to one byte past `max`.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > max {
        return Err(Problems(too_large(bytes.len())));
    }
    Ok(bytes)
}

/// What went wrong with a file, in Chinese.
fn io_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "文件不存在".into(),
        PermissionDenied => "没有读取权限".into(),
        IsADirectory => "这是一个目录，不是文件".into(),
        _ => e.to_string(),
    }
}
