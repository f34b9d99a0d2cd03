//! The language's features end to end, on a small standard written with the Chinese keywords:
//! quantities with units, levels, dates, parameters (given and open), formulas, requirement
//! groups, aggregates (`direct`, `where`, `ifnone`, `sum`), vetoes and three-valued results.

use duibiao::{Options, Standard, Verdict};
use duibiao_tests::{codes, unit_key};
use serde_json::json;

const SOURCE: &str = r#"
# 功能测试：全部用中文关键字书写
标准 feature-test {
  标题 “功能测试标准”
  有效期 2024-01-01 至 2024-12-31
}
单位 街道 包含 社区
单位 社区 包含 小区
单位 小区

填报 社区 {
  户数: 整数 "常住户数"
  面积: 面积 "党群服务中心面积"
  经费: 金额
  满意度: 百分比
  学时: 学时数
  星级: 档次（一星级，二星级，三星级）
  成立日期: 日期
}
填报 小区 {
  一票否决: 是否
  党员数: 整数
}

参数 面积下限 = 350平方米 "面积350平方米以上" 依据 "附件2 第12条"
参数 优秀小区数: 整数 "X个" 依据 "附件1 第3条"

计算 社区 {
  需配工作者 = 如果 户数 超过 2000 则 8 + 向上取整((户数 - 2000) / 350) 否则 8  "超过2000户的每350户增配1名"
  户均经费 = 经费 / 户数
  成立天数 = 2024-12-31 - 成立日期
  党员总数 = 合计 小区 的 (党员数)
}

要求 社区 基本要求 "基本要求" 依据 "附件2" {
  分组 阵地建设 {
    面积达标: 面积 不少于 面积下限 "面积350平方米以上" 依据 "附件2 第12条"
  }
  经费达标: 经费 >= 15万元 "服务经费不少于15万元"
  满意度达标: 满意度 >= 85% "群众满意度85%以上"
  星级达标: 星级 >= 三星级 "三星级以上"
  学时达标： 学时 ≥ 56学时 "每年56学时以上"
}

评分 小区 总分 10 依据 "附件3" {
  项目 1 "整体" 满分 10分
}

等级 小区 依据 "三、小区" {
  达标 { 得分 >= 6 }
  优秀 基于 达标 { 得分 >= 9 }
}

等级 社区 依据 "三、社区" {
  合格 {
    基本要求
    全部达标: 所有 直属 小区 达到 达标
    优秀够数: 数量 小区 满足 (得分 >= 9) >= 优秀小区数
    达标比例: 比例 小区 达到 达标 若无 100% >= 50%
  }
}

否决 小区 一票否决事项: 一票否决 阻止 达标
"#;

fn compile() -> Standard {
    Standard::compile("feature.std", SOURCE)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)))
}

fn community(facts: serde_json::Value) -> serde_json::Value {
    json!({"id": "SQ", "kind": "社区", "facts": facts})
}

#[test]
fn chinese_keywords_compile_clean() {
    let s = compile();
    assert!(s.warnings().is_empty(), "{:#?}", s.warnings());
    assert_eq!(s.slug(), "feature-test");
    assert!(s.fingerprint().starts_with("sha256:"));
}

#[test]
fn formulas_units_levels_and_dates() {
    let s = compile();
    let facts = json!({
        "params": {"优秀小区数": 1},
        "units": [
            community(json!({"户数": 2701, "面积": "350平方米", "经费": "15万元", "满意度": "85%",
                              "学时": 56, "星级": "三星级", "成立日期": "2024-01-01"})),
            {"id": "XQ1", "kind": "小区", "parent": "SQ", "scores": {"1": 9}, "facts": {"一票否决": false, "党员数": 30}},
            {"id": "XQ2", "kind": "小区", "parent": "SQ", "scores": {"1": 6.5}, "facts": {"一票否决": false, "党员数": 12}}
        ]
    });
    let (loaded, errors) = s.load_facts(&facts.to_string());
    assert!(errors.is_empty(), "{errors:?}");
    let o = s
        .evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let sq = &o.units[0];
    // 2701 户: 8 + ceil(701 / 350) = 8 + 3.
    assert_eq!(sq.derived["需配工作者"].as_deref(), Some("11"));
    assert_eq!(sq.derived["成立天数"].as_deref(), Some("365天"));
    assert_eq!(sq.derived["党员总数"].as_deref(), Some("42"));
    // 150000 元 / 2701 户, exact decimal division.
    assert!(
        sq.derived["户均经费"]
            .as_deref()
            .is_some_and(|v| v.starts_with("55.53498")),
        "{:?}",
        sq.derived
    );
    // Every requirement at its boundary passes (以上/不少于 include the number).
    assert_eq!(
        sq.requirements
            .iter()
            .map(|g| g.verdict)
            .collect::<Vec<_>>(),
        vec![Verdict::Pass, Verdict::Pass]
    );
    assert_eq!(sq.tier.as_deref(), Some("合格"));
    assert_eq!(o.units[1].tier.as_deref(), Some("优秀"));
    assert_eq!(o.units[2].tier.as_deref(), Some("达标"));
}

