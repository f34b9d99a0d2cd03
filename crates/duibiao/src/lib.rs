//! duibiao (对标): executable assessment standards.
//!
//! This is the facade a host application depends on. It is small on purpose, and every call has a
//! JSON-in / JSON-out form in [`json`], so that bindings for other languages stay thin.
//!
//! ```
//! let source = r#"
//! standard demo { title "示例" }
//! kind 小区
//! facts 小区 { 一票否决: bool }
//! scorecard 小区 total 10 { item 1 "整体" max 10 }
//! tiers 小区 { 标准型 { score >= 6 } 示范型 requires 标准型 { score >= 9 } }
//! veto 小区 一票否决事项: 一票否决 blocks 示范型
//! "#;
//! let standard = duibiao::Standard::compile("demo.std", source).map_err(|e| e.render(duibiao::Lang::En))?;
//! let facts = r#"{"units": [{"id": "A", "kind": "小区", "scores": {"1": 9.5}, "facts": {"一票否决": false}}]}"#;
//! let (loaded, errors) = standard.load_facts(facts);
//! assert!(errors.is_empty());
//! let outcome = standard.evaluate(&loaded, &[]).map_err(|e| format!("{e:?}"))?;
//! assert_eq!(outcome.units[0].tier.as_deref(), Some("示范型"));
//! # Ok::<(), String>(())
//! ```

pub mod generate;
pub mod json;
pub mod traceability;

pub use duibiao_compiler::diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use duibiao_compiler::graph::{self, Graph};
pub use duibiao_compiler::render::{line_col, DiagnosticReport, Lang};
pub use duibiao_compiler::{Type, Value};
/// The engine underneath, for programs that drive evaluation themselves (benchmarks, tests).
pub use duibiao_engine as engine;
pub use duibiao_engine::change::Change;
pub use duibiao_engine::diff::{Diff, TargetDiff, UnitDiff};
pub use duibiao_engine::explain::{explain_text, op_words};
pub use duibiao_engine::facts::{Facts, FactsError, FactsErrorKind};
pub use duibiao_engine::gap::Reason;
pub use duibiao_engine::incremental::Live;
pub use duibiao_engine::outcome::{
    ConditionOutcome, ConsequenceOutcome, GroupOutcome, ItemOutcome, Members, Outcome, PartOutcome,
    UnitOutcome, UnitSummary, Verdict, VetoOutcome,
};
pub use duibiao_engine::progress::{Progress, TargetProgress, TargetRow};
pub use duibiao_engine::{Missing, MissingParam, UnitTree};

use duibiao_compiler::graph::InputOrigin;
use std::sync::Arc;

/// The JSON Schema of facts files (see `docs/facts-format.md`).
pub const FACTS_SCHEMA: &str = include_str!("facts.schema.json");

/// A compiled standard: immutable, cheap to clone, safe to share between threads.
#[derive(Debug, Clone)]
pub struct Standard {
    graph: Arc<Graph>,
    fingerprint: String,
    file: String,
    source: Arc<str>,
    warnings: Vec<Diagnostic>,
}

/// A `.std` file that did not compile: every diagnostic, with the text to show them against.
#[derive(Debug, Clone)]
pub struct CompileErrors {
    /// The file name.
    pub file: String,
    /// The file's text.
    pub source: String,
    /// Every diagnostic, errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl CompileErrors {
    /// The diagnostics rendered for a terminal.
    pub fn render(&self, lang: Lang) -> String {
        render_all(&self.diagnostics, &self.file, &self.source, lang)
    }

    /// The diagnostics as JSON-ready reports.
    pub fn reports(&self) -> Vec<DiagnosticReport> {
        self.diagnostics
            .iter()
            .map(|d| DiagnosticReport::new(d, &self.file, &self.source))
            .collect()
    }
}

fn render_all(diags: &[Diagnostic], file: &str, src: &str, lang: Lang) -> String {
    diags
        .iter()
        .map(|d| duibiao_compiler::render(d, file, src, lang))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A gap plan for one unit and one tier: what stands in the way (问题清单) and what to change
/// (提升清单).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
    /// 提升清单: the changes to facts and scores, as `--set UNIT.KEY=VALUE` takes them.
    pub changes: Vec<Change>,
    /// 问题清单: every condition not met (or unknown) of the tiers above the current one up to
    /// the target, with its tier.
    pub issues: Vec<Issue>,
    /// Why the target cannot be reached, when it cannot.
    pub reasons: Vec<Reason>,
}

