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
//! listed. A score is the sum of the kind's scored parts, unknown when any part is missing.
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

mod parse;

pub use parse::{parse, ParseError};

use rust_decimal::Decimal;
use std::borrow::Cow;

/// The kinds of unit, in the standard's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// 街道
    Jiedao = 0,
    /// 社区
    Shequ = 1,
    /// 小区
    Xiaoqu = 2,
    /// 商务楼宇
    Louyu = 3,
    /// 商圈
    Shangquan = 4,
    /// 社会组织
    Shehuizuzhi = 5,
}

/// How many kinds there are.
pub const KINDS: usize = 6;

/// The most scored parts any kind has.
pub const MAX_PARTS: usize = 11;

/// 附件2 一、街道层面: the score keys and their points.
const JIEDAO_PARTS: &[(&str, u32)] = &[
    ("1.1", 10),
    ("1.2", 10),
    ("2.1", 5),
    ("2.2", 15),
    ("3.1", 10),
    ("3.2", 5),
    ("4.1", 10),
    ("4.2", 10),
    ("4.3", 5),
    ("5.1", 10),
    ("5.2", 10),
];
/// 附件2 二、社区层面.
const SHEQU_PARTS: &[(&str, u32)] = &[
    ("6.1", 10),
    ("6.2", 10),
    ("7.1", 10),
    ("7.2", 10),
    ("8.1", 10),
    ("8.2", 10),
    ("9.1", 5),
    ("9.2", 10),
    ("10.1", 5),
    ("10.2", 10),
    ("10.3", 10),
];
/// 附件2 三、小区层面 (item 14 is scored as a whole).
const XIAOQU_PARTS: &[(&str, u32)] = &[
    ("11.1", 10),
    ("11.2", 10),
    ("12.1", 10),
    ("12.2", 10),
    ("13.1", 5),
    ("13.2", 5),
    ("13.3", 10),
    ("14", 20),
    ("15.1", 10),
    ("15.2", 10),
];
/// 附件2 四、商务楼宇层面 (item 19 is scored as a whole).
const LOUYU_PARTS: &[(&str, u32)] = &[
    ("16.1", 15),
    ("16.2", 5),
    ("17.1", 10),
    ("17.2", 10),
    ("18.1", 10),
    ("18.2", 10),
    ("19", 20),
    ("20.1", 10),
    ("20.2", 5),
    ("20.3", 5),
];
/// 附件2 五、商圈层面 (item 24 is scored as a whole).
const SHANGQUAN_PARTS: &[(&str, u32)] = &[
    ("21.1", 5),
    ("21.2", 10),
    ("21.3", 5),
    ("22.1", 10),
    ("22.2", 5),
    ("22.3", 10),
    ("23.1", 10),
    ("23.2", 10),
    ("24", 15),
    ("25.1", 10),
    ("25.2", 10),
];
/// 附件2 六、社会组织层面.
const SHEHUIZUZHI_PARTS: &[(&str, u32)] = &[
    ("26.1", 10),
    ("26.2", 10),
    ("26.3", 10),
    ("27.1", 10),
    ("27.2", 10),
    ("27.3", 10),
    ("27.4", 10),
    ("28.1", 10),
    ("28.2", 10),
    ("28.3", 10),
];

impl Kind {
    /// Every kind, in the standard's order.
    pub const ALL: [Kind; KINDS] = [
        Kind::Jiedao,
        Kind::Shequ,
        Kind::Xiaoqu,
        Kind::Louyu,
        Kind::Shangquan,
        Kind::Shehuizuzhi,
    ];

