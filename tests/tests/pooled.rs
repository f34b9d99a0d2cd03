//! Peers of several kinds together: a limit listing two kinds ranks and counts them in one list
//! per street, `rank … of 社区、其他` ranks them together, `where (…)` ranks among the peers meeting
//! a condition — each against an oracle written here from the language reference, on random
//! streets; with unknown scores, a decided verdict never changes however they are filled in; and
//! a live evaluation follows changes exactly as a full one does.

use duibiao::{Lang, Options, Outcome, Standard, Verdict};
use duibiao_tests::branches::{self, rounded as places, strategy, Branch};
use proptest::prelude::*;

/// Two kinds of branch under a street, one limit on 五星 over both kinds together.
fn source(share: u32, ties: &str, rounding: &str) -> String {
    format!(
        r#"
standard pool-test {{ title "合计限额测试" }}
kind 街镇 contains 社区, 其他
kind 社区
kind 其他
facts 社区、其他 {{
  重点: bool "重点党支部"
}}
scorecard 社区、其他 total 100 {{ item 1 "综合" max 100 }}
derive 社区、其他 {{
  合计名次 = rank (score) among 街镇 of 社区、其他 ties by_id
  合计数 = peers among 街镇 of 社区、其他
  重点名次 = rank (score) among 街镇 of 社区、其他 where (重点) ties shared
  重点数 = peers among 街镇 of 社区、其他 where (重点)
  本类名次 = rank (score) among 街镇 ties by_id
}}
tiers 社区、其他 {{
  一星 {{ score >= 60 }}
  五星 requires 一星 {{ score >= 90 }}
}}
limit 社区、其他 五星: {share}% among 街镇 by (score) ties {ties} round {rounding}
"#
    )
}

fn compile(share: u32, ties: &str, rounding: &str) -> Standard {
    Standard::compile("pool.std", &source(share, ties, rounding))
        .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)))
}

/// The facts of `branches`, whose yes/no fact is 重点.
fn facts(branches: &[Branch]) -> String {
    branches::facts("pool-test", "重点", branches)
}

/// The outcome of `branches`.
fn evaluate(std: &Standard, branches: &[Branch]) -> Outcome {
    branches::evaluate(std, "重点", branches)
}

/// The tier of every branch with every score known, by the reference: 一星 from 60, 五星 from 90
/// for the first `places` of the street's candidates of both kinds together, by score (equal
/// scores: the lower id first with `by_id`, all of them with `shared`).
fn oracle(branches: &[Branch], share: u32, by_id: bool, rounding: &str) -> Vec<&'static str> {
    let score = |i: usize| branches[i].score.unwrap_or(0);
    (0..branches.len())
        .map(|i| {
            let s = score(i);
            if s < 60 {
                return "无";
            }
            if s < 90 {
                return "一星";
            }
            let street: Vec<usize> = (0..branches.len())
                .filter(|&o| branches[o].street == branches[i].street)
                .collect();
            let ahead = street
                .iter()
                .filter(|&&o| score(o) >= 90)
                .filter(|&&o| score(o) > s || (by_id && score(o) == s && o < i))
                .count();
            if ahead < places(share, street.len(), rounding) {
                "五星"
            } else {
                "一星"
            }
        })
        .collect()
}

/// The rank of branch `i` among the branches of its street for which `counted` holds (counted
/// as if it held for `i`), with every score known.
fn oracle_rank(branches: &[Branch], i: usize, by_id: bool, counted: impl Fn(usize) -> bool) -> u32 {
    let score = |o: usize| branches[o].score.unwrap_or(0);
    let ahead = (0..branches.len())
        .filter(|&o| o != i && branches[o].street == branches[i].street && counted(o))
        .filter(|&o| score(o) > score(i) || (by_id && score(o) == score(i) && o < i))
        .count();
    ahead as u32 + 1
}

fn branches(missing: f64) -> impl Strategy<Value = Vec<Branch>> {
    strategy(vec![50u32, 60, 75, 90, 92, 95, 95, 98, 100], missing, 0.5)
}

