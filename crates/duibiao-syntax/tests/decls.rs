//! What the parser builds for declarations whose loss a round trip cannot see (a declaration or
//! a clause dropped on the way in is dropped on the way back too): each declaration of the
//! worked examples is in the tree as its own kind, with its clauses; literals keep their places;
//! and the deepest nesting the limits let through parses on whatever thread calls the parser.

#![allow(clippy::unwrap_used, clippy::panic)]

use duibiao_syntax::ast::{Decl, ExprKind, GroupMember, Literal, Scope, ShareBound};
use duibiao_syntax::SourceLimits;
use std::path::Path;

fn parse_doc(rel: &str) -> duibiao_syntax::ast::File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    duibiao_syntax::parse(&src).unwrap_or_else(|e| panic!("{rel}: {e:?}"))
}

#[test]
fn limits_floors_and_guides_are_declarations_of_their_own() {
    let floors = parse_doc("docs/tutorial/floor-demo.std");
    let bounds: Vec<(ShareBound, String)> = floors
        .decls
        .iter()
        .filter_map(|d| match d {
            Decl::Limit(l) => Some((l.bound, l.tier.name.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        bounds,
        [
            (ShareBound::AtMost, "五星".to_string()),
            (ShareBound::AtLeast, "无".to_string()),
            (ShareBound::AtLeast, "无".to_string()),
        ]
    );
    let guides = parse_doc("docs/tutorial/guide-demo.std");
    let tiers: Vec<&str> = guides
        .decls
        .iter()
        .filter_map(|d| match d {
            Decl::Guide(g) => Some(g.tier.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(tiers, ["五星", "四星", "三星", "二星"]);
}

#[test]
fn a_requirement_keeps_its_when_clause() {
    let src = "standard s {}\nkind 小区\nfacts 小区 { a: bool; b: bool }\n\
               requirements 小区 基本 { r: a when b \"说明\"\n q: b }\n";
    let file = duibiao_syntax::parse(src).unwrap_or_else(|e| panic!("{e:?}"));
    let group = file
        .decls
        .iter()
        .find_map(|d| match d {
            Decl::Requirements(r) => Some(&r.group),
            _ => None,
        })
        .unwrap();
    let whens: Vec<(String, Option<String>)> = group
        .members
        .iter()
        .map(|m| match m {
            GroupMember::Requirement(r) => (
                r.name.name.clone(),
                r.when
                    .as_ref()
                    .map(|w| src[w.span.start..w.span.end].to_string()),
            ),
            GroupMember::Group(g) => panic!("a group {}", g.name.name),
        })
        .collect();
    assert_eq!(
        whens,
        [
            ("r".to_string(), Some("b".to_string())),
            ("q".to_string(), None)
        ]
    );
}

#[test]
fn a_literal_knows_where_it_was_written() {
    let src =
        "standard s {}\nkind 小区\nderive 小区 { x = 是 or 2021-6-1 > as_of or 15万元 > 0 }\n";
    let file = duibiao_syntax::parse(src).unwrap_or_else(|e| panic!("{e:?}"));
    let mut literals = Vec::new();
    let mut stack: Vec<&duibiao_syntax::ast::Expr> = file
        .decls
        .iter()
        .filter_map(|d| match d {
            Decl::Derive(d) => Some(&d.values[0].expr),
            _ => None,
        })
        .collect();
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Literal(l) => literals.push(l),
            ExprKind::Or(xs) => stack.extend(xs.iter().rev()),
            ExprKind::Compare(_, a, b) => stack.extend([&**b, &**a]),
            _ => {}
        }
    }
    let texts: Vec<&str> = literals
        .iter()
        .map(|l: &&Literal| {
            let s = l.span();
            &src[s.start..s.end]
        })
        .collect();
    assert_eq!(texts, ["是", "2021-6-1", "15万元", "0"]);
}

#[test]
fn the_deepest_nesting_the_limits_allow_parses_on_a_small_thread() {
    let depth = SourceLimits::MAX_NESTING;
    let limits = SourceLimits::default().with_nesting(depth);
    let source = |parens: usize| {
        let expr = format!("{}1{}", "(".repeat(parens), ")".repeat(parens));
        format!("standard s {{}}\nkind 小区\nderive 小区 {{ x = {expr} }}\n")
    };
    // One level deeper is refused before parsing (parentheses are counted apart from braces).
    assert!(duibiao_syntax::parse_with(&source(depth + 1), &limits).is_err());
    let src = source(depth);
    // A thread of 256 KiB: the parse grows its own stack, whatever the caller's.
    let parsed = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || duibiao_syntax::parse_with(&src, &limits).map(|f| f.decls.len()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(parsed.map_err(|e| e.len()), Ok(2));
}

#[test]
fn scopes_are_told_apart() {
    let src = "standard s {}\nkind 小区\nderive 小区 {\n  a = peers among siblings\n  \
               b = peers among all\n  c = peers among 街道\n}\n";
    let file = duibiao_syntax::parse(src).unwrap_or_else(|e| panic!("{e:?}"));
    let scopes: Vec<String> = file
        .decls
        .iter()
        .filter_map(|d| match d {
            Decl::Derive(d) => Some(&d.values),
            _ => None,
        })
        .flatten()
        .map(|v| match &v.expr.kind {
            ExprKind::Peers(p) => match &p.scope {
                Scope::Siblings => "siblings".to_string(),
                Scope::All => "all".to_string(),
                Scope::Within(k) => format!("within {}", k.name),
            },
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(scopes, ["siblings", "all", "within 街道"]);
}
