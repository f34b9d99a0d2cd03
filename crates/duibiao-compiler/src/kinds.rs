//! Unit kinds and their containment: declared once, checked for unknown names, duplicates and
//! cycles, and ordered so that contained kinds come before the kinds containing them.

use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::graph::KindId;
use duibiao_syntax::ast::{Decl, File, KindDecl, Span};
use indexmap::IndexMap;

/// The declared kinds, by name, with containment resolved.
pub(crate) struct Kinds<'a> {
    /// Declarations by name, in source order; a kind's id is its position.
    pub decls: IndexMap<String, &'a KindDecl>,
    /// Direct children of each kind.
    pub children: Vec<Vec<KindId>>,
    /// All kinds each kind contains, directly or through others.
    pub descendants: Vec<Vec<KindId>>,
    /// Kinds with contained kinds first.
    pub order: Vec<KindId>,
}

pub(crate) fn collect<'a>(file: &'a File, diags: &mut Vec<Diagnostic>) -> Kinds<'a> {
    let mut decls: IndexMap<String, &KindDecl> = IndexMap::new();
    for d in &file.decls {
        if let Decl::Kind(k) = d {
            if let Some(first) = decls.get(&k.name.name) {
                diags.push(Diagnostic {
                    kind: DiagnosticKind::DuplicateKind(k.name.name.clone()),
                    span: k.name.span,
                    related: vec![first.name.span],
                    suggestion: None,
                });
            } else {
                decls.insert(k.name.name.clone(), k);
            }
        }
    }
    let mut children: Vec<Vec<KindId>> = Vec::with_capacity(decls.len());
    for k in decls.values() {
        let mut ch = Vec::new();
        for c in &k.contains {
            match decls.get_index_of(&c.name) {
                Some(i) if !ch.contains(&(i as KindId)) => ch.push(i as KindId),
                Some(_) => {}
                None => diags.push(Diagnostic::new(
                    DiagnosticKind::UnknownKind(c.name.clone()),
                    c.span,
                )),
            }
        }
        children.push(ch);
    }
    // Post-order DFS: children first; a back edge is a cycle.
    let n = decls.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut order = Vec::with_capacity(n);
    let mut cycle_reported = false;
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(&mut (k, ref mut next)) = stack.last_mut() {
            if let Some(&c) = children[k].get(*next) {
                *next += 1;
                let c = c as usize;
                match state[c] {
                    0 => {
                        state[c] = 1;
                        stack.push((c, 0));
                    }
                    1 if !cycle_reported => {
                        cycle_reported = true;
                        let start = stack.iter().position(|(s, _)| *s == c).unwrap_or(0);
                        let mut names: Vec<&str> = stack[start..]
                            .iter()
                            .filter_map(|(s, _)| decls.get_index(*s).map(|(n, _)| n.as_str()))
                            .collect();
                        names.push(decls.get_index(c).map_or("", |(n, _)| n.as_str()));
                        let span = decls.get_index(k).map_or(Span::default(), |(_, d)| d.span);
                        diags.push(Diagnostic::new(
                            DiagnosticKind::ContainmentCycle(names.join(" → ")),
                            span,
                        ));
                    }
                    _ => {}
                }
            } else {
                state[k] = 2;
                order.push(k as KindId);
                stack.pop();
            }
        }
    }
    let mut descendants = vec![Vec::new(); n];
    if !cycle_reported {
        for &k in &order {
            let mut all: Vec<KindId> = Vec::new();
            for &c in &children[k as usize] {
                if !all.contains(&c) {
                    all.push(c);
                }
                for &d in &descendants[c as usize] {
                    if !all.contains(&d) {
                        all.push(d);
                    }
                }
            }
            descendants[k as usize] = all;
        }
    }
    Kinds {
        decls,
        children,
        descendants,
        order,
    }
}