/// A condition standing between a unit and a tier.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Issue {
    /// The tier it belongs to.
    pub tier: String,
    /// The condition as evaluated.
    #[serde(flatten)]
    pub condition: ConditionOutcome,
}

/// Why a gap plan could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GapError {
    /// No such unit.
    #[error("no unit `{0}` in the facts")]
    UnknownUnit(String),
    /// No such tier for the unit's kind.
    #[error("`{kind}` has no tier `{tier}`{}", if known.is_empty() { "; it declares no tiers".to_string() } else { format!("; its tiers are {}", known.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")) })]
    UnknownTier {
        /// The kind.
        kind: String,
        /// The tier asked for.
        tier: String,
        /// The kind's tiers.
        known: Vec<String>,
    },
    /// Parameters without values.
    #[error("{}", .0.iter().map(|m| m.to_string()).collect::<Vec<_>>().join("; "))]
    Missing(Vec<MissingParam>),
}

impl GapError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            GapError::UnknownUnit(u) => format!("数据中没有单位 `{u}`"),
            GapError::UnknownTier { kind, tier, known } if known.is_empty() => {
                format!("`{kind}` 没有等级 `{tier}`：它没有声明等级")
            }
            GapError::UnknownTier { kind, tier, known } => format!(
                "`{kind}` 没有等级 `{tier}`，它的等级有 {}",
                known
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            GapError::Missing(m) => m
                .iter()
                .map(|x| x.message_zh())
                .collect::<Vec<_>>()
                .join("；"),
        }
    }
}

/// A user-supplied parameter value that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    /// Not of the form `名称=值`.
    #[error("expected `NAME=VALUE`, found `{0}`")]
    Syntax(String),
    /// No such parameter.
    #[error("unknown parameter `{0}`")]
    Unknown(String),
    /// A value that does not fit the parameter's type.
    #[error("parameter `{name}`: {problem}")]
    Value {
        /// The parameter.
        name: String,
        /// What is wrong.
        problem: String,
        /// What is wrong, in Chinese.
        problem_zh: String,
    },
}

impl ParamError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            ParamError::Syntax(s) => format!("应写成 `名称=值`，实际为 `{s}`"),
            ParamError::Unknown(n) => format!("未知参数 `{n}`"),
            ParamError::Value {
                name, problem_zh, ..
            } => format!("参数 `{name}`：{problem_zh}"),
        }
    }
}

impl Standard {
    /// Compiles the text of a `.std` file named `file`.
    pub fn compile(file: &str, source: &str) -> Result<Standard, CompileErrors> {
        let compiled = duibiao_compiler::compile(source);
        let failed = compiled.has_errors();
        match compiled.graph {
            Some(graph) if !failed => Ok(Standard {
                fingerprint: compiled.fingerprint.unwrap_or_default(),
                graph: Arc::new(graph),
                file: file.to_string(),
                source: Arc::from(source),
                warnings: compiled.diagnostics,
            }),
            _ => Err(CompileErrors {
                file: file.to_string(),
                source: source.to_string(),
                diagnostics: compiled.diagnostics,
            }),
        }
    }

    /// The evaluation graph.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The fingerprint of the compiled rules (`sha256:…`).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The file name it was compiled from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The source text it was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Warnings found while compiling.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The warnings rendered for a terminal.
    pub fn render_warnings(&self, lang: Lang) -> String {
        render_all(&self.warnings, &self.file, &self.source, lang)
    }

    /// The warnings as JSON-ready reports.
    pub fn warning_reports(&self) -> Vec<DiagnosticReport> {
        self.warnings
            .iter()
            .map(|d| DiagnosticReport::new(d, &self.file, &self.source))
            .collect()
    }

    /// Loads a facts file (JSON text). Returns what could be loaded and every problem found.
    pub fn load_facts(&self, json: &str) -> (Facts, Vec<FactsError>) {
        duibiao_engine::facts::load(&self.graph, json)
    }

