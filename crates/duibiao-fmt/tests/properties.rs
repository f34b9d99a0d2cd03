//! What formatting keeps, on every bundled standard, every documentation example, their
//! canonical texts, and random relayouts of them: the meaning (the fingerprint), every comment
//! and string as written, and its own result (formatting twice changes nothing more).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use proptest::prelude::*;
use std::sync::LazyLock;

/// Every input the properties are checked on: the standards, the documentation's examples, and
/// the canonical text of each standard (English keywords, no comments, another layout).
fn inputs() -> &'static [(String, String)] {
    static INPUTS: LazyLock<Vec<(String, String)>> = LazyLock::new(read_inputs);
    &INPUTS
}

fn read_inputs() -> Vec<(String, String)> {
    let mut all = standards();
    let canonical: Vec<(String, String)> = all
        .iter()
        .map(|(name, text)| {
            let file = duibiao_syntax::parse(text).unwrap();
            (
                format!("canonical {name}"),
                duibiao_syntax::canonical::print(&file),
            )
        })
        .collect();
    all.extend(doc_examples());
    all.extend(canonical);
    all
}

#[test]
fn formatting_keeps_meaning_comments_and_strings_and_is_idempotent() {
    for (name, text) in inputs() {
        let once = fmt(name, text);
        assert_eq!(fmt(name, &once), once, "{name}: formatting twice differs");
        assert_eq!(
            fingerprint(name, &once),
            fingerprint(name, text),
            "{name}: the fingerprint changed"
        );
        let (mut before, mut after) = (comments(text), comments(&once));
        // Each comment in its place: the same comments in the same order.
        assert_eq!(after, before, "{name}: comments changed");
        before.sort_unstable();
        after.sort_unstable();
        assert_eq!(after, before, "{name}: comments changed");
        assert_eq!(strings(&once), strings(text), "{name}: strings changed");
    }
}

#[test]
fn formatted_text_has_the_layout() {
    for (name, text) in inputs() {
        let once = fmt(name, text);
        assert!(once.ends_with('\n') && !once.ends_with("\n\n"), "{name}");
        assert!(!once.contains("\n\n\n"), "{name}: a run of blank lines");
        for (i, line) in once.lines().enumerate() {
            let at = format!("{name}:{}: `{line}`", i + 1);
            assert_eq!(line.trim_end(), line, "{at}: white space at the end");
            let indent = line.len() - line.trim_start_matches(' ').len();
            assert_eq!(indent % 2, 0, "{at}: indentation");
            assert!(!line.starts_with('\t'), "{at}: a tab");
        }
    }
}

/// A piece of a source text: what must stay as written (tokens, strings, comments), or the white
/// space between them, which a relayout may change.
enum Piece<'s> {
    Fixed(&'s str),
    Space {
        text: &'s str,
        /// Whether a comment ends just before it.
        after_comment: bool,
        /// The characters around it (`None` at either end of the file).
        before: Option<char>,
        after: Option<char>,
    },
}

/// The units a number may have, written after it with a space (`350 m2`): that space is part of
/// the number.
const UNITS: [&str; 23] = [
    "%",
    "％",
    "平方米",
    "m²",
    "m2",
    "㎡",
    "万元",
    "元",
    "学时",
    "小时",
    "分",
    "个月",
    "个",
    "名",
    "人",
    "次",
    "户",
    "家",
    "条",
    "场",
    "项",
    "天",
    "年",
];

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Splits a source text into what stays and the white space between.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut fixed_from = 0;
    let mut after_comment = false;
    while let Some((i, c)) = chars.next() {
        let end = match c {
            '#' => text[i..].find(['\n', '\r']).map_or(text.len(), |n| i + n),
            '"' => text[i + 1..]
                .find('"')
                .map_or(text.len(), |n| i + 1 + n + 1),
            '“' => {
                let mut depth = 0;
                let mut end = text.len();
                for (j, d) in text[i..].char_indices() {
                    match d {
                        '“' => depth += 1,
                        '”' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        end = i + j + d.len_utf8();
                        break;
                    }
                }
                end
            }
            c if is_space(c) => {
                let end = text[i..]
                    .find(|c| !is_space(c))
                    .map_or(text.len(), |n| i + n);
                let before = text[..i].chars().next_back();
                let rest = &text[end..];
                let in_number = before.is_some_and(|b| b.is_ascii_digit())
                    && UNITS.iter().any(|u| rest.starts_with(u));
                if !in_number {
                    out.push(Piece::Fixed(&text[fixed_from..i]));
                    out.push(Piece::Space {
                        text: &text[i..end],
                        after_comment,
                        before,
                        after: rest.chars().next(),
                    });
                    fixed_from = end;
                }
                end
            }
            c => i + c.len_utf8(),
        };
        after_comment = c == '#';
        while chars.peek().is_some_and(|&(j, _)| j < end) {
            chars.next();
        }
    }
    out.push(Piece::Fixed(&text[fixed_from..]));
    out
}

