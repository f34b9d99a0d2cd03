//! Diagnostics: every problem the compiler finds in a `.std` file, with a stable code, a message in
//! Chinese and in English, help text, and the byte span it is about.
//!
//! Message style (see `docs/error-style.md`): lower-case, no final full stop, user input in
//! backticks, no Rust type names, extra explanation in the help text.

use duibiao_syntax::ast::Span;
use duibiao_syntax::{SyntaxError, SyntaxErrorKind};
use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file compiles, but something is probably not what the writer meant.
    Warning,
    /// The file cannot be compiled.
    Error,
}

/// What a diagnostic is about. Each variant has a stable code (`E0xxx` for errors, `W0xxx` for
/// warnings), an English message (its `Display`), a Chinese message and help text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// The grammar could not go on here.
    #[error("unexpected {}", found.as_ref().map_or("end of file".to_string(), |f| format!("`{f}`")))]
    Syntax {
        /// What could have come here.
        expected: Vec<duibiao_syntax::error::Expected>,
        /// What was found.
        found: Option<String>,
        /// The keyword found, when a keyword stands where a name was expected.
        keyword: Option<String>,
    },
    /// Full-width punctuation where it is not accepted.
    #[error("full-width character `{found}` is not accepted here")]
    FullWidth {
        /// The character.
        found: char,
        /// Its half-width form.
        ascii: String,
    },
    /// A header field written twice.
    #[error("header field `{0}` is written twice")]
    DuplicateField(String),
    /// A string not closed on its line.
    #[error("string is not closed")]
    UnclosedString,
    /// A date that does not exist.
    #[error("`{0}` is not a calendar date")]
    InvalidDate(String),
    /// A number that cannot be held exactly.
    #[error("`{0}` is not a number that can be held exactly")]
    InvalidNumber(String),
    /// A quantity whose value cannot be held exactly once scaled to its unit: an amount in 万元
    /// beyond about 7.9×10^24, a percentage with more than 26 decimal places.
    #[error("`{0}` is not a number that can be held exactly")]
    NumberOutOfRange(String),
    /// Brackets nested deeper than the limit.
    #[error("brackets are nested deeper than the limit of {limit}")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// File larger than the limit.
    #[error("the file is {}, larger than the limit of {}", size_en(*found), size_en(*limit))]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The file's size, in bytes.
        found: usize,
    },
    /// More `if` expressions in one declaration than the limit.
    #[error("one declaration has more than {limit} `if` expressions")]
    TooManyIfs {
        /// The limit.
        limit: usize,
    },
    /// An arithmetic chain longer than the limit.
    #[error("an expression has more than {limit} terms")]
    TooLong {
        /// The limit.
        limit: usize,
    },
    /// A kind named but never declared.
    #[error("unknown unit kind `{0}`")]
    UnknownKind(String),
    /// A kind declared twice.
    #[error("unit kind `{0}` is declared twice")]
    DuplicateKind(String),
    /// Kinds that contain each other.
    #[error("unit kinds contain each other: {0}")]
    ContainmentCycle(String),
    /// A name that resolves to nothing.
    #[error("unknown name `{name}` in a rule of `{kind}`")]
    UnknownName {
        /// The name.
        name: String,
        /// The kind whose rule uses it.
        kind: String,
    },
    /// A name declared twice for one kind.
    #[error("`{name}` is declared twice for `{kind}`")]
    DuplicateName {
        /// The name.
        name: String,
        /// The kind.
        kind: String,
    },
    /// Two quantities of different units compared or combined.
    #[error("cannot {op} {left} and {right}")]
    UnitMismatch {
        /// What was attempted (`compare`, `add` …).
        op: String,
        /// The left type, in words.
        left: String,
        /// The right type, in words.
        right: String,
    },
    /// A percentage compared with a bare number.
    #[error("a percentage is compared with the bare number `{0}`")]
    PercentWithoutSign(String),
    /// An operand of the wrong type.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// What was expected, in words.
        expected: String,
        /// What was found, in words.
        found: String,
    },
    /// Derived values, requirements or tiers that depend on themselves.
    #[error("`{0}` depends on itself")]
    DependencyCycle(String),
    /// A tier that does not exist for that kind.
    #[error("unknown tier `{tier}` of `{kind}`")]
    UnknownTier {
        /// The tier.
        tier: String,
        /// The kind.
        kind: String,
        /// The kind's tiers.
        known: Vec<String>,
    },
    /// An aggregate over a kind that the unit does not contain.
    #[error("`{kind}` does not contain `{sub}`")]
    NotContained {
        /// The aggregating kind.
        kind: String,
        /// The kind aggregated over.
        sub: String,
    },
    /// A function that does not exist, or called with the wrong number of arguments.
    #[error("unknown function `{0}`")]
    UnknownFunction(String),
    /// A function called with the wrong number of arguments.
    #[error("`{name}` takes {expected} argument(s), found {found}")]
    Arity {
        /// The function.
        name: String,
        /// What it takes.
        expected: String,
        /// How many were given.
        found: usize,
    },
    /// `score N` naming no item or part (or `score` in a kind without a scorecard).
    #[error("{}", if key.is_empty() { format!("`{kind}` has no scorecard") } else { format!("`{kind}` has no scorecard entry `{key}`") })]
    UnknownScoreKey {
        /// The kind.
        kind: String,
        /// The key (`6`, `6.1`, or empty for the total).
        key: String,
    },
    /// Item or part numbers repeated or out of order.
    #[error("{what} number {number} is out of order: expected {expected}")]
    Numbering {
        /// `item` or `part`.
        what: String,
        /// The number written.
        number: u32,
        /// The number expected here.
        expected: u32,
    },
    /// Points that are not a positive number of points.
    #[error("points must be a positive number of `分`, found `{0}`")]
    InvalidPoints(String),
    /// A tier declared twice, a second scorecard or tiers block for a kind.
    #[error("`{kind}` already has {what}")]
    Redeclared {
        /// The kind.
        kind: String,
        /// What it already has.
        what: String,
    },
    /// A parameter whose value does not fit its type, or with neither.
    #[error("parameter `{name}`: {problem}")]
    BadParam {
        /// The parameter.
        name: String,
        /// What is wrong.
        problem: String,
    },
    /// An aggregate clause that does not fit its operator.
    #[error("`{op}` {problem}")]
    BadAggregate {
        /// The operator.
        op: String,
        /// What is wrong.
        problem: String,
    },
    /// The effective period ends before it starts.
    #[error("the effective period ends before it starts")]
    ReversedPeriod,
    /// A tier listed before a tier it requires.
    #[error("tier `{tier}` requires `{required}`, which is not listed before it")]
    TierOrder {
        /// The tier.
        tier: String,
        /// The prerequisite.
        required: String,
    },
    /// Dated values whose periods overlap, leave a gap, or do not cover the effective period.
    #[error("`{name}`: {problem}")]
    Periods {
        /// The parameter.
        name: String,
        /// What is wrong.
        problem: PeriodProblem,
    },
    /// A quota table that does not fit together.
    #[error("quota table `{name}`: {problem}")]
    BadQuota {
        /// The table.
        name: String,
        /// What is wrong.
        problem: QuotaProblem,
    },
    /// Payers' shares that do not add up to 100%.
    #[error("the shares of `{name}` add up to {sum}, not to 100%")]
    SplitSum {
        /// The consequence.
        name: String,
        /// Their sum.
        sum: String,
    },
    /// A quota table name that is not declared.
    #[error("unknown quota table `{0}`")]
    UnknownQuota(String),
    /// A declared fact no rule reads.
    #[error("fact `{name}` of `{kind}` is never used")]
    UnusedFact {
        /// The fact.
        name: String,
        /// The kind.
        kind: String,
    },
    /// A declared parameter no rule reads.
    #[error("parameter `{0}` is never used")]
    UnusedParam(String),
    /// An item's parts do not add up to its maximum.
    #[error("the parts of item {item} add up to {sum}, not to its maximum {max}")]
    PartsSum {
        /// The item.
        item: u32,
        /// The sum of the parts.
        sum: String,
        /// The maximum.
        max: String,
    },
    /// A scorecard's items do not add up to its total.
    #[error("the items of `{kind}`'s scorecard add up to {sum}, not to its total {total}")]
    ItemsSum {
        /// The kind.
        kind: String,
        /// The sum of the items.
        sum: String,
        /// The declared total.
        total: String,
    },
    /// A tier no unit can reach.
    #[error("no unit can reach tier `{tier}` of `{kind}`: {reason}")]
    UnreachableTier {
        /// The tier.
        tier: String,
        /// The kind.
        kind: String,
        /// Why.
        reason: Unreachable,
    },
}

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
    fn zh(&self) -> String {
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
    fn zh(&self) -> String {
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
    #[error("its conditions contradict each other")]
    Contradiction,
    /// A tier it requires cannot be reached.
    #[error("a tier it requires cannot be reached")]
    Prerequisite,
}

impl Unreachable {
    fn zh(&self) -> String {
        match self {
            Unreachable::ScoreAboveTotal { need, total } => {
                format!("要求得分 {need} 分以上，超过总分 {total} 分")
            }
            Unreachable::Contradiction => "条件相互矛盾".into(),
            Unreachable::Prerequisite => "其基础等级无法达到".into(),
        }
    }
}

impl DiagnosticKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        use DiagnosticKind::*;
        match self {
            Syntax { .. } => "E0001",
            FullWidth { .. } => "E0002",
            UnclosedString => "E0003",
            InvalidDate(_) => "E0004",
            InvalidNumber(_) | NumberOutOfRange(_) => "E0005",
            TooDeep { .. } => "E0006",
            TooLarge { .. } => "E0007",
            TooManyIfs { .. } => "E0008",
            TooLong { .. } => "E0009",
            DuplicateField(_) => "E0010",
            UnknownKind(_) => "E0101",
            DuplicateKind(_) => "E0102",
            ContainmentCycle(_) => "E0103",
            UnknownName { .. } => "E0104",
            DuplicateName { .. } => "E0105",
            UnitMismatch { .. } => "E0106",
            PercentWithoutSign(_) => "E0107",
            WrongType { .. } => "E0108",
            DependencyCycle(_) => "E0109",
            UnknownTier { .. } => "E0110",
            NotContained { .. } => "E0111",
            UnknownFunction(_) => "E0112",
            Arity { .. } => "E0113",
            UnknownScoreKey { .. } => "E0114",
            Numbering { .. } => "E0115",
            InvalidPoints(_) => "E0116",
            Redeclared { .. } => "E0117",
            BadParam { .. } => "E0118",
            BadAggregate { .. } => "E0119",
            ReversedPeriod => "E0120",
            TierOrder { .. } => "E0121",
            Periods { .. } => "E0122",
            BadQuota { .. } => "E0123",
            SplitSum { .. } => "E0124",
            UnknownQuota(_) => "E0125",
            UnusedFact { .. } => "W0001",
            UnusedParam(_) => "W0002",
            PartsSum { .. } => "W0003",
            ItemsSum { .. } => "W0004",
            UnreachableTier { .. } => "W0005",
        }
    }

    /// Whether this stops compilation.
    pub fn severity(&self) -> Severity {
        if self.code().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        use DiagnosticKind::*;
        match self {
            Syntax { found, .. } => match found {
                Some(f) => format!("此处不应出现 `{f}`"),
                None => "文件意外结束".into(),
            },
            FullWidth { found, .. } => format!("此处不接受全角字符 `{found}`"),
            UnclosedString => "字符串没有结束引号".into(),
            DuplicateField(f) => format!("文件头字段 `{f}` 写了两次"),
            InvalidDate(d) => format!("`{d}` 不是有效日期"),
            InvalidNumber(n) | NumberOutOfRange(n) => format!("`{n}` 不是可以精确表示的数"),
            TooDeep { limit } => format!("括号嵌套层数超过上限 {limit}"),
            TooLarge { limit, found } => {
                format!(
                    "文件有 {}，超过大小上限 {}",
                    size_zh(*found),
                    size_zh(*limit)
                )
            }
            TooManyIfs { limit } => format!("一个声明中的 `如果`/`if` 超过 {limit} 个"),
            TooLong { limit } => format!("一个表达式超过 {limit} 项"),
            UnknownKind(k) => format!("未声明的单位类型 `{k}`"),
            DuplicateKind(k) => format!("单位类型 `{k}` 重复声明"),
            ContainmentCycle(c) => format!("单位类型互相包含：{c}"),
            UnknownName { name, kind } => format!("`{kind}` 的规则中使用了未声明的名称 `{name}`"),
            DuplicateName { name, kind } => format!("`{kind}` 的 `{name}` 重复声明"),
            UnitMismatch { op, left, right } => {
                format!("{}与{}不能{}", type_zh(left), type_zh(right), op_zh(op))
            }
            PercentWithoutSign(n) => format!("百分比与不带单位的数 `{n}` 比较"),
            WrongType { expected, found } => {
                format!("此处应为{}，实际为{}", type_zh(expected), type_zh(found))
            }
            DependencyCycle(n) => format!("`{n}` 依赖于自身"),
            UnknownTier { tier, kind, .. } => format!("`{kind}` 没有等级 `{tier}`"),
            NotContained { kind, sub } => format!("`{kind}` 不包含 `{sub}`"),
            UnknownFunction(f) => format!("未知函数 `{f}`"),
            Arity {
                name,
                expected,
                found,
            } => format!("`{name}` 需要 {expected} 个参数，实际为 {found} 个"),
            UnknownScoreKey { kind, key } if key.is_empty() => format!("`{kind}` 没有评分表"),
            UnknownScoreKey { kind, key } => format!("`{kind}` 的评分表中没有 `{key}`"),
            Numbering {
                what,
                number,
                expected,
            } => format!(
                "{}序号 {number} 顺序不对：此处应为 {expected}",
                if what == "item" { "项目" } else { "分项" }
            ),
            InvalidPoints(p) => format!("分值应为正的分数，实际为 `{p}`"),
            Redeclared { kind, what } => format!("`{kind}` 已有{}", what_zh(what)),
            BadParam { name, problem } => format!("参数 `{name}`：{}", problem_zh(problem)),
            BadAggregate { op, problem } => format!("`{op}` {}", problem_zh(problem)),
            ReversedPeriod => "有效期的结束日期早于开始日期".into(),
            TierOrder { tier, required } => {
                format!("等级 `{tier}` 基于 `{required}`，但 `{required}` 没有列在它之前")
            }
            Periods { name, problem } => format!("`{name}`：{}", problem.zh()),
            BadQuota { name, problem } => format!("指标表 `{name}`：{}", problem.zh()),
            SplitSum { name, sum } => format!("`{name}` 的分担比例合计 {sum}，不是 100%"),
            UnknownQuota(q) => format!("未声明的指标表 `{q}`"),
            UnusedFact { name, kind } => format!("`{kind}` 的填报项 `{name}` 没有被任何规则使用"),
            UnusedParam(p) => format!("参数 `{p}` 没有被任何规则使用"),
            PartsSum { item, sum, max } => {
                format!("项目 {item} 的分项合计 {sum} 分，与满分 {max} 分不符")
            }
            ItemsSum { kind, sum, total } => {
                format!("`{kind}` 评分表各项合计 {sum} 分，与总分 {total} 分不符")
            }
            UnreachableTier { tier, kind, reason } => {
                format!("`{kind}` 的等级 `{tier}` 无法达到：{}", reason.zh())
            }
        }
    }

    /// Help text in Chinese and English, when there is something useful to add.
    pub fn help(&self) -> Option<(String, String)> {
        use DiagnosticKind::*;
        Some(match self {
            Syntax {
                keyword: Some(k), ..
            } => (
                format!("`{k}` 是关键字，不能单独用作名称；可以改为 `{k}值`、`{k}数` 等"),
                format!("`{k}` is a keyword and cannot be a name on its own; use e.g. `{k}值` or `{k}数`"),
            ),
            Syntax { expected, .. } if !expected.is_empty() => {
                let zh: Vec<&str> = expected.iter().map(|e| e.zh.as_str()).collect();
                let en: Vec<&str> = expected.iter().map(|e| e.en.as_str()).collect();
                (
                    format!("此处应为：{}", zh.join("，")),
                    format!("expected {}", en.join(", ")),
                )
            }
            FullWidth { ascii, .. } if ascii.is_empty() => (
                "删除它：规则写到行尾即结束，不需要句号".into(),
                "delete it: a rule ends at the end of its line, no full stop is needed".into(),
            ),
            FullWidth { ascii, .. } => (
                format!("请改用半角字符 `{ascii}`（切换到英文输入法）"),
                format!("write the half-width `{ascii}` instead (switch the input method to English)"),
            ),
            UnclosedString => (
                "字符串须在同一行内以 `\"` 或 `”` 结束".into(),
                "close the string with `\"` or `”` on the same line".into(),
            ),
            InvalidDate(_) => (
                "日期写作 `年-月-日`，例如 `2021-06-30`".into(),
                "write dates as `year-month-day`, e.g. `2021-06-30`".into(),
            ),
            TooDeep { .. } => (
                "请把复杂的条件拆成几个 `derive` 计算值；确需更深时可提高上限 `nesting`（命令行 `--limit nesting=…`，最多 256）".into(),
                "split the expression into several `derive` values; if it must be deeper, raise the limit `nesting` (on the command line `--limit nesting=…`, at most 256)".into(),
            ),
            TooLong { .. } => (
                "请把复杂的条件拆成几个 `derive` 计算值".into(),
                "split the expression into several `derive` values".into(),
            ),
            TooManyIfs { .. } => (
                "请把这些计算分到几个 `derive` 块中".into(),
                "spread these values over several `derive` blocks".into(),
            ),
            TooLarge { .. } => (
                "请检查是否选错了文件；确需更大时可提高上限 `source_bytes`（命令行 `--limit source_bytes=…`）".into(),
                "check that this is the right file; if it must be larger, raise the limit `source_bytes` (on the command line `--limit source_bytes=…`)".into(),
            ),
            InvalidNumber(_) => (
                "数最多有 28 位有效数字，例如 `8.5`、`350`、`0.125`".into(),
                "numbers have at most 28 significant digits, e.g. `8.5`, `350`, `0.125`".into(),
            ),
            NumberOutOfRange(_) => (
                "换算后的数须在约 ±7.9×10^28 以内、最多 28 位小数：`万元` 的金额不超过约 7.9×10^24 万元，百分比最多 26 位小数".into(),
                "once converted, a number must lie within about ±7.9×10^28 with at most 28 decimal places: an amount in `万元` at most about 7.9×10^24 万元, a percentage at most 26 decimal places".into(),
            ),
            UnknownKind(_) => (
                "先用 `kind 名称` 声明单位类型".into(),
                "declare the kind first with `kind NAME`".into(),
            ),
            UnknownName { .. } => (
                "名称须在 `facts`、`derive`、`param`、`requirements` 或 `tiers` 中声明".into(),
                "declare the name in `facts`, `derive`, `param`, `requirements` or `tiers`".into(),
            ),
            UnitMismatch { op, .. } if op == "multiply" || op == "divide" => (
                "带单位的量只能乘以或除以不带单位的数或百分比；同一单位的两个量相除得到比值".into(),
                "a quantity with a unit can be multiplied or divided by a plain number or a percentage; two quantities of the same unit divide into a ratio".into(),
            ),
            UnitMismatch { .. } => (
                "只有同一单位的量可以比较、相加或相减，例如面积与面积（平方米）、金额与金额（元）".into(),
                "only quantities of the same unit can be compared, added or subtracted, such as area with area (m²) or money with money (元)".into(),
            ),
            PercentWithoutSign(n) => (
                format!("写成 `{n}%`"),
                format!("write `{n}%`"),
            ),
            DependencyCycle(_) => (
                "计算值、要求和等级不能直接或间接引用自身".into(),
                "derived values, requirements and tiers may not refer to themselves, directly or through others".into(),
            ),
            NotContained { .. } => (
                "汇总只能针对 `kind … contains …` 声明的下级单位".into(),
                "aggregates range over the sub-units declared with `kind … contains …`".into(),
            ),
            UnknownFunction(_) => (
                "可用函数：min/最小, max/最大, ceil/向上取整, floor/向下取整, round/四舍五入, abs/绝对值".into(),
                "functions: min/最小, max/最大, ceil/向上取整, floor/向下取整, round/四舍五入, abs/绝对值".into(),
            ),
            UnknownScoreKey { .. } => (
                "`score` 是总分，`score 6` 是第6项，`score 6.1` 是第6项的第1个分项".into(),
                "`score` is the total, `score 6` item 6, `score 6.1` the first part of item 6".into(),
            ),
            Numbering { .. } => (
                "项目序号在评分表中唯一；分项从 1 起依次编号，与文件中 `6.1`、`6.2` 的写法对应".into(),
                "item numbers are unique in a scorecard; parts are numbered 1, 2, … as facts files key them (`6.1`, `6.2`)".into(),
            ),
            UnknownTier { kind, known, .. } => {
                if known.is_empty() {
                    (
                        format!("`{kind}` 没有声明等级"),
                        format!("`{kind}` declares no tiers"),
                    )
                } else {
                    let list = known.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>();
                    (
                        format!("`{kind}` 的等级有：{}", list.join("、")),
                        format!("the tiers of `{kind}` are {}", list.join(", ")),
                    )
                }
            }
            Redeclared { .. } => (
                "每个单位类型只能有一个评分表和一组等级".into(),
                "each kind has at most one scorecard and one `tiers` block".into(),
            ),
            Periods { .. } => (
                "分期的值按时间先后排列，首尾相接（前一段的截止日的次日是后一段的起始日），覆盖整个有效期".into(),
                "list periods in order, each starting the day after the previous one ends, covering the effective period".into(),
            ),
            SplitSum { .. } => (
                "各方分担比例之和应为 100%，例如 `市级 50%, 区级 50%`".into(),
                "the payers' shares add up to 100%, e.g. `市级 50%, 区级 50%`".into(),
            ),
            TierOrder { .. } => (
                "等级按从低到高的顺序列出".into(),
                "list tiers from lowest to highest".into(),
            ),
            UnusedFact { .. } => (
                "如果这项数据只用于留档，可以忽略此提示".into(),
                "if the fact is recorded for reference only, this warning can be ignored".into(),
            ),
            PartsSum { .. } | ItemsSum { .. } => (
                "请核对文件中的赋分".into(),
                "check the points against the document".into(),
            ),
            _ => return None,
        })
    }
}