    /// The kind's name in the standard.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jiedao => "街道",
            Kind::Shequ => "社区",
            Kind::Xiaoqu => "小区",
            Kind::Louyu => "商务楼宇",
            Kind::Shangquan => "商圈",
            Kind::Shehuizuzhi => "社会组织",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "街道" => Kind::Jiedao,
            "社区" => Kind::Shequ,
            "小区" => Kind::Xiaoqu,
            "商务楼宇" => Kind::Louyu,
            "商圈" => Kind::Shangquan,
            "社会组织" => Kind::Shehuizuzhi,
            _ => return None,
        })
    }

    /// The scored parts of the kind's scorecard: key and points, in order.
    pub fn parts(self) -> &'static [(&'static str, u32)] {
        match self {
            Kind::Jiedao => JIEDAO_PARTS,
            Kind::Shequ => SHEQU_PARTS,
            Kind::Xiaoqu => XIAOQU_PARTS,
            Kind::Louyu => LOUYU_PARTS,
            Kind::Shangquan => SHANGQUAN_PARTS,
            Kind::Shehuizuzhi => SHEHUIZUZHI_PARTS,
        }
    }

    /// Whether a unit of this kind may be the parent of a unit of kind `child`
    /// (`kind 街道 contains 社区, 商务楼宇, 商圈, 社会组织`, `kind 社区 contains 小区`).
    pub fn contains(self, child: Kind) -> bool {
        matches!(
            (self, child),
            (
                Kind::Jiedao,
                Kind::Shequ | Kind::Louyu | Kind::Shangquan | Kind::Shehuizuzhi
            ) | (Kind::Shequ, Kind::Xiaoqu)
        )
    }

    /// The height of the kind in the containment hierarchy: a parent is always higher than its
    /// children, so evaluating by increasing height is bottom-up.
    fn height(self) -> usize {
        match self {
            Kind::Jiedao => 2,
            Kind::Shequ => 1,
            Kind::Xiaoqu | Kind::Louyu | Kind::Shangquan | Kind::Shehuizuzhi => 0,
        }
    }
}

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

/// Parses and evaluates a facts file given as JSON, with the file's parameter values. A value
/// that is not a facts file gives no units, as the engine loads none from it.
pub fn evaluate(facts: &serde_json::Value) -> Vec<UnitResult<'_>> {
    let forest = Forest::from_value(facts);
    // Loading from a `Value` borrows every id from it (`Forest::from_value`).
    run(&forest, &forest.params, |u| match &u.id {
        Cow::Borrowed(id) => *id,
        Cow::Owned(_) => "",
    })
}

/// How the sub-units of one kind below a unit stand: how many there are, and how many pass or
/// are unknown at each tier.
///
/// Public so that peers (`peers/zen`) pass the same sub-unit aggregates up the forest as
/// [`evaluate_forest`] does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Sub-units.
    pub n: u32,
    /// Of which 标准型 passes.
    pub standard_pass: u32,
    /// Of which 标准型 is unknown.
    pub standard_unknown: u32,
    /// Of which 示范型 passes.
    pub demonstration_pass: u32,
    /// Of which 示范型 is unknown.
    pub demonstration_unknown: u32,
}

impl Tally {
    /// Adds the sub-units of `o`.
    #[inline]
    pub fn add(&mut self, o: &Tally) {
        self.n += o.n;
        self.standard_pass += o.standard_pass;
        self.standard_unknown += o.standard_unknown;
        self.demonstration_pass += o.demonstration_pass;
        self.demonstration_unknown += o.demonstration_unknown;
    }

    /// Adds one sub-unit with these verdicts.
    #[inline]
    pub fn count(&mut self, standard: Verdict, demonstration: Verdict) {
        self.n += 1;
        self.standard_pass += u32::from(standard == Verdict::Pass);
        self.standard_unknown += u32::from(standard == Verdict::Unknown);
        self.demonstration_pass += u32::from(demonstration == Verdict::Pass);
        self.demonstration_unknown += u32::from(demonstration == Verdict::Unknown);
    }

    /// `(pass, unknown)` at `tier`.
    #[inline]
    fn at(&self, tier: Tier) -> (u32, u32) {
        match tier {
            Tier::Standard => (self.standard_pass, self.standard_unknown),
            Tier::Demonstration => (self.demonstration_pass, self.demonstration_unknown),
        }
    }

    /// Pooled over several kinds.
    #[inline]
    fn pooled(tallies: &[Tally; KINDS], kinds: &[Kind]) -> Tally {
        let mut t = Tally::default();
        for &k in kinds {
            t.add(&tallies[k as usize]);
        }
        t
    }

    /// `all … at tier`: false when one fails, else unknown when one is unknown; true over none.
    #[inline]
    fn all(&self, tier: Tier) -> Verdict {
        let (pass, unknown) = self.at(tier);
        if pass + unknown < self.n {
            Verdict::Fail
        } else if unknown > 0 {
            Verdict::Unknown
        } else {
            Verdict::Pass
        }
    }

    /// `count … at tier >= least`, decided by the range `pass ..= pass + unknown`; unknown when
    /// `least` is (`None`).
    #[inline]
    fn count_at_least(&self, tier: Tier, least: Option<u64>) -> Verdict {
        let Some(least) = least else {
            return Verdict::Unknown;
        };
        let (pass, unknown) = self.at(tier);
        if u64::from(pass) >= least {
            Verdict::Pass
        } else if u64::from(pass) + u64::from(unknown) < least {
            Verdict::Fail
        } else {
            Verdict::Unknown
        }
    }

