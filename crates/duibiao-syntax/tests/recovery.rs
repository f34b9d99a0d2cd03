//! After a syntax error the parser resumes at each following line that starts a declaration
//! (an English or Chinese keyword at the start of the line, after any indentation), so that every
//! broken declaration of a file is reported at once, each where it breaks, in order, up to a cap.

#![allow(clippy::unwrap_used, clippy::panic)]

/// Each syntax error of `src` as (line, column, the rest of its line from there), both from 1.
fn errors(src: &str) -> Vec<(usize, usize, String)> {
    let Err(errors) = duibiao_syntax::parse(src) else {
        panic!("parses:\n{src}");
    };
    errors
        .iter()
        .map(|e| {
            let before = &src[..e.span.start];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before[start..].chars().count() + 1;
            let rest = src[e.span.start..].lines().next().unwrap_or("").to_string();
            (line, column, rest)
        })
        .collect()
}

const HEAD: &str = "standard s {}\nkind 小区\nfacts 小区 { a: int }\n";

#[test]
fn every_broken_declaration_is_reported_where_it_breaks() {
    let src = format!(
        "{HEAD}derive 小区 {{ x = a + }}\n\
         param 好 = 1\n\
         \x20 计算 小区 {{ y = ( }}\n\
         \tparam p = = 2\n\
         kind 社区\n"
    );
    assert_eq!(
        errors(&src),
        [
            (4, 21, "}".to_string()),
            (6, 17, "}".to_string()),
            (7, 12, "= 2".to_string()),
        ]
    );
}

#[test]
fn parsing_resumes_only_at_a_keyword_that_starts_a_line() {
    // `kind` inside a line, `kinds` and `参数表` are no declarations to resume at: the text up
    // to the next real one is skipped, so one error is reported for it.
    let src = format!(
        "{HEAD}derive 小区 {{ x = + kind 社区 }}\n\
         kinds 小区 = (\n\
         参数表 = (\n\
         param q = ?\n"
    );
    let found = errors(&src);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].0, found[1].0), (4, 7));
}

#[test]
fn an_error_in_the_last_line_ends_the_search() {
    let src = format!("{HEAD}param a = (");
    assert_eq!(errors(&src).len(), 1);
    let src = format!("{HEAD}param a = (\n\n   \n");
    assert_eq!(errors(&src).len(), 1);
}

#[test]
fn at_most_twenty_errors_are_reported() {
    let mut src = HEAD.to_string();
    for i in 0..30 {
        src.push_str(&format!("param p{i} = (\n"));
    }
    let found = errors(&src);
    assert_eq!(found.len(), 20);
    let lines: Vec<usize> = found.iter().map(|e| e.0).collect();
    assert_eq!(lines, (4..24).collect::<Vec<_>>());
}

#[test]
fn a_declaration_indented_deeper_than_the_text_before_it_is_found() {
    // The first error on the second line; the next declaration indented by more spaces than
    // the bytes before its line: parsing resumes at its keyword, which parses, so one error.
    let src = format!("standard s {{}}\n(\n{}kind 小区\n", " ".repeat(40));
    assert_eq!(errors(&src), [(2, 1, "(".to_string())]);
    let src = format!("standard s {{}}\n(\n{}kind (\n", " ".repeat(40));
    assert_eq!(
        errors(&src),
        [(2, 1, "(".to_string()), (3, 46, "(".to_string())]
    );
}
