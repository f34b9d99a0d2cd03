//! Synthetic forests of units for any compiled standard: reproducible facts files of any size, for
//! load tests, benchmarks and property tests.
//!
//! [`write_forest`] streams a facts file unit by unit (parents before their children), so sizes in
//! the millions never hold more than one unit in memory; [`forest`] returns the same file as a
//! JSON value, for small sizes. The output depends only on the standard, the number of units, the
//! seed and the [`Shape`]: the same on every machine and every run. It is also prefix-stable: the
//! first `n` units of a larger forest are the forest of `n` units.
//!
//! How a forest is drawn:
//!
//! - **Shape.** Roots are the kinds no other kind contains, taken in turn. Each unit has, for each
//!   kind it contains, a number of children drawn from that kind's range ([`Shape::fanout`], or
//!   the default: 社区 and 村 8–15, 小区 3–8; a kind that is the first a single kind contains
//!   5–10; any other 0–3; records (`records`), which a file lists on their owner, none). Units are
//!   written depth first until exactly the number asked for; the last tree is cut short there.
//! - **Quality.** Every unit has a hidden quality, close to its parent's, so that strong streets
//!   have strong communities (as in real assessments, where the tier of a street depends on all
//!   its sub-units). A tree's quality is drawn in 0.66–1.00, skewed high; each level below
//!   strays by at most ±0.03 from its parent's, and each unit's own quality by at most ±0.07 from
//!   that (a root's own quality is halfway between its tree's and a fresh draw, so a street with
//!   strong communities may itself score 80 or 95).
//! - **Scores.** Each scored part gets points in halves within `0..=max`: the unit's quality plus
//!   noise (±0.15) times the part's points, so unit scores mostly fall between 70 and 98 (median
//!   about 87), around the usual 75 / 90 thresholds.
//! - **Facts.** Bools hold with a probability near the quality (mostly true); bools a rule negates
//!   (`not 发生违纪案件`) mostly false; bools that only decide whether a rule applies (`when`,
//!   `if`) true three times in ten; veto facts (named …否决…, or read by a veto) true at
//!   [`Shape::veto`] percent. A number compared with a constant or parameter in the standard
//!   (`户数 >= 社区规模下限`), or with something computed from other facts (`中心面积 >=
//!   每百户中心面积 * 户数 / 100`, estimated from their typical values), is drawn around it, on
//!   the passing side with a probability near the quality; other numbers around typical values
//!   for their unit (counts 1–12, areas 60–800 m², money 2万–30万元, hours 16–80, days 1–120,
//!   percentages 60–100%, points 0–100 with the quality). Dates fall within the effective period
//!   up to `as_of` (a unit's later dates within 180 days of its first); levels of an
//!   enumeration are uniform.
//! - **Missing values.** Each tree (a root and its descendants) is either completely reported
//!   (two in three) or misses each value with probability three times [`Shape::missing`]
//!   percent, so the overall share of missing values is `missing` percent while complete trees
//!   can still reach the tiers that need all their sub-units known. Missing values are left out
//!   of the file.
//! - **Parameters and date.** Every parameter the standard leaves open is supplied in `params`
//!   with a plausible value (counts 3, money 10万元, percentages 80% …). `as_of` is
//!   [`Shape::as_of`] if given, else the end of the effective period, else the latest date the
//!   standard names (due dates, dated parameters, quota columns), else today.

mod facts;
mod plan;
mod stream;

use chrono::NaiveDate;
use duibiao_compiler::graph::{Graph, KindId};
use std::collections::BTreeMap;

pub use stream::{forest, write_forest};

/// How a forest is shaped: children per parent, missing values, vetoes, evaluation date.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Children per parent, by the child kind's name: the least and the most (both included).
    /// Kinds not listed take the default (see the module documentation).
    pub fanout: BTreeMap<String, (u32, u32)>,
    /// Percentage of values (scores and facts) left out, `0..=100`.
    pub missing: f64,
    /// Percentage of veto facts set true, `0..=100`.
    pub veto: f64,
    /// The facts file's `as_of`; `None` derives it from the standard.
    pub as_of: Option<NaiveDate>,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            fanout: BTreeMap::new(),
            missing: 2.0,
            veto: 3.0,
            as_of: None,
        }
    }
}

/// Why a shape does not fit a standard, or could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShapeError {
    /// Not of the form `KIND=MIN-MAX`.
    #[error("expected `KIND=MIN-MAX` (e.g. `社区=3-8`), found `{0}`")]
    Syntax(String),
    /// A range whose least is above its most.
    #[error("`{0}`: the least number of children is above the most")]
    Reversed(String),
    /// A kind the standard does not declare.
    #[error(
        "unknown kind `{kind}`; the standard's kinds are {}",
        quoted(known, ", ")
    )]
    UnknownKind {
        /// The name given.
        kind: String,
        /// The standard's kinds.
        known: Vec<String>,
    },
    /// A kind no kind contains: its units are roots, repeated until the forest is complete.
    #[error("`{0}` is not contained by any kind: its units are the roots, repeated until the forest has as many units as asked")]
    Root(String),
    /// A percentage outside `0..=100`.
    #[error("`{what}` must be a percentage from 0 to 100, found {value}")]
    Percent {
        /// `missing` or `veto`.
        what: &'static str,
        /// The value given.
        value: f64,
    },
}

