//! The impact of a revision (`duibiao impact OLD.std NEW.std FACTS.json`): what a policy office
//! asks before it publishes next year's version of a standard. Which rules changed, clause by
//! clause (a threshold raised, a condition added, a veto that now blocks another tier), and on
//! real facts which units change score, tier, veto or target result, and why: the conditions
//! whose verdicts changed.
//!
//! Rules are matched by where they are, as a policy writer names them (`小区 · 等级 标准型 ·
//! 得分75以上`): a rule with a label by its label, one without by the clause it cites (and its
//! place among the rules citing that clause), else by its place in its block. A rule is changed
//! when its text as written changes (white space aside).

use crate::{Diff, Options, Problem, Problems, Standard};
use duibiao_compiler::graph::{Condition, ConditionKind, InputOrigin, KindGraph, Source};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One rule of a standard: where it is, the clause it cites and its text as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Rule {
    /// Where it is, as a policy writer names it: `小区 · 等级 标准型 · 得分75以上`.
    pub place: String,
    /// The clause it cites, if any.
    pub clause: Option<String>,
    /// The rule as written in the `.std` file, on one line.
    pub text: String,
}

/// How one rule differs between two versions of a standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RuleChange {
    /// In the new version only.
    Added {
        /// The rule.
        rule: Rule,
    },
    /// In the old version only.
    Removed {
        /// The rule.
        rule: Rule,
    },
    /// In both, written differently.
    Changed {
        /// As the old version writes it.
        before: Rule,
        /// As the new version writes it.
        after: Rule,
    },
}

/// The version of a standard an impact compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Version {
    /// Its file.
    pub file: String,
    /// Its slug.
    pub standard: String,
    /// Its fingerprint.
    pub fingerprint: String,
}

impl Version {
    fn of(std: &Standard) -> Version {
        Version {
            file: std.file().to_string(),
            standard: std.slug().to_string(),
            fingerprint: std.fingerprint().to_string(),
        }
    }
}

/// The impact of a revision on one facts file: the rules that changed and the units whose
/// outcome changed (units matched by id; a unit's changed conditions say why).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Impact {
    /// The version in force.
    pub before: Version,
    /// The revision.
    pub after: Version,
    /// The rules that changed, in the revision's order, then those it removes.
    pub rules: Vec<RuleChange>,
    /// The units whose score, tier, verdicts or target results change.
    pub units: Diff,
}

/// Every rule of `std`, in the file's order of kinds and blocks.
pub fn rules(std: &Standard) -> Vec<Rule> {
    let g = std.graph();
    let mut out = Vec::new();
    let mut push = |place: String, source: &Source, text: Option<&str>| {
        out.push(Rule {
            place,
            clause: source.cite.as_ref().map(|c| c.clause.clone()),
            text: text.map_or_else(|| written(std, source), String::from),
        })
    };
    for p in &g.params {
        push(format!("参数 {}", p.name), &p.source, None);
    }
    for k in &g.kinds {
        kind_rules(k, &mut push);
        for guide in &k.guides {
            let tier = k.tiers.get(guide.tier).map_or("", |t| t.name.as_str());
            let below = if guide.or_below { " 及以下" } else { "" };
            let among = duibiao_compiler::graph::peers_name_zh(g.peers_name(guide.peers));
            let place = format!("{} · 指导比例 {tier}{below} 比较范围 {among}", k.name);
            push(place, &guide.source, None);
        }
    }
    for t in &g.targets {
        push(format!("目标 {}", t.name), &t.source, None);
    }
    for q in &g.quotas {
        push(format!("指标表 {}", q.name), &q.source, None);
    }
    out
}

/// Where a rule is, its source, and its text when not the source's as written.
type Push<'p> = dyn FnMut(String, &Source, Option<&str>) + 'p;

fn kind_rules(k: &KindGraph, push: &mut Push<'_>) {
    let at = |what: String| format!("{} · {what}", k.name);
    let facts = k
        .inputs
        .iter()
        .filter(|i| matches!(i.origin, InputOrigin::Fact));
    for i in facts {
        push(at(format!("填报项 {}", i.key)), &i.source, None);
    }
    for d in &k.derived {
        push(at(format!("计算值 {}", d.name)), &d.source, None);
    }
    for item in k.scorecard.iter().flat_map(|c| &c.items) {
        for part in &item.parts {
            push(at(format!("评分表 {}", part.key)), &part.source, None);
        }
    }
    for g in &k.groups {
        conditions(&at(format!("要求 {}", g.name)), &g.requirements, push);
    }
    for t in &k.tiers {
        conditions(&at(format!("等级 {}", t.name)), &t.conditions, push);
    }
    for v in &k.vetoes {
        push(at(format!("一票否决 {}", v.name)), &v.source, None);
    }
    for c in &k.consequences {
        push(at(format!("兑现 {}", c.name)), &c.source, None);
    }
}

