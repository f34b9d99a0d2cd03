//! The index of names that `analyze` keeps: every use resolved to its declaration as the
//! compiler resolved it, the types of declared names, and close names suggested for misspelt
//! ones.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use duibiao_compiler::diagnostic::closest;
use duibiao_compiler::{analyze, Lang, SourceLimits};
use duibiao_syntax::ast::Span;

const SRC: &str = r#"standard demo { title "示例" }
kind 街道 contains 社区
kind 社区
facts 社区 { 绿化面积: area "公共绿地面积" cite "第一条" }
facts 街道 { 专职人数: int }
param 面积下限: area = 300平方米
quota 指标: int on 街道 { columns 2021-12-31 "城南街道": 1 }
scorecard 社区 total 10 { item 1 "环境" max 10分 { part 1 "整洁" 10分 } }
tiers 社区 { 达标 { 绿化面积 >= 面积下限  score 1.1 >= 6 } }
tiers 街道 { 合格 { count 社区 at 达标 >= 指标  专职人数 >= 1 } }
veto 社区 无绿地: 绿化面积 < 1平方米 blocks 达标
target 进度 on 街道 due quota 指标: 合格
"#;

fn span_of(needle: &str, nth: usize) -> Span {
    let start = SRC.match_indices(needle).nth(nth).expect(needle).0;
    Span::new(start, start + needle.len())
}

#[test]
fn every_use_points_at_its_declaration() {
    let a = analyze(SRC, &SourceLimits::default());
    assert!(!a.compiled.has_errors(), "{:?}", a.compiled.diagnostics);
    let ix = &a.index;
    let declared = |needle: &str, nth: usize| -> Vec<Span> {
        let at = span_of(needle, nth);
        ix.used_at(at.start + 1).map(|r| r.declared).collect()
    };
    // A fact in a tier condition and in a veto; the parameter; the kind in `contains`, in blocks
    // and in an aggregate; the tier in `at` and in `blocks`; the quota table in a rule and as a
    // due date; a scored part behind `score 1.1`; a tier used as a target's condition.
    assert_eq!(declared("绿化面积", 1), [span_of("绿化面积", 0)]);
    assert_eq!(declared("绿化面积", 2), [span_of("绿化面积", 0)]);
    assert_eq!(declared("面积下限", 1), [span_of("面积下限", 0)]);
    assert_eq!(declared("社区", 0), [span_of("社区", 1)]);
    assert_eq!(declared("社区", 2), [span_of("社区", 1)]);
    assert_eq!(declared("社区", 6), [span_of("社区", 1)]);
    assert_eq!(declared("达标", 1), [span_of("达标", 0)]);
    assert_eq!(declared("达标", 2), [span_of("达标", 0)]);
    assert_eq!(declared("指标", 1), [span_of("指标", 0)]);
    assert_eq!(declared("指标", 2), [span_of("指标", 0)]);
    assert_eq!(declared("合格", 1), [span_of("合格", 0)]);
    let part = SRC.find("part 1").unwrap() + "part ".len();
    assert_eq!(declared("1.1", 0), [Span::new(part, part + 1)]);
    // The end of a name is on it (a cursor just after it); the declaration itself is no use.
    let end = span_of("面积下限", 1).end;
    assert_eq!(ix.used_at(end).count(), 1);
    assert_eq!(ix.used_at(span_of("面积下限", 0).start).count(), 0);
    let uses: Vec<Span> = ix.uses_of(span_of("绿化面积", 0)).collect();
    assert_eq!(uses, [span_of("绿化面积", 1), span_of("绿化面积", 2)]);
    // Every reference, in the order of the uses.
    let all = ix.references();
    assert!(all.windows(2).all(|w| w[0].used.start <= w[1].used.start));
    let of_param: Vec<Span> = all
        .iter()
        .filter(|r| r.declared == span_of("面积下限", 0))
        .map(|r| r.used)
        .collect();
    assert_eq!(of_param, [span_of("面积下限", 1)]);
}

#[test]
fn a_named_scorecard_is_points() {
    let src = SRC.replacen("scorecard 社区 total 10", "scorecard 社区 考评 total 10", 1);
    let a = analyze(&src, &SourceLimits::default());
    assert!(!a.compiled.has_errors(), "{:?}", a.compiled.diagnostics);
    let at = src.find("考评").unwrap();
    let ty = a.index.type_of(Span::new(at, at + "考评".len()));
    assert_eq!(
        ty.map(|t| a.index.describe(t, Lang::En)).as_deref(),
        Some("points")
    );
}

#[test]
fn declared_names_have_their_types() {
    let a = analyze(SRC, &SourceLimits::default());
    let ix = &a.index;
    let ty = |needle: &str, lang| ix.type_of(span_of(needle, 0)).map(|t| ix.describe(t, lang));
    assert_eq!(ty("绿化面积", Lang::Zh).as_deref(), Some("面积（平方米）"));
    assert_eq!(ty("绿化面积", Lang::En).as_deref(), Some("an area (m²)"));
    assert_eq!(ty("专职人数", Lang::Zh).as_deref(), Some("整数"));
    assert_eq!(ty("面积下限", Lang::En).as_deref(), Some("an area (m²)"));
    assert_eq!(ty("达标", Lang::Zh).as_deref(), Some("是否值"));
    assert_eq!(ty("指标", Lang::En).as_deref(), Some("a count"));
    assert_eq!(ty("示例", Lang::En), None);
}

#[test]
fn a_text_that_does_not_parse_has_no_tree_and_no_index() {
    let a = analyze("standard x {\nkind", &SourceLimits::default());
    assert!(a.file.is_none());
    assert!(a.index.references().is_empty());
    assert!(a.compiled.has_errors());
}

#[test]
fn misspelt_names_come_with_the_close_declared_name() {
    let src = SRC
        .replacen("绿化面积 >= 面积下限", "绿地面积 >= 面积下线", 1)
        .replacen("count 社区 at 达标", "count 社去 at 打标", 1);
    let a = analyze(&src, &SourceLimits::default());
    let got: Vec<(&str, Option<&str>, String)> = a
        .compiled
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code(),
                d.suggestion.as_deref(),
                src[d.span.start..d.span.end].to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("E0104", Some("绿化面积"), "绿地面积".to_string()),
            ("E0104", Some("面积下限"), "面积下线".to_string()),
            ("E0101", Some("社区"), "社去".to_string()),
        ]
    );
    let help = a.compiled.diagnostics[0].help().unwrap();
    assert!(help.0.starts_with("是否应为 `绿化面积`？"), "{}", help.0);
    assert!(
        help.1.starts_with("did you mean `绿化面积`? "),
        "{}",
        help.1
    );
    // The tier is checked once its kind is known.
    let src = SRC.replacen("count 社区 at 达标", "count 社区 at 打标", 1);
    let a = analyze(&src, &SourceLimits::default());
    let d = &a.compiled.diagnostics[0];
    assert_eq!((d.code(), d.suggestion.as_deref()), ("E0110", Some("达标")));
    assert_eq!(closest("打标", ["合格"]), None);
}
