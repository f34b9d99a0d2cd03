//! Evaluation of a compiled graph over a forest of units, bottom-up, in decimal arithmetic with
//! three-valued logic. The graph is only read; all state lives in [`Evaluation`].

use crate::tree::UnitTree;
use duibiao_compiler::graph::{Aggregate, Arith, Func, Graph, Node};
use duibiao_compiler::Value;
use duibiao_syntax::ast::{AggOp, CmpOp};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;

/// The values of every node for every unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// `values[unit][node]`.
    pub values: Vec<Vec<Value>>,
}

/// A parameter the standard leaves open that was not supplied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("parameter `{name}` has no value; supply it with `--param {name}=VALUE` or in the facts file's `params`")]
pub struct MissingParam {
    /// The parameter.
    pub name: String,
    /// Its clause, if cited.
    pub clause: Option<String>,
}

/// Resolves the parameter values: the standard's own, overridden by `supplied`.
pub fn param_values(
    graph: &Graph,
    supplied: &[(usize, Value)],
) -> Result<Vec<Value>, Vec<MissingParam>> {
    let mut values: Vec<Option<Value>> = graph.params.iter().map(|p| p.value).collect();
    for &(i, v) in supplied {
        if let Some(slot) = values.get_mut(i) {
            *slot = Some(v);
        }
    }
    let missing: Vec<MissingParam> = graph
        .params
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(p, _)| MissingParam {
            name: p.name.clone(),
            clause: p.source.cite.as_ref().map(|c| c.clause.clone()),
        })
        .collect();
    if missing.is_empty() {
        Ok(values.into_iter().map(|v| v.unwrap_or_default()).collect())
    } else {
        Err(missing)
    }
}

/// Evaluates every unit of `tree`, descendants before ancestors.
pub fn evaluate(graph: &Graph, tree: &UnitTree, params: &[Value]) -> Evaluation {
    let mut values: Vec<Vec<Value>> = vec![Vec::new(); tree.units.len()];
    for &u in &tree.bottom_up {
        let kind = &graph.kinds[tree.units[u].kind as usize];
        let mut out = Vec::with_capacity(kind.nodes.len());
        for node in &kind.nodes {
            let v = eval_node(node, &out, u, tree, &values, params);
            out.push(v);
        }
        values[u] = out;
    }
    Evaluation { values }
}

fn get(vals: &[Value], id: u32) -> Value {
    vals.get(id as usize).copied().unwrap_or(Value::Unknown)
}

fn eval_node(
    node: &Node,
    vals: &[Value],
    unit: usize,
    tree: &UnitTree,
    all: &[Vec<Value>],
    params: &[Value],
) -> Value {
    match node {
        Node::Input(slot) => tree.units[unit]
            .inputs
            .get(*slot)
            .copied()
            .unwrap_or(Value::Unknown),
        Node::Const(v) => *v,
        Node::Param(p) => params.get(*p).copied().unwrap_or(Value::Unknown),
        Node::Neg(a) => match get(vals, *a) {
            Value::Num(n) => Value::Num(-n),
            _ => Value::Unknown,
        },
        Node::Arith(op, a, b) => arith(*op, get(vals, *a), get(vals, *b)),
        Node::Compare(op, a, b) => compare(*op, get(vals, *a), get(vals, *b)),
        Node::And(xs) => and(xs.iter().map(|x| get(vals, *x))),
        Node::Or(xs) => or(xs.iter().map(|x| get(vals, *x))),
        Node::Not(a) => match get(vals, *a) {
            Value::Bool(b) => Value::Bool(!b),
            _ => Value::Unknown,
        },
        Node::If(c, a, b) => match get(vals, *c) {
            Value::Bool(true) => get(vals, *a),
            Value::Bool(false) => get(vals, *b),
            _ => {
                let (x, y) = (get(vals, *a), get(vals, *b));
                if x == y {
                    x
                } else {
                    Value::Unknown
                }
            }
        },
        Node::Call(f, xs) => call(*f, xs.iter().map(|x| get(vals, *x))),
        Node::Sum(xs) => {
            let mut total = Decimal::ZERO;
            for x in xs {
                match get(vals, *x) {
                    Value::Num(n) => match total.checked_add(n) {
                        Some(t) => total = t,
                        None => return Value::Unknown,
                    },
                    _ => return Value::Unknown,
                }
            }
            Value::Num(total.normalize())
        }
        Node::Aggregate(agg) => aggregate(agg, unit, tree, all),
    }
}

