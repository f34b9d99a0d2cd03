//! Calendar steps: a date moved by whole calendar months (`成立日期 + 1年`, `截止日期 - 6个月`).

use chrono::{Months, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// `date` moved by `months` calendar months, forward or (`back`) backward: the same day of the
/// month so many months on, or that month's last day when it is shorter (2024-01-31 + 1个月 is
/// 2024-02-29, 2024-02-29 + 1年 is 2025-02-28). `None` for a fraction of a month or a date
/// beyond the calendar, as a date moved by days.
pub(super) fn step(date: NaiveDate, months: Decimal, back: bool) -> Option<NaiveDate> {
    if !months.fract().is_zero() {
        return None;
    }
    let forward = (months >= Decimal::ZERO) != back;
    let count = Months::new(months.abs().to_u32()?);
    if forward {
        date.checked_add_months(count)
    } else {
        date.checked_sub_months(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn moved(from: &str, months: i64, back: bool) -> Option<String> {
        step(day(from), Decimal::from(months), back).map(|d| d.format("%Y-%m-%d").to_string())
    }

    /// A year from 29 February ends on 28 February; a year from a day in a leap year that
    /// crosses 29 February is still the same day a year on.
    #[test]
    fn a_year_from_a_leap_day_ends_on_the_last_of_february() {
        assert_eq!(
            moved("2024-02-29", 12, false).as_deref(),
            Some("2025-02-28")
        );
        assert_eq!(
            moved("2024-02-29", 48, false).as_deref(),
            Some("2028-02-29")
        );
        assert_eq!(moved("2025-02-28", 12, true).as_deref(), Some("2024-02-28"));
        assert_eq!(
            moved("2024-01-01", 12, false).as_deref(),
            Some("2025-01-01")
        );
        assert_eq!(
            moved("2023-03-01", 12, false).as_deref(),
            Some("2024-03-01")
        );
    }

    /// A month from the 31st ends on the last day of a shorter month, either way.
    #[test]
    fn a_month_from_a_long_month_end_ends_on_the_shorter_month_end() {
        assert_eq!(moved("2024-01-31", 1, false).as_deref(), Some("2024-02-29"));
        assert_eq!(moved("2023-01-31", 1, false).as_deref(), Some("2023-02-28"));
        assert_eq!(moved("2024-08-31", 6, true).as_deref(), Some("2024-02-29"));
        assert_eq!(moved("2024-05-31", 1, false).as_deref(), Some("2024-06-30"));
        assert_eq!(moved("2024-12-15", 1, false).as_deref(), Some("2025-01-15"));
    }

    /// A negative step goes the other way; no step stays.
    #[test]
    fn a_negative_step_goes_the_other_way() {
        assert_eq!(
            moved("2024-03-31", -1, false).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(moved("2024-03-31", -1, true).as_deref(), Some("2024-04-30"));
        assert_eq!(moved("2024-03-31", 0, true).as_deref(), Some("2024-03-31"));
    }

    /// A fraction of a month, or a step beyond the calendar, has no date.
    #[test]
    fn a_fraction_of_a_month_or_a_step_off_the_calendar_has_no_date() {
        assert_eq!(step(day("2024-01-31"), Decimal::new(15, 1), false), None);
        assert_eq!(step(day("2024-01-31"), Decimal::MAX, false), None);
        assert_eq!(moved("2024-01-31", 12 * 300_000, false), None);
        assert_eq!(moved("2024-01-31", 12 * 300_000, true), None);
    }
}
