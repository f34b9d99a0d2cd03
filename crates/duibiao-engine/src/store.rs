//! Which node values an evaluation keeps for each unit. A unit's inputs are already in the forest
//! and a constant, parameter or the date is the same for every unit of a kind, so only the nodes
//! computed from them are stored (for a 小区 of haiyan-2021, 9 of its 22 nodes); a node's value
//! is read back from wherever it lives through [`UnitValues`].

use crate::inputs::Inputs;
use duibiao_compiler::graph::{Graph, KindGraph, Node, NodeId};
use duibiao_compiler::Value;
use rust_decimal::Decimal;

/// A computed value as the evaluation's store keeps it, in 16 bytes where a [`Value`] takes 20
/// (a national forest stores about ten million): a number as its decimal's own 16 bytes (flags,
/// then the three words of its digits), anything else tagged in the low bits of the flags, which
/// a decimal never sets, with its payload in the next word.
#[derive(Clone, Copy)]
pub(crate) struct Kept([u32; 4]);

/// The low bits of a decimal's flags, zero in every decimal: a kept value's tag.
const TAG_BITS: u32 = 0xFFFF;
const UNKNOWN: u32 = 1;
const BOOL: u32 = 2;
const DATE: u32 = 3;
const ENUM: u32 = 4;

impl Kept {
    /// An unknown value.
    pub(crate) const UNKNOWN: Kept = Kept([UNKNOWN, 0, 0, 0]);

    /// `value`, as the store keeps it.
    #[inline]
    pub(crate) fn new(value: Value) -> Self {
        match value {
            Value::Unknown => Kept::UNKNOWN,
            Value::Bool(b) => Kept([BOOL, u32::from(b), 0, 0]),
            Value::Date(d) => Kept([DATE, chrono::Datelike::num_days_from_ce(&d) as u32, 0, 0]),
            Value::Enum(e) => Kept([ENUM, e, 0, 0]),
            Value::Num(n) => {
                let b = n.serialize();
                let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
                Kept([word(0), word(4), word(8), word(12)])
            }
        }
    }

    /// A word of the value: reading it brings it near the processor ahead of its use (see
    /// `Evaluation::warm`).
    #[inline]
    pub(crate) fn touch(self) -> u32 {
        self.0[0]
    }

    /// The value kept, exactly as it was given (a number's digits, scale and sign).
    #[inline]
    pub(crate) fn get(self) -> Value {
        let [flags, a, b, c] = self.0;
        match flags & TAG_BITS {
            0 => {
                // The flags of a decimal: its sign in bit 31, its scale (at most 28, as every
                // decimal's) in bits 16–23.
                let negative = flags >> 31 == 1;
                let scale = (flags >> 16 & 0xFF).min(Decimal::MAX_SCALE);
                let mut n = Decimal::from_parts(a, b, c, negative, scale);
                if negative && n.is_zero() {
                    // `from_parts` drops the sign of a zero: kept as it was.
                    n.set_sign_negative(true);
                }
                Value::Num(n)
            }
            BOOL => Value::Bool(a != 0),
            DATE => chrono::NaiveDate::from_num_days_from_ce_opt(a as i32)
                .map_or(Value::Unknown, Value::Date),
            ENUM => Value::Enum(a),
            _ => Value::Unknown,
        }
    }
}

/// Equal when the values kept are (a number equal whatever its scale, as values are).
impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

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
        stored: &'a [Kept],
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
    stored: &'a [Kept],
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
            Some(Place::Stored(i)) => self.stored.get(*i as usize).map(|v| v.get()),
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
    use crate::inputs::tests::{any_value, assert_exact};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A value kept reads back exactly (a number's digits, scale and sign, a zero's sign
        /// too), in 16 bytes; kept values are equal when the values are.
        #[test]
        fn a_kept_value_reads_back_exactly(a in any_value(), b in any_value()) {
            prop_assert_eq!(std::mem::size_of::<Kept>(), 16);
            let (ka, kb) = (Kept::new(a), Kept::new(b));
            assert_exact(&[ka.get(), kb.get()], &[a, b]);
            prop_assert_eq!(ka == kb, a == b);
        }
    }

    /// The unknown value kept is unknown, and tells itself as a value does.
    #[test]
    fn unknown_is_kept_unknown() {
        assert_eq!(Kept::UNKNOWN.get(), Value::Unknown);
        assert_eq!(Kept::new(Value::Unknown), Kept::UNKNOWN);
        assert_eq!(
            format!("{:?}", Kept::UNKNOWN),
            format!("{:?}", Value::Unknown)
        );
        assert_ne!(Kept::new(Value::Bool(false)), Kept::UNKNOWN);
    }

    /// Only computed nodes are stored: a unit's inputs, constants, parameters and the date are
    /// read from where they are (for a 小区 of haiyan-2021, 9 of its 22 nodes are stored).
    #[test]
    fn only_computed_nodes_are_stored() {
        let graph = crate::testing::standard("haiyan-2021");
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
        let (graph, facts) = crate::testing::demo("haiyan-2021");
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
