//! Writes tokens out in the layout the walk over the parse tree asks for, and puts back the
//! comments and marks found between them ([`crate::gap`]).

use crate::gap::{self, Piece};

/// Two spaces per level of braces.
const INDENT: &str = "  ";

/// Whether a blank line goes before something that starts a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Blank {
    /// Never (inside a line that a comment broke).
    Never,
    /// When the writer left one (any number of blank lines become one).
    Keep,
    /// Always (between sections of a file).
    Always,
}

/// What goes before a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Break {
    /// Nothing: the token follows the one before it (`f(`, `x,`).
    Glue,
    /// One space.
    Space,
    /// A new line at the token's indentation, with a blank line before the first thing of the
    /// line (the token or the first comment above it) as this says.
    Line(Blank),
}

/// What a token is to the layout besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `{`: no blank line directly after it.
    Open,
    /// `}`: no blank line directly before it, and directly after `{` in an empty block; the
    /// comments above it are indented as the block's members.
    Close,
    /// Anything else.
    Plain,
}

/// A token of the parse tree, where it is in the source and how to lay it out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'s> {
    /// The text written out (the source's, or the half-width form of a full-width mark).
    pub(crate) text: &'s str,
    /// Where it starts in the source.
    pub(crate) start: usize,
    /// Where it ends in the source.
    pub(crate) end: usize,
    /// What goes before it.
    pub(crate) brk: Break,
    /// The indentation level of the line it belongs to.
    pub(crate) indent: usize,
    /// What it is to the layout.
    pub(crate) role: Role,
}

/// The formatted text being written.
pub(crate) struct Printer<'s> {
    src: &'s str,
    out: String,
    /// Where the last token written ends in the source.
    last_end: usize,
    /// Whether the line being written has text.
    line_open: bool,
    /// Whether a comment ends the line being written: what follows starts a new line.
    line_closed: bool,
    /// Whether the last thing written is `{`.
    after_open: bool,
}

impl<'s> Printer<'s> {
    /// A printer of the formatted form of `src`.
    pub(crate) fn new(src: &'s str) -> Self {
        Printer {
            src,
            out: String::with_capacity(src.len() + src.len() / 8),
            last_end: 0,
            line_open: false,
            line_closed: false,
            after_open: false,
        }
    }

    /// Writes what the writer put between the last token and `token`, then `token`.
    pub(crate) fn token(&mut self, token: Token<'s>) {
        let (mut lead, comment_indent) = match (token.brk, token.role) {
            (Break::Line(blank), Role::Close) => (blank, token.indent + 1),
            (Break::Line(blank), _) => (blank, token.indent),
            _ => (Blank::Never, token.indent + 1),
        };
        let gap = gap::split(&self.src[self.last_end..token.start]);
        for placed in gap.pieces {
            match placed.piece {
                Piece::Comment(text) => {
                    if placed.breaks == 0 && self.line_open {
                        self.out.push(' ');
                    } else {
                        self.new_line(lead, placed.breaks, comment_indent);
                        // A section's blank line goes before its first comment only.
                        if lead == Blank::Always {
                            lead = Blank::Keep;
                        }
                    }
                    self.write(text);
                    self.line_closed = true;
                }
                Piece::Mark(text) => self.inline(text, Break::Space, token.indent),
            }
        }
        // `{}`: a block with nothing inside, not even a comment.
        let empty_block = token.role == Role::Close && self.after_open;
        match (token.brk, token.role) {
            _ if empty_block => self.inline(token.text, Break::Glue, token.indent),
            (Break::Line(_), Role::Close) => {
                self.new_line(Blank::Never, 0, token.indent);
                self.write(token.text);
            }
            (Break::Line(_), _) => {
                self.new_line(lead, gap.breaks, token.indent);
                self.write(token.text);
            }
            (brk, _) => self.inline(token.text, brk, token.indent),
        }
        self.after_open = token.role == Role::Open;
        self.last_end = token.end;
    }

    /// The formatted text: the comments after the last token, then one final line break.
    pub(crate) fn finish(mut self) -> String {
        let gap = gap::split(&self.src[self.last_end..]);
        for placed in gap.pieces {
            match placed.piece {
                Piece::Comment(text) if placed.breaks == 0 && self.line_open => {
                    self.out.push(' ');
                    self.write(text);
                }
                // Only comments follow the end of a file that parses.
                Piece::Comment(text) | Piece::Mark(text) => {
                    self.new_line(Blank::Keep, placed.breaks, 0);
                    self.write(text);
                }
            }
        }
        if self.line_open {
            self.out.push('\n');
        }
        self.out
    }

    /// Ends the line being written (if any), leaves a blank line if `blank` asks for one (Keep:
    /// if the writer's `breaks` left one), and indents the new line. No blank line starts the
    /// file or follows `{`.
    fn new_line(&mut self, blank: Blank, breaks: usize, indent: usize) {
        let first = self.out.is_empty() || self.after_open;
        let blank = !first
            && match blank {
                Blank::Never => false,
                Blank::Keep => breaks >= 2,
                Blank::Always => true,
            };
        if self.line_open {
            self.out.push('\n');
        }
        if blank {
            self.out.push('\n');
        }
        for _ in 0..indent {
            self.out.push_str(INDENT);
        }
        self.line_open = false;
        self.line_closed = false;
        self.after_open = false;
    }

    /// Continues the line being written with `text` (on a new line, one level further in, when
    /// a comment closed it).
    fn inline(&mut self, text: &str, brk: Break, indent: usize) {
        if self.line_closed {
            self.new_line(Blank::Never, 0, indent + 1);
        } else if brk != Break::Glue && self.line_open {
            self.out.push(' ');
        }
        self.write(text);
    }

    fn write(&mut self, text: &str) {
        self.out.push_str(text);
        self.line_open = true;
        self.after_open = false;
    }
}
