//! Guide distributions reported: for each guide of the standard (`guide 支部 五星: about 10%
//! among all`) and each group of peers, the rated peers, how many units the guide's share of
//! them comes to, and how many end at the tier. Counted over an evaluation once every unit is
//! evaluated; no verdict reads them, so a guide changes no outcome.
//!
//! The document gives no tolerance for "about" (约、左右), so neither is there a verdict: the
//! numbers are reported with the difference, actual minus expected, in units. With some tiers or
//! ratings unknown, each number is the range it can take.

mod text;

pub use text::guide_text;

use crate::eval::{and, Evaluation};
use crate::outcome::{percent, Bounds};
use crate::tree::UnitTree;
use duibiao_compiler::graph::{Graph, Guide, KindGraph};
use duibiao_compiler::value::percent_text;
use duibiao_compiler::Value;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One guide of the standard, with its numbers for every group of peers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct GuideReport {
    /// The kind of the units counted.
    pub kind: String,
    /// The tier guided.
    pub tier: String,
    /// Whether the units below the tier (no tier included) count too (`or_below` / `及以下`).
    pub or_below: bool,
    /// About what share of the rated peers (`10%`).
    pub share: String,
    /// Who the peers are: `all`, `siblings`, or the kind within which units are peers.
    pub among: String,
    /// The description (the document's words).
    pub text: Option<String>,
    /// The clause citation.
    pub clause: Option<String>,
    /// One entry per group of peers, in the order their first unit comes in the facts.
    pub groups: Vec<GuideGroup>,
}

/// A guide's numbers for one group of peers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct GuideGroup {
    /// The id of the unit the peers share (their parent, or their ancestor of the kind after
    /// `among`); null for all units, and for peers without one.
    pub within: Option<String>,
    /// That unit's name.
    pub within_name: Option<String>,
    /// How many peers are known to be rated (units not rated, `unrated`, are not counted).
    pub peers: usize,
    /// How many more may be: peers whose rating is unknown.
    pub peers_unknown: usize,
    /// The share times the rated peers, exact (null when the peers are a range).
    pub expected: Option<String>,
    /// The range of `expected` when it is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_bounds: Option<Bounds>,
    /// How many rated peers are known to end at the tier (or below it, with `or_below`).
    pub actual: usize,
    /// How many more may: peers whose tier (or rating) is unknown.
    pub actual_unknown: usize,
    /// `actual` as a share of the rated peers (`15%`); null when unknowns leave it a range, or
    /// there are no rated peers.
    pub actual_share: Option<String>,
    /// The range of `actual_share` when it is null and there are rated peers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_share_bounds: Option<Bounds>,
    /// `actual` minus `expected`, in units (`1`, `-0.5`); null when unknowns leave it a range.
    pub difference: Option<String>,
    /// The range of `difference` when it is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difference_bounds: Option<Bounds>,
}

/// Every guide of the standard, kind by kind, with its numbers over the units of `tree` as
/// evaluated in `eval`.
pub fn guides(graph: &Graph, tree: &UnitTree, eval: &Evaluation) -> Vec<GuideReport> {
    let mut out = Vec::new();
    for (k, kg) in graph.kinds.iter().enumerate() {
        if kg.guides.is_empty() {
            continue;
        }
        let units: Vec<usize> = (0..tree.units.len())
            .filter(|&u| tree.units[u].kind as usize == k)
            .collect();
        for g in &kg.guides {
            out.push(report(graph, kg, g, tree, eval, &units));
        }
    }
    out
}

/// What one unit can add to a group's count: whether it may be not rated, rated and not at the
/// tier, or rated and at it.
#[derive(Debug, Clone, Copy)]
struct Possible {
    unrated: bool,
    out: bool,
    at: bool,
}

impl Possible {
    fn of(rated: Value, at: Value) -> Self {
        let may_be_rated = rated != Value::Bool(false);
        Possible {
            unrated: rated != Value::Bool(true),
            out: may_be_rated && at != Value::Bool(true),
            at: may_be_rated && at != Value::Bool(false),
        }
    }

