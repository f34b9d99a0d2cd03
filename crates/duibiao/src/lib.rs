//! duibiao (对标): executable assessment standards.
//!
//! This crate is the one public surface of duibiao, for Rust programs and for the bindings of
//! other languages, which speak its JSON [`protocol`]. Compile a [`Standard`] once (immutable,
//! cheap to clone, shared by any number of threads), load [`Facts`] with it, and evaluate,
//! explain, report progress, plan gaps, compare and keep evaluations [`Live`], every operation
//! taking the same [`Options`]. Whatever goes wrong is a [`Problem`]: a stable code, a message
//! and help in Chinese and English, and where it is. A standard's [`cases`] (examples with the
//! outcome its document gives them) run and report their clause coverage as `duibiao test` does.
//!
//! ```
//! use duibiao::{Options, Standard};
//! let source = r#"
//! standard demo { title "示例" }
//! kind 小区
//! facts 小区 { 一票否决: bool }
//! scorecard 小区 total 10 { item 1 "整体" max 10 }
//! tiers 小区 { 标准型 { score >= 6 } 示范型 requires 标准型 { score >= 9 } }
//! veto 小区 一票否决事项: 一票否决 blocks 示范型
//! "#;
//! let standard = Standard::compile("demo.std", source)?;
//! let facts = r#"{"units": [{"id": "A", "kind": "小区", "scores": {"1": 9.5}, "facts": {"一票否决": false}}]}"#;
//! let (loaded, problems) = standard.load_facts(facts);
//! assert!(problems.is_empty());
//! let outcome = standard.evaluate(&loaded, &Options::default())?;
//! assert_eq!(outcome.units[0].tier.as_deref(), Some("示范型"));
//! # Ok::<(), duibiao::Problems>(())
//! ```

pub mod cases;
pub mod codes;
mod facts;
mod form;
mod format;
mod gap;
pub mod generate;
pub mod impact;
mod limits;
mod live;
mod options;
mod problem;
pub mod protocol;
pub mod render;
mod standard;
pub mod table;
pub mod traceability;

pub use facts::Facts;
pub use form::{FieldType, Form, FormField, FormKind, FormParam, FormRecord, Measure, Place};
pub use format::format_standard;
pub use gap::{GapReport, Issue};
pub use limits::Limits;
pub use live::{Assigned, Live};
pub use options::{Assignment, Detail, Lang, Options, Threads};
pub use problem::{Location, Problem, Problems, Severity, Text};
pub use standard::{Explanation, Standard};

pub use duibiao_engine::change::Change;
pub use duibiao_engine::diff::{Diff, TargetDiff, UnitDiff, UnitRef};
pub use duibiao_engine::gap::Reason;
pub use duibiao_engine::guides::{GuideGroup, GuideReport};
pub use duibiao_engine::outcome::{
    ConditionOutcome, ConsequenceOutcome, FloorDetail, GroupOutcome, ItemOutcome, LimitDetail,
    Members, Outcome, PartOutcome, SummaryView, UnitOutcome, UnitSummary, Verdict, VetoOutcome,
};
pub use duibiao_engine::progress::{Progress, TargetProgress, TargetRow};
pub use duibiao_engine::{Missing, MissingParam};

/// The examples of `docs/embedding.md`, run as doctests.
#[doc = include_str!("../../../docs/embedding.md")]
#[cfg(doctest)]
pub struct EmbeddingDocs;

/// The JSON Schema of facts files (see `docs/facts-format.md`).
pub const FACTS_SCHEMA: &str = include_str!("facts.schema.json");

/// What changed between two outcomes (say, stored evaluations of two years, of one standard or of
/// two versions of it), units matched by id; the targets are compared when both progress reports
/// are given. [`Standard::diff`] compares two facts files without keeping their outcomes.
pub fn diff_outcomes(
    before: &Outcome,
    after: &Outcome,
    progress: Option<(&Progress, &Progress)>,
) -> Diff {
    duibiao_engine::diff::diff(before, after, progress)
}

/// The explanation of a unit's outcome as a person reads it.
pub fn explain_text(unit: &UnitOutcome, lang: Lang) -> String {
    duibiao_engine::explain::explain_text(unit, lang.into())
}

/// A unit's tier as tables and explanations head it: the tier reached (`—` for none), then the
/// tiers still unknown: `标准型（示范型 未知）`; `不定级` for a unit assessed but not rated
/// (`rated`: its verdict, for kinds with reasons not to rate).
pub fn tier_text(
    tier: Option<&str>,
    tiers: &indexmap::IndexMap<String, Verdict>,
    rated: Option<Verdict>,
    lang: Lang,
) -> String {
    duibiao_engine::explain::tier_text(tier, tiers, rated, lang.into())
}

/// What follows the title of a condition a rating rule puts on a tier, as explanations word it
/// (`（不定级：否）`, `：至多 四星（上年星级 + 1）`, `：按 score 94.6分 排第 2 名，名额 1 名（…）`);
/// `None` for other conditions.
pub fn rating_words(condition: &ConditionOutcome, lang: Lang) -> Option<String> {
    duibiao_engine::explain::rating_suffix(condition, lang.into())
}

/// The lines the `eval` table adds for a guide distribution, one per group of peers:
/// `指导比例 支部 五星 约 10%：参评 20 个，约 2 个；实际 3 个（15%），差 +1 个`.
pub fn guide_text(guide: &GuideReport, lang: Lang) -> String {
    duibiao_engine::guides::guide_text(guide, lang.into())
}

/// The words for a comparison operator (`>=` is 不低于 / at least).
pub fn op_words(op: &str, lang: Lang) -> &str {
    duibiao_engine::explain::op_words(op, lang.into())
}

/// The word for a verdict (达到 / 未达到 / 未知).
pub fn verdict_word(v: Verdict, lang: Lang) -> &'static str {
    v.word(lang.into())
}
