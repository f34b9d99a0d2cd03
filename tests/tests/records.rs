//! Dated records (积分制) end to end: a branch's yearly points are a base of 100 plus the points
//! of its records dated within the period and on or after its founding, with the period's edges
//! included; a missing date or points leaves the sum unknown or within a range, as the language
//! reference says; records are never reported on their own, and explanations name them by their
//! fields. An oracle computed from the facts' JSON checks the sum on random records.

use duibiao::{Assignment, Lang, Options, Outcome, Standard, Verdict};
use proptest::prelude::*;
use serde_json::{json, Value};

const SOURCE: &str = r#"
标准 points-test {
  标题 “积分制测试”
}
单位 镇 包含 支部
单位 支部

填报 支部 {
  成立日期: 日期 "支部成立日期"
}

记录 支部 积分记录 "积分记录" 依据 "三" {
  日期: 日期 "记录日期"
  分值: 分值 "加分为正，扣分为负"
  事由: 文本 "加减分事由"
}

参数 评价期开始: 日期 = 2026-01-01 "评价期开始"
参数 评价期结束: 日期 = 2026-12-31 "评价期结束"

计算 支部 {
  积分 = 100分 + 合计 积分记录 满足 (日期 >= 评价期开始 且 日期 <= 评价期结束 且 日期 >= 成立日期) 的 (分值)
  扣分次数 = 数量 积分记录 满足 (分值 < 0分)
}

等级 支部 依据 "四" {
  合格 { 积分 >= 100 }
  优秀 基于 合格 { 积分 >= 105 }
}
"#;

fn standard() -> Standard {
    Standard::compile("points.std", SOURCE).unwrap_or_else(|e| panic!("{}", e.render(Lang::En)))
}

/// One record as the facts file gives it: date and points when given, and a reason.
fn record(date: Option<&str>, points: Option<i64>) -> Value {
    let mut r = json!({"事由": "测试"});
    if let Some(d) = date {
        r["日期"] = json!(d);
    }
    if let Some(p) = points {
        r["分值"] = json!(p);
    }
    r
}

fn facts(founded: Option<&str>, records: &[Value]) -> String {
    let mut branch = json!({"id": "A", "kind": "支部", "parent": "Z", "积分记录": records});
    if let Some(f) = founded {
        branch["facts"] = json!({ "成立日期": f });
    }
    json!({"units": [{"id": "Z", "kind": "镇"}, branch]}).to_string()
}

