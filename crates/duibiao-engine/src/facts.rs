//! Loading a facts file (JSON) against a compiled standard. Every problem is collected, each
//! naming the unit id, the key and what was expected; a bad value is treated as missing and the
//! rest of the file is still loaded. Nothing here panics on any input.

use crate::index::IdIndex;
pub use crate::limits::{FactsLimit, FactsLimits};
use crate::tree::{Unit, UnitTree};
use duibiao_compiler::graph::{Graph, InputOrigin, KindId};
use duibiao_compiler::value::scaled;
use duibiao_compiler::{Dim, Type, Value};
use hashbrown::hash_table::Entry;
use rust_decimal::Decimal;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

/// What is wrong with a facts file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FactsErrorKind {
    /// Not JSON.
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Json {
        /// What the JSON parser found wrong (in English).
        message: String,
        /// Whether the text ended too early.
        eof: bool,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// No text at all (or only spaces): nothing is loaded.
    #[error("the facts are empty; expected a JSON object with `units`")]
    Empty,
    /// A part of the file has the wrong shape.
    #[error("expected {expected}")]
    Shape {
        /// What was expected.
        expected: String,
    },
    /// The file is for another standard.
    #[error("the facts are for standard `{found}`, not `{expected}`")]
    WrongStandard {
        /// The standard's slug.
        expected: String,
        /// The slug in the file.
        found: String,
    },
    /// An id used twice.
    #[error("unit id `{0}` is used twice; the second unit is ignored")]
    DuplicateId(String),
    /// A kind the standard does not declare.
    #[error("unknown kind `{found}`; the standard's kinds are {known}")]
    UnknownKind {
        /// The kind written.
        found: String,
        /// The declared kinds.
        known: String,
    },
    /// A parent id that no unit has.
    #[error("parent `{0}` does not exist; the unit is evaluated on its own")]
    MissingParent(String),
    /// Parent links that form a loop: one problem per loop, naming its first units.
    #[error("parent links form a loop of {length} units: {}; each is evaluated on its own", loop_text(first, *length, " (", " more)"))]
    ParentCycle {
        /// How many units the loop has.
        length: usize,
        /// The ids of its first units (at most [`LOOP_SHOWN`]), in the order of the links.
        first: Vec<String>,
    },
    /// A parent whose kind cannot contain the unit's kind.
    #[error("a `{parent_kind}` cannot contain a `{kind}`; the unit is evaluated on its own")]
    NotContainable {
        /// The parent's kind.
        parent_kind: String,
        /// The unit's kind.
        kind: String,
    },
    /// A fact the unit's kind does not report.
    #[error("`{kind}` has no fact `{key}`")]
    UnknownFact {
        /// The kind.
        kind: String,
        /// The key.
        key: String,
    },
    /// A score key not on the unit's scorecard.
    #[error("{}", if known.is_empty() { format!("`{kind}` has no scorecard, so no score `{key}`") } else { format!("`{kind}` has no scored part `{key}`; its keys are {known}") })]
    UnknownScore {
        /// The kind.
        kind: String,
        /// The key.
        key: String,
        /// The scorecard's keys.
        known: String,
    },
    /// A value of the wrong type.
    #[error("expected {expected}, found `{found}`")]
    WrongType {
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A number that cannot be held exactly once converted to its unit (an amount in 万元 beyond
    /// about 7.9×10^24), as written.
    #[error("`{0}` is beyond the numbers that can be held exactly (within about ±7.9×10^28, with at most 28 decimal places)")]
    NotHeld(String),
    /// Points outside 0 to `max`.
    #[error("{found} points is outside the allowed range, 0 to {max} points")]
    PointsOutOfRange {
        /// The points given.
        found: String,
        /// The most allowed.
        max: String,
    },
    /// A parameter the standard does not declare.
    #[error("unknown parameter `{0}`")]
    UnknownParam(String),
    /// A unit id that no unit of the facts has.
    #[error("no unit `{0}` in the facts")]
    UnknownUnit(String),
    /// A unit whose id is empty or only spaces (as `duibiao template` leaves it): the unit is
    /// dropped.
    #[error("the unit id is empty; the unit is ignored")]
    EmptyId,
    /// A key given more than once in one object (a score, a fact, a unit's field, a parameter,
    /// a field of the file): the last value is used, as JSON readers usually do.
    #[error("`{0}` is given more than once; the last value is used")]
    DuplicateKey(String),
    /// A field the format does not have (often a misspelling, such as `score` for `scores`).
    #[error("unknown field `{found}`; expected one of {expected}")]
    UnknownField {
        /// The field written.
        found: String,
        /// The fields allowed here.
        expected: String,
    },
    /// Beyond one of the [`FactsLimits`]: the file is not loaded (its size), the units beyond
    /// the limit are left out (their number), the unit is ignored (its id) or its name is cut.
    #[error("{}", limit.message_en(*max, *found))]
    OverLimit {
        /// Which limit.
        limit: FactsLimit,
        /// The limit.
        max: usize,
        /// The size, length or number of units found (for units, how many were left out).
        found: usize,
    },
}

impl FactsErrorKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        use FactsErrorKind::*;
        match self {
            Json { .. } | Empty => "F0001",
            Shape { .. } => "F0002",
            WrongStandard { .. } => "F0003",
            DuplicateId(_) => "F0004",
            UnknownKind { .. } => "F0005",
            MissingParent(_) => "F0006",
            ParentCycle { .. } => "F0007",
            NotContainable { .. } => "F0008",
            UnknownFact { .. } => "F0009",
            UnknownScore { .. } => "F0010",
            WrongType { .. } | NotHeld(_) => "F0011",
            PointsOutOfRange { .. } => "F0012",
            UnknownParam(_) => "F0013",
            UnknownField { .. } => "F0014",
            UnknownUnit(_) => "F0015",
            DuplicateKey(_) => "F0016",
            EmptyId => "F0017",
            OverLimit { .. } => "F0018",
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        use FactsErrorKind::*;
        match self {
            Json {
                eof, line, column, ..
            } => {
                if *eof {
                    format!("不是有效的 JSON：第 {line} 行第 {column} 列处文件意外结束（括号或引号没有闭合）")
                } else {
                    format!("不是有效的 JSON：第 {line} 行第 {column} 列有语法错误")
                }
            }
            Empty => "数据是空的，应为含有 `units` 的 JSON 对象".into(),
            Shape { expected } => format!("应为{}", spaced(&shape_zh(expected))),
            WrongStandard { expected, found } => {
                format!("数据属于标准 `{found}`，而不是 `{expected}`")
            }
            DuplicateId(id) => format!("单位编号 `{id}` 重复，后一个单位被忽略"),
            UnknownKind { found, known } => {
                format!("未知单位类型 `{found}`，标准中的类型为 {known}")
            }
            MissingParent(p) => format!("上级单位 `{p}` 不存在，该单位单独评价"),
            ParentCycle { length, first } => format!(
                "上级关系形成 {length} 个单位的循环：{}，这些单位都单独评价",
                loop_text(first, *length, "（另有 ", " 个）")
            ),
            NotContainable { parent_kind, kind } => {
                format!("`{parent_kind}` 不能包含 `{kind}`，该单位单独评价")
            }
            UnknownFact { kind, key } => format!("`{kind}` 没有填报项 `{key}`"),
            UnknownScore { kind, key, known } if known.is_empty() => {
                format!("`{kind}` 没有评分表，不能填报得分 `{key}`")
            }
            UnknownScore { kind, key, known } => {
                format!("`{kind}` 的评分表中没有 `{key}`，可用的为 {known}")
            }
            WrongType { expected, found } => {
                format!("应为{}，实际为 `{found}`", spaced(&shape_zh(expected)))
            }
            NotHeld(found) => {
                format!("`{found}` 超出可以精确表示的范围（约 ±7.9×10^28 以内，最多 28 位小数）")
            }
            PointsOutOfRange { found, max } => {
                format!("得分 {found} 超出允许范围（0 至 {max} 分）")
            }
            UnknownParam(p) => format!("未知参数 `{p}`"),
            UnknownUnit(u) => format!("数据中没有单位 `{u}`"),
            DuplicateKey(k) => format!("`{k}` 写了不止一次，使用最后一个值"),
            EmptyId => "单位编号为空，该单位被忽略".into(),
            UnknownField { found, expected } => {
                format!("未知字段 `{found}`，应为 {expected} 之一")
            }
            OverLimit { limit, max, found } => limit.message_zh(*max, *found),
        }
    }
}

/// The length in characters of `text` when it is more than `max` (counted only when its bytes
/// are).
fn beyond(text: &str, max: usize) -> Option<usize> {
    if text.len() <= max {
        return None;
    }
    let chars = text.chars().count();
    (chars > max).then_some(chars)
}

/// How many units of a loop of parents a message names.
pub const LOOP_SHOWN: usize = 5;

/// A loop of parents as messages show it: `A → B → A`, or for a long loop its first units, how
/// many more there are (between `open` and `close`) and the first again, so that a message does
/// not grow with the loop.
fn loop_text(first: &[String], length: usize, open: &str, close: &str) -> String {
    let mut text: Vec<String> = first.iter().map(|id| format!("`{id}`")).collect();
    if length > first.len() {
        text.push(format!("…{open}{}{close}", length - first.len()));
    }
    if let Some(id) = first.first() {
        text.push(format!("`{id}`"));
    }
    text.join(" → ")
}

/// A space before text that starts with Latin or code, none before Chinese.
fn spaced(s: &str) -> String {
    if s.starts_with(|c: char| c.is_ascii()) {
        format!(" {s}")
    } else {
        s.to_string()
    }
}

fn shape_zh(s: &str) -> String {
    let w = match s {
        "a JSON object" => "JSON 对象",
        "a list of units" => "单位列表",
        "a string" => "字符串",
        "a string or null" => "字符串或 null",
        "an object" => "对象",
        "a date such as `2021-12-31`" => "日期，例如 `2021-12-31`",
        "true or false" => "`true` 或 `false`",
        "a whole number" => "整数",
        "a whole number, 0 or more" => "非负整数",
        "a number" => "数",
        "a percentage such as `85%` or 85" => "百分比，例如 `85%` 或 85",
        "money in 元 such as 150000 or `15万元`" => "金额（元），例如 150000 或 `15万元`",
        "an area in m² such as 350 or `350平方米`" => "面积（平方米），例如 350 或 `350平方米`",
        "hours such as 56 or `56学时`" => "学时，例如 56 或 `56学时`",
        "points such as 8.5" => "分值，例如 8.5",
        "days such as 30" => "天数，例如 30",
        "a date such as `2021-06-30`" => "日期，例如 `2021-06-30`",
        other => {
            if let Some(rest) = other.strip_prefix("one of ") {
                return format!("以下之一：{rest}");
            }
            other
        }
    };
    w.to_string()
}

/// One problem in a facts file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactsError {
    /// The stable code.
    pub code: &'static str,
    /// The unit's id, when the problem is in a unit.
    pub unit: Option<String>,
    /// The key (fact name, score key, or field), when there is one.
    pub key: Option<String>,
    /// What is wrong.
    pub kind: FactsErrorKind,
}