/// Names in backquotes, joined with `sep`.
fn quoted(names: &[String], sep: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(sep)
}

impl ShapeError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            ShapeError::Syntax(s) => {
                format!("应写成 `类型=最少-最多`（如 `社区=3-8`），实际为 `{s}`")
            }
            ShapeError::Reversed(s) => format!("`{s}`：下级单位的最少数目大于最多数目"),
            ShapeError::UnknownKind { kind, known } => {
                format!(
                    "未知单位类型 `{kind}`，标准中的类型为 {}",
                    quoted(known, "、")
                )
            }
            ShapeError::Root(k) => {
                format!("`{k}` 不被任何类型包含：它的单位是最高一级，会重复生成直到单位数达到要求")
            }
            ShapeError::Percent { what, value } => {
                format!("`{what}` 应为 0 到 100 之间的百分数，实际为 {value}")
            }
        }
    }
}

impl Shape {
    /// Reads fan-out ranges written `社区=3-8,小区=0-5` (also `小区=4` for exactly four; `..`
    /// for `-`; full-width commas), as the command line takes them.
    pub fn parse_fanout(spec: &str) -> Result<Vec<(String, u32, u32)>, ShapeError> {
        let mut out = Vec::new();
        for entry in spec.split([',', '，']).map(str::trim) {
            if entry.is_empty() {
                continue;
            }
            let syntax = || ShapeError::Syntax(entry.to_string());
            let (kind, range) = entry
                .split_once('=')
                .or_else(|| entry.split_once('＝'))
                .ok_or_else(syntax)?;
            let (kind, range) = (kind.trim(), range.trim());
            if kind.is_empty() {
                return Err(syntax());
            }
            let (lo, hi) = match range.split_once("..").or_else(|| range.split_once('-')) {
                Some((a, b)) => (a.trim(), b.trim()),
                None => (range, range),
            };
            let lo: u32 = lo.parse().map_err(|_| syntax())?;
            let hi: u32 = hi.parse().map_err(|_| syntax())?;
            if lo > hi {
                return Err(ShapeError::Reversed(entry.to_string()));
            }
            out.push((kind.to_string(), lo, hi));
        }
        Ok(out)
    }

    /// Checks the shape against a standard: every kind named exists and is contained by some
    /// kind, and the percentages are within `0..=100`.
    pub fn check(&self, standard: &crate::Standard) -> Result<(), ShapeError> {
        let graph = standard.graph();
        for (what, value) in [("missing", self.missing), ("veto", self.veto)] {
            if !(0.0..=100.0).contains(&value) {
                return Err(ShapeError::Percent { what, value });
            }
        }
        for kind in self.fanout.keys() {
            let Some(k) = graph.kinds.iter().position(|g| &g.name == kind) else {
                return Err(ShapeError::UnknownKind {
                    kind: kind.clone(),
                    known: graph.kinds.iter().map(|g| g.name.clone()).collect(),
                });
            };
            if parents(graph, k as KindId).is_empty() {
                return Err(ShapeError::Root(kind.clone()));
            }
        }
        Ok(())
    }

    /// The range of children per parent of every kind (by position in the graph's kinds), with
    /// the defaults filled in. Roots have `(0, 0)`.
    pub fn fanouts(&self, standard: &crate::Standard) -> Vec<(u32, u32)> {
        self.fanouts_in(standard.graph())
    }

    fn fanouts_in(&self, graph: &Graph) -> Vec<(u32, u32)> {
        (0..graph.kinds.len())
            .map(|k| {
                let kg = &graph.kinds[k];
                let ps = parents(graph, k as KindId);
                // Records are lists on their owners, not units of the file: none are drawn.
                if ps.is_empty() || kg.is_record() {
                    return (0, 0);
                }
                if let Some(r) = self.fanout.get(&kg.name) {
                    return *r;
                }
                match kg.name.as_str() {
                    "社区" | "村" => (8, 15),
                    "小区" => (3, 8),
                    _ => {
                        let main = ps.len() == 1
                            && graph.kinds[ps[0] as usize].children.first() == Some(&(k as KindId));
                        if main {
                            (5, 10)
                        } else {
                            (0, 3)
                        }
                    }
                }
            })
            .collect()
    }
}

/// The kinds that directly contain `kind`.
fn parents(graph: &Graph, kind: KindId) -> Vec<KindId> {
    graph
        .kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| k.children.contains(&kind))
        .map(|(i, _)| i as KindId)
        .collect()
}

/// A small deterministic generator (SplitMix64): one `u64` seed describes a whole forest, the
/// same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// True `percent` times in 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A number in `0.0..1.0`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    fn hit(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.saturating_add_unsigned(self.below(span))
    }
}
