//! The embedding protocol, version 1: JSON requests and responses, the same in every binding.
//!
//! A request is one JSON object naming its `call` (and optionally `"protocol": 1`); calls that
//! work on a standard name it by the handle `compile` returned, never by its text. Every response
//! is an object stamped with the protocol and engine versions and, where a standard is involved,
//! its slug and fingerprint; `ok` says whether the call did all it was asked, `problems` lists
//! every problem (see [`crate::Problem`]), and the call's own fields follow. See
//! `docs/embedding.md` for the calls and `docs/protocol/` for the JSON Schemas.

pub mod boundary;
mod request;
mod runtime;
pub mod schema;
pub(crate) mod stream;
mod typed;
mod write;

pub use request::{serde_problem, CALLS};
pub use runtime::Runtime;
pub use typed::Request;
pub use write::{write_evaluation, write_response, Style};

use crate::gap::GapReport;
use crate::live::Assigned;
use crate::problem::Problem;
use crate::standard::Explanation;
use duibiao_engine::diff::Diff;
use duibiao_engine::guides::GuideReport;
use duibiao_engine::outcome::{UnitOutcome, UnitSummary};
use duibiao_engine::progress::TargetProgress;
use duibiao_engine::MissingParam;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The protocol's version. A request may name it (`"protocol": 1`); a response always does.
pub const PROTOCOL: u32 = 1;

/// The engine's version (this crate's).
pub const ENGINE: &str = env!("CARGO_PKG_VERSION");

/// A response: the stamp, whether the call did all it was asked, every problem, and the call's
/// own fields (`body`, absent when the call could not be made).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Response<B> {
    /// The protocol's version.
    pub protocol: u32,
    /// The engine's version.
    pub engine: String,
    /// The call answered (`null` when the request named none that exists).
    pub call: Option<String>,
    /// The standard's slug, when the call involves one.
    pub standard: Option<String>,
    /// The standard's fingerprint, when the call involves one.
    pub fingerprint: Option<String>,
    /// Whether the call did all it was asked, without any problem of severity `error`.
    pub ok: bool,
    /// Every problem, in the order found.
    pub problems: Vec<Problem>,
    /// The call's own fields.
    #[serde(flatten)]
    pub body: Option<B>,
}

impl<B> Response<B> {
    /// A response to `call`, stamped with `standard`'s slug and fingerprint when given; `ok`
    /// when there is a body and no problem is an error.
    pub fn new(
        call: Option<&str>,
        standard: Option<&crate::Standard>,
        problems: Vec<Problem>,
        body: Option<B>,
    ) -> Self {
        Response {
            protocol: PROTOCOL,
            engine: ENGINE.to_string(),
            call: call.map(str::to_string),
            standard: standard.map(|s| s.slug().to_string()),
            fingerprint: standard.map(|s| s.fingerprint().to_string()),
            ok: body.is_some() && !problems.iter().any(Problem::is_error),
            problems,
            body,
        }
    }
}

/// `version`: what this engine speaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct VersionBody {
    /// Every call it answers.
    pub calls: Vec<String>,
}

/// `compile`: the standard's handle and what it assesses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct CompileBody {
    /// The handle naming the standard in later calls (absent where there are no handles, as in
    /// `duibiao check`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<u64>,
    /// The standard's title.
    pub title: Option<String>,
    /// The kinds of unit it assesses.
    pub kinds: Vec<String>,
}

impl CompileBody {
    /// The body describing `standard`, with its handle when it has one.
    pub fn of(standard: &crate::Standard, handle: Option<u64>) -> Self {
        CompileBody {
            handle,
            title: standard.title().map(str::to_string),
            kinds: standard.kinds().into_iter().map(str::to_string).collect(),
        }
    }
}

/// One unit's result in an evaluation: its summary, or its full outcome when more detail was
/// asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)]
pub enum UnitResult {
    /// The full outcome (`detail`: `conditions` or `members`).
    Outcome(UnitOutcome),
    /// The summary (`detail`: `summary`).
    Summary(UnitSummary),
}

/// `evaluate`: every unit's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct EvaluateBody {
    /// The evaluation date.
    pub as_of: Option<String>,
    /// Dated parameters without a value on the evaluation date: rules reading them are unknown.
    pub unresolved_params: Vec<MissingParam>,
    /// The standard's guide distributions (`guide`) with their numbers per group of peers; left
    /// out when it has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guides: Vec<GuideReport>,
    /// Every unit, in the facts' order.
    pub units: Vec<UnitResult>,
}

impl EvaluateBody {
    /// The result of the unit with this id.
    pub fn unit(&self, id: &str) -> Option<&UnitResult> {
        self.units.iter().find(|u| u.id() == id)
    }
}

impl UnitResult {
    /// The unit's id.
    pub fn id(&self) -> &str {
        match self {
            UnitResult::Outcome(o) => &o.id,
            UnitResult::Summary(s) => &s.id,
        }
    }

    /// The tier reached.
    pub fn tier(&self) -> Option<&str> {
        match self {
            UnitResult::Outcome(o) => o.tier.as_deref(),
            UnitResult::Summary(s) => s.tier.as_deref(),
        }
    }

    /// The score.
    pub fn score(&self) -> Option<&str> {
        match self {
            UnitResult::Outcome(o) => o.score.as_deref(),
            UnitResult::Summary(s) => s.score.as_deref(),
        }
    }
}

/// `explain`: one unit's full outcome and its explanation as text.
pub type ExplainBody = Explanation;

/// `progress`: every target due by the evaluation date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ProgressBody {
    /// The evaluation date.
    pub as_of: String,
    /// Every target due by then, with its rows per unit and overall.
    pub targets: Vec<TargetProgress>,
    /// Whether every hard target is met.
    pub all_hard_met: bool,
}

impl From<duibiao_engine::progress::Progress> for ProgressBody {
    fn from(p: duibiao_engine::progress::Progress) -> Self {
        ProgressBody {
            as_of: p.as_of,
            targets: p.targets,
            all_hard_met: p.all_hard_met,
        }
    }
}

/// `gap`: the gap plan.
pub type GapBody = GapReport;

/// `diff`: what changed.
pub type DiffBody = Diff;

/// `template`: an empty facts file for one unit of a kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct TemplateBody {
    /// The facts skeleton.
    pub facts: serde_json::Value,
}

/// `schema`: a JSON Schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct SchemaBody {
    /// The schema.
    pub schema: serde_json::Value,
}

/// `live_open`: the live session's handle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct LiveOpenBody {
    /// The handle naming the session in `live_assign`, `live_unit` and `live_close`.
    pub live: u64,
    /// How many units it holds.
    pub units: usize,
    /// The evaluation date.
    pub as_of: Option<String>,
    /// Dated parameters without a value on the evaluation date.
    pub unresolved_params: Vec<MissingParam>,
}

/// `live_assign`: what each assignment did, in order (those with problems left out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct LiveAssignBody {
    /// One entry per assignment applied.
    pub assigned: Vec<Assigned>,
}

/// `live_unit`: one unit's outcome as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct LiveUnitBody {
    /// The unit's outcome.
    pub unit: UnitOutcome,
}

/// Calls with nothing to say but `ok` (`release`, `live_close`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct EmptyBody {}