impl FactsError {
    /// The problem `kind`, at `unit` and `key` when given, with its code.
    pub fn new(unit: Option<&str>, key: Option<&str>, kind: FactsErrorKind) -> Self {
        FactsError {
            code: kind.code(),
            unit: unit.map(str::to_string),
            key: key.map(str::to_string),
            kind,
        }
    }

    /// The message in English, prefixed with the unit and key.
    pub fn message_en(&self) -> String {
        let prefix = match (&self.unit, &self.key) {
            (Some(u), Some(k)) => format!("unit `{u}`, `{k}`: "),
            (Some(u), None) => format!("unit `{u}`: "),
            (None, Some(k)) => format!("`{k}`: "),
            (None, None) => String::new(),
        };
        format!("{prefix}{}", self.kind)
    }

    /// The message in Chinese, prefixed with the unit and key.
    pub fn message_zh(&self) -> String {
        let prefix = match (&self.unit, &self.key) {
            (Some(u), Some(k)) => format!("单位 `{u}` 的 `{k}`："),
            (Some(u), None) => format!("单位 `{u}`："),
            (None, Some(k)) => format!("`{k}`："),
            (None, None) => String::new(),
        };
        format!("{prefix}{}", self.kind.message_zh())
    }
}

/// A loaded facts file: the forest, the evaluation date and parameter values it gives.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The units.
    pub tree: UnitTree,
    /// `as_of`, the evaluation date.
    pub as_of: Option<chrono::NaiveDate>,
    /// Parameter values supplied by the file, by parameter index: [`Value::Unknown`] for a value
    /// given but unusable (reported), which counts as missing rather than falling back to the
    /// standard's own value.
    pub params: Vec<(usize, Value)>,
}

