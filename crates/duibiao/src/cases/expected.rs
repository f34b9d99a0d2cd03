//! Expected files (`NAME.expected.json`): what a case states about its outcome, read and checked
//! for shape. Every field is optional and only what the file states is compared:
//!
//! - `description`: what the case is about, in the document's words; never compared.
//! - `units`: `{id: {score, tier, tiers}}`. An entry may give any of the three; `tiers` compares
//!   only the tiers it lists. When **every** entry gives all three (`score`, `tier` and `tiers`,
//!   as the bundled cases do), `units` is a complete listing: every unit of the facts must be
//!   listed, and each entry's `tiers` must list every tier of the unit.
//! - `requirements`: `{unit: {name: verdict}}`, a requirement group's name or a requirement's
//!   (or a tier condition's) label, with `pass`, `fail` or `unknown`.
//! - `norms`: as `requirements`, and under `derived` the derived values `{name: value}`.
//! - `errors`: `[{unit, key}]`, the problems loading the facts reports (as a set).
//! - `progress`: `{as_of, targets: [{name, due, status, units}]}`: every target due on `as_of`,
//!   in the standard's order, each with the fields it gives (`units`: every unit's verdict).

use crate::codes::Code;
use crate::problem::{Location, Problem, Problems};
use duibiao_engine::outcome::Verdict;
use indexmap::IndexMap;
use serde::Deserialize;

/// A case's expected file, read and checked for shape.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Expected {
    /// The file's name, as problems and reports name it.
    pub file: String,
    /// The file as written (its keys in the file's order).
    pub json: serde_json::Value,
    /// The evaluation date of `progress`, when the file states progress.
    pub progress_as_of: Option<chrono::NaiveDate>,
}

/// The shape of an expected file, for its check: unknown keys and values of the wrong form are
/// problems naming their place.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Shape {
    description: Option<String>,
    units: Option<IndexMap<String, UnitShape>>,
    requirements: Option<IndexMap<String, IndexMap<String, Verdict>>>,
    norms: Option<IndexMap<String, IndexMap<String, NormShape>>>,
    errors: Option<Vec<ErrorShape>>,
    progress: Option<ProgressShape>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct UnitShape {
    #[serde(default, deserialize_with = "stated")]
    score: Option<Option<ScoreShape>>,
    #[serde(default, deserialize_with = "stated")]
    tier: Option<Option<String>>,
    tiers: Option<IndexMap<String, Verdict>>,
}

/// A score: the text of a number (`"95"`) or a number.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum ScoreShape {
    Text(String),
    Number(serde_json::Number),
}

#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum NormShape {
    Verdict(Verdict),
    Derived(IndexMap<String, Option<String>>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ErrorShape {
    unit: Option<String>,
    key: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ProgressShape {
    as_of: chrono::NaiveDate,
    #[serde(default)]
    targets: Vec<TargetShape>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TargetShape {
    name: Option<String>,
    due: Option<String>,
    status: Option<Verdict>,
    units: Option<IndexMap<String, Verdict>>,
}

/// A field that is present, even as `null` (`Some(None)`), apart from one left out (`None`).
fn stated<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

impl Expected {
    /// Reads the text of the expected file `file`: `T0001` when it is not JSON, `T0002` when a
    /// field has the wrong form or is unknown, each at its line and column.
    pub fn parse(file: &str, text: &str) -> Result<Expected, Problems> {
        let json: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| {
                at(
                    Problem::error(
                        Code::T0001,
                        format!("期望结果文件不是 JSON：{}", e),
                        format!("the expected file is not JSON: {e}"),
                    ),
                    file,
                    text,
                    &e,
                )
            })
            .map_err(Problems::one)?;
        let mut de = serde_json::Deserializer::from_str(text);
        let shape: Shape = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let field = e.path().to_string();
            let inner = e.into_inner();
            at(
                Problem::error(
                    Code::T0002,
                    format!("期望结果文件的 `{field}` 写得不对：{inner}"),
                    format!("the expected file's `{field}` is wrong: {inner}"),
                )
                .with_help(
                    "可写的字段见 docs/authoring.md：description、units、requirements、norms、errors、progress；结果写 pass、fail 或 unknown",
                    "the fields are described in docs/authoring.md: description, units, requirements, norms, errors, progress; verdicts are pass, fail or unknown",
                ),
                file,
                text,
                &inner,
            )
        })
        .map_err(Problems::one)?;
        Ok(Expected {
            file: file.to_string(),
            json,
            progress_as_of: shape.progress.map(|p| p.as_of),
        })
    }

    /// Whether `units` is a complete listing: every entry gives `score`, `tier` and `tiers`.
    pub fn complete_units(&self) -> bool {
        complete(&self.json)
    }
}

/// Whether the `units` of an expected file's JSON is a complete listing.
pub(crate) fn complete(json: &serde_json::Value) -> bool {
    json.get("units")
        .and_then(|u| u.as_object())
        .is_some_and(|units| {
            !units.is_empty()
                && units.values().all(|e| {
                    ["score", "tier", "tiers"]
                        .iter()
                        .all(|k| e.get(*k).is_some())
                })
        })
}

/// The problem at the line and column a JSON error gives.
fn at(p: Problem, file: &str, text: &str, e: &serde_json::Error) -> Problem {
    let line_start = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let mut offset = (line_start + e.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    p.at(Location::source(file, text, offset, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_and_place(text: &str) -> (String, String) {
        match Expected::parse("x.expected.json", text) {
            Ok(_) => (String::new(), String::new()),
            Err(p) => (
                p.0[0].code.clone(),
                p.0[0]
                    .location
                    .as_ref()
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
            ),
        }
    }

    #[test]
    fn not_json_is_t0001_at_its_line_and_column() {
        let (code, place) = code_and_place("{\n \"units\": {\n  \"A\": {\"tier\": \"甲\",}\n }\n}");
        assert_eq!(code, "T0001");
        assert_eq!(place, "x.expected.json:3:21", "the column in characters");
    }

    #[test]
    fn a_wrong_verdict_or_an_unknown_field_is_t0002() {
        let (code, place) =
            code_and_place("{\n \"units\": {\"A\": {\"tiers\": {\"甲\": \"passed\"}}}\n}");
        assert_eq!(code, "T0002");
        assert!(place.starts_with("x.expected.json:2:"), "{place}");
        assert_eq!(code_and_place("{\"unit\": {}}").0, "T0002");
        assert_eq!(
            code_and_place("{\"progress\": {\"targets\": []}}").0,
            "T0002"
        );
    }

    #[test]
    fn a_listing_is_complete_when_every_entry_gives_everything() {
        let parse = |t: &str| Expected::parse("x", t).map(|e| e.complete_units()).ok();
        assert_eq!(
            parse(r#"{"units": {"A": {"score": null, "tier": null, "tiers": {}}}}"#),
            Some(true)
        );
        assert_eq!(
            parse(
                r#"{"units": {"A": {"score": null, "tier": null, "tiers": {}}, "B": {"tier": null}}}"#
            ),
            Some(false)
        );
        assert_eq!(parse(r#"{"errors": []}"#), Some(false));
    }
}
