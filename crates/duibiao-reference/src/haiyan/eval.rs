//! Evaluating a forest in one bottom-up pass: each unit's score and its verdicts at 标准型 and
//! 示范型 (三、建设要求), from its own facts and the tallies of its sub-units.

use super::{Forest, Kind, Params, Tier, Unit, UnitResult, Verdict, KINDS};
use rust_decimal::Decimal;
use std::borrow::Cow;

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

/// `score >= threshold` for a score known to lie in `least ..= most`: decided when both ends
/// give the same answer.
#[inline]
fn at_least((least, most): (Decimal, Decimal), threshold: Decimal) -> Verdict {
    if least >= threshold {
        Verdict::Pass
    } else if most < threshold {
        Verdict::Fail
    } else {
        Verdict::Unknown
    }
}

/// The least and greatest score: the sum of the kind's reported parts, with every part not
/// reported at 0 and at its full points. (A part's points are at most its full points; the sums
/// of a hundred points never overflow.)
#[inline]
fn score_range(unit: &Unit<'_>) -> (Decimal, Decimal) {
    let parts = unit.kind.parts();
    let (mut least, mut most) = (Decimal::ZERO, Decimal::ZERO);
    for ((_, full), p) in parts.iter().zip(&unit.scores) {
        match p {
            Some(p) => {
                least += *p;
                most += *p;
            }
            None => most += Decimal::from(*full),
        }
    }
    (least, most)
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
        let range = score_range(unit);
        let not_vetoed = !Verdict::of(unit.veto);
        let (standard, demonstration) = match unit.kind {
            // 三、建设要求 小区、商务楼宇、商圈、社会组织: 标准型 得分75分以上; 示范型 在达到标准型
            // 基础上, 得分90分以上, 无相关“一票否决”事项.
            Kind::Xiaoqu | Kind::Louyu | Kind::Shangquan | Kind::Shehuizuzhi => {
                let standard = at_least(range, SEVENTY_FIVE);
                let demonstration = standard.and(at_least(range, NINETY)).and(not_vetoed);
                (standard, demonstration)
            }
            // 三、建设要求 社区层面.
            Kind::Shequ => {
                let xiaoqu = &tallies[Kind::Xiaoqu as usize];
                let standard = at_least(range, SEVENTY_FIVE)
                    .and(xiaoqu.all(Tier::Standard))
                    .and(Verdict::of(unit.effective));
                let demonstration = standard
                    .and(at_least(range, NINETY))
                    .and(xiaoqu.share_at_least(Tier::Demonstration, THIRTY_PERCENT))
                    .and(Verdict::of(unit.full))
                    .and(not_vetoed);
                (standard, demonstration)
            }
            // 三、建设要求 街道层面.
            Kind::Jiedao => {
                let built = Tally::pooled(&tallies, &BUILT);
                let orgs = &tallies[Kind::Shehuizuzhi as usize];
                let standard = at_least(range, SEVENTY_FIVE)
                    .and(built.all(Tier::Standard))
                    .and(orgs.count_at_least(Tier::Standard, params.standard()));
                let demonstration = standard
                    .and(at_least(range, NINETY))
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
