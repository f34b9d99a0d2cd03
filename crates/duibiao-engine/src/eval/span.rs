//! Ranges of numbers: the least and greatest value an unknown number can still take, and the
//! operators on them. Each operator gives a range that holds every value the operator gives for
//! values within its operands' ranges, computed exactly by the operators on known values (at the
//! ends of the ranges); `None` when it cannot say (a quotient by a range holding zero, an end
//! that overflows), as the operators give unknown then.

use super::ops::{arith, call};
use duibiao_compiler::graph::{Arith, Func};
use duibiao_compiler::Value;
use rust_decimal::Decimal;

/// The numbers from `lo` to `hi`, both included (`lo <= hi`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The least value.
    pub lo: Decimal,
    /// The greatest value.
    pub hi: Decimal,
}

impl std::ops::Neg for Span {
    type Output = Span;

    /// `-x` for `x` in the range.
    fn neg(self) -> Span {
        Span {
            lo: -self.hi,
            hi: -self.lo,
        }
    }
}

impl Span {
    /// One value.
    pub fn point(v: Decimal) -> Span {
        Span { lo: v, hi: v }
    }

    /// The value of a known number; `None` for anything else.
    pub fn of(v: Value) -> Option<Span> {
        v.as_num().map(Span::point)
    }

    /// The range of both: the least of their least values to the greatest of their greatest.
    pub fn hull(self, other: Span) -> Span {
        Span {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }

    /// `a op b` for `a` in `self` and `b` in `other`: sums and differences from the matching
    /// ends, products and quotients from the four pairs of ends (a quotient only by a range
    /// without zero).
    pub fn arith(self, op: Arith, other: Span) -> Option<Span> {
        let at = |x: Decimal, y: Decimal| arith(op, Value::Num(x), Value::Num(y)).as_num();
        match op {
            Arith::Add => Some(Span {
                lo: at(self.lo, other.lo)?,
                hi: at(self.hi, other.hi)?,
            }),
            Arith::Sub => Some(Span {
                lo: at(self.lo, other.hi)?,
                hi: at(self.hi, other.lo)?,
            }),
            // A date moved by months is a date, not a number in a range.
            Arith::AddMonths | Arith::SubMonths => None,
            Arith::Div if other.lo <= Decimal::ZERO && Decimal::ZERO <= other.hi => None,
            Arith::Mul | Arith::Div => {
                let corners = [
                    at(self.lo, other.lo)?,
                    at(self.lo, other.hi)?,
                    at(self.hi, other.lo)?,
                    at(self.hi, other.hi)?,
                ];
                let lo = corners.iter().copied().min()?;
                let hi = corners.iter().copied().max()?;
                Some(Span { lo, hi })
            }
        }
    }

    /// A function of numbers in these ranges: `min` and `max` of the least values and of the
    /// greatest, `ceil`, `floor` and `round` (to a known number of places) of both ends (they
    /// never decrease), `abs` by the ends' signs.
    pub fn call(f: Func, args: &[Span]) -> Option<Span> {
        let end =
            |pick: fn(&Span) -> Decimal| call(f, args.iter().map(|s| Value::Num(pick(s)))).as_num();
        match f {
            Func::Abs => {
                let x = *args.first()?;
                Some(if x.lo >= Decimal::ZERO {
                    x
                } else if x.hi <= Decimal::ZERO {
                    -x
                } else {
                    Span {
                        lo: Decimal::ZERO,
                        hi: x.hi.max(-x.lo),
                    }
                })
            }
            // The number of places must be known: rounding to places in a range is not
            // monotone in them.
            Func::Round if args.get(1).is_none_or(|d| d.lo != d.hi) => None,
            Func::Min | Func::Max | Func::Ceil | Func::Floor | Func::Round => Some(Span {
                lo: end(|s| s.lo)?,
                hi: end(|s| s.hi)?,
            }),
        }
    }

    /// The sum of numbers in these ranges, added in order as [`super::ops::sum`] adds them:
    /// every partial sum within the partial sums of the ends, so that none overflows when those
    /// do not.
    pub fn sum(spans: impl Iterator<Item = Option<Span>>) -> Option<Span> {
        // Ranges of points (non-negative, in tenths) are added as whole tenths for as long as
        // they come, which gives the same partial sum, exactly and without trailing zeros, as
        // adding them as decimals; from the first other range on, as decimals.
        let mut tenths = Some((0u64, 0u64));
        let mut total = Span::point(Decimal::ZERO);
        for s in spans {
            let s = s?;
            if let Some((lo, hi)) = tenths {
                let added = super::ops::tenths(s.lo)
                    .zip(super::ops::tenths(s.hi))
                    .and_then(|(a, b)| Some((lo.checked_add(a)?, hi.checked_add(b)?)));
                let exact =
                    added.filter(|&(a, b)| a <= u64::from(u32::MAX) && b <= u64::from(u32::MAX));
                if exact.is_some() {
                    tenths = exact;
                    continue;
                }
                total = Span {
                    lo: super::ops::from_tenths(lo)?,
                    hi: super::ops::from_tenths(hi)?,
                };
                tenths = None;
            }
            total = total.arith(Arith::Add, s)?;
        }
        match tenths {
            Some((lo, hi)) => Some(Span {
                lo: super::ops::from_tenths(lo)?,
                hi: super::ops::from_tenths(hi)?,
            }),
            None => Some(total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(x: i64) -> Decimal {
        Decimal::new(x, 1)
    }

    /// A range and the values in it that the tests try: its ends, and a few steps between.
    fn span() -> impl Strategy<Value = (Span, Vec<Decimal>)> {
        (-60i64..60, 0i64..40).prop_map(|(lo, w)| {
            let s = Span {
                lo: d(lo),
                hi: d(lo + w),
            };
            let inside = (0..=4).map(|k| d(lo + w * k / 4)).collect();
            (s, inside)
        })
    }

    fn within(s: Span, v: Value) -> bool {
        matches!(v, Value::Num(x) if s.lo <= x && x <= s.hi)
    }

    proptest! {
        /// Every operator on values in ranges gives a value in the range the ranges give (and
        /// the range gives nothing when some value gives unknown: a quotient by zero).
        #[test]
        fn operators_on_values_in_ranges_stay_in_their_range(
            (a, xs) in span(),
            (b, ys) in span(),
        ) {
            for op in [Arith::Add, Arith::Sub, Arith::Mul, Arith::Div] {
                let r = a.arith(op, b);
                for &x in &xs {
                    for &y in &ys {
                        let v = arith(op, Value::Num(x), Value::Num(y));
                        match r {
                            Some(r) => prop_assert!(within(r, v), "{op:?} {x} {y} {v:?} {r:?}"),
                            None => prop_assert!(op == Arith::Div && b.lo <= Decimal::ZERO
                                && b.hi >= Decimal::ZERO),
                        }
                    }
                }
            }
            for f in [Func::Min, Func::Max] {
                let r = Span::call(f, &[a, b]);
                for &x in &xs {
                    for &y in &ys {
                        let v = call(f, [Value::Num(x), Value::Num(y)].into_iter());
                        prop_assert!(r.is_some_and(|r| within(r, v)), "{f:?} {x} {y}");
                    }
                }
            }
            let two = Span::point(Decimal::ONE);
            for (f, args) in [
                (Func::Abs, vec![a]),
                (Func::Ceil, vec![a]),
                (Func::Floor, vec![a]),
                (Func::Round, vec![a, two]),
            ] {
                let r = Span::call(f, &args);
                for &x in &xs {
                    let mut vals = vec![Value::Num(x)];
                    vals.extend(args.get(1).map(|s| Value::Num(s.lo)));
                    let v = call(f, vals.into_iter());
                    prop_assert!(r.is_some_and(|r| within(r, v)), "{f:?} {x}");
                }
            }
            for &x in &xs {
                prop_assert!(within(-a, Value::Num(-x)));
                prop_assert!(within(a.hull(b), Value::Num(x)));
            }
        }
    }

    proptest! {
        /// A sum of ranges is what adding them one by one as decimals gives, scale included,
        /// whether they are points in tenths (added as whole tenths), other decimals, or both.
        #[test]
        fn sums_of_ranges_are_decimal_sums(
            ends in proptest::collection::vec(
                prop_oneof![
                    (0u32..2_000, 0u32..2_000, 0u32..2).prop_map(|(a, w, s)| (
                        Decimal::new(a.into(), s),
                        Decimal::new(i64::from(a) + i64::from(w), s),
                    )),
                    (-5_000i64..5_000, 0i64..5_000, 0u32..4)
                        .prop_map(|(a, w, s)| (Decimal::new(a, s), Decimal::new(a + w, s))),
                    Just((Decimal::new(u32::MAX.into(), 1), Decimal::new(u32::MAX.into(), 0))),
                ],
                0..8,
            ),
        ) {
            let spans: Vec<Span> = ends.iter().map(|&(lo, hi)| Span { lo, hi }).collect();
            let mut slow = Some(Span::point(Decimal::ZERO));
            for s in &spans {
                slow = slow.and_then(|t| t.arith(Arith::Add, *s));
            }
            let fast = Span::sum(spans.iter().map(|s| Some(*s)));
            prop_assert_eq!(fast, slow);
            if let (Some(f), Some(s)) = (fast, slow) {
                prop_assert_eq!((f.lo.to_string(), f.hi.to_string()), (s.lo.to_string(), s.hi.to_string()));
            }
        }
    }

    /// Ranges are added as whole tenths only while both ends' sums fit 32 bits: once the upper
    /// ends pass them (here before the lower ends do), the sum goes on as decimals, and a sum
    /// between whole numbers beyond 32 bits of tenths is still known.
    #[test]
    fn a_sum_beyond_32_bits_of_tenths_goes_on_as_decimals() {
        let span = |lo, hi| Span { lo, hi };
        let (zero, half) = (Decimal::ZERO, Decimal::new(5, 1));
        let big = Decimal::from(429_496_730);
        assert_eq!(
            Span::sum([Some(span(zero, big)), Some(span(zero, half))].into_iter()),
            Some(span(zero, big + half))
        );
    }

    /// The ends of a range are values it takes: a product's range is exactly its corners'.
    #[test]
    fn ranges_are_tight_at_their_ends() {
        let a = Span {
            lo: d(-20),
            hi: d(30),
        };
        let b = Span {
            lo: d(10),
            hi: d(20),
        };
        assert_eq!(
            a.arith(Arith::Mul, b),
            Some(Span {
                lo: Decimal::new(-4, 0),
                hi: Decimal::new(6, 0)
            })
        );
        assert_eq!(a.arith(Arith::Div, a), None);
        assert_eq!(
            Span::call(Func::Abs, &[a]),
            Some(Span {
                lo: Decimal::ZERO,
                hi: d(30)
            })
        );
        let many = Span::point(Decimal::MAX);
        assert_eq!(Span::sum([Some(many), Some(many)].into_iter()), None);
        assert_eq!(Span::call(Func::Round, &[a, b]), None);
    }
}
