//! Guide distributions end to end (`指导比例 支部 五星: 约 10% 比较范围 所有`): the numbers reported per
//! group of peers, exact and with unknown tiers and ratings, in the `eval` table's words and in
//! JSON, kept up to date by a live evaluation; and, on random branches, that a guide changes no
//! outcome and counts what the outcomes say.

use duibiao::{Assignment, GuideReport, Lang, Options, Outcome, Standard, Verdict};
use proptest::prelude::*;
use serde_json::{json, Value};

/// A star rating of branches in towns of a district, written with the Chinese keywords.
fn source(rules: &str) -> String {
    format!(
        r#"
标准 guide-test {{
  标题 “指导比例测试”
}}
单位 区 包含 镇
单位 镇 包含 支部
单位 支部

填报 支部 {{
  新成立: 是否 "当年新成立"
}}

评分 支部 总分 100 "考评表" {{
  项目 1 "组织建设" 满分 50分
  项目 2 "作用发挥" 满分 50分
}}

等级 支部 依据 "二" {{
  一星 {{ 得分 >= 60 }}
  二星 基于 一星 {{ 得分 >= 70 }}
  三星 基于 二星 {{ 得分 >= 80 }}
  四星 基于 三星 {{ 得分 >= 88 }}
  五星 基于 四星 {{ 得分 >= 95 }}
}}

不定级 支部 当年新成立: 新成立 "当年新成立的不评定星级" 依据 "三、(三)"
{rules}
"#
    )
}

const GUIDES: &str = "\
指导比例 支部 五星: 约 10% 比较范围 镇 \"五星级约占10%\" 依据 \"四、(二)\"
指导比例 支部 四星: 约 30% 比较范围 同级 \"四星级约占30%\" 依据 \"四、(二)\"
指导比例 支部 二星 及以下: 约 20% 比较范围 所有 \"二星级及以下约占20%\" 依据 \"四、(二)\"
";

fn compile(rules: &str) -> Standard {
    Standard::compile("guides.std", &source(rules))
        .unwrap_or_else(|e| panic!("{}", e.render(Lang::En)))
}

/// Two towns. 城关镇: 五星 (97), 四星 (93), one with its second item missing (45 + ?: any tier),
/// one new (not rated), one whose newness is unknown (50: below every tier if rated). 新桥镇:
/// 三星 (81), 一星 (65), none (50).
fn fixture() -> String {
    let branch = |id: &str, town: &str, scores: Value, new: Value| json!({"id": id, "kind": "支部", "parent": town, "scores": scores, "facts": {"新成立": new}});
    json!({"standard": "guide-test", "units": [
        {"id": "R", "name": "城区", "kind": "区"},
        {"id": "Z1", "name": "城关镇", "kind": "镇", "parent": "R"},
        {"id": "Z2", "name": "新桥镇", "kind": "镇", "parent": "R"},
        branch("a", "Z1", json!({"1": 49, "2": 48}), json!(false)),
        branch("b", "Z1", json!({"1": 47, "2": 46}), json!(false)),
        branch("c", "Z1", json!({"1": 45}), json!(false)),
        branch("d", "Z1", json!({"1": 49, "2": 49}), json!(true)),
        branch("e", "Z1", json!({"1": 25, "2": 25}), Value::Null),
        branch("f", "Z2", json!({"1": 41, "2": 40}), json!(false)),
        branch("g", "Z2", json!({"1": 33, "2": 32}), json!(false)),
        branch("h", "Z2", json!({"1": 25, "2": 25}), json!(false)),
    ]})
    .to_string()
}

