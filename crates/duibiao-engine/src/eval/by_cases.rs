//! A verdict that the three-valued operators leave open because one missing fact is read twice:
//! a cap that applies `when 上年星级 >= 四星` and caps at `上年星级` puts
//! `not (上年星级 >= 四星) or 一星 <= 上年星级` on 一星, where each reading alone is unknown, yet
//! the whole holds for every star last year could have been. For a connective left unknown, the
//! unit's missing facts with few values (a level of an enumeration or a tier, a yes or no) that
//! it reads are tried one value at a time: when every value gives the same verdict, that is the
//! verdict (issue 16: unknown only when the answer depends on the missing value).
//!
//! Each trial recomputes only the operators between the connective and the facts tried, from
//! the operands' values: a value already known, or any node beyond those operators (an
//! aggregate, a rank), is taken as computed, which holds whatever the missing facts are. So a
//! verdict found is the one the unit gets for each value the facts could take.

use super::ops::{and, arith, call, choose, compare, get, or, shift};
use duibiao_compiler::graph::{Graph, KindGraph, Node, NodeId};
use duibiao_compiler::{Type, Value};

/// At most this many missing facts are tried together.
const MOST_FACTS: usize = 2;

/// At most this many combinations of their values are tried (a tier scale has at most a few
/// levels, a bool two).
const MOST_TRIALS: usize = 64;

/// The verdict of node `n` of `kind` for the unit whose values are `row`, decided by trying
/// every value of the missing facts with few values it reads, when every value gives the same
/// known verdict; unknown otherwise.
pub(super) fn decide(graph: &Graph, kind: &KindGraph, n: NodeId, row: &[Value]) -> Value {
    let (needed, facts) = reach(kind, n, row);
    if facts.is_empty() || facts.len() > MOST_FACTS {
        return Value::Unknown;
    }
    let domains: Vec<Vec<Value>> = facts.iter().map(|&f| domain(graph, kind, f)).collect();
    let trials = domains
        .iter()
        .try_fold(1usize, |acc, d| acc.checked_mul(d.len()));
    if domains.iter().any(Vec::is_empty) || trials.is_none_or(|t| t > MOST_TRIALS) {
        return Value::Unknown;
    }
    let mut verdict = None;
    let mut trial = row.to_vec();
    for values in combinations(&domains) {
        for (&f, &v) in facts.iter().zip(&values) {
            if let Some(slot) = trial.get_mut(f as usize) {
                *slot = v;
            }
        }
        for &x in &needed {
            let v = recompute(kind, x, &trial);
            if let Some(slot) = trial.get_mut(x as usize) {
                *slot = v;
            }
        }
        let v = get(&trial, n);
        match verdict {
            _ if v.is_unknown() => return Value::Unknown,
            None => verdict = Some(v),
            Some(w) if w != v => return Value::Unknown,
            Some(_) => {}
        }
    }
    verdict.unwrap_or(Value::Unknown)
}

/// The operators between node `n` and the missing facts it reads (ascending, so that each comes
/// after its operands), and those facts: from `n` down through unknown values of operators this
/// module recomputes, to the unknown inputs with few values.
fn reach(kind: &KindGraph, n: NodeId, row: &[Value]) -> (Vec<NodeId>, Vec<NodeId>) {
    let mut seen = vec![false; n as usize + 1];
    let (mut needed, mut facts) = (Vec::new(), Vec::new());
    let mut stack = vec![n];
    while let Some(x) = stack.pop() {
        let Some(s) = seen.get_mut(x as usize) else {
            continue;
        };
        if *s || !get(row, x).is_unknown() {
            continue;
        }
        *s = true;
        let Some(node) = kind.nodes.get(x as usize) else {
            continue;
        };
        if matches!(node, Node::Input(_)) {
            if matches!(kind.types.get(x as usize), Some(Type::Bool | Type::Enum(_))) {
                facts.push(x);
            }
            continue;
        }
        let operands = operands(node);
        if operands.is_empty() {
            continue; // beyond the operators: taken as computed
        }
        needed.push(x);
        stack.extend(operands);
    }
    needed.sort_unstable();
    facts.sort_unstable();
    (needed, facts)
}

/// The operands of an operator this module recomputes; none for any other node. A scorecard's
/// sum is not among them: it adds points, which are never a fact with few values.
fn operands(node: &Node) -> Vec<NodeId> {
    match node {
        Node::Neg(a) | Node::Not(a) => vec![*a],
        Node::Arith(_, a, b) | Node::Compare(_, a, b) | Node::Shift(a, b, _) => vec![*a, *b],
        Node::If(c, a, b) => vec![*c, *a, *b],
        Node::And(xs) | Node::Or(xs) | Node::Call(_, xs) => xs.clone(),
        _ => Vec::new(),
    }
}

