//! The edges a newcomer meets: help and usage errors in Chinese by default and in English with
//! `--lang en`, options that do not go together, `live` lines that are not text, a unit name
//! too long for the table, and progress whose hard targets are missed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

#[test]
fn help_is_chinese_unless_english_is_asked_for() {
    let o = run(&["--help"]);
    expect_code(&o, 0, "--help");
    assert!(
        stdout(&o).contains("用法") && stdout(&o).contains("评价数据文件"),
        "{}",
        stdout(&o)
    );
    let o = run(&["eval", "--help"]);
    assert!(
        stdout(&o).contains("数据文件：JSON 或工作簿（.xlsx）") && stdout(&o).contains("默认 zh"),
        "{}",
        stdout(&o)
    );
    let o = run(&["eval", "--help", "--lang", "en"]);
    assert!(
        stdout(&o).contains("Usage:") && stdout(&o).contains("The facts file"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn usage_errors_are_chinese_unless_english_is_asked_for() {
    let o = run(&["eval", STD, DEMO, "--bogus"]);
    expect_code(&o, 2, "unknown argument");
    assert!(
        stderr(&o).contains("未知的参数 `--bogus`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["evl"]);
    expect_code(&o, 2, "unknown command");
    assert!(stderr(&o).contains("是不是要写 `eval`"), "{}", stderr(&o));
    let o = run(&["eval", STD, DEMO, "--as-of", "2021-13-01"]);
    expect_code(&o, 2, "bad date");
    assert!(stderr(&o).contains("不是日期"), "{}", stderr(&o));
    let o = run(&["eval", STD, DEMO, "--format", "xml"]);
    assert!(
        stderr(&o).contains("可以写 table、json、xlsx"),
        "{}",
        stderr(&o)
    );
    let o = run(&["eval", STD, DEMO, "--bogus", "--lang", "en"]);
    expect_code(&o, 2, "unknown argument, English");
    assert!(
        stderr(&o).contains("unexpected argument '--bogus'"),
        "{}",
        stderr(&o)
    );
    // No command: the help, on standard error.
    let o = run(&[]);
    expect_code(&o, 2, "no command");
    assert!(stderr(&o).contains("命令"), "{}", stderr(&o));
}

#[test]
fn detail_without_json_is_an_error_not_ignored() {
    let o = run(&["eval", STD, DEMO, "--detail"]);
    expect_code(&o, 1, "--detail without --format json");
    assert!(
        stderr(&o).contains("`--detail` 只用于 `--format json`"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn errors_come_in_the_language_asked_for_first() {
    let o = run(&["check", "standards/no-such.std", "--lang", "en"]);
    expect_code(&o, 1, "missing file, English");
    assert!(
        stderr(&o).starts_with("standards/no-such.std: A0011 cannot read it"),
        "{}",
        stderr(&o)
    );
    let o = run(&["check", "standards/no-such.std"]);
    assert!(
        stderr(&o).starts_with("standards/no-such.std: A0011 无法读取：文件不存在"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn live_reports_a_line_that_is_not_text_and_goes_on() {
    let o = run_with_input(&["live", STD, DEMO], b"\xff\xfe\nSQ3.6.1=10\n");
    expect_code(&o, 1, "live with a bad line");
    assert!(
        stderr(&o).contains("第 1 行：不是 UTF-8 文本"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("SQ3.6.1:") && stdout(&o).contains("个单位"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_long_name_does_not_widen_every_row() {
    let dir = temp_dir("long-name");
    let demo = std::fs::read_to_string(format!("{ROOT}/{DEMO}")).unwrap();
    let long = "长".repeat(20_000);
    let facts = write(&dir, "long.json", demo.replacen("示范街道", &long, 1));
    // Beyond the default limit of 1,024 characters, the name is cut and reported.
    let o = run(&["eval", STD, &facts]);
    expect_code(&o, 1, "eval with a name beyond its limit");
    assert!(stderr(&o).contains("名称有 20000 个字符"), "{}", stderr(&o));
    assert_eq!(stdout(&o).matches('长').count(), 1024);
    // Raised, it is written whole.
    let o = run(&["eval", STD, &facts, "--limit", "name_chars=20000"]);
    expect_code(&o, 0, "eval with a long name");
    let text = stdout(&o);
    // The long name is written once; no other row is padded to its width.
    assert!(text.len() < long.len() + 4_000, "{} bytes", text.len());
    assert!(
        text.lines().filter(|l| l.len() > 200).count() == 1,
        "{text:.500}"
    );
}

#[test]
fn progress_exits_1_when_a_hard_target_is_missed() {
    let plan = [
        "progress",
        "docs/tutorial/plan-2018.std",
        "docs/tutorial/plan-2018.json",
        "--as-of",
    ];
    let o = run(&[&plan[..], &["2021-12-31"]].concat());
    expect_code(&o, 1, "progress with a missed target");
    assert!(
        stdout(&o).contains("有硬性目标未达成或未知"),
        "{}",
        stdout(&o)
    );
    let o = run(&[&plan[..], &["2021-12-31", "--format", "json"]].concat());
    expect_code(&o, 1, "progress --format json with a missed target");
    assert_eq!(json(&o, "progress json")["all_hard_met"], false);
    // Nothing due yet: said so, and nothing is missed.
    let o = run(&[&plan[..], &["2018-01-01"]].concat());
    expect_code(&o, 0, "progress before anything is due");
    assert!(
        stdout(&o).contains("截至该日没有到期的硬性目标"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn problems_beyond_the_limit_are_counted_not_printed() {
    let dir = temp_dir("many-problems");
    let units: Vec<String> = (0..500)
        .map(|i| format!(r#"{{"id": "U{i}", "kind": "村"}}"#))
        .collect();
    let facts = write(
        &dir,
        "many.json",
        format!(r#"{{"units": [{}]}}"#, units.join(",")),
    );
    let o = run(&["eval", STD, &facts]);
    expect_code(&o, 1, "500 unknown kinds");
    let err = stderr(&o);
    assert_eq!(err.matches("F0005").count(), 100, "{err:.300}");
    assert!(err.contains("另有 400 个问题没有显示"), "{err:.300}");
    let o = run(&["eval", STD, &facts, "--max-problems", "0", "--lang", "en"]);
    assert_eq!(stderr(&o).matches("F0005").count(), 500);
    assert!(!stderr(&o).contains("not shown"));
    let o = run(&["--max-problems", "3", "eval", STD, &facts, "--lang", "en"]);
    assert!(
        stderr(&o).contains("497 more problem(s) not shown"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn limits_are_raised_or_lowered_with_limit() {
    let o = run(&["eval", STD, DEMO, "--limit", "units=3"]);
    expect_code(&o, 1, "units beyond the limit");
    let err = stderr(&o);
    assert!(
        err.contains("F0018")
            && err.contains("的 15 个单位未载入")
            && err.contains("--limit units="),
        "{err}"
    );
    assert_eq!(stdout(&o).lines().filter(|l| l.contains("社区")).count(), 2);
    // Sizes may be written in KiB, MiB or GiB, and `-` for `_`; a file over the limit is not read.
    let o = run(&[
        "eval",
        STD,
        DEMO,
        "--limit",
        "facts-bytes=1KiB",
        "--lang",
        "en",
    ]);
    expect_code(&o, 1, "facts over the size limit");
    assert!(
        stderr(&o).contains("more than the limit `facts_bytes` of 1024"),
        "{}",
        stderr(&o)
    );
    let o = run(&["check", STD, "--limit", "source_bytes=1000", "--lang", "en"]);
    expect_code(&o, 1, "source over the size limit");
    assert!(
        stderr(&o).starts_with(&format!(
            "standards/haiyan-2021.std:1:1: E0007 the file is {} bytes",
            std::fs::metadata(format!("{ROOT}/{STD}")).map_or(0, |m| m.len())
        )) && stderr(&o).contains("help: check that this is the right file"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "check",
        STD,
        "--limit",
        "source_bytes=1000",
        "--format",
        "json",
    ]);
    assert_eq!(
        json(&o, "check --format json")["problems"][0]["code"],
        "E0007"
    );
    let o = run(&[
        "eval", STD, DEMO, "--limit", "units=3", "--limit", "units=20",
    ]);
    expect_code(&o, 0, "the last --limit of a name counts");
    for bad in [
        "rows=5",
        "units",
        "units=-1",
        "units=many",
        "facts_bytes=99999999999999999999GiB",
    ] {
        let o = run(&["eval", STD, DEMO, "--limit", bad]);
        expect_code(&o, 2, bad);
        assert!(
            stderr(&o).contains("应写成 名称=值"),
            "{bad}: {}",
            stderr(&o)
        );
    }
}
