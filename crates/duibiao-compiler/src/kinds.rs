//! Unit kinds and their containment: declared once, checked for unknown names, duplicates and
//! cycles, and ordered so that contained kinds come before the kinds containing them. A kind of
//! record (`records`) is a kind contained by its owners.

use crate::diagnostic::{Diagnostic, DiagnosticKind, RecordsProblem};
use crate::graph::KindId;
use duibiao_syntax::ast::{Annotation, Decl, File, Ident, RecordsDecl, Span};
use indexmap::IndexMap;

/// One declared kind: a `kind` declaration, or the kind of record of a `records` declaration.
pub(crate) struct KindEntry<'a> {
    /// Its name as declared.
    pub name: &'a Ident,
    /// The kinds it contains, as written after `contains`.
    pub contains: &'a [Ident],
    /// Its description and citation.
    pub ann: &'a Annotation,
    /// The whole declaration.
    pub span: Span,
    /// For a kind of record, its declaration.
    pub record: Option<&'a RecordsDecl>,
}

/// The declared kinds, by name, with containment resolved.
pub(crate) struct Kinds<'a> {
    /// Declarations by name, in source order (the `records` after the `kind`s); a kind's id is
    /// its position.
    pub decls: IndexMap<String, KindEntry<'a>>,
    /// For each kind of record, the kinds that keep it (empty for the other kinds).
    pub owners: Vec<Vec<KindId>>,
    /// Direct children of each kind.
    pub children: Vec<Vec<KindId>>,
    /// All kinds each kind contains, directly or through others.
    pub descendants: Vec<Vec<KindId>>,
    /// Kinds with contained kinds first.
    pub order: Vec<KindId>,
}

pub(crate) fn collect<'a>(file: &'a File, diags: &mut Vec<Diagnostic>) -> Kinds<'a> {
    let mut decls: IndexMap<String, KindEntry<'a>> = IndexMap::new();
    let mut declare = |entry: KindEntry<'a>, diags: &mut Vec<Diagnostic>| {
        if let Some(first) = decls.get(&entry.name.name) {
            diags.push(Diagnostic {
                kind: DiagnosticKind::DuplicateKind(entry.name.name.clone()),
                span: entry.name.span,
                related: vec![first.name.span],
                suggestion: None,
            });
        } else {
            decls.insert(entry.name.name.clone(), entry);
        }
    };
    for d in &file.decls {
        if let Decl::Kind(k) = d {
            let entry = KindEntry {
                name: &k.name,
                contains: &k.contains,
                ann: &k.ann,
                span: k.span,
                record: None,
            };
            declare(entry, diags);
        }
    }
    for d in &file.decls {
        if let Decl::Records(r) = d {
            let entry = KindEntry {
                name: &r.name,
                contains: &[],
                ann: &r.ann,
                span: r.span,
                record: Some(r),
            };
            declare(entry, diags);
        }
    }
    let is_record = |i: usize| decls.get_index(i).is_some_and(|(_, e)| e.record.is_some());
    let mut children: Vec<Vec<KindId>> = Vec::with_capacity(decls.len());
    for k in decls.values() {
        let mut ch = Vec::new();
        for c in k.contains {
            match decls.get_index_of(&c.name) {
                Some(i) if is_record(i) => {
                    let problem = RecordsProblem::Contained {
                        record: c.name.clone(),
                    };
                    diags.push(Diagnostic::new(DiagnosticKind::BadRecords(problem), c.span));
                }
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
    // Each kind of record is contained by its owners.
    let mut owners: Vec<Vec<KindId>> = vec![Vec::new(); decls.len()];
    for (r, entry) in decls.values().enumerate() {
        let Some(decl) = entry.record.filter(|d| std::ptr::eq(&d.name, entry.name)) else {
            continue;
        };
        for o in &decl.owners {
            match decls.get_index_of(&o.name) {
                Some(i) if is_record(i) => {
                    let problem = RecordsProblem::RecordsOfRecords {
                        owner: o.name.clone(),
                    };
                    diags.push(Diagnostic::new(DiagnosticKind::BadRecords(problem), o.span));
                }
                Some(i) if !owners[r].contains(&(i as KindId)) => {
                    owners[r].push(i as KindId);
                    children[i].push(r as KindId);
                }
                Some(_) => {}
                None => diags.push(Diagnostic::new(
                    DiagnosticKind::UnknownKind(o.name.clone()),
                    o.span,
                )),
            }
        }
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
        owners,
        children,
        descendants,
        order,
    }
}