fn op_zh(op: &str) -> &str {
    match op {
        "compare" => "比较",
        "add" => "相加",
        "subtract" => "相减",
        "multiply" => "相乘",
        "divide" => "相除",
        "combine" => "合并",
        other => other,
    }
}

/// Chinese for the type words used in English messages.
fn type_zh(t: &str) -> String {
    let w = match t {
        "a bool" => "是否值",
        "a count" => "整数",
        "a number" => "数",
        "a bare number" => "不带单位的数",
        "a percentage" => "百分比",
        "money (元)" => "金额（元）",
        "an area (m²)" => "面积（平方米）",
        "hours" => "学时",
        "points" => "分值",
        "days" => "天数",
        "a date" => "日期",
        "a condition" => "条件（是/否）",
        "a quantity" => "数量",
        other => {
            if let Some(e) = other.strip_prefix("a level of ") {
                return format!("档次 {e}");
            }
            other
        }
    };
    w.to_string()
}

/// `A, found B` in Chinese.
fn types_zh(s: &str) -> String {
    match s.split_once(", found ") {
        Some((a, b)) => format!("应为{}，实际为{}", type_zh(a), type_zh(b)),
        None => s.to_string(),
    }
}

fn what_zh(w: &str) -> &str {
    match w {
        "a scorecard" => "评分表",
        "tiers" => "等级",
        other => other,
    }
}