/// Parses a value of type `ty` from JSON. `Ok(None)` for `null` (missing).
pub fn parse_value(
    graph: &Graph,
    ty: Type,
    v: &serde_json::Value,
) -> Result<Option<Value>, FactsErrorKind> {
    convert(graph, ty, &Json::from_value(v))
}

/// The value of one input from JSON: its type checked, and points within `0..=max`.
/// `Ok(None)` for `null` (not reported).
pub fn input_value(
    graph: &Graph,
    input: &duibiao_compiler::graph::Input,
    v: &serde_json::Value,
) -> Result<Option<Value>, FactsErrorKind> {
    convert_input(graph, input, &Json::from_value(v))
}

/// A JSON value as the loader reads it: strings and numbers borrowed from the text where they
/// can be; objects and arrays, never a valid value, kept only to be shown in messages.
#[derive(Debug, Clone)]
enum Json<'a> {
    Null,
    Bool(bool),
    /// A whole number that fits a `u64`.
    U64(u64),
    /// A negative whole number that fits an `i64`.
    I64(i64),
    /// Any other number, as written (shown as `serde_json` keeps it: see [`serde_number`]).
    Num(Cow<'a, str>),
    Str(Cow<'a, str>),
    Other(Cow<'a, serde_json::Value>),
}

impl<'a> Json<'a> {
    fn from_value(v: &'a serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Num(Cow::Borrowed(n.as_str())),
            serde_json::Value::String(s) => Json::Str(Cow::Borrowed(s)),
            _ => Json::Other(Cow::Borrowed(v)),
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as `serde_json::Value` shows it: strings keep their quotes, so that `"20"` is
    /// not mistaken for the number 20; numbers as written.
    fn shown(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => b.to_string(),
            Json::U64(n) => n.to_string(),
            Json::I64(n) => n.to_string(),
            Json::Num(s) => serde_number(Cow::Borrowed(s)).into_owned(),
            Json::Str(s) => serde_json::Value::String(s.to_string()).to_string(),
            Json::Other(v) => v.to_string(),
        }
    }
}

/// Parses a value of type `ty`. `Ok(None)` for `null` (missing).
fn convert(graph: &Graph, ty: Type, v: &Json) -> Result<Option<Value>, FactsErrorKind> {
    if matches!(v, Json::Null) {
        return Ok(None);
    }
    let wrong = |expected: &str| FactsErrorKind::WrongType {
        expected: expected.to_string(),
        found: v.shown(),
    };
    match ty {
        Type::Bool => match v {
            Json::Bool(b) => Ok(Some(Value::Bool(*b))),
            _ => Err(wrong("true or false")),
        },
        Type::Date => match v
            .as_str()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        {
            Some(d) => Ok(Some(Value::Date(d))),
            None => Err(wrong("a date such as `2021-06-30`")),
        },
        Type::Enum(e) => {
            let variants = graph.levels(e);
            match v
                .as_str()
                .and_then(|s| variants.iter().position(|x| x == s))
            {
                Some(i) => Ok(Some(Value::Enum(i as u32))),
                None => Err(wrong(&format!("one of {}", variants.join(", ")))),
            }
        }
        Type::Num(dim) => {
            let expected = match dim {
                Dim::Count => "a whole number",
                Dim::Bare | Dim::Number => "a number",
                Dim::Percent => "a percentage such as `85%` or 85",
                Dim::Money => "money in 元 such as 150000 or `15万元`",
                Dim::Area => "an area in m² such as 350 or `350平方米`",
                Dim::Hours => "hours such as 56 or `56学时`",
                Dim::Points => "points such as 8.5",
                Dim::Days => "days such as 30",
            };
            let not_held = || FactsErrorKind::NotHeld(v.shown());
            // A percentage is written in points of a hundred: 85 is 0.85.
            let written = |d: Decimal| {
                if dim == Dim::Percent {
                    scaled(d, -2).ok_or_else(not_held)
                } else {
                    Ok(d)
                }
            };
            let n = match v {
                Json::U64(n) => written(Decimal::from(*n))?,
                Json::I64(n) => written(Decimal::from(*n))?,
                // Exactly as written: a number with more digits than a decimal holds is an
                // error, never silently rounded.
                // Exactly as written, exponent or not (`2e0` is 2): a number that a decimal cannot
                // hold exactly is an error, never silently rounded.
                Json::Num(s) => written(match plain_decimal(s) {
                    Some(d) => d,
                    None => json_decimal(s).ok_or_else(not_held)?,
                })?,
                Json::Str(s) if dim != Dim::Points => {
                    let q = duibiao_syntax::parse_quantity(s).ok_or_else(|| wrong(expected))?;
                    let (value, t) = duibiao_compiler::literal_quantity(&q);
                    let fits = match t {
                        Type::Num(d) => {
                            d == Dim::Bare || d == dim || (d == Dim::Count && dim.is_plain())
                        }
                        _ => false,
                    };
                    match value {
                        Value::Num(n) if fits => {
                            if dim == Dim::Percent && t == Type::Num(Dim::Bare) {
                                written(n)?
                            } else {
                                n
                            }
                        }
                        // `8000000000000000000000000万元`: of the right unit, but too large.
                        Value::Unknown if fits => return Err(not_held()),
                        _ => return Err(wrong(expected)),
                    }
                }
                _ => return Err(wrong(expected)),
            };
            if dim == Dim::Count && (!n.fract().is_zero() || n.is_sign_negative()) {
                return Err(wrong("a whole number, 0 or more"));
            }
            Ok(Some(Value::Num(n.normalize())))
        }
    }
}

/// The value of one input when it is one of the usual cases: `true` or `false` for a truth value,
/// a number written plainly and within range for a number other than a percentage. `None`
/// otherwise, for [`convert_input`] to read it (and report what is wrong).
#[inline]
fn quick_input(input: &duibiao_compiler::graph::Input, v: &Json) -> Option<Value> {
    match (input.ty, v) {
        (Type::Bool, Json::Bool(b)) => Some(Value::Bool(*b)),
        (Type::Num(dim), Json::Num(s)) if dim != Dim::Percent => {
            let d = plain_decimal(s)?;
            let whole = dim != Dim::Count || d.scale() == 0;
            let within = match &input.origin {
                InputOrigin::Points { max } => !exceeds(d, *max),
                InputOrigin::Fact => true,
            };
            (whole && within).then_some(Value::Num(d))
        }
        _ => None,
    }
}

/// A number written plainly (`8`, `8.50`: no sign, no exponent, at most 19 digits), without
/// trailing zeros after its decimal point, as [`Decimal::normalize`] leaves it; `None` for any
/// other text.
fn plain_decimal(s: &str) -> Option<Decimal> {
    let (mut mantissa, mut scale, mut digits, mut point) = (0u64, 0u32, 0u32, false);
    for &b in s.as_bytes() {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if digits > 19 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(b - b'0');
                scale += u32::from(point);
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(i128::from(mantissa), scale).ok()
}

/// The exact value of a number as JSON writes it (`8.5`, `-3`, `2e0`, `1.5E+1`, `25e-1`), or
/// `None` when a decimal cannot hold it exactly: beyond about ±7.9×10^28, or with more than 28
/// decimal places. Linear in the text, whatever its exponent.
fn json_decimal(s: &str) -> Option<Decimal> {
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(at) => (s.get(..at)?, s.get(at + 1..)?),
        None => (s, ""),
    };
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = whole.bytes().chain(frac.bytes()).collect();
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let (Some(first), Some(last)) = (
        digits.iter().position(|&d| d != b'0'),
        digits.iter().rposition(|&d| d != b'0'),
    ) else {
        return Some(Decimal::ZERO);
    };
    let significant = std::str::from_utf8(digits.get(first..=last)?).ok()?;
    // A decimal's mantissa has at most 29 digits.
    if significant.len() > 29 {
        return None;
    }
    let exponent: i64 = if exponent.is_empty() {
        0
    } else {
        exponent.parse().ok()?
    };
    let trailing = i64::try_from(digits.len().checked_sub(last + 1)?).ok()?;
    let shift = exponent
        .checked_sub(i64::try_from(frac.len()).ok()?)?
        .checked_add(trailing)?;
    let m: i128 = significant.parse().ok()?;
    let (m, scale) = if shift >= 0 {
        let up = 10i128.checked_pow(u32::try_from(shift).ok()?)?;
        (m.checked_mul(up)?, 0)
    } else {
        (m, u32::try_from(shift.checked_neg()?).ok()?)
    };
    let m = if negative { -m } else { m };
    Decimal::try_from_i128_with_scale(m, scale).ok()
}

/// Whether `n` is more than `max`: on the two mantissas when they can be brought to one scale
/// (the usual case), else as decimals.
fn exceeds(n: Decimal, max: Decimal) -> bool {
    let (a, b) = (n.mantissa(), max.mantissa());
    let (sa, sb) = (n.scale(), max.scale());
    let aligned = if sa >= sb {
        10i128
            .checked_pow(sa - sb)
            .and_then(|p| b.checked_mul(p))
            .map(|b| (a, b))
    } else {
        10i128
            .checked_pow(sb - sa)
            .and_then(|p| a.checked_mul(p))
            .map(|a| (a, b))
    };
    match aligned {
        Some((a, b)) => a > b,
        None => n > max,
    }
}

/// The value of one input: its type checked, and points within `0..=max`.
fn convert_input(
    graph: &Graph,
    input: &duibiao_compiler::graph::Input,
    v: &Json,
) -> Result<Option<Value>, FactsErrorKind> {
    let val = convert(graph, input.ty, v)?;
    if let (InputOrigin::Points { max }, Some(Value::Num(n))) = (&input.origin, val) {
        if (n.is_sign_negative() && !n.is_zero()) || exceeds(n, *max) {
            return Err(FactsErrorKind::PointsOutOfRange {
                found: n.to_string(),
                max: max.to_string(),
            });
        }
    }
    Ok(val)
}

/// Loads a facts file. Always returns what could be loaded, with every problem found.
///
/// The file is read as a stream, straight from its text: each unit's fields and values are read
/// as borrowed text (no JSON tree is built, no number is copied), checked and stored before the
/// next unit is read. A file that this fast pass cannot read to its end, or that holds an object,
/// an array or a string with invalid escapes among its facts or scores, is read a second time with
/// `serde_json`'s own checks, so that every problem is reported as and where `serde_json` finds
/// it.
pub fn load(graph: &Graph, text: &str, limits: &FactsLimits) -> (Facts, Vec<FactsError>) {
    if text.len() > limits.bytes {
        let error = FactsError::new(
            None,
            None,
            FactsErrorKind::OverLimit {
                limit: FactsLimit::Bytes,
                max: limits.bytes,
                found: text.len(),
            },
        );
        return (Facts::default(), vec![error]);
    }
    // Editors on Windows often save a byte-order mark; it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        let error = FactsError::new(None, None, FactsErrorKind::Empty);
        return (Facts::default(), vec![error]);
    }
    load_pass(graph, text, limits, Pass::Fast)
        .unwrap_or_else(|| load_pass(graph, text, limits, Pass::Exact).unwrap_or_default())
}

/// Loads a facts file in one pass; `None` when the fast pass gives way to the exact one (which
/// always returns something).
fn load_pass(
    graph: &Graph,
    text: &str,
    limits: &FactsLimits,
    pass: Pass,
) -> Option<(Facts, Vec<FactsError>)> {
    let mut loader = Loader::new(graph, limits, pass);
    loader.text = text;
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed =
        serde::de::DeserializeSeed::deserialize(&mut loader, &mut de).and_then(|()| de.end());
    if let Err(e) = parsed {
        // Whatever stopped the fast pass, the exact pass finds it (or finds an earlier problem).
        if pass == Pass::Fast {
            return None;
        }
        if e.classify() == serde_json::error::Category::Data && !loader.started_units {
            loader.top.push(FactsError::new(
                None,
                None,
                FactsErrorKind::Shape {
                    expected: "a JSON object".into(),
                },
            ));
        } else if e.classify() == serde_json::error::Category::Data {
            loader.top.push(shape(None, "units", "a list of units"));
        } else {
            let full = e.to_string();
            let message = match full.rfind(" at line ") {
                Some(i) => full[..i].to_string(),
                None => full,
            };
            let error = FactsError::new(
                None,
                None,
                FactsErrorKind::Json {
                    message,
                    eof: e.is_eof(),
                    line: e.line(),
                    column: e.column().max(1),
                },
            );
            return Some((Facts::default(), vec![error]));
        }
    }
    Some(loader.finish())
}

fn shape(unit: Option<&str>, key: &str, expected: &str) -> FactsError {
    FactsError::new(
        unit,
        Some(key),
        FactsErrorKind::Shape {
            expected: expected.into(),
        },
    )
}

/// Loads facts already parsed as JSON (errors found so far in `errors` come first), within
/// `limits` but for the size of the text, which is gone.
pub fn load_value(
    graph: &Graph,
    root: &serde_json::Value,
    limits: &FactsLimits,
    errors: &mut Vec<FactsError>,
) -> (Facts, Vec<FactsError>) {
    let mut loader = Loader::new(graph, limits, Pass::Exact);
    loader.top = std::mem::take(errors);
    match root.as_object() {
        None => loader.top.push(FactsError::new(
            None,
            None,
            FactsErrorKind::Shape {
                expected: "a JSON object".into(),
            },
        )),
        Some(obj) => {
            for (key, v) in obj {
                match (key.as_str(), v.as_array()) {
                    ("units", Some(list)) => {
                        loader.started_units = true;
                        list.iter().for_each(|u| loader.unit_value(u));
                    }
                    ("units", None) => {
                        loader.started_units = true;
                        loader.top.push(shape(None, "units", "a list of units"));
                    }
                    _ => loader.field(key, v),
                }
            }
        }
    }
    loader.finish()
}

/// The fields a unit may have.
const UNIT_FIELDS: [&str; 6] = ["id", "name", "kind", "parent", "scores", "facts"];

/// FNV-1a, for the tables from input keys to slots: the keys are short, and the tables are built
/// from the standard, not from the file, so the file cannot make them slow.
#[derive(Clone, Copy)]
struct KeyHasher(u64);

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// From an input key to its slot.
type Slots<'g> = HashMap<&'g str, usize, std::hash::BuildHasherDefault<KeyHasher>>;

/// One kind's input slots, by key: facts and scores apart.
struct KindKeys<'g> {
    facts: Slots<'g>,
    scores: Slots<'g>,
}

