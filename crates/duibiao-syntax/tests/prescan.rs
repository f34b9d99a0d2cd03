//! The scan before parsing (`duibiao_syntax::prescan`): full-width characters named with their
//! half-width forms, unclosed strings, and the limits on size, nesting and `if`s — each at its
//! place, and nothing inside strings or comments.

#![allow(clippy::unwrap_used, clippy::panic)]

use duibiao_syntax::prescan::{prescan, MAX_IFS};
use duibiao_syntax::{SourceLimits, SyntaxErrorKind};

/// What the scan finds in `src` with the default limits, as (kind, the text it points at).
fn found(src: &str) -> Vec<(SyntaxErrorKind, &str)> {
    found_within(src, &SourceLimits::default())
}

fn found_within<'s>(src: &'s str, limits: &SourceLimits) -> Vec<(SyntaxErrorKind, &'s str)> {
    prescan(src, limits)
        .into_iter()
        .map(|e| (e.kind, &src[e.span.start..e.span.end]))
        .collect()
}

/// Every full-width character the grammar does not take, with the form to write instead.
const FULL_WIDTH: [(char, &str); 30] = [
    ('＝', "="),
    ('＋', "+"),
    ('－', "-"),
    ('＊', "*"),
    ('／', "/"),
    ('＜', "<"),
    ('＞', ">"),
    ('．', "."),
    ('；', ";"),
    ('［', "["),
    ('］', "]"),
    ('｛', "{"),
    ('｝', "}"),
    ('！', "!"),
    ('＃', "#"),
    ('。', ""),
    ('‘', "\""),
    ('’', "\""),
    ('《', "\""),
    ('》', "\""),
    ('０', "0"),
    ('１', "1"),
    ('２', "2"),
    ('３', "3"),
    ('４', "4"),
    ('５', "5"),
    ('６', "6"),
    ('７', "7"),
    ('８', "8"),
    ('９', "9"),
];

#[test]
fn every_full_width_character_is_named_with_its_half_width_form() {
    for (c, ascii) in FULL_WIDTH {
        let src = format!("derive 社区 {{ x = a {c} 1 }}\n");
        let want = c.to_string();
        assert_eq!(
            found(&src),
            [(
                SyntaxErrorKind::FullWidth { found: c, ascii },
                want.as_str()
            )],
            "{c}"
        );
    }
    // The ones the grammar takes itself are not reported.
    assert_eq!(found("facts 社区 { a：int，b、c（d）}\n"), []);
}

#[test]
fn nothing_in_strings_or_comments_is_scanned() {
    let all: String = FULL_WIDTH.iter().map(|(c, _)| *c).collect();
    let deep = "(".repeat(100);
    for src in [
        format!("param a = 1 \"{all}{deep}\"\n"),
        format!("param a = 1 “{all}{deep}”\n"),
        format!("param a = 1 “外“{all}{deep}”外”\n"),
        format!("param a = 1 # {all}{deep} \" “\n"),
        format!("# {all}\nparam a = 1\n"),
    ] {
        assert_eq!(found(&src), [], "{src}");
    }
    // After a string or a comment, scanning goes on.
    assert_eq!(
        found("param a = 1 \"（\" ＋ # ＋\nparam b = “”＝\n"),
        [
            (
                SyntaxErrorKind::FullWidth {
                    found: '＋',
                    ascii: "+"
                },
                "＋"
            ),
            (
                SyntaxErrorKind::FullWidth {
                    found: '＝',
                    ascii: "="
                },
                "＝"
            ),
        ]
    );
}

#[test]
fn a_string_left_open_at_the_end_of_its_line_is_reported_where_it_opens() {
    assert_eq!(
        found("param a = 1 \"说明\nparam b = 2\n"),
        [(SyntaxErrorKind::UnclosedString, "\"")]
    );
    assert_eq!(
        found("param a = 1 “说明\n”\n"),
        [(SyntaxErrorKind::UnclosedString, "“")]
    );
    // Chinese quotes nest: one closing mark is not enough for two opening ones.
    assert_eq!(
        found("param a = 1 “外“内”\n"),
        [(SyntaxErrorKind::UnclosedString, "“")]
    );
    assert_eq!(found("param a = 1 “外“内”外”\n"), []);
    // A closing mark alone opens nothing.
    assert_eq!(found("param a = 1 ”\n"), []);
}

