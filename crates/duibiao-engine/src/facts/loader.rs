//! The loader: builds the forest from a facts file's fields and units as they are read, checking
//! each unit (its id, kind, name, parent and limits) before the next.

mod direct;
mod fields;
mod parts;
mod records;

use super::error::shape;
use super::inputs::{KindKeys, PartScratch, Slots};
use super::parents::{link_parents, Parent};
use super::scan::needs_escape;
use super::value::Json;
use super::{Facts, FactsError, FactsErrorKind, FactsLimit, FactsLimits, Listed};
use crate::index::IdIndex;
use crate::inputs::{InputWords, Inputs};
use crate::texts::Texts;
use crate::tree::{Unit, UnitTree};
use duibiao_compiler::graph::{Graph, InputOrigin, KindId};
use duibiao_compiler::Value;
use hashbrown::hash_table::Entry;
pub(super) use parts::{Piece, Read};
use records::{Target, RECORD_SEPARATOR};
use std::borrow::Cow;

/// The length in characters of `text` when it is more than `max` (counted only when its bytes
/// are).
fn beyond(text: &str, max: usize) -> Option<usize> {
    if text.len() <= max {
        return None;
    }
    let chars = text.chars().count();
    (chars > max).then_some(chars)
}

/// The fields a unit may have.
pub(super) const UNIT_FIELDS: [&str; 6] = ["id", "name", "kind", "parent", "scores", "facts"];

/// The places of `kind`, `scores` and `facts` in [`UNIT_FIELDS`].
pub(super) const KIND_FIELD: usize = 2;
/// See [`KIND_FIELD`].
pub(super) const SCORES_FIELD: usize = 4;
/// See [`KIND_FIELD`].
pub(super) const FACTS_FIELD: usize = 5;

/// What a unit's `facts` or `scores` field held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) enum Part {
    /// Not there.
    #[default]
    Absent,
    /// `null`.
    Null,
    /// An object; its entries are kept apart.
    Map,
    /// Anything else.
    NotObject,
}

/// One unit as read, before it is checked: each field as the last occurrence of its key left it
/// (as a JSON object keeps it), strings borrowed from the text.
#[derive(Debug, Default)]
pub(super) struct RawUnit<'de> {
    pub(super) id: Option<Json<'de>>,
    pub(super) kind: Option<Json<'de>>,
    pub(super) name: Option<Json<'de>>,
    pub(super) parent: Option<Json<'de>>,
    pub(super) facts: Part,
    pub(super) facts_entries: Vec<(Cow<'de, str>, Json<'de>)>,
    pub(super) scores: Part,
    pub(super) scores_entries: Vec<(Cow<'de, str>, Json<'de>)>,
    /// Keys that are not fields of a unit, each once, in order.
    pub(super) unknown: Vec<Cow<'de, str>>,
    /// Lists of records: keys that name a kind of record, with their values, in order.
    pub(super) lists: Vec<(Cow<'de, str>, serde_json::Value)>,
    /// The fields read, by their place in [`UNIT_FIELDS`] (a bit each).
    pub(super) fields: u8,
    /// The fields read more than once.
    pub(super) repeated: u8,
}

impl RawUnit<'_> {
    /// Empties it, keeping its buffers for the next unit.
    pub(super) fn clear(&mut self) {
        self.id = None;
        self.kind = None;
        self.name = None;
        self.parent = None;
        self.facts = Part::Absent;
        self.facts_entries.clear();
        self.scores = Part::Absent;
        self.scores_entries.clear();
        self.unknown.clear();
        self.lists.clear();
        self.fields = 0;
        self.repeated = 0;
    }
}

