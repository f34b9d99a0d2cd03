//! What a diagnostic says: its stable code, its severity and its message in Chinese, with the
//! Chinese for the words its English message is made of.

use super::problems::listed;
use super::{size_zh, DiagnosticKind, Severity};
use duibiao_syntax::Hint;

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
            UnknownKind(_) | UnknownPeers { .. } => "E0101",
            DuplicateKind(_) => "E0102",
            ContainmentCycle(_) => "E0103",
            UnknownName { .. } | OuterName { .. } => "E0104",
            DuplicateName { .. } | LevelClash { .. } => "E0105",
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
            BadRating(_) => "E0126",
            BadRecords(_) => "E0127",
            BadText(_) => "E0128",
            BadPeers(_) => "E0129",
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
            Syntax { found, hint, .. } => match (hint, found) {
                (Some(Hint::Keyword(k)), _) => format!("此处不应出现关键字 `{k}`"),
                (Some(Hint::ChainedComparison { written, .. }), _) => {
                    format!("比较不能连写：`{written}`")
                }
                (Some(Hint::DerivedColon { name, colon, .. }), _) => {
                    format!("计算值 `{name}` 的名称后应为 `=`，实际为 `{colon}`")
                }
                (None, Some(f)) => format!("此处不应出现 `{f}`"),
                (None, None) => "文件意外结束".into(),
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
            UnknownKind(k) | UnknownPeers { name: k, .. } => format!("未声明的单位类型 `{k}`"),
            DuplicateKind(k) => format!("单位类型 `{k}` 重复声明"),
            ContainmentCycle(c) => format!("单位类型互相包含：{c}"),
            UnknownName { name, kind } => format!("`{kind}` 的规则中使用了未声明的名称 `{name}`"),
            OuterName { name, kind, outer } => {
                format!("`{name}` 是 `{outer}` 的名称，不能用在对每个 `{kind}` 分别计算的 `where`/`of` 中")
            }
            DuplicateName { name, kind } => format!("`{kind}` 的 `{name}` 重复声明"),
            LevelClash { name, what, .. } if what == "parameter" => {
                format!("档次 `{name}` 与参数 `{name}` 同名")
            }
            LevelClash { name, kind, what } => {
                format!(
                    "档次 `{name}` 与 `{kind}` 的{} `{name}` 同名",
                    what_zh(what)
                )
            }
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
            BadRating(p) => p.zh(),
            BadRecords(p) => p.zh(),
            BadText(p) => p.zh(),
            BadPeers(p) => p.zh(),
            UnusedFact { name, kind } => format!("`{kind}` 的填报项 `{name}` 没有被任何规则使用"),
            UnusedParam(p) => format!("参数 `{p}` 没有被任何规则使用"),
            PartsSum { item, sum, max } => {
                format!("项目 {item} 的分项合计 {sum} 分，与满分 {max} 分不符")
            }
            ItemsSum { kind, sum, total } => {
                format!("`{kind}` 评分表各项合计 {sum} 分，与总分 {total} 分不符")
            }
            UnreachableTier {
                tier,
                kinds,
                reason,
            } => {
                format!(
                    "{} 的等级 `{tier}` 无法达到：{}",
                    listed(kinds, "、", "、"),
                    reason.zh()
                )
            }
        }
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
pub(crate) fn type_zh(t: &str) -> String {
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
        "calendar months" => "年月数（日历月）",
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

/// Chinese for what a kind has or declares.
pub(super) fn what_zh(w: &str) -> &str {
    match w {
        "a scorecard" | "scorecard" => "评分表",
        "tiers" | "tier" => "等级",
        "a score formula" => "得分公式",
        "fact" => "填报项",
        "derived value" => "计算值",
        "requirement" => "要求",
        "parameter" => "参数",
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