    /// The (peers, at the tier) this unit adds when it takes the lowest share it can (rated and
    /// not at the tier, else not rated, else at the tier), or the highest (the other way round).
    /// The same choices give the least and greatest difference.
    fn extreme(self, highest: bool) -> (u64, u64) {
        let order = if highest {
            [
                (self.at, (1, 1)),
                (self.unrated, (0, 0)),
                (self.out, (1, 0)),
            ]
        } else {
            [
                (self.out, (1, 0)),
                (self.unrated, (0, 0)),
                (self.at, (1, 1)),
            ]
        };
        order
            .into_iter()
            .find_map(|(may, add)| may.then_some(add))
            .unwrap_or((0, 0))
    }
}

fn report(
    graph: &Graph,
    kg: &KindGraph,
    g: &Guide,
    tree: &UnitTree,
    eval: &Evaluation,
    units: &[usize],
) -> GuideReport {
    let mut order: Vec<Option<usize>> = Vec::new();
    let mut members: HashMap<Option<usize>, Vec<Possible>> = HashMap::new();
    for &u in units {
        let key = tree.peer_key(u, g.peers);
        let vals = eval.unit(tree, u);
        let val = |n| vals.get(n);
        let rated = crate::outcome::rated(kg, val);
        let above = kg.tiers.iter().skip(g.tier + 1).map(|t| not(val(t.node)));
        let own = kg.tiers.get(g.tier).map(|t| val(t.node));
        let at = match (g.or_below, own) {
            (true, _) | (_, None) => and(above),
            (false, Some(v)) => and(std::iter::once(v).chain(above)),
        };
        members
            .entry(key)
            .or_insert_with(|| {
                order.push(key);
                Vec::new()
            })
            .push(Possible::of(rated, at));
    }
    let groups = order
        .into_iter()
        .map(|key| {
            let within = key.map(|w| &tree.units[w]);
            let possible = members.get(&key).map_or(&[][..], Vec::as_slice);
            GuideGroup {
                within: within.map(|w| w.id.to_string()),
                within_name: within.and_then(|w| w.name.as_deref().map(str::to_owned)),
                ..count(possible, g.share)
            }
        })
        .collect();
    GuideReport {
        kind: kg.name.clone(),
        tier: kg
            .tiers
            .get(g.tier)
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        or_below: g.or_below,
        share: format!("{}%", percent_text(g.share, None)),
        among: graph.peers_name(g.peers).to_string(),
        text: g.source.doc.clone(),
        clause: g.source.cite.as_ref().map(|c| c.clause.clone()),
        groups,
    }
}

fn not(v: Value) -> Value {
    match v {
        Value::Bool(b) => Value::Bool(!b),
        other => other,
    }
}

/// The numbers of one group of peers (without its `within`).
fn count(possible: &[Possible], share: Decimal) -> GuideGroup {
    let peers = possible.iter().filter(|p| !p.unrated).count();
    let peers_most = possible.iter().filter(|p| p.out || p.at).count();
    let actual = possible
        .iter()
        .filter(|p| p.at && !p.out && !p.unrated)
        .count();
    let actual_most = possible.iter().filter(|p| p.at).count();
    let times = |n: usize| Decimal::from(n as u64) * share;
    let (expected, expected_bounds) = value_or_bounds(times(peers), times(peers_most));
    // The two extreme choices of every unit: the lowest and the highest share.
    let sum = |highest: bool| {
        possible.iter().fold((0u64, 0u64), |(p, a), x| {
            let (dp, da) = x.extreme(highest);
            (p + dp, a + da)
        })
    };
    let (low, high) = (sum(false), sum(true));
    let difference = |(p, a): (u64, u64)| Decimal::from(a) - Decimal::from(p) * share;
    let (difference, difference_bounds) = value_or_bounds(difference(low), difference(high));
    let (actual_share, actual_share_bounds) = shares(possible, low, high);
    GuideGroup {
        within: None,
        within_name: None,
        peers,
        peers_unknown: peers_most - peers,
        expected,
        expected_bounds,
        actual,
        actual_unknown: actual_most - actual,
        actual_share,
        actual_share_bounds,
        difference,
        difference_bounds,
    }
}

/// The share at the tier, or its range: the lowest share comes of the lowest choices `low`, the
/// highest of `high` (as peers and units at the tier). When a choice leaves no rated peer, the
/// share of that extreme is what any rated peer gives it: 100% when one may be at the tier (the
/// lowest), 0% when one may be rated and not at it (the highest).
fn shares(
    possible: &[Possible],
    low: (u64, u64),
    high: (u64, u64),
) -> (Option<String>, Option<Bounds>) {
    let of = |(p, a): (u64, u64)| (p > 0).then(|| percent(a as usize, p as usize));
    let least = of(low).or_else(|| possible.iter().any(|p| p.at).then(|| "100%".to_string()));
    let most = of(high).or_else(|| possible.iter().any(|p| p.out).then(|| "0%".to_string()));
    match (least, most) {
        (Some(l), Some(m)) if l == m => (Some(l), None),
        (Some(least), Some(most)) => (None, Some(Bounds { least, most })),
        _ => (None, None),
    }
}

