//! The problems a facts file can have: their kinds, stable codes and messages in English and
//! Chinese.

use super::syntax::json_syntax;
use crate::limits::FactsLimit;
use serde::Serialize;

/// What is wrong with a facts file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FactsErrorKind {
    /// Not JSON.
    #[error("not valid JSON at line {line}, column {column}: {}", json_syntax(message).1)]
    Json {
        /// What the JSON parser found wrong, in its own words (the messages say it in theirs:
        /// [`json_syntax`]).
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// No text at all (or only spaces): nothing is loaded.
    #[error("the facts are empty; expected a JSON object with `units`")]
    Empty,
    /// A part of the file has the wrong shape.
    #[error("expected {expected}")]
    Shape {
        /// What was expected.
        expected: String,
    },
    /// The file is for another standard.
    #[error("the facts are for standard `{found}`, not `{expected}`")]
    WrongStandard {
        /// The standard's slug.
        expected: String,
        /// The slug in the file.
        found: String,
    },
    /// An id used twice.
    #[error("unit id `{0}` is used twice; the second unit is ignored")]
    DuplicateId(String),
    /// A kind the standard does not declare.
    #[error("unknown kind `{found}`; the standard's kinds are {known}")]
    UnknownKind {
        /// The kind written.
        found: String,
        /// The declared kinds.
        known: Listed,
    },
    /// A parent id that no unit has.
    #[error("parent `{0}` does not exist; the unit is evaluated on its own")]
    MissingParent(String),
    /// Parent links that form a loop: one problem per loop, naming its first units.
    #[error("parent links form a loop of {length} units: {}; each is evaluated on its own", loop_text(first, *length, " (", " more)"))]
    ParentCycle {
        /// How many units the loop has.
        length: usize,
        /// The ids of its first units (at most [`LOOP_SHOWN`]), in the order of the links.
        first: Vec<String>,
    },
    /// A parent whose kind cannot contain the unit's kind.
    #[error("a `{parent_kind}` cannot contain a `{kind}`; the unit is evaluated on its own")]
    NotContainable {
        /// The parent's kind.
        parent_kind: String,
        /// The unit's kind.
        kind: String,
    },
    /// A fact the unit's kind does not report.
    #[error("`{kind}` has no fact `{key}`")]
    UnknownFact {
        /// The kind.
        kind: String,
        /// The key.
        key: String,
    },
    /// A score key not on the unit's scorecard.
    #[error("{}", if known.is_empty() { format!("`{kind}` has no scorecard, so no score `{key}`") } else { format!("`{kind}` has no scored part `{key}`; its keys are {known}") })]
    UnknownScore {
        /// The kind.
        kind: String,
        /// The key.
        key: String,
        /// The scorecard's keys.
        known: Listed,
    },
    /// A value of the wrong type.
    #[error("expected {expected}, found `{found}`")]
    WrongType {
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A number that cannot be held exactly once converted to its unit (an amount in 万元 beyond
    /// about 7.9×10^24), as written.
    #[error("`{0}` is beyond the numbers that can be held exactly (within about ±7.9×10^28, with at most 28 decimal places)")]
    NotHeld(String),
    /// Points outside 0 to `max`.
    #[error("{found} points is outside the allowed range, 0 to {max} points")]
    PointsOutOfRange {
        /// The points given.
        found: String,
        /// The most allowed.
        max: String,
    },
    /// A parameter the standard does not declare.
    #[error("unknown parameter `{0}`")]
    UnknownParam(String),
    /// A unit id that no unit of the facts has.
    #[error("no unit `{0}` in the facts")]
    UnknownUnit(String),
    /// A unit whose id is empty or only spaces (as `duibiao template` leaves it): the unit is
    /// dropped.
    #[error("the unit id is empty; the unit is ignored")]
    EmptyId,
    /// A key given more than once in one object (a score, a fact, a unit's field, a parameter,
    /// a field of the file): the last value is used, as JSON readers usually do.
    #[error("`{0}` is given more than once; the last value is used")]
    DuplicateKey(String),
    /// A field the format does not have (often a misspelling, such as `score` for `scores`).
    #[error("unknown field `{found}`; expected one of {expected}")]
    UnknownField {
        /// The field written.
        found: String,
        /// The fields allowed here.
        expected: Listed,
    },
    /// A list of records on a unit whose kind does not keep them.
    #[error("`{records}` are records of {owners}, not of `{kind}`; the list is ignored")]
    NotOwner {
        /// The kind of record (the key of the list).
        records: String,
        /// The unit's kind.
        kind: String,
        /// The kinds that keep these records.
        owners: Listed,
    },
    /// A unit id containing `#`, which names records (`A#1`), in facts for a standard with
    /// records: the unit is dropped.
    #[error("unit id `{0}` contains `#`, which names records (`A#1` is the first record of `A`); the unit is ignored")]
    RecordSeparator(String),
    /// A unit of `units` whose kind is a kind of record: records are given in their owner's
    /// list, which numbers them; the unit is dropped.
    #[error("`{0}` is a kind of record: records are given as a list on their owner (`\"{0}\": [ … ]`), not as units; the unit is ignored")]
    RecordAsUnit(String),
    /// A what-if assignment to a text fact, which no rule reads.
    #[error("`{0}` is text, shown by explanations and read by no rule: changing it changes no result, so it cannot be assumed with `--set`")]
    TextSet(String),
    /// Beyond one of the [`FactsLimits`](super::FactsLimits): the file is not loaded (its size), the units beyond
    /// the limit are left out (their number), the unit is ignored (its id) or its name is cut.
    #[error("{}", limit.message_en(*max, *found))]
    OverLimit {
        /// Which limit.
        limit: FactsLimit,
        /// The limit.
        max: usize,
        /// The size, length or number of units found (for units, how many were left out).
        found: usize,
    },
}

impl FactsErrorKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        use FactsErrorKind::*;
        match self {
            Json { .. } | Empty => "F0001",
            Shape { .. } => "F0002",
            WrongStandard { .. } => "F0003",
            DuplicateId(_) => "F0004",
            UnknownKind { .. } => "F0005",
            MissingParent(_) => "F0006",
            ParentCycle { .. } => "F0007",
            NotContainable { .. } => "F0008",
            UnknownFact { .. } => "F0009",
            UnknownScore { .. } => "F0010",
            WrongType { .. } | NotHeld(_) => "F0011",
            PointsOutOfRange { .. } => "F0012",
            UnknownParam(_) => "F0013",
            UnknownField { .. } => "F0014",
            UnknownUnit(_) => "F0015",
            DuplicateKey(_) => "F0016",
            EmptyId => "F0017",
            OverLimit { .. } => "F0018",
            NotOwner { .. } | RecordSeparator(_) | RecordAsUnit(_) => "F0019",
            TextSet(_) => "F0020",
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        use FactsErrorKind::*;
        match self {
            Json {
                message,
                line,
                column,
            } => format!(
                "不是有效的 JSON：第 {line} 行第 {column} 列，{}",
                json_syntax(message).0
            ),
            Empty => "数据是空的，应为含有 `units` 的 JSON 对象".into(),
            Shape { expected } => format!("应为{}", spaced(&shape_zh(expected))),
            WrongStandard { expected, found } => {
                format!("数据属于标准 `{found}`，而不是 `{expected}`")
            }
            DuplicateId(id) => format!("单位编号 `{id}` 重复，后一个单位被忽略"),
            UnknownKind { found, known } => {
                format!("未知单位类型 `{found}`，标准中的类型为 {}", known.zh())
            }
            MissingParent(p) => format!("上级单位 `{p}` 不存在，该单位单独评价"),
            ParentCycle { length, first } => format!(
                "上级关系形成 {length} 个单位的循环：{}，这些单位都单独评价",
                loop_text(first, *length, "（另有 ", " 个）")
            ),
            NotContainable { parent_kind, kind } => {
                format!("`{parent_kind}` 不能包含 `{kind}`，该单位单独评价")
            }
            UnknownFact { kind, key } => format!("`{kind}` 没有填报项 `{key}`"),
            UnknownScore { kind, key, known } if known.is_empty() => {
                format!("`{kind}` 没有评分表，不能填报得分 `{key}`")
            }
            UnknownScore { kind, key, known } => {
                format!("`{kind}` 的评分表中没有 `{key}`，可用的为 {}", known.zh())
            }
            WrongType { expected, found } => {
                format!("应为{}，实际为 `{found}`", spaced(&shape_zh(expected)))
            }
            NotHeld(found) => {
                format!("`{found}` 超出可以精确表示的范围（约 ±7.9×10^28 以内，最多 28 位小数）")
            }
            PointsOutOfRange { found, max } => {
                format!("得分 {found} 超出允许范围（0 至 {max} 分）")
            }
            UnknownParam(p) => format!("未知参数 `{p}`"),
            UnknownUnit(u) => format!("数据中没有单位 `{u}`"),
            DuplicateKey(k) => format!("`{k}` 写了不止一次，使用最后一个值"),
            EmptyId => "单位编号为空，该单位被忽略".into(),
            UnknownField { found, expected } => {
                format!("未知字段 `{found}`，应为 {} 之一", expected.zh())
            }
            OverLimit { limit, max, found } => limit.message_zh(*max, *found),
            NotOwner {
                records,
                kind,
                owners,
            } => format!(
                "`{records}` 是 {} 的记录，不是 `{kind}` 的，这一列表被忽略",
                owners.zh()
            ),
            RecordAsUnit(kind) => format!(
                "`{kind}` 是记录：记录写在所有者的列表中（`\"{kind}\": [ … ]`），不能作为单位，该单位被忽略"
            ),
            TextSet(key) => format!(
                "`{key}` 是文本，只用于说明、不参与任何规则：改动它不会改变结果，所以不能用 `--set` 假设修改"
            ),
            RecordSeparator(id) => format!(
                "单位编号 `{id}` 中有 `#`，而 `#` 用于记录的编号（`A#1` 是 `A` 的第 1 条记录），该单位被忽略"
            ),
        }
    }
}

/// Names a message lists, each as it is shown (`` `社区` ``, `1.1`): joined with `, ` in English
/// and with `、` in Chinese. Serialized as its English text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listed(pub Vec<String>);

impl Listed {
    /// Each of `names` in backquotes, as code is shown.
    pub fn quoted<S: std::fmt::Display>(names: impl IntoIterator<Item = S>) -> Self {
        Listed(names.into_iter().map(|n| format!("`{n}`")).collect())
    }

    /// Whether nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The list in Chinese: `` `社区`、`小区` ``.
    pub fn zh(&self) -> String {
        self.0.join("、")
    }
}

impl std::fmt::Display for Listed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(", "))
    }
}

