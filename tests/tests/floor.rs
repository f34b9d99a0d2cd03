//! Floors ("相对后进不低于10%"): at least a share of the rated peers end at a tier or below, the
//! last by the value among those above it put down. Against an oracle written here from the
//! language reference (§30.6), on random streets: floors on one or two levels, over two kinds
//! together or each kind apart, after a limit on the top tier, with each rounding and tie rule;
//! with unknown scores a decided verdict never changes however they are filled in; and a live
//! evaluation follows changes exactly as a full one does.

use duibiao::{Lang, Options, Outcome, Standard, Verdict};
use duibiao_tests::branches::{self, rounded, strategy, Branch};
use proptest::prelude::*;

/// The levels: no tier, then the tiers lowest first.
const LEVELS: [&str; 4] = ["无", "一星", "二星", "五星"];

/// The score each tier needs.
const LINES: [u32; 3] = [60, 75, 90];

/// One floor: its level, its share, whether it ranks ties by id, its rounding.
#[derive(Debug, Clone, Copy)]
struct Floor {
    level: usize,
    share: u32,
    by_id: bool,
    rounding: &'static str,
}

/// The rules: the floors (at most one per level), a limit's share on 五星 (by id, rounded
/// down) if any, and whether the two kinds are counted together.
#[derive(Debug, Clone)]
struct Rules {
    floors: Vec<Floor>,
    limit: Option<u32>,
    pooled: bool,
}

/// Two kinds of branch under a street, new branches not rated.
fn source(rules: &Rules) -> String {
    let mut text = String::from(
        r#"
standard floor-test { title "下限测试" }
kind 街镇 contains 社区, 其他
kind 社区
kind 其他
facts 社区、其他 {
  新成立: bool "当年新成立"
}
scorecard 社区、其他 total 100 { item 1 "综合" max 100 }
tiers 社区、其他 {
  一星 { score >= 60 }
  二星 requires 一星 { score >= 75 }
  五星 requires 二星 { score >= 90 }
}
unrated 社区、其他 新成立: 新成立 "当年新成立的不定级"
"#,
    );
    let kinds: Vec<&str> = match rules.pooled {
        true => vec!["社区、其他"],
        false => vec!["社区", "其他"],
    };
    for k in &kinds {
        if let Some(share) = rules.limit {
            text.push_str(&format!(
                "limit {k} 五星: {share}% among 街镇 by (score) ties by_id round down\n"
            ));
        }
        for f in &rules.floors {
            let ties = if f.by_id { "by_id" } else { "shared" };
            text.push_str(&format!(
                "floor {k} {}: {}% among 街镇 by (score) ties {ties} round {} \"不低于\"\n",
                LEVELS[f.level], f.share, f.rounding
            ));
        }
    }
    text
}

fn compile(rules: &Rules) -> Standard {
    Standard::compile("floor.std", &source(rules))
        .unwrap_or_else(|e| panic!("{}\n{}", e.render(Lang::En), source(rules)))
}

/// The facts of `branches`, whose yes/no fact is 新成立 (flag: assessed, not rated).
fn facts(branches: &[Branch]) -> String {
    branches::facts("floor-test", "新成立", branches)
}

/// The outcome of `branches`.
fn evaluate(std: &Standard, branches: &[Branch]) -> Outcome {
    branches::evaluate(std, "新成立", branches)
}

