//! The mistakes recognised behind syntax errors, and the range each error is then about.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_syntax::{parse, Hint, SyntaxErrorKind};

const HEADER: &str = "standard demo { title \"示例\" }\nkind 小区\n";

/// The hint and the text of the range of the first syntax error of `body` after the header.
fn first_error(body: &str) -> (Option<Hint>, String) {
    let src = format!("{HEADER}{body}");
    let errors = parse(&src).expect_err("a syntax error");
    let e = &errors[0];
    let SyntaxErrorKind::Unexpected { hint, .. } = &e.kind else {
        panic!("not a syntax error: {e:?}");
    };
    (hint.clone(), src[e.span.start..e.span.end].to_string())
}

fn keyword(k: &str) -> Option<Hint> {
    Some(Hint::Keyword(k.to_string()))
}

#[test]
fn a_keyword_is_named_wherever_it_stands_for_a_name() {
    // Declared, as a label, and as an operand of arithmetic or of a comparison.
    for (body, k) in [
        ("facts 小区 { 比例: percent }", "比例"),
        ("tiers 小区 { 达标 { 得分: score >= 60 } }", "得分"),
        ("derive 小区 { 户数二 = 比例 * 2 }", "比例"),
        ("tiers 小区 { 达标 { 比例 >= 30% } }", "比例"),
        ("tiers 小区 { 达标 { 3 <= count } }", "count"),
        ("derive 小区 { 名次二 = 排名 + 1 }", "排名"),
    ] {
        assert_eq!(first_error(body), (keyword(k), k.to_string()), "{body}");
    }
}

#[test]
fn a_declaration_keyword_within_a_line_is_named_as_a_keyword() {
    // Where a name stands in the middle of a declaration: the card's name, a contained kind.
    for (body, k) in [
        (
            "scorecard 小区 评分 total 10 { item 1 \"整体\" max 10 }",
            "评分",
        ),
        ("kind 街道 contains 单位", "单位"),
    ] {
        assert_eq!(first_error(body), (keyword(k), k.to_string()), "{body}");
    }
    // At the start of a line it starts the next declaration: the block before is not closed.
    let (hint, found) = first_error("facts 小区 { 有制度: bool\ntiers 小区 { 达标 { 有制度 } }");
    assert_eq!((hint, found.as_str()), (None, "tiers"));
}

#[test]
fn a_keyword_followed_by_what_continues_it_is_not_taken_for_a_name() {
    // `requires` waits for a tier: a missing name is not a keyword used as one.
    let (hint, _) = first_error("tiers 小区 { 达标 requires { score >= 60 } }");
    assert_eq!(hint, None);
    // `count` before a name is the aggregate; the mistake is elsewhere.
    let (hint, _) = first_error("tiers 小区 { 达标 { count 小区 at >= 3 } }");
    assert_eq!(hint, None);
    // A colon after a keyword that is not where a label stands.
    let (hint, found) = first_error("kind 社区 contains: 小区");
    assert_eq!((hint, found.as_str()), (None, ":"));
}

#[test]
fn two_comparisons_in_a_row_are_split_in_two() {
    let (hint, range) = first_error("tiers 小区 { 良好 { 80 <= score < 90 \"良好\" } }");
    assert_eq!(
        hint,
        Some(Hint::ChainedComparison {
            written: "80 <= score < 90".into(),
            first: "score >= 80".into(),
            second: "score < 90".into(),
        })
    );
    assert_eq!(range, "80 <= score < 90");
    // After a label and another comparison; the operands are whole sums, the words kept.
    let (hint, _) = first_error("tiers 小区 { 达标 { 够: 人数 > 3 且 10 不少于 人数 + 1 < 20 } }");
    assert_eq!(
        hint,
        Some(Hint::ChainedComparison {
            written: "10 不少于 人数 + 1 < 20".into(),
            first: "人数 + 1 <= 10".into(),
            second: "人数 + 1 < 20".into(),
        })
    );
    // A comparison sign where no comparison came before it is not a chain.
    let (hint, _) = first_error("tiers 小区 { 达标 { < 90 } }");
    assert_eq!(hint, None);
}