#[test]
fn one_below_each_boundary_fails_its_requirement() {
    let s = compile();
    let cases = [
        ("面积", json!(349.99), "面积达标"),
        ("经费", json!("14.9999万元"), "经费达标"),
        ("满意度", json!(84.99), "满意度达标"),
        ("星级", json!("二星级"), "星级达标"),
        ("学时", json!(55.5), "学时达标"),
    ];
    for (key, value, requirement) in cases {
        let mut f = json!({"户数": 100, "面积": 350, "经费": 150000, "满意度": "90%", "学时": 60, "星级": "三星级", "成立日期": "2020-01-01"});
        f[key] = value.clone();
        let facts = json!({"params": {"优秀小区数": 0}, "units": [community(f)]});
        let (loaded, errors) = s.load_facts(&facts.to_string());
        assert!(errors.is_empty(), "{errors:?}");
        let o = s
            .evaluate(&loaded, &Options::new())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let failed: Vec<&str> = o.units[0]
            .requirements
            .iter()
            .flat_map(|g| &g.requirements)
            .filter(|r| r.verdict == Verdict::Fail)
            .filter_map(|r| r.label.as_deref())
            .collect();
        assert_eq!(failed, vec![requirement], "{key} = {value}");
        assert_eq!(o.units[0].tier, None, "{key}");
    }
}

