//! A scan of the raw text before parsing: full-width punctuation typed with a Chinese input method,
//! unclosed strings, nesting depth and size limits. Each finding names the character and the
//! half-width form to use, which a grammar error could not.

use crate::ast::Span;
use crate::error::{SyntaxError, SyntaxErrorKind};

/// The limits on a source text that the scan checks before parsing: a larger file is `E0007`, a
/// deeper nesting `E0006`. The defaults suit every standard written so far by a wide margin; an
/// embedder may raise them, nesting up to [`SourceLimits::MAX_NESTING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SourceLimits {
    /// Largest `.std` file accepted, in bytes (default 4 MiB).
    pub bytes: usize,
    /// Deepest nesting of parentheses accepted, and separately of braces (default 64).
    pub nesting: usize,
}

impl SourceLimits {
    /// The most `nesting` may be raised to: the parse recurses once per level, and 256 levels
    /// take less than half of the stack it runs on (`stacker`, 64 MiB), even in a debug build.
    pub const MAX_NESTING: usize = 256;

    /// These limits with `bytes` as the largest file.
    pub fn with_bytes(mut self, bytes: usize) -> Self {
        self.bytes = bytes;
        self
    }

    /// These limits with `nesting` as the deepest nesting, at most [`Self::MAX_NESTING`].
    pub fn with_nesting(mut self, nesting: usize) -> Self {
        self.nesting = nesting.min(Self::MAX_NESTING);
        self
    }
}

impl Default for SourceLimits {
    fn default() -> Self {
        SourceLimits {
            bytes: 4 * 1024 * 1024,
            nesting: 64,
        }
    }
}

/// Most terms in one arithmetic chain (`a + b + …`).
pub const MAX_TERMS: usize = 1024;

/// Most `if` expressions accepted in one top-level declaration (each may nest in the last).
pub const MAX_IFS: usize = 256;

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `rest` starts with the keyword `if` or `如果` standing alone.
fn starts_if(rest: &str) -> bool {
    ["if", "如果"].iter().any(|kw| {
        rest.strip_prefix(kw)
            .is_some_and(|after| !after.chars().next().is_some_and(is_ident_char))
    })
}

/// Whether the character before byte `i` belongs to an identifier.
fn prev_is_ident(src: &str, i: usize) -> bool {
    src[..i].chars().next_back().is_some_and(is_ident_char)
}

/// Full-width characters the grammar does not accept, with their half-width forms.
/// (`：，（）、` and `“…”` strings are accepted by the grammar itself.)
fn half_width(c: char) -> Option<&'static str> {
    Some(match c {
        '＝' => "=",
        '＋' => "+",
        '－' => "-",
        '＊' => "*",
        '／' => "/",
        '＜' => "<",
        '＞' => ">",
        '．' => ".",
        '；' => ";",
        '［' => "[",
        '］' => "]",
        '｛' => "{",
        '｝' => "}",
        '！' => "!",
        '＃' => "#",
        '。' => "",
        '‘' | '’' => "\"",
        '《' | '》' => "\"",
        '０' => "0",
        '１' => "1",
        '２' => "2",
        '３' => "3",
        '４' => "4",
        '５' => "5",
        '６' => "6",
        '７' => "7",
        '８' => "8",
        '９' => "9",
        _ => return None,
    })
}

/// Scans `src` outside strings and comments, within `limits`. Returns every finding; an empty
/// list means the parser may run.
pub fn prescan(src: &str, limits: &SourceLimits) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    // Whatever a caller put in the fields, nesting stays within what the parse's stack holds.
    let max_depth = limits.nesting.min(SourceLimits::MAX_NESTING);
    if src.len() > limits.bytes {
        errors.push(SyntaxError {
            kind: SyntaxErrorKind::TooLarge {
                limit: limits.bytes,
                found: src.len(),
            },
            span: Span::new(0, 0),
        });
        return errors;
    }
    let (mut parens, mut braces) = (0usize, 0usize);
    let mut too_deep = false;
    let mut ifs = 0usize;
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => {
                while let Some(&(_, n)) = chars.peek() {
                    if n == '\n' {
                        break;
                    }
                    chars.next();
                }
            }
            '"' => {
                let mut closed = false;
                while let Some(&(_, n)) = chars.peek() {
                    if n == '\n' {
                        break;
                    }
                    chars.next();
                    if n == '"' {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    errors.push(SyntaxError {
                        kind: SyntaxErrorKind::UnclosedString,
                        span: Span::new(i, i + 1),
                    });
                }
            }
            '“' => {
                let mut level = 1usize;
                while let Some(&(_, n)) = chars.peek() {
                    if n == '\n' {
                        break;
                    }
                    chars.next();
                    match n {
                        '“' => level += 1,
                        '”' => {
                            level -= 1;
                            if level == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                if level != 0 {
                    errors.push(SyntaxError {
                        kind: SyntaxErrorKind::UnclosedString,
                        span: Span::new(i, i + c.len_utf8()),
                    });
                }
            }
            '(' | '（' | '{' => {
                let d = if c == '{' { &mut braces } else { &mut parens };
                *d += 1;
                if *d > max_depth && !too_deep {
                    too_deep = true;
                    errors.push(SyntaxError {
                        kind: SyntaxErrorKind::TooDeep { limit: max_depth },
                        span: Span::new(i, i + c.len_utf8()),
                    });
                }
            }
            ')' | '）' => parens = parens.saturating_sub(1),
            '}' => {
                braces = braces.saturating_sub(1);
                if braces == 0 {
                    ifs = 0;
                }
            }
            'i' | '如' if starts_if(&src[i..]) && !prev_is_ident(src, i) => {
                ifs += 1;
                if ifs > MAX_IFS && !too_deep {
                    too_deep = true;
                    errors.push(SyntaxError {
                        kind: SyntaxErrorKind::TooManyIfs { limit: MAX_IFS },
                        span: Span::new(i, i + c.len_utf8()),
                    });
                }
            }
            _ => {
                if let Some(ascii) = half_width(c) {
                    errors.push(SyntaxError {
                        kind: SyntaxErrorKind::FullWidth { found: c, ascii },
                        span: Span::new(i, i + c.len_utf8()),
                    });
                }
            }
        }
    }
    errors
}
