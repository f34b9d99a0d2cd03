//! Star ratings end to end: a score computed by a formula from a named card, units assessed but
//! not rated, caps from last year's star (one level at a time, an honour's exception, a veto's
//! demotion) and limits on how many reach a tier, with their rounding and tie rules — against an
//! oracle written here from the language reference, on random branches.

use duibiao::{Lang, Options, Outcome, Standard, Verdict};
use proptest::prelude::*;
use serde_json::{json, Value};

/// A yearly star rating of Party branches, written with the Chinese keywords.
fn source(limits: &str) -> String {
    format!(
        r#"
标准 star-test {{
  标题 “星级评定测试”
}}
单位 镇 包含 支部
单位 支部

填报 支部 {{
  民主评议: 分值 "民主评议得分"
  上年星级: 等级 "上一年度评定的星级"
  市级表彰: 是否 "获市级以上综合性表彰"
  否决事项: 是否 "发生一票否决事项"
  新成立: 是否 "当年新成立"
}}

评分 支部 考评 总分 100 "考评表" 依据 "附件" {{
  项目 1 "组织建设" 满分 50分
  项目 2 "作用发挥" 满分 50分
}}

得分 支部 = 考评 * 70% + 民主评议 * 30% "综合得分" 依据 "三、(一)"

等级 支部 依据 "二" {{
  三星 {{ 得分 >= 70 }}
  四星 基于 三星 {{ 得分 >= 80 }}
  五星 基于 四星 {{ 得分 >= 90 }}
}}

不定级 支部 当年新成立: 新成立 "当年新成立的党支部参加考评但不评定星级" 依据 "三、(三)"
封顶 支部 逐级晋升: 上年星级 + 1 除非 市级表彰 "原则上逐级晋升" 依据 "三、(二)"
封顶 支部 否决降星: 上年星级 - 1 仅当 否决事项 "发生否决事项的降一星" 依据 "二、1"
{limits}
"#
    )
}

const TOP_LIMIT: &str =
    "限额 支部 五星: 30% 比较范围 所有 按 (得分) 并列时 按编号 取整 向下 \"五星不超过参评总数的30%\" 依据 \"三、(四)\"";

fn compile(limits: &str) -> Standard {
    Standard::compile("star.std", &source(limits))
        .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)))
}

/// One branch: its card points (two items), 民主评议, last year's star (`None`: not given), and
/// the honour, veto and new flags.
#[derive(Debug, Clone)]
struct Branch {
    card: (u32, u32),
    review: u32,
    last: Option<usize>,
    honour: bool,
    veto: bool,
    new: bool,
}

const LEVELS: [&str; 4] = ["无", "三星", "四星", "五星"];

fn facts(branches: &[Branch]) -> String {
    let mut units = vec![json!({"id": "Z", "kind": "镇"})];
    for (i, b) in branches.iter().enumerate() {
        let mut f = json!({
            "民主评议": b.review, "市级表彰": b.honour, "否决事项": b.veto, "新成立": b.new
        });
        if let Some(l) = b.last {
            f["上年星级"] = json!(LEVELS[l]);
        }
        units.push(json!({
            "id": format!("B{i:02}"), "kind": "支部", "parent": "Z",
            "scores": {"1": b.card.0, "2": b.card.1}, "facts": f
        }));
    }
    json!({ "standard": "star-test", "units": units }).to_string()
}

fn evaluate(std: &Standard, branches: &[Branch]) -> Outcome {
    let (loaded, errors) = std.load_facts(&facts(branches));
    assert!(errors.is_empty(), "{errors:?}");
    std.evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn branch(card: (u32, u32), review: u32, last: usize) -> Branch {
    Branch {
        card,
        review,
        last: Some(last),
        honour: false,
        veto: false,
        new: false,
    }
}

fn tier<'o>(o: &'o Outcome, id: &str) -> Option<&'o str> {
    o.units
        .iter()
        .find(|u| u.id == id)
        .and_then(|u| u.tier.as_deref())
}

