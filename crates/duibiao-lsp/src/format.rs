//! The seam for formatting: the server formats with whatever [`Formatter`] it is given (the
//! command line will give it `duibiao fmt`'s), and advertises formatting only when it has one.

use crate::line_index::LineIndex;
use duibiao_syntax::ast::Span;
use lsp_types::TextEdit;

/// A formatter: the source of a standard in, its formatted text out, or `None` when it cannot
/// format it (a file that does not parse).
pub type Formatter = fn(&str) -> Option<String>;

/// The edits that turn `text` into what `format` makes of it: one edit covering what changed,
/// from the first differing character to the last, so that the editor keeps the cursor and
/// folds of the lines around it; none when the text is already formatted or cannot be.
pub fn edits(text: &str, lines: &LineIndex, format: Formatter) -> Vec<TextEdit> {
    let Some(formatted) = format(text) else {
        return Vec::new();
    };
    if formatted == text {
        return Vec::new();
    }
    let prefix: usize = text
        .chars()
        .zip(formatted.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let suffix: usize = text[prefix..]
        .chars()
        .rev()
        .zip(formatted[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum();
    let span = Span::new(prefix, text.len() - suffix);
    let new_text = formatted[prefix..formatted.len() - suffix].to_string();
    vec![TextEdit::new(lines.range(text, span), new_text)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn trim_lines(s: &str) -> Option<String> {
        Some(s.lines().map(|l| format!("{}\n", l.trim_end())).collect())
    }

    #[test]
    fn one_edit_over_what_changed() {
        let text = "kind 小区\nkind 社区   \nkind 街道\n";
        let e = edits(text, &LineIndex::new(text), trim_lines);
        assert_eq!(
            e,
            vec![TextEdit::new(
                Range::new(Position::new(1, 7), Position::new(1, 10)),
                String::new()
            )]
        );
        let done = "kind 小区\n";
        assert!(edits(done, &LineIndex::new(done), trim_lines).is_empty());
        assert!(edits(text, &LineIndex::new(text), |_| None).is_empty());
    }
}
