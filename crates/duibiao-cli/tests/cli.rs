//! End-to-end tests of the `duibiao` binary: exit codes, what goes to stdout and stderr, the JSON
//! shapes, and that no input makes it panic. The demo's table and an explanation are pinned with
//! insta snapshots.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::Value;

/// The fingerprint changes whenever the compiled rules do; snapshots show a placeholder.
fn redact_fingerprint(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("sha256:") {
            Some(i) => {
                let hex: String = l[i + 7..]
                    .chars()
                    .take_while(|c| c.is_ascii_hexdigit())
                    .collect();
                assert_eq!(hex.len(), 64, "fingerprint in `{l}`");
                format!("{}sha256:[fingerprint]{}", &l[..i], &l[i + 7 + 64..])
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ------------------------------------------------------------------------------------ check

#[test]
fn check_the_real_standard() {
    let o = run(&["check", STD]);
    expect_code(&o, 0, "check");
    assert!(stdout(&o).contains("检查通过"), "{}", stdout(&o));

    let o = run(&["check", STD, "--lang", "en"]);
    expect_code(&o, 0, "check --lang en");
    assert!(stdout(&o).contains("ok"), "{}", stdout(&o));
}

const BROKEN: &str = "\
standard wenming-xiaoqu-2023 {
  title \"文明小区创建评价办法\"
}

kind 小区

facts 小区 {
  绿化面积: area \"小区公共绿地面积\"
}

tiers 小区 {
  达标 { 绿地面积 >= 300平方米 }
}
";

#[test]
fn check_a_broken_file() {
    let dir = temp_dir("check-broken");
    let file = write(&dir, "broken.std", BROKEN);
    let o = run(&["check", &file]);
    expect_code(&o, 1, "check broken");
    let err = stderr(&o);
    // `绿地面积` is at line 12, column 8 (in characters).
    assert!(err.contains(&format!("{file}:12:8 E0104")), "{err}");
    assert!(err.contains("绿地面积"), "{err}");
    assert!(err.contains("1 个错误"), "{err}");

    let o = run(&["check", &file, "--lang", "en"]);
    expect_code(&o, 1, "check broken --lang en");
    let err = stderr(&o);
    assert!(err.contains(&format!("{file}:12:8 E0104")), "{err}");
    assert!(err.contains("unknown name `绿地面积`"), "{err}");
    assert!(err.contains("1 error(s)"), "{err}");
}

#[test]
fn check_a_missing_file() {
    let o = run(&["check", "standards/no-such-standard.std"]);
    expect_code(&o, 1, "check missing");
    assert!(
        stderr(&o).contains("standards/no-such-standard.std"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
}

#[test]
fn check_a_file_that_is_not_utf8() {
    let dir = temp_dir("check-not-utf8");
    // "标准" in GBK, as a file saved by an old editor would be.
    let file = write(&dir, "gbk.std", b"\xb1\xea\xd7\xbc demo { }\n");
    let o = run(&["check", &file]);
    expect_code(&o, 1, "check GBK");
    let err = stderr(&o);
    assert!(err.contains("gbk.std") && err.contains("UTF-8"), "{err}");
}

#[test]
fn check_as_json() {
    let o = run(&["check", "--format", "json", STD]);
    expect_code(&o, 0, "check --format json");
    let v = json(&o, "check --format json");
    assert_eq!(v["ok"], Value::Bool(true), "{v}");
    assert_eq!(v["standard"], "haiyan-2021");
    assert_eq!(v["call"], "compile");
    assert!(v["problems"].is_array());

    let dir = temp_dir("check-json-broken");
    let file = write(&dir, "broken.std", BROKEN);
    let o = run(&["check", "--format", "json", &file]);
    expect_code(&o, 1, "check --format json broken");
    let v = json(&o, "check --format json broken");
    assert_eq!(v["ok"], Value::Bool(false), "{v}");
    let d = v["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .find(|d| d["code"] == "E0104")
        .unwrap_or_else(|| panic!("no E0104 in {v}"));
    assert_eq!(
        (
            d["location"]["line"].as_u64(),
            d["location"]["column"].as_u64()
        ),
        (Some(12), Some(8)),
        "{v}"
    );
}

// ------------------------------------------------------------------------------------- eval

#[test]
fn eval_the_demo_as_json() {
    let o = run(&["eval", STD, DEMO, "--format", "json"]);
    expect_code(&o, 0, "eval --format json");
    let v = json(&o, "eval --format json");
    let units = v["units"].as_array().expect("units");
    assert_eq!(units.len(), 18);
    for u in units {
        let id = u["id"]
            .as_str()
            .unwrap_or_else(|| panic!("unit without id: {u}"));
        assert!(u["kind"].is_string(), "{id}: kind {}", u["kind"]);
        assert!(
            u["score"].is_string() || u["score"].is_null(),
            "{id}: score {}",
            u["score"]
        );
        assert!(
            u["tier"].is_string() || u["tier"].is_null(),
            "{id}: tier {}",
            u["tier"]
        );
        let tiers = u["tiers"]
            .as_object()
            .unwrap_or_else(|| panic!("{id}: tiers {}", u["tiers"]));
        assert!(!tiers.is_empty(), "{id}: no tiers");
        for (t, verdict) in tiers {
            assert!(
                matches!(verdict.as_str(), Some("pass" | "fail" | "unknown")),
                "{id}: tier {t} is {verdict}"
            );
        }
    }
    let sq1 = units.iter().find(|u| u["id"] == "SQ1").expect("SQ1");
    assert_eq!(
        (sq1["score"].as_str(), sq1["tier"].as_str()),
        (Some("93"), Some("示范型"))
    );
}

#[test]
fn eval_the_demo_as_a_table() {
    let ids: Vec<String> = json(&run(&["eval", STD, DEMO, "--format", "json"]), "eval json")
        ["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["id"].as_str().expect("id").to_string())
        .collect();

    let o = run(&["eval", STD, DEMO]);
    expect_code(&o, 0, "eval");
    let table = stdout(&o);
    for id in &ids {
        assert!(
            table
                .lines()
                .any(|l| l.split_whitespace().next() == Some(id.as_str())),
            "no row for `{id}`:\n{table}"
        );
    }
    insta::assert_snapshot!("eval_demo_table_zh", redact_fingerprint(&table));

    let o = run(&["eval", STD, DEMO, "--lang", "en"]);
    expect_code(&o, 0, "eval --lang en");
    insta::assert_snapshot!("eval_demo_table_en", redact_fingerprint(&stdout(&o)));
}

/// A facts file in which most units have one problem each; `XQ_OK` and `XQ_TYPE`'s score are fine.
const BAD_FACTS: &str = r#"{"standard": "haiyan-2021", "as_of": "2021-12-31",
 "units": [
  {"id": "XQ_OK", "name": "枫林苑", "kind": "小区", "parent": null,
   "scores": {"11.1": 10, "11.2": 10, "12.1": 10, "12.2": 9.5, "13.1": 5, "13.2": 5, "13.3": 9.5, "14": 20, "15.1": 8, "15.2": 8},
   "facts": {"一票否决": false}},
  {"id": "CUN1", "name": "某村", "kind": "村", "parent": null, "scores": {}, "facts": {}},
  {"id": "XQ_RANGE", "name": "海景花园", "kind": "小区", "parent": null,
   "scores": {"11.1": 15, "11.2": 10, "12.1": 10, "12.2": 10, "13.1": 4, "13.2": 5, "13.3": 6, "14": 17, "15.1": 9, "15.2": 10},
   "facts": {"一票否决": false}},
  {"id": "XQ_TYPE", "name": "桂花园", "kind": "小区", "parent": null,
   "scores": {"11.1": 2.5, "11.2": 8.5, "12.1": 8, "12.2": 6.5, "13.1": 1, "13.2": 4.5, "13.3": 10, "14": 20, "15.1": 10, "15.2": 9},
   "facts": {"一票否决": "否"}},
  {"id": "XQ_DUP", "name": "翠竹苑", "kind": "小区", "parent": null, "scores": {}, "facts": {}},
  {"id": "XQ_DUP", "name": "翠竹苑（重复）", "kind": "小区", "parent": null, "scores": {}, "facts": {}},
  {"id": "XQ_ORPHAN", "name": "银湾小区", "kind": "小区", "parent": "SQ_NONE", "scores": {}, "facts": {}},
  {"id": "JD_LOOP", "name": "甲街道", "kind": "街道", "parent": "SQ_LOOP", "scores": {}, "facts": {}},
  {"id": "SQ_LOOP", "name": "乙社区", "kind": "社区", "parent": "JD_LOOP", "scores": {}, "facts": {}}
 ]}"#;

#[test]
fn eval_facts_with_problems() {
    let dir = temp_dir("eval-bad-facts");
    let facts = write(&dir, "bad.json", BAD_FACTS);
    for lang in ["zh", "en"] {
        let o = run(&["eval", STD, &facts, "--lang", lang]);
        expect_code(&o, 1, "eval bad facts");
        let err = stderr(&o);
        for (unit, key, code) in [
            ("CUN1", "kind", "F0005"),
            ("XQ_RANGE", "11.1", "F0012"),
            ("XQ_TYPE", "一票否决", "F0011"),
            ("XQ_DUP", "id", "F0004"),
            ("XQ_ORPHAN", "parent", "F0006"),
            ("JD_LOOP", "parent", ""),
        ] {
            let line = err
                .lines()
                .find(|l| l.contains(&format!("`{unit}`")))
                .unwrap_or_else(|| panic!("{lang}: stderr does not name `{unit}`:\n{err}"));
            assert!(
                line.contains(&format!("`{key}`")),
                "{lang}: `{unit}` without key `{key}`: {line}"
            );
            assert!(
                line.contains(code),
                "{lang}: `{unit}` without {code}: {line}"
            );
            assert!(
                line.starts_with(&facts),
                "{lang}: `{unit}` without the file name: {line}"
            );
        }
        // The other units are still evaluated and printed.
        let out = stdout(&o);
        let ok = out
            .lines()
            .find(|l| l.starts_with("XQ_OK"))
            .unwrap_or_else(|| panic!("{lang}: no row for XQ_OK:\n{out}"));
        assert!(ok.contains("95") && ok.contains("示范型"), "{ok}");
        let typed = out
            .lines()
            .find(|l| l.starts_with("XQ_TYPE"))
            .expect("XQ_TYPE row");
        assert!(typed.contains("80") && typed.contains("标准型"), "{typed}");
        assert!(!out.lines().any(|l| l.starts_with("CUN1")), "{out}");
    }

    // As JSON, the outcome is complete and still valid.
    let o = run(&["eval", STD, &facts, "--format", "json"]);
    expect_code(&o, 1, "eval bad facts --format json");
    let v = json(&o, "eval bad facts --format json");
    let ids: Vec<&str> = v["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter_map(|u| u["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"XQ_OK") && ids.contains(&"SQ_LOOP"),
        "{ids:?}"
    );
}

#[test]
fn eval_facts_that_are_not_json() {
    let dir = temp_dir("eval-invalid-json");
    let facts = write(
        &dir,
        "invalid.json",
        "{\"units\": [\n  {\"id\": \"XQ1\", \"kind\": \"小区\",}\n]}\n",
    );
    let o = run(&["eval", STD, &facts]);
    expect_code(&o, 1, "eval invalid JSON");
    let err = stderr(&o);
    assert!(
        err.contains("F0001") && err.contains("invalid.json"),
        "{err}"
    );
    assert!(err.contains("JSON"), "{err}");
}

#[test]
fn eval_with_a_missing_facts_file() {
    let o = run(&["eval", STD, "standards/haiyan-2021/no-such-facts.json"]);
    expect_code(&o, 1, "eval missing facts");
    assert!(stderr(&o).contains("no-such-facts.json"), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------- explain

#[test]
fn explain_a_unit() {
    let o = run(&["explain", STD, DEMO, "SQ1"]);
    expect_code(&o, 0, "explain SQ1");
    let text = stdout(&o);
    assert!(text.contains("三、建设要求"), "{text}");
    assert!(text.contains("SQ1"), "{text}");
    insta::assert_snapshot!("explain_demo_sq1_zh", text);

    let o = run(&["explain", STD, DEMO, "SQ1", "--lang", "en"]);
    expect_code(&o, 0, "explain SQ1 --lang en");
    assert!(stdout(&o).contains("三、建设要求"), "{}", stdout(&o));
    insta::assert_snapshot!("explain_demo_sq1_en", stdout(&o));

    let o = run(&["explain", STD, DEMO, "SQ1", "--format", "json"]);
    expect_code(&o, 0, "explain --format json");
    let v = json(&o, "explain json");
    assert_eq!(v["unit"]["id"], "SQ1", "{v}");
    assert_eq!(v["call"], "explain", "{v}");
    assert!(v["text"].as_str().is_some_and(|t| t.contains("SQ1")), "{v}");
}

#[test]
fn explain_an_unknown_unit() {
    let o = run(&["explain", STD, DEMO, "SQ99"]);
    expect_code(&o, 1, "explain SQ99");
    assert!(stderr(&o).contains("SQ99"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
}

// --------------------------------------------------------------------------- template, schema

#[test]
fn template_for_a_kind() {
    let o = run(&["template", STD, "社区"]);
    expect_code(&o, 0, "template 社区");
    let v = json(&o, "template 社区");
    let unit = &v["units"][0];
    assert_eq!(unit["kind"], "社区");
    let scores: Vec<&str> = unit["scores"]
        .as_object()
        .expect("scores")
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        scores,
        ["6.1", "6.2", "7.1", "7.2", "8.1", "8.2", "9.1", "9.2", "10.1", "10.2", "10.3"]
    );
    let facts: Vec<&str> = unit["facts"]
        .as_object()
        .expect("facts")
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        facts,
        [
            "一票否决",
            "社会组织有效融入",
            "社会组织充分融入",
            "年初三张清单",
            "小区支部应建尽建",
            "示范型党群家园数",
            "红色驿站可看点数"
        ]
    );
}

#[test]
fn template_for_an_unknown_kind() {
    let o = run(&["template", STD, "楼栋"]);
    expect_code(&o, 1, "template 楼栋");
    let err = stderr(&o);
    assert!(err.contains("楼栋") && err.contains("社区"), "{err}");
}

#[test]
fn schema_is_json() {
    let o = run(&["schema"]);
    expect_code(&o, 0, "schema");
    let v = json(&o, "schema");
    assert!(v.is_object() && v.get("properties").is_some(), "{v}");
}

// ---------------------------------------------------------------------------------- no panic

/// A small deterministic generator (xorshift), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    /// Text made of pieces of the language, in random order.
    fn tokens(&mut self, n: usize) -> String {
        const PIECES: &[&str] = &[
            "standard",
            "x",
            "{",
            "}",
            "(",
            ")",
            "kind",
            "小区",
            "社区",
            "contains",
            "facts",
            "：",
            ":",
            "bool",
            "int",
            "area",
            "tiers",
            "score",
            ">=",
            "60",
            "30%",
            "300平方米",
            "\"",
            "“",
            "”",
            "all",
            "at",
            "标准型",
            "veto",
            "blocks",
            "item",
            "part",
            "max",
            "10分",
            "if",
            "then",
            "else",
            "\n",
            " ",
            "#",
            "2021-02-30",
            "..",
            "param",
            "=",
            "derive",
            "+",
            "*",
            "/",
            "99999999999999999999999999999999",
            "、",
            "，",
            "非",
            "且",
            "或",
        ];
        (0..n)
            .map(|_| PIECES[(self.next() % PIECES.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[test]
fn garbage_never_panics() {
    let dir = temp_dir("garbage");
    let mut rng = Rng(0x2021_0101_dead_beef);
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..6 {
        let n = 1 + (rng.next() % 400) as usize;
        inputs.push((format!("bytes{i}"), rng.bytes(n)));
    }
    for i in 0..6 {
        let n = 1 + (rng.next() % 60) as usize;
        inputs.push((format!("tokens{i}"), rng.tokens(n).into_bytes()));
    }
    inputs.push(("empty".into(), Vec::new()));
    inputs.push(("bom".into(), b"\xef\xbb\xbfstandard x { }".to_vec()));
    inputs.push(("json-array".into(), b"[1, 2, 3]".to_vec()));
    inputs.push(("json-units-null".into(), br#"{"units": null}"#.to_vec()));
    inputs.push((
        "json-unit-garbage".into(),
        br#"{"units": [1, "x", {"id": 5, "kind": [], "scores": 3}]}"#.to_vec(),
    ));
    inputs.push(("json-deep".into(), "[".repeat(100_000).into_bytes()));

    for (name, bytes) in &inputs {
        let std_file = write(&dir, &format!("{name}.std"), bytes);
        let facts_file = write(&dir, &format!("{name}.json"), bytes);
        for args in [
            vec!["check", std_file.as_str()],
            vec!["check", "--format", "json", std_file.as_str()],
            vec!["eval", std_file.as_str(), DEMO],
            vec!["eval", STD, facts_file.as_str()],
            vec!["eval", STD, facts_file.as_str(), "--format", "json"],
            vec!["explain", STD, facts_file.as_str(), "XQ1"],
            vec!["template", std_file.as_str(), "小区"],
        ] {
            let o = run(&args);
            let c = code(&o);
            assert!(
                c == 0 || c == 1,
                "{args:?} on {name}: exit code {c}\n--- stderr ---\n{}",
                stderr(&o)
            );
            assert!(
                !stderr(&o).contains("panicked"),
                "{args:?} on {name}: {}",
                stderr(&o)
            );
        }
    }
}

// ----------------------------------------------------------------------------------- impact

/// The 75 line of a 小区 raised to 80: the one rule that changed, with its clause, and the
/// units whose tier changes with the condition that flipped; the same as JSON.
#[test]
fn impact_of_raising_a_line() {
    let dir = temp_dir("impact_of_raising_a_line");
    let text = std::fs::read_to_string(format!("{ROOT}/{STD}")).unwrap();
    let at = text.match_indices("score >= 75").nth(2).unwrap().0;
    let revised = format!("{}score >= 80{}", &text[..at], &text[at + 11..]);
    let new = write(&dir, "haiyan-2022.std", revised);
    let o = run(&["impact", STD, &new, DEMO]);
    expect_code(&o, 0, "impact");
    insta::assert_snapshot!(stdout(&o));
    let o = run(&[
        "impact", STD, &new, DEMO, "--format", "json", "--lang", "en",
    ]);
    expect_code(&o, 0, "impact --format json");
    let v = json(&o, "impact --format json");
    assert_eq!(v["call"], "impact");
    assert_eq!(v["rules"][0]["change"], "changed");
    assert_eq!(
        v["rules"][0]["after"]["place"],
        "小区 · 等级 标准型 · 得分75以上"
    );
    assert_eq!(v["units"]["changed"].as_array().map(Vec::len), Some(6));
    // The same version twice: nothing changes.
    let o = run(&["impact", STD, STD, DEMO, "--lang", "en"]);
    expect_code(&o, 0, "impact of the same version");
    assert_eq!(stdout(&o), "no rule changed\n\nno unit's outcome changes\n");
}

// ------------------------------------------------------------------------------------- test

/// A copy of haiyan-2021 with one of its cases, in a directory of its own:
/// `DIR/standards/haiyan-2021.std` and `DIR/standards/haiyan-2021/cases/xiaoqu_veto.*`.
fn haiyan_copy(test: &str) -> (std::path::PathBuf, String, std::path::PathBuf) {
    let dir = temp_dir(test);
    let cases = dir.join("standards/haiyan-2021/cases");
    std::fs::create_dir_all(&cases).unwrap();
    let root = std::path::Path::new(ROOT);
    let std_file = write(
        &dir.join("standards"),
        "haiyan-2021.std",
        std::fs::read(root.join(STD)).unwrap(),
    );
    for f in ["xiaoqu_veto.json", "xiaoqu_veto.expected.json"] {
        let from = root.join("standards/haiyan-2021/cases").join(f);
        write(&cases, f, std::fs::read(from).unwrap());
    }
    (dir, std_file, cases.join("xiaoqu_veto.expected.json"))
}

#[test]
fn test_passes_fails_and_cannot_run() {
    let o = run(&["test", STD]);
    expect_code(&o, 0, "test haiyan");
    assert!(
        stdout(&o).ends_with("共 21 个用例：21 个通过，0 个失败\n"),
        "{}",
        stdout(&o)
    );

    let (_dir, std_file, expected) = haiyan_copy("test-exit-codes");
    let original = std::fs::read_to_string(&expected).unwrap();
    let broken = original.replacen("\"tier\": \"标准型\"", "\"tier\": \"示范型\"", 1);
    std::fs::write(&expected, &broken).unwrap();
    let o = run(&["test", &std_file, "--lang", "en"]);
    expect_code(&o, 1, "a failing case");
    let out = stdout(&o);
    assert!(
        out.contains("  FAIL  xiaoqu_veto\n      units.XQ1.tier (小区 XQ1"),
        "{out}"
    );
    assert!(
        out.contains("        expected: 示范型\n        actual:   标准型\n"),
        "{out}"
    );
    assert!(
        out.contains("decided by: 一票否决事项: fail [三、建设要求]"),
        "{out}"
    );
    assert!(out.ends_with("1 case(s): 0 passed, 1 failed\n"), "{out}");

    // Not JSON: T0001 at the file's line and column, exit 2.
    std::fs::write(
        &expected,
        original.replacen("\"errors\": []", "\"errors\": [,]", 1),
    )
    .unwrap();
    let o = run(&["test", &std_file]);
    expect_code(&o, 2, "an expected file that is not JSON");
    assert!(stderr(&o).contains("T0001"), "{}", stderr(&o));
    let lines = original.lines().count();
    let place = format!("xiaoqu_veto.expected.json:{}:13", lines - 1);
    assert!(stderr(&o).contains(&place), "{place} in\n{}", stderr(&o));
    assert!(
        stdout(&o).contains("  无法运行  xiaoqu_veto\n      T0001\n"),
        "{}",
        stdout(&o)
    );

    // A standard that does not compile: its diagnostics, exit 2.
    std::fs::write(&expected, &original).unwrap();
    std::fs::write(&std_file, "standard {").unwrap();
    let o = run(&["test", &std_file]);
    expect_code(&o, 2, "a standard that does not compile");
    assert!(stderr(&o).contains("E0001"), "{}", stderr(&o));

    // A path that names no cases: T0003, exit 2.
    let o = run(&["test", "docs"]);
    expect_code(&o, 2, "no cases");
    assert!(stderr(&o).contains("T0003"), "{}", stderr(&o));
}

#[test]
fn test_update_round_trip() {
    let (dir, std_file, expected) = haiyan_copy("test-update");
    let original = std::fs::read_to_string(&expected).unwrap();
    let broken = original
        .replacen("\"score\": \"95\"", "\"score\": \"96\"", 1)
        .replacen("\"示范型\": \"unknown\"", "\"示范型\": \"pass\"", 1);
    assert_ne!(broken, original);
    std::fs::write(&expected, &broken).unwrap();
    // A case file names its case.
    let case = dir.join("standards/haiyan-2021/cases/xiaoqu_veto.json");
    let o = run(&["test", case.to_str().unwrap(), "--update"]);
    expect_code(&o, 0, "test --update");
    let out = stdout(&o);
    assert!(out.contains("units.XQ1.score（小区 XQ1"), "{out}");
    assert!(out.contains("期望：96\n        实际：95\n"), "{out}");
    assert!(out.contains("已更新") && out.contains("（2 处）"), "{out}");
    assert!(
        out.ends_with("共 1 个用例：0 个通过，0 个失败，1 个已更新\n"),
        "{out}"
    );
    let o = run(&["test", &std_file]);
    expect_code(&o, 0, "test after --update");
    let now = std::fs::read_to_string(&expected).unwrap();
    assert_eq!(now, original, "description, order and layout kept");
}

#[test]
fn test_json_and_html() {
    let html = temp_dir("test-html").join("coverage.html");
    let o = run(&[
        "test",
        STD,
        "--format",
        "json",
        "--coverage",
        "--html",
        html.to_str().unwrap(),
    ]);
    expect_code(&o, 0, "test --format json");
    let v = json(&o, "test --format json");
    assert_eq!(v["summary"]["passed"], 21);
    let s = &v["standards"][0];
    assert_eq!(s["standard"], STD);
    assert_eq!(s["cases"][0]["status"], "pass");
    assert!(s["coverage"]["rules"].as_array().unwrap().len() > 40);
    assert!(s["coverage"]["rules"][0]["pass"].as_u64().is_some());
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("得分75以上"));
    for external in ["src=", "href=", "<script", "url("] {
        assert!(!page.contains(external), "{external} in the page");
    }
}

/// `duibiao test --coverage` over every bundled standard: every case passes, and the report
/// names the rules the cases never saw both pass and fail and the clauses no case exercises.
#[test]
fn test_coverage_of_the_bundled_standards() {
    let o = run(&["test", "--coverage"]);
    expect_code(&o, 0, "test --coverage");
    let out = stdout(&o);
    let report: Vec<&str> = out.lines().filter(|l| !l.starts_with("  通过  ")).collect();
    insta::assert_snapshot!("test_coverage_zh", report.join("\n"));
}
