//! The forest of assessed units: every unit with its kind, its parent and children, and the
//! values of its inputs (facts and awarded points), ready for evaluation.

use duibiao_compiler::graph::KindId;
use duibiao_compiler::Value;

/// One assessed unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its id, unique in the forest.
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// Its kind.
    pub kind: KindId,
    /// Its parent, as an index into [`UnitTree::units`].
    pub parent: Option<usize>,
    /// Its children, in input order.
    pub children: Vec<usize>,
    /// Its inputs, by slot of its kind's graph; [`Value::Unknown`] where missing.
    pub inputs: Vec<Value>,
}

/// A forest of units. Any unit may be a root.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitTree {
    /// The units, in input order.
    pub units: Vec<Unit>,
    /// Units in an order where every unit comes after all its descendants.
    pub bottom_up: Vec<usize>,
}

impl UnitTree {
    /// Builds the forest from units whose `parent` fields are set (and acyclic); fills `children`
    /// and the evaluation order.
    pub fn new(mut units: Vec<Unit>) -> Self {
        for u in units.iter_mut() {
            u.children.clear();
        }
        for i in 0..units.len() {
            if let Some(p) = units[i].parent {
                if let Some(parent) = units.get_mut(p) {
                    parent.children.push(i);
                }
            }
        }
        // Pre-order from the roots, reversed, puts every unit after its descendants.
        let mut order = Vec::with_capacity(units.len());
        let mut stack: Vec<usize> = (0..units.len())
            .rev()
            .filter(|&i| units[i].parent.is_none())
            .collect();
        while let Some(u) = stack.pop() {
            order.push(u);
            stack.extend(units[u].children.iter().rev().copied());
        }
        order.reverse();
        UnitTree {
            units,
            bottom_up: order,
        }
    }

    /// The index of the unit with this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.units.iter().position(|u| u.id == id)
    }

    /// Calls `f` for every descendant of `unit`, depth first, in input order.
    pub fn for_each_descendant(&self, unit: usize, mut f: impl FnMut(usize)) {
        let mut stack: Vec<usize> = self.units[unit].children.iter().rev().copied().collect();
        while let Some(u) = stack.pop() {
            f(u);
            stack.extend(self.units[u].children.iter().rev().copied());
        }
    }
}
