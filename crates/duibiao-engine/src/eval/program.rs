//! A program per kind, made once the parameters and the date are known: the values every unit
//! of the kind starts from, where its inputs go, and the nodes left to compute in each pass.

use super::Context;
use crate::inputs::Inputs;
use crate::store::Places;
use duibiao_compiler::graph::{Graph, Node, NodeId};
use duibiao_compiler::Value;

/// How to evaluate a unit of each kind once the parameters and the date are known: the values
/// every unit of the kind starts from, where its inputs go, and the nodes left to compute.
#[derive(Debug, Clone)]
pub(super) struct Program {
    /// The parameter values and the date it was made for.
    params: Vec<Value>,
    date: Option<chrono::NaiveDate>,
    pub(super) kinds: Vec<KindProgram>,
}

#[derive(Debug, Clone)]
pub(super) struct KindProgram {
    /// Constants, parameters and the date in their nodes; unknown in every other node.
    pub(super) start: Vec<Value>,
    /// From a unit's inputs (by slot) into its row (by node).
    pub(super) inputs: Moves,
    /// Per pass, the nodes computed from others.
    pub(super) passes: Vec<Vec<NodeId>>,
    /// Per pass, from a unit's row (by node) into its stored block (by offset).
    pub(super) stores: Vec<Moves>,
    /// From a unit's stored block (by offset) back into its row (by node): what earlier passes
    /// computed, for a later one.
    pub(super) restore: Moves,
}

/// Which values go where from one block of values to another: one span when the places run side
/// by side in both (as they do in the compiler's canonical node order: inputs by slot first,
/// each pass's computed nodes together), else place by place.
#[derive(Debug, Clone)]
pub(super) enum Moves {
    /// `len` values from `from..` to `to..`.
    Span { to: usize, from: usize, len: usize },
    /// Each place written, and the place read.
    Pairs(Vec<(u32, u32)>),
}

impl Moves {
    /// The moves of the pairs (place written, place read).
    fn new(pairs: Vec<(u32, u32)>) -> Self {
        match pairs.first() {
            Some(&(to, from)) if (0..).zip(&pairs).all(|(i, &p)| p == (to + i, from + i)) => {
                Moves::Span {
                    to: to as usize,
                    from: from as usize,
                    len: pairs.len(),
                }
            }
            _ => Moves::Pairs(pairs),
        }
    }

    /// Copies the values from `from` into `to` (unknown for a place `from` does not have).
    pub(super) fn apply(&self, to: &mut [Value], from: &[Value]) {
        if let Moves::Span {
            to: t,
            from: f,
            len,
        } = self
        {
            if let (Some(to), Some(from)) = (to.get_mut(*t..t + len), from.get(*f..f + len)) {
                to.copy_from_slice(from);
                return;
            }
        }
        self.apply_each(to, |i| from.get(i).copied());
    }

    /// Copies a unit's inputs `from` into `to`, as [`Moves::apply`] copies values.
    pub(super) fn apply_inputs(&self, to: &mut [Value], from: &Inputs) {
        match self {
            Moves::Span {
                to: t,
                from: f,
                len,
            } => {
                from.read_into(*f, to.get_mut(*t..t + len).unwrap_or(&mut []));
            }
            Moves::Pairs(_) => self.apply_each(to, |i| from.get(i)),
        }
    }

    /// Copies the values `from` gives by place into `to` (unknown where it gives none).
    fn apply_each(&self, to: &mut [Value], from: impl Fn(usize) -> Option<Value>) {
        match self {
            Moves::Span {
                to: t,
                from: f,
                len,
            } => {
                for (i, slot) in (*f..).zip(to.get_mut(*t..t + len).unwrap_or(&mut [])) {
                    *slot = from(i).unwrap_or(Value::Unknown);
                }
            }
            Moves::Pairs(pairs) => {
                for &(t, f) in pairs {
                    if let Some(slot) = to.get_mut(t as usize) {
                        *slot = from(f as usize).unwrap_or(Value::Unknown);
                    }
                }
            }
        }
    }
}

