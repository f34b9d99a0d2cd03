//! What can be wrong with a rating rule: `tier` facts, `unrated`, `cap`, `limit`, `floor` and
//! `guide` on a kind without tiers, a share out of range or without `%`, two limits or two floors
//! on one tier, a limit and a floor on one tier, a floor on the highest tier, two guides on one
//! tier among the same peers, a level moved by half a level.

use serde::Serialize;

/// What is wrong with a rating rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RatingProblem {
    /// A rule that reads a kind's tiers, on a kind without tiers.
    #[error("`{kind}` has no tiers, so it cannot have {rule}")]
    NoTiers {
        /// The kind.
        kind: String,
        /// What needs the tiers: `a tier-typed value`, `a cap`, `a limit`, `a guide` or
        /// `unrated units`.
        rule: String,
    },
    /// A limit's share that is not more than 0 and at most 100%.
    #[error("a limit's share must be more than 0% and at most 100%, not {0}")]
    Share(String),
    /// A limit's or a guide's share written without `%` (`0.3`, `30`): 30% or 0.3%?
    #[error("a share is a percentage: `{0}` has no `%`")]
    ShareWithoutSign(String),
    /// A level moved by a number that is not whole (`上年星级 + 0.5`).
    #[error("levels move by whole numbers: `{0}` is not one")]
    FractionOfALevel(String),
    /// A `tier` type where no kind gives it its levels: a parameter or a quota table.
    #[error("a `tier` value belongs to a kind: only facts and derived values can have this type")]
    TierOutsideKind,
    /// A second limit on the same tier.
    #[error("tier `{tier}` of `{kind}` is limited twice")]
    LimitedTwice {
        /// The tier.
        tier: String,
        /// The kind.
        kind: String,
    },
    /// A floor's share that is not more than 0 and at most 100%.
    #[error("a floor's share must be more than 0% and at most 100%, not {0}")]
    FloorShare(String),
    /// A second floor on the same tier.
    #[error("tier `{tier}` of `{kind}` has two floors")]
    FlooredTwice {
        /// The tier (or `无`).
        tier: String,
        /// The kind.
        kind: String,
    },
    /// A limit and a floor on the same tier: which applies to the units the floor puts down?
    #[error("tier `{tier}` of `{kind}` has both a limit and a floor")]
    FloorAndLimit {
        /// The tier.
        tier: String,
        /// The kind.
        kind: String,
    },
    /// A floor on the highest tier, which every unit is at or below.
    #[error("`{tier}` is the highest tier of `{kind}`: every unit is at it or below, so a floor on it does nothing")]
    FloorOnTop {
        /// The tier.
        tier: String,
        /// The kind.
        kind: String,
    },
    /// A guide's share that is not more than 0 and at most 100%.
    #[error("a guide's share must be more than 0% and at most 100%, not {0}")]
    GuideShare(String),
    /// A second guide on the same tier (or the same tier and below) among the same peers.
    #[error("`{tier}`{} of `{kind}` has two guides among `{among}`", if *or_below { " or_below" } else { "" })]
    GuidedTwice {
        /// The tier.
        tier: String,
        /// Whether the guides count the tiers below too.
        or_below: bool,
        /// The kind.
        kind: String,
        /// The peers: `all`, `siblings` or the kind within which units are peers.
        among: String,
    },
}

impl RatingProblem {
    pub(super) fn zh(&self) -> String {
        match self {
            RatingProblem::NoTiers { kind, rule } => {
                let rule = match rule.as_str() {
                    "a cap" => "封顶规则（`cap`）",
                    "a limit" => "限额（`limit`）",
                    "a floor" => "比例下限（`floor`）",
                    "a guide" => "指导比例（`guide`）",
                    "unrated units" => "不定级规则（`unrated`）",
                    _ => "等级类型（`tier`）的值",
                };
                format!("`{kind}` 没有等级（`tiers`），不能有{rule}")
            }
            RatingProblem::Share(s) => format!("限额比例应大于 0%、不超过 100%，实际为 {s}"),
            RatingProblem::ShareWithoutSign(s) => format!("比例是百分数：`{s}` 没有写 `%`"),
            RatingProblem::FractionOfALevel(s) => format!("等级只能升降整数级：`{s}` 不是整数"),
            RatingProblem::TierOutsideKind => {
                "等级类型（`tier`）属于某种单位：只有填报项和计算值可以是这个类型".into()
            }
            RatingProblem::LimitedTwice { tier, kind } => {
                format!("`{kind}` 的等级 `{tier}` 有两条限额")
            }
            RatingProblem::FloorShare(s) => format!("下限比例应大于 0%、不超过 100%，实际为 {s}"),
            RatingProblem::FlooredTwice { tier, kind } => {
                format!("`{kind}` 的等级 `{tier}` 有两条下限")
            }
            RatingProblem::FloorAndLimit { tier, kind } => {
                format!("`{kind}` 的等级 `{tier}` 既有限额又有下限")
            }
            RatingProblem::FloorOnTop { tier, kind } => {
                format!("`{tier}` 是 `{kind}` 的最高等级，所有单位都在它及以下，下限不起作用")
            }
            RatingProblem::GuideShare(s) => {
                format!("指导比例应大于 0%、不超过 100%，实际为 {s}")
            }
            RatingProblem::GuidedTwice {
                tier,
                or_below,
                kind,
                among,
            } => {
                let among = crate::graph::peers_name_zh(among);
                let below = if *or_below { " 及以下" } else { "" };
                format!("`{kind}` 的 `{tier}`{below} 在比较范围 `{among}` 内有两条指导比例")
            }
        }
    }

