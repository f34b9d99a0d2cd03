//! How each fact of a kind is drawn: the role of a bool, and the range of a number from the
//! constants and estimates it is compared with.

use duibiao_compiler::graph::{Arith, Func};
use duibiao_compiler::graph::{Graph, InputOrigin, KindId, Node};
use duibiao_compiler::Dim;
use duibiao_compiler::{Type, Value};
use duibiao_syntax::ast::CmpOp;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How a bool fact is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BoolRole {
    /// A veto: true at the veto rate.
    Veto,
    /// Negated by a rule: mostly false.
    Adverse,
    /// Decides whether a rule applies: true three times in ten.
    Situational,
    /// Mostly true.
    Favourable,
}

/// How a number is drawn: a multiple of `step` (`mantissa × 10^-scale`), in steps.
#[derive(Debug, Clone)]
pub(super) struct NumPlan {
    pub(super) mantissa: i64,
    pub(super) scale: u32,
    /// Passing values (or typical ones, when nothing is compared).
    pub(super) pass: (i64, i64),
    /// Values that fail a lower bound.
    pub(super) low: Option<(i64, i64)>,
    /// Values that fail an upper bound.
    pub(super) high: Option<(i64, i64)>,
    /// Written as a string with `%`.
    pub(super) percent: bool,
    /// Drawn with the unit's quality, like scored parts (points compared with nothing: an
    /// assessment score used for ranking).
    pub(super) scored: bool,
}

#[derive(Debug, Clone)]
pub(super) enum FactGen {
    Bool(BoolRole),
    Num(NumPlan),
    Date,
    Enum(Vec<String>),
}

/// The value of every node of a kind that does not depend on any unit (constants, parameters and
/// arithmetic on them), for finding the thresholds facts are compared with.
///
/// With `inputs`, inputs take these values too: the estimate of every node from typical values.
fn constants(
    kg: &duibiao_compiler::graph::KindGraph,
    params: &[Option<Value>],
    inputs: &[Option<Value>],
) -> Vec<Option<Value>> {
    let mut out: Vec<Option<Value>> = Vec::with_capacity(kg.nodes.len());
    for node in &kg.nodes {
        let get = |out: &Vec<Option<Value>>, i: u32| out.get(i as usize).copied().flatten();
        let num = |out: &Vec<Option<Value>>, i: u32| get(out, i).and_then(Value::as_num);
        let v = match node {
            Node::Const(v) => Some(*v),
            Node::Param(p) => params.get(*p).copied().flatten(),
            Node::Input(i) => inputs.get(*i).copied().flatten(),
            Node::Neg(a) => num(&out, *a).map(|n| Value::Num(-n)),
            Node::Not(a) => get(&out, *a)
                .and_then(Value::as_bool)
                .map(|b| Value::Bool(!b)),
            Node::Arith(op, a, b) => match (num(&out, *a), num(&out, *b)) {
                (Some(x), Some(y)) => match op {
                    Arith::Add => x.checked_add(y),
                    Arith::Sub => x.checked_sub(y),
                    Arith::Mul => x.checked_mul(y),
                    Arith::Div => x.checked_div(y),
                    Arith::AddMonths | Arith::SubMonths => None,
                }
                .map(Value::Num),
                _ => None,
            },
            Node::If(c, a, b) => match get(&out, *c).and_then(Value::as_bool) {
                Some(true) => get(&out, *a),
                Some(false) => get(&out, *b),
                None => None,
            },
            Node::Call(f, xs) => {
                let args: Option<Vec<Decimal>> = xs.iter().map(|x| num(&out, *x)).collect();
                args.and_then(|args| {
                    let first = args.first().copied()?;
                    match f {
                        Func::Min => args.iter().copied().min(),
                        Func::Max => args.iter().copied().max(),
                        Func::Ceil => Some(first.ceil()),
                        Func::Floor => Some(first.floor()),
                        Func::Abs => Some(first.abs()),
                        Func::Round => {
                            let dp = args.get(1).and_then(|d| d.to_u32()).unwrap_or(0);
                            Some(first.round_dp_with_strategy(
                                dp,
                                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                            ))
                        }
                    }
                    .map(Value::Num)
                })
            }
            _ => None,
        };
        out.push(v);
    }
    out
}

/// The step numbers of a unit are drawn in, as (mantissa, scale), and typical values in steps.
fn dim_plan(dim: Dim) -> ((i64, u32), (i64, i64)) {
    match dim {
        Dim::Count => ((1, 0), (1, 12)),
        Dim::Bare | Dim::Number => ((1, 2), (50, 200)),
        Dim::Percent => ((1, 0), (60, 100)),
        Dim::Money => ((100, 0), (200, 3000)),
        Dim::Area => ((1, 0), (60, 800)),
        Dim::Hours => ((1, 0), (16, 80)),
        Dim::Points => ((5, 1), (0, 200)),
        Dim::Days => ((1, 0), (1, 120)),
        Dim::Months => ((1, 0), (1, 36)),
    }
}

