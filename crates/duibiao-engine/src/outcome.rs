//! Outcomes: for every unit, its score with the breakdown per item and part, each tier's verdict
//! with every condition (value, threshold, citation, missing facts), the vetoes that fired and
//! the tier reached. Stamped with the standard's fingerprint.

use crate::eval::{matches, members, Evaluation};
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Condition, ConditionKind, Graph, KindGraph, Node, NodeId};
use duibiao_compiler::{Dim, Lang, Type, Value};
use duibiao_syntax::ast::AggOp;
use indexmap::IndexMap;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Pass, fail or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The condition holds.
    Pass,
    /// The condition does not hold.
    Fail,
    /// Missing facts leave it open.
    Unknown,
}

impl Verdict {
    /// The verdict of a truth value.
    pub fn of(v: Value) -> Verdict {
        match v {
            Value::Bool(true) => Verdict::Pass,
            Value::Bool(false) => Verdict::Fail,
            _ => Verdict::Unknown,
        }
    }

    /// The verdict in words.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Pass, Lang::Zh) => "达到",
            (Verdict::Fail, Lang::Zh) => "未达到",
            (Verdict::Unknown, Lang::Zh) => "未知",
            (Verdict::Pass, Lang::En) => "pass",
            (Verdict::Fail, Lang::En) => "fail",
            (Verdict::Unknown, Lang::En) => "unknown",
        }
    }
}

/// The outcome of evaluating a forest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Outcome {
    /// The standard's slug.
    pub standard: String,
    /// The fingerprint of the compiled standard.
    pub fingerprint: String,
    /// The evaluation date, if given.
    pub as_of: Option<String>,
    /// Dated parameters with no value on the evaluation date (rules reading them are unknown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unresolved_params: Vec<crate::eval::MissingParam>,
    /// One outcome per unit, in input order.
    pub units: Vec<UnitOutcome>,
}

/// The outcome for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct UnitOutcome {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its kind.
    pub kind: String,
    /// Its parent's id.
    pub parent: Option<String>,
    /// Total score, or null when unknown (or the kind is not scored).
    pub score: Option<String>,
    /// The scorecard's declared total.
    pub score_total: Option<String>,
    /// The highest tier passed, or null.
    pub tier: Option<String>,
    /// Each tier's verdict, lowest first.
    pub tiers: IndexMap<String, Verdict>,
    /// Points per item and part.
    pub items: Vec<ItemOutcome>,
    /// Each tier's conditions.
    pub conditions: IndexMap<String, Vec<ConditionOutcome>>,
    /// Each veto, and whether it fired.
    pub vetoes: Vec<VetoOutcome>,
    /// Requirement groups and their requirements.
    pub requirements: Vec<GroupOutcome>,
    /// Derived values.
    pub derived: IndexMap<String, Option<String>>,
    /// Consequences: amounts granted, and who pays them.
    pub consequences: Vec<ConsequenceOutcome>,
    /// Inputs the unit did not report.
    pub missing: Vec<String>,
}

/// A consequence for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ConsequenceOutcome {
    /// Its name.
    pub name: String,
    /// Whether its condition holds.
    pub applies: Verdict,
    /// The amount, when it applies.
    pub amount: Option<String>,
    /// Each payer's share of the amount, when it applies.
    pub split: Vec<(String, Option<String>)>,
    /// Its clause.
    pub clause: Option<String>,
}

/// Points of one scorecard item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ItemOutcome {
    /// The document's number.
    pub number: u32,
    /// Its title.
    pub title: String,
    /// Its maximum.
    pub max: String,
    /// Points awarded, or null when a part is missing.
    pub points: Option<String>,
    /// Its parts.
    pub parts: Vec<PartOutcome>,
}

/// Points of one scored part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct PartOutcome {
    /// Its key (`6.1`).
    pub key: String,
    /// Its maximum.
    pub max: String,
    /// Points awarded, or null.
    pub points: Option<String>,
}