/// Every branch's level with every score known, by the reference: the level its score gives;
/// the limit on 五星 (the first by score, lower id first, the rest fall to 二星); then the
/// floors from the highest level down, each putting down to its level the last by score
/// (equal scores: the higher id first by id, all of them shared) among the rated peers above
/// it, as many as its share rounded less those at its level or below. New branches: `None`.
fn oracle(branches: &[Branch], rules: &Rules) -> Vec<Option<usize>> {
    let score = |i: usize| branches[i].score.unwrap_or(0);
    let mut level: Vec<Option<usize>> = (0..branches.len())
        .map(|i| (!branches[i].flag).then(|| LINES.iter().filter(|&&l| score(i) >= l).count()))
        .collect();
    let peers = |i: usize, o: usize| {
        let (a, b) = (&branches[i], &branches[o]);
        a.street == b.street && (rules.pooled || a.community == b.community) && !b.flag
    };
    let groups: Vec<Vec<usize>> = (0..branches.len())
        .map(|i| (0..branches.len()).filter(|&o| peers(i, o)).collect())
        .collect();
    if let Some(share) = rules.limit {
        let before = level.clone();
        for i in 0..branches.len() {
            if before[i] != Some(3) {
                continue;
            }
            let g = &groups[i];
            let ahead = g
                .iter()
                .filter(|&&o| before[o] == Some(3))
                .filter(|&&o| score(o) > score(i) || (score(o) == score(i) && o < i))
                .count();
            if ahead >= rounded(share, g.len(), "down") {
                level[i] = Some(2);
            }
        }
    }
    let mut floors = rules.floors.clone();
    floors.sort_by_key(|f| std::cmp::Reverse(f.level));
    for f in floors {
        let before = level.clone();
        for i in 0..branches.len() {
            if before[i].is_none_or(|l| l <= f.level) {
                continue;
            }
            let g = &groups[i];
            let below = g
                .iter()
                .filter(|&&o| before[o].is_some_and(|l| l <= f.level))
                .count();
            let moved = rounded(f.share, g.len(), f.rounding).saturating_sub(below);
            let behind = g
                .iter()
                .filter(|&&o| before[o].is_some_and(|l| l > f.level))
                .filter(|&&o| score(o) < score(i) || (f.by_id && score(o) == score(i) && o > i))
                .count();
            if behind < moved {
                level[i] = Some(f.level);
            }
        }
    }
    level
}

fn branches(missing: f64) -> impl Strategy<Value = Vec<Branch>> {
    strategy(
        vec![50u32, 60, 66, 66, 75, 80, 90, 95, 95, 100],
        missing,
        0.1,
    )
}

fn floor() -> impl Strategy<Value = Floor> {
    (
        0usize..3,
        1u32..=50,
        any::<bool>(),
        prop::sample::select(vec!["down", "up", "nearest"]),
    )
        .prop_map(|(level, share, by_id, rounding)| Floor {
            level,
            share,
            by_id,
            rounding,
        })
}

fn rules() -> impl Strategy<Value = Rules> {
    (
        floor(),
        prop::option::of(floor()),
        prop::option::of(5u32..=50),
        any::<bool>(),
    )
        .prop_map(|(first, second, limit, pooled)| {
            let mut floors = vec![first];
            floors.extend(second.filter(|s| s.level != first.level));
            Rules {
                floors,
                limit,
                pooled,
            }
        })
}

