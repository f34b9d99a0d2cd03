//! The layout, shown on small messy standards (snapshots in Chinese and English keywords) and
//! checked rule by rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

/// A standard written carelessly with Chinese keywords, commented throughout.
const MESSY_ZH: &str = r#"# 示例标准（凌乱的写法）


标准   shili-2024{标题 “示例：社区评价办法”   发文机关 "某街道"
有效期 2024-01-01至2024-12-31 }
单位 街道 包含 社区、小区 "街道"   # 行末注释
单位 小区
填报 社区{ 户数：整数 "户数" 依据 "一、1" ;
   # 独占一行的注释
      面积 : 面积    依据 "一、2"


   等级评定 : 档次（优秀，良好） }
参数 下限 : 整数 = 1500户 "下限，含本数" 依据 "二、1"
参数 目标比例 = {2024-01-01 至 2024-06-30：50%，2024-07-01至2024-12-31 ： 60%}
计算 社区 { 人均面积 = 面积 /户数 "人均"
  调整值=如果 户数>下限 则 -1 否则 最大( 户数 , 0 ) }
要求 社区 规范 "规范" 依据 "三"{
分组 规模 {户数达标:户数 不少于 下限 # 不少于含本数
   }
  面积达标: 面积 >= 100平方米 仅当 户数 > 0
}
等级 社区 { 达标 { 户数 >= 下限 并且 # 两个条件
  非 (面积 < 50 平方米) 依据 "四" } }
目标 覆盖 全域 截至 2024-12-31 : 比例 社区 达到 达标 >=目标比例 # 目标
未编码 "五" 原因 "没有数字"
# 文末注释
"#;

/// A standard written carelessly with English keywords.
const MESSY_EN: &str = r#"standard demo-2024 { title "Demo"
  effective 2024-01-01 .. 2024-12-31 }
kind district contains community
kind community "a community"
facts community {households: int
  # the area of the centre
  area: area cite "1.2"}
scorecard community total 100 "points" {
item 1 "Organisation" max 60 { part 1 "Party branch" 30 part 2 "Meetings" 30 }
  item 2 "Service" max 40}
tiers community { basic { score >= 60 } model requires basic { score >= 85 and area >= 350 m2 } }
veto community no_veto: households < 0 blocks model "data error" cite "3"
target coverage overall due 2024-12-31 soft: share community at basic >= 80% # most of them
quota places: int on district {columns 2024-06-30, 2024-12-31
  "North": 1, 2
  "South" : 2,3 }
consequence bonus on community when model amount 10万元 split city 50%, district 50%
derive community { per_household = area / max(households, 1) ; ranked = rank (score) ascending among siblings ties by_id }
omit "4" reason "not measurable"
"#;

#[test]
fn a_messy_standard_in_chinese_keywords() {
    let formatted = fmt("messy-zh", MESSY_ZH);
    insta::assert_snapshot!(formatted);
    assert_eq!(fmt("messy-zh", &formatted), formatted);
    assert_eq!(fingerprint("zh", &formatted), fingerprint("zh", MESSY_ZH));
    assert_eq!(comments(&formatted), comments(MESSY_ZH));
}

#[test]
fn a_messy_standard_in_english_keywords() {
    let formatted = fmt("messy-en", MESSY_EN);
    insta::assert_snapshot!(formatted);
    assert_eq!(fmt("messy-en", &formatted), formatted);
    assert_eq!(fingerprint("en", &formatted), fingerprint("en", MESSY_EN));
}

/// The example of `docs/fmt.md`: the messy file formats to the tidy one.
#[test]
fn the_documented_example() {
    assert_eq!(
        fmt("messy.std", &read("docs/fmt/messy.std")),
        read("docs/fmt/tidy.std")
    );
}

const HEADER: &str = "standard s { title \"示例\" }\n\n";

