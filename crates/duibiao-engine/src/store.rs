//! Which node values an evaluation keeps for each unit. A unit's inputs are already in the forest
//! and a constant, parameter or the date is the same for every unit of a kind, so only the nodes
//! computed from them are stored (for a 小区 of haiyan-2021, 9 of its 22 nodes); a node's value
//! is read back from wherever it lives through [`UnitValues`].

use crate::inputs::Inputs;
use duibiao_compiler::graph::{Graph, KindGraph, Node, NodeId};
use duibiao_compiler::Value;

/// Where the value of one node of a kind lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// In the unit's block of the evaluation's store, at this offset.
    Stored(u32),
    /// In the unit's inputs, at this slot.
    Input(u32),
    /// The same for every unit of the kind (a constant, a parameter or the date).
    Fixed,
}

impl Place {
    /// Where `node`'s value lives, if it is not stored (`None`: it is computed and stored).
    fn outside(node: &Node) -> Option<Place> {
        match node {
            Node::Const(_) | Node::Param(_) | Node::AsOf => Some(Place::Fixed),
            Node::Input(slot) => Some(Place::Input(*slot as u32)),
            _ => None,
        }
    }
}

/// Where every node value of every kind lives: derived from the graph once per evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Places {
    /// Per kind: the nodes stored, in the order of the unit's block.
    stored: Vec<Vec<NodeId>>,
    /// Per kind and node: where its value lives.
    places: Vec<Vec<Place>>,
}

impl Places {
    /// The places of `graph`'s kinds.
    pub(crate) fn new(graph: &Graph) -> Self {
        let (stored, places) = graph.kinds.iter().map(Self::of_kind).unzip();
        Places { stored, places }
    }

    fn of_kind(kind: &KindGraph) -> (Vec<NodeId>, Vec<Place>) {
        let mut stored = Vec::new();
        let places = (0..)
            .zip(&kind.nodes)
            .map(|(n, node)| {
                Place::outside(node).unwrap_or_else(|| {
                    stored.push(n);
                    Place::Stored(stored.len() as u32 - 1)
                })
            })
            .collect();
        (stored, places)
    }

    /// The nodes a unit of `kind` stores, in the order of its block.
    pub(crate) fn stored(&self, kind: u32) -> &[NodeId] {
        self.stored.get(kind as usize).map_or(&[], Vec::as_slice)
    }

    /// Where node `n` of `kind` is in a unit's stored block, if it is computed (not an input,
    /// nor the same for every unit).
    pub(crate) fn offset(&self, kind: u32, n: NodeId) -> Option<usize> {
        match self.places.get(kind as usize)?.get(n as usize)? {
            Place::Stored(at) => Some(*at as usize),
            _ => None,
        }
    }

    /// The values of a unit of `kind`: its block of the store, its inputs, and the values the
    /// same for every unit of its kind (by node; empty when none are known yet).
    pub(crate) fn view<'a>(
        &'a self,
        kind: u32,
        stored: &'a [Value],
        inputs: &'a Inputs,
        fixed: &'a [Value],
    ) -> UnitValues<'a> {
        UnitValues {
            places: self.places.get(kind as usize).map_or(&[], Vec::as_slice),
            stored,
            inputs: Some(inputs),
            fixed,
        }
    }
}

/// The values of one unit's nodes, read from where they live.
#[derive(Debug, Clone, Copy)]
pub struct UnitValues<'a> {
    places: &'a [Place],
    stored: &'a [Value],
    inputs: Option<&'a Inputs>,
    fixed: &'a [Value],
}

impl<'a> UnitValues<'a> {
    /// No values: every node unknown.
    pub fn none() -> Self {
        UnitValues {
            places: &[],
            stored: &[],
            inputs: None,
            fixed: &[],
        }
    }

    /// The value of node `n` (unknown for a node the unit's kind does not have).
    pub fn get(&self, n: NodeId) -> Value {
        let value = match self.places.get(n as usize) {
            Some(Place::Stored(i)) => self.stored.get(*i as usize).copied(),
            Some(Place::Input(slot)) => self.inputs.and_then(|x| x.get(*slot as usize)),
            Some(Place::Fixed) => self.fixed.get(n as usize).copied(),
            None => None,
        };
        value.unwrap_or(Value::Unknown)
    }

