//! The facts loader reads a file straight from its text. Whatever the order of a unit's fields,
//! however its numbers and strings are written, and whatever keys it repeats, it must load what
//! the same JSON loads when it is first parsed into a `serde_json::Value` (`load_value`, which
//! keeps a repeated key's first place and last value), with the same problems in the same order
//! but for the keys given twice, which only the text shows (`F0016`).
//! Values that only `serde_json` itself reads exactly (objects, arrays, strings with invalid
//! escapes) must still be reported as before.

use duibiao::generate::Rng;
use duibiao_compiler::Value as Input;
use duibiao_engine::facts::{json_syntax, load, load_in_chunks, load_value, Facts, FactsError};
use duibiao_tests::engine::{compile, Compiled};
use serde_json::Value;

const SOURCE: &str = r#"
standard loader-test {
  title "loader test"
  effective 2024-01-01 .. 2024-12-31
}
kind 街道 contains 社区
kind 社区 contains 小区
kind 小区

facts 社区 {
  户数: int "常住户数"
  面积: area "党群服务中心面积"
  经费: money
  满意度: percent
  学时: hours
  天数: days
  系数: decimal
  星级: enum(一星级, 二星级, 三星级)
  成立日期: date
}
facts 小区 {
  一票否决: bool
  党员数: int
}

param 户数下限: int = 100

scorecard 小区 total 20 {
  item 1 "一" max 10分 {
    part 1 "甲" 5分
    part 2 "乙" 5分
  }
  item 2 "二" max 10分
}

tiers 小区 {
  达标 { score >= 12 }
}
"#;

fn standard() -> Compiled {
    compile("loader-test.std", SOURCE)
}

/// What a load gives, for comparing two loads.
fn loaded(r: (Facts, Vec<FactsError>)) -> String {
    let (f, e) = r;
    format!("{:?}\n{:?}\n{:?}\n{e:#?}", f.tree, f.as_of, f.params)
}

/// `load` on the text against `load_value` on the text parsed first (which cannot tell a key
/// given twice, `F0016`).
fn same_as_parsed(std: &Compiled, text: &str) {
    let parsed: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let (facts, mut errors) = load(std.graph(), text, &Default::default());
    errors.retain(|e| e.code != "F0016");
    let streamed = loaded((facts, errors));
    let from_value = loaded(load_value(
        std.graph(),
        &parsed,
        &Default::default(),
        &mut Vec::new(),
    ));
    assert_eq!(streamed, from_value, "for\n{text}");
}

const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-0",
    "7",
    "-3",
    "2.5",
    "8.50",
    "10.00",
    "0.0",
    "1E5",
    "1e-3",
    "1.5e+2",
    "3e0",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "1e400",
    "99999999999999999999",
    "9999999999999999999",
    "0.0000000000000000000000000001",
    "0.00000000000000000000000000001",
    "123456789012345678901234567890.5",
    "4.999",
    "5.0001",
    r#""85%""#,
    r#""85""#,
    r#""15万元""#,
    r#""350平方米""#,
    r#""56学时""#,
    r#""2024-06-30""#,
    r#""2024-13-01""#,
    r#""二星级""#,
    r#""\u4e8c星级""#,
    r#""三星级\n""#,
    r#""a\"b""#,
    r#""""#,
    r#""\ud83d\ude00""#,
];

const KEYS: &[&str] = &[
    "户数",
    "面积",
    "经费",
    "满意度",
    "学时",
    "天数",
    "系数",
    "星级",
    "成立日期",
    "一票否决",
    "党员数",
    "1.1",
    "1.2",
    "2",
    "1",
    "3",
    "\\u6237数",
];

fn pick<'a>(r: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[r.below(xs.len() as u64) as usize]
}