/// Marks next to which white space may be left out.
fn hugs(c: Option<char>) -> bool {
    c.is_some_and(|c| "{}(),:;，：（）、".contains(c))
}

/// The text with its white space changed as `choices` say, keeping what formatting reads of it:
/// where a comment is on its own line or at the end of one, and where the writer left a blank
/// line.
fn relayout(text: &str, choices: &[u8]) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut choice = choices.iter().cycle();
    for piece in pieces(text) {
        let (text, after_comment, before, after) = match piece {
            Piece::Fixed(t) => {
                out.push_str(t);
                continue;
            }
            Piece::Space {
                text,
                after_comment,
                before,
                after,
            } => (text, after_comment, before, after),
        };
        let c = *choice.next().unwrap_or(&0);
        let breaks = text.matches('\n').count();
        let pad = [" ", "  ", "\t", "\u{3000}", "   "][usize::from(c % 5)];
        let indent = [" ", "", "    ", "\t", "      "][usize::from(c / 5 % 5)];
        match breaks {
            0 if after == Some('#') || after_comment => out.push_str(pad),
            0 | 1 if before.is_none() || after.is_none() => out.push_str(text),
            0 | 1 if after == Some('#') || after_comment => {
                out.push_str(pad.trim_start_matches(' '));
                out.push('\n');
                out.push_str(indent);
            }
            0 | 1 => match c % 4 {
                0 if hugs(before) || hugs(after) => {}
                0 | 1 => out.push_str(pad),
                _ => {
                    out.push_str(pad.trim_start_matches(' '));
                    out.push('\n');
                    out.push_str(indent);
                }
            },
            _ => {
                out.push('\n');
                out.push_str(pad);
                out.push_str(&"\n".repeat(1 + usize::from(c % 2)));
                out.push_str(indent);
            }
        }
    }
    out
}

#[test]
fn a_relayout_keeps_the_text() {
    for (name, text) in inputs() {
        let choices: Vec<u8> = (0..=255).collect();
        let moved = relayout(text, &choices);
        assert_ne!(&moved, text, "{name}");
        assert_eq!(comments(&moved), comments(text), "{name}");
        assert_eq!(fingerprint(name, &moved), fingerprint(name, text), "{name}");
    }
}

/// The text with comments added between tokens as `choices` say: at the end of the line
/// (`# 注N` and a line break) or on a line of their own.
fn commented(text: &str, choices: &[u8]) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut choice = choices.iter().cycle();
    for (n, piece) in pieces(text).into_iter().enumerate() {
        match piece {
            Piece::Fixed(t) => out.push_str(t),
            Piece::Space { text, .. } => {
                match choice.next().map_or(0, |c| c % 8) {
                    0 => out.push_str(&format!(" # 注{n}\n")),
                    1 => out.push_str(&format!("\n# 注{n}\n")),
                    _ => {}
                }
                out.push_str(text);
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Comments anywhere between tokens are kept, in order, and formatting them twice changes
    /// nothing more.
    #[test]
    fn comments_anywhere_are_kept(
        which in 0usize..64,
        choices in proptest::collection::vec(any::<u8>(), 1..200),
    ) {
        let (name, text) = &inputs()[which % inputs().len()];
        let with = commented(text, &choices);
        let formatted = fmt(name, &with);
        prop_assert_eq!(comments(&formatted), comments(&with), "{}", name);
        prop_assert_eq!(fingerprint(name, &formatted), fingerprint(name, text));
        prop_assert_eq!(&fmt(name, &formatted), &formatted);
    }

    /// Formatting a random relayout of a file gives what formatting the file gives.
    #[test]
    fn formatting_ignores_the_layout(
        which in 0usize..64,
        choices in proptest::collection::vec(any::<u8>(), 1..200),
    ) {
        let (name, text) = &inputs()[which % inputs().len()];
        let moved = relayout(text, &choices);
        let formatted = fmt(name, &moved);
        prop_assert_eq!(&formatted, &fmt(name, text), "{}", name);
        prop_assert_eq!(fingerprint(name, &formatted), fingerprint(name, text));
        prop_assert_eq!(&fmt(name, &formatted), &formatted);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any beginning of a file either does not parse, and gives the parser's errors, or formats
    /// keeping its fingerprint and comments.
    #[test]
    fn a_cut_file_is_formatted_or_refused(which in 0usize..64, cut in 0usize..100_000) {
        let (name, text) = &inputs()[which % inputs().len()];
        let mut cut = cut % (text.len() + 1);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let prefix = &text[..cut];
        match duibiao_fmt::format(prefix) {
            Ok(formatted) => {
                prop_assert_eq!(fingerprint(name, &formatted), fingerprint(name, prefix));
                prop_assert_eq!(comments(&formatted), comments(prefix));
            }
            Err(errors) => prop_assert_eq!(Err(errors), duibiao_syntax::parse(prefix).map(|_| ())),
        }
    }
}
