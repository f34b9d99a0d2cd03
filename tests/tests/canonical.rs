//! The fingerprint built on the canonical form of a syntax tree (`duibiao_syntax::canonical`):
//! it follows what a standard says, not how it is laid out. Random standards from the grammar's
//! expressions also go through `duibiao fmt` (its other properties are in
//! `crates/duibiao-fmt/tests`). That the canonical text parses back to the same tree and that
//! printing is idempotent is tested in the syntax crate (`crates/duibiao-syntax/tests/round_trip.rs`).

use duibiao_syntax::canonical::print;
use duibiao_tests::STANDARDS;
use duibiao_tests::{read, standard};
use proptest::prelude::*;

// The round trip itself and the random expressions, which the syntax crate's own tests also run
// (`crates/duibiao-syntax/tests/round_trip.rs`).
#[path = "../../crates/duibiao-syntax/tests/common/round_trip.rs"]
mod round_trip;
use round_trip::{expression, round_trip, without_spans};

/// The fingerprints of the six standards. A change to any of these means the canonical form
/// changed (or the standard did): a change of the canonical form must be versioned, by bumping
/// `duibiao_compiler::fingerprint::FORMAT` and saying so in `docs/language.md` §26, since stored
/// results carry these fingerprints.
const PINNED: [(&str, &str); 6] = [
    (
        "chunjiang-365",
        "sha256:547546bbd1521eec1d180058d1d6600d474a28de4bf6b375a684520c7eb61d47",
    ),
    (
        "haiyan-2021",
        "sha256:f9dd047fabb601a83c9b50b0d9006864283e960257690d1fe42ea54f89b7507e",
    ),
    (
        "jiaxing-2016",
        "sha256:c37c28a983901a98e3baad224548872c7f6091d7e8f96ab84a1acd566c60a8d8",
    ),
    (
        "quality-2020",
        "sha256:eccff6ffd87fc453b3be1e92094ee8c7785701a5d8f64953c55fabeb1eed5615",
    ),
    (
        "shengzhou-2015",
        "sha256:a5f267047c5b0c13f3c5a1c8dc3a318ea92948e560cf4a7562a61a577c1f4028",
    ),
    (
        "zhuji-2018",
        "sha256:ebc23f72eb8e3b2a4d4a50dd18776e663a73d962a74b90eab1fe741cd7260f1c",
    ),
];

/// `src` with its layout changed and comments added, and nothing else: every line re-indented
/// with tabs, spaces outside strings and comments widened (except after a digit, where one
/// space may separate a number from its unit), comments at the ends of lines and between them,
/// blank lines doubled, opening braces moved to a line of their own.
fn relayout(src: &str) -> String {
    let mut out = String::new();
    for line in src.lines() {
        let body = line.trim_start();
        let depth = (line.len() - body.len()) / 2;
        out.push_str(&"\t".repeat(depth + 1));
        let (mut ascii, mut cjk, mut comment) = (false, 0usize, false);
        let mut prev = ' ';
        for c in body.chars() {
            match c {
                '#' if !ascii && cjk == 0 => comment = true,
                '"' if cjk == 0 && !comment => ascii = !ascii,
                '“' if !ascii && !comment => cjk += 1,
                '”' if !ascii && !comment => cjk = cjk.saturating_sub(1),
                _ => {}
            }
            let outside = !ascii && cjk == 0 && !comment;
            if outside && c == ' ' && !prev.is_ascii_digit() {
                out.push_str("  \t ");
            } else if outside && c == '{' {
                out.push_str("\n{");
            } else {
                out.push(c);
            }
            prev = c;
        }
        out.push_str("   # 注释 \"x\" { ( “\n\n# 整行注释\n\n");
    }
    out
}

fn fingerprint(name: &str, src: &str) -> String {
    duibiao::Standard::compile(name, src)
        .unwrap_or_else(|e| panic!("{}", e.render(duibiao::Lang::En)))
        .fingerprint()
        .to_string()
}

#[test]
fn layout_and_comments_keep_the_fingerprint_a_number_changes_it() {
    let src = read("standards/haiyan-2021.std");
    let original = fingerprint("haiyan-2021.std", &src);
    let relaid = relayout(&src);
    assert_ne!(relaid, src);
    assert_eq!(fingerprint("relaid.std", &relaid), original);
    // The canonical text itself is one more layout of the same standard.
    let file = duibiao_syntax::parse(&src).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(fingerprint("canonical.std", &print(&file)), original);

    let rule = "得分75以上: score >= 75 \"得分75分以上\"";
    assert!(src.contains(rule));
    let changed = src.replacen(rule, "得分75以上: score >= 76 \"得分75分以上\"", 1);
    assert_ne!(fingerprint("changed.std", &changed), original);
}

