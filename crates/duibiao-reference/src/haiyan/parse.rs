//! Loading a facts file (`docs/facts-format.md`) straight into a [`Forest`] with serde, without
//! building a JSON tree first.
//!
//! It loads what the engine loads, and leaves out what the engine leaves out: a unit without a
//! string `id`, with an id used before, or without a known `kind` is left out; a parent that
//! does not exist, is on a loop of parent links or cannot contain the unit leaves it a root; a
//! value of the wrong type, points outside `0..=max` and keys the kind does not have are missing
//! (the engine reports all of these; this loader only skips them). It never fails on a JSON
//! value of the wrong shape, only on text that is not JSON.

use super::{Forest, Kind, Params, Unit, KINDS, MAX_PARTS};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A facts file that is not JSON.
#[derive(Debug)]
pub struct ParseError(serde_json::Error);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not valid JSON: {}", self.0)
    }
}

impl std::error::Error for ParseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Loads a facts file (JSON text). Ids without escapes borrow from `json`.
pub fn parse(json: &str) -> Result<Forest<'_>, ParseError> {
    // Editors on Windows often save a byte-order mark; it is not part of the JSON.
    let text = json.strip_prefix('\u{feff}').unwrap_or(json);
    let mut de = serde_json::Deserializer::from_str(text);
    let file = Lenient(FileShape)
        .deserialize(&mut de)
        .map_err(ParseError)?;
    de.end().map_err(ParseError)?;
    Ok(file.into_forest())
}

/// Loads a facts file already parsed as JSON. Every id borrows from `value`.
pub(super) fn from_value(value: &serde_json::Value) -> Forest<'_> {
    Lenient(FileShape)
        .deserialize(value)
        .map(RawFile::into_forest)
        .unwrap_or_default()
}

/// The first global score slot of each kind: the kinds' parts numbered one after another.
const BASE: [usize; KINDS] = {
    let mut base = [0; KINDS];
    let mut k = 1;
    while k < KINDS {
        base[k] = base[k - 1] + Kind::ALL[k - 1].parts_len();
        k += 1;
    }
    base
};

/// How many scored parts there are in all.
const SLOTS: usize = BASE[KINDS - 1] + Kind::ALL[KINDS - 1].parts_len();

impl Kind {
    const fn parts_len(self) -> usize {
        match self {
            Kind::Jiedao | Kind::Shequ | Kind::Shangquan => 11,
            Kind::Xiaoqu | Kind::Louyu | Kind::Shehuizuzhi => 10,
        }
    }
}

/// The global slot of a score key and its points: the key decides the kind (items 1–5 are the
/// 街道's, 6–10 the 社区's, and so on).
fn score_slot(key: &str) -> Option<(usize, u32)> {
    let item: u32 = key.split('.').next()?.parse().ok()?;
    let kind = match item {
        1..=5 => Kind::Jiedao,
        6..=10 => Kind::Shequ,
        11..=15 => Kind::Xiaoqu,
        16..=20 => Kind::Louyu,
        21..=25 => Kind::Shangquan,
        26..=28 => Kind::Shehuizuzhi,
        _ => return None,
    };
    let parts = kind.parts();
    let i = parts.iter().position(|(k, _)| *k == key)?;
    Some((BASE[kind as usize] + i, parts[i].1))
}

/// The facts, by slot: `一票否决`, `社会组织有效融入`, `社会组织充分融入`.
fn fact_slot(key: &str) -> Option<usize> {
    match key {
        "一票否决" => Some(0),
        "社会组织有效融入" => Some(1),
        "社会组织充分融入" => Some(2),
        _ => None,
    }
}

/// A whole number of sub-units, 0 or more (a parameter of type `int`): a JSON number, or a
/// string such as `"2"` or `"2个"`.
fn count(v: Scalar<'_>) -> Option<u64> {
    let d = match v {
        Scalar::Num(d) => d?,
        Scalar::Str(s) => {
            let s = s.trim();
            Decimal::from_str_exact(s.strip_suffix('个').unwrap_or(s).trim_end()).ok()?
        }
        _ => return None,
    };
    if !d.fract().is_zero() || d.is_sign_negative() {
        return None;
    }
    Some(d.to_u64().unwrap_or(u64::MAX))
}

// ---------------------------------------------------------------- the file

struct RawFile<'de> {
    units: Vec<Unit<'de>>,
    parents: Vec<Option<Cow<'de, str>>>,
    params: Params,
}

impl<'de> RawFile<'de> {
    fn into_forest(self) -> Forest<'de> {
        Forest::link(self.units, self.parents, self.params)
    }
}