fn derived(o: &Outcome, i: usize, name: &str) -> Option<String> {
    o.units[i + 2].derived.get(name).cloned().flatten()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// With every score known, every tier, pooled rank and count is the reference's.
    #[test]
    fn pooled_limits_and_ranks_agree_with_the_oracle(
        bs in branches(0.0),
        share in 5u32..=60,
        by_id in any::<bool>(),
        rounding in prop::sample::select(vec!["down", "up", "nearest"]),
    ) {
        let ties = if by_id { "by_id" } else { "shared" };
        let o = evaluate(&compile(share, ties, rounding), &bs);
        let want = oracle(&bs, share, by_id, rounding);
        for (i, w) in want.iter().enumerate() {
            let u = &o.units[i + 2];
            prop_assert_eq!(u.tier.as_deref().unwrap_or("无"), *w, "{} in {}", u.id, facts(&bs));
            let street = |o: usize| bs[o].street == bs[i].street;
            let together = oracle_rank(&bs, i, true, |_| true);
            prop_assert_eq!(derived(&o, i, "合计名次"), Some(together.to_string()));
            let all = (0..bs.len()).filter(|&o| street(o)).count();
            prop_assert_eq!(derived(&o, i, "合计数"), Some(all.to_string()));
            let key = oracle_rank(&bs, i, false, |o| bs[o].flag);
            prop_assert_eq!(derived(&o, i, "重点名次"), Some(key.to_string()));
            let keys = (0..bs.len()).filter(|&o| street(o) && bs[o].flag).count();
            prop_assert_eq!(derived(&o, i, "重点数"), Some(keys.to_string()));
            let own = oracle_rank(&bs, i, true, |o| bs[o].community == bs[i].community);
            prop_assert_eq!(derived(&o, i, "本类名次"), Some(own.to_string()));
        }
    }

    /// With some scores unknown, a tier decided for a branch is the one it has however the
    /// unknown scores are filled in; and an unknown 五星 is open for a reason: some filling gives
    /// it, another does not.
    #[test]
    fn unknown_scores_leave_places_open_only_where_they_matter(
        bs in branches(0.25),
        fills in prop::collection::vec(prop::sample::select(vec![0u32, 59, 60, 89, 90, 95, 100]), 16),
        share in 5u32..=60,
        by_id in any::<bool>(),
    ) {
        let ties = if by_id { "by_id" } else { "shared" };
        let std = compile(share, ties, "down");
        let o = evaluate(&std, &bs);
        // Two fillings: the random one, and every unknown at 100 then at 0.
        let fill = |with: &dyn Fn(usize) -> u32| -> Vec<Branch> {
            bs.iter().enumerate().map(|(i, b)| Branch { score: b.score.or(Some(with(i))), ..b.clone() }).collect()
        };
        let filled = [fill(&|i| fills[i]), fill(&|_| 100), fill(&|_| 0)];
        let outcomes: Vec<Vec<&str>> = filled.iter().map(|f| oracle(f, share, by_id, "down")).collect();
        for i in 0..bs.len() {
            let u = &o.units[i + 2];
            for tier in ["一星", "五星"] {
                let verdict = u.tiers[tier];
                let reached = |t: &str| t == "五星" || (tier == "一星" && t == "一星");
                for (f, want) in filled.iter().zip(&outcomes) {
                    match verdict {
                        Verdict::Pass => prop_assert!(reached(want[i]), "{} {tier} in {}", u.id, facts(f)),
                        Verdict::Fail => prop_assert!(!reached(want[i]), "{} {tier} in {}", u.id, facts(f)),
                        Verdict::Unknown => {}
                    }
                }
            }
        }
    }

    /// With one score unknown in each street, a verdict left unknown is open for a reason: two
    /// values of that score give different tiers (every value that can matter is tried: the
    /// thresholds, and each known score of the street, to tie with it).
    #[test]
    fn a_missing_score_leaves_unknown_only_what_it_decides(
        bs in branches(0.0),
        gone in prop::collection::vec(0usize..16, 2),
        share in 5u32..=60,
        by_id in any::<bool>(),
    ) {
        let mut bs = bs;
        for (street, pick) in gone.iter().enumerate() {
            let members: Vec<usize> = (0..bs.len()).filter(|&i| bs[i].street == street).collect();
            if let Some(&i) = members.get(pick % members.len().max(1)) {
                bs[i].score = None;
            }
        }
        let ties = if by_id { "by_id" } else { "shared" };
        let o = evaluate(&compile(share, ties, "down"), &bs);
        let mut values = vec![0u32, 59, 60, 89, 90, 100];
        values.extend(bs.iter().filter_map(|b| b.score));
        // Every way to fill both streets' unknown scores from those values.
        let missing: Vec<usize> = (0..bs.len()).filter(|&i| bs[i].score.is_none()).collect();
        let mut fillings = Vec::new();
        for &a in &values {
            for &b in &values {
                let mut f = bs.clone();
                for (&i, v) in missing.iter().zip([a, b]) {
                    f[i].score = Some(v);
                }
                fillings.push(oracle(&f, share, by_id, "down"));
            }
        }
        for i in 0..bs.len() {
            let u = &o.units[i + 2];
            for tier in ["一星", "五星"] {
                let reached = |t: &str| t == "五星" || (tier == "一星" && t == "一星");
                let seen: std::collections::BTreeSet<bool> = fillings.iter().map(|f| reached(f[i])).collect();
                let want = match (seen.contains(&true), seen.contains(&false)) {
                    (true, false) => Verdict::Pass,
                    (false, true) => Verdict::Fail,
                    _ => Verdict::Unknown,
                };
                prop_assert_eq!(u.tiers[tier], want, "{} {} in {}", u.id, tier, facts(&bs));
            }
        }
    }

    /// A live evaluation changed score by score gives exactly what a full evaluation of the
    /// changed facts gives: a change to a 其他 branch moves the 社区 branches' places too.
    #[test]
    fn live_changes_move_the_places_of_both_kinds(
        bs in branches(0.1),
        changes in prop::collection::vec((0usize..16, prop::option::of(prop::sample::select(vec![60u32, 90, 95, 100]))), 1..8),
    ) {
        let std = compile(30, "by_id", "down");
        let differs = branches::live_differs(&std, "重点", &bs, &changes);
        prop_assert!(differs.is_none(), "{}", differs.unwrap_or_default());
    }
}

