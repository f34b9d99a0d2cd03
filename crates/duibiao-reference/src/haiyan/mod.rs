//! `standards/haiyan-2021.std` (海盐县某街道《关于开展城市基层党建全域提升行动的工作方案》, 2021)
//! by hand.
//!
//! Six kinds: a 街道 contains 社区, 商务楼宇, 商圈 and 社会组织; a 社区 contains 小区. Every
//! kind has a 100-point scorecard (附件2) and two tiers, 标准型 and 示范型 (三、建设要求):
//!
//! | kind | 标准型 | 示范型 (requires 标准型, blocked by 一票否决) |
//! |---|---|---|
//! | 小区, 商务楼宇, 商圈, 社会组织 | score ≥ 75 | score ≥ 90 |
//! | 社区 | score ≥ 75, all 小区 at 标准型, 社会组织有效融入 | score ≥ 90, share 小区 at 示范型 ≥ 30%, 社会组织充分融入 |
//! | 街道 | score ≥ 75, all 社区、小区、商务楼宇、商圈 at 标准型, count 社会组织 at 标准型 ≥ 一定量标准型社会组织 | score ≥ 90, share 社区、小区、商务楼宇、商圈 at 示范型 ≥ 30%, count 社会组织 at 示范型 ≥ 一定量示范型社会组织 |
//!
//! Aggregates range over all descendants (a 街道's 小区 are its 社区's 小区), pooling the kinds
//! listed. A score is the sum of the kind's scored parts, unknown when any part is missing; a
//! threshold on it is still decided when the missing parts, at 0 or at their full points, cannot
//! change the answer.
//!
//! ```
//! let facts = serde_json::json!({"units": [
//!     {"id": "XQ", "kind": "小区", "facts": {"一票否决": false}, "scores": {
//!         "11.1": 10, "11.2": 10, "12.1": 10, "12.2": 10, "13.1": 5, "13.2": 5, "13.3": 10,
//!         "14": 20, "15.1": 8, "15.2": 7}}
//! ]});
//! let results = duibiao_reference::haiyan::evaluate(&facts);
//! assert_eq!(results[0].id, "XQ");
//! assert_eq!(results[0].score, Some(rust_decimal::Decimal::from(95)));
//! assert_eq!(results[0].tier, Some(duibiao_reference::haiyan::Tier::Demonstration));
//! ```

mod eval;
mod forest;
mod kind;
mod parse;

pub use eval::{evaluate, evaluate_forest, Tally};
pub use kind::{Kind, KINDS, MAX_PARTS};
pub use parse::{parse, ParseError};

use rust_decimal::Decimal;
use std::borrow::Cow;

/// Pass, fail or unknown; ordered `Fail < Unknown < Pass`, so that Kleene "and" is the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Does not hold.
    Fail,
    /// Missing data leave it open.
    Unknown,
    /// Holds.
    Pass,
}

impl Verdict {
    /// The verdict of a reported fact (`None`: not reported).
    #[inline]
    pub fn of(fact: Option<bool>) -> Verdict {
        match fact {
            Some(true) => Verdict::Pass,
            Some(false) => Verdict::Fail,
            None => Verdict::Unknown,
        }
    }

    /// Kleene "and".
    #[inline]
    pub fn and(self, other: Verdict) -> Verdict {
        self.min(other)
    }

    /// The word the engine uses (`pass`, `fail`, `unknown`).
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Fail => "fail",
            Verdict::Unknown => "unknown",
            Verdict::Pass => "pass",
        }
    }
}

impl std::ops::Not for Verdict {
    type Output = Verdict;

    /// Kleene "not": unknown stays unknown.
    #[inline]
    fn not(self) -> Verdict {
        match self {
            Verdict::Fail => Verdict::Pass,
            Verdict::Unknown => Verdict::Unknown,
            Verdict::Pass => Verdict::Fail,
        }
    }
}

/// The tiers, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// 标准型
    Standard,
    /// 示范型
    Demonstration,
}

impl Tier {
    /// The tier's name in the standard.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Standard => "标准型",
            Tier::Demonstration => "示范型",
        }
    }
}

/// The standard's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// `一定量标准型社会组织` (default 1).
    pub standard_orgs: u64,
    /// `一定量示范型社会组织` (default 1).
    pub demonstration_orgs: u64,
    /// Whether each, in the order above, was given a value that cannot be used: such a value
    /// counts as missing (never as the default), and the conditions reading it are unknown.
    pub unusable: [bool; 2],
}

impl Default for Params {
    fn default() -> Self {
        Params {
            standard_orgs: 1,
            demonstration_orgs: 1,
            unusable: [false; 2],
        }
    }
}

impl Params {
    /// `一定量标准型社会组织`, `None` when its value cannot be used.
    pub fn standard(&self) -> Option<u64> {
        (!self.unusable[0]).then_some(self.standard_orgs)
    }

    /// `一定量示范型社会组织`, `None` when its value cannot be used.
    pub fn demonstration(&self) -> Option<u64> {
        (!self.unusable[1]).then_some(self.demonstration_orgs)
    }
}

/// One unit, as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit<'a> {
    /// Its id, unique in the forest.
    pub id: Cow<'a, str>,
    /// Its kind.
    pub kind: Kind,
    /// Its parent, an index into [`Forest::units`] (`None` for a root, and for a unit whose
    /// parent does not exist, is on a loop of parent links or cannot contain it).
    pub parent: Option<u32>,
    /// Points of each scored part, in the order of [`Kind::parts`]; `None` when not reported
    /// (or not a number within `0..=max`). Slots beyond the kind's parts are `None`.
    pub scores: [Option<Decimal>; MAX_PARTS],
    /// `一票否决`: the unit has a veto matter.
    pub veto: Option<bool>,
    /// `社会组织有效融入` (社区 only).
    pub effective: Option<bool>,
    /// `社会组织充分融入` (社区 only).
    pub full: Option<bool>,
}

/// A loaded facts file: the units in input order, an evaluation order and the parameter values
/// the file gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Forest<'a> {
    /// The units, in input order (units that could not be loaded are left out, as the engine
    /// leaves them out).
    pub units: Vec<Unit<'a>>,
    /// Unit indices, every unit after all its descendants ([`Forest::from_json`] and
    /// [`Forest::from_value`] fill it in; [`evaluate_forest`] evaluates the units in this order).
    pub order: Vec<u32>,
    /// Parameter values: the standard's defaults overridden by the file's `params`.
    pub params: Params,
}

/// The result for one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitResult<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its kind.
    pub kind: Kind,
    /// Its score, `None` when a part is missing.
    pub score: Option<Decimal>,
    /// Verdict of 标准型.
    pub standard: Verdict,
    /// Verdict of 示范型.
    pub demonstration: Verdict,
    /// The highest tier passed.
    pub tier: Option<Tier>,
}

impl UnitResult<'_> {
    /// The verdict of `tier`.
    pub fn verdict(&self, tier: Tier) -> Verdict {
        match tier {
            Tier::Standard => self.standard,
            Tier::Demonstration => self.demonstration,
        }
    }
}
