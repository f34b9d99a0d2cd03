//! What to write for every kind of a standard, worked out once per forest: the keys of its scores
//! and facts, how each fact is drawn, the open parameters and the evaluation date.

use super::facts::{bool_roles, num_plan, number_plans, BoolRole, FactGen};
use super::{parents, Shape};
use chrono::{Datelike, NaiveDate};
use duibiao_compiler::graph::{Graph, InputOrigin, KindId, ParamValue};
use duibiao_compiler::Dim;
use duibiao_compiler::{Type, Value};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// What to write for one kind.
#[derive(Debug, Clone)]
pub(super) struct KindPlan {
    /// The kind's name as a JSON string.
    pub(super) name: String,
    /// `"名称-`: ids are this, a number, and `"`.
    pub(super) id_prefix: String,
    /// Scored parts: the key as a JSON string, and the points in halves.
    pub(super) scores: Vec<(String, u64)>,
    /// Facts: the key as a JSON string, and how to draw it.
    pub(super) facts: Vec<(String, FactGen)>,
    /// Contained kinds with their children per parent.
    pub(super) children: Vec<(KindId, u32, u32)>,
}

/// A JSON string literal.
pub(super) fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}

/// A date as the facts file writes it.
pub(super) fn date_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The evaluation date of the forest.
fn as_of(graph: &Graph, shape: &Shape) -> NaiveDate {
    if let Some(d) = shape.as_of {
        return d;
    }
    if let Some((_, end)) = graph.info.effective {
        return end;
    }
    let named = graph
        .targets
        .iter()
        .flat_map(|t| t.due.iter().copied())
        .chain(graph.quotas.iter().flat_map(|q| q.columns.iter().copied()))
        .chain(graph.params.iter().flat_map(|p| match &p.value {
            ParamValue::Dated(periods) => periods.iter().map(|(_, end, _)| *end).collect(),
            _ => Vec::new(),
        }))
        .max();
    named.unwrap_or_else(today)
}

/// Today (UTC).
fn today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_days(chrono::Days::new(days)))
        .unwrap_or_default()
}

/// A plausible value for a parameter the standard leaves open, and how to write it.
fn open_param(graph: &Graph, ty: Type, as_of: NaiveDate) -> (Value, String) {
    let num = |n: i64, text: String| (Value::Num(Decimal::from(n)), text);
    match ty {
        Type::Bool => (Value::Bool(true), "true".into()),
        Type::Date => (Value::Date(as_of), quoted(&date_text(as_of))),
        Type::Enum(e) => {
            let variants = graph.levels(e);
            let i = variants.len() / 2;
            match variants.get(i) {
                Some(v) => (Value::Enum(i as u32), quoted(v)),
                None => (Value::Unknown, "null".into()),
            }
        }
        Type::Num(dim) => match dim {
            Dim::Count => num(3, "3".into()),
            Dim::Bare | Dim::Number => num(1, "1".into()),
            Dim::Percent => (Value::Num(Decimal::new(8, 1)), quoted("80%")),
            Dim::Money => num(100_000, "100000".into()),
            Dim::Area => num(100, "100".into()),
            Dim::Hours => num(40, "40".into()),
            Dim::Points => num(60, "60".into()),
            Dim::Days => num(30, "30".into()),
            Dim::Months => num(12, "12".into()),
        },
    }
}

/// Everything needed to write units of every kind, and the `params` object.
pub(super) struct Plan {
    pub(super) kinds: Vec<KindPlan>,
    pub(super) roots: Vec<KindId>,
    pub(super) params: Vec<(String, String)>,
    pub(super) as_of: NaiveDate,
    /// First and last day dates are drawn in.
    pub(super) period: (NaiveDate, NaiveDate),
}

pub(super) fn plan(graph: &Graph, shape: &Shape) -> Plan {
    let as_of = as_of(graph, shape);
    let mut open = Vec::new();
    let param_values: Vec<Option<Value>> = graph
        .params
        .iter()
        .map(|p| match &p.value {
            ParamValue::Fixed(v) => Some(*v),
            ParamValue::Dated(periods) => periods
                .iter()
                .find(|(a, b, _)| *a <= as_of && as_of <= *b)
                .map(|(_, _, v)| *v),
            ParamValue::Required => {
                let (v, text) = open_param(graph, p.ty, as_of);
                open.push((quoted(&p.name), text));
                Some(v)
            }
        })
        .collect();
    let fanouts = shape.fanouts_in(graph);
    let kinds = graph
        .kinds
        .iter()
        .enumerate()
        .map(|(k, kg)| {
            let roles = bool_roles(graph, k as KindId);
            let numbers = number_plans(kg, &param_values, &roles);
            let mut scores = Vec::new();
            let mut facts = Vec::new();
            for (slot, input) in kg.inputs.iter().enumerate() {
                let key = quoted(&input.key);
                match input.origin {
                    InputOrigin::Points { max } => {
                        let halves = max.checked_mul(Decimal::TWO);
                        let halves = halves.and_then(|h| h.floor().to_u64()).unwrap_or(0);
                        scores.push((key, halves));
                    }
                    InputOrigin::Fact => {
                        let g = match input.ty {
                            Type::Bool => FactGen::Bool(
                                roles.get(&slot).copied().unwrap_or(BoolRole::Favourable),
                            ),
                            Type::Date => FactGen::Date,
                            Type::Enum(e) => {
                                FactGen::Enum(graph.levels(e).iter().map(|v| quoted(v)).collect())
                            }
                            Type::Num(dim) => FactGen::Num(
                                numbers
                                    .get(slot)
                                    .cloned()
                                    .flatten()
                                    .unwrap_or_else(|| num_plan(dim, &[])),
                            ),
                        };
                        facts.push((key, g));
                    }
                }
            }
            let name = quoted(&kg.name);
            let id_prefix = format!("{}-", name.strip_suffix('"').unwrap_or(&name));
            KindPlan {
                name,
                id_prefix,
                scores,
                facts,
                children: kg
                    .children
                    .iter()
                    .map(|c| {
                        let (lo, hi) = fanouts.get(*c as usize).copied().unwrap_or((0, 0));
                        (*c, lo, hi)
                    })
                    .collect(),
            }
        })
        .collect();
    let roots = (0..graph.kinds.len() as KindId)
        .filter(|k| parents(graph, *k).is_empty())
        .collect();
    let period = match graph.info.effective {
        Some((start, end)) if start <= as_of => (start, end.min(as_of)),
        _ => (
            as_of
                .checked_sub_days(chrono::Days::new(364))
                .unwrap_or(as_of),
            as_of,
        ),
    };
    Plan {
        kinds,
        roots,
        params: open,
        as_of,
        period,
    }
}
