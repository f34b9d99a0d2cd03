//! No panic and no silent loss at the edges: values too large to be held, long loops of parents,
//! keys given twice, empty ids, bad parameter values, empty files and numbers with exponents.
//! Each test is the reproducer of a defect once found by trying hostile input (issue 13).

use duibiao::{Assignment, Detail, Options, Problem, Standard};
use duibiao_tests::{codes, unit_key};
use serde_json::{json, Value};

const SOURCE: &str = r#"
standard hardening { title "hardening" }
kind 街道 contains 社区
kind 社区

facts 社区 {
  经费: money
  户数: int
  达成率: percent
}

param 经费下限: money = 10万元
param 户数下限: int

derive 社区 {
  放大 = 达成率 * 1000
}

requirements 社区 基本 {
  经费达标: 经费 >= 经费下限
  户数达标: 户数 >= 户数下限
  放大达标: 放大 <= 50%
}

tiers 社区 {
  达标 { 基本 }
}

consequence 奖补 on 社区 when 达标 amount 经费 split 市级 60%, 区级 40%
"#;

/// About 7.9×10^24 万元 is the most money a number holds: this is above it.
const TOO_MUCH: &str = "8000000000000000000000000万元";

fn standard() -> Standard {
    Standard::compile("hardening.std", SOURCE)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)))
}

/// A street and one community with these facts, `户数下限` given.
fn facts(community: Value) -> String {
    json!({
        "params": {"户数下限": 1},
        "units": [
            {"id": "JD", "kind": "街道"},
            {"id": "SQ", "kind": "社区", "parent": "JD", "facts": community}
        ]
    })
    .to_string()
}

/// The problems' codes and their English messages.
fn shown(problems: &[Problem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| (p.code.clone(), p.message.en.clone()))
        .collect()
}

// ------------------------------------------------------------------ 1. values too large to hold

