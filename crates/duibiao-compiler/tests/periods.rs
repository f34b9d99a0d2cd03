//! Dated parameter values: each period runs forwards, and a period of one day is a period.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::compile;

fn codes(periods: &str) -> Vec<&'static str> {
    codes_within("", periods)
}

/// The codes for these periods, in a standard whose header adds `header` (an effective period).
fn codes_within(header: &str, periods: &str) -> Vec<&'static str> {
    let src = format!(
        "standard p {{ title \"p\" {header} }}\nkind 小区\nfacts 小区 {{ 达标率: percent }}\n\
         param 下限: percent = {{\n{periods}\n}}\n\
         tiers 小区 {{ 达标 {{ 达标率 >= 下限 }} }}\n"
    );
    compile(&src).diagnostics.iter().map(|d| d.code()).collect()
}

#[test]
fn a_period_of_one_day_is_a_period() {
    assert_eq!(
        codes("  2023-01-01 .. 2023-01-01: 60%,\n  2023-01-02 .. 2023-12-31: 80%"),
        Vec::<&str>::new()
    );
}

#[test]
fn a_period_that_ends_before_it_starts_is_an_error() {
    assert_eq!(
        codes("  2023-12-31 .. 2023-01-01: 60%,\n  2023-01-02 .. 2023-12-31: 80%"),
        ["E0120"]
    );
}

/// Within a standard's effective period, dated values cover it from its first day: periods that
/// start later leave its first days without a value.
#[test]
fn periods_starting_after_the_effective_period_leave_its_start_uncovered() {
    let effective = "effective 2023-01-01 .. 2023-12-31";
    assert_eq!(
        codes_within(effective, "  2023-01-01 .. 2023-12-31: 60%"),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes_within(effective, "  2023-02-01 .. 2023-12-31: 60%"),
        ["E0122"]
    );
}

/// Periods that end before the standard's effective period does leave its last days without a
/// value; ending on its last day covers it.
#[test]
fn periods_ending_before_the_effective_period_leave_its_end_uncovered() {
    let effective = "effective 2023-01-01 .. 2023-12-31";
    assert_eq!(
        codes_within(effective, "  2023-01-01 .. 2023-11-30: 60%"),
        ["E0122"]
    );
    assert_eq!(
        codes_within(
            effective,
            "  2023-01-01 .. 2023-06-30: 60%,\n  2023-07-01 .. 2023-12-31: 80%"
        ),
        Vec::<&str>::new()
    );
}

/// A standard in effect for one day is in effect; one that ends before it starts is an error.
#[test]
fn an_effective_period_of_one_day_is_a_period() {
    let value = "  2023-06-01 .. 2023-06-01: 60%";
    assert_eq!(
        codes_within("effective 2023-06-01 .. 2023-06-01", value),
        Vec::<&str>::new()
    );
    assert!(codes_within("effective 2023-06-02 .. 2023-06-01", value).contains(&"E0120"));
}
