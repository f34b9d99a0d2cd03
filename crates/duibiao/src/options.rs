//! The options every operation takes, with the same defaults everywhere: parameter values, the
//! evaluation date, what-if assignments, how much detail, the language of texts, and which threads
//! evaluate.

use crate::codes::Code;
use crate::problem::{Location, Problem, Problems};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The language of messages and explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 中文 (the default).
    #[default]
    Zh,
    /// English.
    En,
}

impl From<Lang> for duibiao_compiler::render::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Zh => duibiao_compiler::render::Lang::Zh,
            Lang::En => duibiao_compiler::render::Lang::En,
        }
    }
}

/// How much of each unit's outcome an evaluation gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Detail {
    /// Id, name, kind, parent, score, tier, every tier's verdict, vetoes and missing inputs (the
    /// default).
    #[default]
    Summary,
    /// Also the items, every condition with its numbers and clause, requirements, consequences
    /// and derived values.
    Conditions,
    /// As `conditions`, and every aggregate lists the ids of the sub-units it counted.
    Members,
}

/// Which threads evaluate a large forest (4,096 units or more; smaller ones always use the
/// calling thread). Two pools are equal when they are the same pool.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Threads {
    /// Rayon's global pool, or the pool the call is made from (the default).
    #[default]
    Shared,
    /// Only the calling thread.
    Single,
    /// A pool of the caller's own (not available in the JSON protocol).
    #[serde(skip)]
    Pool(Arc<rayon::ThreadPool>),
}

impl PartialEq for Threads {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Threads::Shared, Threads::Shared) | (Threads::Single, Threads::Single) => true,
            (Threads::Pool(a), Threads::Pool(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// A what-if change to one input of one unit, applied to the facts before the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Assignment {
    /// The unit, the key and the value, as a facts file writes them (`null`: not reported).
    Value {
        /// The unit's id.
        unit: String,
        /// A fact's name or a scored part's key (`6.1`).
        key: String,
        /// The value.
        value: serde_json::Value,
    },
    /// `UNIT.KEY=VALUE`, as the command line's `--set` takes it (the longest unit id that
    /// matches wins; the value is JSON, or text when it is not JSON).
    Text(String),
}

/// The options of an operation. Every field has a default, the same for every operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Options {
    /// Parameter values by name, as a facts file writes them; they override the standard's and
    /// the facts file's.
    pub params: IndexMap<String, serde_json::Value>,
    /// The evaluation date (default: the facts file's `as_of`, else none). It decides dated
    /// parameter values, quota columns, `as_of` in rules, and which targets are due.
    pub as_of: Option<chrono::NaiveDate>,
    /// What-if assignments, applied in order.
    pub set: Vec<Assignment>,
    /// How much of each unit's outcome an evaluation's response gives (default: summary); the
    /// typed `Standard::evaluate` always gives full outcomes, with member ids under `members`.
    pub detail: Detail,
    /// The language of texts such as explanations (default: Chinese). Problems always carry both.
    pub lang: Lang,
    /// Which threads evaluate (default: shared).
    pub threads: Threads,
}

impl Options {
    /// The default options.
    pub fn new() -> Self {
        Options::default()
    }

    /// With a parameter's value.
    pub fn param(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.params.insert(name.into(), value);
        self
    }

    /// With a parameter written `名称=值` as the command line's `--param` takes it (the value is
    /// JSON, or text when it is not JSON).
    pub fn param_text(mut self, assignment: &str) -> Result<Self, Problems> {
        let (name, raw) = assignment.split_once('=').ok_or_else(|| {
            Problems::one(
                Problem::error(
                    Code::P0004,
                    format!("应写成 `名称=值`，实际为 `{assignment}`"),
                    format!("expected `NAME=VALUE`, found `{assignment}`"),
                )
                .at(Location::data(None, None, Some(assignment))),
            )
        })?;
        let raw = raw.trim();
        let value = serde_json::from_str::<serde_json::Value>(raw)
            .ok()
            .filter(|v| !v.is_string())
            .unwrap_or_else(|| serde_json::Value::String(raw.to_string()));
        self.params.insert(name.trim().to_string(), value);
        Ok(self)
    }

    /// On the evaluation date `date`.
    pub fn as_of(mut self, date: chrono::NaiveDate) -> Self {
        self.as_of = Some(date);
        self
    }

    /// With a what-if assignment.
    pub fn set(mut self, assignment: Assignment) -> Self {
        self.set.push(assignment);
        self
    }

    /// With this much detail.
    pub fn detail(mut self, detail: Detail) -> Self {
        self.detail = detail;
        self
    }

    /// In this language.
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// On these threads.
    pub fn threads(mut self, threads: Threads) -> Self {
        self.threads = threads;
        self
    }

    /// Runs `f` on the threads chosen.
    pub(crate) fn run<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        match &self.threads {
            Threads::Pool(pool) => pool.install(f),
            Threads::Shared | Threads::Single => f(),
        }
    }
}