fn lines(guides: &[GuideReport], lang: Lang) -> Vec<String> {
    guides
        .iter()
        .flat_map(|g| {
            duibiao::guide_text(g, lang)
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn each_group_of_peers_gets_its_numbers() {
    let std = compile(GUIDES);
    let (facts, problems) = std.load_facts(&fixture());
    assert!(problems.is_empty(), "{problems:?}");
    let o = std.evaluate(&facts, &Options::new()).expect("evaluated");
    // 城关镇: a, b and c rated, e may be; a at 五星, c may be. Lowest share: c and e rated below
    // it, 1 of 4; highest: c at it and e not rated, 2 of 3.
    assert_eq!(
        lines(&o.guides, Lang::Zh),
        [
            "指导比例 支部 五星 约 10%（城关镇）：参评 3 至 4 个，约 0.3 至 0.4 个；实际 1 至 2 个（25% 至 66.67%），差 +0.6 至 +1.7 个",
            "指导比例 支部 五星 约 10%（新桥镇）：参评 3 个，约 0.3 个；实际 0 个（0%），差 -0.3 个",
            "指导比例 支部 四星 约 30%（城关镇）：参评 3 至 4 个，约 0.9 至 1.2 个；实际 1 至 2 个（25% 至 66.67%），差 -0.2 至 +1.1 个",
            "指导比例 支部 四星 约 30%（新桥镇）：参评 3 个，约 0.9 个；实际 0 个（0%），差 -0.9 个",
            // Below 三星, no tier included: g and h; c and e may be.
            "指导比例 支部 二星 及以下 约 20%：参评 6 至 7 个，约 1.2 至 1.4 个；实际 2 至 4 个（33.33% 至 57.14%），差 +0.8 至 +2.6 个",
        ]
    );
    assert_eq!(
        lines(&o.guides[2..], Lang::En),
        ["guide 支部 二星 or_below about 20%: 6 to 7 rated, about 1.2 to 1.4; actual 2 to 4 (33.33% to 57.14%), difference +0.8 to +2.6"]
    );
    let json = serde_json::to_value(&o.guides).expect("json");
    assert_eq!(
        json[0],
        json!({
            "kind": "支部", "tier": "五星", "or_below": false, "share": "10%", "among": "镇",
            "text": "五星级约占10%", "clause": "四、(二)",
            "groups": [
                {
                    "within": "Z1", "within_name": "城关镇",
                    "peers": 3, "peers_unknown": 1,
                    "expected": null, "expected_bounds": {"least": "0.3", "most": "0.4"},
                    "actual": 1, "actual_unknown": 1,
                    "actual_share": null, "actual_share_bounds": {"least": "25%", "most": "66.67%"},
                    "difference": null, "difference_bounds": {"least": "0.6", "most": "1.7"}
                },
                {
                    "within": "Z2", "within_name": "新桥镇",
                    "peers": 3, "peers_unknown": 0,
                    "expected": "0.3", "actual": 0, "actual_unknown": 0,
                    "actual_share": "0%", "difference": "-0.3"
                }
            ]
        })
    );
    assert_eq!(json[1]["among"], "siblings");
    assert_eq!(json[2]["among"], "all");
}

#[test]
fn a_live_evaluation_reports_them_as_the_facts_change() {
    let std = compile(GUIDES);
    let (facts, _) = std.load_facts(&fixture());
    let mut live = std.live(facts, &Options::new()).expect("live");
    for set in ["c.2=44", "e.新成立=true"] {
        live.assign(&Assignment::Text(set.into()))
            .expect("assigned");
    }
    // c is 89: 四星; e is not rated.
    assert_eq!(
        lines(&live.guides(), Lang::Zh)[..3],
        [
            "指导比例 支部 五星 约 10%（城关镇）：参评 3 个，约 0.3 个；实际 1 个（33.33%），差 +0.7 个",
            "指导比例 支部 五星 约 10%（新桥镇）：参评 3 个，约 0.3 个；实际 0 个（0%），差 -0.3 个",
            "指导比例 支部 四星 约 30%（城关镇）：参评 3 个，约 0.9 个；实际 2 个（66.67%），差 +1.1 个",
        ]
    );
    assert_eq!(live.guides(), live.outcome().guides);
}

#[test]
fn a_kind_without_units_and_a_standard_without_guides() {
    let std = compile("指导比例 支部 五星: 约 10% 比较范围 所有");
    let (facts, _) =
        std.load_facts(r#"{"standard": "guide-test", "units": [{"id": "R", "kind": "区"}]}"#);
    let o = std.evaluate(&facts, &Options::new()).expect("evaluated");
    assert_eq!(
        lines(&o.guides, Lang::Zh),
        ["指导比例 支部 五星 约 10%：没有 支部"]
    );
    let plain = compile("");
    let (facts, _) = plain.load_facts(&fixture());
    let o = plain.evaluate(&facts, &Options::new()).expect("evaluated");
    assert!(o.guides.is_empty());
    let json = serde_json::to_value(&o).expect("json");
    assert!(json.get("guides").is_none(), "no guides, no field");
}

// ---------------------------------------------------------------- random branches

/// One branch: its town (0 or 1), its two items (`None`: not reported) and whether it is new
/// (`None`: not reported).
type Branch = (usize, Option<u32>, Option<u32>, Option<bool>);

fn random_facts(branches: &[Branch]) -> String {
    let mut units = vec![
        json!({"id": "R", "kind": "区"}),
        json!({"id": "Z0", "kind": "镇", "parent": "R"}),
        json!({"id": "Z1", "kind": "镇", "parent": "R"}),
    ];
    for (i, (town, one, two, new)) in branches.iter().enumerate() {
        let mut scores = json!({});
        if let Some(p) = one {
            scores["1"] = json!(p);
        }
        if let Some(p) = two {
            scores["2"] = json!(p);
        }
        units.push(json!({
            "id": format!("B{i:02}"), "kind": "支部", "parent": format!("Z{town}"),
            "scores": scores, "facts": {"新成立": new}
        }));
    }
    json!({"standard": "guide-test", "units": units}).to_string()
}

fn branches() -> impl Strategy<Value = Vec<Branch>> {
    let item = prop::option::weighted(0.9, 25u32..=50);
    let new = prop::option::weighted(0.9, prop::bool::weighted(0.15));
    prop::collection::vec((0usize..2, item.clone(), item, new), 0..16)
}

const LIMIT: &str =
    "限额 支部 五星: 30% 比较范围 所有 按 (得分) 并列时 按编号 取整 向下 \"五星不超过30%\"\n";

fn outcome(std: &Standard, facts: &str) -> Outcome {
    let (loaded, problems) = std.load_facts(facts);
    assert!(problems.is_empty(), "{problems:?}");
    std.evaluate(&loaded, &Options::new()).expect("evaluated")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A guide changes no verdict: every unit's outcome, and its explanation, are the same with
    /// and without guides (with a limit on the top tier, whose ranks read the tiers too).
    #[test]
    fn guides_change_no_outcome(bs in branches()) {
        let facts = random_facts(&bs);
        let without = outcome(&compile(LIMIT), &facts);
        let with = outcome(&compile(&format!("{LIMIT}{GUIDES}")), &facts);
        prop_assert!(without.guides.is_empty());
        prop_assert_eq!(with.guides.len(), 3);
        prop_assert_eq!(&with.units, &without.units);
        for (a, b) in with.units.iter().zip(&without.units) {
            prop_assert_eq!(
                duibiao::explain_text(a, Lang::Zh),
                duibiao::explain_text(b, Lang::Zh)
            );
        }
    }

    /// With every fact known, a guide counts what the outcomes say: the rated branches of each
    /// group, and those whose tier reached is the tier (or, `及以下`, one below it or none).
    #[test]
    fn known_facts_give_the_counts_of_the_outcomes(bs in branches()) {
        let known: Vec<Branch> = bs
            .iter()
            .map(|&(t, a, b, n)| (t, a.or(Some(40)), b.or(Some(40)), n.or(Some(false))))
            .collect();
        let o = outcome(&compile(GUIDES), &random_facts(&known));
        let branches: Vec<_> = o.units.iter().filter(|u| u.kind == "支部").collect();
        let order = ["一星", "二星", "三星", "四星", "五星"];
        let level = |t: Option<&str>| t.and_then(|t| order.iter().position(|o| *o == t));
        for g in &o.guides {
            let tier = order.iter().position(|o| *o == g.tier).expect("a tier");
            for group in &g.groups {
                let members: Vec<_> = branches
                    .iter()
                    .filter(|u| g.among == "all" || u.parent == group.within)
                    .filter(|u| u.rated == Some(Verdict::Pass))
                    .collect();
                let at = members
                    .iter()
                    .filter(|u| match (g.or_below, level(u.tier.as_deref())) {
                        (true, l) => l.is_none_or(|l| l <= tier),
                        (false, l) => l == Some(tier),
                    })
                    .count();
                prop_assert_eq!((group.peers, group.peers_unknown), (members.len(), 0));
                prop_assert_eq!((group.actual, group.actual_unknown), (at, 0));
                let share: rust_decimal::Decimal = g.share.trim_end_matches('%').parse().expect("a share");
                let expected = share * rust_decimal::Decimal::from(members.len() as u64) / rust_decimal::Decimal::ONE_HUNDRED;
                prop_assert_eq!(group.expected.clone(), Some(expected.normalize().to_string()));
                let difference = rust_decimal::Decimal::from(at as u64) - expected;
                prop_assert_eq!(group.difference.clone(), Some(difference.normalize().to_string()));
            }
        }
    }
}

/// The traceability page lists each guide with its clause and words; a revision's impact names
/// a guide by its tier and peers.
#[test]
fn traceability_and_impact_name_the_guides() {
    let std = compile(GUIDES);
    let page = duibiao::traceability::page(&std);
    assert!(
        page.contains("### 指导比例 Guide distributions\n\n| 条款 clause | 原文 text | 规则 rule |\n|---|---|---|\n| 四、(二) | 五星级约占10% | `指导比例 支部 五星: 约 10% 比较范围 镇 \"五星级约占10%\" 依据 \"四、(二)\"` |\n"),
        "{page}"
    );
    let places: Vec<String> = duibiao::impact::rules(&std)
        .into_iter()
        .map(|r| r.place)
        .filter(|p| p.contains("指导比例"))
        .collect();
    assert_eq!(
        places,
        [
            "支部 · 指导比例 五星 比较范围 镇",
            "支部 · 指导比例 四星 比较范围 同级",
            "支部 · 指导比例 二星 及以下 比较范围 所有",
        ]
    );
}