struct FileShape;

impl<'de> Shape<'de> for FileShape {
    type Out = RawFile<'de>;

    fn invalid(self) -> RawFile<'de> {
        RawFile {
            units: Vec::new(),
            parents: Vec::new(),
            params: Params::default(),
        }
    }

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFile<'de>, A::Error> {
        let mut file = self.invalid();
        while let Some(key) = map.next_key_seed(Key(|k: &str| match k {
            "units" => 1,
            "params" => 2,
            _ => 0,
        }))? {
            match key {
                1 => {
                    let (units, parents) = map.next_value_seed(Lenient(UnitsShape))?;
                    file.units = units;
                    file.parents = parents;
                }
                2 => file.params = map.next_value_seed(Lenient(ParamsShape))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(file)
    }
}

struct ParamsShape;

impl<'de> Shape<'de> for ParamsShape {
    type Out = Params;

    fn invalid(self) -> Params {
        Params::default()
    }

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Params, A::Error> {
        let mut params = Params::default();
        while let Some(key) = map.next_key_seed(Key(|k: &str| match k {
            "一定量标准型社会组织" => 1,
            "一定量示范型社会组织" => 2,
            _ => 0,
        }))? {
            // The last value given is used: `null` leaves the default, a wrong value is missing.
            let scalar = map.next_value_seed(ScalarSeed)?;
            let null = matches!(scalar, Scalar::Null);
            let value = count(scalar);
            let default = Params::default();
            let (slot, default) = match key {
                1 => (&mut params.standard_orgs, default.standard_orgs),
                2 => (&mut params.demonstration_orgs, default.demonstration_orgs),
                _ => continue,
            };
            *slot = value.unwrap_or(default);
            params.unusable[key - 1] = value.is_none() && !null;
        }
        Ok(params)
    }
}

struct UnitsShape;

type Units<'de> = (Vec<Unit<'de>>, Vec<Option<Cow<'de, str>>>);

impl<'de> Shape<'de> for UnitsShape {
    type Out = Units<'de>;

    fn invalid(self) -> Units<'de> {
        (Vec::new(), Vec::new())
    }

    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Units<'de>, A::Error> {
        let cap = seq.size_hint().unwrap_or(0);
        let (mut units, mut parents) = (Vec::with_capacity(cap), Vec::with_capacity(cap));
        while let Some(u) = seq.next_element_seed(Lenient(UnitShape))? {
            if let Some((unit, parent)) = u {
                units.push(unit);
                parents.push(parent);
            }
        }
        Ok((units, parents))
    }
}

// ---------------------------------------------------------------- one unit

struct UnitShape;

const ID: u8 = 1;
const KIND: u8 = 2;
const PARENT: u8 = 3;
const SCORES: u8 = 4;
const FACTS: u8 = 5;

impl<'de> Shape<'de> for UnitShape {
    type Out = Option<(Unit<'de>, Option<Cow<'de, str>>)>;

    fn invalid(self) -> Self::Out {
        None
    }

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Out, A::Error> {
        let mut id = None;
        let mut kind = None;
        let mut parent = None;
        // Points by global slot, so that keys may come before `kind`; `present` has a bit per
        // slot holding a valid value.
        let mut points = [Decimal::ZERO; SLOTS];
        let mut present = 0u64;
        let mut facts = [None; 3];
        while let Some(key) = map.next_key_seed(Key(|k: &str| match k {
            "id" => ID,
            "kind" => KIND,
            "parent" => PARENT,
            "scores" => SCORES,
            "facts" => FACTS,
            _ => 0,
        }))? {
            match key {
                ID => id = map.next_value_seed(ScalarSeed)?.into_str(),
                KIND => {
                    kind = map
                        .next_value_seed(ScalarSeed)?
                        .into_str()
                        .and_then(|k| Kind::from_name(&k))
                }
                PARENT => parent = map.next_value_seed(ScalarSeed)?.into_str(),
                // A key given twice counts once, with its last value (as in a JSON object).
                SCORES => {
                    present = 0;
                    map.next_value_seed(Lenient(ScoresShape {
                        points: &mut points,
                        present: &mut present,
                    }))?;
                }
                FACTS => {
                    facts = [None; 3];
                    map.next_value_seed(Lenient(FactsShape { facts: &mut facts }))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let (Some(id), Some(kind)) = (id, kind) else {
            return Ok(None);
        };
        let base = BASE[kind as usize];
        let mut scores = [None; MAX_PARTS];
        for (i, s) in scores.iter_mut().enumerate().take(kind.parts_len()) {
            if present & (1 << (base + i)) != 0 {
                *s = Some(points[base + i]);
            }
        }
        let shequ = kind == Kind::Shequ;
        let unit = Unit {
            id,
            kind,
            parent: None,
            scores,
            veto: facts[0],
            effective: facts[1].filter(|_| shequ),
            full: facts[2].filter(|_| shequ),
        };
        Ok(Some((unit, parent)))
    }
}

struct ScoresShape<'s> {
    points: &'s mut [Decimal; SLOTS],
    present: &'s mut u64,
}

impl<'de> Shape<'de> for ScoresShape<'_> {
    type Out = ();

    fn invalid(self) {}

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(slot) = map.next_key_seed(Key(score_slot))? {
            let value = map.next_value_seed(ScalarSeed)?;
            let Some((slot, max)) = slot else { continue };
            let bit = 1u64 << slot;
            match value {
                Scalar::Num(Some(p)) if !p.is_sign_negative() && p <= Decimal::from(max) => {
                    self.points[slot] = p.normalize();
                    *self.present |= bit;
                }
                _ => *self.present &= !bit,
            }
        }
        Ok(())
    }
}

