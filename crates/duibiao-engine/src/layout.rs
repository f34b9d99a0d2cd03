//! Where an evaluation keeps each unit's values: one flat array for the whole forest, in an order
//! where every unit comes after its descendants.
//!
//! Units are placed by *level*: first the units of kinds that contain no other kind (小区, 楼宇 …),
//! then those of kinds containing only those (社区), and so on up (街道); within a level, by kind,
//! and within a kind in the forest's bottom-up order. Units of one level never depend on one
//! another, so a level can be cut into chunks evaluated in parallel, each from the finished levels
//! below; units of one kind side by side are evaluated together, operator by operator; and a
//! parent reads its children's values in order, since they sit in the same order one level down.
//!
//! A forest whose units do not follow their kinds' containment (possible only in a forest built
//! by hand, not one loaded from a facts file) is laid out in plain bottom-up order, without
//! levels, and evaluated unit by unit.

use crate::tree::UnitTree;
use std::ops::Range;

/// The places of every unit's values and tallies in an evaluation's flat arrays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Each unit's position (by index in the forest).
    pos: Vec<usize>,
    /// The unit at each position.
    order: Vec<usize>,
    /// The kind of the unit at each position.
    kinds: Vec<u32>,
    /// The positions of each level, lowest first (empty when the forest is not laid out by level).
    levels: Vec<Range<usize>>,
    /// Where the values of the unit at each position start (one more entry: the end).
    value_at: Vec<usize>,
    /// Where the tallies of the unit at each position start (one more entry: the end).
    tally_at: Vec<usize>,
    /// The units without a parent, in input order.
    roots: Vec<usize>,
}

impl Layout {
    /// The layout of `tree`, a unit of kind `k` holding `values(k)` values and `tallies(k)`
    /// tallies; `levels` gives each kind's level (0: contains no kind; else one more than the
    /// highest level of the kinds it contains), when the graph's kinds have one.
    pub fn new(
        tree: &UnitTree,
        values: impl Fn(u32) -> usize,
        tallies: impl Fn(u32) -> usize,
        levels: Option<&[u32]>,
    ) -> Self {
        let n = tree.units.len();
        // One pass over the units (large structs) for what the layout needs of them.
        let mut kind_of = Vec::with_capacity(n);
        let mut parent_of = Vec::with_capacity(n);
        let mut roots = Vec::new();
        for (u, unit) in tree.units.iter().enumerate() {
            kind_of.push(unit.kind);
            parent_of.push(unit.parent);
            if unit.parent.is_none() {
                roots.push(u);
            }
        }
        let level = |u: usize| levels?.get(*kind_of.get(u)? as usize).copied();
        let follows = (0..n).all(|u| match (parent_of[u].map(level), level(u)) {
            (None, Some(_)) => true,
            (Some(Some(above)), Some(own)) => above > own,
            _ => false,
        });
        let (order, levels) = match levels.filter(|_| follows) {
            Some(levels) => by_level(&tree.bottom_up, &kind_of, levels),
            None => (tree.bottom_up.clone(), Vec::new()),
        };
        // Per kind, how many values and tallies a unit keeps.
        let kinds_seen = kind_of.iter().copied().max().map_or(0, |k| k as usize + 1);
        let sizes: Vec<(usize, usize)> = (0..kinds_seen as u32)
            .map(|k| (values(k), tallies(k)))
            .collect();
        let mut pos = vec![0usize; n];
        let mut kinds = Vec::with_capacity(n);
        let mut value_at = Vec::with_capacity(n + 1);
        let mut tally_at = Vec::with_capacity(n + 1);
        let (mut v, mut t) = (0usize, 0usize);
        for (p, &u) in order.iter().enumerate() {
            pos[u] = p;
            let kind = kind_of[u];
            kinds.push(kind);
            value_at.push(v);
            tally_at.push(t);
            let (dv, dt) = sizes.get(kind as usize).copied().unwrap_or((0, 0));
            v += dv;
            t += dt;
        }
        value_at.push(v);
        tally_at.push(t);
        Layout {
            pos,
            order,
            kinds,
            levels,
            value_at,
            tally_at,
            roots,
        }
    }

