//! What can be wrong with dated records (`records`) and text facts (`text`): a record kind used as
//! an ordinary kind, a record's filter reading more of its owner than the owner's facts, and a
//! text read by a rule.

use serde::Serialize;

/// What is wrong with a `records` declaration or with a name read in a record's filter (E0127).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecordsProblem {
    /// A record kind listed after `contains`.
    #[error("`{record}` is a kind of record: it belongs to the kinds its `records` declaration names, not to `contains`")]
    Contained {
        /// The record kind.
        record: String,
    },
    /// A record kind named as the owner of records.
    #[error("`{owner}` is a kind of record, so it cannot keep records of its own")]
    RecordsOfRecords {
        /// The record kind named as owner.
        owner: String,
    },
    /// A rule (`facts`, `tiers`, …) written for a record kind.
    #[error("`{record}` is a kind of record: it has only the fields of its `records` declaration, not `{rule}`")]
    RulesOnRecords {
        /// The record kind.
        record: String,
        /// The keyword of the rule.
        rule: String,
    },
    /// A record's filter reading an owner's derived value, requirement, tier or score.
    #[error(
        "`{name}` is {what} of `{owner}`: a record's `where`/`of` can read only its owner's facts"
    )]
    OwnerRule {
        /// The name read.
        name: String,
        /// What it is: `a derived value`, `a requirement`, `a tier`, `the score`, …
        what: String,
        /// The owner kind.
        owner: String,
    },
    /// A name that is a fact of some owners of the record but not of another.
    #[error("`{name}` is not a fact of `{owner}`, which also keeps `{record}`")]
    OwnerMissing {
        /// The name read.
        name: String,
        /// The owner kind without it.
        owner: String,
        /// The record kind.
        record: String,
    },
    /// A name that owners of the record declare with different types.
    #[error("the owners of `{record}` declare `{name}` with different types")]
    OwnerTypes {
        /// The name read.
        name: String,
        /// The record kind.
        record: String,
    },
}

fn what_zh(what: &str) -> &'static str {
    match what {
        "a derived value" => "计算值",
        "a requirement" => "要求",
        "a requirement group" => "要求分组",
        "a tier" => "等级",
        "a scorecard" => "评分表",
        _ => "得分",
    }
}

impl RecordsProblem {
    pub(super) fn zh(&self) -> String {
        match self {
            RecordsProblem::Contained { record } => format!(
                "`{record}` 是记录：它属于 `records` 声明中写明的单位类型，不能写在 `contains` 中"
            ),
            RecordsProblem::RecordsOfRecords { owner } => {
                format!("`{owner}` 是记录，不能再有自己的记录")
            }
            RecordsProblem::RulesOnRecords { record, rule } => {
                format!("`{record}` 是记录：只有 `records` 声明中的字段，不能有 `{rule}` 规则")
            }
            RecordsProblem::OwnerRule { name, what, owner } => format!(
                "`{name}` 是 `{owner}` 的{}：记录的 `满足`/`的` 中只能读取所有者的填报项",
                what_zh(what)
            ),
            RecordsProblem::OwnerMissing {
                name,
                owner,
                record,
            } => format!("`{name}` 不是 `{owner}` 的填报项，而 `{owner}` 也有 `{record}`"),
            RecordsProblem::OwnerTypes { name, record } => {
                format!("`{record}` 的各所有者中 `{name}` 的类型不同")
            }
        }
    }

    pub(super) fn help(&self) -> (String, String) {
        match self {
            RecordsProblem::Contained { record } => (
                format!("从 `contains` 中删去 `{record}`：`records 所有者 {record} {{ … }}` 已经写明哪些单位有这种记录"),
                format!("remove `{record}` from `contains`: `records OWNER {record} {{ … }}` already says which units keep it"),
            ),
            RecordsProblem::RecordsOfRecords { .. } => (
                "记录只能属于普通的单位类型；需要两层时，把上一层写成单位类型（`kind`）".into(),
                "records belong to ordinary kinds; for two levels, declare the upper one as a `kind`".into(),
            ),
            RecordsProblem::RulesOnRecords { record, .. } => (
                format!("把规则写给记录的所有者，在其中用 `合计 {record} … 的 (…)`、`数量 {record} 满足 (…)` 等汇总读取记录"),
                format!("write the rule for the records' owner, reading them with aggregates such as `sum {record} … of (…)` or `count {record} where (…)`"),
            ),
            RecordsProblem::OwnerRule { owner, .. } => (
                format!("筛选条件对每条记录分别求值，要在汇总记录之前就能算出；`{owner}` 的计算值、要求、等级和得分要等汇总之后才有。请改为读取它所依据的填报项，或把这个条件写在汇总之外（如 `如果 … 则 合计 … 否则 …`）"),
                format!("the filter is evaluated for each record, before the records are aggregated, while `{owner}`'s derived values, requirements, tiers and score come after; read the facts they rest on instead, or put the condition outside the aggregate (`if … then sum … else …`)"),
            ),
            RecordsProblem::OwnerMissing { name, owner, .. } => (
                format!("在 `facts {owner} {{ … }}` 中也声明 `{name}`，或把这种记录只写给有 `{name}` 的单位类型"),
                format!("declare `{name}` in `facts {owner} {{ … }}` too, or give these records only to the kinds that have `{name}`"),
            ),
            RecordsProblem::OwnerTypes { name, .. } => (
                format!("让各所有者的 `{name}` 用同一种类型"),
                format!("give `{name}` one type in every owner"),
            ),
        }
    }
}

/// What is wrong with a text (`text` / `文本`) value (E0128).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TextProblem {
    /// A text fact read by a rule.
    #[error("`{name}` of `{kind}` is text: text is for display and cannot be read by a rule")]
    Read {
        /// The fact.
        name: String,
        /// Its kind.
        kind: String,
    },
    /// A parameter, derived value or quota table declared as text.
    #[error("only facts and record fields can be text, not {what}")]
    NotAFact {
        /// What was declared: `a parameter`, `a derived value`, `a quota table`.
        what: String,
    },
}

impl TextProblem {
    pub(super) fn zh(&self) -> String {
        match self {
            TextProblem::Read { name, kind } => {
                format!("`{kind}` 的 `{name}` 是文本：文本只用于说明，不能用在规则中")
            }
            TextProblem::NotAFact { what } => {
                let what = match what.as_str() {
                    "a parameter or a quota table" => "参数和指标表",
                    _ => "计算值",
                };
                format!("只有填报项和记录的字段可以是文本，{what}不能")
            }
        }
    }

    pub(super) fn help(&self) -> (String, String) {
        match self {
            TextProblem::Read { .. } => (
                "文本只用于说明（如加减分事由），`explain` 会原样列出；要按它判断，请另设一个是否（`bool`）或档次（`enum(…)`）填报项".into(),
                "text is for display (such as the reason for points), and `explain` shows it as given; to decide by it, add a `bool` or `enum(…)` fact".into(),
            ),
            TextProblem::NotAFact { .. } => (
                "文本由填报单位给出，只用于说明；参数、计算值和指标表的值要参与计算，请用其他类型".into(),
                "text is given by the units and is for display; parameters, derived values and quota tables take part in rules, so give them another type".into(),
            ),
        }
    }
}
