//! Calendar years and months end to end: `1年` and `6个月` move a date along the calendar (a
//! leap day's year ends on 28 February, a month from the 31st on the shorter month's last day),
//! in derived values, requirements, `unrated` and live updates; they never mix with days or a
//! bare number, and the error says what to write instead.

use duibiao::{Assignment, Options, Standard, Verdict};
use duibiao_tests::codes;
use serde_json::json;

const SOURCE: &str = r#"
standard calendar-test {
  title "日历年月测试"
}
kind 支部

facts 支部 {
  成立日期: date "党支部成立日期"
  整改期限: date "整改期限"
}

derive 支部 {
  满一年之日 = 成立日期 + 1年 "成立满1年的日期"
  一月之后 = 1个月 + 成立日期
  半年之前 = 整改期限 - 6个月
  一年半 = 1年 + 6个月
  半个月 = 成立日期 + 0.5个月
}

requirements 支部 基本要求 {
  满三年: 成立日期 + 3年 <= as_of "任职满3年"
  半年内整改: 整改期限 <= as_of + 6个月 "6个月内整改"
}

scorecard 支部 total 100 {
  item 1 "评分标准合计" max 100分
}

tiers 支部 {
  一星 {}
  二星 requires 一星 { score >= 60 }
}

unrated 支部 成立不满一年: 成立日期 + 1年 > as_of "成立时间不满1年的党支部不参加评星定级"
"#;

fn compile() -> Standard {
    Standard::compile("calendar.std", SOURCE)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)))
}

fn unit(id: &str, founded: &str, deadline: &str) -> serde_json::Value {
    json!({"id": id, "kind": "支部", "scores": {"1": 80},
           "facts": {"成立日期": founded, "整改期限": deadline}})
}

