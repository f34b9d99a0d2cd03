//! Outcomes: for every unit, its score with the breakdown per item and part, each tier's verdict
//! with every condition (value, threshold, citation, missing facts), the vetoes that fired and
//! the tier reached. Stamped with the standard's fingerprint.

mod bounds;
mod build;
mod place;
mod records;
mod summary;

use duibiao_compiler::graph::Graph;
use duibiao_compiler::{Dim, Lang, Type, Value};
use indexmap::IndexMap;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

pub(crate) use build::rated;
pub use build::{
    comparison, is_record, is_record_unit, outcome, unit_outcome, unit_summary, Comparison,
};
pub use summary::SummaryView;

/// Pass, fail or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The condition holds.
    Pass,
    /// The condition does not hold.
    Fail,
    /// Missing facts leave it open.
    Unknown,
}

impl Verdict {
    /// The verdict of a truth value.
    pub fn of(v: Value) -> Verdict {
        match v {
            Value::Bool(true) => Verdict::Pass,
            Value::Bool(false) => Verdict::Fail,
            _ => Verdict::Unknown,
        }
    }

    /// The verdict in words.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Verdict::Pass, Lang::Zh) => "达到",
            (Verdict::Fail, Lang::Zh) => "未达到",
            (Verdict::Unknown, Lang::Zh) => "未知",
            (Verdict::Pass, Lang::En) => "pass",
            (Verdict::Fail, Lang::En) => "fail",
            (Verdict::Unknown, Lang::En) => "unknown",
        }
    }
}

/// The outcome of evaluating a forest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Outcome {
    /// The standard's slug.
    pub standard: String,
    /// The fingerprint of the compiled standard.
    pub fingerprint: String,
    /// The evaluation date, if given.
    pub as_of: Option<String>,
    /// Dated parameters with no value on the evaluation date (rules reading them are unknown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unresolved_params: Vec<crate::eval::MissingParam>,
    /// One outcome per unit, in input order.
    pub units: Vec<UnitOutcome>,
    /// The standard's guide distributions (`guide`), with their numbers per group of peers;
    /// left out when it has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guides: Vec<crate::guides::GuideReport>,
}

/// The outcome for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct UnitOutcome {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its kind.
    pub kind: String,
    /// Its parent's id.
    pub parent: Option<String>,
    /// Total score, or null when unknown (or the kind is not scored).
    pub score: Option<String>,
    /// The scorecard's declared total.
    pub score_total: Option<String>,
    /// The highest tier passed, or null.
    pub tier: Option<String>,
    /// Each tier's verdict, lowest first.
    pub tiers: IndexMap<String, Verdict>,
    /// Whether the unit is rated, for kinds with reasons not to rate (`unrated`): `fail` when
    /// it is assessed but not rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rated: Option<Verdict>,
    /// Whether the kind's score is computed by a formula (which has no declared total): a null
    /// `score` is then unknown, as it is for a kind with a scorecard.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub formula: bool,
    /// Points per item and part.
    pub items: Vec<ItemOutcome>,
    /// Each tier's conditions.
    pub conditions: IndexMap<String, Vec<ConditionOutcome>>,
    /// Each veto, and whether it fired.
    pub vetoes: Vec<VetoOutcome>,
    /// Requirement groups and their requirements.
    pub requirements: Vec<GroupOutcome>,
    /// Derived values.
    pub derived: IndexMap<String, Option<String>>,
    /// Consequences: amounts granted, and who pays them.
    pub consequences: Vec<ConsequenceOutcome>,
    /// Inputs the unit did not report.
    pub missing: Vec<String>,
    /// For a record (积分记录 `A#2`, explained on its own), its fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<RecordFields>,
}

/// A consequence for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ConsequenceOutcome {
    /// Its name.
    pub name: String,
    /// Whether its condition holds.
    pub applies: Verdict,
    /// The amount, when it applies.
    pub amount: Option<String>,
    /// Each payer's share of the amount, when it applies.
    pub split: Vec<(String, Option<String>)>,
    /// Its clause.
    pub clause: Option<String>,
}

