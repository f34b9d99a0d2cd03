//! A program per kind, made once the parameters and the date are known: the values every unit
//! of the kind starts from, where its inputs go, and the nodes left to compute in each pass.

use super::Context;
use crate::inputs::Inputs;
use crate::store::Places;
use duibiao_compiler::graph::{Graph, KindGraph, Node, NodeId};
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
    /// Per pass, from a unit's inputs (by slot) into its row (by node): only the inputs the
    /// pass's nodes read, directly or through the nodes they read (a row is scratch, filled
    /// again for every unit and pass, and most passes read few of the inputs).
    pub(super) inputs: Vec<Moves>,
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
#[derive(Debug, Clone, PartialEq, Eq)]
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

    /// The span, if the places run side by side: `(to, from, len)`.
    fn span(&self) -> Option<(usize, usize, usize)> {
        match *self {
            Moves::Span { to, from, len } => Some((to, from, len)),
            Moves::Pairs(_) => None,
        }
    }

    /// Copies the values from `from` into `to`, each as `into` makes it (`missing` for a place
    /// `from` does not have): a unit's row into its stored block, or back.
    pub(super) fn apply<T: Copy, U: Copy>(
        &self,
        to: &mut [T],
        from: &[U],
        into: impl Fn(U) -> T,
        missing: T,
    ) {
        if let Some((t, f, len)) = self.span() {
            if let (Some(to), Some(from)) = (to.get_mut(t..t + len), from.get(f..f + len)) {
                for (to, &from) in to.iter_mut().zip(from) {
                    *to = into(from);
                }
                return;
            }
        }
        self.apply_each(to, missing, |i| from.get(i).map(|&v| into(v)));
    }

    /// Copies a unit's inputs `from` into `to`, as [`Moves::apply`] copies values.
    pub(super) fn apply_inputs(&self, to: &mut [Value], from: &Inputs) {
        match self.span() {
            Some((t, f, len)) => from.read_into(f, to.get_mut(t..t + len).unwrap_or(&mut [])),
            None => {
                let slots = from.slots();
                self.apply_each(to, Value::Unknown, |i| slots.get(i));
            }
        }
    }

    /// Copies the values `from` gives by place into `to` (`missing` where it gives none).
    fn apply_each<T: Copy>(&self, to: &mut [T], missing: T, from: impl Fn(usize) -> Option<T>) {
        match self {
            Moves::Span {
                to: t,
                from: f,
                len,
            } => {
                for (i, slot) in (*f..).zip(to.get_mut(*t..t + len).unwrap_or(&mut [])) {
                    *slot = from(i).unwrap_or(missing);
                }
            }
            Moves::Pairs(pairs) => {
                for &(t, f) in pairs {
                    if let Some(slot) = to.get_mut(t as usize) {
                        *slot = from(f as usize).unwrap_or(missing);
                    }
                }
            }
        }
    }
}

/// The inputs the nodes `pass` read, directly or through the nodes they read, as moves from a
/// unit's inputs (by slot) into its row (by node), in the order of the nodes.
fn inputs_read(kind: &KindGraph, pass: &[NodeId]) -> Moves {
    let mut read = vec![false; kind.nodes.len()];
    let mut todo: Vec<NodeId> = pass.to_vec();
    while let Some(n) = todo.pop() {
        let Some(seen) = read.get_mut(n as usize) else {
            continue;
        };
        if std::mem::replace(seen, true) {
            continue;
        }
        if let Some(node) = kind.nodes.get(n as usize) {
            node.for_each_operand(|x| todo.push(x));
        }
    }
    let pairs = (0..)
        .zip(&kind.nodes)
        .zip(&read)
        .filter_map(|((i, node), &read)| match node {
            Node::Input(slot) if read => Some((i, *slot as u32)),
            _ => None,
        })
        .collect();
    Moves::new(pairs)
}