#[test]
fn the_score_is_the_weighted_formula_over_the_named_card() {
    let std = compile("");
    // 93 × 70% + 90 × 30% = 65.1 + 27.
    let o = evaluate(&std, &[branch((46, 47), 90, 3)]);
    let b = &o.units[1];
    assert_eq!(b.score.as_deref(), Some("92.1"));
    assert_eq!(b.score_total, None, "a formula's total is not the card's");
    assert_eq!(b.tier.as_deref(), Some("五星"));
    assert!(duibiao::explain_text(b, Lang::Zh).contains("得分 92.1\n"));
}

#[test]
fn promotion_is_one_level_at_a_time_unless_honoured() {
    let std = compile("");
    let mut honoured = branch((48, 48), 96, 1);
    honoured.honour = true;
    let o = evaluate(
        &std,
        &[branch((48, 48), 96, 1), honoured, branch((48, 48), 96, 0)],
    );
    assert_eq!(
        tier(&o, "B00"),
        Some("四星"),
        "三星 last year: at most 四星"
    );
    assert_eq!(tier(&o, "B01"), Some("五星"), "an honour allows the skip");
    assert_eq!(
        tier(&o, "B02"),
        Some("三星"),
        "no star last year: at most 三星"
    );
    let text = duibiao::explain_text(&o.units[1], Lang::Zh);
    assert!(
        text.contains("✗ 原则上逐级晋升：至多 四星（上年星级 + 1 除非 市级表彰；上年星级 三星，市级表彰 否）〔三、(二)〕"),
        "{text}"
    );
}

#[test]
fn a_veto_demotes_one_level_from_last_year() {
    let std = compile("");
    let mut vetoed = branch((48, 48), 96, 3);
    vetoed.veto = true;
    let mut bottom = branch((48, 48), 96, 1);
    bottom.veto = true;
    let o = evaluate(&std, &[vetoed, bottom]);
    assert_eq!(tier(&o, "B00"), Some("四星"));
    assert_eq!(
        tier(&o, "B01"),
        None,
        "三星 last year, demoted below the lowest"
    );
}

#[test]
fn new_units_are_assessed_but_not_rated() {
    let std = compile(TOP_LIMIT);
    let mut new = branch((49, 49), 99, 3);
    new.new = true;
    new.last = None;
    let others: Vec<Branch> = (0..3).map(|_| branch((40, 40), 80, 2)).collect();
    let mut all = vec![new];
    all.extend(others);
    let o = evaluate(&std, &all);
    let b = &o.units[1];
    assert_eq!(b.score.as_deref(), Some("98.3"), "assessed: scored");
    assert_eq!(b.tier, None);
    assert_eq!(b.rated, Some(Verdict::Fail));
    assert_eq!(
        duibiao::tier_text(b.tier.as_deref(), &b.tiers, b.rated, duibiao::Lang::Zh),
        "不定级"
    );
    assert_eq!(o.units[2].rated, Some(Verdict::Pass));
    // Not counted among the peers of the limit: 3 rated branches.
    let limit = o.units[2].conditions["五星"]
        .iter()
        .find_map(|c| c.limit.as_ref())
        .expect("the limit's numbers");
    assert_eq!(limit.peers.as_deref(), Some("3"));
}

#[test]
fn last_year_unknown_leaves_the_lowest_tier_decided() {
    let std = compile("");
    let mut b = branch((48, 48), 96, 0);
    b.last = None;
    let o = evaluate(&std, &[b]);
    let u = &o.units[1];
    assert_eq!(
        u.tiers["三星"],
        Verdict::Pass,
        "last year + 1 is at least 三星"
    );
    assert_eq!(u.tiers["四星"], Verdict::Unknown);
    assert_eq!(u.tiers["五星"], Verdict::Unknown);
}