fn evaluate(s: &Standard, as_of: &str, units: Vec<serde_json::Value>) -> duibiao::Outcome {
    let facts = json!({"standard": "calendar-test", "as_of": as_of, "units": units});
    let (loaded, errors) = s.load_facts(&facts.to_string());
    assert!(errors.is_empty(), "{errors:?}");
    s.evaluate(&loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn a_standard_with_years_and_months_compiles_clean() {
    let s = compile();
    assert!(s.warnings().is_empty(), "{:#?}", s.warnings());
}

/// Derived dates step along the calendar: a leap day's year ends on 28 February, a month from
/// 31 January ends on the last of February, six months before 31 August is 29 February; years
/// and months add to months; half a month has no date.
#[test]
fn dates_step_by_calendar_years_and_months() {
    let s = compile();
    let o = evaluate(
        &s,
        "2025-03-01",
        vec![
            unit("LEAP", "2024-02-29", "2024-08-31"),
            unit("END", "2024-01-31", "2023-08-31"),
        ],
    );
    let derived = |i: usize, name: &str| o.units[i].derived[name].clone();
    assert_eq!(derived(0, "满一年之日").as_deref(), Some("2025-02-28"));
    assert_eq!(derived(0, "一月之后").as_deref(), Some("2024-03-29"));
    assert_eq!(derived(0, "半年之前").as_deref(), Some("2024-02-29"));
    assert_eq!(derived(0, "一年半").as_deref(), Some("18个月"));
    assert_eq!(derived(0, "半个月"), None);
    assert_eq!(derived(1, "满一年之日").as_deref(), Some("2025-01-31"));
    assert_eq!(derived(1, "一月之后").as_deref(), Some("2024-02-29"));
    assert_eq!(derived(1, "半年之前").as_deref(), Some("2023-02-28"));
}

/// "不满1年" holds until the anniversary, however many days the year has: founded 2024-01-01,
/// the branch is not rated on 2024-12-31 (366 days short by one), and is on 2025-01-01.
#[test]
fn less_than_a_year_counts_calendar_years_not_365_days() {
    let s = compile();
    for (as_of, rated) in [("2024-12-31", Verdict::Fail), ("2025-01-01", Verdict::Pass)] {
        let o = evaluate(&s, as_of, vec![unit("B", "2024-01-01", "2024-06-30")]);
        assert_eq!(o.units[0].rated, Some(rated), "{as_of}");
        let tier = (rated == Verdict::Pass).then(|| "二星".to_string());
        assert_eq!(o.units[0].tier, tier, "{as_of}");
    }
}

/// Requirements compare dates moved by years and months, on the boundary day included.
#[test]
fn requirements_compare_dates_moved_by_years_and_months() {
    let s = compile();
    let o = evaluate(
        &s,
        "2024-02-29",
        vec![
            unit("ON", "2021-02-28", "2024-08-29"),
            unit("SHORT", "2021-03-01", "2024-08-30"),
        ],
    );
    let verdicts = |i: usize| -> Vec<Verdict> {
        o.units[i].requirements[0]
            .requirements
            .iter()
            .map(|c| c.verdict)
            .collect()
    };
    assert_eq!(verdicts(0), [Verdict::Pass, Verdict::Pass]);
    assert_eq!(verdicts(1), [Verdict::Fail, Verdict::Fail]);
    // `explain` shows the date the years moved to, beside the date it was compared with.
    let short = &o.units[1].requirements[0].requirements;
    assert_eq!(short[0].actual.as_deref(), Some("2024-03-01"));
    assert_eq!(short[1].actual.as_deref(), Some("2024-08-30"));
}

/// A live update of a date re-steps the calendar as a full evaluation does.
#[test]
fn a_live_update_moves_the_date_as_a_full_evaluation() {
    let s = compile();
    let facts = json!({"standard": "calendar-test", "as_of": "2024-12-31",
                       "units": [unit("B", "2023-12-31", "2024-06-30")]});
    let (loaded, errors) = s.load_facts(&facts.to_string());
    assert!(errors.is_empty(), "{errors:?}");
    let mut live = s
        .live(loaded, &Options::new())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let done = live
        .assign(&Assignment::Text("B.成立日期=2024-01-01".into()))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let full = evaluate(
        &s,
        "2024-12-31",
        vec![unit("B", "2024-01-01", "2024-06-30")],
    );
    assert_eq!(done.units[0].tier, full.units[0].tier);
    assert_eq!(done.units[0].rated, full.units[0].rated);
    assert_eq!(done.units[0].rated, Some(Verdict::Fail));
}

/// Years and months meet days or a bare number only in an `E0106`, whose help says to move the
/// date by the years instead; they add to and compare with each other, and scale by a number.
#[test]
fn years_and_months_do_not_mix_with_days_or_bare_numbers() {
    let rule = |body: &str| {
        format!(
            "standard m {{ title \"m\" }}\nkind 支部\nfacts 支部 {{ 成立日期: date }}\n\
             requirements 支部 基本 {{\n  甲: {body}\n}}\n"
        )
    };
    for body in [
        "as_of - 成立日期 >= 1年",
        "1年 + 6 > 2个月",
        "2个月 < 60天",
        "1年 - 成立日期 > as_of",
    ] {
        let result = Standard::compile("m.std", &rule(body));
        let Err(problems) = &result else {
            panic!("{body} compiled")
        };
        let help = problems
            .iter()
            .find_map(|p| p.help.as_ref())
            .map(|h| h.en.clone());
        assert_eq!(codes(result), ["E0106"], "{body}");
        assert!(
            help.is_some_and(|h| h.contains("成立日期 + 1年 > as_of")),
            "{body}"
        );
    }
    for body in [
        "1年 + 6个月 >= 18个月",
        "成立日期 + 2 * 1年 > as_of",
        "成立日期 + 30天 + 1年 > as_of",
    ] {
        let s = Standard::compile("m.std", &rule(body));
        assert!(s.is_ok(), "{body}");
    }
}

/// A parameter set to years holds calendar months: the facts file gives it as months or with
/// its unit, and days are refused (`F0011`, saying what it expected).
#[test]
fn a_parameter_of_years_is_given_in_months_or_with_its_unit() {
    let source = "standard p { title \"p\" }\nkind 支部\nfacts 支部 { 成立日期: date }\n\
        param 期限 = 1年 \"一年\"\nrequirements 支部 基本 {\n  满期限: 成立日期 + 期限 <= as_of\n}\n";
    let s = Standard::compile("p.std", source)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)));
    let verdict = |given: serde_json::Value| {
        let facts = json!({"standard": "p", "as_of": "2025-02-28", "params": {"期限": given},
                           "units": [{"id": "A", "kind": "支部", "facts": {"成立日期": "2024-02-29"}}]});
        let (loaded, errors) = s.load_facts(&facts.to_string());
        let codes: Vec<String> = errors.iter().map(|e| e.code.clone()).collect();
        let o = s
            .evaluate(&loaded, &Options::new())
            .unwrap_or_else(|e| panic!("{e:?}"));
        (o.units[0].requirements[0].verdict, codes)
    };
    assert_eq!(verdict(json!("1年")), (Verdict::Pass, vec![]));
    assert_eq!(verdict(json!(12)), (Verdict::Pass, vec![]));
    assert_eq!(verdict(json!("13个月")), (Verdict::Fail, vec![]));
    assert_eq!(
        verdict(json!("365天")),
        (Verdict::Unknown, vec!["F0011".to_string()])
    );
}
