//! Clause coverage: over all cases of a standard, for every rule (a tier, a tier's condition, a
//! requirement group, a requirement, a veto, a consequence, a dated target) with its citation,
//! how often the cases saw it pass, fail and stay unknown; and the cited clauses no case
//! exercises — those none of whose rules any case decided (passed or failed: a rule only ever
//! unknown was never decided by the facts, so it exercises nothing).
//!
//! For a veto, `pass` is "did not fire" and `fail` "fired", as a tier reads it; for a consequence,
//! `pass` is "applies". Clauses cited only by facts, parameters, score items or derived values
//! are not rules and are not counted.

use super::run::CaseRun;
use crate::Standard;
use duibiao_compiler::graph::{ConditionKind, Source};
use duibiao_engine::outcome::Verdict;
use serde::Serialize;

/// What a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum RuleKind {
    /// A tier as a whole (all its conditions).
    Tier,
    /// A condition written in a tier.
    Condition,
    /// A requirement group.
    Group,
    /// A requirement of a group.
    Requirement,
    /// A one-vote veto (`pass`: it did not fire).
    Veto,
    /// A consequence (`pass`: it applies).
    Consequence,
    /// A dated target (`pass`: met), per unit and overall.
    Target,
}

impl RuleKind {
    /// Its name in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            RuleKind::Tier => "等级",
            RuleKind::Condition => "等级条件",
            RuleKind::Group => "要求组",
            RuleKind::Requirement => "要求",
            RuleKind::Veto => "一票否决",
            RuleKind::Consequence => "兑现",
            RuleKind::Target => "目标",
        }
    }

    /// Its name in English.
    pub fn en(self) -> &'static str {
        match self {
            RuleKind::Tier => "tier",
            RuleKind::Condition => "condition",
            RuleKind::Group => "group",
            RuleKind::Requirement => "requirement",
            RuleKind::Veto => "veto",
            RuleKind::Consequence => "consequence",
            RuleKind::Target => "target",
        }
    }
}

/// One rule and how the cases saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RuleCoverage {
    /// What it is.
    pub kind: RuleKind,
    /// The kind of unit it is for (none for a target).
    pub unit_kind: Option<String>,
    /// Its name: `示范型`, `示范型 › 得分90分以上`, `阵地清零 › 社区场所面积达标`.
    pub name: String,
    /// The clause it cites.
    pub clause: Option<String>,
    /// How many times a unit (or, for a target, a unit or the whole) passed it.
    pub pass: u32,
    /// … failed it.
    pub fail: u32,
    /// … left it unknown.
    pub unknown: u32,
    /// Its place in the `.std` file (byte offset), which orders the report.
    #[serde(skip)]
    at: usize,
}

impl RuleCoverage {
    /// Whether some case decided it (passed or failed).
    pub fn decided(&self) -> bool {
        self.pass > 0 || self.fail > 0
    }
}

/// The coverage of a standard's rules by its cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Coverage {
    /// The standard's slug.
    pub standard: String,
    /// The `.std` file.
    pub file: String,
    /// How many cases were counted.
    pub cases: usize,
    /// Every rule, in the order of the `.std` file.
    pub rules: Vec<RuleCoverage>,
    /// The cited clauses no case exercises, in the order the `.std` file first cites them.
    pub unexercised: Vec<String>,
    /// How many distinct clauses the rules cite.
    pub clauses: usize,
    /// Clauses the standard deliberately does not encode (`omit`), which no rule can cover.
    pub omitted: usize,
}

/// Counts what the cases of one standard saw; [`Tally::finish`] gives the [`Coverage`].
#[derive(Debug, Clone)]
pub struct Tally {
    standard: Standard,
    /// Per kind of unit (graph order): its rules' slots in `rules`.
    kinds: Vec<KindSlots>,
    targets: Vec<usize>,
    rules: Vec<RuleCoverage>,
    cases: usize,
}

#[derive(Debug, Clone, Default)]
struct KindSlots {
    tiers: Vec<usize>,
    /// Per tier, per condition: a slot, or none for prerequisites and vetoes (counted elsewhere).
    conditions: Vec<Vec<Option<usize>>>,
    groups: Vec<usize>,
    requirements: Vec<Vec<usize>>,
    vetoes: Vec<usize>,
    consequences: Vec<usize>,
}