#[test]
fn open_parameter_must_be_supplied() {
    let s = compile();
    let facts = json!({"units": [community(json!({}))]});
    let (loaded, _) = s.load_facts(&facts.to_string());
    let missing = s
        .evaluate(&loaded, &Options::new())
        .err()
        .map(|e| e.0)
        .unwrap_or_default();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(missing[0].code, "P0003");
    assert_eq!(unit_key(&missing[0]).1, Some("优秀小区数"));
    // The message cites the parameter's clause.
    assert!(
        missing[0].message.zh.contains("附件1 第3条"),
        "{:?}",
        missing[0].message
    );
    let param = |text: &str| {
        Options::new()
            .param_text(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    };
    assert!(s.evaluate(&loaded, &param("优秀小区数=2")).is_ok());
    // A value that does not fit, a parameter the standard does not have, and no `=`.
    let refused = |options: &Options| codes(s.evaluate(&loaded, options));
    assert_eq!(refused(&param("优秀小区数=2.5")), ["P0002"]);
    assert_eq!(refused(&param("不存在=1")), ["P0001"]);
    assert_eq!(codes(Options::new().param_text("优秀小区数")), ["P0004"]);
}

#[test]
fn empty_aggregates_and_unknowns() {
    let s = compile();
    let full = json!({"户数": 100, "面积": 400, "经费": 200000, "满意度": 90, "学时": 60, "星级": "三星级", "成立日期": "2020-01-01"});
    // No 小区: `all` holds, `count` is 0, the share takes its `ifnone` value.
    let facts = json!({"params": {"优秀小区数": 0}, "units": [community(full.clone())]});
    let (loaded, _) = s.load_facts(&facts.to_string());
    let o = s
        .evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(o.units[0].tier.as_deref(), Some("合格"));
    assert_eq!(o.units[0].derived["党员总数"].as_deref(), Some("0"));

    // A 小区 with no score: its tiers are unknown, and so is everything counting it.
    let facts = json!({"params": {"优秀小区数": 0}, "units": [community(full),
        {"id": "XQ", "kind": "小区", "parent": "SQ", "facts": {"一票否决": false}}]});
    let (loaded, _) = s.load_facts(&facts.to_string());
    let o = s
        .evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(o.units[1].tiers["达标"], Verdict::Unknown);
    assert_eq!(o.units[1].missing, vec!["党员数", "1"]);
    assert_eq!(o.units[0].tiers["合格"], Verdict::Unknown);
    assert_eq!(o.units[0].tier, None);

    // A veto fails the tier it blocks even when the score is unknown (Kleene: false wins).
    let facts = json!({"units": [{"id": "XQ", "kind": "小区", "facts": {"一票否决": true}}]});
    let (loaded, _) = s.load_facts(&facts.to_string());
    let o = s
        .evaluate(&loaded, &Options::new().param("优秀小区数", json!(1)))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(o.units[0].tiers["达标"], Verdict::Fail);
    assert_eq!(o.units[0].vetoes[0].fired, Some(true));
}

#[test]
fn wrong_values_are_reported_with_unit_and_key() {
    let s = compile();
    let facts = json!({"units": [community(json!({"户数": 2.5, "面积": "350元", "满意度": true, "星级": "五星级", "成立日期": "2024-02-30"}))]});
    let (_, errors) = s.load_facts(&facts.to_string());
    let keys: Vec<(&str, Option<&str>)> = errors
        .iter()
        .map(|e| (e.code.as_str(), unit_key(e).1))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("F0011", Some("户数")),
            ("F0011", Some("面积")),
            ("F0011", Some("满意度")),
            ("F0011", Some("星级")),
            ("F0011", Some("成立日期")),
        ]
    );
    assert!(errors.iter().all(|e| unit_key(e).0 == Some("SQ")));
}

#[test]
fn graph_and_standard_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<duibiao_compiler::Graph>();
    assert_send_sync::<Standard>();
    assert_send_sync::<duibiao::Facts>();
    assert_send_sync::<duibiao::Live>();
}

#[test]
fn fingerprint_ignores_layout_but_not_rules() {
    let a = compile();
    let relaid = Standard::compile("b.std", &SOURCE.replace("\n\n", "\n\n\n# 注释\n"))
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)));
    assert_eq!(a.fingerprint(), relaid.fingerprint());
    let changed = Standard::compile("c.std", &SOURCE.replace("得分 >= 9 }", "得分 >= 8.5 }"))
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)));
    assert_ne!(a.fingerprint(), changed.fingerprint());
}

#[test]
fn counts_and_shares_with_unknown_members_are_decided_when_they_can_be() {
    let s = compile();
    let full = json!({"户数": 100, "面积": 400, "经费": 200000, "满意度": 90, "学时": 60, "星级": "三星级", "成立日期": "2020-01-01"});
    let xq = |id: &str, score: Option<f64>| {
        let scores = score.map_or(json!({}), |v| json!({"1": v}));
        json!({"id": id, "kind": "小区", "parent": "SQ", "scores": scores, "facts": {"一票否决": false, "党员数": 1}})
    };
    let run = |units: Vec<serde_json::Value>| {
        let mut all = vec![community(full.clone())];
        all.extend(units);
        let facts = json!({"params": {"优秀小区数": 0}, "units": all});
        let (loaded, errors) = s.load_facts(&facts.to_string());
        assert!(errors.is_empty(), "{errors:?}");
        let o = s
            .evaluate(&loaded, &Options::new())
            .unwrap_or_else(|e| panic!("{e:?}"));
        o.units[0].conditions["合格"]
            .iter()
            .find(|c| c.label.as_deref() == Some("达标比例"))
            .map(|c| c.verdict)
    };
    // Two of three fail and one is unknown: at most 1/3 can be 达标, below 50%, whatever it is.
    assert_eq!(
        run(vec![xq("A", Some(1.0)), xq("B", Some(2.0)), xq("C", None)]),
        Some(Verdict::Fail)
    );
    // Two of three pass: at least 2/3, enough.
    assert_eq!(
        run(vec![xq("A", Some(9.0)), xq("B", Some(8.0)), xq("C", None)]),
        Some(Verdict::Pass)
    );
    // One passes, one fails, one unknown: 1/3 or 2/3, undecided.
    assert_eq!(
        run(vec![xq("A", Some(9.0)), xq("B", Some(1.0)), xq("C", None)]),
        Some(Verdict::Unknown)
    );
}