fn evaluate(std: &Standard, text: &str) -> Outcome {
    let (loaded, errors) = std.load_facts(text);
    assert!(errors.is_empty(), "{errors:?}");
    std.evaluate(&loaded, &Options::new().detail(duibiao::Detail::Members))
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// The branch's 积分 (`None`: unknown) and its tiers' verdicts.
fn points(o: &Outcome) -> (Option<String>, Verdict, Verdict) {
    let a = o.units.iter().find(|u| u.id == "A").expect("A");
    (a.derived["积分"].clone(), a.tiers["合格"], a.tiers["优秀"])
}

#[test]
fn records_dated_on_the_edges_of_the_period_count_and_a_day_outside_does_not() {
    let std = standard();
    let o = evaluate(
        &std,
        &facts(
            Some("2000-01-01"),
            &[
                record(Some("2026-01-01"), Some(2)),
                record(Some("2026-12-31"), Some(3)),
                record(Some("2025-12-31"), Some(40)),
                record(Some("2027-01-01"), Some(50)),
            ],
        ),
    );
    assert_eq!(points(&o).0.as_deref(), Some("105分"));
    assert_eq!(points(&o).2, Verdict::Pass);
}

#[test]
fn records_are_no_rows_of_the_outcome() {
    let std = standard();
    let text = facts(None, &[record(Some("2026-05-01"), Some(1))]);
    let o = evaluate(&std, &text);
    let ids: Vec<&str> = o.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["Z", "A"]);
    // Nor are they counted or listed as units, though a change can name them (`A#1.分值`).
    let (loaded, _) = std.load_facts(&text);
    assert_eq!((loaded.len(), loaded.is_empty()), (2, false));
    assert_eq!(loaded.ids().collect::<Vec<_>>(), ["Z", "A"]);
    assert!(loaded.contains("A#1"));
    let live = std
        .live(loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((live.len(), live.places()), (2, 3));
    let at: Vec<Option<String>> = (0..live.places())
        .map(|i| live.summary_at(i).map(|u| u.id))
        .collect();
    assert_eq!(at, [Some("Z".into()), Some("A".into()), None]);
}

#[test]
fn records_before_the_owners_founding_do_not_count() {
    let std = standard();
    let rs = [
        record(Some("2026-03-01"), Some(6)),
        record(Some("2026-07-01"), Some(3)),
        record(Some("2026-08-01"), Some(1)),
    ];
    let o = evaluate(&std, &facts(Some("2026-07-01"), &rs));
    assert_eq!(
        points(&o).0.as_deref(),
        Some("104分"),
        "founded 07-01: 3 + 1"
    );
    // With the founding date missing, a record may or may not count: 100 to 110.
    let o = evaluate(&std, &facts(None, &rs));
    let (sum, pass, top) = points(&o);
    assert_eq!(sum, None);
    assert_eq!((pass, top), (Verdict::Pass, Verdict::Unknown));
}

#[test]
fn a_missing_date_makes_the_sum_a_range_and_missing_points_make_it_unknown() {
    let std = standard();
    // In: +8; a deduction of 2 whose date is missing may or may not count: 106 to 108.
    let o = evaluate(
        &std,
        &facts(
            Some("2000-01-01"),
            &[record(Some("2026-06-01"), Some(8)), record(None, Some(-2))],
        ),
    );
    assert_eq!(points(&o), (None, Verdict::Pass, Verdict::Pass));
    let a = o.units.iter().find(|u| u.id == "A").expect("A");
    let text = duibiao::explain_text(a, Lang::Zh);
    assert!(text.contains("实际 至少 106分（计入 1/2）"), "{text}");
    assert!(
        text.contains("积分记录 A#2（日期未填，-2分，测试）"),
        "{text}"
    );
    // Points not given have no range: 100 + 3 + ? is unknown for both tiers.
    let o = evaluate(
        &std,
        &facts(
            Some("2000-01-01"),
            &[
                record(Some("2026-06-01"), Some(3)),
                record(Some("2026-06-02"), None),
            ],
        ),
    );
    assert_eq!(points(&o), (None, Verdict::Unknown, Verdict::Unknown));
}

#[test]
fn explanations_name_each_record_by_its_fields() {
    let std = standard();
    let text = facts(
        Some("2000-01-01"),
        &[
            json!({"日期": "2026-03-01", "分值": 2, "事由": "参加志愿服务"}),
            json!({"日期": "2027-03-01", "分值": -1}),
        ],
    );
    let (loaded, _) = std.load_facts(&text);
    let e = std
        .explain(&loaded, "A", &Options::new().lang(Lang::Zh))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        e.text
            .contains("        积分记录 A#1（2026-03-01，+2分，参加志愿服务）\n"),
        "{}",
        e.text
    );
    assert!(
        e.text
            .contains("        积分记录 A#2（2027-03-01，-1分，事由未填）\n"),
        "{}",
        e.text
    );
    // A record explained on its own: its fields and its owner.
    let r = std
        .explain(&loaded, "A#1", &Options::new().lang(Lang::En))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        r.text,
        "积分记录 A#1 (2026-03-01, +2分, 参加志愿服务)\nowner A: records are read by their owner's aggregates and have no score or tier of their own\n"
    );
    assert!(r.unit.record.is_some() && r.unit.tiers.is_empty());
}

