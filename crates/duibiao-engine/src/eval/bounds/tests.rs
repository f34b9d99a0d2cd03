//! The bounds of values left open by missing data, against oracles written here.

use super::*;
use proptest::prelude::*;

/// A unit's values as they stand in a row, nothing beyond them.
struct Row<'a>(&'a [Value]);

impl Reader for Row<'_> {
    fn value(&self, n: NodeId) -> Value {
        self.0.get(n as usize).copied().unwrap_or(Value::Unknown)
    }

    fn beyond(&mut self, _: NodeId, _: &Node) -> Option<Span> {
        None
    }
}

fn kinds() -> &'static [KindGraph] {
    static KINDS: std::sync::OnceLock<Vec<KindGraph>> = std::sync::OnceLock::new();
    KINDS.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../standards");
        let mut kinds = Vec::new();
        for entry in std::fs::read_dir(root).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "std") {
                let src = std::fs::read_to_string(&path).unwrap();
                let graph = duibiao_compiler::compile(&src).graph.unwrap();
                kinds.extend(graph.kinds);
            }
        }
        kinds
    })
}

/// Numbers below `n` drawn from `seed` (xorshift), for rows of random values.
fn draws(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed | 1;
    move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    }
}

proptest! {
    /// Wherever a comparison is decided from ranges of points, the ranges built node by node
    /// decide it the same: for every comparison of every kind of every standard, in rows of
    /// random values (unknown, points in tenths, other decimals, truth values; any mix, so
    /// that sums known and unknown, parts given and not, and what is not points all occur).
    #[test]
    fn comparisons_of_points_are_decided_as_ranges_decide_them(seed: u64) {
        let mut draw = draws(seed);
        for kind in kinds() {
            let row: Vec<Value> = kind
                .nodes
                .iter()
                .map(|node| match (node, draw(10)) {
                    (Node::Const(v), _) => *v,
                    // Parts given in halves, or not; sums mostly left unknown, as they are
                    // when a part is not given.
                    (Node::Input(slot), d) => match kind.inputs[*slot].origin {
                        InputOrigin::Points { max } if d < 7 => {
                            let halves = (max * Decimal::TWO).trunc().mantissa() as u64;
                            Value::Num(Decimal::new(5 * draw(halves + 1) as i64, 1))
                        }
                        _ => Value::Unknown,
                    },
                    (Node::Sum(_), 0..=7) => Value::Unknown,
                    (_, 0..=3) => Value::Unknown,
                    (_, 4..=7) => Value::Num(Decimal::new(draw(2_000) as i64, draw(2) as u32)),
                    (_, 8) => Value::Num(Decimal::new(draw(2_000) as i64 - 1_000, 2)),
                    _ => Value::Bool(draw(2) == 0),
                })
                .collect();
            for node in &kind.nodes {
                let Node::Compare(op, a, b) = node else {
                    continue;
                };
                let Some(fast) = compare_points(kind, *op, (*a, *b), &row) else {
                    continue;
                };
                let slow = match spans(kind, [*a, *b], &mut Row(&row)) {
                    [Some(x), Some(y)] => bounded(*op, (x.lo, x.hi), (y.lo, y.hi)),
                    _ => Value::Unknown,
                };
                prop_assert_eq!(fast, slow, "{} {:?}", kind.name, node);
            }
        }
    }
}

/// A unit's values as they stand in a row, every node whose value or range is read noted.
struct Watch<'a> {
    row: &'a [Value],
    read: std::cell::RefCell<std::collections::BTreeSet<NodeId>>,
}

impl Reader for Watch<'_> {
    fn value(&self, n: NodeId) -> Value {
        self.read.borrow_mut().insert(n);
        self.row.get(n as usize).copied().unwrap_or(Value::Unknown)
    }

    fn beyond(&mut self, n: NodeId, _: &Node) -> Option<Span> {
        self.read.borrow_mut().insert(n);
        None
    }
}

/// The nodes the range of `n` may read, found by recursion (the oracle of the marking in
/// [`spans`]): `n` itself; if its value is unknown, its operands, and of an `if` only the
/// branch its known condition takes.
fn may_read(kind: &KindGraph, n: NodeId, row: &[Value], out: &mut Vec<NodeId>) {
    out.push(n);
    if !row[n as usize].is_unknown() {
        return;
    }
    match &kind.nodes[n as usize] {
        Node::If(c, a, b) => {
            out.push(*c);
            match row[*c as usize] {
                Value::Bool(true) => may_read(kind, *a, row, out),
                Value::Bool(false) => may_read(kind, *b, row, out),
                _ => {
                    may_read(kind, *a, row, out);
                    may_read(kind, *b, row, out);
                }
            }
        }
        node @ (Node::Neg(_) | Node::Arith(..) | Node::Call(..) | Node::Sum(_)) => {
            node.for_each_operand(&mut |x| may_read(kind, x, row, out))
        }
        _ => {}
    }
}