/// What a unit's `facts` or `scores` field held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Part {
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
struct RawUnit<'de> {
    id: Option<Json<'de>>,
    kind: Option<Json<'de>>,
    name: Option<Json<'de>>,
    parent: Option<Json<'de>>,
    facts: Part,
    facts_entries: Vec<(Cow<'de, str>, Json<'de>)>,
    scores: Part,
    scores_entries: Vec<(Cow<'de, str>, Json<'de>)>,
    /// Keys that are not fields of a unit, each once, in order.
    unknown: Vec<Cow<'de, str>>,
    /// The fields read, by their place in [`UNIT_FIELDS`] (a bit each).
    fields: u8,
    /// The fields read more than once.
    repeated: u8,
}

impl RawUnit<'_> {
    /// Empties it, keeping its buffers for the next unit.
    fn clear(&mut self) {
        self.id = None;
        self.kind = None;
        self.name = None;
        self.parent = None;
        self.facts = Part::Absent;
        self.facts_entries.clear();
        self.scores = Part::Absent;
        self.scores_entries.clear();
        self.unknown.clear();
        self.fields = 0;
        self.repeated = 0;
    }
}

/// Buffers reused from one `facts` or `scores` object to the next.
#[derive(Debug, Default)]
struct PartScratch {
    /// Per input slot, the place of its key among the object's keys (`u32::MAX`: not seen).
    place: Vec<u32>,
    /// The object's problems, with the place of the key each is about.
    errors: Vec<(u32, FactsError)>,
}

