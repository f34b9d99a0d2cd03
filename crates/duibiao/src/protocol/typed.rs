//! Requests as typed values, for programs that build them (Rust clients, tests, the conformance
//! suite) and for the request's JSON Schema. The runtime reads requests without this type (it
//! passes facts on to the loader as text); a test keeps the two in step.

use crate::options::{Assignment, Options};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A request: its `call` and that call's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "call", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Request {
    /// What this engine speaks: the protocol and engine versions and every call.
    Version {},
    /// Compile a standard; the response gives its `handle`, title, kinds and warnings.
    Compile {
        /// The `.std` text.
        source: String,
        /// The file name used in problems' locations (default `standard.std`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
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
        facts: serde_json::Value,
        /// The options.
        #[serde(default)]
        options: Options,
    },
    /// Explain one unit.
    Explain {
        /// The standard's handle.
        standard: u64,
        /// The facts.
        facts: serde_json::Value,
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
        facts: serde_json::Value,
        /// The options.
        #[serde(default)]
        options: Options,
    },
    /// The gap plan for a unit to reach a tier.
    Gap {
        /// The standard's handle.
        standard: u64,
        /// The facts.
        facts: serde_json::Value,
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
        before: serde_json::Value,
        /// The facts after.
        after: serde_json::Value,
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
        facts: serde_json::Value,
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

impl Request {
    /// The request as JSON text, as [`crate::protocol::Runtime::call`] takes it.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}