/// Builds the forest from a facts file's fields and units, as they come.
pub(super) struct Loader<'g, 'de> {
    graph: &'g Graph,
    /// Problems with the file's own fields.
    pub(super) top: Vec<FactsError>,
    /// Problems with units.
    in_units: Vec<FactsError>,
    pub(super) facts: Facts,
    units: Vec<Unit>,
    /// Per unit, its parent.
    parents: Vec<Parent>,
    /// The ids of the parents that were not found as their units were read. (Past `u32::MAX`
    /// of them, which would take hundreds of gigabytes, later ones would be dropped.)
    parent_ids: Vec<Cow<'de, str>>,
    /// Units by id.
    index: IdIndex,
    known_kinds: Listed,
    pub(super) started_units: bool,
    /// Units read so far, rejected ones included (for positions in messages).
    seen: usize,
    /// Per kind, the input slot of each key.
    keys: Vec<KindKeys<'g>>,
    /// The unit being read.
    pub(super) raw: RawUnit<'de>,
    /// The inputs of the unit being read, before they are packed.
    values: Vec<Value>,
    /// The inputs of the unit being read straight into them (`loader/direct.rs`), packed as
    /// they are read.
    words: InputWords,
    scratch: PartScratch,
    /// Which pass reads the file.
    pub(super) pass: Pass,
    /// The text being read (empty when the facts were parsed already).
    pub(super) text: &'de str,
    /// The parent of the last unit whose parent was found as it was read.
    last_parent: Option<usize>,
    limits: FactsLimits,
    /// Units left out for being beyond `limits.units`.
    left_out: usize,
    /// The names of the kinds of record: the keys of lists of records on a unit.
    pub(super) record_keys: Vec<&'g str>,
    /// The units' text facts.
    texts: Texts,
    /// Whether ids are indexed (and checked for repeats) only once every part of `units` is read
    /// ([`Loader::stitch`]), rather than as each unit is read.
    index_later: bool,
}

/// Units read before the room for the rest is estimated.
const SAMPLE_UNITS: usize = 1024;

/// How the values of `facts` and `scores` are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    /// Straight from their text (`serde_json`'s `RawValue`), without copying anything out of it.
    /// A file with an object, an array or a string with invalid escapes in `facts` or `scores`,
    /// and any file that this pass cannot read to its end (not JSON, or not shaped as a facts
    /// file), is read again by the exact pass.
    Fast,
    /// Value by value through `serde_json`, exactly as it checks them (nesting depth, escapes),
    /// so that problems are reported where and as `serde_json` finds them.
    Exact,
}

impl<'g, 'de> Loader<'g, 'de> {
    pub(super) fn new(graph: &'g Graph, limits: &FactsLimits, pass: Pass) -> Self {
        Loader {
            limits: *limits,
            left_out: 0,
            pass,
            text: "",
            last_parent: None,
            graph,
            top: Vec::new(),
            in_units: Vec::new(),
            facts: Facts::default(),
            units: Vec::new(),
            parents: Vec::new(),
            parent_ids: Vec::new(),
            index: IdIndex::default(),
            known_kinds: Listed::quoted(graph.kinds.iter().map(|k| &k.name)),
            started_units: false,
            seen: 0,
            keys: graph
                .kinds
                .iter()
                .map(|k| {
                    let (mut facts, mut scores) = (Slots::default(), Slots::default());
                    for (i, inp) in k.inputs.iter().enumerate() {
                        match inp.origin {
                            InputOrigin::Points { .. } => scores.insert(inp.key.as_str(), i),
                            InputOrigin::Fact => facts.insert(inp.key.as_str(), i),
                        };
                    }
                    let texts = (0..).zip(&k.texts).map(|(i, t)| (t.key.as_str(), i));
                    let plain = k.inputs.iter().map(|inp| !needs_escape(&inp.key)).collect();
                    KindKeys {
                        facts,
                        scores,
                        texts: texts.collect(),
                        plain,
                    }
                })
                .collect(),
            raw: RawUnit::default(),
            values: Vec::new(),
            words: InputWords::default(),
            scratch: PartScratch::default(),
            record_keys: graph
                .kinds
                .iter()
                .filter(|k| k.is_record())
                .map(|k| k.name.as_str())
                .collect(),
            texts: Texts::default(),
            index_later: false,
        }
    }

    /// An element of `units` that is not an object.
    pub(super) fn not_object(&mut self) {
        let pos = self.seen;
        self.seen += 1;
        self.in_units
            .push(shape(None, &format!("units[{pos}]"), "a JSON object"));
    }

