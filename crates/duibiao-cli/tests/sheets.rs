//! The command line's spreadsheets (docs/spreadsheets.md): `template --format xlsx`,
//! `eval --format xlsx`, `convert` both ways, and workbooks read by the commands that read facts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

#[test]
fn a_template_workbook_is_written_where_out_says_and_only_there() {
    let dir = temp_dir("template-xlsx");
    let out = dir.join("评分表.xlsx").to_string_lossy().into_owned();
    let o = run(&["template", STD, "--format", "xlsx", "--out", &out]);
    expect_code(&o, 0, "template xlsx");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "not a workbook");
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    // A workbook is no text for a terminal.
    let o = run(&["template", STD, "--format", "xlsx"]);
    expect_code(&o, 1, "template xlsx without --out");
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
    // The JSON template needs its kind; with one, `--out` writes it.
    let o = run(&["template", STD]);
    expect_code(&o, 1, "JSON template without a kind");
    assert!(
        stderr(&o).contains("JSON 模板要给出单位类型"),
        "{}",
        stderr(&o)
    );
    let json = dir.join("社区.json").to_string_lossy().into_owned();
    let o = run(&["template", STD, "社区", "--out", &json]);
    expect_code(&o, 0, "JSON template to a file");
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(text.contains("\"kind\": \"社区\""), "{text}");
}

#[test]
fn facts_go_to_a_workbook_and_back_and_every_command_reads_it() {
    let dir = temp_dir("convert");
    let book = dir.join("demo.xlsx").to_string_lossy().into_owned();
    let o = run(&["convert", DEMO, "--to", "xlsx", "--out", &book]);
    expect_code(&o, 0, "convert to xlsx (the standard found by its slug)");
    let o = run(&["convert", &book, "--to", "json"]);
    expect_code(&o, 0, "convert to json");
    let back = json(&o, "convert to json");
    let original: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{ROOT}/{DEMO}")).unwrap()).unwrap();
    let ids = |doc: &serde_json::Value| {
        let mut ids: Vec<String> = doc["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&back), ids(&original));
    // The same table from the workbook as from the JSON file, units kind by kind.
    let from_json = run(&["eval", STD, DEMO]);
    let from_book = run(&["eval", STD, &book]);
    expect_code(&from_book, 0, "eval of the workbook");
    let mut a: Vec<String> = stdout(&from_json).lines().map(str::to_string).collect();
    let mut b: Vec<String> = stdout(&from_book).lines().map(str::to_string).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    // The other commands read it too.
    for args in [
        vec!["explain", STD, &book, "SQ2"],
        vec!["gap", STD, &book, "SQ2", "--to", "示范型"],
        vec!["diff", STD, DEMO, &book],
        vec!["impact", STD, STD, &book],
    ] {
        let o = run(&args);
        expect_code(&o, 0, &args.join(" "));
    }
    // A workbook's name need not end in .xlsx: its bytes say what it is.
    let renamed = write(&dir, "demo.data", std::fs::read(&book).unwrap());
    expect_code(&run(&["eval", STD, &renamed]), 0, "a workbook by its bytes");
}

#[test]
fn results_are_written_as_a_workbook() {
    let dir = temp_dir("eval-xlsx");
    let out = dir.join("结果.xlsx").to_string_lossy().into_owned();
    let o = run(&["eval", STD, DEMO, "--format", "xlsx", "--out", &out]);
    expect_code(&o, 0, "eval --format xlsx");
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK\x03\x04"));
    let o = run(&["eval", STD, DEMO, "--format", "xlsx"]);
    expect_code(&o, 1, "eval --format xlsx without --out");
}

#[test]
fn facts_with_problems_are_not_converted_to_a_workbook() {
    let dir = temp_dir("convert-bad");
    let out = dir.join("bad.xlsx");
    let o = run(&[
        "convert",
        "docs/tutorial/facts-errors.json",
        "--standard",
        "docs/tutorial/mulin-2024.std",
        "--to",
        "xlsx",
        "--out",
        &out.to_string_lossy(),
    ]);
    expect_code(&o, 1, "convert of facts with problems");
    assert!(stderr(&o).contains("F0012"), "{}", stderr(&o));
    assert!(!out.exists(), "a workbook was written");
    // Without `--standard`, a slug with no `standards/<slug>.std` is said.
    let o = run(&[
        "convert",
        "docs/tutorial/mulin-2024.json",
        "--to",
        "xlsx",
        "--out",
        "x.xlsx",
    ]);
    expect_code(&o, 1, "no standard");
    assert!(stderr(&o).contains("--standard"), "{}", stderr(&o));
    // Converting to the form the file has is a mistake.
    let o = run(&["convert", DEMO, "--to", "json"]);
    expect_code(&o, 1, "json to json");
    assert!(stderr(&o).contains("已经是这种格式"), "{}", stderr(&o));
}

#[test]
fn a_bad_workbook_names_its_cells_and_fails() {
    let o = run(&[
        "eval",
        "docs/tutorial/mulin-2024.std",
        "docs/spreadsheets/有错的评分表.xlsx",
        "--lang",
        "en",
    ]);
    expect_code(&o, 1, "a workbook with mistakes");
    assert!(
        stderr(&o).contains("有错的评分表.xlsx 小区!D2: F0012"),
        "{}",
        stderr(&o)
    );
    // Bytes that are no workbook: nothing is loaded, and nothing is shown.
    let dir = temp_dir("not-a-workbook");
    let path = write(&dir, "坏.xlsx", "not a zip");
    let o = run(&["eval", STD, &path]);
    expect_code(&o, 1, "not a workbook");
    assert!(stderr(&o).contains("F0021"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
}

#[test]
fn a_zip_bomb_is_not_read() {
    // 150 bytes declaring 4 GB unpacked: beyond 20 times the facts limit's cap (1 GiB).
    let o = run(&[
        "eval",
        STD,
        "crates/duibiao-xlsx/tests/fixtures/bomb.xlsx",
        "--lang",
        "en",
    ]);
    expect_code(&o, 1, "a zip bomb");
    assert!(stderr(&o).contains("F0028"), "{}", stderr(&o));
    assert!(stderr(&o).contains("sheet1.xml"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
}
