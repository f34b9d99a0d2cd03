//! Gap plans: what stands between a unit and a tier (问题清单) and what to change to get there
//! (提升清单), checked by evaluation.

use crate::codes::Code;
use crate::facts::Facts;
use crate::options::Options;
use crate::problem::{Location, Problem, Problems};
use crate::standard::find;
use crate::Standard;
use duibiao_engine::change::Change;
use duibiao_engine::gap::Reason;
use duibiao_engine::outcome::{ConditionOutcome, Verdict};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A gap plan for one unit and one tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct GapReport {
    /// The unit's id.
    pub unit: String,
    /// Its kind.
    pub kind: String,
    /// The tier it has now.
    pub current: Option<String>,
    /// The tier to reach.
    pub target: String,
    /// Whether the changes reach the target.
    pub reachable: bool,
    /// 提升清单: the changes to facts and scores, as `set` takes them.
    pub changes: Vec<Change>,
    /// 问题清单: every condition not met (or unknown) of the tiers above the current one up to
    /// the target, with its tier.
    pub issues: Vec<Issue>,
    /// Why the target cannot be reached, when it cannot.
    pub reasons: Vec<Reason>,
}

/// A condition standing between a unit and a tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Issue {
    /// The tier it belongs to.
    pub tier: String,
    /// The condition as evaluated.
    #[serde(flatten)]
    pub condition: ConditionOutcome,
}

impl Standard {
    /// The gap plan for `unit` to reach `tier`: the conditions in the way and a set of changes
    /// that reaches it (checked by evaluation), or why it cannot be reached.
    pub fn gap(
        &self,
        facts: &Facts,
        unit: &str,
        tier: &str,
        options: &Options,
    ) -> Result<GapReport, Problems> {
        let p = self.prepare(facts, options)?;
        let graph = self.graph();
        let u = find(&p.tree, unit)?;
        let kg = &graph.kinds[p.tree.units[u].kind as usize];
        let target = kg.tier(tier).ok_or_else(|| {
            let known: Vec<&str> = kg.tiers.iter().map(|t| t.name.as_str()).collect();
            let (zh, en) = if known.is_empty() {
                (
                    format!("`{}` 没有等级 `{tier}`：它没有声明等级", kg.name),
                    format!("`{}` has no tier `{tier}`; it declares no tiers", kg.name),
                )
            } else {
                (
                    format!(
                        "`{}` 没有等级 `{tier}`，它的等级有 {}",
                        kg.name,
                        known.join("、")
                    ),
                    format!(
                        "`{}` has no tier `{tier}`; its tiers are {}",
                        kg.name,
                        known.join(", ")
                    ),
                )
            };
            Problems::one(Problem::error(Code::G0001, zh, en).at(Location::data(
                None,
                Some(unit),
                Some(tier),
            )))
        })?;
        options.run(|| {
            // The unit as it is: its subtree evaluated (and dropped before planning).
            let now = crate::standard::unit_outcome(graph, &p.tree, &p.ctx, u, true);
            let current = now.tier.as_ref().and_then(|t| kg.tier(t));
            // The tiers between the current one (exclusive) and the target (inclusive).
            let from = current.map_or(0, |c| c + 1);
            let mut issues: Vec<Issue> = Vec::new();
            for t in &kg.tiers[from.min(target + 1)..=target] {
                let unmet = now
                    .conditions
                    .get(&t.name)
                    .into_iter()
                    .flatten()
                    .filter(|c| c.verdict != Verdict::Pass);
                for c in unmet {
                    issues.push(Issue {
                        tier: t.name.clone(),
                        condition: c.clone(),
                    });
                    // A condition naming a requirement group stands for the requirements in it
                    // (and in its nested groups) that are not met: list those too.
                    let Some(g) = kg.groups.iter().position(|x| x.name == c.expr) else {
                        continue;
                    };
                    let within = |mut i: usize| loop {
                        if i == g {
                            return true;
                        }
                        match kg.groups.get(i).and_then(|x| x.parent) {
                            Some(p) => i = p,
                            None => return false,
                        }
                    };
                    let groups = now
                        .requirements
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| within(*i));
                    for (_, group) in groups {
                        let open = group
                            .requirements
                            .iter()
                            .filter(|r| r.verdict != Verdict::Pass);
                        issues.extend(open.map(|r| Issue {
                            tier: t.name.clone(),
                            condition: r.clone(),
                        }));
                    }
                }
            }
            let plan = duibiao_engine::gap::plan(graph, &p.ctx, &p.tree, u, kg.tiers[target].node);
            Ok(GapReport {
                unit: unit.to_string(),
                kind: kg.name.clone(),
                current: now.tier.clone(),
                target: tier.to_string(),
                reachable: plan.reachable,
                changes: plan.changes,
                issues,
                reasons: plan.reasons,
            })
        })
    }
}