/// xiqing-2016's case in small: five 社区 and five 其他 branches of one street, 10% of the ten
/// together is one place, which the best of them takes whatever its kind; each kind alone (5 ×
/// 10% = 0.5) would have none.
#[test]
fn a_limit_over_two_kinds_counts_them_together() {
    let bs: Vec<Branch> = (0..10)
        .map(|i| Branch {
            street: 0,
            community: i < 5,
            score: Some(if i == 7 { 98 } else { 80 + i as u32 }),
            flag: false,
        })
        .collect();
    let o = evaluate(&compile(10, "by_id", "down"), &bs);
    assert_eq!(o.units[7 + 2].tier.as_deref(), Some("五星"));
    let limit = o.units[7 + 2].conditions["五星"]
        .iter()
        .find_map(|c| c.limit.as_ref())
        .expect("the limit condition");
    assert_eq!(limit.peers.as_deref(), Some("10"));
    assert_eq!(limit.places.as_deref(), Some("1"));
}

/// A limit's place left open by a peer's missing score: `explain` (and the JSON `limit`) give the
/// places still possible and the peer whose data decides, and only a peer that can still rank
/// ahead is named (a missing score in the other street leaves the place known).
#[test]
fn an_open_place_shows_its_range_and_the_peer_that_decides_it() {
    let b = |street, community, score| Branch {
        street,
        community,
        score,
        flag: false,
    };
    let bs = vec![
        b(0, true, Some(95)),
        b(0, false, Some(98)),
        b(0, false, None),
        b(0, true, Some(60)),
        b(1, true, Some(97)),
        b(1, false, None),
    ];
    let std = compile(50, "by_id", "down");
    let o = evaluate(&std, &bs);
    let limit = |i: usize| {
        o.units[i + 2].conditions["五星"]
            .iter()
            .find_map(|c| c.limit.clone())
            .expect("the limit condition")
    };
    // Street 0: four branches, two places; B00 is behind B01 and maybe behind B02.
    let open = limit(0);
    assert_eq!(open.rank, None);
    let range = open.rank_range.expect("a range");
    assert_eq!((range.least.as_str(), range.most.as_str()), ("2", "3"));
    assert_eq!(open.open, ["B02"]);
    assert_eq!(o.units[2].tiers["五星"], Verdict::Unknown);
    // B01 (98) is first or second whatever B02 scored: within the two places, so its 五星 is
    // decided though its place is not.
    let first = limit(1).rank_range.expect("a range");
    assert_eq!((first.least.as_str(), first.most.as_str()), ("1", "2"));
    assert_eq!(limit(1).open, ["B02"]);
    assert_eq!(o.units[3].tiers["五星"], Verdict::Pass);
    let (loaded, _) = std.load_facts(&facts(&bs));
    let shown = std
        .explain(&loaded, "B00", &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
        .text;
    assert!(
        shown.contains("排第 2 至 3 名（取决于 B02 缺失的数据），名额 2 名"),
        "{shown}"
    );
}

#[test]
fn ranking_kinds_together_must_list_the_units_own_kind() {
    let text = source(30, "by_id", "down").replace(
        "合计名次 = rank (score) among 街镇 of 社区、其他 ties by_id",
        "合计名次 = rank (score) among 街镇 of 其他 ties by_id",
    );
    let Err(err) = Standard::compile("bad.std", &text) else {
        panic!("a rank not listing the unit's own kind compiled");
    };
    let shown = err.render(Lang::En);
    assert!(shown.contains("E0129"), "{shown}");
    assert!(shown.contains("leave out `社区`"), "{shown}");
}

/// Two ranks and two counts of one kind pooling different kinds under the same scope each read
/// their own peers: A1 is second among A and B (B1 is ahead) and first among A and C (C1 is
/// behind); two peers in each pool.
#[test]
fn ranks_pooling_different_kinds_keep_their_own_peers() {
    let text = r#"
standard pools-test { title "两种合计" }
kind 街镇 contains 甲, 乙, 丙
kind 甲
kind 乙
kind 丙
scorecard 甲、乙、丙 total 100 { item 1 "综合" max 100 }
derive 甲 {
  甲乙名次 = rank (score) among 街镇 of 甲、乙 ties by_id
  甲丙名次 = rank (score) among 街镇 of 甲、丙 ties by_id
  甲乙数 = peers among 街镇 of 甲、乙 where (score >= 45)
  甲丙数 = peers among 街镇 of 甲、丙 where (score >= 45)
}
"#;
    let facts = r#"{"standard": "pools-test", "units": [
  {"id": "J", "kind": "街镇"},
  {"id": "A1", "kind": "甲", "parent": "J", "scores": {"1": 50}},
  {"id": "A2", "kind": "甲", "parent": "J", "scores": {"1": 10}},
  {"id": "B1", "kind": "乙", "parent": "J", "scores": {"1": 90}},
  {"id": "C1", "kind": "丙", "parent": "J", "scores": {"1": 40}}
]}"#;
    let o = duibiao_tests::outcome_of(text, facts);
    let a1 = &o.units[1];
    assert_eq!(a1.id, "A1");
    let got = |name: &str| a1.derived.get(name).cloned().flatten();
    assert_eq!(got("甲乙名次").as_deref(), Some("2"));
    assert_eq!(got("甲丙名次").as_deref(), Some("1"));
    assert_eq!(got("甲乙数").as_deref(), Some("2"));
    assert_eq!(got("甲丙数").as_deref(), Some("1"));
}

