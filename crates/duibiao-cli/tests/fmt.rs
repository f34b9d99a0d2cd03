//! `duibiao fmt`: files rewritten in place only when they change, `--check` exits 1 on a file
//! not formatted and 2 on one that does not parse, standard input to standard output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use std::process::Output;

/// A standard written carelessly: indentation, spacing, full-width marks, blank lines.
const MESSY: &str = "# 示例\n标准 shili {标题 \"示例\"}\n\n\n单位 社区   # 城市社区\n填报 社区{户数：整数\n    面积 : 面积 }\n";

/// The same standard formatted.
const TIDY: &str = "# 示例\n标准 shili {\n  标题 \"示例\"\n}\n\n单位 社区 # 城市社区\n\n填报 社区 {\n  户数: 整数\n  面积: 面积\n}\n";

fn modified(path: &str) -> std::time::SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

fn fmt_stdin(args: &[&str], input: &str) -> Output {
    let args: Vec<&str> = std::iter::once("fmt").chain(args.iter().copied()).collect();
    run_with_input(&args, input.as_bytes())
}

#[test]
fn check_then_rewrite_then_check_again() {
    let dir = temp_dir("fmt-rewrite");
    let messy = write(&dir, "messy.std", MESSY);
    let tidy = write(&dir, "tidy.std", TIDY);

    let o = run(&["fmt", "--check", &messy, &tidy]);
    expect_code(&o, 1, "fmt --check on a messy file");
    let out = stdout(&o);
    assert!(out.contains(&format!("{messy}：格式需要统一")), "{out}");
    assert!(!out.contains(&format!("{tidy}：")), "{out}");
    // The first differing lines, as a unified diff.
    assert!(out.contains("@@ -2,"), "{out}");
    assert!(out.contains("-标准 shili {标题 \"示例\"}\n"), "{out}");
    assert!(out.contains("+标准 shili {\n"), "{out}");
    assert!(out.contains("1 个文件的格式需要统一"), "{out}");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), MESSY);

    let o = run(&["fmt", "--check", &messy, "--lang", "en"]);
    expect_code(&o, 1, "fmt --check --lang en");
    assert!(stdout(&o).contains(&format!("{messy}: not formatted")));

    let untouched = modified(&tidy);
    let o = run(&["fmt", &messy, &tidy]);
    expect_code(&o, 0, "fmt");
    assert_eq!(stdout(&o), format!("已格式化 {messy}\n"));
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
    // A formatted file is not written again.
    assert_eq!(modified(&tidy), untouched);

    let o = run(&["fmt", "--check", &messy, &tidy]);
    expect_code(&o, 0, "fmt --check after fmt");
    assert_eq!(stdout(&o), "");
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_left_alone() {
    let dir = temp_dir("fmt-broken");
    let broken = write(
        &dir,
        "broken.std",
        "标准 shili {标题 \"示例\"}\n单位 社区 包含\n",
    );
    let messy = write(&dir, "messy.std", MESSY);
    for check in [true, false] {
        let mut args = vec!["fmt", &broken, &messy];
        if check {
            args.push("--check");
        }
        let o = run(&args);
        expect_code(&o, 2, "fmt on a broken file");
        // The diagnostics `check` gives, with file, line and column.
        let err = stderr(&o);
        assert!(err.contains(&format!("{broken}:3:1 E0001")), "{err}");
        assert_eq!(
            std::fs::read_to_string(&broken).unwrap(),
            "标准 shili {标题 \"示例\"}\n单位 社区 包含\n"
        );
    }
    // The other file was formatted all the same.
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    for args in [&[][..], &["-"][..]] {
        let o = fmt_stdin(args, MESSY);
        expect_code(&o, 0, "fmt -");
        assert_eq!(stdout(&o), TIDY);
    }
    let o = fmt_stdin(&["--check", "--lang", "en"], MESSY);
    expect_code(&o, 1, "fmt --check of standard input");
    assert!(stdout(&o).starts_with("<stdin>: not formatted\n"));
    let o = fmt_stdin(&["--check"], TIDY);
    expect_code(&o, 0, "fmt --check of formatted standard input");
}

#[test]
fn the_bundled_standards_are_formatted() {
    let standards: Vec<String> = std::fs::read_dir(format!("{ROOT}/standards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "std"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(standards.len() >= 5);
    let mut args = vec!["fmt", "--check"];
    args.extend(standards.iter().map(String::as_str));
    expect_code(&run(&args), 0, "fmt --check standards/*.std");
}
