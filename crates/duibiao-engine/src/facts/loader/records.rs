//! Dated records and text facts as the loader reads them: a unit's `facts` with its texts kept
//! apart, and each list of records on a unit (`"积分记录": [{…}, …]`) made units of the record
//! kind, children of their owner, with ids `A#1`, `A#2`, … in the order of the list.

use super::super::error::shape;
use super::super::inputs::{read_inputs, KindKeys, PartScratch};
use super::super::parents::Parent;
use super::super::value::Json;
use super::super::{FactsError, FactsErrorKind, Listed};
use super::{Loader, Part, RawUnit};
use crate::inputs::Inputs;
use crate::texts::Texts;
use crate::tree::Unit;
use duibiao_compiler::graph::{Graph, KindId};
use duibiao_compiler::Value;
use hashbrown::hash_table::Entry;
use std::borrow::Cow;

/// What separates an owner's id from a record's place in the ids of records (`A#3`): ids of
/// units in the file may not contain it when the standard declares records.
pub(super) const RECORD_SEPARATOR: char = '#';

/// Where one object of facts goes: the unit's kind and inputs, the texts of the forest.
pub(super) struct Target<'x> {
    pub(super) graph: &'x Graph,
    pub(super) kind: usize,
    pub(super) keys: &'x KindKeys<'x>,
    pub(super) inputs: &'x mut [Value],
    pub(super) texts: &'x mut Texts,
    pub(super) scratch: &'x mut PartScratch,
}

impl Target<'_> {
    /// Reads one object of facts of unit `id`: its texts into the forest's texts, the rest into
    /// the inputs; the problems in the order of their keys in the object.
    pub(super) fn read(
        &mut self,
        id: &str,
        entries: &[(Cow<str>, Json)],
        errors: &mut Vec<FactsError>,
    ) {
        let start = errors.len();
        let rest: Vec<(Cow<str>, Json)>;
        let inputs = if self.keys.texts.is_empty() {
            entries
        } else {
            rest = entries
                .iter()
                .filter(|(key, v)| !self.text(id, key, v, errors))
                .map(|(key, v)| (Cow::Borrowed(&**key), v.clone()))
                .collect();
            &rest
        };
        read_inputs(
            self.graph,
            self.kind,
            false,
            &self.keys.facts,
            id,
            inputs,
            self.inputs,
            self.scratch,
            errors,
        );
        if errors.len() > start + 1 {
            let place = |e: &FactsError| {
                let key = e.key.as_deref().unwrap_or_default();
                entries.iter().position(|(k, _)| k == key)
            };
            errors[start..].sort_by_key(place);
        }
    }

    /// Reads unit `id`'s `facts` and `scores` as `u` holds them.
    pub(super) fn entries(&mut self, id: &str, u: &RawUnit, errors: &mut Vec<FactsError>) {
        let uid = Some(id);
        match u.facts {
            Part::Absent | Part::Null => {}
            Part::Map => self.read(id, &u.facts_entries, errors),
            Part::NotObject => errors.push(shape(uid, "facts", "an object")),
        }
        match u.scores {
            Part::Absent | Part::Null => {}
            Part::Map => read_inputs(
                self.graph,
                self.kind,
                true,
                &self.keys.scores,
                id,
                &u.scores_entries,
                self.inputs,
                self.scratch,
                errors,
            ),
            Part::NotObject => errors.push(shape(uid, "scores", "an object")),
        }
    }

    /// Whether `key` is a text fact, whose value (a string) is then kept, or reported.
    fn text(&mut self, id: &str, key: &str, v: &Json, errors: &mut Vec<FactsError>) -> bool {
        let Some(&field) = self.keys.texts.get(key) else {
            return false;
        };
        match v {
            Json::Null => {}
            Json::Str(s) => self.texts.set(id, field, s.to_string()),
            other => errors.push(FactsError::new(
                Some(id),
                Some(key),
                FactsErrorKind::WrongType {
                    expected: "a string".into(),
                    found: other.shown(),
                },
            )),
        }
        true
    }
}