/// Whether a unit at `level` (`None`: not rated) reaches tier `t` (1 = 一星).
fn reaches(level: Option<usize>, t: usize) -> bool {
    level.is_some_and(|l| l >= t)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// With every score known, every branch's tier is the reference's.
    #[test]
    fn floors_agree_with_the_oracle(bs in branches(0.0), rules in rules()) {
        let o = evaluate(&compile(&rules), &bs);
        let want = oracle(&bs, &rules);
        for (i, w) in want.iter().enumerate() {
            let u = &o.units[i + 2];
            let got = LEVELS.iter().position(|l| *l == u.tier.as_deref().unwrap_or("无"));
            prop_assert_eq!(got, Some(w.unwrap_or(0)), "{} in {}\n{}", u.id, facts(&bs), source(&rules));
        }
    }

    /// With some scores unknown, a verdict decided for a branch is the one it has however the
    /// unknown scores are filled in.
    #[test]
    fn unknown_scores_never_undo_a_decided_verdict(
        bs in branches(0.25),
        fills in prop::collection::vec(prop::sample::select(vec![0u32, 59, 60, 66, 75, 90, 95, 100]), 16),
        rules in rules(),
    ) {
        let o = evaluate(&compile(&rules), &bs);
        let fill = |with: &dyn Fn(usize) -> u32| -> Vec<Branch> {
            bs.iter().enumerate().map(|(i, b)| Branch { score: b.score.or(Some(with(i))), ..b.clone() }).collect()
        };
        let filled = [fill(&|i| fills[i]), fill(&|_| 100), fill(&|_| 0), fill(&|_| 66)];
        for f in &filled {
            let want = oracle(f, &rules);
            for (i, w) in want.iter().enumerate() {
                let u = &o.units[i + 2];
                for (t, name) in LEVELS.iter().enumerate().skip(1) {
                    match u.tiers[*name] {
                        Verdict::Pass => prop_assert!(reaches(*w, t), "{} {name} in {}\n{}", u.id, facts(f), source(&rules)),
                        Verdict::Fail => prop_assert!(!reaches(*w, t), "{} {name} in {}\n{}", u.id, facts(f), source(&rules)),
                        Verdict::Unknown => {}
                    }
                }
            }
        }
    }

    /// With one score unknown in each street, a verdict left unknown is open for a reason: two
    /// values of that score give different tiers (every value that can matter is tried: the
    /// lines, and each known score, to tie with it).
    #[test]
    fn a_missing_score_leaves_unknown_only_what_it_decides(
        bs in branches(0.0),
        gone in prop::collection::vec(0usize..16, 2),
        rules in rules(),
    ) {
        let mut bs = bs;
        for (street, pick) in gone.iter().enumerate() {
            let members: Vec<usize> = (0..bs.len()).filter(|&i| bs[i].street == street).collect();
            if let Some(&i) = members.get(pick % members.len().max(1)) {
                bs[i].score = None;
            }
        }
        let o = evaluate(&compile(&rules), &bs);
        let mut values = vec![0u32, 59, 60, 74, 75, 89, 90, 100];
        values.extend(bs.iter().filter_map(|b| b.score));
        let missing: Vec<usize> = (0..bs.len()).filter(|&i| bs[i].score.is_none()).collect();
        let mut fillings = Vec::new();
        for &a in &values {
            for &b in &values {
                let mut f = bs.clone();
                for (&i, v) in missing.iter().zip([a, b]) {
                    f[i].score = Some(v);
                }
                fillings.push(oracle(&f, &rules));
            }
        }
        for i in 0..bs.len() {
            let u = &o.units[i + 2];
            for (t, name) in LEVELS.iter().enumerate().skip(1) {
                let seen: std::collections::BTreeSet<bool> =
                    fillings.iter().map(|f| reaches(f[i], t)).collect();
                let want = match (seen.contains(&true), seen.contains(&false)) {
                    (true, false) => Verdict::Pass,
                    (false, true) => Verdict::Fail,
                    _ => Verdict::Unknown,
                };
                prop_assert_eq!(u.tiers[*name], want, "{} {} in {}\n{}", u.id, name, facts(&bs), source(&rules));
            }
        }
    }

    /// A live evaluation changed score by score gives exactly what a full evaluation of the
    /// changed facts gives.
    #[test]
    fn live_changes_agree_with_a_full_evaluation(
        bs in branches(0.1),
        rules in rules(),
        changes in prop::collection::vec((0usize..16, prop::option::of(prop::sample::select(vec![50u32, 66, 75, 95, 100]))), 1..6),
    ) {
        let std = compile(&rules);
        let differs = branches::live_differs(&std, "新成立", &bs, &changes);
        prop_assert!(differs.is_none(), "{}", differs.unwrap_or_default());
    }
}

