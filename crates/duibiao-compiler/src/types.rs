//! Types of values: booleans, quantities with their unit, dates and ordered levels (档次).

use serde::Serialize;

/// The unit a number is measured in. Only numbers of compatible units may be compared or added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    /// A number written without a unit (`75`): takes the unit of what it meets, except percent.
    Bare,
    /// A whole count (`int`, `6名`).
    Count,
    /// A plain number (`decimal`), e.g. a ratio.
    Number,
    /// A percentage, held as a fraction (30% = 0.3).
    Percent,
    /// Money in 元.
    Money,
    /// Area in m².
    Area,
    /// Study hours.
    Hours,
    /// Scorecard points.
    Points,
    /// A number of days.
    Days,
    /// A number of calendar months (`6个月`; `1年` is 12): a step along the calendar, which a
    /// date moves by (`成立日期 + 1年`) and which never converts to days.
    Months,
}

impl Dim {
    /// Whether this is dimensionless (bare, count or plain number).
    pub fn is_plain(self) -> bool {
        matches!(self, Dim::Bare | Dim::Count | Dim::Number)
    }

    /// The unit in words, as English messages say it (the Chinese side translates these words).
    pub fn words(self) -> &'static str {
        match self {
            Dim::Bare => "a bare number",
            Dim::Count => "a count",
            Dim::Number => "a number",
            Dim::Percent => "a percentage",
            Dim::Money => "money (元)",
            Dim::Area => "an area (m²)",
            Dim::Hours => "hours",
            Dim::Points => "points",
            Dim::Days => "days",
            Dim::Months => "calendar months",
        }
    }

    /// The unit of a combination of `self` and `other` when they may be compared or added.
    pub fn unify(self, other: Dim) -> Option<Dim> {
        match (self, other) {
            (a, b) if a == b => Some(a),
            (Dim::Bare, Dim::Percent) | (Dim::Percent, Dim::Bare) => None,
            // A bare number beside calendar months could be months or days: it is written out.
            (Dim::Bare, Dim::Months) | (Dim::Months, Dim::Bare) => None,
            // A ratio computed by division compares with a percentage (`持证 / 专职 >= 50%`);
            // a count does not.
            (Dim::Number, Dim::Percent) | (Dim::Percent, Dim::Number) => Some(Dim::Percent),
            (Dim::Bare, d) | (d, Dim::Bare) => Some(d),
            (a, b) if a.is_plain() && b.is_plain() => Some(Dim::Number),
            _ => None,
        }
    }
}

/// The type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", content = "of", rename_all = "snake_case")]
pub enum Type {
    /// True or false.
    Bool,
    /// A number in a unit.
    Num(Dim),
    /// A calendar date.
    Date,
    /// A level of an ordered enumeration (index into the graph's `enums`).
    Enum(u32),
}

impl Type {
    /// The type in words, as English messages say it (the Chinese side translates these words).
    pub fn describe(self, enums: &[crate::graph::EnumDef]) -> String {
        match self {
            Type::Bool => "a bool".into(),
            Type::Date => "a date".into(),
            Type::Enum(e) => format!(
                "a level of {}",
                enums
                    .get(e as usize)
                    .map(|d| d.variants.join("/"))
                    .unwrap_or_default()
            ),
            Type::Num(d) => d.words().into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Dim;

    /// Which units combine: a bare number takes the other side's unit but never a percentage's
    /// (`30` could be 30% or 0.3) nor calendar months (months or days?); a computed ratio is a
    /// percentage beside one; plain numbers stay plain; a count and a percentage do not meet.
    #[test]
    fn units_combine_as_the_reference_says() {
        let cases = [
            (Dim::Bare, Dim::Percent, None),
            (Dim::Percent, Dim::Bare, None),
            (Dim::Bare, Dim::Months, None),
            (Dim::Number, Dim::Percent, Some(Dim::Percent)),
            (Dim::Percent, Dim::Number, Some(Dim::Percent)),
            (Dim::Bare, Dim::Area, Some(Dim::Area)),
            (Dim::Count, Dim::Bare, Some(Dim::Count)),
            (Dim::Count, Dim::Number, Some(Dim::Number)),
            (Dim::Count, Dim::Percent, None),
            (Dim::Percent, Dim::Count, None),
            (Dim::Count, Dim::Area, None),
            (Dim::Days, Dim::Days, Some(Dim::Days)),
        ];
        for (a, b, want) in cases {
            assert_eq!(a.unify(b), want, "{a:?} with {b:?}");
        }
    }
}
