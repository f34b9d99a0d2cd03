//! Facts loaded by a standard: the units, the evaluation date and parameter values a facts file
//! gives, tied to the standard that loaded them. Using them with a standard of other rules is a
//! problem (`A0006`), never a panic or a silent misreading.

use duibiao_compiler::graph::Graph;
use duibiao_engine::outcome::is_record_unit;
use std::sync::Arc;

/// A loaded facts file. Made by [`crate::Standard::load_facts`]; read-only outside the facade.
#[derive(Debug, Clone)]
pub struct Facts {
    pub(crate) inner: duibiao_engine::facts::Facts,
    /// The fingerprint of the standard that loaded them.
    pub(crate) owner: Arc<str>,
    /// Its rules: which kinds are records.
    pub(crate) graph: Arc<Graph>,
    /// How many of its units are not records.
    pub(crate) units: usize,
}

impl Facts {
    /// The evaluation date the file gives (`as_of`).
    pub fn as_of(&self) -> Option<chrono::NaiveDate> {
        self.inner.as_of
    }

    /// How many units were loaded (records, kept under their owners, are not counted).
    pub fn len(&self) -> usize {
        self.units
    }

    /// Whether no unit was loaded.
    pub fn is_empty(&self) -> bool {
        self.units == 0
    }

    /// The ids of the units loaded, in the file's order (records, whose ids are their owner's
    /// and their place, `A#1`, are not listed).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.units().map(|u| &*u.id)
    }

    /// Loaded facts of `graph`'s rules, tied to the standard of fingerprint `owner`.
    pub(crate) fn new(
        inner: duibiao_engine::facts::Facts,
        owner: Arc<str>,
        graph: Arc<Graph>,
    ) -> Self {
        let units = inner
            .tree
            .units
            .iter()
            .filter(|u| !is_record_unit(&graph, u))
            .count();
        Facts {
            inner,
            owner,
            graph,
            units,
        }
    }

    /// The units loaded, records left out.
    fn units(&self) -> impl Iterator<Item = &duibiao_engine::tree::Unit> {
        let graph = &self.graph;
        self.inner
            .tree
            .units
            .iter()
            .filter(|u| !is_record_unit(graph, u))
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
