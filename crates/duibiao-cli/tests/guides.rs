//! `eval` with guide distributions (`docs/tutorial/guide-demo.std`): the section after the
//! table's rows in Chinese and English, the `guides` of `--format json`, and none of either for
//! a standard without guides; `live` prints the guides' lines a change moves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

const GUIDE_STD: &str = "docs/tutorial/guide-demo.std";
const GUIDE_FACTS: &str = "docs/tutorial/guide-demo.json";

#[test]
fn the_table_ends_with_the_guides() {
    let o = run(&[
        "eval",
        GUIDE_STD,
        GUIDE_FACTS,
        "--lang",
        "en",
        "--set",
        "J.2=40",
    ]);
    expect_code(&o, 0, "eval --lang en");
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let blank = lines
        .iter()
        .position(|l| l.is_empty())
        .expect("a blank line after the rows");
    assert!(lines[blank - 1].starts_with("K "), "{out}");
    assert_eq!(
        lines[blank + 1..lines.len() - 1],
        [
            "guide 支部 五星 about 10%: 10 rated, about 1; actual 1 (10%), difference 0",
            "guide 支部 四星 about 30%: 10 rated, about 3; actual 4 (40%), difference +1",
            "guide 支部 三星 about 40%: 10 rated, about 4; actual 3 (30%), difference -1",
            "guide 支部 二星 or_below about 20%: 10 rated, about 2; actual 2 (20%), difference 0",
        ],
        "{out}"
    );
    assert!(
        lines[lines.len() - 1].starts_with("fingerprint sha256:"),
        "{out}"
    );
}

#[test]
fn json_has_the_guides_only_with_guides() {
    let o = run(&["eval", GUIDE_STD, GUIDE_FACTS, "--format", "json"]);
    expect_code(&o, 0, "eval --format json");
    let v = json(&o, "eval --format json");
    let guides = v["guides"].as_array().expect("guides");
    assert_eq!(guides.len(), 4);
    assert_eq!(guides[3]["tier"], "二星");
    assert_eq!(guides[3]["or_below"], true);
    assert_eq!(guides[3]["groups"][0]["actual"], 2);
    assert_eq!(guides[3]["groups"][0]["actual_unknown"], 1);
    let o = run(&["eval", STD, DEMO, "--format", "json"]);
    let v = json(&o, "eval of a standard without guides");
    assert!(v.get("guides").is_none(), "{v}");
    let o = run(&["eval", STD, DEMO]);
    assert!(!stdout(&o).contains("指导比例"));
}

#[test]
fn live_prints_the_guide_lines_a_change_moves() {
    // 十支部's second item: 88 is 四星 (every line decided); then 新区支部 rated at 98 (五星).
    let o = run_with_input(
        &["live", GUIDE_STD, GUIDE_FACTS],
        "J.2=40\nK.新成立=false\n".as_bytes(),
    );
    expect_code(&o, 0, "live");
    assert_eq!(
        stdout(&o),
        "J.2: null → 40（重算 2 个单位）
  支部 J: — — → 88 四星
  指导比例 支部 五星 约 10%：参评 10 个，约 1 个；实际 1 个（10%），差 0 个
  指导比例 支部 四星 约 30%：参评 10 个，约 3 个；实际 4 个（40%），差 +1 个
  指导比例 支部 三星 约 40%：参评 10 个，约 4 个；实际 3 个（30%），差 -1 个
  指导比例 支部 二星 及以下 约 20%：参评 10 个，约 2 个；实际 2 个（20%），差 0 个
K.新成立: true → false（重算 2 个单位）
  支部 K: 98 — → 98 五星
  指导比例 支部 五星 约 10%：参评 11 个，约 1.1 个；实际 2 个（18.18%），差 +0.9 个
  指导比例 支部 四星 约 30%：参评 11 个，约 3.3 个；实际 4 个（36.36%），差 +0.7 个
  指导比例 支部 三星 约 40%：参评 11 个，约 4.4 个；实际 3 个（27.27%），差 -1.4 个
  指导比例 支部 二星 及以下 约 20%：参评 11 个，约 2.2 个；实际 2 个（18.18%），差 -0.2 个
"
    );
}
