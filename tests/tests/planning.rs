//! The planning constructs end to end: dated parameters, quota tables, dated targets (per unit and
//! overall, hard and soft), consequences with splits, ranks among peers, conditional requirements,
//! levels computed from dates (rectification cards) and omitted clauses.

use duibiao::{Assignment, Options, Standard, Verdict};
use serde_json::json;

const SOURCE: &str = r#"
standard plan-test {
  title "规划测试"
  effective 2016-01-01 .. 2018-12-31
}
kind 区 contains 街道
kind 街道 contains 社区
kind 社区 contains 问题
kind 问题

facts 社区 {
  考核得分: points
  党员数: int
  设党总支: bool
}
facts 问题 {
  发现日期: date
  整改期限: date
  已整改: bool
}

param 规范比例: percent = {
  2016-01-01 .. 2016-12-31: 50%,
  2017-01-01 .. 2017-12-31: 85%
  2018-01-01 .. 2018-12-31: 100%
} "到2016年底50%" cite "二、1"

quota 先锋指标: int on 街道 "指标安排进度表" cite "附件1" {
  columns 2016-12-31, 2017-12-31, 2018-12-31
  "城南街道": 1, 2, 2
  JB: 1, 2, 3
}

derive 社区 {
  名次 = rank (考核得分) among siblings ties shared
  编号名次 = rank (考核得分) among siblings ties by_id
  社区数 = peers among siblings
  全区名次 = rank (考核得分) among 区 ties shared
}

derive 问题 {
  卡: enum(绿牌, 黄牌, 红牌) = if 已整改 then 绿牌 else if as_of > 整改期限 then 红牌 else 黄牌
  逾期天数 = as_of - 整改期限
  发现天数 = as_of - 发现日期
}

requirements 社区 组织设置 {
  党总支: 设党总支 when 党员数 >= 50 "党员50名以上的设党总支" cite "附件2 第8条"
}

tiers 社区 {
  规范社区 { 组织设置  无红牌: not any 问题 where (卡 == 红牌) }
  先锋社区 requires 规范社区 { 中等以上: 名次 <= ceil(社区数 / 2) "位列所在街道中等以上" }
}
tiers 街道 {
  规范街道 { all 社区 at 规范社区 }
}

target 规范社区过半 on 街道 due 2016-12-31: share 社区 at 规范社区 >= 规范比例 "每个街道至少有50%以上的社区建成规范社区" cite "二、1"
target 先锋进度 on 街道 due quota 先锋指标: count 社区 at 先锋社区 >= 先锋指标 cite "附件1"
target 规范街道数 overall due 2016-12-31: count 街道 at 规范街道 >= 2 "全区至少建成2个规范街道" cite "二、1"
target 力争先锋街道 overall due 2017-12-31 soft: count 街道 at 规范街道 >= 3 "力争建成1个先锋街道"

consequence 先锋补助 on 社区 when 先锋社区 amount 20万元 split 市级 50%, 区级 50% "补助20万元，市、区各承担50%" cite "三、5"

omit "三、实施步骤" reason "工作安排，不涉及评价"
"#;

fn compile() -> Standard {
    Standard::compile("plan.std", SOURCE)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)))
}

fn community(id: &str, parent: &str, score: f64, members: i64, branch: bool) -> serde_json::Value {
    json!({"id": id, "kind": "社区", "parent": parent,
           "facts": {"考核得分": score, "党员数": members, "设党总支": branch}})
}

fn forest() -> serde_json::Value {
    json!({"as_of": "2017-06-30", "units": [
        {"id": "Q", "kind": "区"},
        {"id": "CN", "name": "城南街道", "kind": "街道", "parent": "Q"},
        community("A", "CN", 90.0, 30, false),
        community("B", "CN", 80.0, 60, true),
        community("C", "CN", 80.0, 60, false),
        community("D", "CN", 70.0, 10, false),
        {"id": "JB", "name": "嘉北街道", "kind": "街道", "parent": "Q"},
        community("E", "JB", 95.0, 10, false),
        {"id": "P1", "kind": "问题", "parent": "E",
         "facts": {"发现日期": "2017-01-01", "整改期限": "2017-03-31", "已整改": false}},
        {"id": "P2", "kind": "问题", "parent": "A",
         "facts": {"发现日期": "2017-05-01", "整改期限": "2017-07-31", "已整改": false}},
        {"id": "P3", "kind": "问题", "parent": "B",
         "facts": {"发现日期": "2017-01-01", "整改期限": "2017-03-31", "已整改": true}}
    ]})
}

#[test]
fn compiles_clean_and_keeps_omitted_clauses() {
    let s = compile();
    assert!(s.warnings().is_empty(), "{:#?}", s.warnings());
    let graph = duibiao_tests::engine::compile("plan.std", SOURCE).graph;
    assert_eq!(graph.omitted.len(), 1);
    assert_eq!(graph.omitted[0].clause, "三、实施步骤");
}