/// Node `x` from its operands' values in `row` (an operator [`operands`] lists).
fn recompute(kind: &KindGraph, x: NodeId, row: &[Value]) -> Value {
    let at = |a: &NodeId| get(row, *a);
    match kind.nodes.get(x as usize) {
        Some(Node::Neg(a)) => match at(a) {
            Value::Num(v) => Value::Num(-v),
            _ => Value::Unknown,
        },
        Some(Node::Not(a)) => match at(a) {
            Value::Bool(b) => Value::Bool(!b),
            _ => Value::Unknown,
        },
        Some(Node::Arith(op, a, b)) => arith(*op, at(a), at(b)),
        Some(Node::Compare(op, a, b)) => compare(*op, at(a), at(b)),
        Some(Node::Shift(a, by, top)) => shift(at(a), at(by), *top),
        Some(Node::If(c, a, b)) => choose(at(c), at(a), at(b)),
        Some(Node::And(xs)) => and(xs.iter().map(at)),
        Some(Node::Or(xs)) => or(xs.iter().map(at)),
        Some(Node::Call(f, xs)) => call(*f, xs.iter().map(at)),
        _ => get(row, x),
    }
}

/// Every value input node `f` of `kind` can take: both truth values, or every level.
fn domain(graph: &Graph, kind: &KindGraph, f: NodeId) -> Vec<Value> {
    match kind.types.get(f as usize) {
        Some(Type::Bool) => vec![Value::Bool(false), Value::Bool(true)],
        Some(Type::Enum(e)) => {
            let levels = graph.enums.get(*e as usize).map_or(0, |d| d.variants.len());
            (0..levels as u32).map(Value::Enum).collect()
        }
        _ => Vec::new(),
    }
}

/// Every combination of one value from each domain, the first domain varying slowest.
fn combinations(domains: &[Vec<Value>]) -> Vec<Vec<Value>> {
    domains.iter().fold(vec![Vec::new()], |acc, d| {
        acc.iter()
            .flat_map(|prefix| {
                d.iter().map(move |&v| {
                    let mut next = prefix.clone();
                    next.push(v);
                    next
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_take_one_value_of_each_domain() {
        let (t, f) = (Value::Bool(true), Value::Bool(false));
        let d = [
            vec![f, t],
            vec![Value::Enum(0), Value::Enum(1), Value::Enum(2)],
        ];
        let all = combinations(&d);
        assert_eq!(all.len(), 6);
        assert_eq!(all[0], [f, Value::Enum(0)]);
        assert_eq!(all[5], [t, Value::Enum(2)]);
        assert_eq!(combinations(&[]), [Vec::<Value>::new()]);
    }

    /// A connective is decided by cases over at most two missing facts and at most 64
    /// combinations of their values: each tier below holds whatever its facts are, and is
    /// decided unless it reads three facts together or two of nine levels each (81 cases).
    #[test]
    fn cases_are_tried_for_two_facts_and_64_combinations_at_most() {
        let src = r#"
standard cases-test { title "cases" }
kind 村
facts 村 {
  甲: bool
  乙: bool
  丙: bool
  等: enum(一, 二, 三, 四, 五, 六, 七, 八, 九)
  级: enum(一, 二, 三, 四, 五, 六, 七, 八, 九)
  档: enum(一, 二, 三, 四, 五, 六, 七, 八)
  次: enum(一, 二, 三, 四, 五, 六, 七, 八)
}
tiers 村 {
  两事 "两个" {
    两个: (甲 and 乙) or not 甲 or not 乙
  }
  三事 "三个" {
    三个: (甲 and 乙 and 丙) or not 甲 or not 乙 or not 丙
  }
  六十四 "六十四种" {
    六十四种: (档 >= 二 and 次 >= 二) or 档 < 二 or 次 < 二
  }
  八十一 "八十一种" {
    八十一种: (等 >= 二 and 级 >= 二) or 等 < 二 or 级 < 二
  }
}"#;
        assert_eq!(
            verdicts_of_a_unit_without_facts(src),
            ["两事 Pass", "三事 Unknown", "六十四 Pass", "八十一 Unknown"]
        );
    }

    /// Each tier's verdict for one unit of the first kind of `src` that reports no facts.
    fn verdicts_of_a_unit_without_facts(src: &str) -> Vec<String> {
        let graph = crate::testing::compiled(src);
        let facts = crate::testing::loaded(&graph, r#"{"units": [{"id": "C1", "kind": "村"}]}"#);
        let ctx = crate::eval::Context::new(&graph, &facts.params, facts.as_of).unwrap();
        let eval = crate::eval::evaluate(&graph, &facts.tree, &ctx);
        let view = crate::outcome::SummaryView::new(&graph, &facts.tree, &eval, 0).unwrap();
        view.tiers().map(|(t, v)| format!("{t} {v:?}")).collect()
    }

    /// The operators between a connective and the facts it reads (`if`, sums and differences,
    /// a negation, a function) are recomputed for each case: each condition below holds
    /// whatever 甲 is, though no range shows it.
    #[test]
    fn the_operators_between_a_connective_and_its_facts_are_recomputed() {
        let src = r#"
standard ops-test { title "ops" }
kind 村
facts 村 {
  甲: bool
  丙: bool
}
tiers 村 {
  若 "若" {
    若: ((if 甲 then 1 else 2) + (if 甲 then 1 else 0) >= 2) or 丙
  }
  负 "负" {
    负: (-(if 甲 then 1 else 2) - (if 甲 then 1 else 0) <= -2) or 丙
  }
  函 "函" {
    函: (max(if 甲 then 1 else 2, if 甲 then 2 else 0) >= 2) or 丙
  }
}"#;
        assert_eq!(
            verdicts_of_a_unit_without_facts(src),
            ["若 Pass", "负 Pass", "函 Pass"]
        );
    }
}