impl Tally {
    /// No case counted yet: every rule of `standard` unseen.
    pub fn new(standard: &Standard) -> Tally {
        let g = standard.graph();
        let mut rules = Vec::new();
        let mut add = |kind, unit_kind: Option<&str>, name: String, s: &Source| {
            rules.push(RuleCoverage {
                kind,
                unit_kind: unit_kind.map(String::from),
                name,
                clause: s.cite.as_ref().map(|c| c.clause.clone()),
                pass: 0,
                fail: 0,
                unknown: 0,
                at: s.span.0,
            });
            rules.len() - 1
        };
        let mut kinds = Vec::new();
        for k in &g.kinds {
            let uk = Some(k.name.as_str());
            let mut slots = KindSlots::default();
            for t in &k.tiers {
                slots
                    .tiers
                    .push(add(RuleKind::Tier, uk, t.name.clone(), &t.source));
                let conds = t.conditions.iter().map(|c| match c.kind {
                    // A cap, a limit and a floor are the tier's own: did a case see each stop it?
                    ConditionKind::Rule
                    | ConditionKind::Cap(_)
                    | ConditionKind::Limit(_)
                    | ConditionKind::Floor(_) => {
                        let label = c.label.clone().unwrap_or_else(|| c.expr.clone());
                        let name = format!("{} › {label}", t.name);
                        Some(add(RuleKind::Condition, uk, name, &c.source))
                    }
                    ConditionKind::Prerequisite(_)
                    | ConditionKind::Veto(_)
                    | ConditionKind::Unrated(_) => None,
                });
                slots.conditions.push(conds.collect());
            }
            for gr in &k.groups {
                slots
                    .groups
                    .push(add(RuleKind::Group, uk, gr.name.clone(), &gr.source));
                let reqs = gr.requirements.iter().map(|c| {
                    let label = c.label.clone().unwrap_or_else(|| c.expr.clone());
                    add(
                        RuleKind::Requirement,
                        uk,
                        format!("{} › {label}", gr.name),
                        &c.source,
                    )
                });
                slots.requirements.push(reqs.collect());
            }
            for v in &k.vetoes {
                slots
                    .vetoes
                    .push(add(RuleKind::Veto, uk, v.name.clone(), &v.source));
            }
            for c in &k.consequences {
                let slot = add(RuleKind::Consequence, uk, c.name.clone(), &c.source);
                slots.consequences.push(slot);
            }
            kinds.push(slots);
        }
        let targets = g
            .targets
            .iter()
            .map(|t| add(RuleKind::Target, None, t.name.clone(), &t.source))
            .collect();
        Tally {
            standard: standard.clone(),
            kinds,
            targets,
            rules,
            cases: 0,
        }
    }

    fn see(&mut self, slot: Option<usize>, v: Verdict) {
        if let Some(r) = slot.and_then(|s| self.rules.get_mut(s)) {
            match v {
                Verdict::Pass => r.pass += 1,
                Verdict::Fail => r.fail += 1,
                Verdict::Unknown => r.unknown += 1,
            }
        }
    }

