//! What is wrong, in detail, for the diagnostics that can be wrong in several ways: dated
//! periods, quota tables and unreachable tiers, each with its English (`Display`) and Chinese.

use super::type_zh;
use serde::Serialize;

/// What is wrong with dated periods.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PeriodProblem {
    /// Two periods overlap.
    #[error("periods {first} and {second} overlap")]
    Overlap {
        /// The earlier period.
        first: String,
        /// The later period.
        second: String,
    },
    /// No period covers the days between two periods.
    #[error("no value between {after} and {before}")]
    Gap {
        /// The last day before the gap.
        after: String,
        /// The first day after the gap.
        before: String,
    },
    /// Days of the effective period no period covers.
    #[error("no value from {from} to {to}, inside the effective period")]
    Uncovered {
        /// First day without a value.
        from: String,
        /// Last day without a value.
        to: String,
    },
}

impl PeriodProblem {
    pub(super) fn zh(&self) -> String {
        match self {
            PeriodProblem::Overlap { first, second } => format!("时段 {first} 与 {second} 重叠"),
            PeriodProblem::Gap { after, before } => format!("{after} 与 {before} 之间没有值"),
            PeriodProblem::Uncovered { from, to } => format!("有效期内 {from} 至 {to} 没有值"),
        }
    }
}

/// What is wrong with a quota table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuotaProblem {
    /// A row with another number of values than there are columns.
    #[error("row `{row}` has {found} values for {columns} columns")]
    RowLength {
        /// The row's unit.
        row: String,
        /// Values in the row.
        found: usize,
        /// Columns.
        columns: usize,
    },
    /// Columns not in ascending order.
    #[error("the column dates are not in ascending order")]
    ColumnOrder,
    /// A row listed twice.
    #[error("row `{0}` is listed twice")]
    DuplicateRow(String),
    /// A table read in rules of a kind it does not list.
    #[error("it lists units of `{listed}`, not of `{used}`")]
    WrongKind {
        /// The kind the table lists.
        listed: String,
        /// The kind whose rule reads it.
        used: String,
    },
    /// A value that does not fit the table's type.
    #[error("a value of row `{row}` does not fit the table's type: {expected}, found {found}")]
    ValueType {
        /// The row's unit.
        row: String,
        /// The table's type.
        expected: String,
        /// The value's type.
        found: String,
    },
}

impl QuotaProblem {
    pub(super) fn zh(&self) -> String {
        match self {
            QuotaProblem::RowLength {
                row,
                found,
                columns,
            } => {
                format!("`{row}` 一行有 {found} 个值，但有 {columns} 列")
            }
            QuotaProblem::ColumnOrder => "各期日期没有按先后排列".into(),
            QuotaProblem::WrongKind { listed, used } => {
                format!("它列出的是 `{listed}`，不是 `{used}`")
            }
            QuotaProblem::DuplicateRow(r) => format!("`{r}` 一行重复"),
            QuotaProblem::ValueType {
                row,
                expected,
                found,
            } => {
                format!(
                    "`{row}` 一行的值类型不符：应为{}，实际为{}",
                    type_zh(expected),
                    type_zh(found)
                )
            }
        }
    }
}

/// Why a tier cannot be reached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Unreachable {
    /// It requires a score above the scorecard's total.
    #[error("it requires a score of {need} or more, above the total {total}")]
    ScoreAboveTotal {
        /// The score required.
        need: String,
        /// The scorecard's total.
        total: String,
    },
    /// Its conditions cannot all hold at once.
    #[error("{}", contradiction_en(conditions))]
    Contradiction {
        /// The conditions that contradict each other (none of them can go and leave the others
        /// contradicting), each by its label or as written.
        conditions: Vec<String>,
        /// Their citations, once each.
        cites: Vec<String>,
    },
    /// A tier it requires cannot be reached.
    #[error("a tier it requires cannot be reached")]
    Prerequisite,
}

impl Unreachable {
    pub(super) fn zh(&self) -> String {
        match self {
            Unreachable::ScoreAboveTotal { need, total } => {
                format!("要求得分 {need} 分以上，超过总分 {total} 分")
            }
            Unreachable::Contradiction { conditions, .. } if conditions.len() >= 2 => {
                format!("条件 {} 相互矛盾", listed(conditions, "、", " 与 "))
            }
            Unreachable::Contradiction { conditions, .. } => match conditions.first() {
                Some(c) => format!("条件 `{c}` 不可能成立"),
                None => "条件相互矛盾".into(),
            },
            Unreachable::Prerequisite => "其基础等级无法达到".into(),
        }
    }
}

/// The English of [`Unreachable::Contradiction`].
fn contradiction_en(conditions: &[String]) -> String {
    match conditions {
        [] => "its conditions contradict each other".into(),
        [c] => format!("its condition `{c}` cannot hold"),
        _ => format!(
            "its conditions {} contradict each other",
            listed(conditions, ", ", " and ")
        ),
    }
}

/// Names in backticks, separated by `sep`, the last by `last`: `` `a`, `b` and `c` ``.
pub(super) fn listed(names: &[String], sep: &str, last: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((end, [])) => end.clone(),
        Some((end, rest)) => format!("{}{last}{end}", rest.join(sep)),
        None => String::new(),
    }
}
