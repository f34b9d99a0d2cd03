//! What the workbooks hold, read back by calamine as text (sheets, cells, checks on entry,
//! notes, colours), and the problems of bad workbooks, each naming its sheet and cell.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use duibiao::{Detail, Lang, Options};

#[test]
fn the_template_of_the_tutorial_standard() {
    let s = open("docs/tutorial/mulin-2024.std");
    let book = duibiao_xlsx::template(&s, None).unwrap();
    assert_eq!(
        book,
        duibiao_xlsx::template(&s, None).unwrap(),
        "not the same bytes twice"
    );
    insta::assert_snapshot!(dump(&book));
}

#[test]
fn the_template_of_one_kind_with_records() {
    let s = open("docs/tutorial/points-demo.std");
    insta::assert_snapshot!(dump(&duibiao_xlsx::template(&s, Some("支部")).unwrap()));
}

#[test]
fn the_template_of_one_kind_of_haiyan() {
    let s = open("standards/haiyan-2021.std");
    insta::assert_snapshot!(dump(&duibiao_xlsx::template(&s, Some("小区")).unwrap()));
}

#[test]
fn a_template_of_an_unknown_kind_or_a_record_is_the_json_templates_problem() {
    let s = open("docs/tutorial/points-demo.std");
    for kind in ["村", "积分记录"] {
        let e = duibiao_xlsx::template(&s, Some(kind)).unwrap_err();
        assert_eq!(e, s.template(kind).unwrap_err());
    }
}

#[test]
fn the_tutorial_facts_as_a_workbook() {
    let s = open("docs/tutorial/mulin-2024.std");
    let json = std::fs::read_to_string(root().join("docs/tutorial/mulin-2024.json")).unwrap();
    let book = duibiao_xlsx::facts_to_workbook(&s, None, &json).unwrap();
    insta::assert_snapshot!(dump(&book));
}

#[test]
fn results_with_targets() {
    let s = open("docs/tutorial/plan-2018.std");
    let json = std::fs::read_to_string(root().join("docs/tutorial/plan-2018.json")).unwrap();
    let (facts, problems) = s.load_facts(&json);
    assert!(problems.is_empty());
    let opts = Options::new().detail(Detail::Conditions);
    let outcome = s.evaluate(&facts, &opts).unwrap();
    let progress = s.progress(&facts, &opts).unwrap();
    assert!(!progress.targets.is_empty());
    let book = duibiao_xlsx::results_workbook(&outcome, Some(&progress), Lang::Zh).unwrap();
    let again = duibiao_xlsx::results_workbook(&outcome, Some(&progress), Lang::Zh).unwrap();
    assert_eq!(book, again, "not the same bytes twice");
    insta::assert_snapshot!(dump(&book));
}

#[test]
fn results_of_the_tutorial_in_english() {
    let s = open("docs/tutorial/mulin-2024.std");
    let json = std::fs::read_to_string(root().join("docs/tutorial/missing.json")).unwrap();
    let (facts, _) = s.load_facts(&json);
    let outcome = s
        .evaluate(
            &facts,
            &Options::new().detail(Detail::Conditions).lang(Lang::En),
        )
        .unwrap();
    insta::assert_snapshot!(dump(
        &duibiao_xlsx::results_workbook(&outcome, None, Lang::En).unwrap()
    ));
}

/// The problems of loading a workbook, as the command line prints them, in both languages.
fn problems_of(std: &str, bytes: &[u8]) -> String {
    let s = open(std);
    let (_, problems) = duibiao_xlsx::load_facts(&s, Some("评分表.xlsx"), bytes);
    let zh = duibiao::render::render_all(&problems, None, Lang::Zh);
    let en = duibiao::render::render_all(&problems, None, Lang::En);
    format!("{zh}\n{en}")
}

use V::*;

fn community_header() -> Vec<V> {
    [
        "编号",
        "名称",
        "户数",
        "专职工作者",
        "中心面积",
        "工作经费",
        "社会组织数",
    ]
    .into_iter()
    .map(S)
    .collect()
}

#[test]
fn a_wrong_value_duplicate_id_and_points_out_of_range_name_their_cells() {
    let bytes = workbook(&[
        (
            "社区",
            vec![
                community_header(),
                vec![
                    S("SQ1"),
                    S("枫桥社区"),
                    S("很多"),
                    N(10.0),
                    S("380元"),
                    S("18万元"),
                    N(4.0),
                ],
                vec![S("SQ1"), S("重复的社区"), N(100.0)],
                vec![S(""), S("没有编号"), N(100.0)],
            ],
        ),
        (
            "小区",
            vec![
                [
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
                ]
                .into_iter()
                .map(S)
                .collect(),
                vec![
                    S("XQ11"),
                    S("枫桥一区"),
                    S("SQ9"),
                    N(25.0),
                    N(10.0),
                    S("十五"),
                    N(13.0),
                    N(37.0),
                    S("40平方米"),
                    S("对"),
                ],
            ],
        ),
        (
            "参数",
            vec![
                vec![S("名称"), S("值")],
                vec![S("评价日期"), S("明年")],
                vec![S("社会组织数量"), N(3.0)],
            ],
        ),
    ]);
    insta::assert_snapshot!(problems_of("docs/tutorial/mulin-2024.std", &bytes));
}