proptest! {
    /// The range of a node reads only what it depends on: an `if` whose condition is known
    /// only the branch taken, a known value not its operands (for every node of every kind
    /// of every standard, in rows of unknowns, truth values and numbers).
    #[test]
    fn a_range_reads_only_the_nodes_it_depends_on(seed: u64) {
        let mut draw = draws(seed);
        for kind in kinds() {
            let row: Vec<Value> = kind
                .nodes
                .iter()
                .map(|_| match draw(4) {
                    0 | 1 => Value::Unknown,
                    2 => Value::Bool(draw(2) == 0),
                    _ => Value::Num(Decimal::new(draw(100) as i64, 0)),
                })
                .collect();
            for n in 0..kind.nodes.len() as NodeId {
                let mut watch = Watch { row: &row, read: Default::default() };
                let _ = span(kind, n, &mut watch);
                let mut allowed = Vec::new();
                may_read(kind, n, &row, &mut allowed);
                let read = watch.read.into_inner();
                let beyond: Vec<_> = read.iter().filter(|x| !allowed.contains(x)).collect();
                prop_assert!(beyond.is_empty(), "{} node {}: read {:?}", kind.name, n, beyond);
            }
        }
    }
}

/// A negated score, while unknown, lies between minus its most points and zero.
#[test]
fn a_negated_score_spans_minus_its_points_to_zero() {
    let src = r#"
standard neg-test { title "neg" }
kind 村
scorecard 村 total 10 {
  item 1 "综合" max 10分
}
tiers 村 {
  合格 "扣分少" {
扣分少: -(score 1) >= -15
  }
}
"#;
    let graph = duibiao_compiler::compile(src).graph.unwrap();
    let kind = &graph.kinds[0];
    let neg = kind
        .nodes
        .iter()
        .position(|n| matches!(n, Node::Neg(_)))
        .expect("a negation") as NodeId;
    let row = vec![Value::Unknown; kind.nodes.len()];
    let s = span(kind, neg, &mut Row(&row)).expect("a range");
    assert_eq!((s.lo, s.hi), (Decimal::from(-10), Decimal::ZERO));
}

/// An `if` whose condition is known lies in the range of the branch it takes; one whose
/// condition is unknown, in the range spanning both.
#[test]
fn an_if_spans_the_branch_its_condition_takes() {
    let src = r#"
standard if-test { title "if" }
kind 村
facts 村 {
  达标: bool
}
scorecard 村 total 10 {
  item 1 "综合" max 10分
}
tiers 村 {
  合格 "够" {
够: (if 达标 then score 1 else 20) >= 5
  }
}
"#;
    let graph = duibiao_compiler::compile(src).graph.unwrap();
    let kind = &graph.kinds[0];
    let (at, cond) = kind
        .nodes
        .iter()
        .enumerate()
        .find_map(|(i, n)| match n {
            Node::If(c, _, _) => Some((i as NodeId, *c)),
            _ => None,
        })
        .expect("an if");
    // Constants stand in the row, as in an evaluation; everything else is unknown.
    let range = |c: Value| {
        let mut row: Vec<Value> = (kind.nodes.iter())
            .map(|n| match n {
                Node::Const(v) => *v,
                _ => Value::Unknown,
            })
            .collect();
        row[cond as usize] = c;
        span(kind, at, &mut Row(&row)).map(|s| (s.lo, s.hi))
    };
    let d = Decimal::from;
    assert_eq!(range(Value::Bool(true)), Some((d(0), d(10))));
    assert_eq!(range(Value::Bool(false)), Some((d(20), d(20))));
    assert_eq!(range(Value::Unknown), Some((d(0), d(20))));
}

/// The fast path decides what it is for: a score with a part not given against its
/// threshold, in every kind of every standard with a scorecard (its other parts given,
/// its sums not yet computed, constants as they stand).
#[test]
fn a_score_with_a_part_not_given_is_decided_from_points() {
    let mut decided = 0;
    for kind in kinds() {
        let mut first = true;
        let row: Vec<Value> = (kind.nodes.iter())
            .map(|node| match node {
                Node::Const(v) => *v,
                Node::Input(slot) => match kind.inputs[*slot].origin {
                    InputOrigin::Points { .. } if std::mem::take(&mut first) => Value::Unknown,
                    InputOrigin::Points { .. } => Value::Num(Decimal::ZERO),
                    InputOrigin::Fact => Value::Unknown,
                },
                _ => Value::Unknown,
            })
            .collect();
        for node in &kind.nodes {
            if let Node::Compare(op, a, b) = node {
                let sides = [*a, *b].map(|x| &kind.nodes[x as usize]);
                if let [Node::Sum(_), Node::Const(_)] = sides {
                    let fast = compare_points(kind, *op, (*a, *b), &row);
                    decided += usize::from(fast.is_some());
                }
            }
        }
    }
    assert!(
        decided > 0,
        "no score against a threshold decided from points"
    );
}
