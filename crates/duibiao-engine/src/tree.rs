//! The forest of assessed units: every unit with its kind, its parent and children, and the
//! values of its inputs (facts and awarded points), ready for evaluation.

use crate::grouped::Grouped;
use crate::index::IdIndex;
use crate::inputs::Inputs;
use crate::texts::Texts;
use duibiao_compiler::graph::{KindId, Peers};
use std::sync::Arc;

/// One assessed unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its id, unique in the forest.
    pub id: compact_str::CompactString,
    /// Its display name.
    pub name: Option<compact_str::CompactString>,
    /// Its kind.
    pub kind: KindId,
    /// Its parent, as an index into [`UnitTree::units`].
    pub parent: Option<u32>,
    /// Its children, as indices into [`UnitTree::units`], in input order (filled by
    /// [`UnitTree::new`]).
    pub children: Box<[u32]>,
    /// Its inputs, by slot of its kind's graph; [`Value::Unknown`] where missing.
    pub inputs: Inputs,
}

impl Unit {
    /// Its parent, as an index into [`UnitTree::units`].
    #[inline]
    pub fn parent(&self) -> Option<usize> {
        self.parent.map(|p| p as usize)
    }

    /// Its children, as indices into [`UnitTree::units`], in input order.
    #[inline]
    pub fn children(
        &self,
    ) -> impl DoubleEndedIterator<Item = usize> + ExactSizeIterator + Clone + '_ {
        self.children.iter().map(|&c| c as usize)
    }
}

/// A unit's index as a [`Unit`] keeps it (a forest holds at most `u32::MAX` units: the loader's
/// limit on units is never above it, and so many units would take hundreds of gigabytes).
pub(crate) fn index(u: usize) -> u32 {
    u32::try_from(u).unwrap_or(u32::MAX)
}

/// A forest of units. Any unit may be a root.
///
/// Built by [`UnitTree::new`], which also lays the units out in bottom-up order (every unit after
/// its descendants) once for every evaluation of the forest, and indexes them by id; a forest
/// whose parents or ids change is built again.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    /// The units, in input order.
    pub units: Vec<Unit>,
    /// The units in bottom-up order, with each one's position and subtree.
    shape: Arc<Shape>,
    /// The units by id.
    index: IdIndex,
    /// The units' text facts, for display: never read by evaluation.
    pub texts: Arc<Texts>,
}

/// Two forests are equal when their units are (the rest is derived from them, or, for their
/// texts, never read by a rule).
impl PartialEq for UnitTree {
    fn eq(&self, other: &Self) -> bool {
        self.units == other.units
    }
}

/// A forest's units in bottom-up order: what every evaluation needs of the forest's structure,
/// derived once when the forest is built and shared with each evaluation's layout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Shape {
    /// The units in an order where every unit comes after all its descendants.
    pub(crate) order: Vec<usize>,
    /// Each unit's position in `order` (by index in the forest).
    pub(crate) pos: Vec<usize>,
    /// The kind of the unit at each position.
    pub(crate) kinds: Vec<KindId>,
    /// How many units the subtree of the unit at each position holds (the unit included).
    pub(crate) size: Vec<usize>,
    /// The units without a parent, in input order.
    pub(crate) roots: Vec<usize>,
}

/// The parent of a root, in [`UnitTree::indexed`]'s array of parents.
const NO_PARENT: u32 = u32::MAX;

/// Every unit's children, in one list ordered by parent (each parent's in input order).
struct Children(Grouped<u32>);

impl Children {
    /// The children of a forest whose units' parents are `parents` ([`NO_PARENT`] for a root).
    fn of(parents: &[u32]) -> Self {
        Children(Grouped::by(
            parents.len(),
            parents,
            |&p| p as usize,
            |i, _| index(i),
        ))
    }

    /// The children of unit `u`, in input order.
    fn of_unit(&self, u: usize) -> &[u32] {
        self.0.bucket(u)
    }
}

impl Shape {
    /// The shape of a forest whose units' parents are `parents` ([`NO_PARENT`] for a root),
    /// their kinds `kinds` and their children `children`.
    fn of(parents: &[u32], kinds: &[KindId], children: &Children) -> Self {
        let n = parents.len();
        let roots: Vec<usize> = (0..n).filter(|&i| parents[i] == NO_PARENT).collect();
        // Pre-order from the roots, reversed, puts every unit after its descendants.
        let mut order = Vec::with_capacity(n);
        let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
        while let Some(u) = stack.pop() {
            order.push(u);
            stack.extend(children.of_unit(u).iter().rev().map(|&c| c as usize));
        }
        order.reverse();
        let mut pos = vec![0usize; n];
        for (p, &u) in order.iter().enumerate() {
            pos[u] = p;
        }
        // Children come before their parent: each subtree's size is complete when its root is
        // reached, and added to its parent's.
        let mut kinds_at = Vec::with_capacity(order.len());
        let mut size = vec![1usize; order.len()];
        for (at, &u) in order.iter().enumerate() {
            kinds_at.push(kinds[u]);
            let own = size[at];
            if let Some(&parent_at) = pos.get(parents[u] as usize) {
                size[parent_at] += own;
            }
        }
        Shape {
            order,
            pos,
            kinds: kinds_at,
            size,
            roots,
        }
    }
}

impl UnitTree {
    /// Builds the forest from units whose `parent` fields are set (and acyclic); fills `children`
    /// and lays the units out in bottom-up order.
    pub fn new(units: Vec<Unit>) -> Self {
        let index = IdIndex::of(&units);
        Self::indexed(units, index)
    }