#[test]
fn a_derived_value_written_with_a_colon_is_told_to_use_equals() {
    let (hint, range) = first_error("derive 小区 {\n  工作者比例：工作者数 / 户数 \"说明\"\n}");
    assert_eq!(
        hint,
        Some(Hint::DerivedColon {
            name: "工作者比例".into(),
            expr: "工作者数 / 户数".into(),
            colon: '：',
        })
    );
    assert_eq!(range, "：");
    // The same mistake in `facts` is a wrong type, not a formula.
    let (hint, _) = first_error("facts 小区 {\n  工作者比例: 工作者数 / 户数\n}");
    assert_eq!(hint, None);
    // With a type written, `=` is what is missing after it.
    let (hint, _) = first_error("计算 小区 {\n  工作者比例: percent 工作者数 / 户数\n}");
    assert_eq!(hint, None);
}

/// What the grammar expected at the first syntax error of `body`, in English.
fn expected(body: &str) -> Vec<String> {
    let src = format!("{HEADER}{body}");
    let errors = parse(&src).expect_err("a syntax error");
    let SyntaxErrorKind::Unexpected { expected, .. } = &errors[0].kind else {
        panic!("not a syntax error: {:?}", errors[0]);
    };
    expected.iter().map(|e| e.en.clone()).collect()
}

#[test]
fn every_keyword_the_grammar_expects_is_listed() {
    // `除外` where `unless` goes: the list names `unless` / `除非` (it used to leave it out).
    let after_cap = expected("tiers 小区 { 一星 {} }\ncap 小区 逐级: 一星 除外 true");
    assert!(
        after_cap.iter().any(|e| e == "`unless` / `除非`"),
        "{after_cap:?}"
    );
    // Where a declaration may start, every declaration is listed, the rating ones included.
    let after_decl = expected("kind 街道 contains 小区 哪里");
    for k in [
        "`target` / `目标`",
        "`score` / `得分`",
        "`unrated` / `不定级`",
        "`cap` / `封顶`",
        "`limit` / `限额`",
        "`omit` / `未编码`",
    ] {
        assert!(
            after_decl.iter().any(|e| e == k),
            "{k} not in {after_decl:?}"
        );
    }
}

#[test]
fn only_a_keyword_is_named_as_a_label_and_only_before_what_cannot_continue_it() {
    // A label that is a name, first on its line or not, is no keyword used as a label.
    for body in [
        "tiers 小区 { 达标 {\n  够数: >= 3 } }",
        "tiers 小区 { 达标 { 够数: >= 3 } }",
    ] {
        assert_eq!(first_error(body), (None, ">=".to_string()), "{body}");
    }
    // A keyword followed by `(` or `（` may be a call: not named.
    for (body, found) in [
        ("derive 小区 { x = 比例(1) }", "(1)"),
        ("derive 小区 { x = 比例（1） }", "（1）"),
    ] {
        assert_eq!(first_error(body), (None, found.to_string()), "{body}");
    }
}

#[test]
fn a_chain_is_split_whatever_the_space_around_its_second_sign() {
    for (body, written, second) in [
        (
            "tiers 小区 { 良好 { 80 <= score <=   90 } }",
            "80 <= score <=   90",
            "score <= 90",
        ),
        (
            "tiers 小区 { 良好 {\n 80 <= score\t<=\t 90 \"x\" } }",
            "80 <= score\t<=\t 90",
            "score <= 90",
        ),
    ] {
        let hint = Some(Hint::ChainedComparison {
            written: written.into(),
            first: "score >= 80".into(),
            second: second.into(),
        });
        assert_eq!(first_error(body), (hint, written.to_string()), "{body}");
    }
}

#[test]
fn a_name_before_a_colon_where_none_belongs_is_no_keyword() {
    // A tier's name takes no colon: the name is not a keyword used as a label.
    let (hint, found) = first_error("tiers 小区 {\n  达标: { score >= 60 }\n}");
    assert_eq!((hint, found.as_str()), (None, ":"));
}
