//! Building outcomes from an evaluation: every unit's breakdown per item and part, its tiers'
//! conditions with the sub-units they counted, its vetoes and consequences, and its summary.

use super::{
    dec, num, show, ConditionOutcome, ConsequenceOutcome, GroupOutcome, ItemOutcome, Members,
    Outcome, PartOutcome, UnitOutcome, UnitSummary, Verdict, VetoOutcome,
};
use crate::eval::{matches, members, Evaluation};
use crate::tree::{Unit, UnitTree};
use duibiao_compiler::graph::{Condition, ConditionKind, Graph, KindGraph, Node, NodeId};
use duibiao_compiler::{Dim, Lang, Type, Value};
use duibiao_syntax::ast::AggOp;
use indexmap::IndexMap;
use std::borrow::Cow;

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
        // Records are read by their owners' aggregates, never reported on their own.
        units: (0..tree.units.len())
            .filter(|&u| !is_record(graph, tree, u))
            .map(|u| unit_outcome(graph, tree, eval, u, detail))
            .collect(),
        guides: crate::guides::guides(graph, tree, eval),
    }
}

/// The aggregate a compared side is, or with `sums` a sum it adds to a value (`100分 + 合计
/// 积分记录 … 的 (分值)`): the sub-units it counted are listed.
fn compared_aggregate(kg: &KindGraph, side: NodeId, sums: bool) -> Option<NodeId> {
    let is_sum = |n: NodeId| matches!(kg.nodes.get(n as usize), Some(Node::Aggregate(a)) if a.op == AggOp::Sum);
    match kg.nodes.get(side as usize)? {
        Node::Aggregate(_) => Some(side),
        Node::Arith(_, a, b) if sums => match (is_sum(*a), is_sum(*b)) {
            (true, false) => Some(*a),
            (false, true) => Some(*b),
            _ => None,
        },
        _ => None,
    }
}

/// Whether unit `u` is a record (积分记录 `A#1`), which outcomes leave out.
pub fn is_record(graph: &Graph, tree: &UnitTree, u: usize) -> bool {
    tree.units.get(u).is_some_and(|x| is_record_unit(graph, x))
}