#[test]
fn a_limit_keeps_the_first_by_score_and_the_rest_fall_one_tier() {
    let std = compile(TOP_LIMIT);
    // Seven rated branches at 五星 by score: 30% × 7 = 2.1, rounded down to 2 places.
    let scores = [
        (50, 50),
        (49, 49),
        (48, 48),
        (47, 47),
        (46, 46),
        (45, 46),
        (46, 45),
    ];
    let all: Vec<Branch> = scores.iter().map(|&c| branch(c, 90, 3)).collect();
    let o = evaluate(&std, &all);
    let tiers: Vec<Option<&str>> = (0..7).map(|i| tier(&o, &format!("B{i:02}"))).collect();
    assert_eq!(
        tiers,
        [
            Some("五星"),
            Some("五星"),
            Some("四星"),
            Some("四星"),
            Some("四星"),
            Some("四星"),
            Some("四星")
        ]
    );
    let text = duibiao::explain_text(&o.units[3], Lang::Zh);
    assert!(
        text.contains(
            "✗ 五星不超过参评总数的30%：按 得分 94.2分 排第 3 名，名额 2 名（30% × 7 = 2.1，向下取整），第 2 名 95.6分〔三、(四)〕"
        ),
        "{text}"
    );
}

#[test]
fn ties_at_the_cut_off_follow_the_written_rule() {
    // Four at 五星: 30% × 4 = 1.2 → 1 place; the first two tie.
    let tied: Vec<Branch> = [(48, 48), (48, 48), (40, 45), (40, 45)]
        .iter()
        .map(|&c| branch(c, 96, 3))
        .collect();
    let by_id = evaluate(&compile(TOP_LIMIT), &tied);
    assert_eq!(tier(&by_id, "B00"), Some("五星"));
    assert_eq!(
        tier(&by_id, "B01"),
        Some("四星"),
        "by id: the later id falls"
    );
    let shared = TOP_LIMIT.replace("按编号", "名次相同");
    let o = evaluate(&compile(&shared), &tied);
    assert_eq!(tier(&o, "B00"), Some("五星"));
    assert_eq!(tier(&o, "B01"), Some("五星"), "shared: both are first");
}

/// The tiers the language reference gives, computed directly: the score, the base tier from the
/// thresholds and caps, then the limited tiers from the top down, then the floor if any (its
/// level, share, rounding and tie rule): the last by score among the rated branches above its
/// level put down to it, as many as its share of the rated branches less those at it or below.
fn oracle(
    branches: &[Branch],
    limits: &[(usize, u32, &str, bool)],
    floor: Option<(usize, u32, &str, bool)>,
) -> Vec<Option<usize>> {
    let score = |b: &Branch| (b.card.0 + b.card.1) * 70 + b.review * 30; // in hundredths
    let base: Vec<Option<usize>> = branches
        .iter()
        .map(|b| {
            if b.new {
                return Some(0);
            }
            let s = score(b);
            let mut level = [7000, 8000, 9000].iter().filter(|&&t| s >= t).count();
            let last = b.last?;
            if !b.honour {
                level = level.min(last + 1);
            }
            if b.veto {
                level = level.min(last.saturating_sub(1));
            }
            Some(level)
        })
        .collect();
    let rated = branches.iter().filter(|b| !b.new).count() as u32;
    let mut fin: Vec<Option<usize>> = vec![None; branches.len()];
    for level in (1..=3).rev() {
        let candidates: Vec<usize> = (0..branches.len())
            .filter(|&i| fin[i].is_none() && base[i].is_some_and(|b| b >= level))
            .collect();
        let admitted: Vec<usize> = match limits.iter().find(|l| l.0 == level) {
            None => candidates,
            Some(&(_, percent, rounding, by_id)) => {
                let exact = percent * rated; // in hundredths of a unit
                let places = match rounding {
                    "向上" => exact.div_ceil(100),
                    "四舍五入" => (exact + 50) / 100,
                    _ => exact / 100,
                };
                candidates
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let ahead = candidates
                            .iter()
                            .filter(|&&o| {
                                let (so, si) = (score(&branches[o]), score(&branches[i]));
                                so > si || (by_id && so == si && o < i)
                            })
                            .count() as u32;
                        ahead < places
                    })
                    .collect()
            }
        };
        for i in admitted {
            fin[i] = Some(level);
        }
    }
    // Units with every base known end where the limits put them; unknown bases stay unknown.
    let mut levels: Vec<Option<usize>> = (0..branches.len())
        .map(|i| base[i].map(|_| fin[i].unwrap_or(0)))
        .collect();
    if let Some((level, percent, rounding, by_id)) = floor {
        let rated: Vec<usize> = (0..branches.len()).filter(|&i| !branches[i].new).collect();
        let exact = percent * rated.len() as u32;
        let demanded = match rounding {
            "向上" => exact.div_ceil(100),
            "四舍五入" => (exact + 50) / 100,
            _ => exact / 100,
        };
        let above = |i: usize| levels[i].is_some_and(|l| l > level);
        let below = rated.iter().filter(|&&i| !above(i)).count() as u32;
        let moved = demanded.saturating_sub(below);
        let down: Vec<usize> = rated
            .iter()
            .copied()
            .filter(|&i| above(i))
            .filter(|&i| {
                let behind = rated
                    .iter()
                    .filter(|&&o| above(o))
                    .filter(|&&o| {
                        let (so, si) = (score(&branches[o]), score(&branches[i]));
                        so < si || (by_id && so == si && o > i)
                    })
                    .count() as u32;
                behind < moved
            })
            .collect();
        for i in down {
            levels[i] = Some(level);
        }
    }
    levels
}