/// A unit with its fields in a random order, some written twice, and `facts` and `scores`
/// holding random keys (some repeated) with random values.
fn unit(r: &mut Rng, i: usize) -> String {
    let kinds = ["街道", "社区", "小区", "小区", "社区"];
    let entries = |r: &mut Rng| {
        let n = r.below(6);
        let es: Vec<String> = (0..n)
            .map(|_| format!("\"{}\": {}", pick(r, KEYS), pick(r, VALUES)))
            .collect();
        format!("{{{}}}", es.join(", "))
    };
    let mut fields = vec![
        format!("\"id\": \"U{}\"", if r.chance(10) { i / 2 } else { i }),
        format!(
            "\"kind\": \"{}\"",
            kinds[r.below(kinds.len() as u64) as usize]
        ),
        format!("\"facts\": {}", entries(r)),
        format!("\"scores\": {}", entries(r)),
    ];
    if i > 0 && r.chance(70) {
        fields.push(format!("\"parent\": \"U{}\"", r.below(i as u64 + 2)));
    }
    if r.chance(30) {
        fields.push(format!("\"name\": {}", pick(r, VALUES)));
    }
    if r.chance(10) {
        fields.push("\"score\": {}".to_string());
    }
    if r.chance(15) {
        let again = fields[r.below(fields.len() as u64) as usize].clone();
        fields.push(again);
    }
    if r.chance(5) {
        fields.retain(|f| !f.starts_with("\"id\""));
    }
    for k in (1..fields.len()).rev() {
        let j = r.below(k as u64 + 1) as usize;
        fields.swap(k, j);
    }
    format!("{{{}}}", fields.join(", "))
}

#[test]
fn streamed_load_matches_the_parsed_json() {
    let std = standard();
    let mut r = Rng(5);
    for _ in 0..400 {
        let n = 1 + r.below(12) as usize;
        let units: Vec<String> = (0..n).map(|i| unit(&mut r, i)).collect();
        let text = format!(
            "{{\"as_of\": \"2024-12-31\", \"params\": {{\"户数下限\": {}}}, \"units\": [\n{}\n]}}",
            pick(&mut r, VALUES),
            units.join(",\n")
        );
        same_as_parsed(&std, &text);
    }
}

/// A large file is read a chunk at a time (`load_in_chunks`, which the `load_parts` fuzz target
/// holds equal to the serial load): a file of plain units is taken, not given way on, whatever
/// the size of a chunk, and loads as the serial load loads it.
#[test]
fn a_file_read_in_chunks_loads_as_read_whole() {
    let std = standard();
    let mut units =
        vec![r#"{"id": "JD", "name": "一街道", "kind": "街道", "parent": null}"#.to_string()];
    for c in 0..12 {
        units.push(format!(
            r#"{{"id": "SQ{c}", "name": "社区{c}", "kind": "社区", "parent": "JD", "facts": {{"户数": {}, "满意度": "9{c}%", "成立日期": "2020-0{}-01"}}}}"#,
            100 + c * 7,
            1 + c % 9
        ));
        for x in 0..3 {
            units.push(format!(
                r#"{{"id": "SQ{c}-{x}", "kind": "小区", "parent": "SQ{c}", "facts": {{"一票否决": {}, "党员数": {}}}, "scores": {{"1.1": {}, "1.2": 4.5, "2": {}}}}}"#,
                x == 1 && c == 5,
                c * x,
                x + 2,
                c % 11
            ));
        }
    }
    let text = format!(
        "{{\"as_of\": \"2024-06-30\", \"units\": [\n{}\n], \"params\": {{\"户数下限\": 120}}}}",
        units.join(",\n")
    );
    let whole = loaded(load(std.graph(), &text, &Default::default()));
    assert!(
        !whole.contains("code:"),
        "the file loads without a problem: {whole}"
    );
    for chunk in [16, 100, 1000, 1 << 20] {
        let chunked = load_in_chunks(std.graph(), &text, &Default::default(), chunk)
            .unwrap_or_else(|| panic!("chunks of {chunk} bytes: the load gave way"));
        assert_eq!(loaded(chunked), whole, "chunks of {chunk} bytes");
    }
}

#[test]
fn the_kind_may_come_after_the_facts() {
    let std = standard();
    let first = r#"{"units": [{"id": "X", "kind": "小区", "scores": {"1.1": 4.5, "1.2": 5, "2": 7}, "facts": {"一票否决": false, "党员数": 3}}]}"#;
    let last = r#"{"units": [{"facts": {"一票否决": false, "党员数": 3}, "scores": {"1.1": 4.5, "1.2": 5, "2": 7}, "id": "X", "kind": "小区"}]}"#;
    let (a, ea) = load(std.graph(), first, &Default::default());
    let (b, eb) = load(std.graph(), last, &Default::default());
    assert!(ea.is_empty() && eb.is_empty(), "{ea:?} {eb:?}");
    assert_eq!(a.tree, b.tree);
    assert!(a.tree.units[0].inputs.iter().all(|v| v != Input::Unknown));
}

#[test]
fn a_repeated_key_keeps_its_first_place_and_its_last_value() {
    let std = standard();
    let text = r#"{"units": [{"id": "S", "kind": "社区", "facts": {"户数": "x", "面积": "y", "户数": 120, "学时": true}}]}"#;
    let (f, e) = load(std.graph(), text, &Default::default());
    let keys: Vec<_> = e
        .iter()
        .map(|e| e.key.clone().unwrap_or_default())
        .collect();
    assert_eq!(keys, ["户数", "面积", "学时"], "{e:#?}");
    assert_eq!(e[0].code, "F0016");
    assert_eq!(
        f.tree.units[0].inputs.get(0).unwrap(),
        Input::Num(120.into())
    );
    same_as_parsed(&std, text);
}

#[test]
fn numbers_are_shown_as_written() {
    let std = standard();
    let text = r#"{"units": [{"id": "X", "kind": "小区", "scores": {"1.1": 1E5, "1.2": 4.50, "2": -0}, "facts": {"党员数": 2.5E0}}]}"#;
    let (f, e) = load(std.graph(), text, &Default::default());
    let shown: Vec<String> = e.iter().map(|e| e.message_en()).collect();
    // A number with an exponent is read exactly (1E5 is 100000 points), and shown as
    // `serde_json` keeps it.
    assert_eq!(
        shown,
        [
            "unit `X`, `党员数`: expected a whole number, 0 or more, found `2.5e+0`",
            "unit `X`, `1.1`: 100000 points is outside the allowed range, 0 to 5 points",
        ],
        "{e:#?}"
    );
    // 4.50 is kept as 4.5; -0 points are 0.
    let values: Vec<String> = f.tree.units[0]
        .inputs
        .iter()
        .map(|v| format!("{v:?}"))
        .collect();
    assert!(values.contains(&"Num(4.5)".to_string()), "{values:?}");
    assert!(values.contains(&"Num(0)".to_string()), "{values:?}");
}

#[test]
fn objects_and_arrays_are_wrong_values_and_the_rest_is_loaded() {
    let std = standard();
    let text = r#"{"units": [
        {"id": "S1", "kind": "社区", "facts": {"户数": [1, {"a": 2}], "学时": 56}},
        {"id": "S2", "kind": "社区", "facts": {"户数": 300}}
    ]}"#;
    let (f, e) = load(std.graph(), text, &Default::default());
    assert_eq!(f.tree.units.len(), 2);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(
        e[0].message_en(),
        r#"unit `S1`, `户数`: expected a whole number, found `[1,{"a":2}]`"#
    );
    same_as_parsed(&std, text);
}

