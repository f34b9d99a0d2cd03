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