/// The top limit's cut-off as `explain` shows it: the score of the candidate at the last place
/// (candidates: rated branches whose score and caps allow 五星), none without such a place.
fn oracle_cutoff(branches: &[Branch], percent: u32, rounding: &str) -> Option<String> {
    let score = |b: &Branch| (b.card.0 + b.card.1) * 70 + b.review * 30;
    let mut candidates: Vec<u32> = branches
        .iter()
        .filter(|b| !b.new && score(b) >= 9000)
        .filter(|b| b.honour || b.last.is_some_and(|l| l >= 2))
        .filter(|b| !b.veto || b.last.is_some_and(|l| l >= 4))
        .map(score)
        .collect();
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    let exact = percent * branches.iter().filter(|b| !b.new).count() as u32;
    let places = match rounding {
        "向上" => exact.div_ceil(100),
        "四舍五入" => (exact + 50) / 100,
        _ => exact / 100,
    } as usize;
    let s = *candidates.get(places.checked_sub(1)?)?;
    let text = format!("{}.{:02}", s / 100, s % 100);
    Some(format!(
        "{}分",
        text.trim_end_matches('0').trim_end_matches('.')
    ))
}

fn branches() -> impl Strategy<Value = Vec<Branch>> {
    let one = (
        (40u32..=50, 40u32..=50),
        prop::sample::select(vec![80u32, 90, 95, 100]),
        0usize..4,
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(card, review, last, honour, veto, new)| Branch {
            card,
            review,
            last: Some(last),
            honour,
            veto,
            new,
        });
    prop::collection::vec(one, 1..14)
}

fn limit_line(tier: &str, percent: u32, rounding: &str, by_id: bool) -> String {
    let ties = if by_id { "按编号" } else { "名次相同" };
    format!("限额 支部 {tier}: {percent}% 比较范围 所有 按 (得分) 并列时 {ties} 取整 {rounding}\n")
}