/// The conditions of one block, each named by its label, else by its clause (numbered when
/// several cite it), else by its place in the block. A lower tier required first and a veto
/// that blocks the tier are rules of their own, written as the condition reads.
fn conditions(block: &str, conds: &[Condition], push: &mut Push<'_>) {
    let mut citing: HashMap<&str, usize> = HashMap::new();
    for (i, c) in conds.iter().enumerate() {
        let name = match (&c.label, &c.kind, &c.source.cite) {
            (Some(label), _, _) => label.clone(),
            (None, ConditionKind::Rule, _) => match &c.source.cite {
                Some(cite) => {
                    let n = citing.entry(cite.clause.as_str()).or_insert(0);
                    *n += 1;
                    format!("〔{}〕#{n}", cite.clause)
                }
                None => format!("#{}", i + 1),
            },
            (None, _, _) => c.expr.clone(),
        };
        // A lower tier or a veto is not written on a line of its own: its words are its text.
        let text = match c.kind {
            ConditionKind::Rule => None,
            _ => Some(c.expr.as_str()),
        };
        push(format!("{block} · {name}"), &c.source, text);
    }
}

/// The rule of `source` as written in the `.std` file, on one line.
pub(crate) fn written(std: &Standard, source: &Source) -> String {
    let text = std.source().get(source.span.0..source.span.1).unwrap_or("");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rules that differ between `before` and `after`: changed and added ones in `after`'s
/// order, then removed ones in `before`'s.
pub fn rule_changes(before: &Standard, after: &Standard) -> Vec<RuleChange> {
    let old = rules(before);
    let new = rules(after);
    let old_at: BTreeMap<&str, &Rule> = old.iter().map(|r| (r.place.as_str(), r)).collect();
    let new_at: BTreeMap<&str, &Rule> = new.iter().map(|r| (r.place.as_str(), r)).collect();
    let mut changes = Vec::new();
    for r in &new {
        match old_at.get(r.place.as_str()) {
            None => changes.push(RuleChange::Added { rule: r.clone() }),
            Some(o) if o.text != r.text || o.clause != r.clause => {
                changes.push(RuleChange::Changed {
                    before: (*o).clone(),
                    after: r.clone(),
                })
            }
            Some(_) => {}
        }
    }
    for r in old
        .iter()
        .filter(|r| !new_at.contains_key(r.place.as_str()))
    {
        changes.push(RuleChange::Removed { rule: r.clone() });
    }
    changes
}

/// The impact of revising `before` into `after` on the facts `json` (named `input` in
/// problems; read by each version's loader, the problems of both returned, each once, but for
/// the revision's `F0003`: the facts are the version in force's), with
/// `options` (parameters, evaluation date) applied to both. Targets are compared when there is
/// an evaluation date.
pub fn impact(
    before: &Standard,
    after: &Standard,
    (input, json): (Option<&str>, &str),
    options: &Options,
) -> Result<(Impact, Vec<Problem>), Problems> {
    let (facts_a, mut problems) = before.load_facts_named(input, json);
    let (facts_b, more) = after.load_facts_named(input, json);
    // Facts are written for the version in force: that they name another standard than the
    // revision (`F0003`, a new slug such as `…-2025`) is the point, not a problem.
    for p in more.into_iter().filter(|p| p.code != "F0003") {
        if !problems.contains(&p) {
            problems.push(p);
        }
    }
    let detailed = options.clone().detail(crate::Detail::Conditions);
    let oa = before.evaluate(&facts_a, &detailed)?;
    let ob = after.evaluate(&facts_b, &detailed)?;
    let dated = options.as_of.or(facts_a.as_of()).is_some();
    let progress = if dated {
        Some((
            before.progress(&facts_a, options)?,
            after.progress(&facts_b, options)?,
        ))
    } else {
        None
    };
    let units = duibiao_engine::diff::diff(&oa, &ob, progress.as_ref().map(|(a, b)| (a, b)));
    let impact = Impact {
        before: Version::of(before),
        after: Version::of(after),
        rules: rule_changes(before, after),
        units,
    };
    Ok((impact, problems))
}
