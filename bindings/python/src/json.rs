//! The tree a response is read into: objects as lists of fields, found by a scan (a response's
//! objects have a few fields each), strings and keys as spans of the response's text unless
//! they hold escapes, numbers as their text. Reading into it costs a fraction of reading into
//! `serde_json::Value` with the workspace's features (ordered maps, numbers of any precision),
//! which allocates every key and string and a hash table an object.
//!
//! A key given twice in one object (never in a response of the runtime) is kept twice; reading
//! it finds the last, as `json.loads` does.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

/// A string of the tree: a span of the text it was read from, or its own text (when the JSON
/// string held escapes).
pub enum Str {
    /// The bytes `start..end` of the text.
    Span(usize, usize),
    /// Its own text.
    Owned(Box<str>),
}

/// One JSON value.
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Str),
    /// A string.
    String(Str),
    /// An array.
    Array(Box<[Json]>),
    /// An object: its fields in order.
    Object(Box<[(Str, Json)]>),
}

/// A text and the tree read from it.
pub struct Tree {
    text: Arc<str>,
    root: Json,
}

impl Tree {
    /// Reads `text` (`Err` with serde_json's message when it is not JSON).
    pub fn parse(text: Arc<str>) -> Result<Tree, String> {
        let base = text.as_ptr() as usize;
        let end = base + text.len();
        let mut de = serde_json::Deserializer::from_str(&text);
        let scratch = Scratch::default();
        let root = JsonSeed {
            base,
            end,
            scratch: &scratch,
        }
        .deserialize(&mut de)
        .and_then(|root| de.end().map(|()| root))
        .map_err(|e| e.to_string())?;
        Ok(Tree { text, root })
    }

    /// The top value.
    pub fn root(&self) -> &Json {
        &self.root
    }

    /// The text of a string of the tree.
    pub fn str<'a>(&'a self, s: &'a Str) -> &'a str {
        match s {
            Str::Span(start, end) => self.text.get(*start..*end).unwrap_or_default(),
            Str::Owned(own) => own,
        }
    }

    /// The value of the field `key` of `value`, if it is an object that has it (the last, if twice).
    pub fn get<'a>(&'a self, value: &'a Json, key: &str) -> Option<&'a Json> {
        value
            .fields()
            .iter()
            .rev()
            .find(|(k, _)| self.str(k) == key)
            .map(|(_, v)| v)
    }
}

impl Json {
    /// The item at `index`, if this is an array that long.
    pub fn at(&self, index: usize) -> Option<&Json> {
        self.items().get(index)
    }

    /// The fields, if this is an object.
    pub fn fields(&self) -> &[(Str, Json)] {
        match self {
            Json::Object(fields) => fields,
            _ => &[],
        }
    }

    /// The items, if this is an array.
    pub fn items(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            _ => &[],
        }
    }
}

/// How serde_json hands a number over when numbers keep their text (its `arbitrary_precision`
/// feature, which the workspace turns on): as a map of this one key to the number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The fields and items of the objects and arrays being read, innermost last: each is moved
/// into a slice of its own, of its exact length, once complete (one allocation each, where
/// growing a vector of its own would take several).
#[derive(Default)]
struct Scratch {
    fields: RefCell<Vec<(Str, Json)>>,
    items: RefCell<Vec<Json>>,
}

/// Reads a value of the text that starts at address `base` and ends at `end`.
#[derive(Clone, Copy)]
struct JsonSeed<'s> {
    base: usize,
    end: usize,
    scratch: &'s Scratch,
}

impl JsonSeed<'_> {
    /// `s` as a span when it lies in the text, else its own copy.
    fn str(self, s: &str) -> Str {
        let at = s.as_ptr() as usize;
        if at >= self.base && at + s.len() <= self.end {
            Str::Span(at - self.base, at - self.base + s.len())
        } else {
            Str::Owned(s.into())
        }
    }
}

impl<'de> DeserializeSeed<'de> for JsonSeed<'_> {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonSeed<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
        Ok(Json::Number(Str::Owned(n.to_string().into())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Number(Str::Owned(n.to_string().into())))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
        // `{:?}` keeps a point or an exponent (`1.0`, `1e300`), so that it reads back as a float.
        Ok(Json::Number(Str::Owned(format!("{n:?}").into())))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json, E> {
        Ok(Json::String(self.str(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(Str::Owned(s.into())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let items = &self.scratch.items;
        let mark = items.borrow().len();
        while let Some(item) = seq.next_element_seed(self)? {
            items.borrow_mut().push(item);
        }
        let array = items.borrow_mut().drain(mark..).collect();
        Ok(Json::Array(array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let Some(first) = map.next_key_seed(KeySeed(self))? else {
            return Ok(Json::Object(Box::new([])));
        };
        if matches!(&first, Str::Owned(k) if &**k == NUMBER_TOKEN) {
            let text: String = map.next_value()?;
            return Ok(Json::Number(Str::Owned(text.into())));
        }
        let fields = &self.scratch.fields;
        let mark = fields.borrow().len();
        let value = map.next_value_seed(self)?;
        fields.borrow_mut().push((first, value));
        while let Some(key) = map.next_key_seed(KeySeed(self))? {
            let value = map.next_value_seed(self)?;
            fields.borrow_mut().push((key, value));
        }
        let object = fields.borrow_mut().drain(mark..).collect();
        Ok(Json::Object(object))
    }
}

/// Reads a key of an object.
struct KeySeed<'s>(JsonSeed<'s>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Str, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Str, E> {
        Ok(self.0.str(s))
    }

    fn visit_str<E>(self, s: &str) -> Result<Str, E> {
        Ok(Str::Owned(s.into()))
    }
}