fn floor_line(tier: &str, percent: u32, rounding: &str, by_id: bool) -> String {
    limit_line(tier, percent, rounding, by_id).replacen("限额", "比例下限", 1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// On random branches, every tier is the one the reference's rules give, with a limit on
    /// 五星 alone or on 五星 and 四星 at once, each rounding and each tie rule, and a floor on
    /// 三星 or on 无 after them (with the caps and the units not rated).
    #[test]
    fn tiers_agree_with_the_oracle(
        bs in branches(),
        top in 1u32..=60,
        second in prop::option::of(1u32..=60),
        rounding in prop::sample::select(vec!["向下", "向上", "四舍五入"]),
        by_id in any::<bool>(),
        floor in prop::option::of((0usize..2, 1u32..=60)),
    ) {
        let mut limits = vec![(3usize, top, rounding, by_id)];
        let mut text = limit_line("五星", top, rounding, by_id);
        if let Some(p) = second {
            limits.push((2, p, rounding, !by_id));
            text.push_str(&limit_line("四星", p, rounding, !by_id));
        }
        let floor = floor.map(|(level, p)| (level, p, rounding, by_id));
        if let Some((level, p, _, _)) = floor {
            text.push_str(&floor_line(LEVELS[level], p, rounding, by_id));
        }
        let std = compile(&text);
        let o = evaluate(&std, &bs);
        let want = oracle(&bs, &limits, floor);
        for (i, w) in want.iter().enumerate() {
            let u = &o.units[i + 1];
            let got = u.tier.as_deref().map(|t| LEVELS.iter().position(|l| *l == t));
            prop_assert_eq!(got.flatten().or(Some(0)), *w, "{} in {}", u.id, facts(&bs));
        }
        // The cut-off of the top limit: the score of the last candidate within the places.
        let cutoff = o.units[1].conditions["五星"]
            .iter()
            .find(|c| c.kind == "limit")
            .and_then(|c| c.limit.as_ref())
            .and_then(|l| l.cutoff.clone());
        prop_assert_eq!(cutoff, oracle_cutoff(&bs, top, rounding), "{}", facts(&bs));
    }
}

#[test]
fn rating_rules_need_tiers_and_sensible_shares() {
    let bad = |text: &str| match Standard::compile("bad.std", text) {
        Ok(_) => panic!("compiled: {text}"),
        Err(e) => e.render(Lang::En),
    };
    let base = "standard s {}\nkind 社区\nfacts 社区 { 上年: tier }\n";
    assert!(bad(base).contains("`社区` has no tiers"), "{}", bad(base));
    let tiers = "standard s {}\nkind 社区\nfacts 社区 { 分: points }\nscore 社区 = 分\ntiers 社区 { 合格 { score >= 60 } }\n";
    let share =
        format!("{tiers}limit 社区 合格: 120% among all by (score) ties shared round down\n");
    assert!(
        bad(&share).contains("more than 0% and at most 100%, not 120%"),
        "{}",
        bad(&share)
    );
    let twice = format!(
        "{tiers}limit 社区 合格: 20% among all by (score) ties shared round down\nlimit 社区 合格: 30% among all by (score) ties shared round up\n"
    );
    assert!(bad(&twice).contains("limited twice"), "{}", bad(&twice));
    let param = "standard s {}\nkind 社区\nparam 上年: tier\n";
    assert!(bad(param).contains("belongs to a kind"), "{}", bad(param));
}

#[test]
fn outcomes_of_rating_rules_are_in_the_json() {
    let std = compile(TOP_LIMIT);
    let o = evaluate(&std, &[branch((48, 48), 96, 3), branch((47, 47), 96, 3)]);
    let json: Value = serde_json::to_value(&o.units[2]).expect("json");
    let limit = json["conditions"]["五星"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["kind"] == "limit"))
        .cloned()
        .expect("the limit condition");
    assert_eq!(limit["limit"]["rank"], "2");
    assert_eq!(limit["limit"]["places"], "0");
    assert_eq!(limit["limit"]["share"], "30%");
    assert_eq!(limit["limit"]["product"], "0.6");
    assert_eq!(
        limit["limit"]["cutoff"],
        Value::Null,
        "no places, no cut-off"
    );
    assert_eq!(json["rated"], "pass");
}

