//! The streaming reader: `serde` seeds and visitors that read a facts file straight from its
//! text into the loader, unit by unit, without building a JSON tree.

use super::loader::{Loader, Part, Pass, UNIT_FIELDS};
use super::scan::number_end;
use super::value::Json;
use super::{FactsError, FactsErrorKind};
use std::borrow::Cow;

/// Marks a number that `serde_json` (with `arbitrary_precision`) hands over as a one-entry map.
pub(super) const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Reads the number of such a map, checked as `serde_json` checks it when building a value.
fn number_text<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<String, A::Error> {
    let text: String = map.next_value()?;
    if number_end(text.as_bytes(), 0) != Some(text.len()) {
        return Err(serde::de::Error::custom(format!("invalid number `{text}`")));
    }
    Ok(text)
}

/// Reads the rest of a JSON object whose first key is `first` into a `serde_json::Value`, as
/// `serde_json` builds one.
fn object_rest<'de, A: serde::de::MapAccess<'de>>(
    first: Cow<'de, str>,
    map: &mut A,
) -> Result<serde_json::Value, A::Error> {
    let mut m = serde_json::Map::new();
    m.insert(first.into_owned(), map.next_value()?);
    while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
        m.insert(k, v);
    }
    Ok(serde_json::Value::Object(m))
}

/// Reads the rest of a JSON array (to consume it as `serde_json` would build it).
fn array_rest<'de, A: serde::de::SeqAccess<'de>>(
    seq: &mut A,
) -> Result<Vec<serde_json::Value>, A::Error> {
    let mut items = Vec::new();
    while let Some(v) = seq.next_element()? {
        items.push(v);
    }
    Ok(items)
}

/// A value of `facts` or `scores` from its text, as the exact pass reads it; `None` for a value
/// that the exact pass must read: an object or an array (`serde_json` limits how deep they nest)
/// or a string whose escapes are not valid.
fn from_raw(raw: &str) -> Option<Json<'_>> {
    match raw.as_bytes().first()? {
        b'n' => Some(Json::Null),
        b't' => Some(Json::Bool(true)),
        b'f' => Some(Json::Bool(false)),
        b'"' => {
            let inner = raw.get(1..raw.len().checked_sub(1)?)?;
            if inner.contains('\\') {
                serde_json::from_str::<String>(raw)
                    .ok()
                    .map(|s| Json::Str(Cow::Owned(s)))
            } else {
                Some(Json::Str(Cow::Borrowed(inner)))
            }
        }
        b'-' | b'0'..=b'9' => Some(Json::Num(Cow::Borrowed(raw))),
        _ => None,
    }
}

/// A key of an object, borrowed from the text unless it has escapes.
struct Key;

impl<'de> serde::de::DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A value: a field of a unit, or an entry of its `facts` or `scores`.
struct Scalar;