/// How to draw a number of this unit, given the constants it is compared with (`fact OP c`).
pub(super) fn num_plan(dim: Dim, bounds: &[(CmpOp, Decimal)]) -> NumPlan {
    let ((mantissa, scale), typical) = dim_plan(dim);
    let percent = dim == Dim::Percent;
    let step = Decimal::new(mantissa, scale);
    let cap = if percent { Some(100) } else { None };
    // A constant in steps (percentages are fractions in the graph, percent points here).
    let steps = |c: Decimal| -> Option<Decimal> {
        let c = if percent {
            c.checked_mul(Decimal::ONE_HUNDRED)?
        } else {
            c
        };
        c.checked_div(step)
    };
    let (mut lo, mut hi, mut eq): (Option<i64>, Option<i64>, Option<i64>) = (None, None, None);
    for (op, c) in bounds {
        let Some(s) = steps(*c) else { continue };
        // Bounds beyond what the arithmetic holds are left out, as a bound that cannot be met.
        let v = match op {
            CmpOp::Ge => Some(s.ceil()),
            CmpOp::Gt => s.floor().checked_add(Decimal::ONE),
            CmpOp::Le => Some(s.floor()),
            CmpOp::Lt => s.ceil().checked_sub(Decimal::ONE),
            CmpOp::Eq => Some(s),
            CmpOp::Ne => continue,
        };
        let Some(v) = v.and_then(|v| v.to_i64()) else {
            continue;
        };
        match op {
            CmpOp::Ge | CmpOp::Gt => lo = Some(lo.map_or(v, |l| l.max(v))),
            CmpOp::Le | CmpOp::Lt => hi = Some(hi.map_or(v, |h| h.min(v))),
            CmpOp::Eq if s.fract().is_zero() => eq = Some(v),
            _ => {}
        }
    }
    if let (Some(l), Some(h)) = (lo, hi) {
        if l > h {
            hi = None;
        }
    }
    let clamp = |(a, b): (i64, i64)| -> Option<(i64, i64)> {
        let a = a.max(0);
        let b = cap.map_or(b, |c| b.min(c));
        (a <= b).then_some((a, b))
    };
    let margin = |v: i64, tenths: i64| (v.saturating_abs() / 10).saturating_mul(tenths).max(1);
    // The ranges just above and below a bound (saturating: the extremes of i64 stay there).
    let above = |v: i64, tenths: i64| (v.saturating_add(1), v.saturating_add(margin(v, tenths)));
    let below = |v: i64, tenths: i64| (v.saturating_sub(margin(v, tenths)), v.saturating_sub(1));
    let (pass, low, high) = match (eq, lo, hi) {
        (Some(e), _, _) => (Some((e, e)), None, Some(above(e, 2))),
        (None, Some(l), Some(h)) => (Some((l, h)), Some(below(l, 3)), Some(above(h, 3))),
        (None, Some(l), None) => (
            Some((l, l.saturating_add((l.saturating_abs() / 2).max(4)))),
            Some(below(l, 4)),
            None,
        ),
        (None, None, Some(h)) => (Some((h / 2, h)), None, Some(above(h, 3))),
        (None, None, None) => (None, None, None),
    };
    match pass.and_then(clamp) {
        Some(pass) => NumPlan {
            mantissa,
            scale,
            pass,
            low: low.and_then(clamp),
            high: high.and_then(clamp),
            percent,
            scored: false,
        },
        None => NumPlan {
            mantissa,
            scale,
            pass: typical,
            low: None,
            high: None,
            percent,
            scored: dim == Dim::Points,
        },
    }
}

/// The typical value of a number drawn by `plan`: the middle of its passing range.
fn typical(plan: &NumPlan) -> Value {
    let mid = i64::try_from((i128::from(plan.pass.0) + i128::from(plan.pass.1)) / 2).unwrap_or(0);
    let v = Decimal::new(mid.saturating_mul(plan.mantissa), plan.scale);
    Value::Num(if plan.percent {
        v / Decimal::ONE_HUNDRED
    } else {
        v
    })
}