/// Builds the forest from a facts file's fields and units, as they come.
struct Loader<'g, 'de> {
    graph: &'g Graph,
    /// Problems with the file's own fields.
    top: Vec<FactsError>,
    /// Problems with units.
    in_units: Vec<FactsError>,
    facts: Facts,
    units: Vec<Unit>,
    /// Per unit, its parent.
    parents: Vec<Parent>,
    /// The ids of the parents that were not found as their units were read. (Past `u32::MAX`
    /// of them, which would take hundreds of gigabytes, later ones would be dropped.)
    parent_ids: Vec<Cow<'de, str>>,
    /// Units by id.
    index: IdIndex,
    known_kinds: String,
    started_units: bool,
    /// Units read so far, rejected ones included (for positions in messages).
    seen: usize,
    /// Per kind, the input slot of each key.
    keys: Vec<KindKeys<'g>>,
    /// The unit being read.
    raw: RawUnit<'de>,
    scratch: PartScratch,
    /// Which pass reads the file.
    pass: Pass,
    /// The text being read (empty when the facts were parsed already).
    text: &'de str,
    /// The parent of the last unit whose parent was found as it was read.
    last_parent: Option<usize>,
    limits: FactsLimits,
    /// Units left out for being beyond `limits.units`.
    left_out: usize,
}

