//! Values as the loader reads them from JSON, and their conversion to the standard's types:
//! truth values, dates, levels and exact decimal numbers in their units.

use super::FactsErrorKind;
use duibiao_compiler::graph::{Graph, InputOrigin};
use duibiao_compiler::value::scaled;
use duibiao_compiler::{Dim, Type, Value};
use rust_decimal::Decimal;
use std::borrow::Cow;

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
pub(super) enum Json<'a> {
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
    pub(super) fn from_value(v: &'a serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Num(Cow::Borrowed(n.as_str())),
            serde_json::Value::String(s) => Json::Str(Cow::Borrowed(s)),
            _ => Json::Other(Cow::Borrowed(v)),
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as `serde_json::Value` shows it: strings keep their quotes, so that `"20"` is
    /// not mistaken for the number 20; numbers as written.
    pub(super) fn shown(&self) -> String {
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
pub(super) fn convert(graph: &Graph, ty: Type, v: &Json) -> Result<Option<Value>, FactsErrorKind> {
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
                Dim::Months => "calendar months such as 12, `6个月` or `1年`",
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
pub(super) fn quick_input(input: &duibiao_compiler::graph::Input, v: &Json) -> Option<Value> {
    match (input.ty, v) {
        (Type::Bool, Json::Bool(b)) => Some(Value::Bool(*b)),
        (Type::Num(_), Json::Num(s)) => {
            let (mantissa, scale) = plain_parts(s.as_bytes())?;
            quick_number(input, mantissa, scale)
        }
        _ => None,
    }
}

/// The value of a number input other than a percentage given the number `mantissa` × 10^-`scale`
/// written plainly ([`plain_parts`]): `None` when the input is of another type, or a count is
/// not whole, or points may be out of range — for [`convert_input`] to read it.
#[inline]
pub(super) fn quick_number(
    input: &duibiao_compiler::graph::Input,
    mantissa: u64,
    scale: u32,
) -> Option<Value> {
    if !takes_plain(input, mantissa, scale) {
        return None;
    }
    Decimal::try_from_i128_with_scale(i128::from(mantissa), scale)
        .ok()
        .map(Value::Num)
}

/// Whether `input` takes the number `mantissa` × 10^-`scale` as it stands: a number input other
/// than a percentage, whole for a count, and surely within range for points.
#[inline]
pub(super) fn takes_plain(
    input: &duibiao_compiler::graph::Input,
    mantissa: u64,
    scale: u32,
) -> bool {
    let Type::Num(dim) = input.ty else {
        return false;
    };
    if dim == Dim::Percent || (dim == Dim::Count && scale != 0) {
        return false;
    }
    match &input.origin {
        InputOrigin::Points { max } => !exceeds_u64(mantissa, scale, *max).unwrap_or(true),
        _ => true,
    }
}

/// The value of `input` given `text`, when `text` is a JSON number written plainly (no sign, no
/// exponent, at most 19 digits) that the input takes as it stands ([`quick_number`]): what
/// [`input_value`] gives for it, without a JSON reader. `None` for any other text.
pub(crate) fn plain_input(input: &duibiao_compiler::graph::Input, text: &str) -> Option<Value> {
    let bytes = text.as_bytes();
    if super::scan::number_end(bytes, 0) != Some(bytes.len()) {
        return None;
    }
    let (mantissa, scale) = plain_parts(bytes)?;
    quick_number(input, mantissa, scale)
}

/// A number written plainly (`8`, `8.50`: no sign, no exponent, at most 19 digits), without
/// trailing zeros after its decimal point, as [`Decimal::normalize`] leaves it; `None` for any
/// other text.
fn plain_decimal(s: &str) -> Option<Decimal> {
    let (mantissa, scale) = plain_parts(s.as_bytes())?;
    Decimal::try_from_i128_with_scale(i128::from(mantissa), scale).ok()
}

/// The mantissa and scale of a number written plainly (`8`, `8.50`: no sign, no exponent, at
/// most 19 digits), without trailing zeros after its decimal point; `None` for any other text.
#[inline]
fn plain_parts(bytes: &[u8]) -> Option<(u64, u32)> {
    let (mut mantissa, mut scale, mut digits, mut point) = (0u64, 0u32, 0u32, false);
    for &b in bytes {
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
    Some(without_trailing_zeros(mantissa, scale))
}

/// `mantissa` × 10^-`scale` with the zeros after its decimal point left out, as
/// [`Decimal::normalize`] leaves it.
#[inline]
pub(super) fn without_trailing_zeros(mut mantissa: u64, mut scale: u32) -> (u64, u32) {
    while scale > 0 && mantissa.is_multiple_of(10) {
        mantissa /= 10;
        scale -= 1;
    }
    (mantissa, scale)
}

/// Whether `mantissa` × 10^-`scale` is more than `max`, when both mantissas fit in 64 bits and
/// the scales are a few places apart (points as files write them): compared in 128 bits without
/// a power computed. `None` otherwise.
#[inline]
fn exceeds_u64(mantissa: u64, scale: u32, max: Decimal) -> Option<bool> {
    let b = u64::try_from(max.mantissa()).ok()?;
    let sb = max.scale();
    let p = u128::from(*POWERS_OF_TEN.get(scale.abs_diff(sb) as usize)?);
    let (a, b) = (u128::from(mantissa), u128::from(b));
    Some(if scale >= sb { a > b * p } else { a * p > b })
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

/// 10^0 … 10^19, every power of ten a `u64` holds.
const POWERS_OF_TEN: [u64; 20] = {
    let mut p = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// Whether `n` is more than `max`: on the two mantissas when they can be brought to one scale
/// (the usual case), else as decimals.
fn exceeds(n: Decimal, max: Decimal) -> bool {
    let (a, b) = (n.mantissa(), max.mantissa());
    let (sa, sb) = (n.scale(), max.scale());
    if let Some(beyond) = u64::try_from(a).ok().and_then(|a| exceeds_u64(a, sa, max)) {
        return beyond;
    }
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
pub(super) fn convert_input(
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

#[cfg(test)]
mod tests {
    use super::exceeds;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// Any decimal: small and large mantissas, any sign and scale.
    fn decimal() -> impl Strategy<Value = Decimal> {
        let mantissa = prop_oneof![
            4 => -1000i128..1000,
            1 => -(1i128 << 95)..(1i128 << 95),
            1 => (0..=u64::MAX).prop_map(i128::from),
        ];
        (mantissa, 0u32..=28).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s))
    }

    proptest! {
        /// On the mantissas or as decimals, the comparison is the decimals'.
        #[test]
        fn exceeds_is_greater_than(n in decimal(), max in decimal()) {
            prop_assert_eq!(exceeds(n, max), n > max);
        }
    }

    #[test]
    fn points_at_the_edges() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert!(!exceeds(d("10"), d("10")));
        assert!(!exceeds(d("10.000"), d("10")));
        assert!(exceeds(d("10.001"), d("10")));
        assert!(!exceeds(d("9.99"), d("10.0")));
        assert!(exceeds(
            d("18446744073709551615"),
            d("0.0000000000000000001")
        ));
    }
}