    /// Counts what one case saw: every unit's verdicts, and its targets when progress was run.
    pub fn count(&mut self, case: &CaseRun) {
        self.cases += 1;
        let standard = self.standard.clone();
        let g = standard.graph();
        for u in &case.outcome.units {
            let Some(k) = g.kinds.iter().position(|k| k.name == u.kind) else {
                continue;
            };
            let Some(slots) = self.kinds.get(k).cloned() else {
                continue;
            };
            for (t, (_, v)) in u.tiers.iter().enumerate() {
                self.see(slots.tiers.get(t).copied(), *v);
            }
            for (t, (_, conds)) in u.conditions.iter().enumerate() {
                for (i, c) in conds.iter().enumerate() {
                    let slot = slots.conditions.get(t).and_then(|s| s.get(i)).copied();
                    self.see(slot.flatten(), c.verdict);
                }
            }
            for (gi, gr) in u.requirements.iter().enumerate() {
                self.see(slots.groups.get(gi).copied(), gr.verdict);
                for (i, r) in gr.requirements.iter().enumerate() {
                    let slot = slots.requirements.get(gi).and_then(|s| s.get(i)).copied();
                    self.see(slot, r.verdict);
                }
            }
            for (i, v) in u.vetoes.iter().enumerate() {
                let verdict = match v.fired {
                    Some(true) => Verdict::Fail,
                    Some(false) => Verdict::Pass,
                    None => Verdict::Unknown,
                };
                self.see(slots.vetoes.get(i).copied(), verdict);
            }
            for (i, c) in u.consequences.iter().enumerate() {
                self.see(slots.consequences.get(i).copied(), c.applies);
            }
        }
        for t in case.progress.iter().flat_map(|p| &p.targets) {
            let Some(i) = g.targets.iter().position(|x| x.name == t.name) else {
                continue;
            };
            let slot = self.targets.get(i).copied();
            if t.rows.is_empty() {
                self.see(slot, t.status);
            }
            for r in &t.rows {
                self.see(slot, r.verdict);
            }
        }
    }

    /// The coverage of the cases counted.
    pub fn finish(self) -> Coverage {
        let mut rules = self.rules;
        rules.sort_by_key(|r| (r.at, r.kind));
        let mut clauses: Vec<&str> = Vec::new();
        for c in rules.iter().filter_map(|r| r.clause.as_deref()) {
            if !clauses.contains(&c) {
                clauses.push(c);
            }
        }
        let unexercised = clauses
            .iter()
            .filter(|c| {
                !rules
                    .iter()
                    .any(|r| r.clause.as_deref() == Some(**c) && r.decided())
            })
            .map(|c| c.to_string())
            .collect();
        let g = self.standard.graph();
        Coverage {
            standard: self.standard.slug().to_string(),
            file: self.standard.file().to_string(),
            cases: self.cases,
            clauses: clauses.len(),
            omitted: g.omitted.len(),
            unexercised,
            rules,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::cases::{run, Expected};

    #[test]
    fn rules_never_failing_and_clauses_never_decided_are_reported() {
        let std = Standard::compile("demo.std", crate::cases::run::tests::DEMO).unwrap();
        let e = Expected::parse("x", "{}").unwrap();
        let r = run(&std, "demo", None, crate::cases::run::tests::FACTS, &e).unwrap();
        let mut tally = Tally::new(&std);
        tally.count(&r);
        let c = tally.finish();
        assert_eq!(c.cases, 1);
        let rule = |name: &str| c.rules.iter().find(|r| r.name == name).unwrap();
        // Both units reach 标准型: its condition was never seen failing.
        let standard = rule("标准型 › 得分6分以上");
        assert_eq!((standard.pass, standard.fail, standard.unknown), (2, 0, 0));
        assert_eq!(standard.clause.as_deref(), Some("一、1"));
        let demo = rule("示范型 › 得分9分以上");
        assert_eq!((demo.pass, demo.fail), (1, 1));
        // The veto never fired (pass = not fired); its clause is decided all the same.
        let veto = rule("一票否决事项");
        assert_eq!((veto.kind, veto.pass, veto.fail), (RuleKind::Veto, 2, 0));
        assert_eq!(c.clauses, 5);
        assert!(c.unexercised.is_empty(), "{:?}", c.unexercised);

        // With the veto's and the requirement's facts missing, their clauses are never decided.
        let facts = r#"{"units": [{"id": "A", "kind": "小区", "scores": {"1": 9.5}}]}"#;
        let r = run(&std, "missing", None, facts, &e).unwrap();
        let mut tally = Tally::new(&std);
        tally.count(&r);
        let c = tally.finish();
        assert_eq!(c.unexercised, ["一、3", "二", "二、1"]);
        let text = crate::cases::report::coverage_text(&c, crate::Lang::En);
        assert!(
            text.contains("clauses no case exercises:\n    一、3\n"),
            "{text}"
        );
        assert!(
            text.contains("· · ✓  小区 veto 一票否决事项 [一、3]"),
            "{text}"
        );
    }
}