fn problem_zh(p: &str) -> String {
    match p {
        "needs `of (…)`" => "需要 `of (…)` 指明合计的值".into(),
        "takes no `of (…)`" => "不接受 `of (…)`".into(),
        "`ifnone` value does not fit" => "`若无` 的值类型不符".into(),
        "has neither a type nor a value" => "既没有类型也没有值".into(),
        other => {
            if let Some(types) = other.strip_prefix("value does not fit its type: ") {
                return format!("值与类型不符：{}", types_zh(types));
            }
            other.to_string()
        }
    }
}

/// One diagnostic: what, where, and optionally a second place it relates to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// What is wrong.
    pub kind: DiagnosticKind,
    /// Where.
    pub span: Span,
    /// A related place (the first declaration of a duplicate, for example).
    pub related: Option<Span>,
}

impl Diagnostic {
    /// A diagnostic at `span`.
    pub fn new(kind: DiagnosticKind, span: Span) -> Self {
        Diagnostic {
            kind,
            span,
            related: None,
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }
}

impl From<SyntaxError> for Diagnostic {
    fn from(e: SyntaxError) -> Self {
        let kind = match e.kind {
            SyntaxErrorKind::Unexpected {
                expected,
                found,
                keyword,
            } => DiagnosticKind::Syntax {
                expected,
                found,
                keyword,
            },
            SyntaxErrorKind::FullWidth { found, ascii } => DiagnosticKind::FullWidth {
                found,
                ascii: ascii.to_string(),
            },
            SyntaxErrorKind::UnclosedString => DiagnosticKind::UnclosedString,
            SyntaxErrorKind::DuplicateField(f) => DiagnosticKind::DuplicateField(f),
            SyntaxErrorKind::InvalidDate(d) => DiagnosticKind::InvalidDate(d),
            SyntaxErrorKind::InvalidNumber(n) => DiagnosticKind::InvalidNumber(n),
            SyntaxErrorKind::TooDeep { limit } => DiagnosticKind::TooDeep { limit },
            SyntaxErrorKind::TooLarge { limit, found } => DiagnosticKind::TooLarge { limit, found },
            SyntaxErrorKind::TooManyIfs { limit } => DiagnosticKind::TooManyIfs { limit },
            SyntaxErrorKind::TooLong { limit } => DiagnosticKind::TooLong { limit },
        };
        Diagnostic::new(kind, e.span)
    }
}

const MIB: usize = 1024 * 1024;

/// A size in bytes as a reader takes it in: whole mebibytes as such, other sizes in bytes.
fn size_en(n: usize) -> String {
    size(n, "bytes")
}

/// [`size_en`] in Chinese.
fn size_zh(n: usize) -> String {
    size(n, "字节")
}

fn size(n: usize, bytes: &str) -> String {
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} {bytes}")
    }
}