/// How every numeric fact of a kind is drawn (by input slot). A fact compared with a constant or
/// parameter (`户数 >= 社区规模下限`) is drawn around it. A fact compared with something computed
/// from other facts (`中心面积 >= 每百户中心面积 * 户数 / 100`) is drawn around that computed with
/// the other facts' typical values, refined a few times as those settle.
pub(super) fn number_plans(
    kg: &duibiao_compiler::graph::KindGraph,
    params: &[Option<Value>],
    roles: &BTreeMap<usize, BoolRole>,
) -> Vec<Option<NumPlan>> {
    let input_of = |n: u32| match kg.nodes.get(n as usize) {
        Some(Node::Input(s)) => Some(*s),
        _ => None,
    };
    let dims: Vec<Option<Dim>> = kg
        .inputs
        .iter()
        .map(|i| match (&i.origin, i.ty) {
            (InputOrigin::Fact, Type::Num(d)) => Some(d),
            _ => None,
        })
        .collect();
    let consts = constants(kg, params, &[]);
    let mut plans: Vec<Option<NumPlan>> =
        dims.iter().map(|d| d.map(|d| num_plan(d, &[]))).collect();
    for round in 0..4 {
        let estimates: Vec<Option<Value>> = if round == 0 {
            Vec::new()
        } else {
            // Bools as they mostly are: favourable ones true, the others false.
            plans
                .iter()
                .enumerate()
                .map(|(slot, p)| match (p, kg.inputs.get(slot).map(|i| i.ty)) {
                    (Some(p), _) => Some(typical(p)),
                    (None, Some(Type::Bool)) => Some(Value::Bool(matches!(
                        roles.get(&slot),
                        None | Some(BoolRole::Favourable)
                    ))),
                    _ => None,
                })
                .collect()
        };
        let values = if round == 0 {
            consts.clone()
        } else {
            constants(kg, params, &estimates)
        };
        let mut bounds: Vec<Vec<(CmpOp, Decimal)>> = vec![Vec::new(); kg.inputs.len()];
        for node in &kg.nodes {
            let Node::Compare(op, a, b) = node else {
                continue;
            };
            let value = |n: u32| {
                values
                    .get(n as usize)
                    .copied()
                    .flatten()
                    .and_then(Value::as_num)
            };
            let found = match (input_of(*a), input_of(*b)) {
                (Some(s), _) => value(*b).map(|v| (s, *op, v)),
                (_, Some(s)) => value(*a).map(|v| (s, op.flipped(), v)),
                _ => None,
            };
            if let Some((s, op, v)) = found {
                if let Some(list) = bounds.get_mut(s) {
                    list.push((op, v));
                }
            }
        }
        plans = dims
            .iter()
            .zip(&bounds)
            .map(|(d, b)| d.map(|d| num_plan(d, b)))
            .collect();
    }
    plans
}

/// How each bool fact of a kind is drawn (by input slot; the others are favourable): a veto
/// (named …否决…, or read by a veto), negated by a rule (`not 发生违纪案件`), or only deciding
/// whether a rule applies (`when 党委建制`, `if 新建社区`; not when it is also a condition itself,
/// as in `share 社区 where (已制定居民公约)`).
pub(super) fn bool_roles(graph: &Graph, kind: KindId) -> BTreeMap<usize, BoolRole> {
    let mut roles: BTreeMap<usize, BoolRole> = BTreeMap::new();
    let Some(kg) = graph.kinds.get(kind as usize) else {
        return roles;
    };
    let input_of = |n: u32| match kg.nodes.get(n as usize) {
        Some(Node::Input(s)) => Some(*s),
        _ => None,
    };
    // Premises of `when`, which the compiler writes `not premise or requirement`.
    let premises: Vec<u32> = kg
        .groups
        .iter()
        .flat_map(|g| g.requirements.iter())
        .chain(kg.tiers.iter().flat_map(|t| t.conditions.iter()))
        .filter_map(|c| c.applies)
        .collect();
    // Nodes that are conditions in their own right.
    let mut conditions: Vec<u32> = kg
        .groups
        .iter()
        .flat_map(|g| g.requirements.iter())
        .chain(kg.tiers.iter().flat_map(|t| t.conditions.iter()))
        .map(|c| c.node)
        .collect();
    for node in &kg.nodes {
        if let Node::And(xs) | Node::Or(xs) = node {
            conditions.extend(xs.iter().copied());
        }
    }
    for other in graph.kinds.iter().chain(std::iter::once(&graph.overall)) {
        for node in &other.nodes {
            if let Node::Aggregate(a) = node {
                conditions.extend(
                    a.targets
                        .iter()
                        .filter(|t| t.kind == kind)
                        .filter_map(|t| t.filter),
                );
            }
        }
    }
    for t in &graph.targets {
        if let duibiao_compiler::graph::TargetScope::Kinds(ks) = &t.scope {
            conditions.extend(ks.iter().filter(|(k, _)| *k == kind).map(|(_, n)| *n));
        }
    }
    let mut situational: Vec<u32> = premises.clone();
    for node in &kg.nodes {
        match node {
            Node::Not(a) if !premises.contains(a) => {
                if let Some(s) = input_of(*a) {
                    roles.insert(s, BoolRole::Adverse);
                }
            }
            Node::If(c, _, _) => situational.push(*c),
            _ => {}
        }
    }
    for n in situational {
        if conditions.contains(&n) {
            continue;
        }
        if let Some(s) = input_of(n) {
            roles.entry(s).or_insert(BoolRole::Situational);
        }
    }
    let mut vetoes: Vec<usize> = kg
        .inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| i.ty == Type::Bool && i.key.contains("否决"))
        .map(|(slot, _)| slot)
        .collect();
    for v in &kg.vetoes {
        match kg.nodes.get(v.node as usize) {
            Some(Node::Or(xs)) => vetoes.extend(xs.iter().filter_map(|x| input_of(*x))),
            _ => vetoes.extend(input_of(v.node)),
        }
    }
    for s in vetoes {
        roles.insert(s, BoolRole::Veto);
    }
    roles
}
