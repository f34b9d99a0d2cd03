//! The canonical printer on trees no parse gives: nesting far deeper than the parser accepts,
//! chains longer than it takes at once, and degenerate nodes. It must neither overflow the stack
//! nor panic.

use duibiao_syntax::ast::*;
use duibiao_syntax::canonical::{print, print_expr};

fn at(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn name(n: &str) -> Ident {
    Ident {
        name: n.to_string(),
        span: Span::default(),
    }
}

fn file(decls: Vec<Decl>) -> File {
    File {
        header: Header {
            slug: name("s"),
            title: None,
            issuer: None,
            number: None,
            source: None,
            effective: None,
            span: Span::default(),
        },
        decls,
    }
}

fn derive(e: Expr) -> Decl {
    Decl::Derive(DeriveDecl {
        kinds: vec![name("小区")],
        values: vec![DerivedDecl {
            name: name("x"),
            ty: None,
            expr: e,
            ann: Annotation::default(),
            span: Span::default(),
        }],
        span: Span::default(),
    })
}

/// Deep trees are leaked rather than dropped: dropping them recurses once per level, on the test
/// thread's small stack.
fn leak<T>(t: T) {
    std::mem::forget(t);
}

#[test]
fn deep_negations_and_right_leaning_chains_do_not_overflow() {
    const DEPTH: usize = 100_000;
    let mut neg = at(ExprKind::Name(name("a")));
    let mut sub = at(ExprKind::Name(name("a")));
    for _ in 0..DEPTH {
        neg = at(ExprKind::Neg(Box::new(neg)));
        sub = at(ExprKind::Binary(
            BinOp::Sub,
            Box::new(at(ExprKind::Name(name("b")))),
            Box::new(sub),
        ));
    }
    let (negs, subs) = (print_expr(&neg), print_expr(&sub));
    leak((neg, sub));
    let close = ")".repeat(DEPTH - 1);
    assert!(negs == format!("{}-a{close}", "-(".repeat(DEPTH - 1)));
    assert!(subs == format!("{}b - a{close}", "b - (".repeat(DEPTH - 1)));
}

#[test]
fn deep_groups_do_not_overflow() {
    let mut g = Group {
        name: name("g"),
        ann: Annotation::default(),
        members: Vec::new(),
        span: Span::default(),
    };
    for _ in 0..3_000 {
        g = Group {
            name: name("g"),
            ann: Annotation::default(),
            members: vec![GroupMember::Group(g)],
            span: Span::default(),
        };
    }
    let f = file(vec![Decl::Requirements(RequirementsDecl {
        kinds: vec![name("小区")],
        group: g,
    })]);
    let text = print(&f);
    leak(f);
    assert_eq!(text.matches("group g").count(), 3_000);
}

/// A chain of additions longer than the parser takes at once prints with its beginning in
/// parentheses, and parses back to text that prints the same.
#[test]
fn long_chains_print_in_parts_the_parser_takes() {
    let mut sum = at(ExprKind::Name(name("a")));
    for _ in 1..3000 {
        sum = at(ExprKind::Binary(
            BinOp::Add,
            Box::new(sum),
            Box::new(at(ExprKind::Name(name("a")))),
        ));
    }
    let f = file(vec![derive(sum)]);
    let text = print(&f);
    assert_eq!(text.matches('(').count(), 2);
    let again = duibiao_syntax::parse(&text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(print(&again), text);
}

/// Nodes no parse gives still print, without panicking.
#[test]
fn degenerate_nodes_print() {
    let empty_and = at(ExprKind::And(Vec::new()));
    let empty_or = at(ExprKind::Or(Vec::new()));
    assert_eq!(print_expr(&empty_and), "true");
    assert_eq!(print_expr(&empty_or), "false");
    let call = at(ExprKind::Call(name(""), Vec::new()));
    assert_eq!(print_expr(&call), "()");
    let agg = at(ExprKind::Aggregate(Aggregate {
        op: AggOp::Count,
        direct: false,
        kinds: Vec::new(),
        at: None,
        filter: None,
        of: None,
        if_none: None,
    }));
    assert_eq!(print_expr(&agg), "count ");
    let text = |s: &str| Text {
        value: s.to_string(),
        span: Span::default(),
    };
    let f = file(vec![
        Decl::Omit(OmitDecl {
            clause: text("含\"和“不成对"),
            reason: text("“引号”里有\""),
            span: Span::default(),
        }),
        Decl::Param(ParamDecl {
            name: name("p"),
            ty: None,
            value: Some(ParamValue::Dated(Vec::new())),
            ann: Annotation::default(),
            span: Span::default(),
        }),
        Decl::Quota(QuotaDecl {
            name: name("q"),
            ty: TypeExpr::Enum(Vec::new(), Span::default()),
            kind: name("街道"),
            ann: Annotation::default(),
            columns: Vec::new(),
            rows: Vec::new(),
            span: Span::default(),
        }),
    ]);
    let printed = print(&f);
    assert!(printed.contains("omit \"含\"和“不成对\" reason ““引号”里有\"”"));
    assert!(printed.contains("param p = { }"));
    assert!(printed.contains("quota q: enum() on 街道 {\n  columns \n}"));
}