/// The sub-units an aggregate ranged over: counts, and with detail their ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Members {
    /// The aggregate: `all`, `any`, `count`, `share` or `sum`.
    pub op: Cow<'static, str>,
    /// How many sub-units it ranged over.
    pub total: usize,
    /// How many matched.
    pub matched: usize,
    /// How many are unknown.
    pub unknown: usize,
    /// Ids of the sub-units that matched (with detail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched_ids: Vec<String>,
    /// Ids of the sub-units that did not match (with detail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmatched_ids: Vec<String>,
    /// Ids of the sub-units whose match is unknown (with detail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_ids: Vec<String>,
}

/// One condition of a tier (or a requirement), as evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ConditionOutcome {
    /// Label, requirement name, prerequisite tier or veto name.
    pub label: Option<String>,
    /// `rule`, `prerequisite` or `veto`.
    pub kind: Cow<'static, str>,
    /// The expression as written.
    pub expr: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The value compared (left side), when the condition is a comparison.
    pub actual: Option<String>,
    /// The comparison operator.
    pub op: Option<Cow<'static, str>>,
    /// The value compared against (right side).
    pub threshold: Option<String>,
    /// The sub-units counted, when the condition reads an aggregate.
    pub members: Option<Members>,
    /// The description (the document's words).
    pub text: Option<String>,
    /// The clause citation.
    pub clause: Option<String>,
    /// The clause's words, when cited.
    pub clause_text: Option<String>,
    /// Inputs it reads that the unit did not report.
    pub missing: Vec<String>,
    /// For a requirement that applies only `when` something holds: whether it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies: Option<Verdict>,
}

/// One veto.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct VetoOutcome {
    /// Its name.
    pub name: String,
    /// Whether it fired (null: unknown).
    pub fired: Option<bool>,
    /// The tiers it blocks.
    pub blocks: Vec<String>,
    /// Its clause.
    pub clause: Option<String>,
}

/// A requirement group as evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct GroupOutcome {
    /// The group's name.
    pub name: String,
    /// Whether all its requirements (and nested groups) are met.
    pub verdict: Verdict,
    /// Its own requirements.
    pub requirements: Vec<ConditionOutcome>,
}

/// Shows a value with its unit, as the documents write it.
pub fn show(graph: &Graph, v: Value, ty: Type, lang: Lang) -> Option<String> {
    Some(match v {
        Value::Unknown => return None,
        Value::Bool(b) => match (b, lang) {
            (true, Lang::Zh) => "是".into(),
            (false, Lang::Zh) => "否".into(),
            (b, Lang::En) => b.to_string(),
        },
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Enum(i) => graph
            .level_name(ty, i)
            .map_or_else(|| i.to_string(), str::to_string),
        Value::Num(n) => {
            let dim = match ty {
                Type::Num(d) => d,
                _ => Dim::Bare,
            };
            let suffix = match dim {
                Dim::Percent => "%",
                Dim::Money => "元",
                Dim::Area => "平方米",
                Dim::Hours => "学时",
                Dim::Points => "分",
                Dim::Days => "天",
                _ => "",
            };
            // A percentage of any size is shown: the point is moved, not the value multiplied.
            let shown = if dim == Dim::Percent {
                duibiao_compiler::value::percent_text(n, Some(2))
            } else {
                n.normalize().to_string()
            };
            format!("{shown}{suffix}")
        }
    })
}

fn dec(n: Decimal) -> String {
    n.normalize().to_string()
}

fn num(v: Value) -> Option<String> {
    v.as_num().map(dec)
}

/// Evaluates the outcome of every unit.
pub fn outcome(
    graph: &Graph,
    fingerprint: &str,
    tree: &UnitTree,
    eval: &Evaluation,
    ctx: &crate::eval::Context,
    detail: bool,
) -> Outcome {
    let as_of = ctx.date;
    Outcome {
        standard: graph.info.slug.clone(),
        fingerprint: fingerprint.to_string(),
        as_of: as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        unresolved_params: ctx.unresolved.clone(),
        units: (0..tree.units.len())
            .map(|u| unit_outcome(graph, tree, eval, u, detail))
            .collect(),
    }
}