/// Points of one scorecard item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ItemOutcome {
    /// The document's number.
    pub number: u32,
    /// Its title.
    pub title: String,
    /// Its maximum.
    pub max: String,
    /// Points awarded, or null when a part is missing.
    pub points: Option<String>,
    /// Its parts.
    pub parts: Vec<PartOutcome>,
}

/// Points of one scored part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct PartOutcome {
    /// Its key (`6.1`).
    pub key: String,
    /// Its maximum.
    pub max: String,
    /// Points awarded, or null.
    pub points: Option<String>,
}

/// The sub-units an aggregate ranged over: counts, and with detail their ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Members {
    /// The aggregate: `all`, `any`, `count`, `share` or `sum`.
    pub op: Cow<'static, str>,
    /// How many sub-units it ranged over.
    pub total: usize,
    /// How many matched.
    pub matched: usize,
    /// How many are unknown.
    pub unknown: usize,
    /// Ids of the sub-units that matched (with detail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched_ids: Vec<String>,
    /// Ids of the sub-units that did not match (with detail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmatched_ids: Vec<String>,
    /// Ids of the sub-units whose match is unknown (with detail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_ids: Vec<String>,
    /// The records among the sub-units listed (with detail), by id: each one's fields, so that
    /// explanations name a record by its date, points and reason.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub records: IndexMap<String, RecordFields>,
}

/// A record (积分记录 `A#3`) as explanations show it: its kind and its fields as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct RecordFields {
    /// The kind of record.
    pub kind: String,
    /// Each field's value as shown (points signed: `+2分`), or null when not given; numbers and
    /// dates first, then texts, each in declaration order.
    pub fields: IndexMap<String, Option<String>>,
}

/// One condition of a tier (or a requirement), as evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ConditionOutcome {
    /// Label, requirement name, prerequisite tier or veto name.
    pub label: Option<String>,
    /// `rule`, `prerequisite` or `veto`.
    pub kind: Cow<'static, str>,
    /// The expression as written.
    pub expr: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The value compared (left side), when the condition is a comparison.
    pub actual: Option<String>,
    /// When the value compared is unknown but the verdict is decided all the same: the range
    /// it is known to lie in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounds: Option<Bounds>,
    /// The comparison operator.
    pub op: Option<Cow<'static, str>>,
    /// The value compared against (right side).
    pub threshold: Option<String>,
    /// The sub-units counted, when the condition reads an aggregate.
    pub members: Option<Members>,
    /// The description (the document's words).
    pub text: Option<String>,
    /// The clause citation.
    pub clause: Option<String>,
    /// The clause's words, when cited.
    pub clause_text: Option<String>,
    /// Inputs it reads that the unit did not report.
    pub missing: Vec<String>,
    /// For a requirement that applies only `when` something holds, or a cap that applies only
    /// `when` or `unless` something holds: whether it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies: Option<Verdict>,
    /// For a limit on a tier, or a floor below it: the unit's place, the places and the peers
    /// counted (a floor's counts in its `floor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<LimitDetail>,
    /// For a cap: the facts its level and its `when`/`unless` condition read, with the unit's
    /// values (null when not reported) — last year's level, whether the exception holds.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub reads: IndexMap<String, Option<String>>,
}

/// The numbers behind a limit on a tier: `30% × 12 = 3.6`, rounded down to 3 places; the unit
/// is 4th among the candidates by score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct LimitDetail {
    /// The value units are ordered by, for this unit (null when unknown).
    pub value: Option<String>,
    /// The unit's place among the candidates (null when unknown).
    pub rank: Option<String>,
    /// When the place is unknown: the places the unit can still take, depending on the peers'
    /// missing data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_range: Option<Bounds>,
    /// When the place is unknown: the ids of the peers whose missing data (a value, or whether
    /// they are candidates) leaves it open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open: Vec<String>,
    /// How many places there are (null when unknown).
    pub places: Option<String>,
    /// How many rated peers there are (null when unknown).
    pub peers: Option<String>,
    /// The share times the peers, before rounding (null when unknown).
    pub product: Option<String>,
    /// The cut-off: the value of the last unit within the places (null when unknown, or when
    /// there are no places or fewer candidates than places).
    pub cutoff: Option<String>,
    /// The share of the peers that may reach the tier (`30%`); a floor's, that must end at its
    /// level or below.
    pub share: String,
    /// `down`, `up` or `nearest`.
    pub rounding: Cow<'static, str>,
    /// For a floor: how many end at its level or below without it, and how many it puts down
    /// (the places are then the units it demands, the rank counted from the last and the
    /// cut-off the value of the last unit it puts down).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<FloorDetail>,
}

