//! A rule's name is its kind's once: two vetoes, or two rules leaving a unit unrated, of one kind
//! under different names are two rules; under one name, the second is a duplicate.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::compile;
use duibiao_compiler::diagnostic::DiagnosticKind;

/// The duplicate names `rules` (declarations after the kind's facts and tiers) are reported for.
fn duplicates(rules: &str) -> Vec<String> {
    let src = format!(
        "standard d {{ title \"d\" }}\nkind 小区\n\
         facts 小区 {{\n  甲: bool\n  乙: bool\n}}\n\
         tiers 小区 {{\n  标准型 {{}}\n  示范型 requires 标准型 {{}}\n}}\n{rules}"
    );
    let compiled = compile(&src);
    compiled
        .diagnostics
        .iter()
        .filter_map(|d| match &d.kind {
            DiagnosticKind::DuplicateName { name, kind } => Some(format!("{kind}.{name}")),
            _ => None,
        })
        .collect()
}

#[test]
fn vetoes_of_one_kind_are_told_apart_by_name() {
    let two = "veto 小区 否决一: 甲 blocks 示范型\nveto 小区 否决二: 乙 blocks 示范型\n";
    assert_eq!(duplicates(two), Vec::<String>::new());
    let again = "veto 小区 否决一: 甲 blocks 示范型\nveto 小区 否决一: 乙 blocks 示范型\n";
    assert_eq!(duplicates(again), ["小区.否决一"]);
}

#[test]
fn unrated_rules_of_one_kind_are_told_apart_by_name() {
    let two = "unrated 小区 新成立: 甲\nunrated 小区 停办: 乙\n";
    assert_eq!(duplicates(two), Vec::<String>::new());
    let again = "unrated 小区 新成立: 甲\nunrated 小区 新成立: 乙\n";
    assert_eq!(duplicates(again), ["小区.新成立"]);
}