#[test]
fn changing_a_record_or_the_owners_fact_live_gives_what_a_full_evaluation_gives() {
    let std = standard();
    let text = facts(
        Some("2026-07-01"),
        &[
            record(Some("2026-03-01"), Some(6)),
            record(Some("2026-08-01"), Some(1)),
        ],
    );
    let (loaded, _) = std.load_facts(&text);
    let (reference, _) = std.load_facts(&text);
    let mut live = std
        .live(loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut options = Options::new();
    for change in [
        "A.成立日期=2026-01-01",
        "A#2.分值=-3",
        "A#1.日期=2025-12-31",
    ] {
        let a = Assignment::Text(change.to_string());
        live.assign(&a)
            .unwrap_or_else(|e| panic!("{change}: {e:?}"));
        options = options.set(a);
        let full = std
            .evaluate(&reference, &options)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let got = live.unit("A");
        assert_eq!(
            got.as_ref(),
            full.units.iter().find(|u| u.id == "A"),
            "after {change}"
        );
    }
    assert_eq!(
        live.unit("A")
            .and_then(|u| u.derived["积分"].clone())
            .as_deref(),
        Some("97分")
    );
    let text = Assignment::Text("A#1.事由=改过".into());
    let e = live.assign(&text).expect_err("a text is not assumed");
    assert_eq!(e.0[0].code, "F0020");
}

/// The oracle: 积分 from the records' JSON, as the reference says (`None` when unknown), with the
/// least and most it can be (a record without a date adds anything from 0 to its points).
fn oracle(founded: &str, records: &[(Option<String>, i64)]) -> (Option<i64>, i64, i64) {
    let (start, end) = ("2026-01-01", "2026-12-31");
    let (mut lo, mut hi, mut open) = (100, 100, false);
    for (date, p) in records {
        match date {
            Some(d) if d.as_str() >= start && d.as_str() <= end && d.as_str() >= founded => {
                lo += p;
                hi += p;
            }
            Some(_) => {}
            // Whether it counts is unknown: the sum is unknown (even for 0 points: a sum
            // whose members are open is not settled), within the range.
            None => {
                open = true;
                lo += (*p).min(0);
                hi += (*p).max(0);
            }
        }
    }
    ((!open).then_some(lo), lo, hi)
}

fn date_strategy() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        6 => prop::sample::select(vec![
            "2025-12-31", "2026-01-01", "2026-01-02", "2026-06-30", "2026-07-01", "2026-12-30",
            "2026-12-31", "2027-01-01",
        ])
        .prop_map(|d| Some(d.to_string())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_sum_over_records_is_the_oracles(
        founded in prop::sample::select(vec!["2000-01-01", "2026-07-01"]),
        records in prop::collection::vec((date_strategy(), -5i64..=5), 0..8),
    ) {
        let std = standard();
        let given: Vec<Value> = records
            .iter()
            .map(|(d, p)| record(d.as_deref(), Some(*p)))
            .collect();
        let o = evaluate(&std, &facts(Some(founded), &given));
        let (sum, pass, _) = points(&o);
        let (want, lo, hi) = oracle(founded, &records);
        prop_assert_eq!(sum, want.map(|w| format!("{w}分")));
        let verdict = if lo >= 100 { Verdict::Pass } else if hi < 100 { Verdict::Fail } else { Verdict::Unknown };
        prop_assert_eq!(pass, verdict, "{:?}", records);
    }
}

/// Records are compared through their owners: adding one and removing another (which renumbers
/// the records after it) lists no record, only the owners whose outcomes change.
#[test]
fn a_diff_names_owners_not_records() {
    let std = standard();
    let before = facts(
        Some("2000-01-01"),
        &[
            record(Some("2026-05-01"), Some(5)),
            record(Some("2026-06-01"), Some(1)),
        ],
    );
    let after = facts(
        Some("2000-01-01"),
        &[
            record(Some("2026-06-01"), Some(1)),
            record(Some("2026-07-01"), Some(-3)),
        ],
    );
    let (a, _) = std.load_facts(&before);
    let (b, _) = std.load_facts(&after);
    let d = std
        .diff(&a, &b, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(d.added.is_empty() && d.removed.is_empty(), "{d:?}");
    let changed: Vec<&str> = d.changed.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(changed, ["A"]);
}

/// `gap` does not plan a condition on records (a record is something that happened, not a value
/// to fill in), and says so; the template lists the records as an empty list.
#[test]
fn gap_says_records_are_not_planned_and_the_template_lists_them() {
    let std = standard();
    let text = facts(Some("2000-01-01"), &[record(Some("2026-05-01"), Some(2))]);
    let (loaded, _) = std.load_facts(&text);
    let g = std
        .gap(&loaded, "A", "优秀", &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!g.reachable);
    assert!(g.changes.is_empty());
    let reason = serde_json::to_value(&g.reasons).unwrap();
    assert_eq!(reason[0]["kind"], "not_planned", "{reason}");
    assert!(
        reason[0]["zh"]
            .as_str()
            .unwrap()
            .contains("取决于 `积分记录`"),
        "{reason}"
    );
    let template = std.template("支部").unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(template["units"][0]["积分记录"], json!([]));
    assert!(std.template("积分记录").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A verdict decided with some records' dates missing never changes when the dates are
    /// filled in, whichever dates they get.
    #[test]
    fn a_decided_verdict_stays_when_missing_dates_are_filled(
        records in prop::collection::vec((date_strategy(), -6i64..=6), 1..7),
        fill in prop::collection::vec(prop::sample::select(vec!["2025-12-31", "2026-06-30", "2027-01-01"]), 7),
    ) {
        let std = standard();
        let given: Vec<Value> = records.iter().map(|(d, p)| record(d.as_deref(), Some(*p))).collect();
        let (_, pass, top) = points(&evaluate(&std, &facts(Some("2000-01-01"), &given)));
        let filled: Vec<Value> = records
            .iter()
            .zip(&fill)
            .map(|((d, p), f)| record(Some(d.as_deref().unwrap_or(f)), Some(*p)))
            .collect();
        let (_, pass_after, top_after) = points(&evaluate(&std, &facts(Some("2000-01-01"), &filled)));
        for (before, after) in [(pass, pass_after), (top, top_after)] {
            prop_assert!(before == Verdict::Unknown || before == after, "{:?}: {:?} then {:?}", records, before, after);
            prop_assert!(after != Verdict::Unknown);
        }
    }
}
