//! Gap plans (问题清单 / 提升清单): what stands between a unit and a tier, and a set of changes to
//! facts and scores that gets it there.
//!
//! The plan is built by repair: evaluate, take the first condition of the target tier that does
//! not hold, find changes that make it hold, apply them, evaluate again. A condition is made to
//! hold by
//! - raising (or lowering) points: the points needed go to the parts with the most headroom first
//!   (ties in the scorecard's order), each part raised no further than needed;
//! - lifting sub-units, fewest changes first (ties in the facts' order), each by its own plan;
//! - setting a boolean fact (clearing a veto, supplying an unreported fact);
//! - setting a reported number to the threshold.
//!
//! Afterwards every points change that is not needed is dropped, so no single points change can be
//! removed without missing the target. Every plan is checked by evaluating it before it is
//! returned: a plan that does not reach the target is reported as unreachable, never as a plan.
//!
//! A plan costs what the unit's subtree costs, not the forest: the planner works on the unit's
//! subtree alone ([`crate::incremental::subtree`]), evaluated once, and after each change
//! evaluates again only the changed units and their ancestors up to the unit being planned (the
//! sub-unit a lift tries, or the unit itself); trying a sub-unit's lift is undone change by
//! change. When the last points changes are checked one by one, the unit's value is known from
//! how many of its sub-units each of its aggregates counts (as met, unknown or not), so the unit
//! itself — which may have many thousands of sub-units — is evaluated again only when what it
//! reads of those counts is new (see `Top`). Where units are ranked among peers (which a change
//! anywhere can move), the whole forest is evaluated again after every change instead.

mod adjust;
mod lift;
mod plan;
mod top;
mod work;

use crate::change::{describe, Change};
use crate::eval::{evaluate, Context};
use crate::incremental::subtree;
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Graph, NodeId};
use duibiao_compiler::Value;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use work::Work;

/// Why a target cannot be reached, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Reason {
    /// `impossible`: the rules cannot be met with these units; `not_planned`: a condition the
    /// planner does not solve (a formula, a rank), which changes by hand may still meet.
    pub kind: ReasonKind,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// Whether a target is out of reach, or only out of the planner's reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// The rules cannot be met with these units.
    Impossible,
    /// The planner does not solve this kind of condition.
    NotPlanned,
}

impl Reason {
    fn new(zh: String, en: String) -> Self {
        Reason {
            kind: ReasonKind::Impossible,
            zh,
            en,
        }
    }

    fn not_planned(zh: String, en: String) -> Self {
        Reason {
            kind: ReasonKind::NotPlanned,
            zh,
            en,
        }
    }
}

/// A plan: the changes that make `unit` reach `target`, or why it cannot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Plan {
    /// Whether the changes reach the target.
    pub reachable: bool,
    /// The changes (提升清单), in the order they were found.
    pub changes: Vec<Change>,
    /// Why the target cannot be reached, when it cannot.
    pub reasons: Vec<Reason>,
}

/// One assignment: unit index, input slot, new value.
type Step = (usize, usize, Value);

/// Most repair rounds for one plan.
const MAX_ROUNDS: usize = 200;

struct Planner<'g> {
    graph: &'g Graph,
}

/// Plans the changes that make boolean node `node` of unit `u` hold.
pub fn plan(graph: &Graph, ctx: &Context, tree: &UnitTree, u: usize, node: NodeId) -> Plan {
    match subtree(graph, tree, u) {
        Some((sub, su)) => plan_in(graph, ctx, sub.into_owned(), su, node, Mode::Incremental),
        None => plan_in(graph, ctx, tree.clone(), u, node, Mode::Full),
    }
}

/// How the planner's forest is evaluated again after a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The changed units and their ancestors, up to the unit being planned.
    Incremental,
    /// The whole forest (units ranked among peers: a change can move any of them).
    Full,
}