impl Program {
    fn new(graph: &Graph, places: &Places, ctx: &Context) -> Self {
        let kinds = (0..)
            .zip(&graph.kinds)
            .map(|(k, kg)| {
                let mut start = vec![Value::Unknown; kg.nodes.len()];
                let mut inputs = Vec::new();
                for (i, node) in kg.nodes.iter().enumerate() {
                    let fixed = match node {
                        Node::Const(v) => *v,
                        Node::Param(p) => ctx.params.get(*p).copied().unwrap_or(Value::Unknown),
                        Node::AsOf => ctx.date.map_or(Value::Unknown, Value::Date),
                        Node::Input(slot) => {
                            inputs.push((i as u32, *slot as u32));
                            Value::Unknown
                        }
                        _ => continue,
                    };
                    start[i] = fixed;
                }
                let (passes, stores) = kg
                    .strata
                    .iter()
                    .map(|nodes| {
                        let at = |&n: &NodeId| places.offset(k, n).map(|at| (n, at as u32));
                        let computed: Vec<(NodeId, u32)> = nodes.iter().filter_map(at).collect();
                        let stores = computed.iter().map(|&(n, at)| (at, n)).collect();
                        (
                            computed.iter().map(|&(n, _)| n).collect(),
                            Moves::new(stores),
                        )
                    })
                    .unzip();
                let restore = (0..)
                    .zip(places.stored(k))
                    .map(|(at, &n)| (n, at))
                    .collect();
                KindProgram {
                    start,
                    inputs: Moves::new(inputs),
                    passes,
                    stores,
                    restore: Moves::new(restore),
                }
            })
            .collect();
        Program {
            params: ctx.params.clone(),
            date: ctx.date,
            kinds,
        }
    }

    /// The program for `ctx` kept in `slot`, made again if it was made for another context.
    pub(super) fn cached<'s>(
        slot: &'s mut Option<Program>,
        graph: &Graph,
        places: &Places,
        ctx: &Context,
    ) -> &'s Program {
        if slot.as_ref().is_some_and(|p| !p.made_for(ctx)) {
            *slot = None;
        }
        slot.get_or_insert_with(|| Program::new(graph, places, ctx))
    }

    /// Whether this is the program for `ctx` (its parameter values and date).
    pub(super) fn made_for(&self, ctx: &Context) -> bool {
        self.params == ctx.params && self.date == ctx.date
    }

    /// The values the same for every unit of `kind` (constants, parameters, the date), by node.
    pub(super) fn fixed(&self, kind: u32) -> &[Value] {
        self.kinds
            .get(kind as usize)
            .map_or(&[], |k| k.start.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn num(n: i64) -> Value {
        Value::Num(Decimal::from(n))
    }

    #[test]
    fn moves_side_by_side_are_one_span() {
        let moves = Moves::new(vec![(2, 0), (3, 1), (4, 2)]);
        assert!(matches!(
            moves,
            Moves::Span {
                to: 2,
                from: 0,
                len: 3
            }
        ));
        let mut to = vec![Value::Unknown; 5];
        moves.apply(&mut to, &[num(1), num(2), num(3)]);
        assert_eq!(to, [Value::Unknown, Value::Unknown, num(1), num(2), num(3)]);
        // A shorter source leaves the rest unknown.
        let mut to = vec![num(9); 5];
        moves.apply(&mut to, &[num(1)]);
        assert_eq!(to[2..], [num(1), Value::Unknown, Value::Unknown]);
    }

    #[test]
    fn moves_apart_go_place_by_place() {
        let moves = Moves::new(vec![(0, 1), (2, 0), (5, 7)]);
        assert!(matches!(moves, Moves::Pairs(_)));
        let mut to = vec![Value::Unknown; 4];
        moves.apply(&mut to, &[num(1), num(2)]);
        assert_eq!(to, [num(2), Value::Unknown, num(1), Value::Unknown]);
    }
}