impl Serialize for Listed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// How many units of a loop of parents a message names.
pub const LOOP_SHOWN: usize = 5;

/// A loop of parents as messages show it: `A → B → A`, or for a long loop its first units, how
/// many more there are (between `open` and `close`) and the first again, so that a message does
/// not grow with the loop.
fn loop_text(first: &[String], length: usize, open: &str, close: &str) -> String {
    let mut text: Vec<String> = first.iter().map(|id| format!("`{id}`")).collect();
    if length > first.len() {
        text.push(format!("…{open}{}{close}", length - first.len()));
    }
    if let Some(id) = first.first() {
        text.push(format!("`{id}`"));
    }
    text.join(" → ")
}

/// A space before text that starts with Latin or code, none before Chinese.
fn spaced(s: &str) -> String {
    if s.starts_with(|c: char| c.is_ascii()) {
        format!(" {s}")
    } else {
        s.to_string()
    }
}

fn shape_zh(s: &str) -> String {
    let w = match s {
        "a JSON object" => "JSON 对象",
        "a list of units" => "单位列表",
        "a list of records" => "记录列表",
        "an object of the record's fields" => "由记录各字段组成的对象",
        "a string" => "字符串",
        "a string or null" => "字符串或 null",
        "an object" => "对象",
        "a date such as `2021-12-31`" => "日期，例如 `2021-12-31`",
        "true or false" => "`true` 或 `false`",
        "a whole number" => "整数",
        "a whole number, 0 or more" => "非负整数",
        "a number" => "数",
        "a percentage such as `85%` or 85" => "百分比，例如 `85%` 或 85",
        "money in 元 such as 150000 or `15万元`" => "金额（元），例如 150000 或 `15万元`",
        "an area in m² such as 350 or `350平方米`" => "面积（平方米），例如 350 或 `350平方米`",
        "hours such as 56 or `56学时`" => "学时，例如 56 或 `56学时`",
        "points such as 8.5" => "分值，例如 8.5",
        "days such as 30" => "天数，例如 30",
        "calendar months such as 12, `6个月` or `1年`" => "月数，例如 12、`6个月` 或 `1年`",
        "a date such as `2021-06-30`" => "日期，例如 `2021-06-30`",
        other => {
            if let Some(rest) = other.strip_prefix("one of ") {
                return format!("以下之一：{rest}");
            }
            other
        }
    };
    w.to_string()
}

