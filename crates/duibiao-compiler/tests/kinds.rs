//! Kinds and their containment as the graph keeps them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::compile;

/// A kind listed twice after `contains` is contained once: its units are not counted twice and
/// the graph lists it once.
#[test]
fn a_kind_listed_twice_is_contained_once() {
    let once = compile("standard k { title \"k\" }\nkind 街道 contains 社区\nkind 社区\n");
    let twice = compile("standard k { title \"k\" }\nkind 街道 contains 社区, 社区\nkind 社区\n");
    let children = |c: &duibiao_compiler::Compiled| {
        let g = c.graph.as_ref().unwrap();
        g.kinds
            .iter()
            .map(|k| k.children.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(children(&twice), children(&once));
    assert_eq!(children(&once)[0].len(), 1);
}