impl<'de> serde::de::DeserializeSeed<'de> for Scalar {
    type Value = Json<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Scalar {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Json::Bool(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Json::U64(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Json::I64(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v)
            .map_or(Json::Null, |n| Json::Num(Cow::Owned(n.to_string()))))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Json::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Json::Str(Cow::Owned(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Json::Str(Cow::Owned(v)))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        Ok(Json::Other(Cow::Owned(serde_json::Value::Array(
            array_rest(&mut seq)?,
        ))))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key_seed(Key)? {
            None => Ok(Json::Other(Cow::Owned(serde_json::Value::Object(
                serde_json::Map::new(),
            )))),
            Some(k) if k == NUMBER_TOKEN => Ok(Json::Num(Cow::Owned(number_text(&mut map)?))),
            Some(k) => Ok(Json::Other(Cow::Owned(object_rest(k, &mut map)?))),
        }
    }
}

/// A unit's `facts` or `scores`: its entries go to `out`.
struct Entries<'a, 'de> {
    out: &'a mut Vec<(Cow<'de, str>, Json<'de>)>,
    /// Which pass reads the file.
    pass: Pass,
}

impl<'de> serde::de::DeserializeSeed<'de> for Entries<'_, 'de> {
    type Value = Part;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Part, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Entries<'_, 'de> {
    type Value = Part;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E>(self) -> Result<Part, E> {
        Ok(Part::Null)
    }

    fn visit_none<E>(self) -> Result<Part, E> {
        Ok(Part::Null)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Part, E> {
        Ok(Part::NotObject)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Part, E> {
        Ok(Part::NotObject)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Part, E> {
        Ok(Part::NotObject)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Part, E> {
        Ok(Part::NotObject)
    }

    fn visit_str<E>(self, _: &str) -> Result<Part, E> {
        Ok(Part::NotObject)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Part, A::Error> {
        array_rest(&mut seq)?;
        Ok(Part::NotObject)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Part, A::Error> {
        let Some(first) = map.next_key_seed(Key)? else {
            return Ok(Part::Map);
        };
        if first == NUMBER_TOKEN {
            number_text(&mut map)?;
            return Ok(Part::NotObject);
        }
        let mut key = first;
        loop {
            let v = match self.pass {
                Pass::Exact => map.next_value_seed(Scalar)?,
                Pass::Fast => {
                    let raw: &'de serde_json::value::RawValue = map.next_value()?;
                    // A value the fast pass does not read stops it; the exact pass reads it.
                    from_raw(raw.get())
                        .ok_or_else(|| serde::de::Error::custom("left to the exact pass"))?
                }
            };
            self.out.push((key, v));
            match map.next_key_seed(Key)? {
                Some(k) => key = k,
                None => return Ok(Part::Map),
            }
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut Loader<'_, 'de> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for &mut Loader<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a facts file: a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // The file's own keys, to report one given again (its last value is used).
        let mut seen = std::collections::HashSet::new();
        let mut reported = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let again = !seen.insert(key.clone());
            let known = matches!(key.as_str(), "standard" | "as_of" | "params" | "units");
            if again && known && reported.insert(key.clone()) {
                self.top.push(FactsError::new(
                    None,
                    Some(&key),
                    FactsErrorKind::DuplicateKey(key.clone()),
                ));
            }
            if key == "units" {
                if again {
                    self.forget_units();
                }
                self.started_units = true;
                map.next_value_seed(Units(&mut *self))?;
            } else if key == "params" {
                // Read entry by entry, so that a name given twice is seen.
                let mut entries = Vec::new();
                let part = map.next_value_seed(Entries {
                    out: &mut entries,
                    pass: Pass::Exact,
                })?;
                if again {
                    self.facts.params.clear();
                }
                self.params(part, &entries);
            } else {
                let v: serde_json::Value = map.next_value()?;
                if again && !known {
                    // An unknown field is reported once.
                    continue;
                }
                if again && key == "as_of" {
                    self.facts.as_of = None;
                }
                self.field(&key, &v);
            }
        }
        Ok(())
    }
}

/// The `units` list, read one unit at a time.
struct Units<'l, 'g, 'de>(&'l mut Loader<'g, 'de>);

impl<'de> serde::de::DeserializeSeed<'de> for Units<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Units<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of units")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(UnitSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// Reads a facts file's text into `loader`, to its end.
pub(super) fn read_file<'de>(
    loader: &mut Loader<'_, 'de>,
    text: &'de str,
) -> Result<(), serde_json::Error> {
    loader.text = text;
    let mut de = serde_json::Deserializer::from_str(text);
    serde::de::DeserializeSeed::deserialize(&mut *loader, &mut de).and_then(|()| de.end())
}

/// Reads one element of `units` into `loader` from `text`, which holds it and nothing else (but
/// whitespace).
pub(super) fn read_unit<'de>(
    loader: &mut Loader<'_, 'de>,
    text: &'de str,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde::de::DeserializeSeed::deserialize(UnitSeed(loader), &mut de).and_then(|()| de.end())
}

/// One element of `units`, read straight from the text into the loader's `raw`.
struct UnitSeed<'l, 'g, 'de>(&'l mut Loader<'g, 'de>);

impl<'de> serde::de::DeserializeSeed<'de> for UnitSeed<'_, '_, 'de> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for UnitSeed<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a unit")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.not_object();
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.0.not_object();
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.0.not_object();
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.0.not_object();
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.0.not_object();
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.0.not_object();
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.0.not_object();
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        array_rest(&mut seq)?;
        self.0.not_object();
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let loader = self.0;
        let Some(first) = map.next_key_seed(Key)? else {
            loader.unit_read();
            return Ok(());
        };
        if first == NUMBER_TOKEN {
            number_text(&mut map)?;
            loader.not_object();
            return Ok(());
        }
        let raw = &mut loader.raw;
        let mut key = first;
        loop {
            if let Some(at) = UNIT_FIELDS.iter().position(|f| *f == key) {
                let bit = 1u8 << at;
                if raw.fields & bit != 0 {
                    raw.repeated |= bit;
                }
                raw.fields |= bit;
            }
            match &*key {
                "id" => raw.id = Some(map.next_value_seed(Scalar)?),
                "kind" => raw.kind = Some(map.next_value_seed(Scalar)?),
                "name" => raw.name = Some(map.next_value_seed(Scalar)?),
                "parent" => raw.parent = Some(map.next_value_seed(Scalar)?),
                "facts" => {
                    raw.facts_entries.clear();
                    raw.facts = map.next_value_seed(Entries {
                        out: &mut raw.facts_entries,
                        pass: loader.pass,
                    })?;
                }
                "scores" => {
                    raw.scores_entries.clear();
                    raw.scores = map.next_value_seed(Entries {
                        out: &mut raw.scores_entries,
                        pass: loader.pass,
                    })?;
                }
                _ => {
                    let value = map.next_value::<serde_json::Value>()?;
                    if loader.record_keys.contains(&&*key) {
                        raw.lists.push((key, value));
                    } else if !raw.unknown.contains(&key) {
                        raw.unknown.push(key);
                    }
                }
            }
            match map.next_key_seed(Key)? {
                Some(k) => key = k,
                None => break,
            }
        }
        loader.unit_read();
        Ok(())
    }
}
