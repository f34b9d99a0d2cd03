//! Numbers the planner can move: a weighted sum of inputs (`考评 * 70% + 民主评议 * 30%`,
//! `(基础项 - 减分项) * 70%`, a scorecard's points, a reported number) plus a constant.

use duibiao_compiler::graph::{Arith, InputOrigin, KindGraph, Node, NodeId};
use duibiao_compiler::{Type, Value};
use rust_decimal::Decimal;

/// One input a linear value reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Part {
    /// The input's slot.
    pub slot: usize,
    /// The most points it may have (points); `None` for a reported number.
    pub max: Option<Decimal>,
    /// How much the value moves when the input moves by one (negative for what is subtracted).
    pub weight: Decimal,
}

/// A value as `constant + Σ weight × input`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Linear {
    /// The parts, in the order the value reads them (a scorecard's order).
    pub parts: Vec<Part>,
    /// The constant term.
    pub constant: Decimal,
}

/// Node `n` as a weighted sum of numeric inputs, or `None` when it is not one (a product of two
/// inputs, a function, an aggregate, a parameter) or when it reads no input at all.
pub(super) fn linear(kg: &KindGraph, n: NodeId) -> Option<Linear> {
    let mut out = Linear::default();
    collect(kg, n, Decimal::ONE, &mut out)?;
    (!out.parts.is_empty()).then_some(out)
}

fn collect(kg: &KindGraph, n: NodeId, w: Decimal, out: &mut Linear) -> Option<()> {
    match kg.nodes.get(n as usize)? {
        Node::Input(slot) => {
            let input = kg.inputs.get(*slot)?;
            let max = match (&input.origin, input.ty) {
                (InputOrigin::Points { max }, _) => Some(*max),
                (_, Type::Num(_)) => None,
                _ => return None,
            };
            if !w.is_zero() {
                out.parts.push(Part {
                    slot: *slot,
                    max,
                    weight: w,
                });
            }
            Some(())
        }
        Node::Const(Value::Num(k)) => {
            out.constant = out.constant.checked_add(w.checked_mul(*k)?)?;
            Some(())
        }
        Node::Sum(xs) => xs.iter().try_for_each(|x| collect(kg, *x, w, out)),
        Node::Neg(x) => collect(kg, *x, -w, out),
        Node::Arith(op, a, b) => match op {
            Arith::Add => {
                collect(kg, *a, w, out)?;
                collect(kg, *b, w, out)
            }
            Arith::Sub => {
                collect(kg, *a, w, out)?;
                collect(kg, *b, -w, out)
            }
            Arith::Mul => match (constant(kg, *a), constant(kg, *b)) {
                (_, Some(k)) => collect(kg, *a, w.checked_mul(k)?, out),
                (Some(k), _) => collect(kg, *b, w.checked_mul(k)?, out),
                _ => None,
            },
            Arith::Div => {
                let k = constant(kg, *b).filter(|k| !k.is_zero())?;
                collect(kg, *a, w.checked_div(k)?, out)
            }
            Arith::AddMonths | Arith::SubMonths => None,
        },
        _ => None,
    }
}

/// The number node `n` is, when it is a constant.
fn constant(kg: &KindGraph, n: NodeId) -> Option<Decimal> {
    match kg.nodes.get(n as usize)? {
        Node::Const(Value::Num(k)) => Some(*k),
        _ => None,
    }
}