#[test]
fn too_much_money_in_a_facts_file_is_a_coded_problem() {
    let s = standard();
    let (loaded, problems) = s.load_facts(&facts(json!({"经费": TOO_MUCH, "户数": 3})));
    assert_eq!(
        shown(&problems),
        [(
            "F0011".to_string(),
            format!("unit `SQ`, `经费`: `\"{TOO_MUCH}\"` is beyond the numbers that can be held exactly (within about ±7.9×10^28, with at most 28 decimal places)")
        )]
    );
    assert!(problems[0].message.zh.contains("超出可以精确表示的范围"));
    assert_eq!(unit_key(&problems[0]), (Some("SQ"), Some("经费")));
    // The value is missing, and the rest is evaluated.
    let o = s.evaluate(&loaded, &Options::new()).unwrap();
    assert!(o.units[1].missing.contains(&"经费".to_string()));
    // The largest amount that is held loads.
    let (_, problems) = s.load_facts(&facts(
        json!({"经费": "7922816251426433759354395.0335万元"}),
    ));
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn too_much_money_in_an_assignment_or_a_parameter_is_a_coded_problem() {
    let s = standard();
    let (loaded, _) = s.load_facts(&facts(json!({"经费": 5, "户数": 3})));
    let set = Options::new().set(Assignment::Text(format!("SQ.经费={TOO_MUCH}")));
    assert_eq!(codes(s.evaluate(&loaded, &set)), ["F0011"]);
    let set = Options::new().set(Assignment::Value {
        unit: "SQ".into(),
        key: "经费".into(),
        value: json!(TOO_MUCH),
    });
    assert_eq!(codes(s.evaluate(&loaded, &set)), ["F0011"]);
    let param = Options::new().param("经费下限", json!(TOO_MUCH));
    let problems = s.evaluate(&loaded, &param).unwrap_err();
    assert_eq!(shown(&problems.0)[0].0, "P0002");
    assert!(problems.0[0].message.en.contains("can be held exactly"));
    let param = Options::new()
        .param_text(&format!("经费下限={TOO_MUCH}"))
        .unwrap();
    assert_eq!(codes(s.evaluate(&loaded, &param)), ["P0002"]);
    // A live assignment line.
    let mut live = s.live(loaded, &Options::new()).unwrap();
    let problems = live
        .assign(&Assignment::Text(format!("SQ.经费={TOO_MUCH}")))
        .unwrap_err();
    assert_eq!(shown(&problems.0)[0].0, "F0011");
}

#[test]
fn too_much_money_in_a_standard_is_e0005() {
    for (place, source) in [
        (
            "a rule",
            SOURCE.replace("经费 >= 经费下限", &format!("经费 >= {TOO_MUCH}")),
        ),
        (
            "a parameter",
            SOURCE.replace("= 10万元", &format!("= {TOO_MUCH}")),
        ),
        (
            "an amount",
            SOURCE.replace("amount 经费", &format!("amount {TOO_MUCH}")),
        ),
        (
            "a percentage",
            SOURCE.replace("50%\n", "0.0000000000000000000000000001%\n"),
        ),
    ] {
        let problems = Standard::compile("x.std", &source).unwrap_err();
        let e0005: Vec<&Problem> = problems.iter().filter(|p| p.code == "E0005").collect();
        assert_eq!(e0005.len(), 1, "{place}: {problems:#?}");
        assert!(
            e0005[0]
                .message
                .en
                .ends_with("is not a number that can be held exactly"),
            "{place}: {:?}",
            e0005[0].message
        );
    }
}

#[test]
fn shares_that_add_up_beyond_any_number_are_reported() {
    // Their sum, 1.6×10^27, is held, but not as a percentage (×100).
    let huge = "79228162514264337593543950335%";
    let source = SOURCE.replace("市级 60%, 区级 40%", &format!("市级 {huge}, 区级 {huge}"));
    let problems = Standard::compile("x.std", &source).unwrap_err();
    assert_eq!(
        shown(&problems.0),
        [(
            "E0124".to_string(),
            "the shares of `奖补` add up to 158456325028528675187087900670%, not to 100%"
                .to_string()
        )]
    );
    // A sum that is not held at all: the shares are listed.
    let many = vec![format!("甲 {huge}"); 101].join(", ");
    let source = SOURCE.replace("市级 60%, 区级 40%", &many);
    let problems = Standard::compile("x.std", &source).unwrap_err();
    assert_eq!(problems.0.len(), 1, "{problems:#?}");
    assert!(problems.0[0]
        .message
        .en
        .contains(&format!("{huge} + {huge}")));
}

#[test]
fn scorecards_whose_points_add_up_beyond_any_number_are_checked() {
    let huge = "79228162514264337593543950335";
    let source = format!(
        "standard big {{ title \"x\" }}\nkind 小区\nscorecard 小区 total 10 {{\n  item 1 \"a\" max {huge}分\n  item 2 \"b\" max {huge}分\n}}\ntiers 小区 {{ 达标 {{ score >= 6 }} }}\n"
    );
    let s = Standard::compile("big.std", &source).unwrap();
    let w0004: Vec<&Problem> = s.warnings().iter().filter(|p| p.code == "W0004").collect();
    assert_eq!(w0004.len(), 1, "{:#?}", s.warnings());
    assert!(w0004[0].message.en.contains(&format!("{huge} + {huge}")));
}

#[test]
fn a_huge_percentage_is_shown_without_overflow() {
    let s = standard();
    // 放大 = 10^27 % × 1000: a percentage of 10^30 %, held as the fraction 10^28.
    let (loaded, problems) = s.load_facts(&facts(
        json!({"经费": "20万元", "户数": 3, "达成率": format!("1{}%", "0".repeat(27))}),
    ));
    assert!(problems.is_empty(), "{problems:?}");
    let explained = s.explain(&loaded, "SQ", &Options::new()).unwrap();
    assert_eq!(
        explained.unit.derived["放大"].as_deref(),
        Some(format!("1{}%", "0".repeat(30)).as_str())
    );
    assert!(explained.text.contains(&format!("1{}%", "0".repeat(30))));
    let o = s
        .evaluate(&loaded, &Options::new().detail(Detail::Conditions))
        .unwrap();
    assert_eq!(
        o.units[1].derived["放大"].as_deref(),
        Some(format!("1{}%", "0".repeat(30)).as_str())
    );
    // A live change to that percentage is written as the facts file would.
    let mut live = s.live(loaded, &Options::new()).unwrap();
    let done = live
        .assign(&Assignment::Text(
            "SQ.达成率=792281625142643375935439503.35%".into(),
        ))
        .unwrap();
    assert_eq!(done.change.to, json!("792281625142643375935439503.35%"));
}

/// Found by fuzzing (`fuzz/regressions/load_facts/negative-percent-change-not-read-back`): a live
/// assignment of a negative percentage was written `"-1%"`, which the loader then refused.
#[test]
fn a_negative_percentage_reads_back_as_it_is_written() {
    let s = standard();
    let (loaded, problems) = s.load_facts(&facts(
        json!({"经费": "-2万元", "户数": 3, "达成率": "-1.5%"}),
    ));
    assert!(problems.is_empty(), "{problems:?}");
    let explained = s.explain(&loaded, "SQ", &Options::new()).unwrap();
    assert_eq!(explained.unit.derived["放大"].as_deref(), Some("-1500%"));
    let mut live = s.live(loaded, &Options::new()).unwrap();
    let done = live
        .assign(&Assignment::Text("SQ.达成率=-1".into()))
        .unwrap();
    assert_eq!(done.change.to, json!("-1%"));
    // What was written is taken back as the same value, by `--set` and in a facts file.
    let (mut again, problems) = s.load_facts(&facts(json!({"达成率": "-1%"})));
    assert!(problems.is_empty(), "{problems:?}");
    let applied = s.apply(&mut again, &[Assignment::Text("SQ.达成率=-1%".into())]);
    assert!(applied.is_empty(), "{applied:?}");
    // A sign alone, or one apart from its digits, is still not a number.
    for text in ["-", "- 1%", "--1%", "-%"] {
        let (_, problems) = s.load_facts(&facts(json!({"达成率": text})));
        let got: Vec<_> = problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(got, ["F0011"], "{text}");
    }
}

// ------------------------------------------------------------------ 2. long loops of parents

#[test]
fn a_loop_of_parents_is_one_short_problem_however_long() {
    let s = standard();
    let small = json!({"units": [
        {"id": "A", "kind": "社区", "parent": "B"},
        {"id": "B", "kind": "社区", "parent": "A"}
    ]});
    let (_, problems) = s.load_facts(&small.to_string());
    assert_eq!(
        shown(&problems),
        [(
            "F0007".to_string(),
            "unit `A`, `parent`: parent links form a loop of 2 units: `A` → `B` → `A`; each is evaluated on its own".to_string()
        )]
    );
    assert_eq!(
        problems[0].message.zh,
        "单位 `A` 的 `parent`：上级关系形成 2 个单位的循环：`A` → `B` → `A`，这些单位都单独评价"
    );
    // 10,000 units in one loop (街道 cannot contain 街道, but loops are found first).
    let n = 10_000;
    let units: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("U{i}"), "kind": "社区", "parent": format!("U{}", (i + 1) % n)}))
        .collect();
    let (loaded, problems) =
        s.load_facts(&json!({"params": {"户数下限": 1}, "units": units}).to_string());
    assert_eq!(loaded.len(), n);
    let size: usize = problems
        .iter()
        .map(|p| p.message.zh.len() + p.message.en.len())
        .sum();
    assert!(size < 2 << 20, "{size} bytes of messages");
    assert_eq!(
        shown(&problems),
        [(
            "F0007".to_string(),
            "unit `U0`, `parent`: parent links form a loop of 10000 units: `U0` → `U1` → `U2` → `U3` → `U4` → … (9995 more) → `U0`; each is evaluated on its own".to_string()
        )]
    );
    assert!(problems[0].message.zh.contains("…（另有 9995 个）"));
    // Every unit of the loop is evaluated on its own.
    let o = s.evaluate(&loaded, &Options::new()).unwrap();
    assert!(o.units.iter().all(|u| u.parent.is_none()));
}

