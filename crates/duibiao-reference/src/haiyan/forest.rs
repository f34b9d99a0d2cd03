//! Building a [`Forest`]: from JSON text or an already parsed value, then linking its units to
//! their parents as the engine does and ordering them bottom-up.

use super::{parse, Forest, Params, ParseError, Unit};
use std::borrow::Cow;

impl<'a> Forest<'a> {
    /// The forest of a facts file (JSON text). Fails only when the text is not JSON.
    pub fn from_json(json: &'a str) -> Result<Forest<'a>, ParseError> {
        parse(json)
    }

    /// The forest of a facts file already parsed as JSON. A value that is not a facts file
    /// gives an empty forest.
    pub fn from_value(value: &'a serde_json::Value) -> Forest<'a> {
        parse::from_value(value)
    }

    /// Drops units whose id was used before, links parents, drops the links the engine drops
    /// (a parent that does not exist, a loop of parent links, a parent that cannot contain the
    /// unit) and orders the units bottom-up. `parents[i]` is the parent id unit `i` gives.
    pub(super) fn link(
        mut units: Vec<Unit<'a>>,
        mut parents: Vec<Option<Cow<'a, str>>>,
        params: Params,
    ) -> Self {
        use std::collections::hash_map::{Entry, HashMap};
        let mut index: HashMap<&str, u32> = HashMap::with_capacity(units.len());
        let mut first = vec![true; units.len()];
        let mut duplicates = false;
        for (i, u) in units.iter().enumerate() {
            match index.entry(&u.id) {
                Entry::Vacant(e) => {
                    e.insert(i as u32);
                }
                Entry::Occupied(_) => {
                    first[i] = false;
                    duplicates = true;
                }
            }
        }
        if duplicates {
            drop(index);
            let mut keep = first.iter().copied();
            units.retain(|_| keep.next().unwrap_or(false));
            let mut keep = first.iter().copied();
            parents.retain(|_| keep.next().unwrap_or(false));
            index = units
                .iter()
                .enumerate()
                .map(|(i, u)| (&*u.id, i as u32))
                .collect();
        }
        let n = units.len();
        let mut links: Vec<Option<u32>> = parents
            .iter()
            .map(|p| p.as_deref().and_then(|p| index.get(p).copied()))
            .collect();
        drop(index);
        // Loops: every unit on one is evaluated on its own (as the engine does, before checking
        // containment).
        let mut state = vec![0u8; n]; // 0 unseen, 1 on the current walk, 2 finished
        let mut walk: Vec<u32> = Vec::new();
        for start in 0..n {
            walk.clear();
            let mut cur = Some(start as u32);
            while let Some(c) = cur {
                match state[c as usize] {
                    0 => {
                        state[c as usize] = 1;
                        walk.push(c);
                        cur = links[c as usize];
                    }
                    1 => {
                        let from = walk.iter().position(|&w| w == c).unwrap_or(0);
                        for &u in &walk[from..] {
                            links[u as usize] = None;
                        }
                        break;
                    }
                    _ => break,
                }
            }
            for &w in &walk {
                state[w as usize] = 2;
            }
        }
        // Containment.
        for i in 0..n {
            let parent = links[i].filter(|&p| units[p as usize].kind.contains(units[i].kind));
            units[i].parent = parent;
        }
        // Bottom-up: by increasing height (a parent is always higher than its children).
        let mut order = Vec::with_capacity(n);
        for height in 0..3 {
            order.extend((0..n as u32).filter(|&i| units[i as usize].kind.height() == height));
        }
        Forest {
            units,
            order,
            params,
        }
    }
}