/// One problem in a facts file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactsError {
    /// The stable code.
    pub code: &'static str,
    /// The unit's id, when the problem is in a unit.
    pub unit: Option<String>,
    /// The key (fact name, score key, or field), when there is one.
    pub key: Option<String>,
    /// What is wrong.
    pub kind: FactsErrorKind,
}

impl FactsError {
    /// The problem `kind`, at `unit` and `key` when given, with its code.
    pub fn new(unit: Option<&str>, key: Option<&str>, kind: FactsErrorKind) -> Self {
        FactsError {
            code: kind.code(),
            unit: unit.map(str::to_string),
            key: key.map(str::to_string),
            kind,
        }
    }

    /// The message in English, prefixed with the unit and key.
    pub fn message_en(&self) -> String {
        let prefix = match (&self.unit, &self.key) {
            (Some(u), Some(k)) => format!("unit `{u}`, `{k}`: "),
            (Some(u), None) => format!("unit `{u}`: "),
            (None, Some(k)) => format!("`{k}`: "),
            (None, None) => String::new(),
        };
        format!("{prefix}{}", self.kind)
    }

    /// The message in Chinese, prefixed with the unit and key.
    pub fn message_zh(&self) -> String {
        let prefix = match (&self.unit, &self.key) {
            (Some(u), Some(k)) => format!("单位 `{u}` 的 `{k}`："),
            (Some(u), None) => format!("单位 `{u}`："),
            (None, Some(k)) => format!("`{k}`："),
            (None, None) => String::new(),
        };
        format!("{prefix}{}", self.kind.message_zh())
    }
}

pub(super) fn shape(unit: Option<&str>, key: &str, expected: &str) -> FactsError {
    FactsError::new(
        unit,
        Some(key),
        FactsErrorKind::Shape {
            expected: expected.into(),
        },
    )
}