    /// `share … at tier >= percent%`: unknown over none; else decided by the range
    /// `pass / n ..= (pass + unknown) / n`. Compared exactly, in integers.
    #[inline]
    fn share_at_least(&self, tier: Tier, percent: u64) -> Verdict {
        if self.n == 0 {
            return Verdict::Unknown;
        }
        let (pass, unknown) = self.at(tier);
        let need = percent * u64::from(self.n);
        if u64::from(pass) * 100 >= need {
            Verdict::Pass
        } else if (u64::from(pass) + u64::from(unknown)) * 100 < need {
            Verdict::Fail
        } else {
            Verdict::Unknown
        }
    }
}

/// `score >= threshold`; unknown when the score is.
#[inline]
fn at_least(score: Option<Decimal>, threshold: Decimal) -> Verdict {
    match score {
        Some(s) if s >= threshold => Verdict::Pass,
        Some(_) => Verdict::Fail,
        None => Verdict::Unknown,
    }
}

/// The sum of the kind's parts; `None` when one is missing.
#[inline]
fn score(unit: &Unit<'_>) -> Option<Decimal> {
    let n = unit.kind.parts().len();
    let mut total = Decimal::ZERO;
    for p in &unit.scores[..n] {
        total = total.checked_add((*p)?)?;
    }
    Some(total.normalize())
}

/// 得分75分以上
const SEVENTY_FIVE: Decimal = Decimal::from_parts(75, 0, 0, false, 0);
/// 得分90分以上
const NINETY: Decimal = Decimal::from_parts(90, 0, 0, false, 0);
/// 完成示范型建设不少于30%
const THIRTY_PERCENT: u64 = 30;
/// 所辖社区、小区、楼宇和商圈
const BUILT: [Kind; 4] = [Kind::Shequ, Kind::Xiaoqu, Kind::Louyu, Kind::Shangquan];

/// Evaluates every unit of `forest` with parameter values `params`: one pass, every unit after
/// its descendants. Results are in the forest's (input) order.
pub fn evaluate_forest<'a>(forest: &'a Forest<'_>, params: &Params) -> Vec<UnitResult<'a>> {
    run(forest, params, |u| &u.id)
}

/// [`evaluate_forest`], with the ids given by `id`.
fn run<'f, 'a, 'r>(
    forest: &'f Forest<'a>,
    params: &Params,
    id: impl Fn(&'f Unit<'a>) -> &'r str,
) -> Vec<UnitResult<'r>> {
    let units = &forest.units;
    let mut results: Vec<UnitResult<'r>> = units
        .iter()
        .map(|u| UnitResult {
            id: id(u),
            kind: u.kind,
            score: None,
            standard: Verdict::Unknown,
            demonstration: Verdict::Unknown,
            tier: None,
        })
        .collect();
    // The sub-units below each unit, per kind, filled in as the sub-units are evaluated.
    let mut below: Vec<[Tally; KINDS]> = vec![[Tally::default(); KINDS]; units.len()];
    for &i in &forest.order {
        let i = i as usize;
        let (Some(unit), Some(tallies)) = (units.get(i), below.get(i)) else {
            continue;
        };
        let tallies = *tallies;
        let score = score(unit);
        let not_vetoed = !Verdict::of(unit.veto);
        let (standard, demonstration) = match unit.kind {
            // 三、建设要求 小区、商务楼宇、商圈、社会组织: 标准型 得分75分以上; 示范型 在达到标准型
            // 基础上, 得分90分以上, 无相关“一票否决”事项.
            Kind::Xiaoqu | Kind::Louyu | Kind::Shangquan | Kind::Shehuizuzhi => {
                let standard = at_least(score, SEVENTY_FIVE);
                let demonstration = standard.and(at_least(score, NINETY)).and(not_vetoed);
                (standard, demonstration)
            }
            // 三、建设要求 社区层面.
            Kind::Shequ => {
                let xiaoqu = &tallies[Kind::Xiaoqu as usize];
                let standard = at_least(score, SEVENTY_FIVE)
                    .and(xiaoqu.all(Tier::Standard))
                    .and(Verdict::of(unit.effective));
                let demonstration = standard
                    .and(at_least(score, NINETY))
                    .and(xiaoqu.share_at_least(Tier::Demonstration, THIRTY_PERCENT))
                    .and(Verdict::of(unit.full))
                    .and(not_vetoed);
                (standard, demonstration)
            }
            // 三、建设要求 街道层面.
            Kind::Jiedao => {
                let built = Tally::pooled(&tallies, &BUILT);
                let orgs = &tallies[Kind::Shehuizuzhi as usize];
                let standard = at_least(score, SEVENTY_FIVE)
                    .and(built.all(Tier::Standard))
                    .and(orgs.count_at_least(Tier::Standard, params.standard()));
                let demonstration = standard
                    .and(at_least(score, NINETY))
                    .and(built.share_at_least(Tier::Demonstration, THIRTY_PERCENT))
                    .and(orgs.count_at_least(Tier::Demonstration, params.demonstration()))
                    .and(not_vetoed);
                (standard, demonstration)
            }
        };
        if let Some(r) = results.get_mut(i) {
            r.score = score;
            r.standard = standard;
            r.demonstration = demonstration;
            r.tier = if demonstration == Verdict::Pass {
                Some(Tier::Demonstration)
            } else if standard == Verdict::Pass {
                Some(Tier::Standard)
            } else {
                None
            };
        }
        // Pass the unit and everything below it up to the parent.
        if let Some(p) = unit.parent.and_then(|p| below.get_mut(p as usize)) {
            for (mine, theirs) in p.iter_mut().zip(tallies.iter()) {
                mine.add(theirs);
            }
            p[unit.kind as usize].count(standard, demonstration);
        }
    }
    results
}

