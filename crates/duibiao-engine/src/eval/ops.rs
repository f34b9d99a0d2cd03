//! The operators on values, in exact decimal arithmetic with three-valued logic: sums,
//! arithmetic, comparisons (also of values known only to lie in ranges), conditions and functions.

use duibiao_compiler::graph::{Arith, Func, NodeId};
use duibiao_compiler::Value;
use duibiao_syntax::ast::CmpOp;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;

/// `d` without trailing zeros, as `Decimal::normalize` gives it. A whole number and a small
/// fraction not ending in 0, the common cases, already are; a small one ending in 0 (a sum of
/// points such as `4.5 + 5.5`) is stripped on its 32-bit mantissa.
fn normal(d: Decimal) -> Decimal {
    let u = d.unpack();
    if u.scale == 0 || (u.hi | u.mid == 0 && !u.lo.is_multiple_of(10)) {
        d
    } else if u.hi | u.mid == 0 {
        let (mut lo, mut scale) = (u.lo, u.scale);
        while scale > 0 && lo.is_multiple_of(10) {
            lo /= 10;
            scale -= 1;
        }
        Decimal::from_parts(lo, 0, 0, u.negative, scale)
    } else {
        d.normalize()
    }
}

/// Powers of ten whose product with a 32-bit mantissa fits in 64 bits.
const POW10: [u64; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// How two decimals compare: as integers at the larger scale when both mantissas fit in 32 bits,
/// have the same sign and scales at most 9 apart (the common case: points against a threshold),
/// else by rust_decimal.
fn cmp_num(x: Decimal, y: Decimal) -> Ordering {
    let (a, b) = (x.unpack(), y.unpack());
    if a.hi | a.mid | b.hi | b.mid == 0 && a.negative == b.negative {
        let up = |m: u32, by: u32| POW10.get(by as usize).map(|p| u64::from(m) * p);
        let (am, bm) = if a.scale >= b.scale {
            (Some(u64::from(a.lo)), up(b.lo, a.scale - b.scale))
        } else {
            (up(a.lo, b.scale - a.scale), Some(u64::from(b.lo)))
        };
        if let (Some(am), Some(bm)) = (am, bm) {
            return if a.negative { bm.cmp(&am) } else { am.cmp(&bm) };
        }
    }
    x.cmp(&y)
}

pub(super) fn get(vals: &[Value], id: u32) -> Value {
    vals.get(id as usize).copied().unwrap_or(Value::Unknown)
}

/// A comparison of two values known only to lie in ranges: decided when every pair of values
/// from the ranges gives the same answer.
pub(crate) fn bounded(
    op: CmpOp,
    (alo, ahi): (Decimal, Decimal),
    (blo, bhi): (Decimal, Decimal),
) -> Value {
    let decided = match op {
        CmpOp::Ge => (alo >= bhi)
            .then_some(true)
            .or((ahi < blo).then_some(false)),
        CmpOp::Gt => (alo > bhi)
            .then_some(true)
            .or((ahi <= blo).then_some(false)),
        CmpOp::Le => (ahi <= blo)
            .then_some(true)
            .or((alo > bhi).then_some(false)),
        CmpOp::Lt => (ahi < blo)
            .then_some(true)
            .or((alo >= bhi).then_some(false)),
        CmpOp::Eq | CmpOp::Ne => {
            let equal = if alo == ahi && blo == bhi && alo == blo {
                Some(true)
            } else if ahi < blo || bhi < alo {
                Some(false)
            } else {
                None
            };
            equal.map(|e| e == (op == CmpOp::Eq))
        }
    };
    decided.map_or(Value::Unknown, Value::Bool)
}

/// The sum of nodes `xs` of `row` when every one is a known, non-negative number of at most one
/// decimal place below a few billion (points, in halves or tenths: the common case), added as
/// whole tenths; `None` otherwise. The same value as [`sum`] gives, already without trailing
/// zeros, for a fraction of rust_decimal's cost.
pub(super) fn in_tenths(row: &[Value], xs: &[NodeId]) -> Option<Value> {
    let mut total = 0u64;
    for &x in xs {
        let Value::Num(d) = get(row, x) else {
            return None;
        };
        total = total.checked_add(tenths(d)?)?;
    }
    from_tenths(total).map(Value::Num)
}

/// `d` as a whole number of tenths, when it is non-negative with at most one decimal place and a
/// 32-bit mantissa (points, in halves or tenths).
pub(super) fn tenths(d: Decimal) -> Option<u64> {
    let u = d.unpack();
    if u.negative || u.hi | u.mid != 0 || u.scale > 1 {
        return None;
    }
    Some(u64::from(u.lo) * if u.scale == 0 { 10 } else { 1 })
}

/// A number of tenths as a decimal without trailing zeros (`None` beyond a 32-bit mantissa).
pub(super) fn from_tenths(tenths: u64) -> Option<Decimal> {
    let (m, scale) = if tenths.is_multiple_of(10) {
        (tenths / 10, 0)
    } else {
        (tenths, 1)
    };
    let m = u32::try_from(m).ok()?;
    Some(Decimal::from_parts(m, 0, 0, false, scale))
}

/// The sum of numbers: unknown if any is unknown (or not a number), or if it overflows.
pub(super) fn sum(mut xs: impl Iterator<Item = Value>) -> Value {
    let mut total = match xs.next() {
        Some(Value::Num(x)) => x,
        Some(_) => return Value::Unknown,
        None => Decimal::ZERO,
    };
    for x in xs {
        let Value::Num(x) = x else {
            return Value::Unknown;
        };
        match total.checked_add(x) {
            Some(t) => total = t,
            None => return Value::Unknown,
        }
    }
    Value::Num(normal(total))
}

/// `a` if `c` holds, `b` if not; when `c` is unknown, their common value if they have one.
pub(super) fn choose(c: Value, a: Value, b: Value) -> Value {
    match c {
        Value::Bool(true) => a,
        Value::Bool(false) => b,
        _ if a == b => a,
        _ => Value::Unknown,
    }
}

/// Kleene conjunction: false if any is false, else unknown if any is unknown, else true.
pub fn and(xs: impl Iterator<Item = Value>) -> Value {
    let mut unknown = false;
    for x in xs {
        match x {
            Value::Bool(false) => return Value::Bool(false),
            Value::Bool(true) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(true)
    }
}

/// Kleene disjunction: true if any is true, else unknown if any is unknown, else false.
pub fn or(xs: impl Iterator<Item = Value>) -> Value {
    let mut unknown = false;
    for x in xs {
        match x {
            Value::Bool(true) => return Value::Bool(true),
            Value::Bool(false) => {}
            _ => unknown = true,
        }
    }
    if unknown {
        Value::Unknown
    } else {
        Value::Bool(false)
    }
}

pub(super) fn arith(op: Arith, a: Value, b: Value) -> Value {
    let r = match (a, b) {
        (Value::Num(x), Value::Num(y)) => match op {
            Arith::Add => x.checked_add(y),
            Arith::Sub => x.checked_sub(y),
            Arith::Mul => x.checked_mul(y),
            Arith::Div => x.checked_div(y),
            Arith::AddMonths | Arith::SubMonths => None,
        }
        .map(|n| Value::Num(normal(n))),
        (Value::Date(d), Value::Num(n)) | (Value::Num(n), Value::Date(d))
            if op == Arith::AddMonths
                || (op == Arith::SubMonths && matches!(a, Value::Date(_))) =>
        {
            super::calendar::step(d, n, op == Arith::SubMonths).map(Value::Date)
        }
        (Value::Date(d), Value::Num(n)) | (Value::Num(n), Value::Date(d))
            if matches!(op, Arith::Add) || (op == Arith::Sub && matches!(a, Value::Date(_))) =>
        {
            let k = n.fract().is_zero().then(|| n.to_i64()).flatten();
            k.and_then(|k| chrono::Duration::try_days(if op == Arith::Sub { -k } else { k }))
                .and_then(|delta| d.checked_add_signed(delta))
                .map(Value::Date)
        }
        (Value::Date(x), Value::Date(y)) if op == Arith::Sub => {
            Some(Value::Num(Decimal::from((x - y).num_days())))
        }
        _ => None,
    };
    r.unwrap_or(Value::Unknown)
}

/// Level `a` moved by `by` levels (a whole number, up when positive), kept between the lowest
/// level (0) and `top`.
pub(super) fn shift(a: Value, by: Value, top: u32) -> Value {
    let (Value::Enum(l), Value::Num(d)) = (a, by) else {
        return Value::Unknown;
    };
    if !d.fract().is_zero() {
        return Value::Unknown;
    }
    let moved = Decimal::from(l)
        .checked_add(d)
        .unwrap_or(Decimal::ZERO)
        .clamp(Decimal::ZERO, Decimal::from(top));
    moved.to_u32().map_or(Value::Unknown, Value::Enum)
}

/// `a op b`: a boolean when both are known values of the same type, unknown otherwise.
pub(crate) fn compare(op: CmpOp, a: Value, b: Value) -> Value {
    let ord = match (a, b) {
        (Value::Num(x), Value::Num(y)) => cmp_num(x, y),
        (Value::Date(x), Value::Date(y)) => x.cmp(&y),
        (Value::Enum(x), Value::Enum(y)) => x.cmp(&y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(&y),
        _ => return Value::Unknown,
    };
    Value::Bool(match op {
        CmpOp::Ge => ord != Ordering::Less,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
    })
}

pub(super) fn call(f: Func, xs: impl Iterator<Item = Value>) -> Value {
    let mut nums = Vec::new();
    let mut levels = Vec::new();
    for x in xs {
        match x {
            Value::Num(n) => nums.push(n),
            Value::Enum(l) => levels.push(l),
            _ => return Value::Unknown,
        }
    }
    // The lowest or highest of levels (`max(上年星级 - 1, 一星)`).
    if !levels.is_empty() {
        let level = match f {
            _ if !nums.is_empty() => None,
            Func::Min => levels.iter().copied().min(),
            Func::Max => levels.iter().copied().max(),
            _ => None,
        };
        return level.map_or(Value::Unknown, Value::Enum);
    }
    let first = nums.first().copied();
    let r = match f {
        Func::Min => nums.iter().copied().min(),
        Func::Max => nums.iter().copied().max(),
        Func::Ceil => first.map(|n| n.ceil()),
        Func::Floor => first.map(|n| n.floor()),
        Func::Abs => first.map(|n| n.abs()),
        Func::Round => match (first, nums.get(1).and_then(|d| d.to_u32())) {
            (Some(n), Some(dp)) if dp <= 28 => {
                Some(n.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero))
            }
            _ => None,
        },
    };
    r.map(|n| Value::Num(normal(n))).unwrap_or(Value::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decimal() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            // Points, thresholds and their sums: a few digits, a few decimal places.
            (-100_000i64..100_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
            (0u64..1 << 32, 0u32..12).prop_map(|(m, s)| Decimal::new(m as i64, s)),
            // Anything rust_decimal holds, large ones and long fractions included.
            (any::<u64>(), any::<u32>(), 0u32..29, any::<bool>()).prop_map(|(lo, hi, s, neg)| {
                Decimal::from_parts(lo as u32, (lo >> 32) as u32, hi, neg, s)
            }),
        ]
    }

    /// `normal` gives what `Decimal::normalize` gives, mantissa and scale alike (outcomes show a
    /// number as it is), on the cases of each of its paths: a 32-bit mantissa with or without
    /// trailing zeros, and wider ones whose low 32 bits end in a zero or not — cases the
    /// random decimals of `normal_is_normalize` below rarely draw.
    #[test]
    fn normal_is_normalize_on_each_path() {
        for (lo, mid, hi, scale) in [
            (45, 0, 0, 1),
            (100, 0, 0, 2),
            (0, 0, 0, 3),
            (1_410_065_408, 2, 0, 10), // 10^10: its low 32 bits do not end in 0
            (8, 1, 1, 1),              // 2^64 + 2^32 + 8, a multiple of 10, hi = mid
            (0, 1, 0, 1),              // 2^32: low 32 bits 0, not a multiple of 10
            (0, 1, 1, 1),
            (0, 0, 1, 5),
        ] {
            for negative in [false, true] {
                let d = Decimal::from_parts(lo, mid, hi, negative, scale);
                let (n, m) = (normal(d), d.normalize());
                assert_eq!((n.mantissa(), n.scale()), (m.mantissa(), m.scale()), "{d}");
            }
        }
    }

    /// A narrow decimal against wide ones (a mantissa beyond 32 bits in its middle part only, in
    /// its high part only, or in both alike), either way round: compared as rust_decimal
    /// compares them, never by their low 32 bits alone.
    #[test]
    fn narrow_and_wide_decimals_compare_as_rust_decimals() {
        let narrow = Decimal::new(5, 0);
        for (lo, mid, hi) in [(1, 1, 0), (1, 0, 1), (1, 1, 1), (7, 3, 3)] {
            for negative in [false, true] {
                let wide = Decimal::from_parts(lo, mid, hi, negative, 0);
                let narrow = if negative { -narrow } else { narrow };
                assert_eq!(cmp_num(narrow, wide), narrow.cmp(&wide), "{narrow} {wide}");
                assert_eq!(cmp_num(wide, narrow), wide.cmp(&narrow), "{wide} {narrow}");
            }
        }
        // Two wide ones whose 32-bit parts would cancel if mixed up: 3·2^32 against 3·2^64.
        let (mid, hi) = (
            Decimal::from_parts(0, 3, 0, false, 0),
            Decimal::from_parts(0, 0, 3, false, 0),
        );
        assert_eq!(cmp_num(mid, hi), Ordering::Less);
        assert_eq!(cmp_num(hi, mid), Ordering::Greater);
    }

    /// Numbers wider than 32 bits (in the middle part, the high part, or both alike) are left to
    /// the full sum, never summed by their low 32 bits.
    #[test]
    fn wide_numbers_are_not_summed_in_tenths() {
        for (mid, hi) in [(1, 0), (0, 1), (1, 1), (7, 7)] {
            let wide = Value::Num(Decimal::from_parts(0, mid, hi, false, 0));
            let row = [wide, Value::Num(Decimal::new(5, 1))];
            assert_eq!(in_tenths(&row, &[0, 1]), None, "{wide:?}");
        }
    }

    fn day(s: &str) -> Value {
        Value::Date(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    fn num(k: i64) -> Value {
        Value::Num(Decimal::from(k))
    }

    /// A date moves by whole days either way (`截止日期 + 30`, `30 + 截止日期`, `日期 - 7`), two
    /// dates subtract to the days between them; nothing else of dates has a value (a number less
    /// a date, a product or quotient with a date, two dates added, a fraction of a day).
    #[test]
    fn dates_move_by_whole_days_and_subtract_to_days() {
        assert_eq!(
            arith(Arith::Add, day("2021-12-31"), num(1)),
            day("2022-01-01")
        );
        assert_eq!(
            arith(Arith::Add, num(1), day("2021-12-31")),
            day("2022-01-01")
        );
        assert_eq!(
            arith(Arith::Sub, day("2022-01-01"), num(1)),
            day("2021-12-31")
        );
        assert_eq!(
            arith(Arith::Sub, day("2022-03-01"), day("2022-02-01")),
            num(28)
        );
        for (op, a, b) in [
            (Arith::Sub, num(1), day("2022-01-01")),
            (Arith::Mul, day("2022-01-01"), num(2)),
            (Arith::Div, day("2022-01-01"), num(2)),
            (Arith::Add, day("2022-01-01"), day("2022-01-02")),
            (
                Arith::Add,
                day("2022-01-01"),
                Value::Num(Decimal::new(15, 1)),
            ),
        ] {
            assert_eq!(arith(op, a, b), Value::Unknown, "{op:?} {a:?} {b:?}");
        }
    }

    /// A date moves by calendar months either way (`成立日期 + 1年`, `1年 + 成立日期`,
    /// `截止日期 - 6个月`); months do not move a date as days do, nor days as months, and months
    /// less a date have no value.
    #[test]
    fn dates_move_by_calendar_months_with_the_month_operators_only() {
        assert_eq!(
            arith(Arith::AddMonths, day("2024-02-29"), num(12)),
            day("2025-02-28")
        );
        assert_eq!(
            arith(Arith::AddMonths, num(1), day("2024-01-31")),
            day("2024-02-29")
        );
        assert_eq!(
            arith(Arith::SubMonths, day("2024-08-31"), num(6)),
            day("2024-02-29")
        );
        assert_eq!(
            arith(Arith::Add, day("2024-01-31"), num(1)),
            day("2024-02-01")
        );
        for (op, a, b) in [
            (Arith::SubMonths, num(1), day("2022-01-01")),
            (Arith::AddMonths, num(1), num(2)),
            (Arith::SubMonths, num(1), num(2)),
            (Arith::AddMonths, day("2022-01-01"), day("2022-01-02")),
        ] {
            assert_eq!(arith(op, a, b), Value::Unknown, "{op:?} {a:?} {b:?}");
        }
    }

    /// `if` on an unknown condition is known when both branches are the same value.
    #[test]
    fn a_choice_on_an_unknown_condition_is_known_when_both_branches_agree() {
        assert_eq!(choose(Value::Bool(true), num(3), num(4)), num(3));
        assert_eq!(choose(Value::Bool(false), num(3), num(4)), num(4));
        assert_eq!(choose(Value::Unknown, num(3), num(3)), num(3));
        assert_eq!(choose(Value::Unknown, num(3), num(4)), Value::Unknown);
    }

    /// A value anywhere in `lo..=hi`: the ends and every half step between.
    fn points(lo: i64, hi: i64) -> Vec<Decimal> {
        (2 * lo..=2 * hi).map(|h| Decimal::new(h * 5, 1)).collect()
    }

    proptest! {
        /// A comparison of ranges is decided exactly when every pair of values from them gives
        /// the same answer, and then it is that answer (checked on every half step between the
        /// ends), for each operator.
        #[test]
        fn comparisons_of_ranges_decide_when_every_pair_agrees(
            (alo, ahi) in (0i64..6, 0i64..4).prop_map(|(lo, w)| (lo, lo + w)),
            (blo, bhi) in (0i64..6, 0i64..4).prop_map(|(lo, w)| (lo, lo + w)),
        ) {
            for op in [CmpOp::Ge, CmpOp::Gt, CmpOp::Le, CmpOp::Lt, CmpOp::Eq, CmpOp::Ne] {
                let mut answers = Vec::new();
                for a in points(alo, ahi) {
                    for b in points(blo, bhi) {
                        let v = compare(op, Value::Num(a), Value::Num(b));
                        if !answers.contains(&v) {
                            answers.push(v);
                        }
                    }
                }
                let want = match answers[..] {
                    [one] => one,
                    _ => Value::Unknown,
                };
                let got = bounded(
                    op,
                    (Decimal::from(alo), Decimal::from(ahi)),
                    (Decimal::from(blo), Decimal::from(bhi)),
                );
                prop_assert_eq!(got, want, "{:?} {}..={} against {}..={}", op, alo, ahi, blo, bhi);
            }
        }

        #[test]
        fn comparisons_are_rust_decimals(x in decimal(), y in decimal()) {
            prop_assert_eq!(cmp_num(x, y), x.cmp(&y));
        }

        #[test]
        fn sums_in_tenths_are_rust_decimals(
            terms in proptest::collection::vec(
                prop_oneof![
                    // Points in halves and tenths, the fast path's case.
                    (0u32..2_000, 0u32..2).prop_map(|(m, s)| Value::Num(Decimal::new(m.into(), s))),
                    decimal().prop_map(Value::Num),
                    Just(Value::Unknown),
                    Just(Value::Bool(true)),
                ],
                0..6,
            ),
        ) {
            let xs: Vec<NodeId> = (0..terms.len() as NodeId).collect();
            let slow = sum(terms.iter().copied());
            if let Some(fast) = in_tenths(&terms, &xs) {
                prop_assert_eq!(fast, slow);
                // The same decimal, scale included: outcomes show it as it is.
                let (Value::Num(f), Value::Num(s)) = (fast, slow) else {
                    return Err(TestCaseError::fail("a sum in tenths is a number"));
                };
                prop_assert_eq!(f.to_string(), s.to_string());
            } else {
                // Left to rust_decimal only when some term is not points in tenths, or the sum
                // has a mantissa of more than 32 bits.
                let points = terms.iter().all(|t| matches!(t, Value::Num(d)
                    if d.is_sign_positive() && d.scale() <= 1 && d.mantissa() < 1 << 32));
                let small = matches!(slow, Value::Num(d) if d.mantissa() < 1 << 32);
                prop_assert!(!(points && small));
            }
        }

        #[test]
        fn normal_is_normalize(x in decimal()) {
            let (fast, slow) = (normal(x), x.normalize());
            prop_assert_eq!(fast, slow);
            prop_assert_eq!(fast.to_string(), slow.to_string());
        }
    }
}