/// Whether `unit` is a record (积分记录 `A#1`), which outcomes leave out.
pub fn is_record_unit(graph: &Graph, unit: &Unit) -> bool {
    graph
        .kinds
        .get(unit.kind as usize)
        .is_some_and(KindGraph::is_record)
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
                        points: num(unit.inputs.get(p.input).unwrap_or_default()),
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
        rated: summary.rated,
        formula: summary.formula,
        items,
        conditions,
        vetoes,
        requirements,
        derived,
        consequences,
        missing: summary.missing,
        record: super::records::record_fields(graph, tree, u),
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
    match kg.nodes.get(node as usize) {
        Some(Node::Compare(o, a, b)) => {
            let (ta, tb) = shown_types(kg, *a, *b);
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

/// The types the two sides of a comparison of `a` with `b` are shown in: a bare number in the
/// unit of what it is compared with (`75` → `75分`), a ratio compared with a percentage as one.
fn shown_types(kg: &KindGraph, a: NodeId, b: NodeId) -> (Type, Type) {
    let ty = |n: NodeId| kg.types.get(n as usize).copied().unwrap_or(Type::Bool);
    match (ty(a), ty(b)) {
        (t, Type::Num(Dim::Bare)) => (t, t),
        (Type::Num(Dim::Bare), t) => (t, t),
        (Type::Num(Dim::Number), p @ Type::Num(Dim::Percent))
        | (p @ Type::Num(Dim::Percent), Type::Num(Dim::Number)) => (p, p),
        other => other,
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
            // A sum added to a value is listed for the conditions written in the rule (a
            // prerequisite's node may be the same comparison).
            let sums = matches!(c.kind, ConditionKind::Rule);
            for side in [*a, *b] {
                if let Some(agg) = compared_aggregate(kg, side, sums) {
                    agg_node = Some(agg);
                }
            }
        }
        Some(Node::Aggregate(_)) => agg_node = Some(c.node),
        Some(Node::Not(x))
            if matches!(c.kind, ConditionKind::Veto(_) | ConditionKind::Unrated(_)) =>
        {
            actual = show(graph, val(*x), ty(*x), Lang::En);
        }
        _ => {}
    }
    let (actual, op, threshold) = match c.kind {
        // The highest tier the cap allows.
        ConditionKind::Cap(i) => {
            let level = kg.caps.get(i).map(|cap| cap.level);
            let shown = level.and_then(|n| show(graph, val(n), ty(n), Lang::En));
            (None, Some("<="), shown)
        }
        ConditionKind::Limit(i) | ConditionKind::Floor(i) => {
            let count = Type::Num(Dim::Count);
            let limit = kg.limits.get(i);
            let at = |n: Option<NodeId>| n.and_then(|n| show(graph, val(n), count, Lang::En));
            match limit.and_then(|l| l.floor) {
                Some(f) => (at(limit.map(|l| l.rank)), Some(">"), at(Some(f.moved))),
                None => (
                    at(limit.map(|l| l.rank)),
                    Some("<="),
                    at(limit.map(|l| l.places)),
                ),
            }
        }
        _ => (actual, op, threshold),
    };
    let limit = match c.kind {
        ConditionKind::Limit(i) | ConditionKind::Floor(i) => kg
            .limits
            .get(i)
            .map(|l| super::place::detail(graph, (tree, eval), (u, kg), l)),
        _ => None,
    };
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
                records: IndexMap::new(),
            };
            for (sub, t) in members(agg, Some(u), tree) {
                m.total += 1;
                let id = || tree.units[sub].id.to_string();
                if detail {
                    if let Some(r) = super::records::record_fields(graph, tree, sub) {
                        m.records.insert(id(), r);
                    }
                }
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
    // A value compared that is unknown, yet known to lie in a range that decides the verdict.
    let bounds = match kg.nodes.get(shown as usize) {
        Some(Node::Compare(_, a, b))
            if verdict != Verdict::Unknown && members.as_ref().is_none_or(|m| m.op == "sum") =>
        {
            let (ta, _) = shown_types(kg, *a, *b);
            super::bounds::bounds(graph, (tree, eval), (u, kg), *a, ta)
        }
        _ => None,
    };
    ConditionOutcome {
        label: c.label.clone(),
        kind: Cow::Borrowed(match c.kind {
            ConditionKind::Rule => "rule",
            ConditionKind::Prerequisite(_) => "prerequisite",
            ConditionKind::Veto(_) => "veto",
            ConditionKind::Unrated(_) => "unrated",
            ConditionKind::Cap(_) => "cap",
            ConditionKind::Limit(_) => "limit",
            ConditionKind::Floor(_) => "floor",
        }),
        expr: c.expr.clone(),
        verdict,
        actual,
        bounds,
        op: op.map(Cow::Borrowed),
        threshold,
        members,
        text: c.source.doc.clone(),
        clause: c.source.cite.as_ref().map(|x| x.clause.clone()),
        clause_text: c.source.cite.as_ref().and_then(|x| x.text.clone()),
        applies: c.applies.map(|a| Verdict::of(val(a))),
        limit,
        reads: match c.kind {
            ConditionKind::Cap(_) => c
                .inputs
                .iter()
                .filter_map(|&i| {
                    let input = kg.inputs.get(i)?;
                    let v = unit.inputs.get(i).unwrap_or(Value::Unknown);
                    Some((input.key.clone(), show(graph, v, input.ty, Lang::En)))
                })
                .collect(),
            _ => IndexMap::new(),
        },
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

/// Whether a unit of kind `kg`, whose values `val` gives, is rated: none of the kind's reasons
/// not to rate holds (true for a kind without any).
pub(crate) fn rated(kg: &KindGraph, val: impl Fn(NodeId) -> Value) -> Value {
    match crate::eval::or(kg.unrated.iter().map(|r| val(r.node))) {
        Value::Bool(b) => Value::Bool(!b),
        other => other,
    }
}

/// The summary of unit `u`.
pub fn unit_summary(graph: &Graph, tree: &UnitTree, eval: &Evaluation, u: usize) -> UnitSummary {
    let kg = &graph.kinds[tree.units[u].kind as usize];
    super::summary::SummaryView::of(kg, tree, eval, u).to_summary()
}