/// Units are ranked by a date (the earlier first with `ascending`) and by a level of an
/// enumeration (the higher first) as by a number.
#[test]
fn ranks_order_dates_and_levels() {
    let text = r#"
standard order-test { title "日期和档次排名" }
kind 镇 contains 村
kind 村
facts 村 {
  成立: date "成立日期"
  档次: enum(低, 中, 高) "档次"
}
derive 村 {
  早名次 = rank (成立) ascending among 镇 ties by_id
  档次名次 = rank (档次) among 镇 ties by_id
}
"#;
    let facts = r#"{"units": [
  {"id": "Z", "kind": "镇"},
  {"id": "C1", "kind": "村", "parent": "Z", "facts": {"成立": "2019-05-01", "档次": "中"}},
  {"id": "C2", "kind": "村", "parent": "Z", "facts": {"成立": "2018-01-31", "档次": "低"}},
  {"id": "C3", "kind": "村", "parent": "Z", "facts": {"成立": "2020-12-01", "档次": "高"}}
]}"#;
    let o = duibiao_tests::outcome_of(text, facts);
    let ranks = |name: &str| -> Vec<Option<String>> {
        o.units[1..]
            .iter()
            .map(|u| u.derived.get(name).cloned().flatten())
            .collect()
    };
    let want = |r: [&str; 3]| r.map(|x| Some(x.to_string())).to_vec();
    assert_eq!(ranks("早名次"), want(["2", "1", "3"]));
    assert_eq!(ranks("档次名次"), want(["2", "3", "1"]));
}

/// A count of peers meeting a condition that some peers leave unknown lies between those known
/// to meet it and those that may: a threshold it is sure to reach is decided.
#[test]
fn an_open_count_of_peers_decides_a_threshold_it_is_sure_to_reach() {
    let text = r#"
standard count-test { title "计数范围" }
kind 镇 contains 村
kind 村
facts 村 {
  达标: bool "达标"
}
derive 村 {
  达标数 = peers among 镇 where (达标)
}
tiers 村 {
  有达标 { 达标数 >= 1 }
  全达标 { 达标数 >= 3 }
}
"#;
    let facts = r#"{"units": [
  {"id": "Z", "kind": "镇"},
  {"id": "C1", "kind": "村", "parent": "Z", "facts": {"达标": true}},
  {"id": "C2", "kind": "村", "parent": "Z"},
  {"id": "C3", "kind": "村", "parent": "Z", "facts": {"达标": false}}
]}"#;
    let o = duibiao_tests::outcome_of(text, facts);
    for u in &o.units[1..] {
        assert_eq!(u.derived["达标数"], None, "{}: one or two", u.id);
        assert_eq!(u.tiers["有达标"], Verdict::Pass, "{}", u.id);
        assert_eq!(u.tiers["全达标"], Verdict::Fail, "{}", u.id);
    }
}
