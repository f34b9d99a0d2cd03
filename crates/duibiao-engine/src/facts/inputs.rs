//! Reading one unit's `facts` or `scores` into its inputs: the tables from input keys to slots,
//! and each entry checked against its input.

use super::value::{convert_input, quick_input, Json};
use super::{FactsError, FactsErrorKind, Listed};
use duibiao_compiler::graph::{Graph, InputOrigin, KindGraph};
use duibiao_compiler::Value;
use std::borrow::Cow;
use std::collections::HashMap;

/// FNV-1a, for the tables from input keys to slots: the keys are short, and the tables are built
/// from the standard, not from the file, so the file cannot make them slow.
#[derive(Clone, Copy)]
pub(super) struct KeyHasher(u64);

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// From an input key to its slot.
pub(super) type Slots<'g> = HashMap<&'g str, usize, std::hash::BuildHasherDefault<KeyHasher>>;

/// One kind's input slots, by key: facts and scores apart; and its text facts, by key.
pub(super) struct KindKeys<'g> {
    pub(super) facts: Slots<'g>,
    pub(super) scores: Slots<'g>,
    pub(super) texts: Slots<'g>,
    /// Per input slot, whether its key is written in JSON as it is (no quote, backslash or
    /// control character), so that a key of a file may be matched against it byte for byte.
    pub(super) plain: Vec<bool>,
}

/// Buffers reused from one `facts` or `scores` object to the next.
#[derive(Debug, Default)]
pub(super) struct PartScratch {
    /// Per input slot, the place of its key among the object's keys (`u32::MAX`: not seen).
    place: Vec<u32>,
    /// The object's problems, with the place of the key each is about.
    errors: Vec<(u32, FactsError)>,
    /// Per kind and part (`facts`, `scores`), the slot of each place's key in the last object
    /// read: units of a file mostly list their keys in one order, and a key found where the last
    /// unit had it is not looked up.
    order: Vec<Vec<u32>>,
}

impl PartScratch {
    /// Starts a unit of `n` inputs read straight into them (see `loader/direct.rs`): no slot
    /// given yet.
    pub(super) fn start(&mut self, n: usize) {
        self.place.clear();
        self.place.resize(n, u32::MAX);
    }

    /// Marks `slot` given; `false` when it was already (or is no slot).
    pub(super) fn first_time(&mut self, slot: usize) -> bool {
        match self.place.get_mut(slot) {
            Some(p) if *p == u32::MAX => {
                *p = 0;
                true
            }
            _ => false,
        }
    }

    /// The slot remembered for the `i`th key of `kind`'s `scores` (when `is_scores`) or
    /// `facts`: that of the last object's `i`th key.
    pub(super) fn known(&self, kind: usize, is_scores: bool, i: usize) -> Option<usize> {
        let order = self.order.get(kind * 2 + usize::from(is_scores))?;
        order.get(i).map(|&s| s as usize)
    }

    /// The slots remembered for the keys of `kind`'s `scores` (when `is_scores`) or `facts`.
    pub(super) fn order(&mut self, kind: usize, is_scores: bool) -> &mut Vec<u32> {
        order_of(&mut self.order, kind, is_scores)
    }
}

/// The slots remembered for the keys of `kind`'s `scores` (when `is_scores`) or `facts`, by
/// their place in the last object read (see [`PartScratch`]).
fn order_of(order: &mut Vec<Vec<u32>>, kind: usize, is_scores: bool) -> &mut Vec<u32> {
    let which = kind * 2 + usize::from(is_scores);
    if order.len() <= which {
        order.resize_with(which + 1, Vec::new);
    }
    &mut order[which]
}

