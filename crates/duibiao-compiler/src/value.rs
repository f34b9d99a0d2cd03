//! Values computed by the evaluation graph, with *unknown* for what missing facts leave open.

use rust_decimal::Decimal;
use serde::Serialize;

/// A value: known, or unknown because a fact it depends on is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// Not known: some input it depends on is missing.
    #[default]
    Unknown,
    /// A truth value.
    Bool(bool),
    /// A number (percentages as fractions: 30% is 0.3).
    Num(Decimal),
    /// A calendar date.
    Date(chrono::NaiveDate),
    /// A level of an ordered enumeration, by position (lowest is 0).
    Enum(u32),
}

impl Value {
    /// The truth value, if this is a known bool.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number, if this is a known number.
    pub fn as_num(self) -> Option<Decimal> {
        match self {
            Value::Num(n) => Some(n),
            _ => None,
        }
    }

    /// Whether this is unknown.
    pub fn is_unknown(self) -> bool {
        matches!(self, Value::Unknown)
    }
}
