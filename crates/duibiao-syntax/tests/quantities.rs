//! `parse_quantity`: a quantity as a facts file writes it — exactly one number with its unit,
//! a minus sign only directly before the digits, and nothing else.

#![allow(clippy::unwrap_used, clippy::panic)]

use duibiao_syntax::ast::UnitSuffix;
use duibiao_syntax::parse_quantity;
use rust_decimal::Decimal;
use std::str::FromStr;

/// The number and unit of `text`, if it is one quantity.
fn read(text: &str) -> Option<(Decimal, UnitSuffix)> {
    parse_quantity(text).map(|q| (q.number, q.unit))
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn quantities_read_with_their_units() {
    for (text, number, unit) in [
        ("350", "350", UnitSuffix::None),
        ("8.50", "8.50", UnitSuffix::None),
        ("30%", "30", UnitSuffix::Percent),
        ("30％", "30", UnitSuffix::Percent),
        ("350平方米", "350", UnitSuffix::SquareMetre),
        ("350㎡", "350", UnitSuffix::SquareMetre),
        ("15万元", "15", UnitSuffix::WanYuan),
        ("380元", "380", UnitSuffix::Yuan),
        ("12学时", "12", UnitSuffix::Hours),
        ("90分", "90", UnitSuffix::Points),
        ("30天", "30", UnitSuffix::Days),
        ("2年", "2", UnitSuffix::Years),
        ("6个月", "6", UnitSuffix::Months),
        ("6名", "6", UnitSuffix::Count),
        ("  7户 ", "7", UnitSuffix::Count),
    ] {
        assert_eq!(read(text), Some((d(number), unit)), "{text}");
    }
}

#[test]
fn a_minus_sign_directly_before_the_digits_negates() {
    assert_eq!(read("-1%"), Some((d("-1"), UnitSuffix::Percent)));
    assert_eq!(read("-2.5万元"), Some((d("-2.5"), UnitSuffix::WanYuan)));
    assert_eq!(read(" -3 "), Some((d("-3"), UnitSuffix::None)));
    for text in ["- 1%", "--1%", "-%", "-", "+1", "−1"] {
        assert_eq!(read(text), None, "{text}");
    }
}

#[test]
fn anything_but_exactly_one_quantity_is_none() {
    for text in [
        "",
        "  ",
        "%",
        "元",
        "1 2",
        "1%%",
        "1% 多",
        "30%以上",
        "abc",
        "1.2.3",
        "1e3",
        "0x10",
    ] {
        assert_eq!(read(text), None, "{text}");
    }
    // More digits than a decimal holds is no quantity either.
    assert_eq!(read(&"9".repeat(40)), None);
}