/// The slot of `key`, the `i`th key of an object of kind `kg` whose slots by key are `slots`:
/// where the last object had this key (`order`), else looked up and remembered at this place.
/// (The slots remembered for a kind and part came from its `slots`, where keys are unique.)
pub(super) fn slot_of(
    order: &mut Vec<u32>,
    kg: &KindGraph,
    slots: &Slots,
    i: usize,
    key: &str,
) -> Option<usize> {
    let known = order
        .get(i)
        .map(|&s| s as usize)
        .filter(|&s| kg.inputs.get(s).is_some_and(|input| input.key == key));
    known.or_else(|| {
        let slot = *slots.get(key)?;
        let s = u32::try_from(slot).ok()?;
        if let Some(o) = order.get_mut(i) {
            *o = s;
        } else if order.len() == i {
            order.push(s);
        }
        Some(slot)
    })
}

/// Reads one unit's `facts` (or `scores`) object into its inputs, as a JSON object holds them:
/// a key written twice keeps the place of its first occurrence and the value of its last, and is
/// reported (`F0016`) at that place.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_inputs(
    graph: &Graph,
    kind: usize,
    is_scores: bool,
    slots: &Slots,
    id: &str,
    entries: &[(Cow<str>, Json)],
    inputs: &mut [Value],
    scratch: &mut PartScratch,
    errors: &mut Vec<FactsError>,
) {
    const UNSEEN: u32 = u32::MAX;
    let kg = &graph.kinds[kind];
    let PartScratch {
        place,
        errors: found,
        order,
    } = scratch;
    place.clear();
    place.resize(inputs.len(), UNSEEN);
    found.clear();
    let order = order_of(order, kind, is_scores);
    let mut next = 0u32;
    // The slots whose key is given more than once, each once.
    let mut repeated: Vec<usize> = Vec::new();
    for (i, (key, v)) in entries.iter().enumerate() {
        let key: &str = key;
        let Some(slot) = slot_of(order, kg, slots, i, key) else {
            let again = found.iter().any(|(_, e)| {
                e.key.as_deref() == Some(key)
                    && matches!(
                        e.kind,
                        FactsErrorKind::UnknownFact { .. } | FactsErrorKind::UnknownScore { .. }
                    )
            });
            if again {
                continue;
            }
            let kind = if is_scores {
                let known = Listed(
                    kg.inputs
                        .iter()
                        .filter(|i| matches!(i.origin, InputOrigin::Points { .. }))
                        .map(|i| i.key.clone())
                        .collect(),
                );
                FactsErrorKind::UnknownScore {
                    kind: kg.name.clone(),
                    key: key.to_string(),
                    known,
                }
            } else {
                FactsErrorKind::UnknownFact {
                    kind: kg.name.clone(),
                    key: key.to_string(),
                }
            };
            found.push((next, FactsError::new(Some(id), Some(key), kind)));
            next += 1;
            continue;
        };
        let (Some(p), Some(input), Some(value)) = (
            place.get_mut(slot),
            kg.inputs.get(slot),
            inputs.get_mut(slot),
        ) else {
            continue;
        };
        let at = if *p == UNSEEN {
            *p = next;
            next += 1;
            *p
        } else {
            // The earlier value is replaced, and so is any problem with it.
            if !repeated.contains(&slot) {
                repeated.push(slot);
            }
            let at = *p;
            found.retain(|(q, _)| *q != at);
            at
        };
        if let Some(val) = quick_input(input, v) {
            *value = val;
            continue;
        }
        match convert_input(graph, input, v) {
            Ok(val) => *value = val.unwrap_or(Value::Unknown),
            Err(k) => {
                *value = Value::Unknown;
                found.push((at, FactsError::new(Some(id), Some(key), k)));
            }
        }
    }
    if !repeated.is_empty() {
        for slot in repeated {
            if let (Some(&at), Some(input)) = (place.get(slot), kg.inputs.get(slot)) {
                found.push((
                    at,
                    FactsError::new(
                        Some(id),
                        Some(&input.key),
                        FactsErrorKind::DuplicateKey(input.key.clone()),
                    ),
                ));
            }
        }
        // At the place of each key's first occurrence: that it is repeated, then what is wrong
        // with its last value.
        found.sort_by_key(|(at, e)| (*at, e.code != "F0016"));
    }
    errors.extend(found.drain(..).map(|(_, e)| e));
}