#[test]
fn a_file_larger_than_the_limit_is_refused_whole() {
    let src = "param a = 1 ＋\n";
    let exactly = SourceLimits::default().with_bytes(src.len());
    assert_eq!(
        found_within(src, &exactly),
        [(
            SyntaxErrorKind::FullWidth {
                found: '＋',
                ascii: "+"
            },
            "＋"
        )],
        "a file of exactly the limit is scanned"
    );
    let smaller = SourceLimits::default().with_bytes(src.len() - 1);
    assert_eq!(
        found_within(src, &smaller),
        [(
            SyntaxErrorKind::TooLarge {
                limit: src.len() - 1,
                found: src.len()
            },
            ""
        )]
    );
}

#[test]
fn nesting_is_counted_for_parentheses_and_braces_apart() {
    let limits = SourceLimits::default().with_nesting(3);
    let too_deep = |src: &str| {
        found_within(src, &limits)
            .into_iter()
            .filter(|(k, _)| matches!(k, SyntaxErrorKind::TooDeep { limit: 3 }))
            .map(|(_, at)| at.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(too_deep("((（x）))"), Vec::<String>::new());
    assert_eq!(too_deep("((（(x)）))"), ["("]);
    assert_eq!(too_deep("(((（x）)))"), ["（"]);
    assert_eq!(too_deep("{{{ ((( x ))) }}}"), Vec::<String>::new());
    assert_eq!(too_deep("{{{{ }}}}"), ["{"]);
    // Groups side by side are not nested; a closing mark brings the depth down.
    assert_eq!(too_deep(&"((x)) ".repeat(50)), Vec::<String>::new());
    // Reported once, however deep it goes.
    assert_eq!(too_deep(&"(".repeat(20)), ["("]);
    // Closing marks beyond the opening ones do not make room for more.
    assert_eq!(too_deep("))))) ((((x"), ["("]);
    // Nesting cannot be raised beyond what the parse's stack holds.
    let most = SourceLimits::default().with_nesting(10_000);
    assert_eq!(most.nesting, SourceLimits::MAX_NESTING);
    let src = "(".repeat(SourceLimits::MAX_NESTING + 1);
    assert_eq!(
        found_within(&src, &most)[0].0,
        SyntaxErrorKind::TooDeep {
            limit: SourceLimits::MAX_NESTING
        }
    );
}

#[test]
fn ifs_are_counted_per_declaration() {
    let many = |n: usize, kw: &str| {
        let mut src = String::from("derive 社区 {\n  x = ");
        for _ in 0..n {
            src.push_str(kw);
            src.push_str(" a then 1 else ");
        }
        src.push_str("0\n}\n");
        src
    };
    let ifs = |src: &str| {
        found(src)
            .into_iter()
            .filter(|(k, _)| *k == SyntaxErrorKind::TooManyIfs { limit: MAX_IFS })
            .map(|(_, at)| at.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ifs(&many(MAX_IFS, "if")), Vec::<String>::new());
    assert_eq!(ifs(&many(MAX_IFS + 1, "if")), ["i"]);
    assert_eq!(ifs(&many(MAX_IFS + 1, "如果")), ["如"]);
    // Two declarations of MAX_IFS each: the count starts again after a block closes.
    let two = many(MAX_IFS, "if").repeat(2);
    assert_eq!(ifs(&two), Vec::<String>::new());
    // `if` inside a name is no `if`, at its start, in its middle or at its end.
    let names = "derive 社区 { x = ".to_string()
        + &"diff + ifs + motif + 如果是 + 假如果 + ".repeat(300)
        + "0 }\n";
    assert_eq!(ifs(&names), Vec::<String>::new());
}
