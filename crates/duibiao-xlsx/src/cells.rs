//! Cells and facts values, both ways, by one set of rules.
//!
//! Reading (a cell of a column of type T becomes the facts file's value):
//! - an empty cell, or one of spaces only, is a value not reported (left out);
//! - yes/no: a TRUE/FALSE cell, the texts `是`/`否`, `true`/`false` (any case) and the numbers
//!   1/0 are `true`/`false`;
//! - a date: a date cell, or a number (a spreadsheet's date serial), is that day; a text
//!   `2024-06-30`, `2024/6/30`, `2024.6.30` or `2024年6月30日` is that day;
//! - a number cell is its number, written exactly as the spreadsheet holds it (`8.5`); in a
//!   column of scored points a text holding a number (`8.5`, as WPS may keep it) is that number;
//! - in a column of text, ids or names, a number is its digits (`101`, not `101.0`);
//! - in a column of percentages, a number cell formatted as a percentage is what it shows
//!   (0.85 shown as `85%` is 85%); any other number is percentage points (`85` is 85%);
//! - anything else is passed on as written (a text as a string), so that the facts loader checks
//!   it as it checks a JSON file, and its problem names the cell.
//!
//! Writing: yes/no as `是`/`否`; numbers as numbers when a spreadsheet's number holds them
//! exactly, as text otherwise; strings as text.

use crate::layout::Role;
use calamine::Data;
use duibiao::{FieldType, Measure, Place};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

/// What a cell gives.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Read {
    /// Nothing: the value is not reported.
    Empty,
    /// A value for the facts file.
    Value(Value),
    /// An error value (`#DIV/0!`), shown as the spreadsheet shows it.
    Error(String),
}

/// The value of a cell in a column holding `role`; `as_percent` when the cell's format shows
/// its number as a percentage.
pub(crate) fn read(cell: &Data, role: &Role, as_percent: bool) -> Read {
    let ty = match role {
        Role::Value(f) if f.place == Place::Score => &FieldType::Number(Measure::Points),
        Role::Value(f) => &f.ty,
        // Ids, names and parents are texts.
        _ => &FieldType::Text,
    };
    match cell {
        Data::Empty => Read::Empty,
        Data::Error(e) => Read::Error(e.to_string()),
        Data::String(s) if s.trim().is_empty() => Read::Empty,
        Data::String(s) => Read::Value(text(s.trim(), ty)),
        Data::Bool(b) => Read::Value(Value::Bool(*b)),
        Data::Int(i) => Read::Value(shown(&i.to_string(), ty, as_percent)),
        Data::Float(f) => Read::Value(shown(&float_text(*f), ty, as_percent)),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            let iso = format!("{y:04}-{m:02}-{day:02}");
            match ty {
                FieldType::Date => Read::Value(Value::String(iso)),
                // A date where no date belongs: the loader says what was expected.
                _ if d.is_datetime() => Read::Value(Value::String(iso)),
                _ => Read::Value(number(&float_text(d.as_f64()), ty)),
            }
        }
        Data::DateTimeIso(s) => match ty {
            FieldType::Date => Read::Value(Value::String(s.chars().take(10).collect())),
            _ => Read::Value(Value::String(s.clone())),
        },
        Data::DurationIso(s) => Read::Value(Value::String(s.clone())),
    }
}

/// A text cell's value in a column of type `ty`.
fn text(s: &str, ty: &FieldType) -> Value {
    match ty {
        FieldType::Bool => match s.to_lowercase().as_str() {
            "是" | "true" => Value::Bool(true),
            "否" | "false" => Value::Bool(false),
            _ => Value::String(s.to_string()),
        },
        FieldType::Date => Value::String(date_text(s).unwrap_or_else(|| s.to_string())),
        FieldType::Number(Measure::Points) => match Decimal::from_str(s) {
            Ok(_) => json_number(s).unwrap_or_else(|| Value::String(s.to_string())),
            Err(_) => Value::String(s.to_string()),
        },
        _ => Value::String(s.to_string()),
    }
}

/// A number cell's value as the cell shows it: in a column of percentages, a cell formatted as
/// a percentage holds the fraction (0.85 for `85%`), which is written as the percentage shown.
fn shown(digits: &str, ty: &FieldType, as_percent: bool) -> Value {
    match (ty, as_percent, Decimal::from_str(digits)) {
        (FieldType::Number(Measure::Percent), true, Ok(d)) => {
            match d.checked_mul(Decimal::ONE_HUNDRED) {
                Some(p) => Value::String(format!("{}%", p.normalize())),
                None => number(digits, ty),
            }
        }
        _ => number(digits, ty),
    }
}