// ------------------------------------------------------------------ 3. keys given twice

/// The codes, units and keys of the problems.
fn located(problems: &[Problem]) -> Vec<(&str, Option<&str>, Option<&str>)> {
    problems
        .iter()
        .map(|p| {
            let (u, k) = unit_key(p);
            (p.code.as_str(), u, k)
        })
        .collect()
}

#[test]
fn a_key_given_twice_is_reported_and_its_last_value_is_used() {
    let s = standard();
    // Written as text: a JSON value cannot hold a key twice.
    let text = r#"{"params": {"户数下限": 1, "户数下限": 2}, "as_of": "2024-01-01", "as_of": null,
        "units": [
        {"id": "JD", "kind": "街道"},
        {"id": "X", "id": "SQ", "kind": "社区", "parent": "NOPE", "parent": "JD",
         "facts": {"户数": 1, "经费": "1万元", "户数": 5, "户数": "x", "经费": 3}}
    ]}"#;
    let (loaded, problems) = s.load_facts(text);
    assert_eq!(
        located(&problems),
        [
            ("F0016", None, Some("户数下限")),
            ("F0016", None, Some("as_of")),
            ("F0016", Some("SQ"), Some("id")),
            ("F0016", Some("SQ"), Some("parent")),
            ("F0016", Some("SQ"), Some("户数")),
            // The last value of 户数 is wrong; the earlier ones are not used.
            ("F0011", Some("SQ"), Some("户数")),
            ("F0016", Some("SQ"), Some("经费")),
        ],
        "{problems:#?}"
    );
    assert_eq!(
        problems[4].message.en,
        "unit `SQ`, `户数`: `户数` is given more than once; the last value is used"
    );
    assert_eq!(
        problems[4].message.zh,
        "单位 `SQ` 的 `户数`：`户数` 写了不止一次，使用最后一个值"
    );
    assert_eq!(loaded.as_of(), None);
    assert!(loaded.contains("SQ") && !loaded.contains("X"));
    let o = s.evaluate(&loaded, &Options::new()).unwrap();
    assert_eq!(o.units[1].parent.as_deref(), Some("JD"));
    // 户数 is missing (its last value is wrong), 经费 is 3 元 (its last value).
    assert!(o.units[1].missing.contains(&"户数".to_string()));
    assert!(!o.units[1].missing.contains(&"经费".to_string()));
    // The parameter's last value: with 户数下限 2, 户数 = 1 fails.
    let (loaded, problems) = s.load_facts(
        r#"{"params": {"户数下限": 1, "户数下限": 2}, "units": [{"id": "SQ", "kind": "社区", "facts": {"户数": 1}}]}"#,
    );
    assert_eq!(located(&problems), [("F0016", None, Some("户数下限"))]);
    let o = s
        .evaluate(&loaded, &Options::new().detail(Detail::Conditions))
        .unwrap();
    let verdict = o.units[0]
        .requirements
        .iter()
        .flat_map(|g| &g.requirements)
        .find(|c| c.label.as_deref() == Some("户数达标"))
        .map(|c| c.verdict);
    assert_eq!(
        verdict,
        Some(duibiao::Verdict::Fail),
        "{:#?}",
        o.units[0].requirements
    );
}

