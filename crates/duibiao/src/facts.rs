//! Facts loaded by a standard: the units, the evaluation date and parameter values a facts file
//! gives, tied to the standard that loaded them. Using them with a standard of other rules is a
//! problem (`A0006`), never a panic or a silent misreading.

use std::sync::Arc;

/// A loaded facts file. Made by [`crate::Standard::load_facts`]; read-only outside the facade.
#[derive(Debug, Clone)]
pub struct Facts {
    pub(crate) inner: duibiao_engine::facts::Facts,
    /// The fingerprint of the standard that loaded them.
    pub(crate) owner: Arc<str>,
}

impl Facts {
    /// The evaluation date the file gives (`as_of`).
    pub fn as_of(&self) -> Option<chrono::NaiveDate> {
        self.inner.as_of
    }

    /// How many units were loaded.
    pub fn len(&self) -> usize {
        self.inner.tree.units.len()
    }

    /// Whether no unit was loaded.
    pub fn is_empty(&self) -> bool {
        self.inner.tree.units.is_empty()
    }

    /// The ids of the units loaded, in the file's order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.inner.tree.units.iter().map(|u| u.id.as_str())
    }

    /// Whether a unit with this id was loaded.
    pub fn contains(&self, id: &str) -> bool {
        self.inner.tree.find(id).is_some()
    }

    /// The fingerprint of the standard that loaded them.
    pub fn standard_fingerprint(&self) -> &str {
        &self.owner
    }
}