/// The outcome of one unit; with `detail`, aggregates list the ids of the sub-units they counted.
pub fn unit_outcome(
    graph: &Graph,
    tree: &UnitTree,
    eval: &Evaluation,
    u: usize,
    detail: bool,
) -> UnitOutcome {
    let unit = &tree.units[u];
    let kg = &graph.kinds[unit.kind as usize];
    let vals = eval.unit(tree, u);
    let val = |n: NodeId| vals.get(n);
    // What the summary says (id, score, tiers, missing inputs) is computed once, there.
    let summary = unit_summary(graph, tree, eval, u);
    let items = match &kg.scorecard {
        None => Vec::new(),
        Some(card) => card
            .items
            .iter()
            .map(|it| ItemOutcome {
                number: it.number,
                title: it.title.clone(),
                max: dec(it.max),
                points: num(val(it.node)),
                parts: it
                    .parts
                    .iter()
                    .map(|p| PartOutcome {
                        key: p.key.clone(),
                        max: dec(p.points),
                        points: num(unit.inputs.get(p.input).copied().unwrap_or_default()),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut conditions = IndexMap::new();
    for t in &kg.tiers {
        conditions.insert(
            t.name.clone(),
            t.conditions
                .iter()
                .map(|c| condition(graph, kg, tree, eval, u, c, detail))
                .collect(),
        );
    }
    let vetoes = kg
        .vetoes
        .iter()
        .map(|v| VetoOutcome {
            name: v.name.clone(),
            fired: val(v.node).as_bool(),
            blocks: v
                .blocks
                .iter()
                .filter_map(|b| kg.tiers.get(*b).map(|t| t.name.clone()))
                .collect(),
            clause: v.source.cite.as_ref().map(|c| c.clause.clone()),
        })
        .collect();
    let requirements = kg
        .groups
        .iter()
        .map(|g| GroupOutcome {
            name: g.name.clone(),
            verdict: Verdict::of(val(g.node)),
            requirements: g
                .requirements
                .iter()
                .map(|c| condition(graph, kg, tree, eval, u, c, detail))
                .collect(),
        })
        .collect();
    let derived = kg
        .derived
        .iter()
        .map(|d| (d.name.clone(), show(graph, val(d.node), d.ty, Lang::En)))
        .collect();
    let consequences = kg
        .consequences
        .iter()
        .map(|c| {
            let applies = Verdict::of(val(c.when));
            let amount = match applies {
                Verdict::Pass => val(c.amount).as_num(),
                _ => None,
            };
            let money = Type::Num(Dim::Money);
            ConsequenceOutcome {
                name: c.name.clone(),
                applies,
                amount: amount.and_then(|a| show(graph, Value::Num(a), money, Lang::En)),
                split: c
                    .split
                    .iter()
                    .map(|(who, share)| {
                        // A share above 100% of a large amount may be more than a number holds:
                        // then the part is shown as the product.
                        let part = amount.map(|a| match a.checked_mul(*share) {
                            Some(p) => show(graph, Value::Num(p.normalize()), money, Lang::En),
                            None => Some(format!(
                                "{}元 × {}%",
                                a.normalize(),
                                duibiao_compiler::value::percent_text(*share, None)
                            )),
                        });
                        (who.clone(), part.flatten())
                    })
                    .collect(),
                clause: c.source.cite.as_ref().map(|x| x.clause.clone()),
            }
        })
        .collect();
    UnitOutcome {
        id: summary.id,
        name: summary.name,
        kind: summary.kind,
        parent: summary.parent,
        score: summary.score,
        score_total: summary.score_total,
        tier: summary.tier,
        tiers: summary.tiers,
        items,
        conditions,
        vetoes,
        requirements,
        derived,
        consequences,
        missing: summary.missing,
    }
}

/// The two sides of a comparison, shown with their units.
pub struct Comparison {
    /// The value compared (left side).
    pub actual: Option<String>,
    /// The operator.
    pub op: Option<&'static str>,
    /// The value compared against (right side).
    pub threshold: Option<String>,
}

/// The sides of `node` when it is a comparison (all `None` otherwise).
pub fn comparison(
    graph: &Graph,
    kg: &KindGraph,
    val: impl Fn(NodeId) -> Value,
    node: NodeId,
) -> Comparison {
    let ty = |n: NodeId| kg.types.get(n as usize).copied().unwrap_or(Type::Bool);
    match kg.nodes.get(node as usize) {
        Some(Node::Compare(o, a, b)) => {
            // A bare number shows in the unit of what it is compared with (`75` → `75分`).
            let (ta, tb) = match (ty(*a), ty(*b)) {
                (t, Type::Num(Dim::Bare)) => (t, t),
                (Type::Num(Dim::Bare), t) => (t, t),
                // A ratio compared with a percentage shows as one too.
                (Type::Num(Dim::Number), p @ Type::Num(Dim::Percent))
                | (p @ Type::Num(Dim::Percent), Type::Num(Dim::Number)) => (p, p),
                other => other,
            };
            Comparison {
                actual: show(graph, val(*a), ta, Lang::En),
                op: Some(o.symbol()),
                threshold: show(graph, val(*b), tb, Lang::En),
            }
        }
        _ => Comparison {
            actual: None,
            op: None,
            threshold: None,
        },
    }
}

fn condition(
    graph: &Graph,
    kg: &KindGraph,
    tree: &UnitTree,
    eval: &Evaluation,
    u: usize,
    c: &Condition,
    detail: bool,
) -> ConditionOutcome {
    let vals = eval.unit(tree, u);
    let val = |n: NodeId| vals.get(n);
    let ty = |n: NodeId| kg.types.get(n as usize).copied().unwrap_or(Type::Bool);
    // A requirement that applies only `when` something holds is `not premise or body`: show the
    // body's numbers.
    let shown = match (c.applies, kg.nodes.get(c.node as usize)) {
        (Some(_), Some(Node::Or(xs))) => xs.last().copied().unwrap_or(c.node),
        _ => c.node,
    };
    let Comparison {
        mut actual,
        op,
        threshold,
    } = comparison(graph, kg, val, shown);
    let mut agg_node = None;
    match kg.nodes.get(shown as usize) {
        Some(Node::Compare(_, a, b)) => {
            for side in [*a, *b] {
                if matches!(kg.nodes.get(side as usize), Some(Node::Aggregate(_))) {
                    agg_node = Some(side);
                }
            }
        }
        Some(Node::Aggregate(_)) => agg_node = Some(c.node),
        Some(Node::Not(x)) if matches!(c.kind, ConditionKind::Veto(_)) => {
            actual = show(graph, val(*x), ty(*x), Lang::En);
        }
        _ => {}
    }
    let members = agg_node.and_then(|n| match kg.nodes.get(n as usize) {
        Some(Node::Aggregate(agg)) => {
            let mut m = Members {
                op: Cow::Borrowed(match agg.op {
                    AggOp::All => "all",
                    AggOp::Any => "any",
                    AggOp::Count => "count",
                    AggOp::Share => "share",
                    AggOp::Sum => "sum",
                }),
                total: 0,
                matched: 0,
                unknown: 0,
                matched_ids: Vec::new(),
                unmatched_ids: Vec::new(),
                unknown_ids: Vec::new(),
            };
            for (sub, t) in members(agg, Some(u), tree) {
                m.total += 1;
                let id = || tree.units[sub].id.clone();
                match matches(agg, t, sub, tree, eval) {
                    Value::Bool(true) => {
                        m.matched += 1;
                        if detail {
                            m.matched_ids.push(id());
                        }
                    }
                    Value::Bool(false) => {
                        if detail {
                            m.unmatched_ids.push(id());
                        }
                    }
                    _ => {
                        m.unknown += 1;
                        if detail {
                            m.unknown_ids.push(id());
                        }
                    }
                }
            }
            Some(m)
        }
        _ => None,
    });
    let unit = &tree.units[u];
    let verdict = Verdict::of(val(c.node));
    ConditionOutcome {
        label: c.label.clone(),
        kind: Cow::Borrowed(match c.kind {
            ConditionKind::Rule => "rule",
            ConditionKind::Prerequisite(_) => "prerequisite",
            ConditionKind::Veto(_) => "veto",
        }),
        expr: c.expr.clone(),
        verdict,
        actual,
        op: op.map(Cow::Borrowed),
        threshold,
        members,
        text: c.source.doc.clone(),
        clause: c.source.cite.as_ref().map(|x| x.clause.clone()),
        clause_text: c.source.cite.as_ref().and_then(|x| x.text.clone()),
        applies: c.applies.map(|a| Verdict::of(val(a))),
        // Missing inputs matter only where they leave the verdict open.
        missing: c
            .inputs
            .iter()
            .filter(|_| verdict == Verdict::Unknown)
            .filter(|&&i| unit.inputs.get(i).is_none_or(|v| v.is_unknown()))
            .filter_map(|&i| kg.inputs.get(i).map(|x| x.key.clone()))
            .collect(),
    }
}

/// `matched / total` as a percentage with two decimals, as explanations show it.
pub fn percent(matched: usize, total: usize) -> String {
    if total == 0 {
        return String::new();
    }
    let p = Decimal::from(matched as u64) * Decimal::ONE_HUNDRED / Decimal::from(total as u64);
    format!("{}%", p.round_dp(2).normalize())
}

/// A unit's outcome in short: what `eval` reports per unit, without the conditions (which
/// `explain` gives). Cheap enough to build for millions of units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct UnitSummary {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its kind.
    pub kind: String,
    /// Its parent's id.
    pub parent: Option<String>,
    /// Total score, or null when unknown (or the kind is not scored).
    pub score: Option<String>,
    /// The scorecard's declared total.
    pub score_total: Option<String>,
    /// The highest tier passed, or null.
    pub tier: Option<String>,
    /// Each tier's verdict, lowest first.
    pub tiers: IndexMap<String, Verdict>,
    /// Vetoes that fired (true) or may have (null).
    pub vetoes: IndexMap<String, Option<bool>>,
    /// Inputs the unit did not report.
    pub missing: Vec<String>,
}

/// The summary of unit `u`.
pub fn unit_summary(graph: &Graph, tree: &UnitTree, eval: &Evaluation, u: usize) -> UnitSummary {
    let unit = &tree.units[u];
    let kg = &graph.kinds[unit.kind as usize];
    let vals = eval.unit(tree, u);
    let val = |n: NodeId| vals.get(n);
    let mut tiers = IndexMap::new();
    let mut reached = None;
    for t in &kg.tiers {
        let v = Verdict::of(val(t.node));
        if v == Verdict::Pass {
            reached = Some(t.name.clone());
        }
        tiers.insert(t.name.clone(), v);
    }
    UnitSummary {
        id: unit.id.clone(),
        name: unit.name.clone(),
        kind: kg.name.clone(),
        parent: unit.parent.map(|p| tree.units[p].id.clone()),
        score: kg.scorecard.as_ref().and_then(|c| num(val(c.node))),
        score_total: kg.scorecard.as_ref().map(|c| dec(c.total)),
        tier: reached,
        tiers,
        vetoes: kg
            .vetoes
            .iter()
            .filter(|v| val(v.node) != Value::Bool(false))
            .map(|v| (v.name.clone(), val(v.node).as_bool()))
            .collect(),
        missing: kg
            .inputs
            .iter()
            .zip(&unit.inputs)
            .filter(|(_, v)| v.is_unknown())
            .map(|(i, _)| i.key.clone())
            .collect(),
    }
}
