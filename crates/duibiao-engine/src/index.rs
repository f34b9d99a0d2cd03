//! The units of a forest by id, without copying the ids: the loader checks ids with it, and the
//! forest keeps it ([`crate::tree::UnitTree::find`]) to find the unit a change names.

use crate::grouped::Grouped;
use crate::tree::Unit;
use hashbrown::hash_table::Entry;
use std::hash::BuildHasher;

/// The units of a forest by id: each unit's index under the hash of its id, the ids themselves
/// staying in the units.
#[derive(Clone, Default)]
pub(crate) struct IdIndex {
    /// Indices into the units: 4 bytes and a control byte each, so that a large forest's index
    /// stays small enough to be quick. (A forest of more than `u32::MAX` units, which would take
    /// hundreds of gigabytes, would have its later units unindexed.)
    table: hashbrown::HashTable<u32>,
    /// A fast hash with a random seed: the ids come from the file.
    hasher: foldhash::fast::RandomState,
}

/// Shown by how many ids it holds: the hasher's seed is random, and what is shown of a forest
/// stays the same from one run to the next.
impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdIndex")
            .field("ids", &self.table.len())
            .finish()
    }
}

impl IdIndex {
    fn hash(&self, id: &str) -> u64 {
        self.hasher.hash_one(id)
    }

    /// The place of `id` among `units`, taken or free.
    pub(crate) fn entry<'a>(&'a mut self, id: &str, units: &[Unit]) -> Entry<'a, u32> {
        let hasher = &self.hasher;
        self.table.entry(
            self.hasher.hash_one(id),
            |&i| units.get(i as usize).is_some_and(|u| &*u.id == id),
            |&i| hasher.hash_one(units.get(i as usize).map_or("", |u| &*u.id)),
        )
    }

    /// The index of the unit with this id.
    pub(crate) fn find(&self, id: &str, units: &[Unit]) -> Option<usize> {
        self.table
            .find(self.hash(id), |&i| {
                units.get(i as usize).is_some_and(|u| &*u.id == id)
            })
            .map(|&i| i as usize)
    }

    /// Room for `more` units.
    pub(crate) fn reserve(&mut self, more: usize, units: &[Unit]) {
        let hasher = &self.hasher;
        self.table.reserve(more, |&i| {
            hasher.hash_one(units.get(i as usize).map_or("", |u| &*u.id))
        });
    }
}

impl IdIndex {
    /// The index of `units`; of two units with one id, the first.
    pub(crate) fn of(units: &[Unit]) -> Self {
        Self::build(units, false).unwrap_or_default()
    }

    /// The index of `units` when no two of them have one id (and there are at most `u32::MAX`),
    /// else `None`.
    pub(crate) fn unique(units: &[Unit]) -> Option<Self> {
        Self::build(units, true)
    }

    /// The index of `units`; `None` at a repeated id (or past `u32::MAX` units) when `unique`,
    /// else the first unit of an id is indexed and the units past `u32::MAX` are not.
    ///
    /// The units are put in the order of where their ids' hashes fall in the table (by the
    /// leading bits of that place, keeping the units' order within each group, so that the
    /// first of two units with one id still comes first): each group's inserts then stay within
    /// a few kilobytes of the table, where inserts in the units' order would each touch a place
    /// anywhere in megabytes.
    fn build(units: &[Unit], unique: bool) -> Option<Self> {
        /// How many leading bits of a place make its group.
        const GROUP_BITS: u32 = 12;
        if unique && u32::try_from(units.len()).is_err() {
            return None;
        }
        let units_indexed = units.get(..units.len().min(u32::MAX as usize))?;
        let mut index = IdIndex::default();
        index.reserve(units_indexed.len(), units);
        // On the rayon pool when called from one of its threads (as the loader is).
        let hash = |u: &Unit| index.hash(&u.id);
        let hashes: Vec<u64> = if rayon::current_thread_index().is_some() {
            use rayon::prelude::*;
            units_indexed.par_iter().map(hash).collect()
        } else {
            units_indexed.iter().map(hash).collect()
        };
        // The table's places (a power of two, of which seven eighths may be taken).
        let places = (index.table.capacity() / 7 * 8).next_power_of_two().max(1);
        let shift = places.trailing_zeros().saturating_sub(GROUP_BITS);
        let group = |h: u64| (h as usize & (places - 1)) >> shift;
        // Each unit's hash beside it, so that the inserts read them in order.
        let order = Grouped::by(
            places >> shift,
            &hashes,
            |&h| group(h),
            |i, &h| (h, crate::tree::index(i)),
        )
        .items;
        drop(hashes);
        let hasher = &index.hasher;
        for &(hash, i) in &order {
            // The unit itself is read only when another's hash looks the same.
            let id = |k: u32| units.get(k as usize).map(|u| &u.id);
            let entry = index.table.entry(
                hash,
                |&j| id(j).is_some_and(|other| Some(other) == id(i)),
                |&j| hasher.hash_one(units.get(j as usize).map_or("", |u| &*u.id)),
            );
            match entry {
                Entry::Vacant(free) => {
                    free.insert(i);
                }
                Entry::Occupied(_) if unique => return None,
                Entry::Occupied(_) => {}
            }
        }
        Some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units of these ids, each a root of kind 0.
    fn units(ids: impl Iterator<Item = String>) -> Vec<Unit> {
        ids.map(|id| Unit {
            id: id.into(),
            name: None,
            kind: 0,
            parent: None,
            children: Box::default(),
            inputs: Default::default(),
        })
        .collect()
    }

    /// Among 20,000 units (inserted in many groups), every id is found at its first unit, and
    /// one id given twice makes the index of unique ids none.
    #[test]
    fn each_id_is_found_at_its_first_unit() {
        let all = units((0..20_000).map(|i| format!("u{}", i % 15_000)));
        let index = IdIndex::of(&all);
        for i in 0..15_000 {
            assert_eq!(index.find(&format!("u{i}"), &all), Some(i));
        }
        assert_eq!(index.find("u15000", &all), None);
        assert!(IdIndex::unique(&all).is_none());
        let distinct = &all[..15_000];
        let unique = IdIndex::unique(distinct).expect("no id repeated");
        for i in (0..15_000).step_by(7) {
            assert_eq!(unique.find(&format!("u{i}"), distinct), Some(i));
        }
        assert!(IdIndex::unique(&units(["a", "b", "a"].map(String::from).into_iter())).is_none());
    }
}
