//! Parents: each unit's parent as read, and the links resolved once every unit is read, with
//! missing parents, loops and parents that cannot contain the unit reported.

use super::{FactsError, FactsErrorKind, LOOP_SHOWN};
use crate::index::IdIndex;
use crate::tree::Unit;
use duibiao_compiler::graph::Graph;
use std::borrow::Cow;

/// A unit's parent, as read (8 bytes).
#[derive(Debug, Clone, Copy)]
pub(super) enum Parent {
    /// None.
    None,
    /// A unit read before it, found as the unit was read.
    Found(u32),
    /// To be looked up once every unit is read: its id, by position in `Loader::parent_ids`.
    Id(u32),
}

/// Resolves parent ids; a missing parent, a loop or a parent of a kind that cannot contain the
/// unit is reported, and the unit is evaluated as a root.
pub(super) fn link_parents(
    graph: &Graph,
    units: &mut [Unit],
    parents: &[Parent],
    parent_ids: &[Cow<str>],
    index: &IdIndex,
    errors: &mut Vec<FactsError>,
) {
    // 1. Resolve parent ids.
    let mut links: Vec<Option<u32>> = vec![None; units.len()];
    // Whether some unit's parent comes at or after it: only then may parents loop.
    let mut forward = false;
    for (i, parent) in parents.iter().enumerate().take(units.len()) {
        let pid = match *parent {
            Parent::None => continue,
            Parent::Found(p) => {
                forward |= p as usize >= i;
                links[i] = Some(p);
                continue;
            }
            Parent::Id(at) => match parent_ids.get(at as usize) {
                Some(pid) => pid,
                None => continue,
            },
        };
        match index.find(pid, units) {
            Some(p) => {
                forward |= p >= i;
                links[i] = Some(crate::tree::index(p));
            }
            None => errors.push(FactsError::new(
                Some(&units[i].id),
                Some("parent"),
                FactsErrorKind::MissingParent(pid.to_string()),
            )),
        }
    }
    // 2. Loops: follow parent links; every unit on a loop is reported and evaluated on its own.
    if forward {
        break_loops(units, &mut links, errors);
    }
    // 3. Containment: a parent's kind must contain the unit's kind.
    for i in 0..units.len() {
        let Some(p) = links[i].map(|p| p as usize) else {
            continue;
        };
        let pk = units[p].kind as usize;
        if graph.kinds[pk].children.contains(&units[i].kind) {
            units[i].parent = Some(crate::tree::index(p));
        } else {
            errors.push(FactsError::new(
                Some(&units[i].id),
                Some("parent"),
                FactsErrorKind::NotContainable {
                    parent_kind: graph.kinds[pk].name.clone(),
                    kind: graph.kinds[units[i].kind as usize].name.clone(),
                },
            ));
        }
    }
}

/// Reports each loop of parent `links` once, and unlinks every unit on one (evaluated on its
/// own).
fn break_loops(units: &[Unit], links: &mut [Option<u32>], errors: &mut Vec<FactsError>) {
    let n = units.len();
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the current walk, 2 finished
    let mut walk = Vec::new();
    for start in 0..n {
        walk.clear();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state[c] {
                0 => {
                    state[c] = 1;
                    walk.push(c);
                    cur = links[c].map(|p| p as usize);
                }
                1 => {
                    // One problem per loop, as long as its first few ids whatever its length.
                    let from = walk.iter().position(|&w| w == c).unwrap_or(0);
                    let cycle = &walk[from..];
                    let first = cycle
                        .iter()
                        .take(LOOP_SHOWN)
                        .map(|&u| units[u].id.to_string())
                        .collect();
                    errors.push(FactsError::new(
                        Some(&units[c].id),
                        Some("parent"),
                        FactsErrorKind::ParentCycle {
                            length: cycle.len(),
                            first,
                        },
                    ));
                    for &u in cycle {
                        links[u] = None;
                    }
                    break;
                }
                _ => break,
            }
        }
        for &w in &walk {
            state[w] = 2;
        }
    }
}