/// The counts of a floor: `10% × 12 = 1.2`, rounded up to 2 units demanded at its level or
/// below; 1 is there already, so it puts 1 down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct FloorDetail {
    /// The floor's level: a tier's name, or `无` (no tier).
    pub level: String,
    /// How many rated peers end at the level or below without the floor (null when unknown).
    pub below: Option<String>,
    /// How many the floor puts down (null when unknown).
    pub moved: Option<String>,
}

/// The least and greatest value an unknown value can take, shown with its unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Bounds {
    /// The least value.
    pub least: String,
    /// The greatest value.
    pub most: String,
}

/// One veto.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct VetoOutcome {
    /// Its name.
    pub name: String,
    /// Whether it fired (null: unknown).
    pub fired: Option<bool>,
    /// The tiers it blocks.
    pub blocks: Vec<String>,
    /// Its clause.
    pub clause: Option<String>,
}

/// A requirement group as evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct GroupOutcome {
    /// The group's name.
    pub name: String,
    /// Whether all its requirements (and nested groups) are met.
    pub verdict: Verdict,
    /// Its own requirements.
    pub requirements: Vec<ConditionOutcome>,
}

/// Shows a value with its unit, as the documents write it.
pub fn show(graph: &Graph, v: Value, ty: Type, lang: Lang) -> Option<String> {
    Some(match v {
        Value::Unknown => return None,
        Value::Bool(b) => match (b, lang) {
            (true, Lang::Zh) => "是".into(),
            (false, Lang::Zh) => "否".into(),
            (b, Lang::En) => b.to_string(),
        },
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Enum(i) => graph
            .level_name(ty, i)
            .map_or_else(|| i.to_string(), str::to_string),
        Value::Num(n) => {
            let dim = match ty {
                Type::Num(d) => d,
                _ => Dim::Bare,
            };
            let suffix = match dim {
                Dim::Percent => "%",
                Dim::Money => "元",
                Dim::Area => "平方米",
                Dim::Hours => "学时",
                Dim::Points => "分",
                Dim::Days => "天",
                Dim::Months => "个月",
                _ => "",
            };
            // A percentage of any size is shown: the point is moved, not the value multiplied.
            let shown = if dim == Dim::Percent {
                duibiao_compiler::value::percent_text(n, Some(2))
            } else {
                n.normalize().to_string()
            };
            format!("{shown}{suffix}")
        }
    })
}

fn dec(n: Decimal) -> String {
    n.normalize().to_string()
}

fn num(v: Value) -> Option<String> {
    v.as_num().map(dec)
}

/// `matched / total` as a percentage with two decimals, as explanations show it.
pub fn percent(matched: usize, total: usize) -> String {
    if total == 0 {
        return String::new();
    }
    let p = Decimal::from(matched as u64) * Decimal::ONE_HUNDRED / Decimal::from(total as u64);
    format!("{}%", p.round_dp(2).normalize())
}

/// A unit's outcome in short: what `eval` reports per unit, without the conditions (which
/// `explain` gives). Cheap enough to build for millions of units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct UnitSummary {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its kind.
    pub kind: String,
    /// Its parent's id.
    pub parent: Option<String>,
    /// Total score, or null when unknown (or the kind is not scored).
    pub score: Option<String>,
    /// The scorecard's declared total.
    pub score_total: Option<String>,
    /// The highest tier passed, or null.
    pub tier: Option<String>,
    /// Each tier's verdict, lowest first.
    pub tiers: IndexMap<String, Verdict>,
    /// Whether the unit is rated, for kinds with reasons not to rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rated: Option<Verdict>,
    /// Whether the kind's score is computed by a formula (which has no declared total): a null
    /// `score` is then unknown, as it is for a kind with a scorecard.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub formula: bool,
    /// Vetoes that fired (true) or may have (null).
    pub vetoes: IndexMap<String, Option<bool>>,
    /// Inputs the unit did not report.
    pub missing: Vec<String>,
}
