//! The text between two tokens of the parse tree: white space, `#` comments, and the marks the
//! grammar writes without naming them (`=`, `..` and `至`, `enum` and `档次`).

/// Something the writer put between two tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'s> {
    /// A `#` comment, without the white space at its end.
    Comment(&'s str),
    /// A mark of the grammar that is not a pair of its own, as written.
    Mark(&'s str),
}

/// A piece and the line breaks between it and what came before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placed<'s> {
    /// The piece.
    pub(crate) piece: Piece<'s>,
    /// Line breaks before it (2 or more: the writer left a blank line).
    pub(crate) breaks: usize,
}

/// The pieces of a gap, in order, and the line breaks after the last of them.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Gap<'s> {
    /// What the gap holds besides white space.
    pub(crate) pieces: Vec<Placed<'s>>,
    /// Line breaks between the last piece (or the gap's start) and the next token.
    pub(crate) breaks: usize,
}

/// White space as the grammar reads it (`WHITESPACE`): the byte order mark included, which
/// `char::is_whitespace` does not count.
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// A line break of the grammar (`NEWLINE`): `\n`, `\r\n` (counted at its `\n`) or a lone `\r`.
fn is_break(text: &str, i: usize, c: char) -> bool {
    c == '\n' || (c == '\r' && !text[i + 1..].starts_with('\n'))
}

/// Splits the text between two tokens into its comments and marks.
pub(crate) fn split(text: &str) -> Gap<'_> {
    let mut gap = Gap::default();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_break(text, i, c) {
            gap.breaks += 1;
            continue;
        }
        if is_space(c) {
            continue;
        }
        let ends: fn(char) -> bool = if c == '#' {
            |c| c == '\n' || c == '\r'
        } else {
            |c| is_space(c) || c == '#'
        };
        let mut end = text.len();
        while let Some(&(j, d)) = chars.peek() {
            if ends(d) {
                end = j;
                break;
            }
            chars.next();
        }
        let word = text[i..end].trim_end();
        let piece = if c == '#' {
            Piece::Comment(word)
        } else {
            Piece::Mark(word)
        };
        gap.pieces.push(Placed {
            piece,
            breaks: gap.breaks,
        });
        gap.breaks = 0;
    }
    gap
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(piece: Piece<'_>, breaks: usize) -> Placed<'_> {
        Placed { piece, breaks }
    }

    #[test]
    fn white_space_alone_counts_its_line_breaks() {
        assert_eq!(split(" \t\n\r\n\u{3000}\r").breaks, 3);
        assert!(split("\u{feff}  ").pieces.is_empty());
    }

    #[test]
    fn comments_end_at_the_line_break_without_trailing_space() {
        let gap = split("  # 说明 \t\n\n  # 第二条#号\r\n ");
        assert_eq!(
            gap.pieces,
            vec![
                placed(Piece::Comment("# 说明"), 0),
                placed(Piece::Comment("# 第二条#号"), 2),
            ]
        );
        assert_eq!(gap.breaks, 1);
    }

    #[test]
    fn marks_are_words_between_white_space_and_comments() {
        let gap = split(" ..# 注\n至 =");
        assert_eq!(
            gap.pieces,
            vec![
                placed(Piece::Mark(".."), 0),
                placed(Piece::Comment("# 注"), 0),
                placed(Piece::Mark("至"), 1),
                placed(Piece::Mark("="), 0),
            ]
        );
    }
}
