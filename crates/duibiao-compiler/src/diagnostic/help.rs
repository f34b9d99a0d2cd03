//! Help text for diagnostics, in Chinese and English: what to do about the problem when there is
//! something useful to add to the message.

use super::messages::what_zh;
use super::{DiagnosticKind, Unreachable};
use crate::types::Dim;
use duibiao_syntax::Hint;

impl DiagnosticKind {
    /// Help text in Chinese and English, when there is something useful to add.
    pub fn help(&self) -> Option<(String, String)> {
        use DiagnosticKind::*;
        Some(match self {
            Syntax {
                hint: Some(Hint::Keyword(k)),
                ..
            } => (
                format!("`{k}` 是关键字，不能单独用作名称；可以改为 `{k}值`、`{k}数` 等"),
                format!("`{k}` is a keyword and cannot be a name on its own; use e.g. `{k}值` or `{k}数`"),
            ),
            Syntax {
                hint: Some(Hint::ChainedComparison { first, second, .. }),
                ..
            } => (
                format!("一个比较只有一个比较符号；请拆成两个比较，用 `且` 连接：`{first} 且 {second}`，或写作 `{first} and {second}`"),
                format!("a comparison has one comparison sign; split it into two joined by `and`: `{first} and {second}`, or in Chinese `{first} 且 {second}`"),
            ),
            Syntax {
                hint: Some(Hint::DerivedColon { name, expr, .. }),
                ..
            } => (
                format!("计算值写作 `名称 = 表达式`，要写明类型时写作 `名称: 类型 = 表达式`；这里应写成 `{name} = {expr}`"),
                format!("a derived value is written `名称 = 表达式`, or with its type `名称: 类型 = 表达式`; here `{name} = {expr}`"),
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
            OuterName { name, kind, .. } => (
                format!("`where (…)` 和 `of (…)` 对每个 `{kind}` 分别计算，只能使用 `{kind}` 的名称和参数；请在汇总之外使用 `{name}`（对汇总的结果作比较），或把它声明为参数 `param`"),
                format!("`where (…)` and `of (…)` are evaluated for each `{kind}` and can use only its names and parameters; use `{name}` outside the aggregate (compare the aggregate's result with it), or declare it as a `param`"),
            ),
            UnknownPeers { containers, .. } => {
                let (zh, en) = if containers.is_empty() {
                    (String::new(), String::new())
                } else {
                    let list: Vec<String> = containers.iter().map(|k| format!("`{k}`")).collect();
                    (
                        format!("，或包含它的单位类型：{}", list.join("、")),
                        format!(", or a kind that contains it: {}", list.join(", ")),
                    )
                };
                (
                    format!("比较范围写 `all`/`所有`（全部同类单位）、`siblings`/`同级`（同一上级单位下的同类单位）{zh}"),
                    format!("after `among`, write `all`/`所有` (every unit of the kind), `siblings`/`同级` (those under the same parent){en}"),
                )
            }
            UnknownName { .. } => (
                "名称须在 `facts`、`derive`、`param`、`requirements` 或 `tiers` 中声明".into(),
                "declare the name in `facts`, `derive`, `param`, `requirements` or `tiers`".into(),
            ),
            LevelClash { name, kind, what } => (
                format!(
                    "条件中的 `{name}` 只会被读作{what_zh}，不会被读作档次；请给其中一个改名，例如把{what_zh}改为 `{name}{kind}`，引用它的地方一并修改",
                    what_zh = what_zh(what)
                ),
                format!(
                    "in a condition `{name}` is read as the {what}, never as the level; rename one of them, e.g. the {what} to `{name}{kind}`, and the places that refer to it"
                ),
            ),
            UnitMismatch { op, .. } if op == "multiply" || op == "divide" => (
                "带单位的量只能乘以或除以不带单位的数或百分比；同一单位的两个量相除得到比值".into(),
                "a quantity with a unit can be multiplied or divided by a plain number or a percentage; two quantities of the same unit divide into a ratio".into(),
            ),
            UnitMismatch { left, right, .. }
                if [left, right].iter().any(|s| *s == Dim::Months.words()) =>
            {
                (
                "年、月是日历步长，不折算成天数，也不与不带单位的数混用：加到日期上再与日期比较，例如把 `as_of - 成立日期 < 1年` 写成 `成立日期 + 1年 > as_of`；年与月之间可以相加、比较，例如 `1年 + 6个月`".into(),
                "years and months are calendar steps, never days nor a bare number: add them to a date and compare dates, e.g. write `成立日期 + 1年 > as_of` for `as_of - 成立日期 < 1年`; years and months add and compare among themselves, e.g. `1年 + 6个月`".into(),
                )
            }
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
            UnknownScoreKey { kind, key } if key.is_empty() => (
                format!("`{kind}` 没有评分表：用 `score` 定级之前，先声明 `scorecard {kind} total 100 {{ … }}`"),
                format!("`{kind}` has no scorecard: declare `scorecard {kind} total 100 {{ … }}` before grading it by `score`"),
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
            Redeclared { what, .. } if what == "a score formula" => (
                "每个单位类型只能有一个得分公式（`score`）".into(),
                "each kind has at most one score formula (`score`)".into(),
            ),
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
            BadRating(p) => p.help(),
            BadRecords(p) => p.help(),
            BadText(p) => p.help(),
            BadPeers(p) => p.help(),
            TierOrder { .. } => (
                "等级按从低到高的顺序列出".into(),
                "list tiers from lowest to highest".into(),
            ),
            UnusedFact { .. } => (
                "如果这项数据只用于留档，可以忽略此提示".into(),
                "if the fact is recorded for reference only, this warning can be ignored".into(),
            ),
            UnreachableTier {
                reason: Unreachable::Contradiction { conditions, cites },
                ..
            } if !conditions.is_empty() => {
                let (zh, en) = if cites.is_empty() {
                    (String::new(), String::new())
                } else {
                    let quoted: Vec<String> = cites.iter().map(|c| format!("`{c}`")).collect();
                    (
                        format!("（依据 {}）", quoted.join("、")),
                        format!(" ({})", quoted.join(", ")),
                    )
                };
                if conditions.len() == 1 {
                    (
                        format!("这个条件本身就不可能成立；请对照原文{zh}核对它的数值和比较方向"),
                        format!("the condition cannot hold on its own; check its numbers and the direction of its comparisons against the document{en}"),
                    )
                } else {
                    (
                        format!("没有单位能同时满足这些条件；请对照原文{zh}核对它们的数值和比较方向"),
                        format!("no unit can meet all of them at once; check their numbers and the direction of their comparisons against the document{en}"),
                    )
                }
            }
            PartsSum { .. } | ItemsSum { .. } => (
                "请核对文件中的赋分".into(),
                "check the points against the document".into(),
            ),
            _ => return None,
        })
    }
}