#[test]
fn units_given_twice_keep_the_last_list() {
    let s = standard();
    let text = r#"{"units": [{"id": "A", "kind": "社区", "facts": {"户数": "x"}}],
                   "units": [{"id": "B", "kind": "社区"}]}"#;
    let (loaded, problems) = s.load_facts(text);
    assert_eq!(located(&problems), [("F0016", None, Some("units"))]);
    assert_eq!(loaded.ids().collect::<Vec<_>>(), ["B"]);
}

// ------------------------------------------------------------------ 4. empty ids

#[test]
fn an_empty_id_is_reported_and_the_unit_dropped() {
    let s = standard();
    let text = json!({"params": {"户数下限": 1}, "units": [
        {"id": "", "kind": "街道"},
        {"id": "  ", "kind": "社区"},
        {"id": "SQ", "kind": "社区", "parent": ""}
    ]});
    let (loaded, problems) = s.load_facts(&text.to_string());
    assert_eq!(
        located(&problems),
        [
            ("F0017", None, Some("units[0].id")),
            ("F0017", None, Some("units[1].id")),
            ("F0006", Some("SQ"), Some("parent")),
        ]
    );
    assert_eq!(
        problems[0].message.en,
        "`units[0].id`: the unit id is empty; the unit is ignored"
    );
    assert_eq!(
        problems[0].message.zh,
        "`units[0].id`：单位编号为空，该单位被忽略"
    );
    assert_eq!(loaded.ids().collect::<Vec<_>>(), ["SQ"]);
}

#[test]
fn the_template_as_printed_is_reported_until_its_id_is_filled_in() {
    let s = standard();
    let mut template = s.template("社区").unwrap();
    let (_, problems) = s.load_facts(&template.to_string());
    let codes: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
    assert!(codes.contains(&"F0017"), "{problems:#?}");
    template["units"][0]["id"] = json!("SQ");
    let (loaded, problems) = s.load_facts(&template.to_string());
    assert!(problems.iter().all(|p| p.code != "F0017"), "{problems:#?}");
    assert!(loaded.contains("SQ"));
}

// ------------------------------------------------------------------ 5. bad parameter values

