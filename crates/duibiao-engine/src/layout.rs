//! Where an evaluation keeps each unit's values: one flat array for the whole forest, in the
//! forest's bottom-up order. Every unit comes right after its descendants, so a subtree is one
//! contiguous block ending with its root: subtrees can be evaluated in parallel, each on one
//! thread with its units' values at hand, and a parent reads its children while they are still
//! in the cache. Sub-units of one kind side by side without sub-units of their own (the 小区 of a
//! 社区) depend on none of one another, so they are evaluated together, in runs.

use crate::tree::{Shape, UnitTree};
use std::ops::Range;
use std::sync::Arc;

/// The places of every unit's values and tallies in an evaluation's flat arrays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The forest's units in bottom-up order (shared with the forest).
    shape: Arc<Shape>,
    /// Where the values of the unit at each position start (one more entry: the end).
    value_at: Vec<usize>,
    /// Where the tallies of the unit at each position start (one more entry: the end).
    tally_at: Vec<usize>,
}

impl Layout {
    /// The layout of `tree`, a unit of kind `k` holding `values(k)` values and `tallies(k)`
    /// tallies.
    pub fn new(
        tree: &UnitTree,
        values: impl Fn(u32) -> usize,
        tallies: impl Fn(u32) -> usize,
    ) -> Self {
        let shape = Arc::clone(tree.shape());
        // Per kind, how many values and tallies a unit keeps.
        let seen = shape
            .kinds
            .iter()
            .copied()
            .max()
            .map_or(0, |k| k as usize + 1);
        let sizes: Vec<(usize, usize)> =
            (0..seen as u32).map(|k| (values(k), tallies(k))).collect();
        let n = shape.kinds.len();
        let mut value_at = Vec::with_capacity(n + 1);
        let mut tally_at = Vec::with_capacity(n + 1);
        let (mut v, mut t) = (0usize, 0usize);
        for &kind in &shape.kinds {
            value_at.push(v);
            tally_at.push(t);
            let (dv, dt) = sizes.get(kind as usize).copied().unwrap_or((0, 0));
            v += dv;
            t += dt;
        }
        value_at.push(v);
        tally_at.push(t);
        Layout {
            shape,
            value_at,
            tally_at,
        }
    }

    /// How many units the forest holds.
    pub fn len(&self) -> usize {
        self.shape.order.len()
    }

    /// How many values the whole forest holds.
    pub fn values_len(&self) -> usize {
        self.value_at.last().copied().unwrap_or(0)
    }

    /// How many tallies the whole forest holds.
    pub fn tallies_len(&self) -> usize {
        self.tally_at.last().copied().unwrap_or(0)
    }

    /// The position of unit `u`.
    pub fn pos(&self, u: usize) -> Option<usize> {
        self.shape.pos.get(u).copied()
    }

    /// The units at positions `ps`.
    pub fn units(&self, ps: Range<usize>) -> &[usize] {
        self.shape.order.get(ps).unwrap_or(&[])
    }

    /// The values of the units at positions `ps`, as a range of the flat array.
    pub fn values(&self, ps: Range<usize>) -> Range<usize> {
        self.value_at[ps.start]..self.value_at[ps.end]
    }

    /// Where the values and the tallies of the unit at position `p` start in the flat arrays.
    pub(crate) fn starts(&self, p: usize) -> Option<(usize, usize)> {
        Some((*self.value_at.get(p)?, *self.tally_at.get(p)?))
    }

    /// The tallies of the units at positions `ps`, as a range of the flat array.
    pub fn tallies(&self, ps: Range<usize>) -> Range<usize> {
        self.tally_at[ps.start]..self.tally_at[ps.end]
    }

    /// The units without a parent, in input order.
    pub fn roots(&self) -> &[usize] {
        &self.shape.roots
    }