/// Formats `body` after a header, and returns what follows the header.
fn body(body: &str) -> String {
    let formatted = fmt("body", &format!("{HEADER}{body}"));
    let header = "standard s {\n  title \"示例\"\n}\n\n";
    formatted
        .strip_prefix(header)
        .unwrap_or_else(|| panic!("{formatted}"))
        .to_string()
}

#[test]
fn comments_stay_where_they_were() {
    // On a line of its own before the same code, at the indentation of that code.
    assert_eq!(
        body("facts a {\n# 户数\n      x: int\n  y: int # 面积\n        # 末尾\n}"),
        "facts a {\n  # 户数\n  x: int\n  y: int # 面积\n  # 末尾\n}\n"
    );
    // Inside a member: the rest of the member goes on the next line, one level further in.
    assert_eq!(
        body("kind a\nveto a v: # 原因\n x blocks b"),
        "kind a\n\nveto a v: # 原因\n  x blocks b\n"
    );
    assert_eq!(
        body("kind a\nveto a v:\n# 原因\n x blocks b"),
        "kind a\n\nveto a v:\n  # 原因\n  x blocks b\n"
    );
}

#[test]
fn blank_lines_set_sections_apart_and_stay_where_the_writer_left_them() {
    // Between one-line declarations of one sort, as the writer chose (at most one).
    assert_eq!(
        body("param a = 1\nparam b = 2\n\n\n\nparam c = 3"),
        "param a = 1\nparam b = 2\n\nparam c = 3\n"
    );
    // A change of declaration, or a block, is a new section.
    assert_eq!(
        body("kind a\nparam b = 1\nfacts a { x: int }\nfacts a { y: int }"),
        "kind a\n\nparam b = 1\n\nfacts a {\n  x: int\n}\n\nfacts a {\n  y: int\n}\n"
    );
    // An empty block.
    assert_eq!(body("kind a\nfacts a {\n\n}"), "kind a\n\nfacts a {}\n");
    assert_eq!(
        body("kind a\nfacts a { # 待补\n}"),
        "kind a\n\nfacts a { # 待补\n}\n"
    );
    // Inside a block: kept between members, never after `{` or before `}`.
    assert_eq!(
        body("facts a {\n\n  x: int\n\n\n  y: int\n\n}"),
        "facts a {\n  x: int\n\n  y: int\n}\n"
    );
}

#[test]
fn keywords_strings_and_numbers_stay_as_written() {
    assert_eq!(
        body("单位 社区 “说明：（甲）、乙”\nparam 面积下限 = 350 m2 \"不少于350 m2，含本数\""),
        "单位 社区 “说明：（甲）、乙”\n\nparam 面积下限 = 350 m2 \"不少于350 m2，含本数\"\n"
    );
    // Full-width marks of the code become half-width; `、` stays.
    assert_eq!(
        body("单位 甲\n单位 乙\n否决 甲、乙 v：非 (x) 阻止 t"),
        "单位 甲\n单位 乙\n\n否决 甲、乙 v: 非 (x) 阻止 t\n"
    );
}

#[test]
fn a_file_that_does_not_parse_gives_the_syntax_errors() {
    let errors = duibiao_fmt::format("standard s { title \"a\" }\nkind\n").unwrap_err();
    assert_eq!(
        errors,
        duibiao_syntax::parse("standard s { title \"a\" }\nkind\n").unwrap_err()
    );
    assert!(!errors.is_empty());
    let full_width = duibiao_fmt::format("standard s { title \"a\" }\nparam x ＝ 1\n").unwrap_err();
    assert!(matches!(
        full_width[0].kind,
        duibiao_syntax::SyntaxErrorKind::FullWidth { .. }
    ));
}

#[test]
fn line_breaks_and_white_space_are_normalised() {
    let src = "\u{feff}standard s {\r\n\ttitle \"a\"   \r\n}\r\n\r\n\r\nkind a\t\r\n\r\n";
    assert_eq!(
        fmt("crlf", src),
        "standard s {\n  title \"a\"\n}\n\nkind a\n"
    );
}
