//! Differences between two evaluations of the same standard (two years of the same tree, or a
//! before and after): units matched by id; which changed score, tier or target status, and which
//! conditions flipped.

use crate::outcome::{Outcome, Verdict};
use crate::progress::Progress;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What changed between two outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Diff {
    /// Units only in the second.
    pub added: Vec<String>,
    /// Units only in the first.
    pub removed: Vec<String>,
    /// Units in both whose score, tier, verdicts or conditions differ, in the second's order.
    pub changed: Vec<UnitDiff>,
    /// Targets whose status differs (when both sides have an evaluation date).
    pub targets: Vec<TargetDiff>,
}

/// How one unit changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct UnitDiff {
    /// The unit's id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// Score before and after (when it changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<(Option<String>, Option<String>)>,
    /// Tier reached before and after (when it changed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<(Option<String>, Option<String>)>,
    /// Tier verdicts that changed: tier → (before, after).
    pub tiers: BTreeMap<String, (Verdict, Verdict)>,
    /// Conditions that flipped: `tier / condition`, `group` or `group / requirement` →
    /// (before, after).
    pub conditions: BTreeMap<String, (Verdict, Verdict)>,
}

/// A target whose status changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct TargetDiff {
    /// The target.
    pub name: String,
    /// Its due date.
    pub due: String,
    /// Status before (`None`: not due yet then).
    pub before: Option<Verdict>,
    /// Status after.
    pub after: Option<Verdict>,
}

/// Compares two outcomes (and, when given, their progress reports).
pub fn diff(before: &Outcome, after: &Outcome, progress: Option<(&Progress, &Progress)>) -> Diff {
    let old: BTreeMap<&str, _> = before.units.iter().map(|u| (u.id.as_str(), u)).collect();
    let new_ids: std::collections::BTreeSet<&str> =
        after.units.iter().map(|u| u.id.as_str()).collect();
    let mut changed = Vec::new();
    let mut added = Vec::new();
    for b in &after.units {
        let Some(a) = old.get(b.id.as_str()) else {
            added.push(b.id.clone());
            continue;
        };
        let mut tiers = BTreeMap::new();
        for (t, vb) in &b.tiers {
            let va = a.tiers.get(t).copied().unwrap_or(Verdict::Unknown);
            if va != *vb {
                tiers.insert(t.clone(), (va, *vb));
            }
        }
        let mut conditions = BTreeMap::new();
        for (t, cs) in &b.conditions {
            for (i, c) in cs.iter().enumerate() {
                let label = c.label.clone().unwrap_or_else(|| c.expr.clone());
                let va = a
                    .conditions
                    .get(t)
                    .and_then(|x| x.get(i))
                    .map_or(Verdict::Unknown, |x| x.verdict);
                if va != c.verdict {
                    conditions.insert(format!("{t} / {label}"), (va, c.verdict));
                }
            }
        }
        for g in &b.requirements {
            let Some(ga) = a.requirements.iter().find(|x| x.name == g.name) else {
                continue;
            };
            if ga.verdict != g.verdict {
                conditions.insert(g.name.clone(), (ga.verdict, g.verdict));
            }
            for (i, r) in g.requirements.iter().enumerate() {
                let label = r.label.clone().unwrap_or_else(|| r.expr.clone());
                let va = ga
                    .requirements
                    .get(i)
                    .map_or(Verdict::Unknown, |x| x.verdict);
                if va != r.verdict {
                    conditions.insert(format!("{} / {label}", g.name), (va, r.verdict));
                }
            }
        }
        let score = (a.score != b.score).then(|| (a.score.clone(), b.score.clone()));
        let tier = (a.tier != b.tier).then(|| (a.tier.clone(), b.tier.clone()));
        if score.is_some() || tier.is_some() || !tiers.is_empty() || !conditions.is_empty() {
            changed.push(UnitDiff {
                id: b.id.clone(),
                kind: b.kind.clone(),
                score,
                tier,
                tiers,
                conditions,
            });
        }
    }
    let removed = before
        .units
        .iter()
        .filter(|u| !new_ids.contains(u.id.as_str()))
        .map(|u| u.id.clone())
        .collect();
    let mut targets = Vec::new();
    if let Some((pa, pb)) = progress {
        let key = |t: &crate::progress::TargetProgress| (t.name.clone(), t.due.clone());
        let before: BTreeMap<_, _> = pa.targets.iter().map(|t| (key(t), t.status)).collect();
        let after: BTreeMap<_, _> = pb.targets.iter().map(|t| (key(t), t.status)).collect();
        let mut all: Vec<_> = before.keys().chain(after.keys()).cloned().collect();
        all.sort();
        all.dedup();
        for k in all {
            let (x, y) = (before.get(&k).copied(), after.get(&k).copied());
            if x != y {
                targets.push(TargetDiff {
                    name: k.0,
                    due: k.1,
                    before: x,
                    after: y,
                });
            }
        }
    }
    Diff {
        added,
        removed,
        changed,
        targets,
    }
}