    /// Positions `ps` cut into runs of at most `most` units of one kind, each but the first
    /// without sub-units: no unit of a run is below another, so a run is evaluated together.
    pub fn runs(
        &self,
        ps: Range<usize>,
        most: usize,
    ) -> impl Iterator<Item = (u32, Range<usize>)> + '_ {
        let mut at = ps.start;
        std::iter::from_fn(move || {
            let kind = *self.shape.kinds.get(at).filter(|_| at < ps.end)?;
            let end = ps.end.min(at + most.max(1));
            let mut next = at + 1;
            while next < end && self.shape.kinds[next] == kind && self.shape.size[next] == 1 {
                next += 1;
            }
            let run = at..next;
            at = next;
            Some((kind, run))
        })
    }

    /// Splits the forest into independent subtrees of at most `grain` units (as ranges of
    /// positions, in order) and the units above them (positions, in bottom-up order): every
    /// subtree can be evaluated on its own, then the units above it.
    pub fn split(&self, grain: usize) -> (Vec<Range<usize>>, Vec<usize>) {
        let mut subtrees = Vec::new();
        let mut above = Vec::new();
        // Walking from the end, a unit is met before its descendants: a small enough subtree is
        // taken whole and its descendants skipped.
        let mut p = self.shape.order.len();
        while p > 0 {
            p -= 1;
            let size = self.shape.size[p];
            if size <= grain {
                let start = p + 1 - size;
                subtrees.push(start..p + 1);
                p = start;
            } else {
                above.push(p);
            }
        }
        subtrees.reverse();
        above.reverse();
        (subtrees, above)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Unit;

    /// A root (kind 0) with 20 leaves of kind 1, then two units of kind 2 with 3 such leaves
    /// each, then 5 more leaves.
    fn forest() -> UnitTree {
        let mut units = vec![unit(0, None)];
        for _ in 0..20 {
            units.push(unit(1, Some(0)));
        }
        for _ in 0..2 {
            let p = units.len();
            units.push(unit(2, Some(0)));
            for _ in 0..3 {
                units.push(unit(1, Some(p)));
            }
        }
        for _ in 0..5 {
            units.push(unit(1, Some(0)));
        }
        UnitTree::new(units)
    }

    fn unit(kind: u32, parent: Option<usize>) -> Unit {
        Unit {
            id: Default::default(),
            name: None,
            kind,
            parent: parent.map(crate::tree::index),
            children: Box::default(),
            inputs: Default::default(),
        }
    }

    /// Runs cover the positions asked for, in order, each of at most `most` units of one kind,
    /// every unit of a run but its first without sub-units.
    #[test]
    fn runs_are_short_flat_and_cover_the_positions() {
        let tree = forest();
        let layout = Layout::new(&tree, |_| 1, |_| 0);
        for most in 1..=8 {
            for ps in [0..layout.len(), 3..17, 5..layout.len() - 1] {
                let runs: Vec<(u32, Range<usize>)> = layout.runs(ps.clone(), most).collect();
                let covered: Vec<usize> = runs.iter().flat_map(|(_, r)| r.clone()).collect();
                assert_eq!(covered, ps.clone().collect::<Vec<_>>(), "{most} {ps:?}");
                for (kind, run) in &runs {
                    assert!(!run.is_empty() && run.len() <= most, "{most} {run:?}");
                    for &u in layout.units(run.clone()) {
                        assert_eq!(tree.units[u].kind, *kind);
                    }
                    for &u in layout.units(run.start + 1..run.end) {
                        assert!(tree.units[u].children.is_empty(), "{most} {run:?}");
                    }
                }
                if most == 8 && ps.start == 0 {
                    assert!(runs.iter().any(|(_, r)| r.len() == 8), "{runs:?}");
                }
            }
        }
    }

    /// Splitting gives whole subtrees of at most `grain` units and, above them, only units whose
    /// subtrees are larger: every position once.
    #[test]
    fn split_takes_small_subtrees_whole() {
        let tree = forest();
        let layout = Layout::new(&tree, |_| 1, |_| 0);
        let size = |p: usize| layout.shape.size[p];
        for grain in [1, 2, 4, 5, 30, 100] {
            let (subtrees, above) = layout.split(grain);
            let mut seen: Vec<usize> = subtrees.iter().flat_map(|r| r.clone()).collect();
            for r in &subtrees {
                assert!(
                    r.len() <= grain && size(r.end - 1) == r.len(),
                    "{grain} {r:?}"
                );
            }
            for &p in &above {
                assert!(size(p) > grain, "{grain} {p}");
            }
            seen.extend(&above);
            seen.sort_unstable();
            assert_eq!(seen, (0..layout.len()).collect::<Vec<_>>(), "{grain}");
        }
    }
}
