//! The canonical form of a syntax tree (`duibiao_syntax::canonical`) and the fingerprint built on
//! it: the canonical text parses back to the same tree, printing it is idempotent, and the
//! fingerprint follows what a standard says, not how it is laid out. Random standards from the
//! grammar's expressions also go through `duibiao fmt` (its other properties are in
//! `crates/duibiao-fmt/tests`).

use duibiao_syntax::ast::File;
use duibiao_syntax::canonical::print;
use duibiao_tests::STANDARDS;
use duibiao_tests::{read, root, standard};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

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

/// The tree as JSON without positions: every `span` field and every span written as a bare
/// `{start, end}` (in tuples such as a type's or an item number's) removed.
fn without_spans(file: &File) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.shift_remove("span");
                map.values_mut().for_each(strip);
            }
            Value::Array(xs) => {
                xs.retain(|x| !is_span(x));
                xs.iter_mut().for_each(strip);
            }
            _ => {}
        }
    }
    fn is_span(v: &Value) -> bool {
        v.as_object()
            .is_some_and(|m| m.len() == 2 && m.contains_key("start") && m.contains_key("end"))
    }
    let mut v = serde_json::to_value(file).unwrap_or_else(|e| panic!("serialize: {e}"));
    strip(&mut v);
    v
}

/// Checks the two properties on one parsed file: the canonical text parses to the same tree
/// (positions aside), and printing that tree again gives the same text.
fn round_trip(name: &str, file: &File) {
    let text = print(file);
    let again = duibiao_syntax::parse(&text)
        .unwrap_or_else(|e| panic!("{name}: canonical text does not parse: {e:?}\n{text}"));
    let (a, b) = (without_spans(file), without_spans(&again));
    if a != b {
        let (a, b) = (a.to_string(), b.to_string());
        let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        let from = at.saturating_sub(200);
        panic!(
            "{name}: the canonical text parses to another tree\nbefore: …{}\nafter:  …{}\n{text}",
            a.get(from..(at + 200).min(a.len())).unwrap_or(""),
            b.get(from..(at + 200).min(b.len())).unwrap_or(""),
        );
    }
    assert_eq!(print(&again), text, "{name}: printing is not idempotent");
}

fn std_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            std_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "std") {
            out.push(p);
        }
    }
}

#[test]
fn standards_round_trip() {
    for slug in STANDARDS {
        let rel = format!("standards/{slug}.std");
        let file = duibiao_syntax::parse(&read(&rel)).unwrap_or_else(|e| panic!("{rel}: {e:?}"));
        round_trip(&rel, &file);
    }
}

#[test]
fn documentation_and_diagnostics_files_round_trip() {
    let mut paths = Vec::new();
    std_files(&root().join("docs"), &mut paths);
    let docs = paths.len();
    std_files(&root().join("tests/diagnostics"), &mut paths);
    let mut parsed = (0, 0);
    for (i, path) in paths.iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        if let Ok(file) = duibiao_syntax::parse(&text) {
            round_trip(&path.display().to_string(), &file);
            if i < docs {
                parsed.0 += 1;
            } else {
                parsed.1 += 1;
            }
        }
    }
    assert!(parsed.0 >= 3, "only {} files under docs/ parse", parsed.0);
    assert!(parsed.1 >= 30, "only {} diagnostics files parse", parsed.1);
}

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

/// Source text of random expressions over every form of the grammar, operands parenthesized at
/// random, so that the trees include the shapes that need parentheses to print.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("a".to_string()),
        Just("小区数".to_string()),
        Just("0".to_string()),
        Just("8.50".to_string()),
        Just("007".to_string()),
        Just("30 %".to_string()),
        Just("15万元".to_string()),
        Just("350 m2".to_string()),
        Just("6人".to_string()),
        Just("1年".to_string()),
        Just("6 个月".to_string()),
        Just("2021-6-1".to_string()),
        Just("是".to_string()),
        Just("false".to_string()),
        Just("score".to_string()),
        Just("得分 6.1".to_string()),
        Just("as_of".to_string()),
        Just("peers among 街道".to_string()),
        Just("count 小区".to_string()),
        Just("share direct 小区、社区 at 示范型".to_string()),
    ];
    leaf.prop_recursive(6, 48, 3, |inner| {
        let operand =
            (inner.clone(), any::<bool>()).prop_map(|(e, p)| if p { format!("({e})") } else { e });
        prop_oneof![
            (operand.clone(), 0usize..6, operand.clone()).prop_map(|(a, op, b)| {
                let op = ["+", "-", "*", "/", "×", "÷"][op];
                format!("{a} {op} {b}")
            }),
            (operand.clone(), 0usize..5, operand.clone()).prop_map(|(a, op, b)| {
                let op = [">=", "<", "不少于", "=", "!="][op];
                format!("{a} {op} {b}")
            }),
            (operand.clone(), any::<bool>(), operand.clone())
                .prop_map(|(a, and, b)| { format!("{a} {} {b}", if and { "and" } else { "或" }) }),
            operand.clone().prop_map(|a| format!("not {a}")),
            operand.clone().prop_map(|a| format!("-{a}")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, t, e)| format!("if {c} then {t} else {e}")),
            (inner.clone(), operand.clone()).prop_map(|(a, b)| format!("min({a}, {b})")),
            inner.clone().prop_map(|a| format!("max({a})")),
            (inner.clone(), inner.clone())
                .prop_map(|(w, o)| format!("sum 小区 where ({w}) of ({o}) ifnone 0")),
            inner
                .clone()
                .prop_map(|v| format!("rank ({v}) ascending among all ties by_id")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Random expressions that parse, in every place an expression stands (two unlabelled tier
    /// conditions in a row, call arguments, `when`), print to text that parses to the same tree.
    #[test]
    fn random_expressions_round_trip(a in expression(), b in expression()) {
        let src = format!(
            "standard p {{}}\nderive 小区 {{ x = f({a}, {b}) }}\n\
             tiers 小区 {{ 甲 {{ {a}; {b}; 乙: {a} }} }}\n\
             requirements 小区 基本 {{ r: {a} when {b} }}\n\
             consequence 奖 on 小区 when {a} amount {b} split 市级 50%\n"
        );
        if let Ok(file) = duibiao_syntax::parse(&src) {
            round_trip(&src, &file);
        }
    }

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

#[test]
fn random_expressions_mostly_parse() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = expression();
    let mut parsed = 0;
    for _ in 0..200 {
        let e = strategy
            .new_tree(&mut runner)
            .unwrap_or_else(|e| panic!("{e}"))
            .current();
        if duibiao_syntax::parse(&format!("standard p {{}}\nderive 小区 {{ x = {e} }}")).is_ok() {
            parsed += 1;
        }
    }
    assert!(
        parsed >= 60,
        "only {parsed} of 200 random expressions parse"
    );
}