/// A number when its least and greatest values are equal, else its range.
fn value_or_bounds(least: Decimal, most: Decimal) -> (Option<String>, Option<Bounds>) {
    let show = |d: Decimal| d.normalize().to_string();
    if least == most {
        (Some(show(least)), None)
    } else {
        let bounds = Bounds {
            least: show(least),
            most: show(most),
        };
        (None, Some(bounds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(rated: Value, at: Value) -> Possible {
        Possible::of(rated, at)
    }

    const T: Value = Value::Bool(true);
    const F: Value = Value::Bool(false);
    const U: Value = Value::Unknown;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn known_tiers_give_numbers() {
        // 20 rated branches, 3 at the tier, one not rated: 10% of 20 is 2, one more than that.
        let mut units = vec![p(T, T); 3];
        units.extend(vec![p(T, F); 17]);
        units.push(p(F, F));
        let g = count(&units, dec("0.1"));
        assert_eq!((g.peers, g.peers_unknown), (20, 0));
        assert_eq!((g.actual, g.actual_unknown), (3, 0));
        assert_eq!(g.expected.as_deref(), Some("2"));
        assert_eq!(g.actual_share.as_deref(), Some("15%"));
        assert_eq!(g.difference.as_deref(), Some("1"));
        assert!(g.expected_bounds.is_none() && g.actual_share_bounds.is_none());
    }

    #[test]
    fn unknown_tiers_give_ranges() {
        // 4 rated: 1 at the tier, 1 not, 2 unknown; 30% of 4 is 1.2.
        let units = [p(T, T), p(T, F), p(T, U), p(T, U)];
        let g = count(&units, dec("0.3"));
        assert_eq!((g.peers, g.peers_unknown), (4, 0));
        assert_eq!((g.actual, g.actual_unknown), (1, 2));
        assert_eq!(g.expected.as_deref(), Some("1.2"));
        assert_eq!(g.actual_share, None);
        let b = g.actual_share_bounds.unwrap();
        assert_eq!((b.least.as_str(), b.most.as_str()), ("25%", "75%"));
        assert_eq!(g.difference, None);
        let d = g.difference_bounds.unwrap();
        assert_eq!((d.least.as_str(), d.most.as_str()), ("-0.2", "1.8"));
    }

    #[test]
    fn an_unknown_rating_widens_the_peers() {
        // One rated at the tier, one rated not, one whose rating (and so tier) is unknown.
        let units = [p(T, T), p(T, F), p(U, U)];
        let g = count(&units, dec("0.5"));
        assert_eq!((g.peers, g.peers_unknown), (2, 1));
        assert_eq!((g.actual, g.actual_unknown), (1, 1));
        let e = g.expected_bounds.unwrap();
        assert_eq!((e.least.as_str(), e.most.as_str()), ("1", "1.5"));
        // Lowest: the unknown one rated and not at the tier, 1 of 3; highest: at it, 2 of 3.
        let s = g.actual_share_bounds.unwrap();
        assert_eq!((s.least.as_str(), s.most.as_str()), ("33.33%", "66.67%"));
        let d = g.difference_bounds.unwrap();
        assert_eq!((d.least.as_str(), d.most.as_str()), ("-0.5", "0.5"));
    }

    #[test]
    fn no_rated_peer_has_no_share() {
        let g = count(&[p(F, F)], dec("0.1"));
        assert_eq!((g.peers, g.actual), (0, 0));
        assert_eq!(g.expected.as_deref(), Some("0"));
        assert_eq!((g.actual_share, g.actual_share_bounds), (None, None));
        assert_eq!(g.difference.as_deref(), Some("0"));
        // Only units that may not be rated: a share only if one is.
        let g = count(&[p(U, T)], dec("0.1"));
        let s = g.actual_share_bounds;
        assert_eq!(g.actual_share.as_deref(), Some("100%"), "{s:?}");
    }
}
