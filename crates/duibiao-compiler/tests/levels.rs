//! Level names that a kind also uses for another name: one `E0105` per name, where both are
//! declared, and no other error for their uses.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::{compile, DiagnosticKind};

const HEADER: &str = "standard demo { title \"示例\" }\nkind 小区\n";

/// The diagnostics of `body` after the header, as (code, English message, line of the span,
/// line of the related span).
fn diagnostics(body: &str) -> Vec<(String, String, usize, Option<usize>)> {
    let src = format!("{HEADER}{body}");
    let line = |at: usize| src[..at].matches('\n').count() + 1;
    compile(&src)
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code().to_string(),
                d.kind.to_string(),
                line(d.span.start),
                d.related.first().map(|r| line(r.start)),
            )
        })
        .collect()
}

#[test]
fn a_level_named_like_a_tier_is_one_error_at_both_declarations() {
    let found = diagnostics(
        "facts 小区 {\n  星级: enum(一星级, 二星级)\n}\ntiers 小区 {\n  合格 { 星级 >= 一星级 }\n  二星级 requires 合格 { 星级 >= 二星级 }\n}\n",
    );
    assert_eq!(
        found,
        vec![(
            "E0105".to_string(),
            "level `二星级` has the same name as tier `二星级` of `小区`".to_string(),
            8,
            Some(4)
        )]
    );
}

#[test]
fn a_level_named_like_a_later_parameter_underlines_the_parameter() {
    let found = diagnostics(
        "facts 小区 {\n  星级: enum(一星级, 二星级)\n}\nparam 二星级: int = 2\ntiers 小区 {\n  合格 { 星级 >= 二星级 }\n}\n",
    );
    assert_eq!(
        found,
        vec![(
            "E0105".to_string(),
            "level `二星级` has the same name as parameter `二星级`".to_string(),
            6,
            Some(4)
        )]
    );
    let src =
        format!("{HEADER}facts 小区 {{ 星级: enum(一星级, 二星级) }}\nparam 二星级: int = 2\n");
    let d = &compile(&src).diagnostics[0];
    assert!(matches!(d.kind, DiagnosticKind::LevelClash { .. }));
    assert_eq!(d.kind.message_zh(), "档次 `二星级` 与参数 `二星级` 同名");
}

#[test]
fn a_level_of_a_derived_value_clashes_with_a_fact() {
    let found = diagnostics(
        "facts 小区 {\n  红牌: bool\n}\nderive 小区 {\n  卡: enum(绿牌, 红牌) = if 红牌 then 红牌 else 绿牌\n}\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].1,
        "level `红牌` has the same name as fact `红牌` of `小区`"
    );
    assert_eq!((found[0].2, found[0].3), (7, Some(4)));
}

/// A kind declared after others is checked as the first one is.
#[test]
fn a_level_of_a_later_kind_named_like_its_tier_is_reported() {
    let found = diagnostics(
        "kind 社区\nfacts 社区 {\n  星级: enum(一星级, 二星级)\n}\ntiers 社区 {\n  合格 { 星级 >= 一星级 }\n  二星级 requires 合格 { 星级 >= 二星级 }\n}\n",
    );
    let messages: Vec<(&str, &str)> = found
        .iter()
        .map(|(code, message, _, _)| (code.as_str(), message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [(
            "E0105",
            "level `二星级` has the same name as tier `二星级` of `社区`"
        )]
    );
}