#[test]
fn invalid_json_inside_a_value_is_reported_where_it_is() {
    let std = standard();
    // A lone surrogate in a string: not valid JSON, at its exact place.
    let text = "{\"units\": [\n  {\"id\": \"S1\", \"kind\": \"社区\", \"facts\": {\"星级\": \"\\ud800\"}}\n]}";
    let (f, e) = load(std.graph(), text, &Default::default());
    assert!(f.tree.units.is_empty());
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].code, "F0001");
    assert_eq!(
        e[0].message_en(),
        serde_json::from_str::<Value>(text)
            .err()
            .map(|j| format!(
                "not valid JSON at line {}, column {}: {}",
                j.line(),
                j.column(),
                json_syntax(j.to_string().split(" at line").next().unwrap_or_default()).1
            ))
            .unwrap_or_default()
    );
    // Nesting deeper than serde_json allows, inside a fact.
    let deep = format!(
        "{{\"units\": [{{\"id\": \"S1\", \"kind\": \"社区\", \"facts\": {{\"户数\": {}1{}}}}}]}}",
        "[".repeat(130),
        "]".repeat(130)
    );
    let (_, e) = load(std.graph(), &deep, &Default::default());
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].message_en()
            .contains("nested more than 128 levels deep"),
        "{e:#?}"
    );
}