#[test]
fn levels_move_within_the_scale_and_take_min_and_max() {
    let derive = "计算 支部 {\n  高一级: 等级 = 上年星级 + 1\n  低一级: 等级 = 上年星级 - 1\n  保底: 等级 = 最大(上年星级 - 1, 三星)\n  至多: 等级 = min(上年星级 + 2, 四星)\n  已是五星 = 上年星级 > 四星\n}\n";
    let std = compile(derive);
    let all: Vec<Branch> = (0..4).map(|l| branch((40, 40), 80, l)).collect();
    let o = evaluate(&std, &all);
    let row = |i: usize| {
        let d = &o.units[i + 1].derived;
        ["高一级", "低一级", "保底", "至多", "已是五星"]
            .map(|k| d[k].clone().unwrap_or_default())
            .join(" ")
    };
    assert_eq!(
        row(0),
        "三星 无 三星 四星 false",
        "无: one above is the lowest"
    );
    assert_eq!(row(1), "四星 无 三星 四星 false");
    assert_eq!(row(2), "五星 三星 三星 四星 false");
    assert_eq!(
        row(3),
        "五星 四星 四星 四星 true",
        "五星: one above stays the top"
    );
}

/// A limit by a value that is itself a rank: the cut-off reads the peers' ranks, which are known
/// only once every peer's score is — so every unit, first or last in the file, sees the same
/// cut-off (the rank of the last unit within the places).
#[test]
fn a_limit_by_a_rank_has_one_cut_off_for_every_unit() {
    let std = compile(
        "限额 支部 五星: 50% 比较范围 所有 按 (排名 (得分) 比较范围 所有 并列时 按编号) 升序 并列时 按编号 取整 向下 \"五星不超过一半\" 依据 \"三、(四)\"",
    );
    let o = evaluate(
        &std,
        &[
            branch((48, 48), 96, 3),
            branch((47, 48), 95, 3),
            branch((49, 48), 97, 3),
            branch((46, 48), 94, 3),
        ],
    );
    let cutoffs: Vec<Option<String>> = o.units[1..]
        .iter()
        .map(|u| {
            u.conditions["五星"]
                .iter()
                .find_map(|c| c.limit.as_ref())
                .and_then(|l| l.cutoff.clone())
        })
        .collect();
    assert_eq!(cutoffs, vec![Some("2".to_string()); 4]);
    assert_eq!(
        ["B00", "B01", "B02", "B03"].map(|id| tier(&o, id)),
        [Some("五星"), Some("四星"), Some("五星"), Some("四星")]
    );
}

/// A limit's cut-off (the value at its last place) is not known while a candidate's value is
/// missing, wherever that candidate would rank; once the value is given, it is the value at the
/// last place.
#[test]
fn a_cut_off_waits_for_every_candidates_value() {
    let text = r#"
standard cutoff-test { title "分数线" }
kind 镇 contains 村
kind 村
facts 村 {
  达标: bool "达标"
  积分: int "积分"
}
tiers 村 {
  优秀 { 达标 }
}
limit 村 优秀: 50% among 镇 by (积分) ties by_id round down
"#;
    let cutoff = |third: &str| {
        let facts = format!(
            r#"{{"units": [
  {{"id": "Z", "kind": "镇"}},
  {{"id": "C1", "kind": "村", "parent": "Z", "facts": {{"达标": true, "积分": 90}}}},
  {{"id": "C2", "kind": "村", "parent": "Z", "facts": {{"达标": true, "积分": 80}}}},
  {{"id": "C3", "kind": "村", "parent": "Z", "facts": {{"达标": true{third}}}}},
  {{"id": "C4", "kind": "村", "parent": "Z", "facts": {{"达标": false, "积分": 70}}}}
]}}"#
        );
        let o = duibiao_tests::outcome_of(text, &facts);
        o.units[1].conditions["优秀"]
            .iter()
            .find_map(|c| c.limit.as_ref())
            .and_then(|l| l.cutoff.clone())
    };
    assert_eq!(cutoff(""), None, "C3's 积分 is missing");
    assert_eq!(cutoff(r#", "积分": 85"#).as_deref(), Some("85"));
}