    /// How many nodes the unit's kind has.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether the unit's kind has no nodes.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The value of every node, in node order.
    pub fn to_vec(&self) -> Vec<Value> {
        self.iter().collect()
    }

    /// The value of every node, in node order.
    pub fn iter(&self) -> impl Iterator<Item = Value> + '_ {
        (0..self.places.len() as NodeId).map(|n| self.get(n))
    }
}

/// Two units' values are equal when every node has the same value.
impl PartialEq for UnitValues<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only computed nodes are stored: a unit's inputs, constants, parameters and the date are
    /// read from where they are (for a 小区 of haiyan-2021, 9 of its 22 nodes are stored).
    #[test]
    fn only_computed_nodes_are_stored() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../standards");
        let src = std::fs::read_to_string(format!("{root}/haiyan-2021.std")).unwrap();
        let graph = duibiao_compiler::compile(&src).graph.unwrap();
        let places = Places::new(&graph);
        for (k, kind) in (0..).zip(&graph.kinds) {
            let computed: Vec<NodeId> = (0..)
                .zip(&kind.nodes)
                .filter(|(_, n)| {
                    !matches!(
                        n,
                        Node::Input(_) | Node::Const(_) | Node::Param(_) | Node::AsOf
                    )
                })
                .map(|(i, _)| i)
                .collect();
            assert_eq!(places.stored(k), computed, "{}", kind.name);
            if kind.name == "小区" {
                assert_eq!((computed.len(), kind.nodes.len()), (9, 22));
            }
        }
    }

    /// A unit's values have one value a node of its kind, read from wherever they live.
    #[test]
    fn a_units_values_have_one_value_a_node() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../standards");
        let src = std::fs::read_to_string(format!("{root}/haiyan-2021.std")).unwrap();
        let demo = std::fs::read_to_string(format!("{root}/haiyan-2021/demo.json")).unwrap();
        let graph = duibiao_compiler::compile(&src).graph.unwrap();
        let (facts, _) = crate::facts::load(&graph, &demo, &Default::default());
        let ctx = crate::eval::Context::new(&graph, &facts.params, facts.as_of).unwrap();
        let eval = crate::eval::evaluate(&graph, &facts.tree, &ctx);
        for u in 0..facts.tree.units.len() {
            let kind = &graph.kinds[facts.tree.units[u].kind as usize];
            let values = eval.unit(&facts.tree, u);
            assert_eq!(values.len(), kind.nodes.len(), "{}", kind.name);
            assert!(!values.is_empty());
            assert_eq!(values.to_vec().len(), values.len());
            assert!(values == eval.unit(&facts.tree, u));
        }
        // Units of one kind compare by their values: the demo's 社区 SQ1 and SQ2 differ.
        let (a, b) = (
            facts.tree.find("SQ1").unwrap(),
            facts.tree.find("SQ2").unwrap(),
        );
        assert!(eval.unit(&facts.tree, a) != eval.unit(&facts.tree, b));
        // Kinds with nothing to read or compute (an input no rule reads is not a node) have no
        // values.
        let bare = "standard bare { title \"x\" }\nkind 街道 contains 小区\nkind 小区\nfacts 小区 {\n  户数: int\n}\n";
        let graph = duibiao_compiler::compile(bare).graph.unwrap();
        let text = r#"{"units": [{"id": "J", "kind": "街道"}, {"id": "X", "kind": "小区", "parent": "J"}]}"#;
        let (facts, errors) = crate::facts::load(&graph, text, &Default::default());
        assert!(errors.is_empty(), "{errors:?}");
        let ctx = crate::eval::Context::new(&graph, &facts.params, facts.as_of).unwrap();
        let eval = crate::eval::evaluate(&graph, &facts.tree, &ctx);
        for id in ["J", "X"] {
            let u = facts.tree.find(id).unwrap();
            let values = eval.unit(&facts.tree, u);
            assert!(values.is_empty() && values.to_vec().is_empty(), "{id}");
        }
    }
}