    /// An element of `units` already parsed as JSON.
    pub(super) fn unit_value(&mut self, u: &'de serde_json::Value) {
        let Some(uo) = u.as_object() else {
            self.not_object();
            return;
        };
        let raw = &mut self.raw;
        raw.clear();
        for (key, v) in uo {
            let (part, entries) = match key.as_str() {
                "id" => {
                    raw.id = Some(Json::from_value(v));
                    continue;
                }
                "kind" => {
                    raw.kind = Some(Json::from_value(v));
                    continue;
                }
                "name" => {
                    raw.name = Some(Json::from_value(v));
                    continue;
                }
                "parent" => {
                    raw.parent = Some(Json::from_value(v));
                    continue;
                }
                "facts" => (&mut raw.facts, &mut raw.facts_entries),
                "scores" => (&mut raw.scores, &mut raw.scores_entries),
                _ if self.record_keys.contains(&key.as_str()) => {
                    raw.lists.push((Cow::Borrowed(key), v.clone()));
                    continue;
                }
                _ => {
                    raw.unknown.push(Cow::Borrowed(key));
                    continue;
                }
            };
            *part = match v {
                serde_json::Value::Null => Part::Null,
                serde_json::Value::Object(m) => {
                    entries.extend(
                        m.iter()
                            .map(|(k, v)| (Cow::Borrowed(k.as_str()), Json::from_value(v))),
                    );
                    Part::Map
                }
                _ => Part::NotObject,
            };
        }
        self.unit_read();
    }

    /// Checks and stores the unit in `raw`, then empties `raw`.
    pub(super) fn unit_read(&mut self) {
        let raw = std::mem::take(&mut self.raw);
        self.unit(&raw, false);
        self.raw = raw;
        self.raw.clear();
    }

    /// One unit of `units`; its inputs are read from `u`'s entries, or are in `self.values`
    /// already (`filled`: read straight into `self.words`, see `loader/direct.rs`).
    fn unit(&mut self, u: &RawUnit<'de>, filled: bool) {
        let (graph, errors) = (self.graph, &mut self.in_units);
        let pos = self.seen;
        self.seen += 1;
        let Some(Json::Str(id_text)) = &u.id else {
            errors.push(shape(None, &format!("units[{pos}].id"), "a string"));
            return;
        };
        let id: &str = id_text;
        if id.trim().is_empty() {
            // No unit can name it as a parent, and no result could be told apart from another's.
            errors.push(FactsError::new(
                None,
                Some(&format!("units[{pos}].id")),
                FactsErrorKind::EmptyId,
            ));
            return;
        }
        if !self.record_keys.is_empty() && id.contains(RECORD_SEPARATOR) {
            errors.push(FactsError::new(
                None,
                Some(&format!("units[{pos}].id")),
                FactsErrorKind::RecordSeparator(id.to_string()),
            ));
            return;
        }
        if let Some(found) = beyond(id, self.limits.id_chars) {
            errors.push(FactsError::new(
                None,
                Some(&format!("units[{pos}].id")),
                FactsErrorKind::OverLimit {
                    limit: FactsLimit::IdChars,
                    max: self.limits.id_chars,
                    found,
                },
            ));
            return;
        }
        if self.units.len() >= self.limits.most_units() {
            self.left_out += 1;
            return;
        }
        let uid = Some(id);
        for (at, field) in UNIT_FIELDS.iter().enumerate() {
            if u.repeated & (1 << at) != 0 {
                errors.push(FactsError::new(
                    uid,
                    Some(field),
                    FactsErrorKind::DuplicateKey(field.to_string()),
                ));
            }
        }
        for k in &u.unknown {
            // The fields of a unit, and the lists of records units may have.
            let expected = Listed::quoted(UNIT_FIELDS.iter().chain(&self.record_keys));
            errors.push(FactsError::new(
                uid,
                Some(k),
                FactsErrorKind::UnknownField {
                    found: k.to_string(),
                    expected,
                },
            ));
        }
        let at = if self.index_later {
            None
        } else {
            match self.index.entry(id, &self.units) {
                Entry::Occupied(_) => {
                    errors.push(FactsError::new(
                        uid,
                        Some("id"),
                        FactsErrorKind::DuplicateId(id.into()),
                    ));
                    return;
                }
                Entry::Vacant(at) => Some(at),
            }
        };
        let Some(kind_name) = u.kind.as_ref().and_then(Json::as_str) else {
            errors.push(shape(uid, "kind", "a string"));
            return;
        };
        let Some(kind) = graph.kinds.iter().position(|k| k.name == kind_name) else {
            errors.push(FactsError::new(
                uid,
                Some("kind"),
                FactsErrorKind::UnknownKind {
                    found: kind_name.into(),
                    known: self.known_kinds.clone(),
                },
            ));
            return;
        };
        if graph.kinds[kind].is_record() {
            // A record is given in the list of its owner, which numbers it.
            errors.push(FactsError::new(
                uid,
                Some("kind"),
                FactsErrorKind::RecordAsUnit(kind_name.into()),
            ));
            return;
        }
        let name = match &u.name {
            None | Some(Json::Null) => None,
            Some(Json::Str(s)) => match beyond(s, self.limits.name_chars) {
                None => Some(s.to_string()),
                Some(found) => {
                    errors.push(FactsError::new(
                        uid,
                        Some("name"),
                        FactsErrorKind::OverLimit {
                            limit: FactsLimit::NameChars,
                            max: self.limits.name_chars,
                            found,
                        },
                    ));
                    Some(s.chars().take(self.limits.name_chars).collect())
                }
            },
            Some(_) => {
                errors.push(shape(uid, "name", "a string"));
                None
            }
        };
        let parent = match &u.parent {
            None | Some(Json::Null) => Parent::None,
            // Usually the unit just before, or its sibling's parent: found without the index.
            Some(Json::Str(s)) => match [self.units.len().checked_sub(1), self.last_parent]
                .into_iter()
                .flatten()
                .find(|&p| self.units.get(p).is_some_and(|x| *x.id == **s))
                .and_then(|p| Some((p, u32::try_from(p).ok()?)))
            {
                Some((p, at)) => {
                    self.last_parent = Some(p);
                    Parent::Found(at)
                }
                None => match u32::try_from(self.parent_ids.len()) {
                    Ok(at) => {
                        self.parent_ids.push(s.clone());
                        Parent::Id(at)
                    }
                    Err(_) => Parent::None,
                },
            },
            Some(_) => {
                errors.push(shape(uid, "parent", "a string or null"));
                Parent::None
            }
        };
        let mut inputs = std::mem::take(&mut self.values);
        if !filled {
            inputs.clear();
            inputs.resize(graph.kinds[kind].inputs.len(), Value::Unknown);
            Target {
                graph,
                kind,
                keys: &self.keys[kind],
                inputs: &mut inputs,
                texts: &mut self.texts,
                scratch: &mut self.scratch,
            }
            .entries(id, u, errors);
        }
        if let (Some(at), Ok(i)) = (at, u32::try_from(self.units.len())) {
            at.insert(i);
        }
        self.units.push(Unit {
            id: id.into(),
            name: name.map(Into::into),
            kind: kind as KindId,
            parent: None,
            children: Box::default(),
            inputs: if filled {
                self.words.inputs()
            } else {
                Inputs::from_values(&inputs)
            },
        });
        self.values = inputs;
        self.parents.push(parent);
        if self.units.len() == SAMPLE_UNITS {
            self.reserve_rest(id);
        }
        if !u.lists.is_empty() {
            self.records(id, kind, self.units.len() - 1, &u.lists);
        }
    }