impl<'g> Loader<'g, '_> {
    /// Makes the lists of records on unit `owner` (at `at` in the forest, of kind `kind`) units
    /// of their record kinds, reporting lists that are not lists, records that are not objects,
    /// their fields' problems (keyed `积分记录[2].分值`) and lists the unit's kind does not keep.
    pub(super) fn records(
        &mut self,
        owner: &str,
        kind: usize,
        at: usize,
        lists: &[(Cow<str>, serde_json::Value)],
    ) {
        let graph = self.graph;
        for (n, (key, list)) in lists.iter().enumerate() {
            let key: &str = key;
            if lists[n + 1..].iter().any(|(k, _)| k == key) {
                // The last list given is used, as for any key of an object.
                let error = FactsErrorKind::DuplicateKey(key.to_string());
                self.in_units
                    .push(FactsError::new(Some(owner), Some(key), error));
                continue;
            }
            let Some(record) = graph.kinds.iter().position(|k| k.name == key) else {
                continue;
            };
            let owned = graph.kinds[record]
                .record
                .as_ref()
                .is_some_and(|r| r.owners.contains(&(kind as KindId)));
            if !owned {
                let owners = graph.kinds[record]
                    .record
                    .as_ref()
                    .map(|r| &r.owners[..])
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&o| graph.kinds.get(o as usize))
                    .map(|o| &o.name);
                let owners = Listed::quoted(owners);
                let error = FactsErrorKind::NotOwner {
                    records: key.to_string(),
                    kind: graph.kinds[kind].name.clone(),
                    owners,
                };
                self.in_units
                    .push(FactsError::new(Some(owner), Some(key), error));
                continue;
            }
            let items = match list {
                serde_json::Value::Null => continue,
                serde_json::Value::Array(items) => items,
                _ => {
                    let error = shape(Some(owner), key, "a list of records");
                    self.in_units.push(error);
                    continue;
                }
            };
            for (i, item) in (1..).zip(items) {
                self.record(owner, at, (record, key), i, item);
            }
        }
    }

    /// Record `i` (from 1) of list `key` on unit `owner` at `at`: a unit of kind `record`.
    fn record(
        &mut self,
        owner: &str,
        at: usize,
        (record, key): (usize, &str),
        i: usize,
        item: &serde_json::Value,
    ) {
        if self.units.len() >= self.limits.most_units() {
            self.left_out += 1;
            return;
        }
        let graph = self.graph;
        let id = format!("{owner}{RECORD_SEPARATOR}{i}");
        let mut inputs = vec![Value::Unknown; graph.kinds[record].inputs.len()];
        let mut found = Vec::new();
        match item.as_object() {
            Some(fields) => {
                let entries: Vec<(Cow<str>, Json)> = fields
                    .iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::from_value(v)))
                    .collect();
                let mut target = Target {
                    graph,
                    kind: record,
                    keys: &self.keys[record],
                    inputs: &mut inputs,
                    texts: &mut self.texts,
                    scratch: &mut self.scratch,
                };
                target.read(&id, &entries, &mut found);
            }
            // Kept, with every field missing: a record was given, its values are not known.
            None => found.push(shape(
                Some(owner),
                &format!("{key}[{i}]"),
                "an object of the record's fields",
            )),
        }
        // The problems of a record's fields are the owner's, at `积分记录[2].分值`.
        for mut e in found {
            if e.unit.as_deref() == Some(id.as_str()) {
                e.unit = Some(owner.to_string());
                e.key = Some(format!("{key}[{i}].{}", e.key.as_deref().unwrap_or("")));
            }
            self.in_units.push(e);
        }
        let (Ok(parent), Entry::Vacant(slot)) =
            (u32::try_from(at), self.index.entry(&id, &self.units))
        else {
            return;
        };
        if let Ok(i) = u32::try_from(self.units.len()) {
            slot.insert(i);
        }
        self.units.push(Unit {
            id: id.into(),
            name: None,
            kind: record as KindId,
            parent: None,
            children: Box::default(),
            inputs: Inputs::from_values(&inputs),
        });
        self.parents.push(Parent::Found(parent));
    }
}