/// [`plan`] on `tree` (the forest, or the unit's subtree), evaluated again after each change as
/// `mode` says.
fn plan_in(
    graph: &Graph,
    ctx: &Context,
    tree: UnitTree,
    u: usize,
    node: NodeId,
    mode: Mode,
) -> Plan {
    let planner = Planner { graph };
    let mut work = Work::new(graph, ctx, tree, mode);
    if let Err(reasons) = planner.reach(&mut work, u, node) {
        return Plan {
            reachable: false,
            changes: Vec::new(),
            reasons,
        };
    }
    planner.minimise(&mut work, u, node);
    // Every input that differs from the facts', in unit and slot order.
    let changes: Vec<Change> = work
        .changes_since(0)
        .into_iter()
        .filter_map(|(i, slot, old, new)| describe(graph, &work.tree, i, slot, old, new))
        .collect();
    // Check the plan as a whole before handing it out (one evaluation held at a time).
    let Work { tree, eval, .. } = work;
    drop(eval);
    if evaluate(graph, &tree, ctx).value(&tree, u, node) == Value::Bool(true) {
        Plan {
            reachable: true,
            changes,
            reasons: Vec::new(),
        }
    } else {
        Plan {
            reachable: false,
            changes: Vec::new(),
            reasons: vec![Reason::new(
                "没有找到能达到目标的改动".into(),
                "no set of changes reaching the target was found".into(),
            )],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::top::compared_value;
    use super::*;
    use crate::eval::{matches, members};
    use crate::facts::Facts;
    use crate::tally::Tally;
    use crate::tree::Unit;
    use duibiao_compiler::graph::{InputOrigin, Node, ParamValue};
    use duibiao_compiler::{Dim, Type};
    use rust_decimal::Decimal;
    use std::collections::HashSet;

    /// The standards with demo facts, compiled, with their demo facts.
    fn standards() -> Vec<(&'static str, Graph, crate::facts::Facts)> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../standards");
        let mut all: Vec<_> = [
            "haiyan-2021",
            "chunjiang-365",
            "jiaxing-2016",
            "zhuji-2018",
            "quality-2020",
        ]
        .into_iter()
        .map(|name| {
            let src = std::fs::read_to_string(format!("{root}/{name}.std")).unwrap();
            let demo = std::fs::read_to_string(format!("{root}/{name}/demo.json")).unwrap();
            compiled(name, &src, &demo)
        })
        .collect();
        all.push(compiled("direct", DIRECT, DIRECT_DEMO));
        all
    }

    fn compiled(name: &'static str, src: &str, demo: &str) -> (&'static str, Graph, Facts) {
        let graph = duibiao_compiler::compile(src).graph.unwrap();
        let (facts, errors) = crate::facts::load(&graph, demo, &Default::default());
        assert!(errors.is_empty(), "{name}: {errors:?}");
        (name, graph, facts)
    }

    /// Aggregates over direct children only (`direct`) where the same kind is also found deeper
    /// (a 小区 under its 街道 and under the 街道's 社区), which none of the five standards has:
    /// the planner must count, change and check exactly the direct ones.
    const DIRECT: &str = "standard direct-test { title \"直属\" }
kind 街道 contains 社区, 小区
kind 社区 contains 小区
kind 小区
scorecard 小区 total 10 {
  item 1 \"综合\" max 10分
}
tiers 小区 {
  达标 {
    分数够: score >= 6
  }
  优秀 requires 达标 {
    分数高: score >= 9
  }
}
tiers 社区 {
  达标 {
    小区过半: share 小区 at 达标 >= 50%
  }
}
tiers 街道 {
  达标 {
    直属小区: count direct 小区 at 达标 >= 2
    社区过半: share 社区 at 达标 >= 50%
  }
  优秀 requires 达标 {
    直属优秀: share direct 小区 at 优秀 > 50%
    全部小区: count 小区 at 达标 >= 4
  }
}
";

    const DIRECT_DEMO: &str = r#"{"units": [
        {"id": "JD", "kind": "街道"},
        {"id": "SQ1", "kind": "社区", "parent": "JD"},
        {"id": "X1", "kind": "小区", "parent": "JD", "scores": {"1": 5}},
        {"id": "X2", "kind": "小区", "parent": "JD", "scores": {"1": 3}},
        {"id": "X3", "kind": "小区", "parent": "SQ1", "scores": {"1": 8}},
        {"id": "X4", "kind": "小区", "parent": "SQ1", "scores": {"1": 2}}
    ]}"#;

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    /// A random value of an input: points in halves up to the maximum, near the unit's quality
    /// (a share of the maximum, in percent); facts of every type; some missing.
    fn value(
        graph: &Graph,
        rng: &mut Rng,
        input: &duibiao_compiler::graph::Input,
        quality: u64,
        missing: u64,
    ) -> Value {
        if rng.chance(missing) {
            return Value::Unknown;
        }
        match (&input.origin, input.ty) {
            (InputOrigin::Points { max }, _) => {
                let halves = (max * Decimal::TWO).to_string().parse::<u64>().unwrap_or(0);
                let percent = (quality + rng.below(21)).saturating_sub(10).min(100);
                Value::Num(Decimal::from(halves * percent / 100) / Decimal::TWO)
            }
            (_, Type::Bool) => Value::Bool(rng.chance(quality)),
            (_, Type::Num(Dim::Percent)) => Value::Num(Decimal::new(rng.below(101) as i64, 2)),
            (_, Type::Num(Dim::Money)) => Value::Num(Decimal::from(rng.below(400) * 1000)),
            (_, Type::Num(_)) => {
                let most = if rng.chance(50) { 12 } else { 200 };
                Value::Num(Decimal::from(rng.below(most)))
            }
            (_, Type::Date) => chrono::NaiveDate::from_ymd_opt(2015, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(rng.below(365 * 9))))
                .map_or(Value::Unknown, Value::Date),
            (_, Type::Enum(e)) => {
                let n = graph
                    .enums
                    .get(e as usize)
                    .map_or(1, |x| x.variants.len() as u64);
                Value::Enum(rng.below(n) as u32)
            }
        }
    }

    /// A random forest of `graph`'s kinds: roots of every kind no other contains, each unit with
    /// up to `fanout` children of each kind it contains (the first few levels), `missing`
    /// percent of inputs missing, at most `most` units. Each root has a quality (`quality`, or
    /// drawn) that its units' points stay near.
    fn forest(
        graph: &Graph,
        seed: u64,
        (fanout, missing, most): (u64, u64, usize),
        quality: Option<u64>,
    ) -> UnitTree {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let contained: HashSet<u32> = graph
            .kinds
            .iter()
            .flat_map(|k| k.children.clone())
            .collect();
        let mut units: Vec<Unit> = Vec::new();
        let mut stack: Vec<(u32, Option<usize>, usize, u64)> = (0..graph.kinds.len() as u32)
            .filter(|k| !contained.contains(k))
            .map(|k| (k, None, 0, 0))
            .collect();
        while let Some((kind, parent, depth, above)) = stack.pop() {
            if units.len() >= most {
                break;
            }
            let kg = &graph.kinds[kind as usize];
            // Close to the parent's quality: strong units have strong sub-units.
            let quality = match parent {
                None => quality.unwrap_or_else(|| 65 + rng.below(34)),
                Some(_) => (above + rng.below(13)).saturating_sub(6),
            };
            let inputs = kg
                .inputs
                .iter()
                .map(|i| value(graph, &mut rng, i, quality, missing))
                .collect();
            let me = units.len();
            units.push(Unit {
                id: format!("u{me}"),
                name: None,
                kind,
                parent,
                children: Vec::new(),
                inputs,
            });
            if depth < 4 {
                for &c in &kg.children {
                    for _ in 0..rng.below(fanout + 1) {
                        stack.push((c, Some(me), depth + 1, quality));
                    }
                }
            }
        }
        UnitTree::new(units)
    }

    /// The evaluation context of a standard's demo facts (their date and parameters).
    fn context(graph: &Graph, facts: &crate::facts::Facts) -> Context {
        let mut supplied = facts.params.clone();
        for (i, p) in graph.params.iter().enumerate() {
            if matches!(p.value, ParamValue::Required) && !supplied.iter().any(|(j, _)| *j == i) {
                supplied.push((i, Value::Num(Decimal::from(3))));
            }
        }
        Context::new(graph, &supplied, facts.as_of).unwrap()
    }

    /// Every unit's plan for every tier of its kind, as the planner makes it, equals the plan
    /// made with the whole forest evaluated again after every change: planning on the unit's
    /// subtree, evaluating again only what a change affects, undoing tried lifts and checking
    /// the last changes through counts change no plan.
    #[test]
    fn plans_are_those_of_full_evaluations() {
        let mut planned = 0;
        let mut reachable = 0;
        for (name, graph, facts) in standards() {
            let ctx = context(&graph, &facts);
            let mut trees = vec![facts.tree.clone()];
            for seed in 0..12u64 {
                let (fanout, missing) = [(3, 0), (4, 5), (2, 15), (6, 2)][seed as usize % 4];
                trees.push(forest(&graph, seed, (fanout, missing, 120), None));
            }
            for tree in &trees {
                for u in 0..tree.units.len() {
                    let kg = &graph.kinds[tree.units[u].kind as usize];
                    for t in &kg.tiers {
                        let fast = plan(&graph, &ctx, tree, u, t.node);
                        let full = plan_in(&graph, &ctx, tree.clone(), u, t.node, Mode::Full);
                        assert_eq!(
                            fast, full,
                            "{name}: unit {} tier {}",
                            tree.units[u].id, t.name
                        );
                        planned += 1;
                        reachable += usize::from(fast.reachable && !fast.changes.is_empty());
                    }
                }
            }
        }
        assert!(
            planned > 1000 && reachable > 100,
            "{planned} plans, {reachable} with changes"
        );
    }

    /// Whether node `n` of unit `u` holds once `changes` (but the one at `skip`) are made.
    fn holds_with(
        graph: &Graph,
        ctx: &Context,
        tree: &UnitTree,
        (u, n): (usize, NodeId),
        changes: &[Change],
        skip: Option<usize>,
    ) -> bool {
        let mut changed = tree.clone();
        for (i, c) in changes.iter().enumerate() {
            if Some(i) != skip {
                crate::change::set(graph, &mut changed, &c.unit, &c.key, &c.to).unwrap();
            }
        }
        evaluate(graph, &changed, ctx).value(&changed, u, n) == Value::Bool(true)
    }

    /// A plan reaches its tier, and leaves out no change it could: without any one of them
    /// the tier is no longer reached (the planner drops every change found unneeded).
    #[test]
    fn plans_reach_their_tier_and_need_every_change() {
        let mut checked = 0;
        for (name, graph, facts) in standards() {
            let ctx = context(&graph, &facts);
            let mut trees = vec![facts.tree.clone()];
            for seed in 0..6u64 {
                trees.push(forest(&graph, seed, (3, 5, 60), None));
            }
            for tree in &trees {
                for u in 0..tree.units.len() {
                    let kg = &graph.kinds[tree.units[u].kind as usize];
                    for t in &kg.tiers {
                        let p = plan(&graph, &ctx, tree, u, t.node);
                        if !p.reachable || p.changes.is_empty() {
                            continue;
                        }
                        let at = (u, t.node);
                        let id = &tree.units[u].id;
                        assert!(
                            holds_with(&graph, &ctx, tree, at, &p.changes, None),
                            "{name}: {id} {}: {:?}",
                            t.name,
                            p.changes
                        );
                        for skip in 0..p.changes.len() {
                            assert!(
                                !holds_with(&graph, &ctx, tree, at, &p.changes, Some(skip)),
                                "{name}: {id} {}: {:?} is not needed in {:?}",
                                t.name,
                                p.changes[skip],
                                p.changes
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 200, "{checked} changes checked");
    }

    /// Wide units (hundreds of sub-units, some unknown): the plans of the top units are those of
    /// full evaluations, through every way the last changes are checked (among them changes
    /// dropped because what the unit reads of its counts stays the same), and need every change;
    /// checking them evaluates the unit itself again only now and then.
    #[test]
    fn plans_of_wide_units_are_those_of_full_evaluations() {
        let all = standards();
        let Some((_, graph, facts)) = all.iter().find(|(n, _, _)| *n == "haiyan-2021") else {
            panic!("haiyan-2021");
        };
        let ctx = context(graph, facts);
        let (mut checked, mut evaluated) = (0, 0);
        // (quality, missing, fanout, seed): forests whose plans drop changes that way.
        for (q, missing, fanout, seed) in [
            (78, 6, 8, 1),
            (84, 6, 16, 1),
            (92, 0, 30, 1),
            (88, 6, 16, 2),
        ] {
            let tree = forest(graph, seed * 7 + q, (fanout, missing, 2000), Some(q));
            let u = tree.bottom_up().last().copied().unwrap();
            let kg = &graph.kinds[tree.units[u].kind as usize];
            for t in &kg.tiers {
                top::CHECKED.with(|c| c.set((0, 0)));
                let fast = plan(graph, &ctx, &tree, u, t.node);
                let (c, e) = top::CHECKED.with(|c| c.get());
                (checked, evaluated) = (checked + c, evaluated + e);
                let full = plan_in(graph, &ctx, tree.clone(), u, t.node, Mode::Full);
                assert_eq!(fast, full, "{q} {missing} {fanout} {seed}: tier {}", t.name);
                // Every change is needed: here the first changes found overshoot, and the
                // planner drops those the last ones made unneeded.
                for skip in (0..fast.changes.len()).filter(|_| fast.reachable) {
                    let at = (u, t.node);
                    assert!(
                        !holds_with(graph, &ctx, &tree, at, &fast.changes, Some(skip)),
                        "{q} {missing} {fanout} {seed}: tier {}: {:?} is not needed",
                        t.name,
                        fast.changes[skip]
                    );
                }
            }
        }
        // What the unit reads of its counts mostly stays the same when a change is undone: the
        // unit itself, with its thousands of sub-units, is evaluated again for few of them (55 of
        // 632 here; 83 if it read every aggregate's value rather than the comparisons' results).
        assert!(
            checked > 300 && evaluated * 10 <= checked,
            "{evaluated} of {checked} checks evaluated the unit again"
        );
    }

    /// The comparisons of counts and shares the planner works out from counts are the
    /// evaluation's, on every unit of random forests (with unknown members).
    #[test]
    fn comparisons_of_counts_are_the_evaluations() {
        let mut checked = 0;
        for (name, graph, facts) in standards() {
            let ctx = context(&graph, &facts);
            for seed in 0..8u64 {
                let missing = [0, 10, 30, 60][seed as usize % 4];
                let tree = forest(&graph, seed, (5, missing, 300), None);
                let eval = evaluate(&graph, &tree, &ctx);
                for u in 0..tree.units.len() {
                    let kg = &graph.kinds[tree.units[u].kind as usize];
                    for (a, node) in kg.nodes.iter().enumerate() {
                        let Node::Aggregate(agg) = node else { continue };
                        let a = a as NodeId;
                        let mut t = Tally::default();
                        for (s, i) in members(agg, Some(u), &tree) {
                            t.members += 1;
                            match matches(agg, i, s, &tree, &eval) {
                                Value::Bool(true) => t.matched += 1,
                                Value::Bool(false) => {}
                                _ => t.open += 1,
                            }
                        }
                        if agg.targets.iter().all(|x| x.value.is_none()) {
                            assert_eq!(t.value(agg), eval.value(&tree, u, a), "{name}");
                        }
                        for (c, other) in kg.nodes.iter().enumerate() {
                            let Node::Compare(op, l, r) = other else {
                                continue;
                            };
                            let (left, x) = match (*l == a, *r == a) {
                                (true, false) => (true, *r),
                                (false, true) => (false, *l),
                                _ => continue,
                            };
                            let v = match kg.nodes.get(x as usize) {
                                Some(Node::Const(v)) => *v,
                                Some(Node::Param(p)) => ctx.params[*p],
                                _ => continue,
                            };
                            let want = eval.value(&tree, u, c as NodeId);
                            assert_eq!(
                                compared_value(agg, &t, *op, left, v),
                                want,
                                "{name}: {}",
                                tree.units[u].id
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }
}