#[test]
fn a_group_or_tier_of_one_condition_is_that_condition() {
    let s = duibiao_tests::engine::compile("feature.std", SOURCE);
    let graph = s.graph();
    let kind = |name: &str| {
        graph
            .kinds
            .iter()
            .find(|k| k.name == name)
            .unwrap_or_else(|| panic!("no kind {name}"))
    };
    // 阵地建设 has one requirement, 面积达标: its node is the requirement's comparison.
    let community = kind("社区");
    let group = community
        .groups
        .iter()
        .find(|g| g.name == "阵地建设")
        .expect("group 阵地建设");
    assert_eq!(group.requirements.len(), 1);
    assert_eq!(group.node, group.requirements[0].node);
    assert!(matches!(
        community.nodes[group.node as usize],
        duibiao_compiler::graph::Node::Compare(..)
    ));
    // A tier of several conditions keeps its own conjunction.
    let qualified = &community.tiers[0];
    assert!(qualified.conditions.len() > 1);
    assert!(matches!(
        community.nodes[qualified.node as usize],
        duibiao_compiler::graph::Node::And(_)
    ));
    // No conjunction or disjunction of a single node is left anywhere.
    for k in &graph.kinds {
        for node in &k.nodes {
            if let duibiao_compiler::graph::Node::And(xs) | duibiao_compiler::graph::Node::Or(xs) =
                node
            {
                assert!(xs.len() > 1, "{}: {node:?}", k.name);
            }
        }
    }
}

/// A comment after a rule on its line is not part of the rule's text that outcomes show.
#[test]
fn a_comment_after_a_rule_is_not_its_text() {
    let src = "standard c { title \"c\" }\nkind 小区\nscorecard 小区 total 10 {\n  item 1 \"综合\" max 10分\n}\ntiers 小区 {\n  达标 {\n    够: score >= 6   # 六分以上\n    高: score <= 10 # 满分以内\n  }\n}\n";
    let s = Standard::compile("c.std", src).unwrap();
    let (facts, problems) =
        s.load_facts(r#"{"units": [{"id": "X", "kind": "小区", "scores": {"1": 7}}]}"#);
    assert!(problems.is_empty(), "{problems:?}");
    let explained = s.explain(&facts, "X", &Options::new()).unwrap();
    let exprs: Vec<&str> = explained
        .unit
        .conditions
        .values()
        .flatten()
        .map(|c| c.expr.as_str())
        .collect();
    assert_eq!(exprs, ["score >= 6", "score <= 10"]);
}

/// A forest-wide rule (an `overall` target) reads the evaluation date: the value it compares is
/// that date, and the target is met.
#[test]
fn a_forest_wide_rule_reads_the_evaluation_date() {
    let source =
        "standard asof-test {\n  title \"as_of in a forest-wide rule\"\n}\n\nkind 小区\n\n\
        facts 小区 {\n  达标: bool \"达标\"\n}\n\n\
        target 年内 overall due 2021-12-31: as_of >= 2021-06-01 \"评价日期在六月之后\"\n";
    let s = Standard::compile("asof.std", source)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)));
    let facts = r#"{"units": [{"id": "X", "kind": "小区", "facts": {"达标": true}}]}"#;
    let (loaded, errors) = s.load_facts(facts);
    assert!(errors.is_empty(), "{errors:?}");
    let date = chrono::NaiveDate::parse_from_str("2021-12-31", "%Y-%m-%d").unwrap();
    let p = s.progress(&loaded, &Options::new().as_of(date)).unwrap();
    let t = &p.targets[0];
    assert_eq!(t.status, Verdict::Pass);
    assert_eq!(t.rows[0].actual.as_deref(), Some("2021-12-31"), "{t:?}");
}