/// xiqing-2016's case in small: five 社区 branches all at 60 or more; at least 10% of them must
/// have no star, so the lowest (10% × 5 = 0.5, rounded up: 1) is put down, and `explain` and the
/// JSON give its place from the last, the units demanded, those already there and the cut-off.
#[test]
fn a_floor_puts_the_last_down_and_says_by_how_much() {
    let rules = Rules {
        floors: vec![Floor {
            level: 0,
            share: 10,
            by_id: true,
            rounding: "up",
        }],
        limit: None,
        pooled: false,
    };
    let bs: Vec<Branch> = [96, 90, 80, 70, 61]
        .iter()
        .map(|&s| Branch {
            street: 0,
            community: true,
            score: Some(s),
            flag: false,
        })
        .collect();
    let std = compile(&rules);
    let o = evaluate(&std, &bs);
    assert_eq!(o.units[6].tier, None, "B04 (61) is put down");
    assert_eq!(
        o.units[5].tier.as_deref(),
        Some("一星"),
        "B03 (70) keeps 一星"
    );
    let c = o.units[6].conditions["一星"]
        .iter()
        .find(|c| c.kind == "floor")
        .expect("the floor's condition");
    assert_eq!(c.verdict, Verdict::Fail);
    let d = c.limit.as_ref().expect("the floor's numbers");
    let f = d.floor.as_ref().expect("a floor's counts");
    assert_eq!(
        (d.rank.as_deref(), d.places.as_deref(), d.peers.as_deref()),
        (Some("1"), Some("1"), Some("5"))
    );
    assert_eq!(
        (f.level.as_str(), f.below.as_deref(), f.moved.as_deref()),
        ("无", Some("0"), Some("1"))
    );
    assert_eq!(d.cutoff.as_deref(), Some("61分"));
    let (loaded, _) = std.load_facts(&facts(&bs));
    let shown = std
        .explain(&loaded, "B04", &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
        .text;
    assert!(
        shown.contains("高于 无 的单位中按 score 61分 排倒数第 1 名，降 1 名（无 及以下至少 1 名：10% × 5 = 0.5，向上取整；已有 0 名），倒数第 1 名 61分"),
        "{shown}"
    );
    // A branch below 60 meets the floor already: nobody is put down.
    let mut low = bs.clone();
    low[2].score = Some(50);
    let o = evaluate(&std, &low);
    assert_eq!(o.units[6].tier.as_deref(), Some("一星"));
}

/// A floor's place left open by a peer's missing score: the branch that may or may not be the
/// lowest is unknown, the others decided.
#[test]
fn a_missing_score_leaves_open_only_the_places_it_decides() {
    let rules = Rules {
        floors: vec![Floor {
            level: 0,
            share: 10,
            by_id: true,
            rounding: "up",
        }],
        limit: None,
        pooled: false,
    };
    let scores = [Some(96), Some(90), Some(80), Some(70), None];
    let bs: Vec<Branch> = scores
        .iter()
        .map(|&score| Branch {
            street: 0,
            community: true,
            score,
            flag: false,
        })
        .collect();
    let o = evaluate(&compile(&rules), &bs);
    let tiers = |i: usize| o.units[i + 2].tiers["一星"];
    // B03 (70) is the lowest unless B04 scores below it (or below 60, which meets the floor).
    assert_eq!(tiers(3), Verdict::Unknown);
    // B00 to B02 are above B03 whatever B04 scored: never the last.
    for i in 0..3 {
        assert_eq!(tiers(i), Verdict::Pass, "B0{i}");
    }
}

/// What cannot be given one meaning is refused: a floor on the highest tier, two floors on one
/// tier, a limit and a floor on one tier; and a floor's share is a percentage within 100%.
#[test]
fn floors_that_mean_nothing_or_clash_are_refused() {
    let with = |lines: &str| {
        let rules = Rules {
            floors: Vec::new(),
            limit: None,
            pooled: true,
        };
        let text = source(&rules) + lines;
        match Standard::compile("bad.std", &text) {
            Ok(_) => panic!("compiled: {lines}"),
            Err(e) => e.render(Lang::En),
        }
    };
    let line = |tier: &str, share: &str| {
        format!("floor 社区 {tier}: {share} among 街镇 by (score) ties by_id round up\n")
    };
    let top = with(&line("五星", "10%"));
    assert!(
        top.contains("E0126") && top.contains("highest tier"),
        "{top}"
    );
    let twice = with(&(line("无", "10%") + &line("无", "5%")));
    assert!(
        twice.contains("E0126") && twice.contains("two floors"),
        "{twice}"
    );
    let limit = "limit 社区 一星: 90% among 街镇 by (score) ties by_id round down\n";
    let both = with(&(line("一星", "10%") + limit));
    assert!(
        both.contains("E0126") && both.contains("both a limit and a floor"),
        "{both}"
    );
    let share = with(&line("无", "120%"));
    assert!(
        share.contains("E0126") && share.contains("floor's share"),
        "{share}"
    );
    let unknown = with(&line("相对后进", "10%"));
    assert!(unknown.contains("E0110"), "{unknown}");
}