    /// How many units the forest holds.
    pub fn len(&self) -> usize {
        self.order.len()
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

    /// The units at positions `ps`.
    pub fn units(&self, ps: Range<usize>) -> &[usize] {
        self.order.get(ps).unwrap_or(&[])
    }

    /// The values of the units at positions `ps`, as a range of the flat array.
    pub fn values(&self, ps: Range<usize>) -> Range<usize> {
        self.value_at[ps.start]..self.value_at[ps.end]
    }

    /// The tallies of the units at positions `ps`, as a range of the flat array.
    pub fn tallies(&self, ps: Range<usize>) -> Range<usize> {
        self.tally_at[ps.start]..self.tally_at[ps.end]
    }

    /// The units without a parent, in input order.
    pub fn roots(&self) -> &[usize] {
        &self.roots
    }

    /// The positions of each level, lowest first; empty when the forest is not laid out by level
    /// (then only the bottom-up order holds).
    pub fn levels(&self) -> &[Range<usize>] {
        &self.levels
    }

    /// Positions `ps` cut into runs of units of one kind, each of at most `most` units.
    pub fn runs(
        &self,
        ps: Range<usize>,
        most: usize,
    ) -> impl Iterator<Item = (u32, Range<usize>)> + '_ {
        let mut at = ps.start;
        std::iter::from_fn(move || {
            let kind = *self.kinds.get(at).filter(|_| at < ps.end)?;
            let limit = ps.end.min(at + most.max(1));
            let len = self.kinds[at..limit]
                .iter()
                .take_while(|&&k| k == kind)
                .count();
            let run = at..at + len;
            at += len;
            Some((kind, run))
        })
    }
}

/// The units of `bottom_up` by level, then by kind, each group in bottom-up order, and the
/// positions of each level.
fn by_level(
    bottom_up: &[usize],
    kind_of: &[u32],
    levels: &[u32],
) -> (Vec<usize>, Vec<Range<usize>>) {
    // A counting sort on (level, kind): stable, one pass to count and one to place.
    let kinds = levels.len();
    let top = levels.iter().copied().max().map_or(0, |l| l as usize + 1);
    let bucket = |k: u32| levels[k as usize] as usize * kinds + k as usize;
    let mut start = vec![0usize; top * kinds + 1];
    for &u in bottom_up {
        start[bucket(kind_of[u]) + 1] += 1;
    }
    for b in 1..start.len() {
        start[b] += start[b - 1];
    }
    let level_ranges = (0..top)
        .map(|l| start[l * kinds]..start[(l + 1) * kinds])
        .collect();
    let mut order = vec![0usize; bottom_up.len()];
    for &u in bottom_up {
        let b = bucket(kind_of[u]);
        order[start[b]] = u;
        start[b] += 1;
    }
    (order, level_ranges)
}

/// The level of each kind, given the kinds each contains directly: 0 for a kind containing none,
/// else one more than the highest level among those it contains (`None` if containment has a
/// cycle, which the compiler rejects).
pub fn kind_levels(children: &[&[u32]]) -> Option<Vec<u32>> {
    fn visit(
        k: usize,
        children: &[&[u32]],
        levels: &mut [Option<u32>],
        depth: usize,
    ) -> Option<u32> {
        if let Some(l) = levels[k] {
            return Some(l);
        }
        if depth > children.len() {
            return None;
        }
        let mut level = 0;
        for &c in children[k] {
            let c = c as usize;
            if c >= children.len() {
                return None;
            }
            level = level.max(visit(c, children, levels, depth + 1)? + 1);
        }
        levels[k] = Some(level);
        Some(level)
    }
    let mut levels = vec![None; children.len()];
    (0..children.len())
        .map(|k| visit(k, children, &mut levels, 0))
        .collect()
}
