//! The workbooks `docs/spreadsheets.md` reads in its examples are what the code writes:
//! `docs/spreadsheets/mulin-2024.xlsx` is the tutorial's facts converted, and
//! `docs/spreadsheets/有错的评分表.xlsx` a filled-in workbook with mistakes. Run with
//! `DUIBIAO_BLESS=1` to write them again after an intended change.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::V::*;
use common::*;

/// Compares a committed workbook with what is written now (or writes it, when blessing).
fn same(path: &str, now: &[u8]) {
    let path = root().join(path);
    if std::env::var_os("DUIBIAO_BLESS").is_some() {
        std::fs::write(&path, now).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == now,
        "{} is stale: run `DUIBIAO_BLESS=1 cargo test -p duibiao-xlsx --test docs_workbooks`",
        path.display()
    );
}

#[test]
fn the_tutorials_workbook_is_its_facts_converted() {
    let s = open("docs/tutorial/mulin-2024.std");
    let json = std::fs::read_to_string(root().join("docs/tutorial/mulin-2024.json")).unwrap();
    let book = duibiao_xlsx::facts_to_workbook(&s, Some("mulin-2024.json"), &json).unwrap();
    same("docs/spreadsheets/mulin-2024.xlsx", &book);
}

#[test]
fn the_workbook_with_mistakes() {
    let texts = |row: &[&'static str]| row.iter().map(|t| S(t)).collect::<Vec<_>>();
    let book = workbook(&[
        (
            "社区",
            vec![
                texts(&[
                    "编号",
                    "名称",
                    "户数",
                    "专职工作者",
                    "中心面积",
                    "工作经费",
                    "社会组织数",
                ]),
                vec![
                    S("SQ1"),
                    S("枫桥社区"),
                    S("很多"),
                    N(10.0),
                    S("380平方米"),
                    S("18万元"),
                    N(4.0),
                ],
            ],
        ),
        (
            "小区",
            vec![
                texts(&[
                    "编号",
                    "名称",
                    "上级编号",
                    "1.1",
                    "1.2",
                    "2.1",
                    "2.2",
                    "3",
                    "服务站面积",
                    "重大安全事故",
                ]),
                vec![
                    S("XQ11"),
                    S("枫桥一区"),
                    S("SQ1"),
                    N(25.0),
                    N(10.0),
                    N(15.0),
                    N(13.0),
                    N(37.0),
                    S("40平方米"),
                    S("否"),
                ],
                vec![
                    S("XQ12"),
                    S("枫桥二区"),
                    S("SQ1"),
                    N(20.0),
                    N(8.0),
                    N(15.0),
                    N(12.0),
                    N(37.0),
                    S("25平方米"),
                    S("对"),
                ],
                vec![
                    S("XQ12"),
                    S("桥东花园"),
                    S("SQ1"),
                    N(15.0),
                    N(8.0),
                    N(15.0),
                    N(10.0),
                    N(33.0),
                    S("30平方米"),
                    S("否"),
                ],
            ],
        ),
        ("村", vec![texts(&["编号", "名称"]), texts(&["C1", "东村"])]),
        (
            "参数",
            vec![
                texts(&["名称", "值"]),
                texts(&["标准代号", "mulin-2024"]),
                texts(&["评价日期", "2024-11-30"]),
                vec![S("社会组织数量要求"), N(3.0)],
            ],
        ),
    ]);
    same("docs/spreadsheets/有错的评分表.xlsx", &book);
}