/// A file that is not a facts file at all is said to be so: JSON that is not an object is
/// `F0002` (a JSON object expected); text that is not JSON, before any unit, is `F0001` where
/// it stops.
#[test]
fn what_is_not_an_object_or_not_json_is_said_so() {
    let std = standard();
    for text in ["[]", "5", "\"units\"", "null", "[{\"units\": []}]"] {
        let (_, e) = load(std.graph(), text, &Default::default());
        let got: Vec<(&str, String)> = e.iter().map(|e| (e.code, e.message_en())).collect();
        assert_eq!(
            got.first(),
            Some(&("F0002", "expected a JSON object".to_string())),
            "{text}: {got:?}"
        );
    }
    // `units` that is not a list, read from the text and from parsed JSON alike.
    for text in [r#"{"units": 5}"#, r#"{"units": {}}"#, r#"{"units": null}"#] {
        let (_, e) = load(std.graph(), text, &Default::default());
        let got: Vec<String> = e.iter().map(FactsError::message_en).collect();
        assert_eq!(got, ["`units`: expected a list of units"], "{text}");
        same_as_parsed(&std, text);
    }
    for text in ["{\"as_of\": 2024-01-01}", "{units: []}", "{\"units\": [] ]"] {
        let (_, e) = load(std.graph(), text, &Default::default());
        let got: Vec<&str> = e.iter().map(|e| e.code).collect();
        assert_eq!(got, ["F0001"], "{text}: {e:#?}");
        assert!(
            e[0].message_en().contains("line 1, column"),
            "{text}: {e:#?}"
        );
    }
}

const RECORDS: &str = r#"
standard records-test { title "records" }
kind 镇 contains 支部
kind 支部
facts 支部 {
  成立日期: date
  荣誉: text
}
records 支部 积分记录 {
  日期: date
  分值: points
  事由: text
}
derive 支部 { 积分 = 100分 + sum 积分记录 where (日期 >= 成立日期) of (分值) }
"#;

/// Each problem of a facts file with records, as (code, unit, key).
fn problems(errors: &[FactsError]) -> Vec<(&str, Option<&str>, Option<&str>)> {
    errors
        .iter()
        .map(|e| (e.code, e.unit.as_deref(), e.key.as_deref()))
        .collect()
}

/// Records on their owner become its sub-units `A#1`, `A#2`, … in list order, with their fields
/// as inputs and their texts beside them; streamed or parsed first, the load is the same.
#[test]
fn records_are_loaded_as_sub_units_of_their_owner() {
    let std = compile("records.std", RECORDS);
    let text = r#"{"units": [
      {"id": "Z", "kind": "镇"},
      {"积分记录": [{"事由": "志愿服务", "分值": 2, "日期": "2026-03-01"}, {"分值": -1}], "id": "A", "kind": "支部", "parent": "Z", "facts": {"荣誉": "市级先进"}},
      {"id": "B", "kind": "支部", "parent": "Z", "积分记录": null}
    ]}"#;
    same_as_parsed(&std, text);
    let (facts, errors) = load(std.graph(), text, &Default::default());
    assert!(errors.is_empty(), "{errors:?}");
    let ids: Vec<&str> = facts.tree.units.iter().map(|u| &*u.id).collect();
    assert_eq!(ids, ["Z", "A", "A#1", "A#2", "B"]);
    let a = facts.tree.find("A").unwrap();
    let first = &facts.tree.units[facts.tree.find("A#1").unwrap()];
    assert_eq!(first.parent(), Some(a));
    assert_eq!(facts.tree.units[a].children.len(), 2);
    let kind = &std.graph().kinds[first.kind as usize];
    assert!(kind.is_record());
    let points = kind.input("分值").unwrap();
    assert_eq!(first.inputs.get(points).unwrap(), Input::Num(2.into()));
    assert_eq!(facts.tree.texts.get("A#1", 0), Some("志愿服务"));
    assert_eq!(facts.tree.texts.get("A#2", 0), None);
    assert_eq!(
        facts.tree.texts.get("A", 0),
        Some("市级先进"),
        "a text fact of a unit"
    );
}