/// Kleene conjunction: false if any is false, else unknown if any is unknown, else true.
pub fn and(xs: impl Iterator<Item = Value>) -> Value {
    let mut unknown = false;
    for x in xs {
        match x {
            Value::Bool(false) => return Value::Bool(false),
            Value::Bool(true) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(true)
    }
}

/// Kleene disjunction: true if any is true, else unknown if any is unknown, else false.
pub fn or(xs: impl Iterator<Item = Value>) -> Value {
    let mut unknown = false;
    for x in xs {
        match x {
            Value::Bool(true) => return Value::Bool(true),
            Value::Bool(false) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(false)
    }
}

fn arith(op: Arith, a: Value, b: Value) -> Value {
    let r = match (a, b) {
        (Value::Num(x), Value::Num(y)) => match op {
            Arith::Add => x.checked_add(y),
            Arith::Sub => x.checked_sub(y),
            Arith::Mul => x.checked_mul(y),
            Arith::Div => x.checked_div(y),
        }
        .map(|n| Value::Num(n.normalize())),
        (Value::Date(d), Value::Num(n)) | (Value::Num(n), Value::Date(d))
            if matches!(op, Arith::Add) || (op == Arith::Sub && matches!(a, Value::Date(_))) =>
        {
            let k = n.fract().is_zero().then(|| n.to_i64()).flatten();
            k.and_then(|k| chrono::Duration::try_days(if op == Arith::Sub { -k } else { k }))
                .and_then(|delta| d.checked_add_signed(delta))
                .map(Value::Date)
        }
        (Value::Date(x), Value::Date(y)) if op == Arith::Sub => {
            Some(Value::Num(Decimal::from((x - y).num_days())))
        }
        _ => None,
    };
    r.unwrap_or(Value::Unknown)
}

fn compare(op: CmpOp, a: Value, b: Value) -> Value {
    let ord = match (a, b) {
        (Value::Num(x), Value::Num(y)) => x.cmp(&y),
        (Value::Date(x), Value::Date(y)) => x.cmp(&y),
        (Value::Enum(x), Value::Enum(y)) => x.cmp(&y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(&y),
        _ => return Value::Unknown,
    };
    Value::Bool(match op {
        CmpOp::Ge => ord != Ordering::Less,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
    })
}

fn call(f: Func, mut xs: impl Iterator<Item = Value>) -> Value {
    let mut nums = Vec::new();
    for x in xs.by_ref() {
        match x {
            Value::Num(n) => nums.push(n),
            _ => return Value::Unknown,
        }
    }
    let first = nums.first().copied();
    let r = match f {
        Func::Min => nums.iter().copied().min(),
        Func::Max => nums.iter().copied().max(),
        Func::Ceil => first.map(|n| n.ceil()),
        Func::Floor => first.map(|n| n.floor()),
        Func::Abs => first.map(|n| n.abs()),
        Func::Round => match (first, nums.get(1).and_then(|d| d.to_u32())) {
            (Some(n), Some(dp)) if dp <= 28 => {
                Some(n.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero))
            }
            _ => None,
        },
    };
    r.map(|n| Value::Num(n.normalize()))
        .unwrap_or(Value::Unknown)
}

/// The sub-units an aggregate ranges over, with the index of the target they match.
pub fn members(agg: &Aggregate, unit: usize, tree: &UnitTree) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut visit = |u: usize| {
        if let Some(t) = agg
            .targets
            .iter()
            .position(|t| t.kind == tree.units[u].kind)
        {
            out.push((u, t));
        }
    };
    if agg.direct {
        tree.units[unit].children.iter().for_each(|&c| visit(c));
    } else {
        tree.for_each_descendant(unit, visit);
    }
    out
}

/// Whether sub-unit `u` matches target `t`'s filter.
pub fn matches(agg: &Aggregate, t: usize, u: usize, all: &[Vec<Value>]) -> Value {
    match agg.targets[t].filter {
        None => Value::Bool(true),
        Some(f) => all.get(u).map_or(Value::Unknown, |v| get(v, f)),
    }
}

fn aggregate(agg: &Aggregate, unit: usize, tree: &UnitTree, all: &[Vec<Value>]) -> Value {
    let members = members(agg, unit, tree);
    if members.is_empty() {
        if let Some(v) = agg.if_none {
            return v;
        }
        return match agg.op {
            AggOp::All => Value::Bool(true),
            AggOp::Any => Value::Bool(false),
            AggOp::Count | AggOp::Sum => Value::Num(Decimal::ZERO),
            AggOp::Share => Value::Unknown,
        };
    }
    let verdicts = members.iter().map(|&(u, t)| matches(agg, t, u, all));
    match agg.op {
        AggOp::All => and(verdicts),
        AggOp::Any => or(verdicts),
        AggOp::Count | AggOp::Share => {
            let mut count = 0u64;
            for v in verdicts {
                match v {
                    Value::Bool(true) => count += 1,
                    Value::Bool(false) => {}
                    _ => return Value::Unknown,
                }
            }
            let count = Decimal::from(count);
            if agg.op == AggOp::Count {
                Value::Num(count)
            } else {
                Value::Num(count / Decimal::from(members.len() as u64))
            }
        }
        AggOp::Sum => {
            let mut total = Decimal::ZERO;
            for &(u, t) in &members {
                match matches(agg, t, u, all) {
                    Value::Bool(true) => {
                        let v = agg.targets[t]
                            .value
                            .and_then(|n| all.get(u).map(|vals| get(vals, n)));
                        match v {
                            Some(Value::Num(n)) => match total.checked_add(n) {
                                Some(s) => total = s,
                                None => return Value::Unknown,
                            },
                            _ => return Value::Unknown,
                        }
                    }
                    Value::Bool(false) => {}
                    _ => return Value::Unknown,
                }
            }
            Value::Num(total.normalize())
        }
    }
}