    pub(super) fn help(&self) -> (String, String) {
        match self {
            RatingProblem::NoTiers { kind, .. } => (
                format!("先为 `{kind}` 写出等级：`tiers {kind} {{ … }}`，或把规则写给有等级的单位类型"),
                format!("declare `{kind}`'s tiers first (`tiers {kind} {{ … }}`), or write the rule for a kind that has tiers"),
            ),
            RatingProblem::Share(_) => (
                "例如 `限额 支部 五星: 30% …` 表示至多 30% 的参评单位达到五星".into(),
                "e.g. `limit 支部 五星: 30% …`: at most 30% of the rated units reach 五星".into(),
            ),
            RatingProblem::ShareWithoutSign(_) => (
                "不带 `%` 的数可能是比值（`0.3` 即 30%），也可能是百分点（`30` 即 30%）；请写明 `%`：“不超过总数的30%”写作 `30%`".into(),
                "a number without `%` may be a fraction (`0.3` for 30%) or percentage points (`30` for 30%); write the `%`: \"不超过总数的30%\" is `30%`".into(),
            ),
            RatingProblem::FractionOfALevel(_) => (
                "`上年星级 + 1` 是高一级，`上年星级 - 1` 是低一级；半级没有对应的等级".into(),
                "`上年星级 + 1` is one level up, `上年星级 - 1` one down; half a level is no tier".into(),
            ),
            RatingProblem::TierOutsideKind => (
                "参数和指标表对所有单位相同，没有“本单位的等级”；可以改用档次 `enum(…)`".into(),
                "parameters and quota tables are the same for every unit, which has its own tiers; use an `enum(…)` instead".into(),
            ),
            RatingProblem::LimitedTwice { .. } => (
                "一个等级只能有一条限额；几个等级各有限额时，每个等级写一条".into(),
                "a tier has at most one limit; when several tiers are limited, write one for each".into(),
            ),
            RatingProblem::FloorShare(_) => (
                "例如 `比例下限 支部 无: 10% …` 表示至少 10% 的参评单位没有等级（不足时得分最低的降到无）".into(),
                "e.g. `floor 支部 无: 10% …`: at least 10% of the rated units end with no tier (the lowest put down when fewer do)".into(),
            ),
            RatingProblem::FlooredTwice { .. } => (
                "一个等级只能有一条下限；比例不同时，留下文件规定的那一条".into(),
                "a tier has at most one floor; keep the one the document gives".into(),
            ),
            RatingProblem::FloorAndLimit { .. } => (
                "下限降下来的单位是否占用这一级的限额，没有唯一的读法：把下限写在低一级（`比例下限 … 低一级: …`，即“这一级以下至少……”），或删去其中一条".into(),
                "whether the units a floor puts down take this tier's places has no single reading: put the floor one tier lower (`floor … TIER_BELOW: …`, \"at least … below this tier\"), or drop one of the two".into(),
            ),
            RatingProblem::FloorOnTop { .. } => (
                "下限写“至少多少比例在这一级及以下”；“相对后进不低于10%”写在最低一级或 `无` 上：`比例下限 支部 无: 10% …`".into(),
                "a floor says \"at least a share at this tier or below\"; \"相对后进不低于10%\" goes on the lowest tier or on `无`: `floor 支部 无: 10% …`".into(),
            ),
            RatingProblem::GuideShare(_) => (
                "写成百分比，例如 `指导比例 支部 五星: 约 10% …` 表示五星约占参评单位的 10%".into(),
                "write a percentage, e.g. `guide 支部 五星: about 10% …`: about 10% of the rated units at 五星".into(),
            ),
            RatingProblem::GuidedTwice { .. } => (
                "同一比较范围内每个等级只写一条指导比例；删去其中一条，或改写比较范围".into(),
                "write one guide per tier among the same peers: delete one, or change its peers".into(),
            ),
        }
    }
}
