//! The canonical text of whole files (`duibiao_syntax::canonical::print`): the tutorial's
//! standards, which between them hold every kind of declaration (scorecards, tiers, vetoes,
//! targets, quotas, consequences, omitted clauses, caps, limits, guides, records), printed as
//! pinned (insta), and printed the same again from their own text.

#![allow(clippy::unwrap_used, clippy::panic)]

use duibiao_syntax::canonical::print;

/// The canonical text of a file of the repository, checked to be a fixed point.
fn canonical(path: &str) -> String {
    let full = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    let src = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    let file = duibiao_syntax::parse(&src).unwrap_or_else(|e| panic!("{path}: {e:?}"));
    let text = print(&file);
    let again = duibiao_syntax::parse(&text).unwrap_or_else(|e| panic!("{path}: {e:?}\n{text}"));
    assert_eq!(print(&again), text, "{path}: printing is not idempotent");
    text
}

#[test]
fn the_tutorial_standards_print_as_pinned() {
    for name in [
        "mulin-2024",
        "plan-2018",
        "star-demo",
        "points-demo",
        "guide-demo",
    ] {
        insta::assert_snapshot!(name, canonical(&format!("docs/tutorial/{name}.std")));
    }
}

/// An unlabelled condition that starts with `(`, `-` or a digit would be read as going on from
/// the one before (`a` then `(b)` is the call `a(b)`): the one before ends with `;`, unless it
/// ends with a string.
#[test]
fn conditions_that_would_run_together_are_kept_apart() {
    let src =
        "standard s {\n  title \"t\"\n}\n\nkind 社区\n\nfacts 社区 {\n  a: int\n  b: int\n}\n\n\
               tiers 社区 {\n  达标 {\n    a > 1;\n    (a + b) * 2 > 2;\n    -a < 0;\n    3 < b\n    \
               a > 0 \"说明\"\n    (a + b) * 2 > 0\n    c: a > 5\n    b > 6\n    \
               d: (a + b) * 2 > 7\n  }\n}\n";
    let file = duibiao_syntax::parse(src).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(print(&file), src);
}

/// The canonical text of `x = EXPR` in a `derive` block.
fn derived(expr: &str) -> String {
    let src = format!("standard s {{}}\nkind 小区\nderive 小区 {{ x = {expr} }}\n");
    let file = duibiao_syntax::parse(&src).unwrap_or_else(|e| panic!("{expr}: {e:?}"));
    let text = print(&file);
    let start = text.find("x = ").unwrap_or_else(|| panic!("{text}")) + 4;
    text[start..].lines().next().unwrap_or("").to_string()
}

/// An argument whose text ends with a list of kinds is parenthesized where another argument
/// follows it (the list would take the next argument's name as one more kind), and only there:
/// the last argument, or one that ends otherwise, stands bare.
#[test]
fn arguments_ending_with_kinds_are_parenthesized_only_before_a_comma() {
    for (written, canonical) in [
        ("f(count 小区, 1)", "f((count 小区), 1)"),
        ("f(1, count 小区)", "f(1, count 小区)"),
        ("f(count 小区 ifnone 0, 1)", "f(count 小区 ifnone 0, 1)"),
        ("f(count 小区 at 甲, 1)", "f(count 小区 at 甲, 1)"),
        ("f(count 小区 where (a), 1)", "f(count 小区 where (a), 1)"),
        ("f(sum 小区 of (a), 1)", "f(sum 小区 of (a), 1)"),
        (
            "f(peers among 街道 of 小区、社区, 1)",
            "f((peers among 街道 of 小区, 社区), 1)",
        ),
        (
            "f(1, peers among 街道 of 小区、社区)",
            "f(1, peers among 街道 of 小区, 社区)",
        ),
        ("f(peers among 街道, 1)", "f(peers among 街道, 1)"),
        (
            "f(peers among 街道 of 小区 where (a), 1)",
            "f(peers among 街道 of 小区 where (a), 1)",
        ),
    ] {
        assert_eq!(derived(written), canonical, "{written}");
    }
}

/// Each written form of an expression prints what it says: the spellings of a comparison, an
/// even number of `not`s cancelled and an odd one kept, and the clauses of aggregates, ranks and
/// counts of peers (a clause the parser dropped would be dropped from the text too).
#[test]
fn every_written_form_prints_what_it_says() {
    for (written, canonical) in [
        ("not a", "not a"),
        ("not not a", "a"),
        ("not not not a", "not a"),
        ("a != 1", "a != 1"),
        ("a ≠ 1", "a != 1"),
        ("a 不等于 1", "a != 1"),
        ("any 小区 where (a)", "any 小区 where (a)"),
        ("count 小区 ifnone 0", "count 小区 ifnone 0"),
        (
            "rank (score) among 街道 ties by_id",
            "rank (score) among 街道 ties by_id",
        ),
        (
            "rank (score) among siblings ties shared",
            "rank (score) among siblings ties shared",
        ),
        (
            "peers among all of 小区 where (a > 1)",
            "peers among all of 小区 where (a > 1)",
        ),
    ] {
        assert_eq!(derived(written), canonical, "{written}");
    }
}

/// Every type of a fact in either language, and every rounding of a limit, prints as itself.
#[test]
fn types_and_roundings_print_as_written() {
    let src = "standard s {}\nkind 小区\n\
               facts 小区 { a: decimal; b: hours; c: days; d: 小数; e: 学时数; f: 天数 }\n\
               limit 小区 甲: 10% among all by (score) ties by_id round up\n\
               limit 小区 乙: 10% among all by (score) ties by_id round nearest\n\
               limit 小区 丙: 10% among all by (score) ties by_id round down\n";
    let file = duibiao_syntax::parse(src).unwrap_or_else(|e| panic!("{e:?}"));
    let text = print(&file);
    let facts: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(str::trim)
        .collect();
    assert_eq!(
        facts,
        [
            "a: decimal",
            "b: hours",
            "c: days",
            "d: decimal",
            "e: hours",
            "f: days"
        ]
    );
    let roundings: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("limit 小区 "))
        .filter_map(|l| l.rsplit(' ').next())
        .collect();
    assert_eq!(roundings, ["up", "nearest", "down"]);
}

/// A sum or product of at most `MAX_TERMS` terms parses; one more term is refused.
#[test]
fn a_chain_of_terms_is_bounded() {
    use duibiao_syntax::prescan::MAX_TERMS;
    use duibiao_syntax::SyntaxErrorKind;
    let chain = |n: usize| vec!["1"; n].join(" + ");
    assert!(duibiao_syntax::parse(&format!(
        "standard s {{}}\nkind 小区\nderive 小区 {{ x = {} }}\n",
        chain(MAX_TERMS)
    ))
    .is_ok());
    let too_long = format!(
        "standard s {{}}\nkind 小区\nderive 小区 {{ x = {} }}\n",
        chain(MAX_TERMS + 1)
    );
    let errors = duibiao_syntax::parse(&too_long).err().unwrap_or_default();
    let kinds: Vec<&SyntaxErrorKind> = errors.iter().map(|e| &e.kind).collect();
    assert_eq!(kinds, [&SyntaxErrorKind::TooLong { limit: MAX_TERMS }]);
}