impl<'a> Forest<'a> {
    /// The forest of a facts file (JSON text). Fails only when the text is not JSON.
    pub fn from_json(json: &'a str) -> Result<Forest<'a>, ParseError> {
        parse(json)
    }

    /// The forest of a facts file already parsed as JSON. A value that is not a facts file
    /// gives an empty forest.
    pub fn from_value(value: &'a serde_json::Value) -> Forest<'a> {
        parse::from_value(value)
    }

    /// Drops units whose id was used before, links parents, drops the links the engine drops
    /// (a parent that does not exist, a loop of parent links, a parent that cannot contain the
    /// unit) and orders the units bottom-up. `parents[i]` is the parent id unit `i` gives.
    fn link(
        mut units: Vec<Unit<'a>>,
        mut parents: Vec<Option<Cow<'a, str>>>,
        params: Params,
    ) -> Self {
        use std::collections::hash_map::{Entry, HashMap};
        let mut index: HashMap<&str, u32> = HashMap::with_capacity(units.len());
        let mut first = vec![true; units.len()];
        let mut duplicates = false;
        for (i, u) in units.iter().enumerate() {
            match index.entry(&u.id) {
                Entry::Vacant(e) => {
                    e.insert(i as u32);
                }
                Entry::Occupied(_) => {
                    first[i] = false;
                    duplicates = true;
                }
            }
        }
        if duplicates {
            drop(index);
            let mut keep = first.iter().copied();
            units.retain(|_| keep.next().unwrap_or(false));
            let mut keep = first.iter().copied();
            parents.retain(|_| keep.next().unwrap_or(false));
            index = units
                .iter()
                .enumerate()
                .map(|(i, u)| (&*u.id, i as u32))
                .collect();
        }
        let n = units.len();
        let mut links: Vec<Option<u32>> = parents
            .iter()
            .map(|p| p.as_deref().and_then(|p| index.get(p).copied()))
            .collect();
        drop(index);
        // Loops: every unit on one is evaluated on its own (as the engine does, before checking
        // containment).
        let mut state = vec![0u8; n]; // 0 unseen, 1 on the current walk, 2 finished
        let mut walk: Vec<u32> = Vec::new();
        for start in 0..n {
            walk.clear();
            let mut cur = Some(start as u32);
            while let Some(c) = cur {
                match state[c as usize] {
                    0 => {
                        state[c as usize] = 1;
                        walk.push(c);
                        cur = links[c as usize];
                    }
                    1 => {
                        let from = walk.iter().position(|&w| w == c).unwrap_or(0);
                        for &u in &walk[from..] {
                            links[u as usize] = None;
                        }
                        break;
                    }
                    _ => break,
                }
            }
            for &w in &walk {
                state[w as usize] = 2;
            }
        }
        // Containment.
        for i in 0..n {
            let parent = links[i].filter(|&p| units[p as usize].kind.contains(units[i].kind));
            units[i].parent = parent;
        }
        // Bottom-up: by increasing height (a parent is always higher than its children).
        let mut order = Vec::with_capacity(n);
        for height in 0..3 {
            order.extend((0..n as u32).filter(|&i| units[i as usize].kind.height() == height));
        }
        Forest {
            units,
            order,
            params,
        }
    }
}