    /// [`UnitTree::new`] with `index` already made of `units` (by the loader, which checks ids
    /// with it).
    pub(crate) fn indexed(mut units: Vec<Unit>, index: IdIndex) -> Self {
        // The parents and kinds read once into arrays of their own: every pass below is over
        // them, not over the units (tens of bytes each). A parent past the last unit is none.
        let n = units.len();
        let mut parents = Vec::with_capacity(n);
        let mut kinds = Vec::with_capacity(n);
        for unit in &units {
            parents.push(
                unit.parent
                    .filter(|&p| (p as usize) < n)
                    .unwrap_or(NO_PARENT),
            );
            kinds.push(unit.kind);
        }
        let children = Children::of(&parents);
        // Each parent's children in one allocation of their exact number (a unit that has none
        // and lists none is left as it is).
        for (u, unit) in units.iter_mut().enumerate() {
            let own = children.of_unit(u);
            if !own.is_empty() || !unit.children.is_empty() {
                unit.children = own.into();
            }
        }
        let shape = Arc::new(Shape::of(&parents, &kinds, &children));
        UnitTree {
            units,
            shape,
            index,
            texts: Arc::default(),
        }
    }

    /// The units (by index) in an order where every unit comes after all its descendants.
    pub fn bottom_up(&self) -> &[usize] {
        &self.shape.order
    }

    /// The position of unit `u` in [`UnitTree::bottom_up`].
    pub fn position(&self, u: usize) -> Option<usize> {
        self.shape.pos.get(u).copied()
    }

    /// The forest's structure, shared with an evaluation's layout.
    pub(crate) fn shape(&self) -> &Arc<Shape> {
        &self.shape
    }

    /// The index of the unit with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.index.find(id, &self.units)
    }

    /// What unit `u`'s peers (of its kind) share under `peers`: its parent for siblings, its
    /// nearest ancestor of the kind for peers within a kind, nothing for all (nor for a unit
    /// without such a parent or ancestor, whose peers are the others without one).
    pub fn peer_key(&self, u: usize, peers: Peers) -> Option<usize> {
        let unit = &self.units[u];
        match peers {
            Peers::All => None,
            Peers::Siblings => unit.parent(),
            Peers::Within(anc) => {
                let mut p = unit.parent();
                while let Some(x) = p {
                    if self.units[x].kind == anc {
                        break;
                    }
                    p = self.units[x].parent();
                }
                p
            }
        }
    }

    /// Calls `f` for every descendant of `unit`, depth first, in input order.
    pub fn for_each_descendant(&self, unit: usize, mut f: impl FnMut(usize)) {
        let mut stack: Vec<usize> = self.units[unit].children().rev().collect();
        while let Some(u) = stack.pop() {
            f(u);
            stack.extend(self.units[u].children().rev());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A forest of `parents.len()` units: unit `i`'s parent is `parents[i]` when that is a unit
    /// listed before it (so there is no cycle), else none; kinds cycle through 0..3.
    fn forest(parents: &[usize]) -> UnitTree {
        let units = (0..parents.len())
            .map(|i| Unit {
                id: format!("u{i}").into(),
                name: None,
                kind: (i % 3) as KindId,
                parent: Some(parents[i]).filter(|&p| p < i).map(index),
                children: Box::default(),
                inputs: Default::default(),
            })
            .collect();
        UnitTree::new(units)
    }

    /// Forests are equal when their units are: the same units make equal forests, another
    /// parent or one more unit makes them differ.
    #[test]
    fn forests_compare_by_their_units() {
        assert_eq!(forest(&[0, 0, 1]), forest(&[0, 0, 1]));
        assert_ne!(forest(&[0, 0, 1]), forest(&[0, 0, 0]));
        assert_ne!(forest(&[0, 0]), forest(&[0, 0, 1]));
    }

    /// Children are listed in input order; a forest built again from its own units (their
    /// children filled) after units moved lists every unit's children anew.
    #[test]
    fn children_are_listed_anew_in_input_order() {
        let tree = forest(&[0, 0, 0, 1, 0, 1]);
        assert_eq!(&*tree.units[0].children, &[1, 2, 4]);
        assert_eq!(&*tree.units[1].children, &[3, 5]);
        let mut units = tree.units;
        units[3].parent = Some(2);
        units[5].parent = None;
        let again = UnitTree::new(units);
        assert_eq!(&*again.units[0].children, &[1, 2, 4]);
        assert!(again.units[1].children.is_empty());
        assert_eq!(&*again.units[2].children, &[3]);
        assert_eq!(again.shape().roots, vec![0, 5]);
        assert_eq!(again.bottom_up(), &[5, 4, 3, 2, 1, 0]);
    }

    proptest! {
        #[test]
        fn every_subtree_is_one_block_ending_with_its_root(
            parents in proptest::collection::vec(0usize..60, 0..60),
        ) {
            let tree = forest(&parents);
            let shape = tree.shape();
            let n = tree.units.len();
            let mut seen = tree.bottom_up().to_vec();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..n).collect::<Vec<_>>());
            for u in 0..n {
                let p = tree.position(u).unwrap();
                prop_assert_eq!(tree.bottom_up()[p], u);
                prop_assert_eq!(shape.kinds[p], tree.units[u].kind);
                let mut below = Vec::new();
                tree.for_each_descendant(u, |d| below.push(tree.position(d).unwrap()));
                prop_assert_eq!(shape.size[p], below.len() + 1);
                prop_assert!(below.iter().all(|&d| p + 1 - shape.size[p] <= d && d < p));
            }
            prop_assert_eq!(tree.find(&format!("u{u}", u = n / 2)), (n > 0).then_some(n / 2));
            prop_assert_eq!(tree.find("none"), None);
            let roots: Vec<usize> = (0..n).filter(|&u| tree.units[u].parent.is_none()).collect();
            prop_assert_eq!(&shape.roots, &roots);
        }
    }
}
