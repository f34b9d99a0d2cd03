//! What can be wrong with the kinds ranked or counted together (`rank (…) among 街镇 of 社区党支部、
//! 其他党支部`): the unit's own kind not among them, or a value of another type in one of them.

use serde::Serialize;

/// What is wrong with the kinds a rank or count of peers lists after `of`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PeersProblem {
    /// The kinds listed leave out the kind whose rule it is: its units would be ranked in a list
    /// they are not in.
    #[error("the kinds after `of` ({listed}) leave out `{kind}`, whose rule this is")]
    OwnKindMissing {
        /// The kind whose rule ranks or counts.
        kind: String,
        /// The kinds listed, joined by `、`.
        listed: String,
    },
    /// The value ranked has one type for one kind and another for another kind: they cannot be
    /// put in one list. The kind declared first is `kind`.
    #[error("the value ranked is {found} for `{other}` but {expected} for `{kind}`: one list needs one type")]
    TypesDiffer {
        /// One kind ranked.
        kind: String,
        /// The value's type there, in words.
        expected: String,
        /// The other kind.
        other: String,
        /// The value's type there, in words.
        found: String,
    },
}

impl PeersProblem {
    pub(super) fn zh(&self) -> String {
        match self {
            PeersProblem::OwnKindMissing { kind, listed } => {
                format!("`的` 之后列出的单位类型（{listed}）不包含本规则的单位类型 `{kind}`")
            }
            PeersProblem::TypesDiffer {
                kind,
                expected,
                other,
                found,
            } => {
                let (e, f) = (super::type_zh(expected), super::type_zh(found));
                format!("排名的值对 `{other}` 是{f}，对 `{kind}` 是{e}：同一个名次表只能排同一种值")
            }
        }
    }

    pub(super) fn help(&self) -> (String, String) {
        match self {
            PeersProblem::OwnKindMissing { kind, listed } => (
                format!("合计排名的单位类型要包含本单位的类型：写作 `的 {kind}、{listed}`；只在 `{kind}` 中排名时去掉 `的 …`"),
                format!("the kinds ranked together include the unit's own: write `of {kind}, {listed}`; to rank among `{kind}` alone, leave out `of …`"),
            ),
            PeersProblem::TypesDiffer { .. } => (
                "合计排名时，每种单位类型的值要是同一种（都是分值、都是日期……）；为其中一种另写一个计算值，使两者一致".into(),
                "ranking several kinds together needs the same sort of value for each (points for both, dates for both…); derive a value for one of them that matches".into(),
            ),
        }
    }
}