    /// Parses `名称=值` into a parameter value (for `--param`).
    pub fn parse_param(&self, assignment: &str) -> Result<(usize, Value), ParamError> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| ParamError::Syntax(assignment.to_string()))?;
        let name = name.trim();
        let idx = self
            .graph
            .params
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| ParamError::Unknown(name.to_string()))?;
        let raw = value.trim();
        let json = serde_json::from_str::<serde_json::Value>(raw)
            .ok()
            .filter(|v| !v.is_string())
            .unwrap_or_else(|| serde_json::Value::String(raw.to_string()));
        match duibiao_engine::facts::parse_value(&self.graph, self.graph.params[idx].ty, &json) {
            Ok(Some(v)) => Ok((idx, v)),
            Ok(None) => Err(ParamError::Value {
                name: name.to_string(),
                problem: "a value is required".into(),
                problem_zh: "需要一个值".into(),
            }),
            Err(e) => Err(ParamError::Value {
                name: name.to_string(),
                problem: e.to_string(),
                problem_zh: e.message_zh(),
            }),
        }
    }

    /// Evaluates loaded facts. `params` override the standard's and the facts file's parameter
    /// values. Fails only when a parameter the standard leaves open has no value.
    pub fn evaluate(
        &self,
        facts: &Facts,
        params: &[(usize, Value)],
    ) -> Result<Outcome, Vec<MissingParam>> {
        self.evaluate_with(facts, params, false)
    }

    /// As [`Standard::evaluate`]; with `detail`, aggregates list the ids of the sub-units counted.
    pub fn evaluate_with(
        &self,
        facts: &Facts,
        params: &[(usize, Value)],
        detail: bool,
    ) -> Result<Outcome, Vec<MissingParam>> {
        self.evaluate_on(facts, params, facts.as_of, detail)
    }

    /// As [`Standard::evaluate_with`], on the evaluation date `as_of` (which decides dated
    /// parameter values, quota columns and `as_of` in rules) instead of the facts file's.
    pub fn evaluate_on(
        &self,
        facts: &Facts,
        params: &[(usize, Value)],
        as_of: Option<chrono::NaiveDate>,
        detail: bool,
    ) -> Result<Outcome, Vec<MissingParam>> {
        let ctx = duibiao_engine::Context::new(&self.graph, &self.supplied(facts, params), as_of)?;
        let eval = duibiao_engine::evaluate(&self.graph, &facts.tree, &ctx);
        Ok(duibiao_engine::outcome(
            &self.graph,
            &self.fingerprint,
            &facts.tree,
            &eval,
            &ctx,
            detail,
        ))
    }

    /// Progress against the standard's dated targets on `as_of`: every target due by then, met
    /// or missed, per unit and overall.
    pub fn progress(
        &self,
        facts: &Facts,
        params: &[(usize, Value)],
        as_of: chrono::NaiveDate,
    ) -> Result<Progress, Vec<MissingParam>> {
        duibiao_engine::progress::progress(
            &self.graph,
            &self.fingerprint,
            &facts.tree,
            &self.supplied(facts, params),
            as_of,
        )
    }

    /// Applies a what-if assignment `UNIT.KEY=VALUE` to loaded facts (`null` makes the input
    /// not reported). Returns the change made.
    pub fn set(&self, facts: &mut Facts, assignment: &str) -> Result<Change, Box<FactsError>> {
        duibiao_engine::change::assign(&self.graph, &mut facts.tree, assignment)
    }

    /// The gap plan for `unit` to reach `tier`: the conditions in the way and a set of changes
    /// that reaches it (checked by evaluation), or why it cannot be reached.
    pub fn gap(
        &self,
        facts: &Facts,
        params: &[(usize, Value)],
        as_of: Option<chrono::NaiveDate>,
        unit: &str,
        tier: &str,
    ) -> Result<GapReport, GapError> {
        let ctx = duibiao_engine::Context::new(&self.graph, &self.supplied(facts, params), as_of)
            .map_err(GapError::Missing)?;
        let u = facts
            .tree
            .find(unit)
            .ok_or_else(|| GapError::UnknownUnit(unit.to_string()))?;
        let kg = &self.graph.kinds[facts.tree.units[u].kind as usize];
        let target = kg.tier(tier).ok_or_else(|| GapError::UnknownTier {
            kind: kg.name.clone(),
            tier: tier.to_string(),
            known: kg.tiers.iter().map(|t| t.name.clone()).collect(),
        })?;
        let eval = duibiao_engine::evaluate(&self.graph, &facts.tree, &ctx);
        let now = duibiao_engine::unit_outcome(&self.graph, &facts.tree, &eval, u, true);
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
                    for r in group
                        .requirements
                        .iter()
                        .filter(|r| r.verdict != Verdict::Pass)
                    {
                        issues.push(Issue {
                            tier: t.name.clone(),
                            condition: r.clone(),
                        });
                    }
                }
            }
        }
        let plan =
            duibiao_engine::gap::plan(&self.graph, &ctx, &facts.tree, u, kg.tiers[target].node);
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
    }

    /// What changed between two evaluations of this standard (units matched by id); targets
    /// are compared when both facts have an evaluation date.
    pub fn diff(
        &self,
        before: &Facts,
        after: &Facts,
        params: &[(usize, Value)],
    ) -> Result<Diff, Vec<MissingParam>> {
        let a = self.evaluate_with(before, params, false)?;
        let b = self.evaluate_with(after, params, false)?;
        let progress = match (before.as_of, after.as_of) {
            (Some(da), Some(db)) => Some((
                self.progress(before, params, da)?,
                self.progress(after, params, db)?,
            )),
            _ => None,
        };
        Ok(duibiao_engine::diff::diff(
            &a,
            &b,
            progress.as_ref().map(|(x, y)| (x, y)),
        ))
    }

    /// An evaluation kept up to date change by change: `Live::assign("UNIT.KEY=VALUE")`
    /// evaluates again only the units the change can affect.
    pub fn live(
        &self,
        facts: Facts,
        params: &[(usize, Value)],
        as_of: Option<chrono::NaiveDate>,
    ) -> Result<Live, Vec<MissingParam>> {
        let ctx = duibiao_engine::Context::new(&self.graph, &self.supplied(&facts, params), as_of)?;
        Ok(Live::new(Arc::clone(&self.graph), facts.tree, ctx))
    }

    /// Parameter values: the facts file's, overridden by `params`.
    fn supplied(&self, facts: &Facts, params: &[(usize, Value)]) -> Vec<(usize, Value)> {
        let mut supplied = facts.params.clone();
        supplied.extend_from_slice(params);
        supplied
    }

    /// An empty facts skeleton for one unit of `kind`, for an assessor to fill in; `None` if the
    /// standard has no such kind.
    pub fn template(&self, kind: &str) -> Option<serde_json::Value> {
        let kg = self.graph.kinds.iter().find(|k| k.name == kind)?;
        let mut facts = serde_json::Map::new();
        let mut scores = serde_json::Map::new();
        for i in &kg.inputs {
            match i.origin {
                InputOrigin::Fact => facts.insert(i.key.clone(), serde_json::Value::Null),
                InputOrigin::Points { .. } => scores.insert(i.key.clone(), serde_json::Value::Null),
            };
        }
        // Parameters the standard leaves open must be supplied.
        let params: serde_json::Map<String, serde_json::Value> = self
            .graph
            .params
            .iter()
            .filter(|p| matches!(p.value, duibiao_compiler::graph::ParamValue::Required))
            .map(|p| (p.name.clone(), serde_json::Value::Null))
            .collect();
        Some(serde_json::json!({
            "standard": self.graph.info.slug,
            "as_of": null,
            "params": params,
            "units": [{
                "id": "",
                "name": "",
                "kind": kind,
                "parent": null,
                "scores": scores,
                "facts": facts,
            }]
        }))
    }
}

