//! Where an evaluation keeps each unit's values: one flat array for the whole forest, units
//! deepest first, so that the units of one depth form one contiguous block. A depth can then be
//! evaluated in parallel, block by block, while it reads the deeper units before it.

use crate::tree::UnitTree;
use std::ops::Range;

/// The places of every unit's values and tallies in an evaluation's flat arrays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Each unit's position (by index in the forest).
    pos: Vec<usize>,
    /// The unit at each position: deepest units first; at one depth, in bottom-up order.
    order: Vec<usize>,
    /// Where the values of the unit at each position start (one more entry: the end).
    value_at: Vec<usize>,
    /// Where the tallies of the unit at each position start (one more entry: the end).
    tally_at: Vec<usize>,
    /// The positions of each depth, deepest first.
    depths: Vec<Range<usize>>,
    /// The units without a parent, in input order.
    roots: Vec<usize>,
}

impl Layout {
    /// The layout of `tree`, a unit of kind `k` holding `values(k)` values and `tallies(k)`
    /// tallies.
    pub fn new(
        tree: &UnitTree,
        values: impl Fn(u32) -> usize,
        tallies: impl Fn(u32) -> usize,
    ) -> Self {
        let n = tree.units.len();
        let mut depth = vec![0usize; n];
        // Parents come after children in `bottom_up`, so walking it backwards sees parents first.
        for &u in tree.bottom_up.iter().rev() {
            depth[u] = tree.units[u].parent.map_or(0, |p| depth[p] + 1);
        }
        let deepest = depth.iter().copied().max().unwrap_or(0);
        let mut count = vec![0usize; deepest + 1];
        for &d in &depth {
            count[d] += 1;
        }
        // Deepest first: depth `d` starts after every deeper depth.
        let mut start = vec![0usize; deepest + 2];
        for d in (0..=deepest).rev() {
            start[d] = start[d + 1] + count[d];
        }
        let depths: Vec<Range<usize>> = (0..=deepest)
            .rev()
            .filter(|&d| count[d] > 0)
            .map(|d| start[d + 1]..start[d])
            .collect();
        let mut next: Vec<usize> = (0..=deepest).map(|d| start[d + 1]).collect();
        let mut order = vec![0usize; n];
        let mut pos = vec![0usize; n];
        for &u in &tree.bottom_up {
            let p = next[depth[u]];
            next[depth[u]] += 1;
            order[p] = u;
            pos[u] = p;
        }
        let mut value_at = Vec::with_capacity(n + 1);
        let mut tally_at = Vec::with_capacity(n + 1);
        let (mut v, mut t) = (0usize, 0usize);
        for &u in &order {
            value_at.push(v);
            tally_at.push(t);
            let kind = tree.units[u].kind;
            v += values(kind);
            t += tallies(kind);
        }
        value_at.push(v);
        tally_at.push(t);
        let roots = (0..n).filter(|&u| tree.units[u].parent.is_none()).collect();
        Layout {
            pos,
            order,
            value_at,
            tally_at,
            depths,
            roots,
        }
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
        self.pos.get(u).copied()
    }

    /// The unit at position `p`.
    pub fn unit_at(&self, p: usize) -> usize {
        self.order[p]
    }

    /// The values of the units at positions `ps`, as a range of the flat array.
    pub fn values(&self, ps: Range<usize>) -> Range<usize> {
        self.value_at[ps.start]..self.value_at[ps.end]
    }

    /// The tallies of the units at positions `ps`, as a range of the flat array.
    pub fn tallies(&self, ps: Range<usize>) -> Range<usize> {
        self.tally_at[ps.start]..self.tally_at[ps.end]
    }

    /// The positions of each depth, deepest first.
    pub fn depths(&self) -> &[Range<usize>] {
        &self.depths
    }

    /// The units without a parent, in input order.
    pub fn roots(&self) -> &[usize] {
        &self.roots
    }
}