impl Program {
    fn new(graph: &Graph, places: &Places, ctx: &Context) -> Self {
        let kinds = (0..)
            .zip(&graph.kinds)
            .map(|(k, kg)| {
                let mut start = vec![Value::Unknown; kg.nodes.len()];
                for (i, node) in kg.nodes.iter().enumerate() {
                    start[i] = match node {
                        Node::Const(v) => *v,
                        Node::Param(p) => ctx.params.get(*p).copied().unwrap_or(Value::Unknown),
                        Node::AsOf => ctx.date.map_or(Value::Unknown, Value::Date),
                        _ => continue,
                    };
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
                    inputs: kg.strata.iter().map(|pass| inputs_read(kg, pass)).collect(),
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

    /// A program is the one of the context it was made for (its date and parameters), and of no
    /// other: an evaluation keeps it while the context stays, and makes it again for another.
    #[test]
    fn a_program_is_made_for_its_own_context() {
        let (graph, facts) = crate::testing::demo("chunjiang-365");
        let places = crate::store::Places::new(&graph);
        let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let late = Context::new(&graph, &facts.params, facts.as_of).unwrap();
        let early = Context::new(&graph, &facts.params, date("2000-01-01")).unwrap();
        let program = Program::new(&graph, &places, &late);
        assert!(program.made_for(&late));
        assert!(!program.made_for(&early));
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
        moves.apply(&mut to, &[num(1), num(2), num(3)], |v| v, Value::Unknown);
        assert_eq!(to, [Value::Unknown, Value::Unknown, num(1), num(2), num(3)]);
        // A shorter source leaves the rest unknown.
        let mut to = vec![num(9); 5];
        moves.apply(&mut to, &[num(1)], |v| v, Value::Unknown);
        assert_eq!(to[2..], [num(1), Value::Unknown, Value::Unknown]);
    }

    #[test]
    fn moves_apart_go_place_by_place() {
        let moves = Moves::new(vec![(0, 1), (2, 0), (5, 7)]);
        assert!(matches!(moves, Moves::Pairs(_)));
        let mut to = vec![Value::Unknown; 4];
        moves.apply(&mut to, &[num(1), num(2)], |v| v, Value::Unknown);
        assert_eq!(to, [num(2), Value::Unknown, num(1), Value::Unknown]);
    }

    /// A pass moves only the inputs its nodes read, directly or through the nodes they read;
    /// an input no node reads is never moved.
    #[test]
    fn a_pass_moves_the_inputs_it_reads() {
        let mut kind = KindGraph::empty("村");
        kind.nodes = vec![
            Node::Input(2),
            Node::Input(0),
            Node::Input(1),
            Node::Neg(1),
            Node::Sum(vec![3]),
            Node::Not(2),
        ];
        let span = |to, from, len| Moves::Span { to, from, len };
        assert_eq!(inputs_read(&kind, &[4]), span(1, 0, 1));
        assert_eq!(inputs_read(&kind, &[5]), span(2, 1, 1));
        assert_eq!(inputs_read(&kind, &[5, 4]), span(1, 0, 2));
        assert_eq!(inputs_read(&kind, &[]), Moves::Pairs(vec![]));
        kind.nodes.push(Node::Sum(vec![0, 4]));
        assert_eq!(inputs_read(&kind, &[6]), Moves::Pairs(vec![(0, 2), (1, 0)]));
        // Only the places moved are written; the rest of the row keeps what it held.
        let inputs = Inputs::from_values(&[num(10), num(11), num(12)]);
        let mut row = vec![num(9); 7];
        inputs_read(&kind, &[6]).apply_inputs(&mut row, &inputs);
        assert_eq!(row[..3], [num(12), num(10), num(9)]);
        let mut row = vec![num(9); 7];
        inputs_read(&kind, &[5, 4]).apply_inputs(&mut row, &inputs);
        assert_eq!(row[..3], [num(9), num(10), num(11)]);
    }
}