#[test]
fn a_wrong_parameter_value_counts_as_missing_not_as_the_standards() {
    let s = standard();
    let community =
        json!({"id": "SQ", "kind": "社区", "facts": {"经费": "20万元", "户数": 3, "达成率": 0}});
    // 经费下限 has a value of its own (10万元): a wrong one leaves the rule reading it unknown.
    let text = json!({"params": {"户数下限": 1, "经费下限": "很多"}, "units": [community]});
    let (loaded, problems) = s.load_facts(&text.to_string());
    assert_eq!(located(&problems), [("F0011", None, Some("经费下限"))]);
    let o = s
        .evaluate(&loaded, &Options::new().detail(Detail::Conditions))
        .unwrap();
    let verdict = |o: &duibiao::Outcome, label: &str| {
        o.units[0]
            .requirements
            .iter()
            .flat_map(|g| &g.requirements)
            .find(|c| c.label.as_deref() == Some(label))
            .map(|c| c.verdict)
    };
    assert_eq!(verdict(&o, "经费达标"), Some(duibiao::Verdict::Unknown));
    assert_eq!(o.unresolved_params.len(), 1, "{:?}", o.unresolved_params);
    assert_eq!(o.unresolved_params[0].name, "经费下限");
    assert_eq!(o.unresolved_params[0].why, duibiao::Missing::NotSupplied);
    // A value given in the options replaces the wrong one.
    let given = Options::new()
        .detail(Detail::Conditions)
        .param("经费下限", json!("15万元"));
    let o = s.evaluate(&loaded, &given).unwrap();
    assert_eq!(verdict(&o, "经费达标"), Some(duibiao::Verdict::Pass));
    assert!(o.unresolved_params.is_empty());
    // 户数下限 is open: a wrong value is P0003, as no value.
    let text = json!({"params": {"户数下限": "x"}, "units": [community]});
    let (loaded, problems) = s.load_facts(&text.to_string());
    assert_eq!(located(&problems), [("F0011", None, Some("户数下限"))]);
    assert_eq!(codes(s.evaluate(&loaded, &Options::new())), ["P0003"]);
    assert_eq!(
        codes(s.progress(
            &loaded,
            &Options::new().as_of(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap())
        )),
        ["P0003"]
    );
}

// ------------------------------------------------------------------ 6. empty files, exponents

#[test]
fn an_empty_facts_file_is_said_to_be_empty() {
    let s = standard();
    for text in ["", "  \n\t", "\u{feff}", "\u{feff} \n"] {
        let (loaded, problems) = s.load_facts(text);
        assert!(loaded.is_empty());
        assert_eq!(
            shown(&problems),
            [(
                "F0001".to_string(),
                "the facts are empty; expected a JSON object with `units`".to_string()
            )],
            "{text:?}"
        );
        assert_eq!(
            problems[0].message.zh,
            "数据是空的，应为含有 `units` 的 JSON 对象"
        );
    }
    // An unclosed bracket is still one.
    let (_, problems) = s.load_facts("{\"units\": [");
    assert!(
        problems[0].message.en.contains("not valid JSON"),
        "{problems:?}"
    );
}

