//! Positions both ways: the compiler speaks in byte offsets of the UTF-8 text, the protocol in
//! lines and UTF-16 code units. In a standard written in Chinese the two differ on every line
//! (`绿化面积` is 12 bytes and 4 UTF-16 units; a character outside the Basic Multilingual Plane
//! such as `𠀋` is 4 bytes and 2 units).

use duibiao_syntax::ast::Span;
use lsp_types::{Position, Range};

/// Where the lines of a text start, to turn byte offsets into protocol positions and back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// The byte offset of each line's start; the first is 0. A line ends at `\n` (a `\r` before
    /// it belongs to the line break, not to the line).
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The protocol position of byte `offset` of `text` (the text this index was made of). An
    /// offset inside a character counts as that character's start; one past the end as the end.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of protocol position `pos` in `text` (the text this index was made of).
    /// A line past the last is the end of the text; a character past the end of its line is the
    /// line's end; a position inside a character (between the halves of a surrogate pair) is the
    /// character's start.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(text.len(), |&next| next - 1);
        let line = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            units += c.len_utf16();
            if units > pos.character as usize {
                return start + i;
            }
        }
        start + line.len()
    }

    /// The protocol range of byte span `span` of `text`.
    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The byte span of protocol range `range` of `text`.
    pub fn span(&self, text: &str, range: Range) -> Span {
        let start = self.offset(text, range.start);
        Span::new(start, self.offset(text, range.end).max(start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "kind 小区\r\nfacts 小区 { 绿化面积: area }\n𠀋a\n";

    #[test]
    fn byte_offsets_become_utf16_positions() {
        let ix = LineIndex::new(TEXT);
        assert_eq!(ix.position(TEXT, 0), Position::new(0, 0));
        // `小区` after `kind `: 5 bytes, 5 units.
        assert_eq!(ix.position(TEXT, 5), Position::new(0, 5));
        // After `小区`: 6 bytes more, 2 units more.
        assert_eq!(ix.position(TEXT, 11), Position::new(0, 7));
        let fact = TEXT.find("绿化面积").unwrap_or(0);
        assert_eq!(ix.position(TEXT, fact), Position::new(1, 11));
        assert_eq!(
            ix.position(TEXT, fact + "绿化面积".len()),
            Position::new(1, 15)
        );
        // `𠀋` is two UTF-16 units.
        let a = TEXT.rfind('a').unwrap_or(0);
        assert_eq!(ix.position(TEXT, a), Position::new(2, 2));
        assert_eq!(ix.position(TEXT, TEXT.len()), Position::new(3, 0));
        // Inside a character: its start.
        assert_eq!(ix.position(TEXT, 6), Position::new(0, 5));
        assert_eq!(ix.position(TEXT, TEXT.len() + 10), Position::new(3, 0));
    }

    #[test]
    fn utf16_positions_become_byte_offsets() {
        let ix = LineIndex::new(TEXT);
        let fact = TEXT.find("绿化面积").unwrap_or(0);
        assert_eq!(ix.offset(TEXT, Position::new(1, 11)), fact);
        assert_eq!(ix.offset(TEXT, Position::new(1, 12)), fact + 3);
        // Past the end of a line: the line's end, before `\r\n`.
        assert_eq!(ix.offset(TEXT, Position::new(0, 99)), "kind 小区".len());
        // Between the halves of `𠀋`: its start.
        let line2 = TEXT.find('𠀋').unwrap_or(0);
        assert_eq!(ix.offset(TEXT, Position::new(2, 1)), line2);
        assert_eq!(ix.offset(TEXT, Position::new(2, 2)), line2 + 4);
        assert_eq!(ix.offset(TEXT, Position::new(9, 0)), TEXT.len());
    }

    #[test]
    fn round_trip_at_every_character() {
        let ix = LineIndex::new(TEXT);
        for (i, _) in TEXT.char_indices() {
            let p = ix.position(TEXT, i);
            if TEXT[i..].starts_with('\n') && TEXT[..i].ends_with('\r') {
                continue; // the `\n` of `\r\n` has the position of its `\r`
            }
            assert_eq!(ix.offset(TEXT, p), i, "at byte {i}, {p:?}");
        }
        let span = Span::new(5, 11);
        assert_eq!(ix.span(TEXT, ix.range(TEXT, span)), span);
    }

    #[test]
    fn an_empty_text() {
        let ix = LineIndex::new("");
        assert_eq!(ix.position("", 0), Position::new(0, 0));
        assert_eq!(ix.offset("", Position::new(0, 3)), 0);
        assert_eq!(ix.offset("", Position::new(2, 0)), 0);
    }
}
