//! A kind of record has only the fields of its `records` declaration: every rule written for it
//! is reported, naming the rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::compile;
use duibiao_compiler::diagnostic::{DiagnosticKind, RecordsProblem};

/// The rules reported as written for the kind of record `积分记录` in a standard ending with `rule`.
fn rules_on_records(rule: &str) -> Vec<String> {
    let src = format!(
        "standard r {{ title \"r\" }}\nkind 支部\nfacts 支部 {{\n  成立日期: date\n}}\n\
         records 支部 积分记录 {{\n  分值: points\n}}\n\
         derive 支部 {{ 积分 = sum 积分记录 of (分值) }}\n{rule}\n"
    );
    compile(&src)
        .diagnostics
        .into_iter()
        .filter_map(|d| match d.kind {
            DiagnosticKind::BadRecords(RecordsProblem::RulesOnRecords { record, rule }) => {
                Some(format!("{record}: {rule}"))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_rule_written_for_a_kind_of_record_is_reported() {
    for (rule, keyword) in [
        ("facts 积分记录 {\n  备注: bool\n}", "facts"),
        (
            "requirements 积分记录 有分要求 {\n  有分: 分值 > 0\n}",
            "requirements",
        ),
        ("target 有分 on 积分记录 due 2023-12-31: 分值 > 0", "target"),
        ("unrated 积分记录 无分: 分值 == 0", "unrated"),
        ("tiers 积分记录 {\n  有效 { 分值 > 0 }\n}", "tiers"),
    ] {
        assert_eq!(
            rules_on_records(rule),
            [format!("积分记录: {keyword}")],
            "{rule}"
        );
    }
    // The same rules for the owner are not.
    assert_eq!(
        rules_on_records("requirements 支部 积分要求 {\n  有分: 积分 > 0\n}"),
        Vec::<String>::new()
    );
}