#[test]
fn numbers_with_an_exponent_are_read_exactly() {
    let source = "standard e { title \"e\" }\nkind 小区\nfacts 小区 {\n  户数: int\n  比率: percent\n  面积: area\n}\nscorecard 小区 total 20 {\n  item 1 \"a\" max 10分\n  item 2 \"b\" max 10分\n}\ntiers 小区 { 达标 { score >= 6 } }\n";
    let s = Standard::compile("e.std", source).unwrap();
    let unit = |scores: &str, facts: &str| {
        format!(
            r#"{{"units": [{{"id": "A", "kind": "小区", "scores": {scores}, "facts": {facts}}}]}}"#
        )
    };
    let text = unit(
        r#"{"1": 2e0, "2": 1.5E1}"#,
        r#"{"户数": 3E+2, "比率": 8.5e1, "面积": 25e-1}"#,
    );
    let (loaded, problems) = s.load_facts(&text);
    // 1.5E1 is 15 points, above the part's 10.
    assert_eq!(
        shown(&problems),
        [(
            "F0012".to_string(),
            "unit `A`, `2`: 15 points is outside the allowed range, 0 to 10 points".to_string()
        )]
    );
    let o = s.evaluate(&loaded, &Options::new()).unwrap();
    assert_eq!(o.units[0].missing, ["2"]);
    let (loaded, problems) = s.load_facts(&unit(r#"{"1": 2e0, "2": 0.75e1}"#, "{}"));
    assert!(problems.is_empty(), "{problems:?}");
    let o = s.evaluate(&loaded, &Options::new()).unwrap();
    assert_eq!(o.units[0].score.as_deref(), Some("9.5"));
    // Whole, percentage and area values.
    let set = |key: &str, value: Value| {
        Options::new().set(Assignment::Value {
            unit: "A".into(),
            key: key.into(),
            value,
        })
    };
    let (loaded, _) = s.load_facts(&text);
    for (key, value) in [
        ("户数", json!(3e2)),
        ("比率", serde_json::from_str::<Value>("8.5e1").unwrap()),
        ("面积", serde_json::from_str::<Value>("25e-1").unwrap()),
    ] {
        assert!(s.evaluate(&loaded, &set(key, value)).is_ok());
    }
    // Read exactly: a change from the value loaded shows it as a facts file writes it.
    let mut live = s.live(loaded, &Options::new()).unwrap();
    for (line, from) in [
        ("A.户数=1", json!(300)),
        ("A.比率=1", json!("85%")),
        ("A.面积=1", serde_json::from_str::<Value>("2.5").unwrap()),
    ] {
        let done = live.assign(&Assignment::Text(line.into())).unwrap();
        assert_eq!(done.change.from, from, "{line}");
    }
    // What cannot be held exactly is said so: too large, or too many decimal places.
    for number in ["1e400", "1e29", "1e-29", "123456789012345678901234567890"] {
        let (_, problems) = s.load_facts(&unit("{}", &format!(r#"{{"面积": {number}}}"#)));
        assert_eq!(problems.len(), 1, "{number}: {problems:?}");
        assert_eq!(problems[0].code, "F0011");
        assert!(
            problems[0].message.en.contains("can be held exactly"),
            "{number}: {:?}",
            problems[0].message
        );
    }
    // 2.5e0 households is not a whole number.
    let (_, problems) = s.load_facts(&unit("{}", r#"{"户数": 2.5e0}"#));
    assert_eq!(
        shown(&problems),
        [(
            "F0011".to_string(),
            "unit `A`, `户数`: expected a whole number, 0 or more, found `2.5e+0`".to_string()
        )]
    );
}

/// Thresholds at the edge of what a number holds: the generator of synthetic forests plans
/// values around them without overflowing (it panicked on `floor() + 1` and `max * 2`).
#[test]
fn the_generator_plans_around_extreme_thresholds() {
    let source = r#"
standard extreme { title "extreme" }
kind 社区
facts 社区 {
  a: int
  b: int
  c: int
}
scorecard 社区 total 79228162514264337593543950335 {
  item 1 "一" max 79228162514264337593543950335
}
tiers 社区 {
  甲 { a > 79228162514264337593543950334 }
  乙 requires 甲 { b < -79228162514264337593543950334 and c >= 9223372036854775807 }
}
"#;
    let Ok(s) = Standard::compile("extreme.std", source) else {
        // A standard the compiler rejects has nothing to generate; it must say so, not panic.
        return;
    };
    let forest = duibiao::generate::forest(&s, 30, 7, &Default::default());
    let (loaded, problems) = s.load_facts(&forest.to_string());
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(loaded.len(), 30);
}

/// A gap plan whose numbers go beyond what a number holds says so (it panicked subtracting).
#[test]
fn a_gap_beyond_any_number_is_a_reason_not_a_panic() {
    let source = r#"
standard far { title "far" }
kind 社区
facts 社区 { a: decimal }
tiers 社区 {
  甲 { a >= 79228162514264337593543950335 }
  乙 requires 甲 { a > 79228162514264337593543950334 }
}
"#;
    let s = Standard::compile("far.std", source).unwrap_or_else(|e| panic!("{e}"));
    let facts = r#"{"units": [{"id": "S", "kind": "社区", "facts": {"a": -79228162514264337593543950335}}]}"#;
    let (loaded, problems) = s.load_facts(facts);
    assert!(problems.is_empty(), "{problems:?}");
    for tier in ["甲", "乙"] {
        let plan = s
            .gap(&loaded, "S", tier, &Options::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!plan.reachable, "{plan:?}");
        assert!(
            plan.reasons
                .iter()
                .any(|r| r.en.contains("beyond what a number holds")),
            "{:?}",
            plan.reasons
        );
    }
}