/// The spellings `docs/language.md` §26 says leave the fingerprint unchanged, and some of the
/// differences it says change it.
#[test]
fn spelling_of_keywords_comparisons_and_units_keeps_the_fingerprint() {
    let english = "standard s { title \"示例\" effective 2024-06-03 .. 2024-12-31 }\n\
        kind 社区 contains 小区, 楼栋\nkind 小区\nkind 楼栋\n\
        facts 小区 { 面积: area; 户数: int; 学时: hours; 占比: percent }\n\
        scorecard 小区 total 10 { item 1 \"整体\" max 10分 }\n\
        tiers 小区 { 甲 { score >= 6 and 面积 >= 350m2 and (户数 > 2个) and 学时 >= 5学时\n\
        and 占比 >= 30% and 户数 * 2 >= 1.5 } }\n";
    let chinese = "标准 s{有效期 2024-6-3 至 2024-12-31 标题 “示例”}\n\
        单位 社区 包含 小区、楼栋 # 注释\n单位 小区 单位 楼栋\n\
        填报 小区 { 面积：面积 户数：整数 学时：学时数 占比：百分比 }\n\
        评分 小区 总分 10 { 项目 1 \"整体\" 满分 10 分 }\n\
        等级 小区 { 甲 { 得分 ≥ 6 且 面积 至少 350 平方米 并且 （户数 超过 2人） 且 学时 不少于 5小时\n\
        且 占比 不低于 30％ 且 户数 × 2 >= 1.5 } }\n";
    let base = fingerprint("en.std", english);
    assert_eq!(fingerprint("zh.std", chinese), base);
    for (what, from, to) in [
        ("order", "面积: area; 户数: int", "户数: int; 面积: area"),
        ("decimal places", "1.5 }", "1.50 }"),
        ("unit", "total 10 {", "total 10分 {"),
        (
            "operands",
            "score >= 6 and 面积 >= 350m2",
            "面积 >= 350m2 and score >= 6",
        ),
    ] {
        assert!(english.contains(from), "{what}");
        let changed = english.replacen(from, to, 1);
        assert_ne!(fingerprint("changed.std", &changed), base, "{what}");
    }
}

/// A guide distribution prints with the English keywords, `约 10％` as `about 10%`; its Chinese
/// and English spellings are one standard.
#[test]
fn a_guide_prints_the_same_whatever_its_spelling() {
    let head = "standard s {}\nkind 镇 contains 支部\nkind 支部\n\
        facts 支部 { 分: points }\nscore 支部 = 分\ntiers 支部 { 二星 { score >= 70 } 五星 { score >= 90 } }\n";
    let zh = format!(
        "{head}指导比例 支部 二星 及以下：约 20％ 比较范围 镇 “二星及以下约占20%” 依据 \"四\"\n"
    );
    let en = format!(
        "{head}guide 支部 二星 or_below: about 20% among 镇 “二星及以下约占20%” cite \"四\"\n"
    );
    assert_eq!(fingerprint("zh.std", &zh), fingerprint("en.std", &en));
    let file = duibiao_syntax::parse(&zh).unwrap_or_else(|e| panic!("{e:?}"));
    let text = print(&file);
    assert!(
        text.ends_with(
            "\nguide 支部 二星 or_below: about 20% among 镇 \"二星及以下约占20%\" cite \"四\"\n"
        ),
        "{text}"
    );
    round_trip("guide", &file);
    let other = en.replace("among 镇", "among siblings");
    assert_ne!(fingerprint("other.std", &other), fingerprint("en.std", &en));
    let exact = en.replace(" or_below", "");
    assert_ne!(fingerprint("exact.std", &exact), fingerprint("en.std", &en));
    // `duibiao fmt` keeps the Chinese keywords and lays the line out.
    let messy = format!("{head}指导比例  支部 二星   及以下：约   20％ 比较范围 镇   # 文件原文\n");
    let formatted = duibiao::format_standard("zh.std", &messy, &duibiao::Limits::default())
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        formatted.ends_with("\n\n指导比例 支部 二星 及以下: 约 20％ 比较范围 镇 # 文件原文\n"),
        "{formatted}"
    );
    assert_eq!(
        fingerprint("formatted.std", &formatted),
        fingerprint(
            "en.std",
            &en.replace(" “二星及以下约占20%” cite \"四\"", "")
        )
    );
}

#[test]
fn the_six_standards_have_their_pinned_fingerprints() {
    let actual: Vec<(&str, String)> = STANDARDS
        .iter()
        .map(|slug| (*slug, standard(slug).fingerprint().to_string()))
        .collect();
    let pinned: Vec<(&str, String)> = PINNED.iter().map(|(s, f)| (*s, f.to_string())).collect();
    assert_eq!(
        actual, pinned,
        "the canonical form changed: version it (duibiao_compiler::fingerprint::FORMAT)"
    );
}

// ---------------------------------------------------------------- random expressions

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The same random standards, formatted by `duibiao fmt`: the text parses to the same tree
    /// (keywords in either language, comparison words, parentheses and all), so the fingerprint
    /// is kept, and formatting it again changes nothing.
    #[test]
    fn random_standards_format_to_the_same_tree(a in expression(), b in expression()) {
        let src = format!(
            "standard p {{}}\n# 注释\nderive 小区 {{ x = f({a}, {b}) # 行尾注释\n}}\n\
             tiers 小区 {{ 甲 {{ {a}; {b}; 乙: {a} }} }}\n\
             requirements 小区 基本 {{ r: {a} when {b} }}\n"
        );
        let Ok(file) = duibiao_syntax::parse(&src) else {
            return Ok(());
        };
        let limits = duibiao::Limits::default();
        let text = duibiao::format_standard("p.std", &src, &limits)
            .unwrap_or_else(|e| panic!("{}\n{src}", e.render(duibiao::Lang::En)));
        let again = duibiao_syntax::parse(&text)
            .unwrap_or_else(|e| panic!("formatted text does not parse: {e:?}\n{text}"));
        prop_assert_eq!(without_spans(&again), without_spans(&file), "{}", text);
        let twice = duibiao::format_standard("p.std", &text, &limits).ok();
        prop_assert_eq!(twice.as_deref(), Some(text.as_str()));
    }
}