    /// Forgets the units read so far, and their problems: `units` is given again, and its last
    /// value is used.
    pub(super) fn forget_units(&mut self) {
        self.units.clear();
        self.parents.clear();
        self.parent_ids.clear();
        self.index = IdIndex::default();
        self.in_units.clear();
        self.seen = 0;
        self.last_parent = None;
        self.raw.clear();
    }

    /// Reserves room for as many more units as the rest of the text holds at the size per unit
    /// so far (`id`, the last unit's id, tells how far the text is read), so that the index is not
    /// rebuilt as it grows.
    fn reserve_rest(&mut self, id: &str) {
        let read = (id.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        if read == 0 || read > self.text.len() {
            // Not in the text: an id with escapes, or facts that were parsed already.
            return;
        }
        let per_unit = (read / self.units.len()).max(1);
        let total = self.text.len() / per_unit;
        let more = (total + total / 16).saturating_sub(self.units.len());
        self.units.reserve(more);
        self.parents.reserve(more);
        if !self.index_later {
            self.index.reserve(more, &self.units);
        }
    }

    /// Links parents and returns the forest with every problem: the file's own first.
    pub(super) fn finish(mut self) -> (Facts, Vec<FactsError>) {
        if !self.started_units {
            self.top.push(shape(None, "units", "a list of units"));
        }
        let mut errors = self.top;
        errors.append(&mut self.in_units);
        if self.left_out > 0 {
            errors.push(FactsError::new(
                None,
                Some("units"),
                FactsErrorKind::OverLimit {
                    limit: FactsLimit::Units,
                    max: self.limits.most_units(),
                    found: self.left_out,
                },
            ));
        }
        link_parents(
            self.graph,
            &mut self.units,
            &self.parents,
            &self.parent_ids,
            &self.index,
            &mut errors,
        );
        self.facts.tree = UnitTree::indexed(self.units, self.index);
        self.facts.tree.texts = std::sync::Arc::new(self.texts);
        (self.facts, errors)
    }
}
