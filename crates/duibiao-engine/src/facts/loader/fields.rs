//! The file's own fields, besides `units`: `standard`, `as_of` and `params`, checked as they
//! are read.

use super::super::error::shape;
use super::super::value::{convert, Json};
use super::super::{FactsError, FactsErrorKind, Listed};
use super::{Loader, Part};
use duibiao_compiler::Value;
use std::borrow::Cow;

impl Loader<'_, '_> {
    /// A field of the file other than `units`.
    pub(in crate::facts) fn field(&mut self, key: &str, v: &serde_json::Value) {
        let graph = self.graph;
        let errors = &mut self.top;
        match key {
            "standard" => match v {
                serde_json::Value::Null => {}
                serde_json::Value::String(s) if *s == graph.info.slug => {}
                serde_json::Value::String(s) => errors.push(FactsError::new(
                    None,
                    Some("standard"),
                    FactsErrorKind::WrongStandard {
                        expected: graph.info.slug.clone(),
                        found: s.clone(),
                    },
                )),
                _ => errors.push(shape(None, "standard", "a string")),
            },
            "as_of" => match v {
                serde_json::Value::Null => {}
                v => match v
                    .as_str()
                    .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                {
                    Some(d) => self.facts.as_of = Some(d),
                    None => errors.push(shape(None, "as_of", "a date such as `2021-12-31`")),
                },
            },
            "params" => {
                let (part, entries) = match v {
                    serde_json::Value::Null => (Part::Null, Vec::new()),
                    serde_json::Value::Object(ps) => (
                        Part::Map,
                        ps.iter()
                            .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::from_value(v)))
                            .collect(),
                    ),
                    _ => (Part::NotObject, Vec::new()),
                };
                self.params(part, &entries);
            }
            other => {
                let expected = Listed::quoted(["standard", "as_of", "params", "units"]);
                errors.push(FactsError::new(
                    None,
                    Some(other),
                    FactsErrorKind::UnknownField {
                        found: other.to_string(),
                        expected,
                    },
                ));
            }
        }
    }

    /// The entries of `params`. A name given more than once is reported, and its last value is
    /// used.
    pub(in crate::facts) fn params(&mut self, part: Part, entries: &[(Cow<str>, Json)]) {
        let graph = self.graph;
        let errors = &mut self.top;
        match part {
            Part::Absent | Part::Null => return,
            Part::NotObject => return errors.push(shape(None, "params", "an object")),
            Part::Map => {}
        }
        let mut seen = std::collections::HashSet::new();
        let mut reported = std::collections::HashSet::new();
        for (name, v) in entries {
            let name: &str = name;
            let again = !seen.insert(name);
            if again && reported.insert(name) {
                errors.push(FactsError::new(
                    None,
                    Some(name),
                    FactsErrorKind::DuplicateKey(name.to_string()),
                ));
            }
            let Some(i) = graph.params.iter().position(|p| p.name == name) else {
                if !again {
                    errors.push(FactsError::new(
                        None,
                        Some(name),
                        FactsErrorKind::UnknownParam(name.to_string()),
                    ));
                }
                continue;
            };
            // The last value is used: an earlier one is forgotten.
            self.facts.params.retain(|(j, _)| *j != i);
            match convert(graph, graph.params[i].ty, v) {
                Ok(Some(val)) => self.facts.params.push((i, val)),
                Ok(None) => {}
                Err(k) => {
                    errors.push(FactsError::new(None, Some(name), k));
                    // Missing, as any wrong value: not the standard's own value instead.
                    self.facts.params.push((i, Value::Unknown));
                }
            }
        }
    }
}
