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

/// `n × 10^by`, exactly, or `None` when the result cannot be held exactly (it is beyond about
/// 7.9×10^28, or has more than 28 decimal places). Used where a value is scaled as written
/// (`15万元` is 150000 元, `30%` is 0.3), never rounding and never overflowing.
pub fn scaled(n: Decimal, by: i32) -> Option<Decimal> {
    let n = n.normalize();
    let (m, scale) = (n.mantissa(), i64::from(n.scale()));
    let new_scale = scale - i64::from(by);
    if new_scale >= 0 {
        Decimal::try_from_i128_with_scale(m, u32::try_from(new_scale).ok()?).ok()
    } else {
        let up = 10i128.checked_pow(u32::try_from(-new_scale).ok()?)?;
        Decimal::try_from_i128_with_scale(m.checked_mul(up)?, 0).ok()
    }
}

/// A fraction written as a percentage, exactly (`0.305` is `30.5`): the decimal point moved two
/// places, as text, so that no value is too large to be shown. `places` rounds the fraction to
/// that many places of the percentage first (half to even), as explanations show percentages.
pub fn percent_text(n: Decimal, places: Option<u32>) -> String {
    let n = match places {
        Some(p) => n.round_dp(p.saturating_add(2)),
        None => n,
    };
    if let Some(p) = scaled(n, 2) {
        return p.normalize().to_string();
    }
    // Too large to be held once scaled: the digits of `n` with the point moved by hand.
    let n = n.normalize();
    let digits = n.mantissa().unsigned_abs().to_string();
    point_moved(n.is_sign_negative(), &digits, n.scale(), 2)
}

/// The number whose digits are `digits` and scale `scale`, times 10^`by`, as text (`-` first when
/// `negative`): the decimal point moved by hand, for a number too large to be scaled.
fn point_moved(negative: bool, digits: &str, scale: u32, by: u32) -> String {
    let sign = if negative { "-" } else { "" };
    let (scale, by) = (scale as usize, by as usize);
    match scale.checked_sub(by) {
        Some(places) if places > 0 => {
            // At least one digit before the point.
            let digits = format!("{digits:0>width$}", width = places + 1);
            let (whole, frac) = digits.split_at(digits.len() - places);
            format!("{sign}{whole}.{frac}")
        }
        _ => format!("{sign}{digits}{}", "0".repeat(by.saturating_sub(scale))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn scaling_is_exact_or_nothing() {
        assert_eq!(scaled(d("15"), 4), Some(d("150000")));
        assert_eq!(scaled(d("30"), -2), Some(d("0.3")));
        assert_eq!(scaled(d("1.25"), 4), Some(d("12500")));
        assert_eq!(scaled(d("8000000000000000000000000"), 4), None);
        assert_eq!(scaled(d("0.0000000000000000000000000001"), -2), None);
        assert_eq!(
            scaled(d("0.0000000000000000000000000100"), -2),
            Some(d("1e-28"))
        );
        assert_eq!(scaled(Decimal::MAX, 0), Some(Decimal::MAX));
        assert_eq!(scaled(Decimal::MIN, 1), None);
    }

    #[test]
    fn the_point_is_moved_by_hand_in_any_number() {
        assert_eq!(point_moved(false, "12345", 4, 2), "123.45");
        assert_eq!(point_moved(true, "12345", 3, 2), "-1234.5");
        assert_eq!(point_moved(false, "5", 3, 2), "0.5");
        assert_eq!(point_moved(false, "5", 5, 2), "0.005");
        assert_eq!(point_moved(false, "12345", 2, 2), "12345");
        assert_eq!(point_moved(true, "12345", 1, 2), "-123450");
        assert_eq!(point_moved(false, "7", 0, 2), "700");
        assert_eq!(point_moved(false, "7", 0, 0), "7");
    }

    #[test]
    fn percentages_of_any_size_are_shown() {
        assert_eq!(percent_text(d("0.305"), None), "30.5");
        assert_eq!(percent_text(d("0.123456"), Some(2)), "12.35");
        assert_eq!(percent_text(d("-0.5"), None), "-50");
        assert_eq!(percent_text(Decimal::ZERO, Some(2)), "0");
        assert_eq!(
            percent_text(Decimal::MAX, Some(2)),
            "7922816251426433759354395033500"
        );
        assert_eq!(
            percent_text(d("-7922816251426433759354395033.5"), None),
            "-792281625142643375935439503350"
        );
    }
}
