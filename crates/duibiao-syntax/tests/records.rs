//! Dated records in the syntax: the `records` declaration and the `text` type, parsed and printed
//! canonically.

use duibiao_syntax::ast::*;

/// A `records` declaration prints in English keywords, its fields one a line, and parses back
/// to the same declaration (text fields included).
#[test]
fn records_print_canonically() {
    let src = "标准 s {}\n单位 支部\n记录 支部、社区 积分记录 “积分记录” 依据 \"三\" { 日期：日期 \"记录日期\"; 事由: 文本 }\n记录 支部 空记录 {}";
    let file = duibiao_syntax::parse(src).unwrap();
    let text = duibiao_syntax::canonical::print(&file);
    assert_eq!(
        text,
        "standard s {}\n\nkind 支部\n\nrecords 支部, 社区 积分记录 \"积分记录\" cite \"三\" {\n  日期: date \"记录日期\"\n  事由: text\n}\n\nrecords 支部 空记录 {}\n"
    );
    let again = duibiao_syntax::parse(&text).unwrap();
    assert_eq!(duibiao_syntax::canonical::print(&again), text);
    let Some(Decl::Records(r)) = again.decls.get(1) else {
        panic!("{:?}", again.decls);
    };
    assert_eq!(
        r.fields[1].ty,
        TypeExpr::Simple(SimpleType::Text, r.fields[1].ty.span())
    );
}

/// `records` and `记录` are keywords: neither names anything.
#[test]
fn records_is_a_keyword() {
    for src in ["标准 s {}\n单位 记录", "standard s {}\nkind records"] {
        assert!(duibiao_syntax::parse(src).is_err(), "{src}");
    }
    assert!(duibiao_syntax::parse("标准 s {}\n单位 积分记录").is_ok());
}
