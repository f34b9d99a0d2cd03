//! What the compiler's diagnostics need for people: the [`Lang`] of messages and explanations,
//! and [`line_col`], the 1-based line and column (in characters) of a byte offset. Rendering a
//! diagnostic for a terminal, or as JSON, is the facade's job (`duibiao::render` and
//! `duibiao::Problem`).

use serde::Serialize;

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
