//! Kinds and their containment as the graph keeps them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::compile;
use duibiao_compiler::diagnostic::DiagnosticKind;

/// The kinds each kind contains, by index.
fn children(c: &duibiao_compiler::Compiled) -> Vec<Vec<u32>> {
    let g = c.graph.as_ref().unwrap();
    g.kinds.iter().map(|k| k.children.clone()).collect()
}

/// A kind listed twice after `contains` is contained once: its units are not counted twice and
/// the graph lists it once.
#[test]
fn a_kind_listed_twice_is_contained_once() {
    let once = compile("standard k { title \"k\" }\nkind 街道 contains 社区\nkind 社区\n");
    let twice = compile("standard k { title \"k\" }\nkind 街道 contains 社区, 社区\nkind 社区\n");
    assert_eq!(children(&twice), children(&once));
    assert_eq!(children(&once)[0].len(), 1);
}

/// A kind of record whose owner is listed twice is contained once by it, as a kind listed twice
/// after `contains` is: its records are not counted twice.
#[test]
fn a_records_owner_listed_twice_contains_them_once() {
    let src = |owners: &str| {
        format!(
            "standard k {{ title \"k\" }}\nkind 支部\nrecords {owners} 积分记录 {{\n  分值: points\n}}\n"
        )
    };
    let (once, twice) = (compile(&src("支部")), compile(&src("支部、支部")));
    assert_eq!(children(&twice), children(&once));
    assert_eq!(children(&once)[0].len(), 1);
}

/// Kinds containing each other in a tangle (two cycles through 街道) are one error, naming the
/// first cycle found: each further cycle would print a path as long as the tangle again, so the
/// output would grow faster than the source.
#[test]
fn a_tangle_of_kinds_is_one_error() {
    let c = compile(
        "standard k { title \"k\" }\nkind 街道 contains 社区, 小区\nkind 社区 contains 街道\nkind 小区 contains 街道\n",
    );
    let cycles: Vec<&DiagnosticKind> = c
        .diagnostics
        .iter()
        .filter(|d| d.code() == "E0103")
        .map(|d| &d.kind)
        .collect();
    assert_eq!(
        cycles,
        [&DiagnosticKind::ContainmentCycle(
            "街道 → 社区 → 街道".into()
        )]
    );
}