/// A unit's parent, as read (8 bytes).
#[derive(Debug, Clone, Copy)]
enum Parent {
    /// None.
    None,
    /// A unit read before it, found as the unit was read.
    Found(u32),
    /// To be looked up once every unit is read: its id, by position in `Loader::parent_ids`.
    Id(u32),
}

/// Units read before the room for the rest is estimated.
const SAMPLE_UNITS: usize = 1024;

/// How the values of `facts` and `scores` are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
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
    fn new(graph: &'g Graph, limits: &FactsLimits, pass: Pass) -> Self {
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
            known_kinds: graph
                .kinds
                .iter()
                .map(|k| format!("`{}`", k.name))
                .collect::<Vec<_>>()
                .join(", "),
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
                    KindKeys { facts, scores }
                })
                .collect(),
            raw: RawUnit::default(),
            scratch: PartScratch::default(),
        }
    }

    /// A field of the file other than `units`.
    fn field(&mut self, key: &str, v: &serde_json::Value) {
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
                let expected = ["standard", "as_of", "params", "units"]
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
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
    fn params(&mut self, part: Part, entries: &[(Cow<str>, Json)]) {
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

    /// An element of `units` that is not an object.
    fn not_object(&mut self) {
        let pos = self.seen;
        self.seen += 1;
        self.in_units
            .push(shape(None, &format!("units[{pos}]"), "a JSON object"));
    }

    /// An element of `units` already parsed as JSON.
    fn unit_value(&mut self, u: &'de serde_json::Value) {
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
    fn unit_read(&mut self) {
        let raw = std::mem::take(&mut self.raw);
        self.unit(&raw);
        self.raw = raw;
        self.raw.clear();
    }

    /// One unit of `units`.
    fn unit(&mut self, u: &RawUnit<'de>) {
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
        if self.units.len() >= self.limits.units {
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
            let expected = UNIT_FIELDS
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(FactsError::new(
                uid,
                Some(k),
                FactsErrorKind::UnknownField {
                    found: k.to_string(),
                    expected,
                },
            ));
        }
        let at = match self.index.entry(id, &self.units) {
            Entry::Occupied(_) => {
                errors.push(FactsError::new(
                    uid,
                    Some("id"),
                    FactsErrorKind::DuplicateId(id.into()),
                ));
                return;
            }
            Entry::Vacant(at) => at,
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
                .find(|&p| self.units.get(p).is_some_and(|x| x.id == **s))
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
        let mut inputs = vec![Value::Unknown; graph.kinds[kind].inputs.len()];
        let keys = &self.keys[kind];
        for (field, is_scores, part, entries, slots) in [
            ("facts", false, u.facts, &u.facts_entries, &keys.facts),
            ("scores", true, u.scores, &u.scores_entries, &keys.scores),
        ] {
            match part {
                Part::Absent | Part::Null => {}
                Part::Map => read_inputs(
                    graph,
                    kind,
                    is_scores,
                    slots,
                    id,
                    entries,
                    &mut inputs,
                    &mut self.scratch,
                    errors,
                ),
                Part::NotObject => errors.push(shape(uid, field, "an object")),
            }
        }
        if let Ok(i) = u32::try_from(self.units.len()) {
            at.insert(i);
        }
        self.units.push(Unit {
            id: id.to_string(),
            name,
            kind: kind as KindId,
            parent: None,
            children: Vec::new(),
            inputs,
        });
        self.parents.push(parent);
        if self.units.len() == SAMPLE_UNITS {
            self.reserve_rest(id);
        }
    }

    /// Forgets the units read so far, and their problems: `units` is given again, and its last
    /// value is used.
    fn forget_units(&mut self) {
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
        self.index.reserve(more, &self.units);
    }

    /// Links parents and returns the forest with every problem: the file's own first.
    fn finish(mut self) -> (Facts, Vec<FactsError>) {
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
                    max: self.limits.units,
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
        (self.facts, errors)
    }
}

/// Reads one unit's `facts` (or `scores`) object into its inputs, as a JSON object holds them:
/// a key written twice keeps the place of its first occurrence and the value of its last, and is
/// reported (`F0016`) at that place.
#[allow(clippy::too_many_arguments)]
fn read_inputs(
    graph: &Graph,
    kind: usize,
    is_scores: bool,
    slots: &Slots,
    id: &str,
    entries: &[(Cow<str>, Json)],
    inputs: &mut [Value],
    scratch: &mut PartScratch,
    errors: &mut Vec<FactsError>,
) {
    const UNSEEN: u32 = u32::MAX;
    let kg = &graph.kinds[kind];
    let PartScratch {
        place,
        errors: found,
    } = scratch;
    place.clear();
    place.resize(inputs.len(), UNSEEN);
    found.clear();
    let mut next = 0u32;
    // The slots whose key is given more than once, each once.
    let mut repeated: Vec<usize> = Vec::new();
    for (key, v) in entries {
        let key: &str = key;
        let Some(&slot) = slots.get(key) else {
            let again = found.iter().any(|(_, e)| {
                e.key.as_deref() == Some(key)
                    && matches!(
                        e.kind,
                        FactsErrorKind::UnknownFact { .. } | FactsErrorKind::UnknownScore { .. }
                    )
            });
            if again {
                continue;
            }
            let kind = if is_scores {
                let known = kg
                    .inputs
                    .iter()
                    .filter(|i| matches!(i.origin, InputOrigin::Points { .. }))
                    .map(|i| i.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                FactsErrorKind::UnknownScore {
                    kind: kg.name.clone(),
                    key: key.to_string(),
                    known,
                }
            } else {
                FactsErrorKind::UnknownFact {
                    kind: kg.name.clone(),
                    key: key.to_string(),
                }
            };
            found.push((next, FactsError::new(Some(id), Some(key), kind)));
            next += 1;
            continue;
        };
        let (Some(p), Some(input), Some(value)) = (
            place.get_mut(slot),
            kg.inputs.get(slot),
            inputs.get_mut(slot),
        ) else {
            continue;
        };
        let at = if *p == UNSEEN {
            *p = next;
            next += 1;
            *p
        } else {
            // The earlier value is replaced, and so is any problem with it.
            if !repeated.contains(&slot) {
                repeated.push(slot);
            }
            let at = *p;
            found.retain(|(q, _)| *q != at);
            at
        };
        if let Some(val) = quick_input(input, v) {
            *value = val;
            continue;
        }
        match convert_input(graph, input, v) {
            Ok(val) => *value = val.unwrap_or(Value::Unknown),
            Err(k) => {
                *value = Value::Unknown;
                found.push((at, FactsError::new(Some(id), Some(key), k)));
            }
        }
    }
    if !repeated.is_empty() {
        for slot in repeated {
            if let (Some(&at), Some(input)) = (place.get(slot), kg.inputs.get(slot)) {
                found.push((
                    at,
                    FactsError::new(
                        Some(id),
                        Some(&input.key),
                        FactsErrorKind::DuplicateKey(input.key.clone()),
                    ),
                ));
            }
        }
        // At the place of each key's first occurrence: that it is repeated, then what is wrong
        // with its last value.
        found.sort_by_key(|(at, e)| (*at, e.code != "F0016"));
    }
    errors.extend(found.drain(..).map(|(_, e)| e));
}

/// Marks a number that `serde_json` (with `arbitrary_precision`) hands over as a one-entry map.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Reads the number of such a map, checked as `serde_json` checks it when building a value.
fn number_text<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<String, A::Error> {
    let text: String = map.next_value()?;
    if !is_json_number(&text) {
        return Err(serde::de::Error::custom(format!("invalid number `{text}`")));
    }
    Ok(text)
}

/// A number's text as `serde_json` keeps it when it reads one: as written, but for an exponent,
/// always written `e` and signed (`1E5` is kept as `1e+5`).
fn serde_number(text: Cow<str>) -> Cow<str> {
    let Some(at) = text.find(['e', 'E']) else {
        return text;
    };
    let (mantissa, rest) = text.split_at(at);
    let exponent = rest.get(1..).unwrap_or_default();
    if rest.starts_with('e') && exponent.starts_with(['+', '-']) {
        return text;
    }
    let sign = if exponent.starts_with(['+', '-']) {
        ""
    } else {
        "+"
    };
    Cow::Owned(format!("{mantissa}e{sign}{exponent}"))
}

/// Whether `s` is a number as JSON writes it.
fn is_json_number(s: &str) -> bool {
    fn digits(b: &[u8], i: &mut usize) -> usize {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    }
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(b, &mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(b, &mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(b, &mut i) == 0 {
            return false;
        }
    }
    i == b.len()
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
                    map.next_value::<serde_json::Value>()?;
                    if !raw.unknown.contains(&key) {
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

/// Resolves parent ids; a missing parent, a loop or a parent of a kind that cannot contain the
/// unit is reported, and the unit is evaluated as a root.
fn link_parents(
    graph: &Graph,
    units: &mut [Unit],
    parents: &[Parent],
    parent_ids: &[Cow<str>],
    index: &IdIndex,
    errors: &mut Vec<FactsError>,
) {
    // 1. Resolve parent ids.
    let mut links: Vec<Option<usize>> = vec![None; units.len()];
    for (i, parent) in parents.iter().enumerate().take(units.len()) {
        let pid = match *parent {
            Parent::None => continue,
            Parent::Found(p) => {
                links[i] = Some(p as usize);
                continue;
            }
            Parent::Id(at) => match parent_ids.get(at as usize) {
                Some(pid) => pid,
                None => continue,
            },
        };
        match index.find(pid, units) {
            Some(p) => links[i] = Some(p),
            None => errors.push(FactsError::new(
                Some(&units[i].id),
                Some("parent"),
                FactsErrorKind::MissingParent(pid.to_string()),
            )),
        }
    }
    // 2. Loops: follow parent links; every unit on a loop is reported and evaluated on its own.
    let n = units.len();
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the current walk, 2 finished
    let mut walk = Vec::new();
    for start in 0..n {
        walk.clear();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state[c] {
                0 => {
                    state[c] = 1;
                    walk.push(c);
                    cur = links[c];
                }
                1 => {
                    // One problem per loop, as long as its first few ids whatever its length.
                    let from = walk.iter().position(|&w| w == c).unwrap_or(0);
                    let cycle = &walk[from..];
                    let first = cycle
                        .iter()
                        .take(LOOP_SHOWN)
                        .map(|&u| units[u].id.clone())
                        .collect();
                    errors.push(FactsError::new(
                        Some(&units[c].id),
                        Some("parent"),
                        FactsErrorKind::ParentCycle {
                            length: cycle.len(),
                            first,
                        },
                    ));
                    for &u in cycle {
                        links[u] = None;
                    }
                    break;
                }
                _ => break,
            }
        }
        for &w in &walk {
            state[w] = 2;
        }
    }
    // 3. Containment: a parent's kind must contain the unit's kind.
    for i in 0..n {
        let Some(p) = links[i] else { continue };
        let pk = units[p].kind as usize;
        if graph.kinds[pk].children.contains(&units[i].kind) {
            units[i].parent = Some(p);
        } else {
            errors.push(FactsError::new(
                Some(&units[i].id),
                Some("parent"),
                FactsErrorKind::NotContainable {
                    parent_kind: graph.kinds[pk].name.clone(),
                    kind: graph.kinds[units[i].kind as usize].name.clone(),
                },
            ));
        }
    }
}