/// A number cell's value (`digits` as the spreadsheet holds it) in a column of type `ty`.
fn number(digits: &str, ty: &FieldType) -> Value {
    match ty {
        FieldType::Bool => match digits {
            "1" => Value::Bool(true),
            "0" => Value::Bool(false),
            _ => json_number(digits).unwrap_or_else(|| Value::String(digits.to_string())),
        },
        FieldType::Date => match digits.parse::<i64>().ok().and_then(serial_date) {
            Some(d) => Value::String(d),
            None => Value::String(digits.to_string()),
        },
        FieldType::Text | FieldType::Levels(_) => Value::String(digits.to_string()),
        _ => json_number(digits).unwrap_or_else(|| Value::String(digits.to_string())),
    }
}

/// The shortest text that reads back as `f`, without an exponent (`8.5`, `1000000`).
pub(crate) fn float_text(f: f64) -> String {
    if f.is_finite() {
        // Rust writes a float as the shortest digits that read back as it, never with an
        // exponent; a whole number has no `.0` to drop beyond this.
        let s = format!("{f}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    } else {
        f.to_string()
    }
}

/// A JSON number with exactly these digits.
fn json_number(digits: &str) -> Option<Value> {
    serde_json::from_str::<serde_json::Number>(digits)
        .ok()
        .map(Value::Number)
}

/// The day of a spreadsheet's date serial (1 is 1900-01-01; serials count the 1900 leap day
/// Lotus invented, so 60 is no day and days from 61 on are one fewer).
fn serial_date(serial: i64) -> Option<String> {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = match serial {
        1..=59 => serial + 1,
        61.. => serial,
        _ => return None,
    };
    let d = base.checked_add_signed(chrono::TimeDelta::try_days(days)?)?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// A date written `2024/6/30`, `2024.6.30` or `2024年6月30日` as `2024-06-30`; `None` for a
/// text written with `-` as a facts file writes it (`2024-6-3` is kept as it is, so that facts
/// come back as they were), and for a text that is no such date.
fn date_text(s: &str) -> Option<String> {
    if s.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return None;
    }
    let parts: Vec<&str> = s
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let date = chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// What is written in a cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Write {
    /// Nothing.
    Empty,
    /// A text.
    Text(String),
    /// A number the spreadsheet holds exactly.
    Number(f64),
}

/// How a facts file's value is written in a cell.
pub(crate) fn write(value: &Value) -> Write {
    match value {
        Value::Null => Write::Empty,
        Value::Bool(true) => Write::Text("是".into()),
        Value::Bool(false) => Write::Text("否".into()),
        Value::String(s) => Write::Text(s.clone()),
        Value::Number(n) => {
            let digits = n.to_string();
            match exact_float(&digits) {
                Some(f) => Write::Number(f),
                None => Write::Text(digits),
            }
        }
        // Lists and objects have no cell; the layout never puts one here.
        other => Write::Text(other.to_string()),
    }
}

/// The float holding the number `digits` exactly (its digits read back the same decimal), if
/// one does.
pub(crate) fn exact_float(digits: &str) -> Option<f64> {
    let want = Decimal::from_scientific(digits)
        .or_else(|_| Decimal::from_str(digits))
        .ok()?;
    let f = want
        .to_string()
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())?;
    let back = Decimal::from_str(&float_text(f)).ok()?;
    (back == want).then_some(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use duibiao::FormField;

    fn col(ty: FieldType) -> Role {
        Role::Value(field(ty))
    }

    fn field(ty: FieldType) -> FormField {
        let form = duibiao::Standard::compile(
            "t.std",
            "standard t { title \"t\" }\nkind 小区\nfacts 小区 { 是否: bool }\n",
        )
        .unwrap()
        .form();
        let mut f = form.kinds[0].fields[0].clone();
        f.ty = ty;
        f
    }

    #[test]
    fn a_percentage_is_what_its_cell_shows() {
        let percent = col(FieldType::Number(Measure::Percent));
        let text = |s: &str| Read::Value(Value::String(s.into()));
        let n = |s: &str| Read::Value(json_number(s).unwrap());
        // Formatted as a percentage: 0.85 is shown as 85%.
        assert_eq!(read(&Data::Float(0.85), &percent, true), text("85%"));
        assert_eq!(read(&Data::Float(0.905), &percent, true), text("90.5%"));
        assert_eq!(read(&Data::Int(1), &percent, true), text("100%"));
        assert_eq!(read(&Data::Float(0.0), &percent, true), text("0%"));
        // Not formatted so: percentage points, as the guide sheet says.
        assert_eq!(read(&Data::Float(85.0), &percent, false), n("85"));
        assert_eq!(read(&Data::Float(0.85), &percent, false), n("0.85"));
        // A text is read as written, whatever the format.
        assert_eq!(
            read(&Data::String("85%".into()), &percent, true),
            text("85%")
        );
        // Other columns keep the number the cell holds.
        let number = col(FieldType::Number(Measure::Number));
        assert_eq!(read(&Data::Float(0.85), &number, true), n("0.85"));
    }

    #[test]
    fn yes_and_no_are_read_every_way_they_are_written() {
        let c = col(FieldType::Bool);
        for (cell, want) in [
            (Data::Bool(true), true),
            (Data::String("是".into()), true),
            (Data::String(" TRUE ".into()), true),
            (Data::String("否".into()), false),
            (Data::String("False".into()), false),
            (Data::Float(1.0), true),
            (Data::Int(0), false),
        ] {
            assert_eq!(
                read(&cell, &c, false),
                Read::Value(Value::Bool(want)),
                "{cell:?}"
            );
        }
        assert_eq!(
            read(&Data::String("对".into()), &c, false),
            Read::Value(Value::String("对".into()))
        );
    }

    #[test]
    fn dates_are_read_from_serials_and_texts() {
        let c = col(FieldType::Date);
        let day = |s: &str| Read::Value(Value::String(s.into()));
        assert_eq!(read(&Data::Float(45473.0), &c, false), day("2024-06-30"));
        assert_eq!(read(&Data::Int(61), &c, false), day("1900-03-01"));
        assert_eq!(read(&Data::Int(59), &c, false), day("1900-02-28"));
        assert_eq!(
            read(&Data::String("2024/6/30".into()), &c, false),
            day("2024-06-30")
        );
        assert_eq!(
            read(&Data::String("2024年6月30日".into()), &c, false),
            day("2024-06-30")
        );
        assert_eq!(
            read(&Data::String("2024-6-3".into()), &c, false),
            day("2024-6-3")
        );
        assert_eq!(read(&Data::String("明天".into()), &c, false), day("明天"));
        assert_eq!(
            read(&Data::String("2024/2/30".into()), &c, false),
            day("2024/2/30")
        );
    }

    #[test]
    fn numbers_keep_their_digits_and_texts_of_points_become_numbers() {
        let points = col(FieldType::Number(Measure::Points));
        let n = |s: &str| Read::Value(Value::Number(serde_json::from_str(s).unwrap()));
        assert_eq!(read(&Data::Float(8.5), &points, false), n("8.5"));
        assert_eq!(read(&Data::Float(10.0), &points, false), n("10"));
        assert_eq!(read(&Data::String("9.5".into()), &points, false), n("9.5"));
        assert_eq!(
            read(&Data::String("9.5分".into()), &points, false),
            Read::Value(Value::String("9.5分".into()))
        );
        assert_eq!(
            read(&Data::Float(0.1 + 0.2), &points, false),
            n("0.30000000000000004")
        );
        assert_eq!(
            read(&Data::Float(101.0), &Role::Id, false),
            Read::Value(Value::String("101".into()))
        );
        assert_eq!(
            read(&Data::String("  ".into()), &points, false),
            Read::Empty
        );
        assert_eq!(read(&Data::Empty, &points, false), Read::Empty);
    }

    #[test]
    fn numbers_a_spreadsheet_cannot_hold_exactly_are_written_as_text() {
        let n = |s: &str| Value::Number(serde_json::from_str(s).unwrap());
        assert_eq!(write(&n("8.5")), Write::Number(8.5));
        assert_eq!(write(&n("74.99")), Write::Number(74.99));
        assert_eq!(write(&n("2e0")), Write::Number(2.0));
        assert_eq!(
            write(&n("12345678901234567890.5")),
            Write::Text("12345678901234567890.5".into())
        );
        assert_eq!(write(&Value::Bool(false)), Write::Text("否".into()));
        assert_eq!(write(&Value::Null), Write::Empty);
    }
}