/// Every problem of every record at once, naming the owner and `积分记录[2].分值`: nothing is
/// dropped silently, and a record that is not an object is kept with its fields missing.
#[test]
fn every_problem_with_records_is_reported_at_once() {
    let std = compile("records.std", RECORDS);
    let text = r#"{"units": [
      {"id": "Z", "kind": "镇", "积分记录": []},
      {"id": "A", "kind": "支部", "parent": "Z", "积分记录": [
        {"日期": "2026-02-30", "分值": 1}, 5, {"分值": "两分", "备注": "x", "事由": 3}
      ]},
      {"id": "B", "kind": "支部", "parent": "Z", "积分记录": {"日期": "2026-01-01"}, "facts": {"荣誉": 5}},
      {"id": "C#1", "kind": "支部", "parent": "Z"},
      {"id": "R", "kind": "积分记录", "parent": "A"}
    ]}"#;
    same_as_parsed(&std, text);
    let (facts, errors) = load(std.graph(), text, &Default::default());
    assert_eq!(
        problems(&errors),
        [
            ("F0019", Some("Z"), Some("积分记录")),
            ("F0011", Some("A"), Some("积分记录[1].日期")),
            ("F0002", Some("A"), Some("积分记录[2]")),
            ("F0011", Some("A"), Some("积分记录[3].分值")),
            ("F0009", Some("A"), Some("积分记录[3].备注")),
            ("F0011", Some("A"), Some("积分记录[3].事由")),
            ("F0011", Some("B"), Some("荣誉")),
            ("F0002", Some("B"), Some("积分记录")),
            ("F0019", None, Some("units[3].id")),
            ("F0019", Some("R"), Some("kind")),
        ]
    );
    let zh: Vec<String> = errors.iter().map(FactsError::message_zh).collect();
    assert_eq!(
        zh[0],
        "单位 `Z` 的 `积分记录`：`积分记录` 是 `支部` 的记录，不是 `镇` 的，这一列表被忽略"
    );
    assert_eq!(
        zh[2],
        "单位 `A` 的 `积分记录[2]`：应为由记录各字段组成的对象"
    );
    assert_eq!(
        errors[1].message_en(),
        "unit `A`, `积分记录[1].日期`: expected a date such as `2021-06-30`, found `\"2026-02-30\"`"
    );
    let ids: Vec<&str> = facts.tree.units.iter().map(|u| &*u.id).collect();
    assert_eq!(ids, ["Z", "A", "A#1", "A#2", "A#3", "B"]);
}

/// Without records in the standard, `#` is an ordinary character of an id.
#[test]
fn ids_may_hold_a_hash_when_the_standard_has_no_records() {
    let std = standard();
    let (facts, errors) = load(
        std.graph(),
        r#"{"units": [{"id": "SQ#1", "kind": "社区"}]}"#,
        &Default::default(),
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert!(facts.tree.find("SQ#1").is_some());
}

/// What a message lists (the standard's kinds, a scorecard's keys, the fields allowed) is joined
/// with `、` in Chinese and with `, ` in English; a file that is not JSON is told in the messages'
/// own words, not the parser's.
#[test]
fn lists_and_syntax_are_told_in_each_language() {
    let std = standard();
    let text = r#"{"units": [
      {"id": "A", "kind": "镇"},
      {"id": "B", "kind": "小区", "scores": {"3": 1}},
      {"id": "C", "kind": "小区", "score": {"1.1": 1}}
    ]}"#;
    let (_, e) = load(std.graph(), text, &Default::default());
    let said = |code: &str| {
        let e = e
            .iter()
            .find(|e| e.code == code)
            .unwrap_or_else(|| panic!("{code}: {e:#?}"));
        (e.message_zh(), e.message_en())
    };
    let (zh, en) = said("F0005");
    assert!(
        zh.ends_with("标准中的类型为 `街道`、`社区`、`小区`"),
        "{zh}"
    );
    assert!(
        en.ends_with("the standard's kinds are `街道`, `社区`, `小区`"),
        "{en}"
    );
    let (zh, en) = said("F0010");
    assert!(zh.ends_with("可用的为 1.1、1.2、2"), "{zh}");
    assert!(en.ends_with("its keys are 1.1, 1.2, 2"), "{en}");
    let (zh, en) = said("F0014");
    assert!(zh.contains("应为 `id`、`name`、`kind`"), "{zh}");
    assert!(en.contains("expected one of `id`, `name`, `kind`"), "{en}");

    let (_, e) = load(std.graph(), "{\"units\": [1, 2", &Default::default());
    assert_eq!(
        (e[0].message_zh(), e[0].message_en()),
        (
            "不是有效的 JSON：第 1 行第 15 列，文件在列表闭合之前结束（缺少 `]`）".to_string(),
            "not valid JSON at line 1, column 15: the text ends before a list is closed (`]` missing)"
                .to_string()
        )
    );
}
