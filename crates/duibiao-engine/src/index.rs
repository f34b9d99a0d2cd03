//! The units of a forest by id, without copying the ids: the loader checks ids with it, and the
//! forest keeps it ([`crate::tree::UnitTree::find`]) to find the unit a change names.

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
    fn build(units: &[Unit], unique: bool) -> Option<Self> {
        let mut index = IdIndex::default();
        index.reserve(units.len(), units);
        for (i, unit) in units.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else {
                return (!unique).then_some(index);
            };
            match index.entry(&unit.id, units) {
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