#[test]
fn an_unknown_sheet_a_missing_id_and_bad_headers_are_reported_at_once() {
    let bytes = workbook(&[
        ("村", vec![vec![S("编号")], vec![S("C1")]]),
        ("Sheet2", vec![]),
        (
            "社区",
            vec![vec![S("名称"), S("户数")], vec![S("枫桥社区"), N(2600.0)]],
        ),
        (
            "小区",
            vec![
                vec![
                    S("编号"),
                    S("1.1\n满分 20 分"),
                    S("1.1"),
                    S("楼道长人数"),
                    S("1.2"),
                ],
                vec![S("XQ11"), N(20.0), N(19.0), N(3.0), F("=1/0")],
            ],
        ),
        ("参数", vec![vec![S("名称")]]),
    ]);
    insta::assert_snapshot!(problems_of("docs/tutorial/mulin-2024.std", &bytes));
}

#[test]
fn records_without_an_owner_are_reported_at_their_cells() {
    let bytes = workbook(&[
        (
            "支部",
            vec![
                vec![S("编号"), S("成立日期")],
                vec![S("A"), S("2015-06-01")],
            ],
        ),
        (
            "积分记录",
            vec![
                vec![S("所有者编号"), S("日期"), S("分值"), S("事由")],
                vec![S("A"), S("2026-01-01"), N(3.0), S("主题党日")],
                vec![S("B"), S("2026-01-02"), N(1.0)],
                vec![S(""), S("2026-01-03"), N(1.0)],
                vec![S("A"), S("2026/13/01"), S("两分")],
            ],
        ),
    ]);
    insta::assert_snapshot!(problems_of("docs/tutorial/points-demo.std", &bytes));
}

/// Error values as LibreOffice saves them (`tests/fixtures/errors.xlsx`, from `社区.csv`).
#[test]
fn error_values_libreoffice_saved_are_reported_at_their_cells() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors.xlsx");
    let bytes = std::fs::read(path).unwrap();
    insta::assert_snapshot!(problems_of("docs/tutorial/mulin-2024.std", &bytes));
}

#[test]
fn title_rows_above_the_headers_are_passed_over() {
    let bytes = workbook(&[
        (
            "社区",
            vec![
                vec![S("2024 年度社区评分表")],
                vec![],
                community_header(),
                vec![
                    S("SQ1"),
                    S("枫桥社区"),
                    N(2600.0),
                    N(10.0),
                    S("380平方米"),
                    S("18万元"),
                    N(4.0),
                ],
            ],
        ),
        (
            "参数",
            vec![
                vec![S("参数")],
                vec![S("名称"), S("值")],
                vec![S("社会组织数量要求"), N(3.0)],
            ],
        ),
    ]);
    let s = open("docs/tutorial/mulin-2024.std");
    let (facts, problems) = duibiao_xlsx::load_facts(&s, Some("f.xlsx"), &bytes);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(facts.contains("SQ1"));
    let (text, _) = duibiao_xlsx::workbook_to_json(&s, None, &bytes);
    assert!(text.contains("\"社会组织数量要求\": 3"), "{text}");
}

#[test]
fn bytes_that_are_no_workbook() {
    insta::assert_snapshot!(problems_of(
        "docs/tutorial/mulin-2024.std",
        b"PK\x03\x04 not really"
    ));
}

#[test]
fn a_zip_bomb_is_not_read() {
    let bomb = std::fs::read(root().join("crates/duibiao-xlsx/tests/fixtures/bomb.xlsx")).unwrap();
    insta::assert_snapshot!(problems_of("docs/tutorial/mulin-2024.std", &bomb));
}

#[test]
fn a_problem_keeps_its_unit_and_key_beside_its_cell() {
    let bytes = workbook(&[(
        "社区",
        vec![community_header(), vec![S("SQ1"), S(""), S("很多")]],
    )]);
    let s = open("docs/tutorial/mulin-2024.std");
    let (_, problems) = duibiao_xlsx::load_facts(&s, Some("f.xlsx"), &bytes);
    let located = serde_json::to_value(&problems[0].location).unwrap();
    assert_eq!(
        located,
        serde_json::json!({"type": "data", "input": "f.xlsx", "unit": "SQ1", "key": "户数", "sheet": "社区", "cell": "C2"})
    );
}

#[test]
fn a_kind_no_sheet_can_be_named_for_is_said() {
    let kind = "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长的单位类型";
    let source =
        format!("standard t {{ title \"t\" }}\nkind {kind}\nfacts {kind} {{ 是否: bool }}\n");
    let s = duibiao::Standard::compile("t.std", &source).unwrap();
    let e = duibiao_xlsx::template(&s, None).unwrap_err();
    insta::assert_snapshot!(duibiao::render::render_all(&e.0, None, Lang::Zh));
}