#[cfg(test)]
mod json_tests {
    use serde_json::Value;

    fn read(rel: &str) -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../").to_string() + rel)
            .unwrap_or_default()
    }

    #[test]
    fn gap_and_diff_speak_json() {
        let src = read("standards/haiyan-2021.std");
        let demo = read("standards/haiyan-2021/demo.json");
        let g = crate::json::gap("haiyan.std", &src, &demo, "SQ3", "示范型", &[]);
        assert_eq!(g["ok"], Value::Bool(true), "{g}");
        assert_eq!(g["plan"]["reachable"], Value::Bool(true));
        // With the plan applied as what-if assignments, the unit is there already.
        let sets: Vec<String> = g["plan"]["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                format!(
                    "{}.{}={}",
                    c["unit"].as_str().unwrap_or(""),
                    c["key"].as_str().unwrap_or(""),
                    c["to"]
                )
            })
            .collect();
        let again = crate::json::gap("haiyan.std", &src, &demo, "SQ3", "示范型", &sets);
        assert_eq!(again["plan"]["current"], "示范型", "{again}");
        assert_eq!(again["plan"]["changes"], serde_json::json!([]));
        let bad = crate::json::gap("haiyan.std", &src, &demo, "SQ3", "金牌", &[]);
        assert_eq!(bad["ok"], Value::Bool(false));
        let d = crate::json::diff("haiyan.std", &src, &demo, &demo);
        assert_eq!(d["diff"]["changed"], serde_json::json!([]), "{d}");
    }
}
