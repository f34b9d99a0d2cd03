//! The walk over the parse tree: which token starts a line, at which indentation, and which
//! follows the one before it with a space or without, decided by the grammar rules around it.

use crate::printer::{Blank, Break, Printer, Role, Token};
use crate::Rule;
use pest::iterators::Pair;

/// Writes the tokens of a parsed file (a pair of [`Rule::file`]) to `printer`.
pub(crate) fn file<'s>(file: Pair<'s, Rule>, printer: Printer<'s>) -> String {
    let mut walk = Walk {
        printer,
        pending: None,
        glue_next: false,
    };
    let mut before: Option<Declaration> = None;
    for decl in file.into_inner() {
        if decl.as_rule() == Rule::EOI {
            continue;
        }
        let this = Declaration::of(&decl);
        walk.pending = Some(Break::Line(Declaration::blank_between(before, this)));
        before = Some(this);
        walk.node(decl, 0);
    }
    walk.printer.finish()
}

/// What decides the blank line between two top-level declarations.
#[derive(Clone, Copy)]
struct Declaration {
    rule: Rule,
    /// Whether it has a block (`{ … }`), and so takes several lines.
    block: bool,
}

impl Declaration {
    fn of(decl: &Pair<'_, Rule>) -> Self {
        Declaration {
            rule: decl.as_rule(),
            block: decl
                .clone()
                .into_inner()
                .flatten()
                .any(|p| p.as_rule() == Rule::lbrace),
        }
    }

    /// A blank line starts a section (a change of declaration) and sets a block apart; between
    /// one-line declarations of one sort (a run of `param`s) it stays as the writer chose.
    fn blank_between(before: Option<Declaration>, this: Declaration) -> Blank {
        match before {
            Some(b) if b.rule == this.rule && !b.block && !this.block => Blank::Keep,
            Some(_) => Blank::Always,
            // The file's first line never has one; a blank line after the comments above the
            // header stays.
            None => Blank::Keep,
        }
    }
}

struct Walk<'s> {
    printer: Printer<'s>,
    /// What goes before the next token, when the rule around it decides it.
    pending: Option<Break>,
    /// Whether the next token follows the last one without a space (after `(`, `-`, `、`).
    glue_next: bool,
}

impl<'s> Walk<'s> {
    /// Writes the tokens of `pair`, whose lines are indented `indent` levels.
    fn node(&mut self, pair: Pair<'s, Rule>, indent: usize) {
        let rule = pair.as_rule();
        if is_token(&pair) {
            return self.token(pair, indent);
        }
        // Inside a block, the members' lines are one level further in.
        let mut inside = indent;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::lbrace => {
                    self.token(child, indent);
                    inside = indent + 1;
                }
                Rule::rbrace => {
                    self.pending = Some(Break::Line(Blank::Keep));
                    self.token(child, indent);
                    inside = indent;
                }
                r if inside > indent && starts_member(r) => {
                    self.pending = Some(Break::Line(Blank::Keep));
                    self.node(child, inside);
                }
                Rule::lparen if matches!(rule, Rule::call | Rule::enum_type) => {
                    self.pending = Some(Break::Glue);
                    self.token(child, inside);
                }
                _ => self.node(child, inside),
            }
        }
    }

    fn token(&mut self, pair: Pair<'s, Rule>, indent: usize) {
        let rule = pair.as_rule();
        let span = pair.as_span();
        let text = text_of(rule, span.as_str());
        let brk = self
            .pending
            .take()
            .unwrap_or(if self.glue_next || glued(rule) {
                Break::Glue
            } else {
                Break::Space
            });
        self.glue_next = matches!(rule, Rule::lparen | Rule::neg) || text == "、";
        let role = match rule {
            Rule::lbrace => Role::Open,
            Rule::rbrace => Role::Close,
            _ => Role::Plain,
        };
        self.printer.token(Token {
            text,
            start: span.start(),
            end: span.end(),
            brk,
            indent,
            role,
        });
    }
}

/// Whether a pair is written as one token: it has no pairs inside, or is a string or a quantity
/// (written exactly as they are).
fn is_token(pair: &Pair<'_, Rule>) -> bool {
    matches!(pair.as_rule(), Rule::string | Rule::quantity)
        || pair.clone().into_inner().peek().is_none()
}

/// The rules whose pairs start a line of their own inside a block.
fn starts_member(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::header_field
            | Rule::fact_decl
            | Rule::derived
            | Rule::group
            | Rule::requirement
            | Rule::item
            | Rule::part
            | Rule::tier
            | Rule::condition
            | Rule::dated_value
            | Rule::kw_columns
            | Rule::quota_row
    )
}

/// The marks written directly after the token before them.
fn glued(rule: Rule) -> bool {
    matches!(rule, Rule::colon | Rule::comma | Rule::semi | Rule::rparen)
}

/// The text a token is written as: full-width `：，（）` in code become half-width (`、` stays,
/// as the writer's way of listing); a quantity loses the space its rule may take after it.
fn text_of(rule: Rule, text: &str) -> &str {
    match (rule, text) {
        (Rule::colon, _) => ":",
        (Rule::comma, "，") => ",",
        (Rule::lparen, _) => "(",
        (Rule::rparen, _) => ")",
        (Rule::quantity, _) => text.trim_end(),
        _ => text,
    }
}
