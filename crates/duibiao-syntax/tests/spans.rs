//! A declaration's span covers its own text: it ends at its last token, not at the white space,
//! line breaks and `#` comments the grammar lets it swallow before the next declaration — while a
//! `#` inside a string ("…" or “…”) is text, not the start of a comment.

#![allow(clippy::unwrap_used, clippy::panic)]

use duibiao_syntax::ast::{Decl, File};

/// The text of each parameter declaration of `src`, as its span gives it.
fn param_texts(src: &str) -> Vec<&str> {
    let file: File = duibiao_syntax::parse(src).unwrap_or_else(|e| panic!("{e:?}"));
    file.decls
        .iter()
        .filter_map(|d| match d {
            Decl::Param(p) => Some(&src[p.span.start..p.span.end]),
            _ => None,
        })
        .collect()
}

#[test]
fn a_declarations_span_ends_at_its_last_token() {
    let src = "standard s { title \"t\" }\n\
               param 甲 = 1 \"说明 # 不是注释\"   # 注释 \"引号\" # 又一个\n\
               # 整行注释\n\
               \n\
               #   又一行注释\n\
               param 乙 = 2 “中文引号里的 # 也不是注释”# 紧跟的注释\n\
               param 丙 = 3\n\
               \n";
    assert_eq!(
        param_texts(src),
        [
            "param 甲 = 1 \"说明 # 不是注释\"",
            "param 乙 = 2 “中文引号里的 # 也不是注释”",
            "param 丙 = 3",
        ]
    );
}

#[test]
fn a_quote_inside_the_other_kind_of_quotes_does_not_hide_a_comment() {
    let src = "standard s { title \"t\" }\n\
               param 甲 = 1 \"写作“甲\" # 注释\n\
               param 乙 = 2 “他说\"好”  # 注释 # 再\n";
    assert_eq!(
        param_texts(src),
        ["param 甲 = 1 \"写作“甲\"", "param 乙 = 2 “他说\"好”"]
    );
}