struct FactsShape<'s> {
    facts: &'s mut [Option<bool>; 3],
}

impl<'de> Shape<'de> for FactsShape<'_> {
    type Out = ();

    fn invalid(self) {}

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(slot) = map.next_key_seed(Key(fact_slot))? {
            let value = map.next_value_seed(ScalarSeed)?;
            if let Some(slot) = slot {
                self.facts[slot] = match value {
                    Scalar::Bool(b) => Some(b),
                    _ => None,
                };
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- lenient visitors

/// A JSON value expected to have some shape; any other value gives `invalid()`, so that one
/// wrong value never stops the loading.
trait Shape<'de>: Sized {
    type Out;

    fn invalid(self) -> Self::Out;

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Out, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(self.invalid())
    }

    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Out, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(self.invalid())
    }
}

struct Lenient<S>(S);

impl<'de, S: Shape<'de>> DeserializeSeed<'de> for Lenient<S> {
    type Value = S::Out;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Out, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: Shape<'de>> Visitor<'de> for Lenient<S> {
    type Value = S::Out;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_i64<E>(self, _: i64) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_u64<E>(self, _: u64) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_i128<E>(self, _: i128) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_u128<E>(self, _: u128) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_f64<E>(self, _: f64) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_str<E>(self, _: &str) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_unit<E>(self) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_none<E>(self) -> Result<S::Out, E> {
        Ok(self.0.invalid())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<S::Out, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<S::Out, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<S::Out, A::Error> {
        self.0.seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<S::Out, A::Error> {
        self.0.map(map)
    }
}

/// An object key, mapped by a function of its text (keys are always strings in JSON).
struct Key<F>(F);

impl<'de, T, F: FnOnce(&str) -> T> DeserializeSeed<'de> for Key<F> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, T, F: FnOnce(&str) -> T> Visitor<'de> for Key<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(v))
    }
}

/// The token key under which serde_json's `arbitrary_precision` passes a number's digits.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A scalar JSON value; arrays and objects are `Other`.
enum Scalar<'de> {
    Null,
    Bool(bool),
    /// A number, `None` when a decimal cannot hold it exactly (as the engine reads numbers).
    Num(Option<Decimal>),
    Str(Cow<'de, str>),
    Other,
}

impl<'de> Scalar<'de> {
    fn into_str(self) -> Option<Cow<'de, str>> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A number's digits exactly as written (the engine reads them with `from_str_exact`).
fn digits(s: &str) -> Option<Decimal> {
    Decimal::from_str_exact(s).ok()
}

struct ScalarSeed;

impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = Scalar<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Scalar<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScalarSeed {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Num(Some(Decimal::from(v))))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Num(Some(Decimal::from(v))))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Num(Decimal::from_i128(v)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Num(Decimal::from_u128(v)))
    }
    /// Only from a `serde_json::Value` whose number prints as this `f64` does.
    fn visit_f64<E>(self, v: f64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Num(digits(&v.to_string())))
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_string())))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other)
    }
    fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar<'de>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Scalar<'de>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    /// An object, or with `arbitrary_precision` a number: `{TOKEN: "digits"}`.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        let mut out = Scalar::Other;
        match map.next_key_seed(Key(|k: &str| k == NUMBER_TOKEN))? {
            None => return Ok(out),
            Some(true) => {
                if let Scalar::Str(s) = map.next_value_seed(ScalarSeed)? {
                    out = Scalar::Num(digits(&s));
                }
            }
            Some(false) => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(out)
    }
}
