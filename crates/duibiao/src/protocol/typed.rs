//! Requests as typed values: built by programs (Rust clients, tests, the conformance suite) with
//! facts as JSON values, described by the request's JSON Schema, and read by the runtime with
//! facts as the text they are (`Request<&RawValue>`, passed on to the loader unparsed).

use crate::limits::Limits;
use crate::options::{Assignment, Options};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A request: its `call` and that call's fields. `F` is how facts are held: JSON values for
/// programs that build requests, borrowed JSON text when the runtime reads one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "call", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(description = "A request: its `call` and that call's fields.")]
#[non_exhaustive]
pub enum Request<F = serde_json::Value> {
    /// What this engine speaks: the protocol and engine versions and every call.
    Version {},
    /// Compile a standard; the response gives its `handle`, title, kinds and warnings.
    Compile {
        /// The `.std` text.
        source: String,
        /// The file name used in problems' locations (default `standard.std`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        /// The limits the standard is compiled and its facts loaded within; the fields given
        /// replace the defaults.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limits: Option<Limits>,
    },
    /// Forget a standard's handle.
    Release {
        /// The handle.
        standard: u64,
    },
    /// Evaluate every unit of a facts file.
    Evaluate {
        /// The standard's handle.
        standard: u64,
        /// The facts (a facts file's object).
        facts: F,
        /// The options.
        #[serde(default)]
        options: Options,
    },
    /// Explain one unit.
    Explain {
        /// The standard's handle.
        standard: u64,
        /// The facts.
        facts: F,
        /// The unit's id.
        unit: String,
        /// The options.
        #[serde(default)]
        options: Options,
    },
    /// Progress against the dated targets on the evaluation date.
    Progress {
        /// The standard's handle.
        standard: u64,
        /// The facts.
        facts: F,
        /// The options.
        #[serde(default)]
        options: Options,
    },
    /// The gap plan for a unit to reach a tier.
    Gap {
        /// The standard's handle.
        standard: u64,
        /// The facts.
        facts: F,
        /// The unit's id.
        unit: String,
        /// The tier to reach.
        tier: String,
        /// The options.
        #[serde(default)]
        options: Options,
    },
    /// What changed between two facts files of the standard.
    Diff {
        /// The standard's handle.
        standard: u64,
        /// The facts before.
        before: F,
        /// The facts after.
        after: F,
        /// The options.
        #[serde(default)]
        options: Options,
    },
    /// An empty facts file for one unit of a kind.
    Template {
        /// The standard's handle.
        standard: u64,
        /// The kind.
        kind: String,
    },
    /// A JSON Schema: `facts`, `request` or `response`.
    Schema {
        /// Which schema.
        name: String,
    },
    /// Open a live session: an evaluation kept up to date change by change.
    LiveOpen {
        /// The standard's handle.
        standard: u64,
        /// The facts.
        facts: F,
        /// The options.
        #[serde(default)]
        options: Options,
    },
    /// Apply what-if assignments to a live session, in order.
    LiveAssign {
        /// The session's handle.
        live: u64,
        /// The assignments.
        set: Vec<Assignment>,
    },
    /// One unit's outcome in a live session, as it is now.
    LiveUnit {
        /// The session's handle.
        live: u64,
        /// The unit's id.
        unit: String,
    },
    /// Close a live session.
    LiveClose {
        /// The session's handle.
        live: u64,
    },
}

impl<F: Serialize> Request<F> {
    /// The name of its call (`evaluate` …).
    pub fn call(&self) -> &'static str {
        match self {
            Request::Version {} => "version",
            Request::Compile { .. } => "compile",
            Request::Release { .. } => "release",
            Request::Evaluate { .. } => "evaluate",
            Request::Explain { .. } => "explain",
            Request::Progress { .. } => "progress",
            Request::Gap { .. } => "gap",
            Request::Diff { .. } => "diff",
            Request::Template { .. } => "template",
            Request::Schema { .. } => "schema",
            Request::LiveOpen { .. } => "live_open",
            Request::LiveAssign { .. } => "live_assign",
            Request::LiveUnit { .. } => "live_unit",
            Request::LiveClose { .. } => "live_close",
        }
    }

    /// The request as JSON text, as [`crate::protocol::Runtime::call`] takes it.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}
