//! The loader of one part of the `units` array, read on a thread of its own, and the stitching
//! of the parts, in order, into the loader of the rest of the file ([`super::super::parallel`],
//! [`super::super::chunks`]).

use super::super::parents::Parent;
use super::super::scan::scan_unit;
use super::super::stream::read_unit;
use super::super::{Facts, FactsError, FactsLimits};
use super::{Loader, Pass};
use crate::index::IdIndex;
use crate::tree::Unit;
use duibiao_compiler::graph::Graph;
use std::borrow::Cow;

/// How reading one unit of a part from a piece of its text ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::facts) enum Read {
    /// The piece held the unit, which is read.
    Unit,
    /// The piece ended before the unit did (its last `}` closed something inside the unit, or
    /// was inside a string): nothing is read, a longer piece may hold the unit.
    Short,
    /// Anything else: not JSON, not a unit, or a value the fast pass gives way on.
    Failed,
}

impl<'g, 'de> Loader<'g, 'de> {
    /// The loader of a part of `units`, read by the fast pass; ids are indexed, and checked for
    /// repeats, once every part is read. `text` tells the loader how much room to reserve (see
    /// [`Loader::reserve_rest`]): the part's own text, or from the file's start to the array's
    /// end for the first part, whose units and parents the others' are appended to.
    pub(in crate::facts) fn for_part(
        graph: &'g Graph,
        limits: &FactsLimits,
        text: &'de str,
    ) -> Self {
        let mut loader = Loader::new(graph, limits, Pass::Fast);
        loader.text = text;
        loader.started_units = true;
        loader.index_later = true;
        loader
    }

    /// Reads the unit that `piece` holds (nothing else, but whitespace).
    pub(in crate::facts) fn unit_in(&mut self, piece: &'de str) -> Read {
        if self.read_direct(piece) {
            return Read::Unit;
        }
        if scan_unit(piece, &mut self.raw) {
            self.unit_read();
            return Read::Unit;
        }
        let seen = self.seen;
        match read_unit(self, piece) {
            Ok(()) => Read::Unit,
            // Nothing of the unit is kept: `raw` is emptied and no unit was counted.
            Err(e) if e.is_eof() && self.seen == seen => {
                self.raw.clear();
                Read::Short
            }
            Err(_) => Read::Failed,
        }
    }

    /// Whether nothing was found amiss: no problem, no unit left out and no text fact (whose
    /// store is not stitched).
    pub(in crate::facts) fn clean(&self) -> bool {
        self.top.is_empty()
            && self.in_units.is_empty()
            && self.left_out == 0
            && self.texts.is_empty()
    }

    /// What this part read, to be stitched; `None` unless it is [`Loader::clean`].
    pub(in crate::facts) fn into_piece(self) -> Option<Piece<'de>> {
        self.clean().then_some(Piece {
            units: self.units,
            parents: self.parents,
            parent_ids: self.parent_ids,
        })
    }

    /// The file read in parts: this loader's fields (its `units` left empty), then `parts`, the
    /// units array's parts in order; `None` unless this loader found no problem, no id is
    /// repeated and the units are within the limit. Parents are linked as [`Loader::finish`]
    /// links them for a file read at once.
    pub(in crate::facts) fn stitch(
        mut self,
        parts: Vec<Piece<'de>>,
    ) -> Option<(Facts, Vec<FactsError>)> {
        if !self.clean() || !self.units.is_empty() {
            return None;
        }
        let mut all = Piece {
            units: std::mem::take(&mut self.units),
            parents: std::mem::take(&mut self.parents),
            parent_ids: std::mem::take(&mut self.parent_ids),
        };
        for part in parts {
            all.append(part)?;
        }
        (self.units, self.parents, self.parent_ids) = (all.units, all.parents, all.parent_ids);
        if self.units.len() > self.limits.most_units() {
            return None;
        }
        self.index = IdIndex::unique(&self.units)?;
        Some(self.finish())
    }
}

/// What a part of `units` read without a problem: its units, their parents, and the ids of the
/// parents it did not find among its own units.
#[derive(Debug, Default)]
pub(in crate::facts) struct Piece<'de> {
    units: Vec<Unit>,
    parents: Vec<Parent>,
    parent_ids: Vec<Cow<'de, str>>,
}

impl<'de> Piece<'de> {
    /// The piece with its parent ids copied out of the text, which may then go.
    pub(in crate::facts) fn into_owned(self) -> Piece<'static> {
        Piece {
            units: self.units,
            parents: self.parents,
            parent_ids: self
                .parent_ids
                .into_iter()
                .map(|id| Cow::Owned(id.into_owned()))
                .collect(),
        }
    }

    /// Appends the units of `part`, read after this piece's: their parents found as they were
    /// read move by the units before them, those to be looked up by the ids before theirs.
    pub(in crate::facts) fn append(&mut self, mut part: Piece<'de>) -> Option<()> {
        let units = u32::try_from(self.units.len()).ok()?;
        let ids = u32::try_from(self.parent_ids.len()).ok()?;
        self.parents.reserve(part.parents.len());
        for parent in &part.parents {
            self.parents.push(match *parent {
                Parent::None => Parent::None,
                Parent::Found(p) => Parent::Found(p.checked_add(units)?),
                Parent::Id(at) => Parent::Id(at.checked_add(ids)?),
            });
        }
        if self.units.is_empty() && self.units.capacity() <= part.units.capacity() {
            // The part's vector is the larger: it takes the units that follow.
            self.units = std::mem::take(&mut part.units);
        } else {
            self.units.append(&mut part.units);
        }
        self.parent_ids.append(&mut part.parent_ids);
        Some(())
    }

    /// How many units it holds.
    pub(in crate::facts) fn len(&self) -> usize {
        self.units.len()
    }

    /// Makes room for `more` units to be appended to this piece's when the pieces are stitched
    /// (the first piece's vectors take every other piece's).
    pub(in crate::facts) fn reserve(&mut self, more: usize) {
        self.units.reserve(more);
        self.parents.reserve(more);
    }
}