#[test]
fn ranks_peers_cards_and_conditional_requirements() {
    let s = compile();
    let (loaded, errors) = s.load_facts(&forest().to_string());
    assert!(errors.is_empty(), "{errors:?}");
    let o = s
        .evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let unit = |id: &str| {
        o.units
            .iter()
            .find(|u| u.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let d = |id: &str, name: &str| unit(id).derived[name].clone();
    // Shared ties: 90 → 1, 80 and 80 → 2, 70 → 4; by id: B before C.
    assert_eq!(d("A", "名次").as_deref(), Some("1"));
    assert_eq!(d("B", "名次").as_deref(), Some("2"));
    assert_eq!(d("C", "名次").as_deref(), Some("2"));
    assert_eq!(d("D", "名次").as_deref(), Some("4"));
    assert_eq!(d("B", "编号名次").as_deref(), Some("2"));
    assert_eq!(d("C", "编号名次").as_deref(), Some("3"));
    assert_eq!(d("A", "社区数").as_deref(), Some("4"));
    assert_eq!(d("E", "社区数").as_deref(), Some("1"));
    // Among all communities of the district: E (95) is first, D (70) fifth.
    assert_eq!(d("E", "全区名次").as_deref(), Some("1"));
    assert_eq!(d("D", "全区名次").as_deref(), Some("5"));
    // Cards on 2017-06-30: P1 overdue → 红牌, P2 not yet due → 黄牌, P3 rectified → 绿牌.
    assert_eq!(d("P1", "卡").as_deref(), Some("红牌"));
    assert_eq!(d("P2", "卡").as_deref(), Some("黄牌"));
    assert_eq!(d("P3", "卡").as_deref(), Some("绿牌"));
    assert_eq!(d("P1", "逾期天数").as_deref(), Some("91天"));
    // C has 60 members and no 党总支: the conditional requirement applies and fails.
    let req = &unit("C").requirements[0].requirements[0];
    assert_eq!(
        (req.applies, req.verdict),
        (Some(Verdict::Pass), Verdict::Fail)
    );
    let req = &unit("A").requirements[0].requirements[0];
    assert_eq!(
        (req.applies, req.verdict),
        (Some(Verdict::Fail), Verdict::Pass)
    );
    // Tiers: E has a red card; top half of 4 is rank <= 2.
    let tier = |id: &str| unit(id).tier.clone();
    assert_eq!(tier("A").as_deref(), Some("先锋社区"));
    assert_eq!(tier("B").as_deref(), Some("先锋社区"));
    assert_eq!(tier("C"), None);
    assert_eq!(tier("D").as_deref(), Some("规范社区"));
    assert_eq!(tier("E"), None);
    // Consequences: 20万 split 50/50 for each 先锋社区.
    let c = &unit("A").consequences[0];
    assert_eq!(c.applies, Verdict::Pass);
    assert_eq!(c.amount.as_deref(), Some("200000元"));
    assert_eq!(
        c.split[0],
        ("市级".to_string(), Some("100000元".to_string()))
    );
    assert_eq!(unit("D").consequences[0].amount, None);
}

#[test]
fn progress_checks_each_target_on_its_due_date() {
    let s = compile();
    let (loaded, _) = s.load_facts(&forest().to_string());
    let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_default();
    let p = s
        .progress(&loaded, &Options::new().as_of(date("2017-12-31")))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let names: Vec<(&str, &str, Verdict)> = p
        .targets
        .iter()
        .map(|t| (t.due.as_str(), t.name.as_str(), t.status))
        .collect();
    assert_eq!(
        names,
        vec![
            ("2016-12-31", "规范社区过半", Verdict::Pass),
            ("2016-12-31", "先锋进度", Verdict::Pass),
            ("2016-12-31", "规范街道数", Verdict::Fail),
            ("2017-12-31", "先锋进度", Verdict::Fail),
            ("2017-12-31", "力争先锋街道", Verdict::Fail),
        ]
    );
    // Each due date is checked as of that date: on 2016-12-31 P1 is not yet overdue, so E is
    // still 规范 and 先锋; by 2017-12-31 its red card has cost it both.
    // On 2016-12-31 the required share is 50% (the value in force then): 城南 has 3 of 4 规范.
    let share = &p.targets[0];
    let cn = share
        .rows
        .iter()
        .find(|r| r.unit.as_deref() == Some("CN"))
        .unwrap_or_else(|| panic!("CN"));
    assert_eq!(
        (cn.verdict, cn.actual.as_deref(), cn.required.as_deref()),
        (Verdict::Pass, Some("75%"), Some("50%"))
    );
    // Quota rows by name (城南街道) and by id (JB), column by due date.
    let q2017 = &p.targets[3];
    let req: Vec<(Option<&str>, Option<&str>)> = q2017
        .rows
        .iter()
        .map(|r| (r.unit.as_deref(), r.required.as_deref()))
        .collect();
    assert_eq!(req, vec![(Some("CN"), Some("2")), (Some("JB"), Some("2"))]);
    // The soft target is reported but does not count against the plan; the hard ones do.
    assert!(p.targets[4].soft);
    assert!(!p.all_hard_met);
    // Nothing is due before the first due date.
    let early = s
        .progress(&loaded, &Options::new().as_of(date("2016-06-30")))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(early.targets.is_empty() && early.all_hard_met);
}

#[test]
fn dated_parameters_follow_the_evaluation_date() {
    let s = compile();
    let mut f = forest();
    f["as_of"] = json!(null);
    let (loaded, _) = s.load_facts(&f.to_string());
    // Without a date the dated value is not known: the evaluation still runs, says so, and the
    // target reading it is unknown.
    let o = s
        .evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(o.unresolved_params.len(), 1);
    assert_eq!(o.unresolved_params[0].why, duibiao::Missing::NoDate);
    let on = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or_default();
    let o = s
        .evaluate(&loaded, &Options::new().as_of(on))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        o.unresolved_params.first().map(|m| &m.why),
        Some(&duibiao::Missing::NotOn(on))
    );
    // A value supplied by the user wins over the dated values.
    let options = Options::new()
        .as_of(on)
        .param_text("规范比例=60%")
        .unwrap_or_else(|e| panic!("{e}"));
    let o = s
        .evaluate(&loaded, &options)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(o.unresolved_params.is_empty());
}

#[test]
fn period_and_quota_mistakes_are_diagnosed() {
    let broken = SOURCE
        .replace(
            "2017-01-01 .. 2017-12-31: 85%",
            "2016-12-01 .. 2017-11-30: 85%",
        )
        .replace("\"城南街道\": 1, 2, 2", "\"城南街道\": 1, 2")
        .replace("市级 50%, 区级 50%", "市级 50%, 区级 40%");
    let e = Standard::compile("plan.std", &broken)
        .err()
        .unwrap_or_else(|| panic!("compiled"));
    let codes: Vec<&str> = e.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(
        codes,
        vec!["E0122", "E0122", "E0123", "E0124"],
        "{}",
        e.render(duibiao::Lang::En)
    );
    let text = e.render(duibiao::Lang::En);
    assert!(text.contains("overlap"), "{text}");
    assert!(
        text.contains("no value between 2017-11-30 and 2018-01-01"),
        "{text}"
    );
}

#[test]
fn ranks_with_unknown_peers_are_decided_when_they_can_be() {
    let s = compile();
    let mut f = forest();
    // D's score is not reported: A (90) is first or second whatever D has, D's own rank is open.
    f["units"][5]["facts"]
        .as_object_mut()
        .map(|m| m.remove("考核得分"));
    let (loaded, _) = s.load_facts(&f.to_string());
    let o = s
        .evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let unit = |id: &str| {
        o.units
            .iter()
            .find(|u| u.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let top_half = |id: &str| {
        unit(id).conditions["先锋社区"]
            .iter()
            .find(|c| c.label.as_deref() == Some("中等以上"))
            .map(|c| c.verdict)
    };
    assert_eq!(unit("D").derived["名次"], None);
    assert_eq!(top_half("A"), Some(Verdict::Pass));
    // B and C (80) are 2nd or 3rd: not decided.
    assert_eq!(top_half("B"), Some(Verdict::Unknown));
    assert_eq!(top_half("D"), Some(Verdict::Unknown));
}

#[test]
fn live_updates_move_ranks_of_peers() {
    let s = compile();
    let (loaded, _) = s.load_facts(&forest().to_string());
    let (reference, _) = s.load_facts(&forest().to_string());
    let mut live = s
        .live(loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(live.as_of(), reference.as_of());
    // The reference: the facts as loaded, with every change so far as a what-if assignment.
    let mut changed = Options::new();
    for a in [
        "D.考核得分=99",
        "A.考核得分=10",
        "E.考核得分=null",
        "P1.已整改=true",
    ] {
        let a = Assignment::Text(a.to_string());
        live.assign(&a).unwrap_or_else(|e| panic!("{a:?}: {e:?}"));
        changed = changed.set(a.clone());
        let full = s
            .evaluate(&reference, &changed)
            .unwrap_or_else(|e| panic!("{a:?}: {e:?}"));
        for u in &full.units {
            assert_eq!(live.unit(&u.id).as_ref(), Some(u), "{} after {a:?}", u.id);
        }
    }
    // D (99) now ranks first among 城南街道's communities.
    let d = live.unit("D").unwrap_or_else(|| panic!("D"));
    assert_eq!(d.derived["名次"].as_deref(), Some("1"));
}
